//! `aimsdoc coverage` for people: the plain table's columns line up, and `--format markdown`
//! is GitHub-flavoured Markdown tables that read back to the same states as the CSV.

use crate::common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

use common::*;

fn coverage(root: &Path, format: &str) -> Run {
    let run = aimsdoc([
        OsStr::new("coverage"),
        root.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
        OsStr::new("--format"),
        OsStr::new(format),
    ]);
    run.expect_code(0);
    run
}

/// `id -> (state, documents)` from the CSV output.
fn csv_states(root: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    parse_csv(&coverage(root, "csv").stdout)[1..]
        .iter()
        .map(|r| {
            let docs = r[6].split_whitespace().map(str::to_string).collect();
            (r[1].clone(), (r[3].clone(), docs))
        })
        .collect()
}

/// The cells of a Markdown table row: split on `|` not escaped by a backslash, escapes
/// removed.
fn cells(line: &str) -> Vec<String> {
    let inner = line
        .trim()
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .unwrap_or_else(|| panic!("a table row starts and ends with `|`: {line:?}"));
    let mut out = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.last_mut().unwrap().extend(chars.next()),
            '|' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The Markdown tables of `text` by the `###` heading above each: header, then rows.
fn tables(text: &str) -> BTreeMap<String, (Vec<String>, Vec<Vec<String>>)> {
    let mut out = BTreeMap::new();
    let mut heading = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("### ") {
            heading = h.to_string();
        } else if line.starts_with('|') {
            let header = cells(line);
            let rule = cells(lines.next().expect("a delimiter row"));
            assert_eq!(rule.len(), header.len(), "{line}");
            assert!(
                rule.iter()
                    .all(|c| c.len() >= 3 && c.trim_matches(':').chars().all(|x| x == '-')),
                "not a delimiter row: {rule:?}"
            );
            let mut rows = Vec::new();
            while lines.peek().is_some_and(|l| l.starts_with('|')) {
                let row = cells(lines.next().unwrap());
                assert_eq!(row.len(), header.len(), "ragged row {row:?}");
                rows.push(row);
            }
            assert!(
                lines.peek().is_none_or(|l| l.is_empty()),
                "a table ends at a blank line"
            );
            out.insert(heading.clone(), (header, rows));
        }
    }
    out
}

#[test]
fn markdown_is_two_tables_that_read_back_to_the_states() {
    let root = sample();
    let run = coverage(&root, "markdown");
    let text = &run.stdout;
    assert!(
        text.starts_with("## ISO/IEC 42001 coverage: Northwind Analytics AI Management System\n"),
        "{text}"
    );
    for counts in ["- Annex A controls: ", "- Clauses (leaf): "] {
        assert!(
            text.lines().any(|l| l.starts_with(counts)),
            "no {counts}: {text}"
        );
    }
    let tables = tables(text);
    assert_eq!(
        tables.keys().collect::<Vec<_>>(),
        ["Annex A controls", "Clauses"]
    );
    let want = csv_states(&root);
    // id -> implementation as the CSV says it ("—" for none).
    let impls: BTreeMap<String, String> = parse_csv(&coverage(&root, "csv").stdout)[1..]
        .iter()
        .map(|r| {
            let i = if r[5].is_empty() {
                "—"
            } else {
                r[5].as_str()
            };
            (r[1].clone(), i.to_string())
        })
        .collect();
    let cat = catalog();
    let mut seen = 0;
    for (heading, kind) in [("Annex A controls", "control"), ("Clauses", "clause")] {
        let (header, rows) = &tables[heading];
        // Controls carry the SoA implementation before their documents.
        let docs_col = if kind == "control" {
            assert_eq!(
                header,
                &["Id", "Title", "State", "Implementation", "Documents"]
            );
            4
        } else {
            assert_eq!(header, &["Id", "Title", "State", "Documents"]);
            3
        };
        let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        let catalog_ids: Vec<&str> = cat
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, catalog_ids, "{heading}");
        for r in rows {
            let (state, docs) = &want[&r[0]];
            assert_eq!(&r[2], state, "{}", r[0]);
            let listed: Vec<String> = if r[docs_col] == "—" {
                Vec::new()
            } else {
                r[docs_col].split(", ").map(str::to_string).collect()
            };
            if kind == "control" {
                assert_eq!(&r[3], &impls[&r[0]], "{}", r[0]);
            }
            assert_eq!(&listed, docs, "{}", r[0]);
            let title = &cat.iter().find(|e| e.id == r[0]).unwrap().title;
            assert_eq!(&r[1], title);
            seen += 1;
        }
    }
    assert_eq!(seen, want.len());
}

#[test]
fn markdown_escapes_what_would_break_a_cell() {
    let (_t, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        "title = \"Pipes | *stars* <b>\"\norganization = \"O\"\n",
    );
    write(
        &root,
        "docs/a.md",
        "---\nid: A_B-1\ntitle: T\ncontrols: [A.2.2]\n---\n",
    );
    let text = coverage(&root, "markdown").stdout;
    assert!(
        text.starts_with("## ISO/IEC 42001 coverage: Pipes \\| \\*stars\\* \\<b\\>\n"),
        "{text}"
    );
    let (_, rows) = &tables(&text)["Annex A controls"];
    let a22 = rows.iter().find(|r| r[0] == "A.2.2").unwrap();
    assert_eq!(a22[4], "A_B-1");
}

#[test]
fn the_plain_table_lines_up() {
    let run = coverage(&sample(), "table");
    let rows: Vec<&str> = run.stdout.lines().take_while(|l| !l.is_empty()).collect();
    let header = rows[0];
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["ID", "STATE", "IMPLEMENTED", "DOCS", "SYSTEMS", "TITLE"]
    );
    // Columns start where their heading starts (DOCS and SYSTEMS are right-aligned: they
    // end there), in characters.
    let col = |name: &str| header.find(name).unwrap();
    let (state, docs_end, title) = (col("STATE"), col("DOCS") + 4, col("TITLE"));
    let want = csv_states(&sample());
    assert_eq!(rows.len() - 1, want.len());
    for row in &rows[1..] {
        let chars: Vec<char> = row.chars().collect();
        let at = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
        let id = at(0, state).trim_end().to_string();
        let (s, docs) = &want[&id];
        assert_eq!(at(state, state + s.len()), *s, "{row}");
        assert_eq!(chars[state - 1], ' ', "{row}");
        assert_eq!(chars[col("IMPLEMENTED") - 1], ' ', "{row}");
        assert_ne!(chars[col("IMPLEMENTED")], ' ', "{row}");
        assert_eq!(
            at(docs_end - 4, docs_end).trim_start(),
            docs.len().to_string(),
            "{row}"
        );
        assert_eq!(chars[title - 1], ' ', "{row}");
        assert_ne!(chars[title], ' ', "{row}");
    }
}
