//! Where every page lives in the output, and relative links between pages (so the site opens
//! from file:// and from any sub-path).

use std::path::Path;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::model::catalog::{Catalog, EntryKind};

/// Output path of a document page.
pub fn document(id: &str) -> String {
    format!("documents/{id}.html")
}

/// Output path of a catalog entry's page. Objectives and groups are anchors on the controls
/// index; top-level clauses have pages like every other clause.
pub fn catalog(catalog: &Catalog, id: &str) -> String {
    match catalog.get(id).map(|e| e.kind) {
        Some(EntryKind::Control) => format!("controls/{id}.html"),
        Some(EntryKind::Objective | EntryKind::Group) => format!("controls/index.html#{id}"),
        _ => format!("clauses/{id}.html"),
    }
}

/// Output path of the page of an entry of another framework.
pub fn framework_entry(m: &crate::model::Manual, e: crate::model::framework::EntryRef) -> String {
    m.frameworks.enabled[e.framework].entry_path(e.entry)
}

/// Output path of the AI systems index.
pub const SYSTEMS: &str = "systems/index.html";

/// Output path of an AI system's page.
pub fn system(id: &str) -> String {
    format!("systems/{id}.html")
}

/// Output path of the page of the AI system at `k` in the inventory.
pub fn system_at(m: &crate::model::Manual, k: usize) -> String {
    match m.systems.as_ref().and_then(|s| s.list.get(k)) {
        Some(s) => system(s.id.as_str()),
        None => SYSTEMS.to_string(),
    }
}

/// Output path of the page listing all documents (the root section).
pub const DOCUMENTS: &str = "documents.html";

/// Output path of a section page (raw: use [`section_href`] in links).
pub fn section(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        DOCUMENTS.to_string()
    } else {
        let parts: Vec<String> = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("sections/{}.html", parts.join("/"))
    }
}

/// Site-relative href of a section page.
pub fn section_href(path: &Path) -> String {
    encode_path(&section(path))
}

/// Site-relative href of a copied asset.
pub fn asset_href(path: &Path) -> String {
    encode_path(&asset(path))
}

/// Output path of a copied asset (raw: use [`asset_href`] in links).
pub fn asset(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("files/{}", parts.join("/"))
}

/// The prefix that leads from a page (its raw output path) back to the site root (`""`,
/// `"../"`, …).
pub fn root_prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// What [`encode_fragment`] leaves as it is: ASCII letters and digits and the unreserved
/// marks `-._~` (RFC 3986). Every other byte, non-ASCII ones included, becomes `%XX`.
const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What [`encode_path`] leaves as it is: as [`FRAGMENT`], and the `/` between segments.
const PATH: &AsciiSet = &FRAGMENT.remove(b'/');

/// Percent-encodes a raw site path for use in `href` (keeps `/` and unreserved characters;
/// a `#` in a file or folder name is encoded).
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// Percent-encodes a fragment (anchor) for use after `#`.
pub fn encode_fragment(anchor: &str) -> String {
    utf8_percent_encode(anchor, FRAGMENT).to_string()
}

/// The href from page `from` (a raw output path) to `href` (a site-relative href, already
/// encoded, possibly with a fragment).
pub fn relative(from: &str, href: &str) -> String {
    format!("{}{href}", root_prefix(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        assert_eq!(
            relative("index.html", "documents/X.html"),
            "documents/X.html"
        );
        assert_eq!(
            relative("documents/X.html", "controls/A.2.2.html"),
            "../controls/A.2.2.html"
        );
        assert_eq!(
            relative("sections/a/b.html", "index.html"),
            "../../index.html"
        );
        assert_eq!(
            encode_path("files/my file #1.pdf"),
            "files/my%20file%20%231.pdf"
        );
        assert_eq!(
            section_href(Path::new("r&d #1")),
            "sections/r%26d%20%231.html"
        );
        assert_eq!(section(Path::new("")), "documents.html");
        let c = Catalog::iso42001();
        assert_eq!(catalog(&c, "A.6.2"), "controls/index.html#A.6.2");
        assert_eq!(catalog(&c, "6.1.2"), "clauses/6.1.2.html");
        assert_eq!(section(Path::new("a/b")), "sections/a/b.html");
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        let tricky = "a b#c?d%e~f_g.h-i/j";
        assert_eq!(encode_path(tricky), "a%20b%23c%3Fd%25e~f_g.h-i/j");
        assert_eq!(encode_fragment(tricky), "a%20b%23c%3Fd%25e~f_g.h-i%2Fj");
        assert_eq!(encode_path("é→😀"), "%C3%A9%E2%86%92%F0%9F%98%80");
        assert_eq!(
            encode_fragment("[x]:@!$'()*+,;=&"),
            "%5Bx%5D%3A%40%21%24%27%28%29%2A%2B%2C%3B%3D%26"
        );
        assert_eq!(
            encode_path("\u{0}\u{7f}\t\"<>\\^`{|}"),
            "%00%7F%09%22%3C%3E%5C%5E%60%7B%7C%7D"
        );
        assert_eq!(encode_path("AZaz09"), "AZaz09");
    }
}
