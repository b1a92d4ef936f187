//! Reading built pages: parsing, CSS selectors and element texts.

use std::collections::BTreeMap;
use std::path::Path;

use super::files::tree;

/// Every `.html` file below `dir`, parsed, by relative path.
pub(crate) fn html_pages(dir: &Path) -> BTreeMap<String, scraper::Html> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| {
            (
                k,
                scraper::Html::parse_document(&String::from_utf8(v).unwrap()),
            )
        })
        .collect()
}

/// Parses one output page.
pub(crate) fn page(out: &Path, rel: &str) -> scraper::Html {
    let text = std::fs::read_to_string(out.join(rel))
        .unwrap_or_else(|e| panic!("cannot read page {rel}: {e}"));
    scraper::Html::parse_document(&text)
}

/// A CSS selector.
pub(crate) fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// The whitespace-normalised text of an element.
pub(crate) fn text_of(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of all elements matching `selector` in `doc`.
pub(crate) fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(text_of).collect()
}

/// Texts of all elements matching `selector` inside `el`.
pub(crate) fn texts_in(el: &scraper::ElementRef<'_>, selector: &str) -> Vec<String> {
    el.select(&sel(selector)).map(text_of).collect()
}
