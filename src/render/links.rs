//! Filling a document's reference placeholders: each resolved link becomes an href relative
//! to the page, and each `[[id]]` an element with the target's title.

use crate::markdown::{escape_attr, fill_placeholders, Fill, RefTarget};
use crate::model::{DocIndex, Manual};
use crate::resolve::{Link, Resolved};

use super::urls;

/// The href for one resolved link, from page `from`.
pub(crate) fn link_href(manual: &Manual, from: &str, link: &Link) -> String {
    let with_anchor = |base: String, anchor: &Option<String>| match anchor {
        Some(a) => format!("{base}#{}", urls::encode_fragment(a)),
        None => base,
    };
    match link {
        Link::Doc { doc, anchor } => with_anchor(
            urls::relative(from, &urls::document(manual.doc(*doc).meta.id.as_str())),
            anchor,
        ),
        Link::Catalog { id, anchor } => with_anchor(
            urls::relative(from, &urls::catalog(&manual.catalog, id.as_str())),
            anchor,
        ),
        Link::Asset { path, anchor } => {
            with_anchor(urls::relative(from, &urls::asset_href(path)), anchor)
        }
        Link::SelfAnchor(a) => format!("#{}", urls::encode_fragment(a)),
        Link::Framework(e) => urls::relative(from, &urls::framework_entry(manual, *e)),
        Link::System(k) => urls::relative(from, &urls::system_at(manual, *k)),
        Link::Broken | Link::Withheld => "#".into(),
    }
}

/// What a reference to a withheld document becomes: neither its title nor its id, nor the
/// author's link text, but words that read in a sentence, marked and explained.
pub const WITHHELD_HTML: &str = "<span class=\"withheld\" title=\"This document is not published in this edition\">internal document <span class=\"withheld-note\">(not published)</span></span>";

/// The body of document `d` with every reference filled in, for a page at `from`.
pub fn body_html(manual: &Manual, resolved: &Resolved, d: DocIndex, from: &str) -> String {
    let html = &manual.doc(d).body.html;
    body_html_with(manual, resolved, d, html, |link| {
        link_href(manual, from, link)
    })
}

/// The body of document `d` from its pre-rendered `html` (the Markdown pass's, or a variant
/// of it), with every reference filled in and each link's href given by `href_of`.
pub(crate) fn body_html_with(
    manual: &Manual,
    resolved: &Resolved,
    d: DocIndex,
    html: &str,
    href_of: impl Fn(&Link) -> String,
) -> String {
    let doc = manual.doc(d);
    let withheld = |k: usize| {
        matches!(resolved.links[d].get(k), Some(Link::Withheld)).then(|| WITHHELD_HTML.to_string())
    };
    fill_placeholders(
        html,
        |k| {
            let (Some(reference), Some(link)) = (doc.body.refs.get(k), resolved.links[d].get(k))
            else {
                return String::new();
            };
            let href = href_of(link);
            match reference.fill {
                Fill::Href => href,
                Fill::Element => {
                    let written = match &reference.target {
                        RefTarget::Wiki { id, .. } => id.as_str(),
                        _ => "",
                    };
                    element_html(manual, link, &href, None, written)
                }
            }
        },
        withheld,
    )
}

/// The element a `[[id]]` becomes: a link with the target's title (or `label`), the
/// withheld text, or the id as `written`, struck out, when it could not be resolved.
pub(crate) fn element_html(
    manual: &Manual,
    link: &Link,
    href: &str,
    label: Option<&str>,
    written: &str,
) -> String {
    match link {
        Link::Doc { doc: t, .. } => format!(
            "<a class=\"xref xref-doc\" href=\"{href}\">{}</a>",
            escape_attr(label.unwrap_or(&manual.doc(*t).meta.title))
        ),
        Link::Catalog { id, .. } => {
            let text = match label {
                Some(l) => escape_attr(l),
                None => {
                    let title = manual
                        .catalog
                        .get(id.as_str())
                        .map_or("", |e| e.title.as_str());
                    format!("{} {}", escape_attr(id.as_str()), escape_attr(title))
                }
            };
            format!("<a class=\"xref xref-catalog\" href=\"{href}\">{text}</a>")
        }
        Link::Framework(e) => {
            let (f, entry) = manual.frameworks.entry(*e);
            let text = match label {
                Some(l) => escape_attr(l),
                None => format!(
                    "{} {} {}",
                    escape_attr(&f.name),
                    escape_attr(&entry.id),
                    escape_attr(&entry.title)
                ),
            };
            format!("<a class=\"xref xref-framework\" href=\"{href}\">{text}</a>")
        }
        Link::System(k) => {
            let name = manual
                .systems
                .as_ref()
                .and_then(|s| s.list.get(*k))
                .map_or("", |s| s.name.as_str());
            format!(
                "<a class=\"xref xref-system\" href=\"{href}\">{}</a>",
                escape_attr(label.unwrap_or(name))
            )
        }
        Link::Withheld => WITHHELD_HTML.to_string(),
        _ => format!(
            "<span class=\"xref-broken\">{}</span>",
            escape_attr(written)
        ),
    }
}
