//! What a build for an audience must not contain, read from the sources independently of
//! aimsdoc: the ids, titles, spellings and sentences of the documents it may not read
//! (each needle first found in a build that has its document), and how its links to them
//! must be shown.

use super::*;

/// The body without fenced code blocks.
pub(super) fn prose(body: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Sentences of 60+ characters from the prose paragraphs of `body`, made only of letters,
/// digits, blanks and `,.;:()%-` (so that rendering cannot change their spelling), without
/// `[`, `|` or `#`.
pub(super) fn sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Paragraphs, and each list item on its own (items render as separate elements).
    let mut blocks: Vec<String> = Vec::new();
    for para in prose(body).split("\n\n") {
        let mut cur = String::new();
        for line in para.lines() {
            let t = line.trim_start();
            let item = t.starts_with("- ")
                || t.starts_with("* ")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if item && !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
            cur.push_str(line);
            cur.push('\n');
        }
        blocks.push(cur);
    }
    for para in &blocks {
        let lines: Vec<&str> = para
            .lines()
            .map(|l| {
                let t = l.trim_start();
                // List markers: `- `, `* `, `1. `.
                let t = t
                    .strip_prefix("- ")
                    .or_else(|| t.strip_prefix("* "))
                    .unwrap_or(t);
                match t.split_once(". ") {
                    Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                        rest
                    }
                    _ => t,
                }
            })
            .collect();
        if lines
            .iter()
            .any(|l| l.starts_with('#') || l.starts_with('|') || l.starts_with('>'))
        {
            continue;
        }
        let text = norm(&lines.join(" "));
        for s in text.split_inclusive(". ") {
            let s = s.trim();
            let safe = s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,.;:()%-".contains(c));
            if s.len() >= 60 && safe && !s.contains("--") && !s.contains("..") {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// `text` with Markdown link constructs removed: `[[...]]`, `[text](target)`,
/// `[text][ref]` and reference definitions. What is left is what an author wrote as plain
/// text, which a build may show.
pub(super) fn without_links(text: &str) -> String {
    let mut s = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') && t.contains("]:") {
            continue;
        }
        s.push_str(line);
        s.push('\n');
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(inner) = after.strip_prefix("[[") {
            match inner.find("]]") {
                Some(j) => rest = &inner[j + 2..],
                None => {
                    rest = inner;
                }
            }
            continue;
        }
        match after.find(']') {
            Some(j) => {
                let tail = &after[j + 1..];
                let close = match tail.chars().next() {
                    Some('(') => tail.find(')').map(|k| j + 1 + k + 1),
                    Some('[') => tail.find(']').map(|k| j + 1 + k + 1),
                    _ => None,
                };
                match close {
                    Some(end) => rest = &after[end..],
                    None => {
                        out.push('[');
                        rest = &after[1..];
                    }
                }
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a document must never show in a build that withholds it.
#[derive(Debug)]
pub(super) struct Secret {
    pub(super) path: String,
    pub(super) id: String,
    pub(super) title: String,
    /// Other distinctive front-matter values (owner, approver, tags).
    pub(super) extra: Vec<String>,
    pub(super) sentences: Vec<String>,
}

/// Every text of the AIMS an audience build may legitimately show: the bodies of the
/// documents it may read (links removed: those are rendered by aimsdoc), their titles, the
/// configuration, section titles, the catalogs, the crosswalks and the theme. A needle found in here is
/// not aimsdoc's to hide.
pub(super) fn allowed_corpus(
    root: &Path,
    docs: &[SourceDoc],
    audience: u8,
    with_soa: bool,
) -> String {
    let mut c = String::new();
    for d in docs.iter().filter(|d| rank(d) <= audience) {
        c.push_str(&without_links(&d.body));
        c.push('\n');
        for k in ["id", "title", "owner", "approver"] {
            c.push_str(&d.str(k).unwrap_or_default());
            c.push('\n');
        }
        c.push_str(&d.path);
        c.push('\n');
        c.push_str(&d.list("tags").join("\n"));
        c.push('\n');
    }
    for (rel, bytes) in tree(root) {
        let name = rel.rsplit('/').next().unwrap();
        if name == "aims.toml" || name == "_section.toml" {
            c.push_str(&String::from_utf8_lossy(&bytes));
            c.push('\n');
        }
        // The SoA's text is readable, but not its references: a reference to a withheld
        // document reads "internal document", never its id.
        if with_soa && name == "soa.yaml" {
            c.push_str(&without_links(&String::from_utf8_lossy(&bytes)));
            c.push('\n');
        }
    }
    for file in ["catalog.yaml", "mandatory-documents.yaml"] {
        let path = repo().join("catalogs/iso42001").join(file);
        c.push_str(&std::fs::read_to_string(path).unwrap());
    }
    // The catalogs of other frameworks and the crosswalks, built in and the team's own.
    for dir in [
        repo().join("catalogs/frameworks"),
        repo().join("catalogs/iso42001/crosswalks"),
        root.join("frameworks"),
        root.join("crosswalks"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for (_, bytes) in tree(&dir) {
            c.push_str(&String::from_utf8_lossy(&bytes));
            c.push('\n');
        }
    }
    for (_, bytes) in tree(&repo().join("themes/default")) {
        c.push_str(&String::from_utf8_lossy(&bytes));
    }
    norm(&c)
}

/// The secrets of every document above `audience`, with needles that the allowed corpus
/// already contains left out (and reported in the returned list).
pub(super) fn secrets(root: &Path, audience: u8, with_soa: bool) -> (Vec<Secret>, Vec<String>) {
    let docs = source_docs(root);
    let corpus = allowed_corpus(root, &docs, audience, with_soa);
    let mut skipped = Vec::new();
    let mut keep = |needle: String, what: &str, path: &str| -> Option<String> {
        if corpus.contains(&norm(&needle)) {
            skipped.push(format!("{path}: {what} `{needle}`"));
            None
        } else {
            Some(needle)
        }
    };
    let mut out = Vec::new();
    for d in docs.iter().filter(|d| rank(d) > audience) {
        // A sentence must be unique to this document among all sources.
        let elsewhere: String = docs
            .iter()
            .filter(|o| o.path != d.path)
            .map(|o| norm(&o.body))
            .collect::<Vec<_>>()
            .join("\n");
        let sentences: Vec<String> = sentences(&d.body)
            .into_iter()
            .filter(|s| !elsewhere.contains(s.as_str()))
            .filter_map(|s| keep(s, "sentence", &d.path))
            .take(4)
            .collect();
        let mut extra: Vec<String> = ["owner", "approver"]
            .iter()
            .filter_map(|k| d.str(k))
            .collect();
        extra.extend(d.list("tags"));
        let extra = extra
            .into_iter()
            .filter(|v| {
                // Only values no readable document shares.
                !docs.iter().filter(|o| rank(o) <= audience).any(|o| {
                    o.str("owner").as_deref() == Some(v)
                        || o.str("approver").as_deref() == Some(v)
                        || o.list("tags").contains(v)
                })
            })
            .filter_map(|v| keep(v, "value", &d.path))
            .collect();
        out.push(Secret {
            path: d.path.clone(),
            id: keep(d.id(), "id", &d.path).unwrap_or_default(),
            title: keep(d.str("title").unwrap(), "title", &d.path).unwrap_or_default(),
            extra,
            sentences,
        });
    }
    (out, skipped)
}

/// Asserts that no needle of `secrets` is in `site`, and that each one is in `full` (a
/// build that holds every document).
pub(super) fn assert_no_leak(site: &Site, full: &Site, secrets: &[Secret], what: &str) {
    let mut leaks = Vec::new();
    let mut dead = Vec::new();
    for s in secrets {
        assert!(!s.id.is_empty(), "{}: its id is in readable text", s.path);
        assert!(
            !s.title.is_empty(),
            "{}: its title is in readable text",
            s.path
        );
        assert!(
            !s.sentences.is_empty(),
            "{}: no unique sentence of 60+ plain characters to search for",
            s.path
        );
        let needles = [&s.id, &s.title]
            .into_iter()
            .chain(&s.extra)
            .chain(&s.sentences);
        for n in needles {
            if full.hits(n).is_empty() {
                dead.push(format!("{}: `{n}`", s.path));
            }
            let h = site.hits(n);
            if !h.is_empty() {
                leaks.push(format!("{}: `{n}` in {}", s.path, h.join(", ")));
            }
        }
    }
    assert!(
        dead.is_empty(),
        "needles not found even in the full build (the test is broken):\n{}",
        dead.join("\n")
    );
    assert!(
        leaks.is_empty(),
        "the {what} build leaks withheld documents:\n{}",
        leaks.join("\n")
    );
}

/// Asserts that the id, title and at least one sentence of each readable document are in
/// `site` (the needles work on this very build).
pub(super) fn assert_present(site: &Site, docs: &[&SourceDoc]) {
    for d in docs {
        assert!(!site.hits(&d.id()).is_empty(), "{} is missing", d.id());
        assert!(
            !site.hits(&d.str("title").unwrap()).is_empty(),
            "the title of {} is missing",
            d.id()
        );
        let s = sentences(&d.body);
        if !s.is_empty() {
            assert!(
                s.iter().any(|x| !site.hits(x).is_empty()),
                "no sentence of {} is in the build",
                d.id()
            );
        }
    }
}

/// Ids (and `dir/file.md` paths) referenced from `d`'s body: wiki links and Markdown links
/// (inline and reference-style), one per reference.
pub(super) fn body_references(d: &SourceDoc) -> Vec<String> {
    let body = prose(&d.body);
    let dir = d.path.rsplit_once('/').map_or("", |(a, _)| a);
    let resolve = |target: &str| -> String {
        let path = target.split('#').next().unwrap();
        resolve_href(&format!("{dir}/x"), path).unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut defs: BTreeMap<String, String> = BTreeMap::new();
    for line in body.lines() {
        let t = line.trim_start();
        if let Some((label, target)) = t.strip_prefix('[').and_then(|r| r.split_once("]:")) {
            defs.insert(label.to_lowercase(), resolve(target.trim()));
        }
    }
    let mut rest = body.as_str();
    while let Some(i) = rest.find('[') {
        let after = &rest[i..];
        if let Some(inner) = after.strip_prefix("[[") {
            let j = inner.find("]]").unwrap_or(inner.len());
            let id = inner[..j].split(['|', '#']).next().unwrap().trim();
            out.push(id.to_string());
            rest = &inner[(j + 2).min(inner.len())..];
            continue;
        }
        let Some(j) = after.find(']') else { break };
        let tail = &after[j + 1..];
        if let Some(t) = tail.strip_prefix('(') {
            if let Some(k) = t.find(')') {
                let target = &t[..k];
                if !target.starts_with('#') && !is_external(target) {
                    out.push(resolve(target));
                }
                rest = &t[k + 1..];
                continue;
            }
        }
        if let Some(t) = tail.strip_prefix('[') {
            if let Some(k) = t.find(']') {
                if let Some(p) = defs.get(&t[..k].to_lowercase()) {
                    out.push(p.clone());
                }
                rest = &t[k + 1..];
                continue;
            }
        }
        rest = &after[1..];
    }
    out
}

/// Checks, on every readable document's page, that each reference to a withheld document
/// is the plain text "internal document (not published)", explained by a tooltip, and no
/// link.
pub(super) fn assert_withheld_links(out: &Path, docs: &[SourceDoc], audience: u8) {
    let withheld: BTreeSet<String> = docs
        .iter()
        .filter(|d| rank(d) > audience)
        .flat_map(|d| [d.id(), d.path.clone()])
        .collect();
    let mut total = 0;
    for d in docs.iter().filter(|d| rank(d) <= audience) {
        let expected = body_references(d)
            .iter()
            .filter(|r| withheld.contains(*r))
            .count();
        let p = page(out, &format!("documents/{}.html", d.id()));
        let spans: Vec<_> = p.select(&sel(".doc-body .withheld")).collect();
        assert_eq!(
            spans.len(),
            expected,
            "{}: expected {expected} withheld references",
            d.id()
        );
        for s in spans {
            assert_eq!(text_of(s), "internal document (not published)");
            assert_eq!(
                s.value().attr("title"),
                Some("This document is not published in this edition")
            );
            assert_eq!(s.select(&sel(".withheld-note")).count(), 1);
            assert_ne!(s.value().name(), "a");
            assert!(
                s.ancestors()
                    .filter_map(scraper::ElementRef::wrap)
                    .all(|a| a.value().name() != "a"),
                "{}: a withheld reference is inside a link",
                d.id()
            );
            assert!(s.select(&sel("a")).next().is_none());
        }
        total += expected;
    }
    assert!(total > 0, "no reference to a withheld document was checked");
}
