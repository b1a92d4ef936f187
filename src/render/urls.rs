//! Where every page lives in the output, and relative links between pages (so the site opens
//! from file:// and from any sub-path).

use std::path::Path;

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

fn encode_keeping(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a raw site path for use in `href` (keeps `/` and unreserved characters;
/// a `#` in a file or folder name is encoded).
pub fn encode_path(path: &str) -> String {
    encode_keeping(path, b"/")
}

/// Percent-encodes a fragment (anchor) for use after `#`.
pub fn encode_fragment(anchor: &str) -> String {
    encode_keeping(anchor, b"")
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
}
