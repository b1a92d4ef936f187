//! The link checker: every internal `href` and `src` of a built site resolves.

use std::collections::BTreeMap;
use std::path::Path;

use super::files::tree;
use super::html::{html_pages, sel};

/// Percent-decodes a URL path.
pub(crate) fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The result of checking every internal link of a built site.
#[derive(Debug, Default)]
pub(crate) struct LinkReport {
    /// Internal `href`/`src` values checked.
    pub checked: usize,
    /// Of those, links with a `#fragment` whose target element was checked.
    pub fragments: usize,
    /// What was wrong, one line per broken link.
    pub failures: Vec<String>,
}

/// Whether a URL is external (left alone by the checker).
pub(crate) fn is_external(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    l.starts_with("http:") || l.starts_with("https:") || l.starts_with("mailto:")
}

/// Resolves `href` (already split from its fragment and query) against the folder of the
/// page `from`; `None` when it leaves the site.
pub(crate) fn resolve_href(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<String> = from.split('/').map(str::to_string).collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.join("/"))
}

/// Checks every `href` and `src` of every page below `out`: the target file exists inside
/// `out`, and a `#fragment` names an element `id` (or `name`) on the target page.
pub(crate) fn check_links(out: &Path) -> LinkReport {
    let files = tree(out);
    let pages = html_pages(out);
    let anchors: BTreeMap<&String, std::collections::HashSet<String>> = pages
        .iter()
        .map(|(k, doc)| {
            let mut ids = std::collections::HashSet::new();
            for el in doc.select(&sel("[id], a[name]")) {
                for attr in ["id", "name"] {
                    if let Some(v) = el.value().attr(attr) {
                        ids.insert(v.to_string());
                    }
                }
            }
            (k, ids)
        })
        .collect();
    let mut report = LinkReport::default();
    let links = sel("[href], [src]");
    for (rel, doc) in &pages {
        for el in doc.select(&links) {
            for attr in ["href", "src"] {
                let Some(url) = el.value().attr(attr) else {
                    continue;
                };
                if is_external(url) {
                    continue;
                }
                report.checked += 1;
                let fail = |why: &str| format!("{rel}: {attr}=\"{url}\": {why}");
                if url.contains(':') && !url.contains('/') && !url.starts_with('#') {
                    report.failures.push(fail("unexpected scheme"));
                    continue;
                }
                if url.starts_with('/') {
                    report
                        .failures
                        .push(fail("absolute path (breaks file:// and sub-paths)"));
                    continue;
                }
                let (path, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url, None),
                };
                let path = path.split('?').next().unwrap_or("");
                let target = if path.is_empty() {
                    rel.clone()
                } else {
                    match resolve_href(rel, &percent_decode(path)) {
                        Some(t) => t,
                        None => {
                            report.failures.push(fail("leaves the output folder"));
                            continue;
                        }
                    }
                };
                if !files.contains_key(&target) {
                    report.failures.push(fail(&format!("no file {target}")));
                    continue;
                }
                if let Some(f) = fragment {
                    let f = percent_decode(f);
                    if f.is_empty() {
                        report
                            .failures
                            .push(fail("empty fragment (a broken reference?)"));
                        continue;
                    }
                    if target.ends_with(".html") {
                        report.fragments += 1;
                        if !anchors[&target].contains(&f) {
                            report
                                .failures
                                .push(fail(&format!("{target} has no id `{f}`")));
                        }
                    }
                }
            }
        }
    }
    report
}

/// Asserts that every internal link of the site at `out` resolves; returns the report.
pub(crate) fn assert_links_resolve(out: &Path) -> LinkReport {
    let r = check_links(out);
    if !r.failures.is_empty() {
        // Group by the link itself, so one broken nav link does not hide the others.
        let mut distinct: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for f in &r.failures {
            let (page, what) = f.split_once(": ").unwrap_or(("", f));
            distinct.entry(what).or_insert((0, page)).0 += 1;
        }
        let lines: Vec<String> = distinct
            .iter()
            .map(|(what, (n, page))| format!("{what} (on {n} pages, e.g. {page})"))
            .collect();
        panic!(
            "{} of {} links are broken:\n{}",
            r.failures.len(),
            r.checked,
            lines.join("\n")
        );
    }
    r
}
