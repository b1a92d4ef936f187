//! Audience builds (`build --audience`), what a public build discloses (`[public] coverage`)
//! and `aimsdoc coverage`.
//!
//! The key test is the leak test ([`leak`]): a build for an audience must not contain, in any
//! byte of any output file, the id, the title or a sentence of a document the audience may
//! not read. Classifications and sentences are read from the sources ([`needles`]),
//! independently of aimsdoc; every needle is first shown to be findable in a build that does
//! contain its document, so that a needle that could never match does not pass silently.
//! This module holds what the themes share: building for an audience, reading a site back
//! and the edition mark.

mod needles;

mod configured;
mod coverage_cmd;
mod coverage_none;
mod leak;
mod public_coverage;
mod truth;
mod withheld;

use needles::*;

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

/// Builds `root` for `audience` (`None`: no `--audience`) into a temporary folder; asserts
/// success.
fn build_for(root: &Path, audience: Option<&str>) -> (TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut a: Vec<OsString> = vec![
        "build".into(),
        root.into(),
        "-o".into(),
        out.clone().into(),
        "--today".into(),
        TODAY.into(),
    ];
    if let Some(aud) = audience {
        a.extend(["--audience".into(), aud.into()]);
    }
    let run = aimsdoc(a);
    run.expect_code(0);
    (tmp, out, run)
}

/// Collapses runs of whitespace to one space.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every output file as text, whitespace-normalised, for searching.
struct Site {
    files: Vec<(String, String)>,
}

impl Site {
    fn read(out: &Path) -> Site {
        let files = tree(out)
            .into_iter()
            .map(|(k, v)| (k, norm(&String::from_utf8_lossy(&v))))
            .collect();
        Site { files }
    }

    /// Files containing `needle` in any of the spellings an output may give it.
    fn hits(&self, needle: &str) -> Vec<String> {
        let forms = spellings(needle);
        self.files
            .iter()
            .filter(|(_, text)| forms.iter().any(|f| text.contains(f.as_str())))
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// `s` as written, HTML-escaped (by Tera, which also escapes `'` and `/`, and by the
/// Markdown renderer) and JSON-escaped; whitespace-normalised.
fn spellings(s: &str) -> BTreeSet<String> {
    let s = norm(s);
    let tera = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;");
    let cmark = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let json = serde_json::to_string(&s).unwrap();
    let json = json[1..json.len() - 1].to_string();
    [s, tera, cmark, json].into_iter().collect()
}

/// 0 public, 1 internal (also when missing), 2 confidential.
fn rank(d: &SourceDoc) -> u8 {
    match d.str("classification").as_deref() {
        Some("public") => 0,
        Some("confidential") => 2,
        Some("internal") | None => 1,
        Some(other) => panic!("{}: classification {other}", d.path),
    }
}

/// The document pages of a site, as ids.
fn doc_pages(out: &Path) -> BTreeSet<String> {
    tree(out)
        .keys()
        .filter_map(|k| k.strip_prefix("documents/")?.strip_suffix(".html"))
        .map(str::to_string)
        .collect()
}

/// Asserts that every page's footer names the edition (`complete`, `public`, `internal`).
fn assert_edition(out: &Path, edition: &str) {
    let pages = html_pages(out);
    assert!(pages.len() > 50);
    for (rel, doc) in &pages {
        let footer = texts(doc, "footer");
        assert!(
            footer
                .iter()
                .any(|f| f.contains(&format!("{edition} edition"))),
            "{rel}: footer {footer:?} does not say {edition} edition"
        );
        for other in ["complete", "public", "internal", "confidential"] {
            if other != edition {
                assert!(
                    !footer
                        .iter()
                        .any(|f| f.contains(&format!("{other} edition"))),
                    "{rel}: footer says {other} edition"
                );
            }
        }
    }
}

/// Asserts that every page's footer and the print cover give the edition with what it
/// holds, as `label` ("public edition (public documents only)").
fn assert_holds(out: &Path, label: &str) {
    for (rel, doc) in &html_pages(out) {
        let footer = texts(doc, "footer .audience");
        assert_eq!(footer, [label], "{rel}: footer");
    }
    let print = page(out, "print.html");
    let cover: Vec<(String, String)> = print
        .select(&sel(".cover-meta div"))
        .map(|d| {
            let first = |s: &str| d.select(&sel(s)).map(text_of).next().unwrap_or_default();
            (first("dt"), first("dd"))
        })
        .collect();
    assert!(
        cover.contains(&("Edition".to_string(), label.to_string())),
        "print cover: {cover:?}"
    );
}

fn full_site(root: &Path) -> (TempDir, Site) {
    let (tmp, out, _) = build_for(root, Some("confidential"));
    (tmp, Site::read(&out))
}

/// A copy of the audience fixture with `extra` appended to aims.toml.
fn with_config(extra: &str) -> (TempDir, PathBuf) {
    let (tmp, root) = temp_copy(&fixture("audience-edges"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str(extra);
    write(&root, "aims.toml", toml);
    (tmp, root)
}
