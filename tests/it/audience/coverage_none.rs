//! `[public] coverage = "none"`: a public edition that shows no coverage at all — no state,
//! count, matrix, picture or gap list in any byte of any output file (pages, the print page,
//! the search index, data files).

use super::*;

/// A copy of the `editions` fixture with `extra` appended to aims.toml.
fn editions_with(extra: &str) -> (TempDir, PathBuf) {
    let (tmp, root) = temp_copy(&fixture("editions"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str(extra);
    write(&root, "aims.toml", toml);
    (tmp, root)
}

/// What only coverage output has: state badges and classes, counts, the picture, matrices,
/// the state line, coverage.json's keys, counts of unpublished documents.
const MARKERS: &[&str] = &[
    "class=\"state",
    "state-count",
    "state-row",
    "cov-picture",
    "cov-legend",
    "cov-card",
    // The coverage matrix's markup (the word itself occurs in the reference data's evidence
    // texts, which every edition shows).
    "class=\"matrix",
    "Coverage:",
    "Coverage at a glance",
    "\"counts\"",
    "\"state\"",
    "addressed by",
    "Addressed by",
    "unpublished",
    "Gaps",
    "Needs attention",
];

/// Coverage states as words (`draft` and `overdue` also describe documents and their
/// reviews, so those states are found by their markers instead).
const STATE_WORDS: &[&str] = &["covered", "gap", "gaps", "excluded"];

/// The visible text of a page without the texts it quotes (document bodies, the catalog's
/// summaries and notes on required documents), which may use any word.
fn own_text(doc: &scraper::Html) -> String {
    let mut text = doc
        .select(&sel("body"))
        .map(text_of)
        .next()
        .unwrap_or_default();
    for quoted in texts(
        doc,
        ".doc-body, #summary > p, [aria-labelledby=req-heading] li",
    ) {
        text = text.replace(&quoted, " ");
    }
    text
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn public_coverage_none_leaves_no_state_count_or_matrix_in_any_file() {
    let (_t, root) = editions_with("\n[public]\ncoverage = \"none\"\n");
    let (_o, out, _) = build_for(&root, Some("public"));
    let files = tree(&out);
    assert!(files.contains_key("search-index.js") && files.contains_key("print.html"));
    let mut checked = 0;
    for (rel, bytes) in &files {
        // The theme's stylesheet and scripts are the same in every build.
        if rel.starts_with("static/") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for m in MARKERS {
            assert!(!text.contains(m), "{rel} has `{m}`");
        }
        if rel.ends_with(".html") {
            let doc = scraper::Html::parse_document(&text);
            let found: Vec<String> = words(&own_text(&doc))
                .into_iter()
                .filter(|w| STATE_WORDS.contains(&w.as_str()))
                .collect();
            assert!(found.is_empty(), "{rel} says {found:?}");
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} pages");
    // The search index gives no control or clause a state.
    let js = String::from_utf8_lossy(&files["search-index.js"]).into_owned();
    let json = js
        .split_once('=')
        .map(|(_, j)| j.trim().trim_end_matches(';'))
        .unwrap();
    let index: Value = serde_json::from_str(json).unwrap();
    let entries = index["entries"].as_array().unwrap();
    let catalog_entries: Vec<&Value> = entries
        .iter()
        .filter(|e| e[1] == "control" || e[1] == "clause")
        .collect();
    assert!(catalog_entries.len() > 70);
    for e in catalog_entries {
        assert_eq!(e[5], "", "{}", e[2]);
    }
    assert_edition(&out, "public");
    assert_links_resolve(&out);
}

#[test]
fn public_coverage_none_does_not_depend_on_the_coverage_at_all() {
    // The same AIMS with every claim of the withheld documents removed has another coverage
    // (states and counts), which a public edition with counts shows and one with none must
    // not: its files are the same bytes.
    let strip = |root: &Path| {
        for rel in [
            "internal/procedure.md",
            "internal/draft.md",
            "internal/overdue.md",
            "confidential/record.md",
        ] {
            let text = std::fs::read_to_string(root.join(rel)).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("controls:") && !l.starts_with("clauses:"))
                .collect();
            write(root, rel, kept.join("\n") + "\n");
        }
    };
    for (setting, same) in [("none", true), ("counts", false)] {
        let extra = format!("\n[public]\ncoverage = \"{setting}\"\n");
        let (_a, claimed) = editions_with(&extra);
        let (_b, unclaimed) = editions_with(&extra);
        strip(&unclaimed);
        let (_x, out1, _) = build_for(&claimed, Some("public"));
        let (_y, out2, _) = build_for(&unclaimed, Some("public"));
        let (t1, t2) = (tree(&out1), tree(&out2));
        if same {
            assert_same_tree(&t1, &t2);
        } else {
            assert!(t1 != t2, "coverage = \"{setting}\" shows no coverage");
        }
    }
}
