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

/// Output path of a section page.
pub fn section(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        "sections/index.html".to_string()
    } else {
        let parts: Vec<String> = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("sections/{}.html", parts.join("/"))
    }
}

/// Output path of a copied asset.
pub fn asset(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    format!("files/{}", parts.join("/"))
}

/// The prefix that leads from a page back to the site root (`""`, `"../"`, …).
pub fn root_prefix(page: &str) -> String {
    let path = page.split('#').next().unwrap_or(page);
    "../".repeat(path.matches('/').count())
}

/// Percent-encodes a site path for use in `href` (keeps `/`, `#` and unreserved characters).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/#".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The href from page `from` to site path `to`.
pub fn relative(from: &str, to: &str) -> String {
    format!("{}{}", root_prefix(from), encode(to))
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
        assert_eq!(encode("files/my file.pdf"), "files/my%20file.pdf");
        let c = Catalog::iso42001();
        assert_eq!(catalog(&c, "A.6.2"), "controls/index.html#A.6.2");
        assert_eq!(catalog(&c, "6.1.2"), "clauses/6.1.2.html");
        assert_eq!(section(Path::new("a/b")), "sections/a/b.html");
    }
}
