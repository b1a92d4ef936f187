//! The page table: every kind of page of the site, with its path, template, title, place in
//! the navigation, the disclosure it needs and what adds it. A new kind of page is one row
//! here (and its context in `context.rs`).

use crate::config::Disclosure;
use crate::model::catalog::EntryKind;
use crate::model::{DocIndex, Manual, SectionIndex};

use super::urls;

/// One page of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `index.html`.
    Home,
    /// `coverage.html`.
    Coverage,
    /// `soa.html`.
    Soa,
    /// `register.html`.
    Register,
    /// `required.html`.
    Required,
    /// `controls/index.html`.
    Controls,
    /// `clauses/index.html`.
    Clauses,
    /// A section page.
    Section(SectionIndex),
    /// A document page.
    Document(DocIndex),
    /// A control or clause page (index into `Catalog::entries`).
    Entry(usize),
    /// `frameworks/<id>/index.html`: an enabled framework (index into
    /// `Frameworks::enabled`).
    Framework(usize),
    /// An entry of an enabled framework.
    FrameworkEntry(crate::model::framework::EntryRef),
    /// `frameworks/iso27001/soa.html`: the Statement of Applicability of ISO/IEC 27001 Annex A
    /// (index into `Frameworks::enabled`).
    FrameworkSoa(usize),
    /// `frameworks/<id>/matrix.html`: an enabled framework's entries × the documents
    /// declaring them.
    FrameworkMatrix(usize),
    /// `frameworks/<id>/gaps.html`: an enabled framework's entries no document addresses.
    FrameworkGaps(usize),
    /// `crosswalk.html`: each ISO/IEC 42001 clause and control with the entries it maps to.
    Crosswalk,
    /// `404.html`.
    NotFound,
    /// `changes.html`: what changed since the previous version.
    Changes,
    /// `versions.html`: every version of the manual (the current manual of a versioned
    /// build only).
    Versions,
    /// `systems/index.html`: the AI systems of `systems.yaml`.
    Systems,
    /// `systems/<id>.html`: one AI system (index into the inventory).
    System(usize),
}

/// Every kind of page, one per row of [`TABLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The home page.
    Home,
    /// Coverage counts and matrices.
    Coverage,
    /// The Statement of Applicability.
    Soa,
    /// The document register.
    Register,
    /// The required documented information.
    Required,
    /// The index of Annex A controls.
    Controls,
    /// The index of clauses.
    Clauses,
    /// The page for unknown paths.
    NotFound,
    /// A section of the document tree.
    Section,
    /// A document.
    Document,
    /// An Annex A control or objective.
    Control,
    /// A clause.
    Clause,
    /// An enabled framework beside ISO/IEC 42001: its entries and who declares them.
    Framework,
    /// An entry of such a framework.
    FrameworkEntry,
    /// An enabled framework's entries × the documents declaring them.
    FrameworkMatrix,
    /// An enabled framework's entries without direct coverage.
    FrameworkGaps,
    /// ISO/IEC 42001 clauses and controls with their mapped entries in every framework.
    Crosswalk,
    /// The search results page.
    Search,
    /// The whole manual on one page, for printing.
    Print,
    /// What changed since the previous version.
    Changes,
    /// Every version of the manual.
    Versions,
    /// The Statement of Applicability of an enabled framework's Annex A (ISO/IEC 27001).
    FrameworkSoa,
    /// The AI system inventory.
    Systems,
    /// One AI system.
    System,
}

/// What puts a kind of page into a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Every manual has it (when its disclosure allows).
    Manual,
    /// Built from all the other pages: search and print.
    WholeSite,
    /// Added by the versions extension of a versioned build.
    Versions,
    /// Added when the AIMS enables frameworks beside ISO/IEC 42001 (see
    /// `render::framework_pages::pages`).
    Frameworks,
    /// Added when the AIMS has `systems.yaml`.
    Systems,
}

/// One row of the page table.
#[derive(Debug)]
pub struct Row {
    /// The kind of page.
    pub kind: Kind,
    /// Its path in the site (`None`: one page per item, see [`Page::path`]).
    pub path: Option<&'static str>,
    /// Its template.
    pub template: &'static str,
    /// Its title (`None`: the item's own, or the manual's for the home page).
    pub title: Option<&'static str>,
    /// Its place and label in the main navigation.
    pub nav: Option<(u8, &'static str)>,
    /// The least disclosure of the coverage analysis that shows it.
    pub needs: Disclosure,
    /// What a search for it matches (fixed pages worth finding by name).
    pub search: Option<&'static str>,
    /// What adds it to a site.
    pub part: Part,
}

const fn row(kind: Kind, path: &'static str, template: &'static str, title: &'static str) -> Row {
    Row {
        kind,
        path: Some(path),
        template,
        title: Some(title),
        nav: None,
        needs: Disclosure::None,
        search: None,
        part: Part::Manual,
    }
}

const fn per_item(kind: Kind, template: &'static str) -> Row {
    Row {
        path: None,
        title: None,
        ..row(kind, "", template, "")
    }
}

/// Every kind of page, the fixed pages of a manual in site order first.
pub const TABLE: &[Row] = &[
    Row {
        title: None,
        nav: Some((0, "Home")),
        ..row(Kind::Home, "index.html", "index.html", "")
    },
    Row {
        nav: Some((1, "Coverage")),
        needs: Disclosure::Counts,
        search: Some("coverage of Annex A controls and clauses by documents, gaps, matrices"),
        ..row(Kind::Coverage, "coverage.html", "coverage.html", "Coverage")
    },
    Row {
        nav: Some((2, "Statement of Applicability")),
        needs: Disclosure::Full,
        search: Some(
            "SoA clause 6.1.3 applicable excluded justification implementation of every control",
        ),
        ..row(
            Kind::Soa,
            "soa.html",
            "soa.html",
            "Statement of Applicability",
        )
    },
    Row {
        nav: Some((4, "Required documents")),
        needs: Disclosure::Counts,
        search: Some("documents the standard requires and the documents that provide them"),
        ..row(
            Kind::Required,
            "required.html",
            "required.html",
            "Required documented information",
        )
    },
    Row {
        nav: Some((3, "Document register")),
        search: Some(
            "documented information clause 7.5 version owner approver review date classification",
        ),
        ..row(
            Kind::Register,
            "register.html",
            "register.html",
            "Document register",
        )
    },
    Row {
        nav: Some((5, "Annex A controls")),
        search: Some("all 38 controls by objective"),
        ..row(
            Kind::Controls,
            "controls/index.html",
            "controls.html",
            "Annex A controls",
        )
    },
    Row {
        nav: Some((6, "Clauses")),
        search: Some("clauses 4 to 10 of ISO/IEC 42001"),
        ..row(
            Kind::Clauses,
            "clauses/index.html",
            "clauses.html",
            "Clauses",
        )
    },
    row(Kind::NotFound, "404.html", "404.html", "Page not found"),
    per_item(Kind::Section, "section.html"),
    per_item(Kind::Document, "document.html"),
    per_item(Kind::Control, "control.html"),
    per_item(Kind::Clause, "clause.html"),
    per_item(Kind::Framework, "framework.html"),
    per_item(Kind::FrameworkEntry, "framework_entry.html"),
    Row {
        needs: Disclosure::Full,
        part: Part::Frameworks,
        ..per_item(Kind::FrameworkMatrix, "framework_matrix.html")
    },
    Row {
        needs: Disclosure::Counts,
        part: Part::Frameworks,
        ..per_item(Kind::FrameworkGaps, "framework_gaps.html")
    },
    Row {
        needs: Disclosure::Counts,
        part: Part::Frameworks,
        search: Some(
            "crosswalk mapping of ISO/IEC 42001 clauses and controls to ISO/IEC 27001, the EU AI Act, the NIST AI RMF and other frameworks",
        ),
        ..row(
            Kind::Crosswalk,
            "crosswalk.html",
            "crosswalk.html",
            "Crosswalk from ISO/IEC 42001",
        )
    },
    Row {
        part: Part::WholeSite,
        ..row(Kind::Search, "search.html", "search.html", "Search")
    },
    Row {
        part: Part::WholeSite,
        title: None,
        ..row(Kind::Print, "print.html", "print.html", "")
    },
    Row {
        part: Part::Versions,
        ..row(Kind::Changes, "changes.html", "changes.html", "Changes")
    },
    Row {
        part: Part::Versions,
        ..row(Kind::Versions, "versions.html", "versions.html", "Versions")
    },
    Row {
        needs: Disclosure::Full,
        ..per_item(Kind::FrameworkSoa, "framework_soa.html")
    },
    Row {
        part: Part::Systems,
        nav: Some((7, "AI systems")),
        search: Some("AI system inventory clause 4.3 scope risk class role evidence per system"),
        ..row(
            Kind::Systems,
            "systems/index.html",
            "systems.html",
            "AI systems",
        )
    },
    Row {
        part: Part::Systems,
        ..per_item(Kind::System, "system.html")
    },
];

impl Kind {
    /// Its row of the page table (every kind has exactly one; a unit test checks it).
    pub const fn row(self) -> &'static Row {
        let mut i = 0;
        while i < TABLE.len() {
            if TABLE[i].kind as u8 == self as u8 {
                return &TABLE[i];
            }
            i += 1;
        }
        &TABLE[0]
    }

    /// The path of a kind with one page per site (`""` for kinds with a page per item).
    pub const fn path(self) -> &'static str {
        match self.row().path {
            Some(p) => p,
            None => "",
        }
    }
}

impl Row {
    /// Whether a site disclosing `d` of the coverage analysis has this page.
    pub fn shown(&self, d: Disclosure) -> bool {
        let rank = |d: Disclosure| match d {
            Disclosure::None => 0,
            Disclosure::Counts => 1,
            Disclosure::Full => 2,
        };
        rank(d) >= rank(self.needs)
    }

    /// The page of a fixed kind.
    fn page(&self) -> Option<Page> {
        Some(match self.kind {
            Kind::Home => Page::Home,
            Kind::Coverage => Page::Coverage,
            Kind::Soa => Page::Soa,
            Kind::Register => Page::Register,
            Kind::Required => Page::Required,
            Kind::Controls => Page::Controls,
            Kind::Clauses => Page::Clauses,
            Kind::NotFound => Page::NotFound,
            Kind::Changes => Page::Changes,
            Kind::Versions => Page::Versions,
            Kind::Systems => Page::Systems,
            _ => return None,
        })
    }
}

/// A link of the main navigation.
#[derive(Debug, serde::Serialize)]
pub struct NavLink {
    /// What it says.
    pub title: &'static str,
    /// The page, from the site root.
    pub url: &'static str,
}

/// The main navigation of a site disclosing `d`, in order.
pub fn nav_links(d: Disclosure) -> Vec<NavLink> {
    nav_links_with(d, false)
}

/// [`nav_links`], with the AI systems when the AIMS has `systems.yaml`.
pub fn nav_links_with(d: Disclosure, systems: bool) -> Vec<NavLink> {
    let mut rows: Vec<(u8, NavLink)> = TABLE
        .iter()
        .filter(|r| r.shown(d) && (systems || r.part != Part::Systems))
        .filter_map(|r| {
            let (place, title) = r.nav?;
            Some((
                place,
                NavLink {
                    title,
                    url: r.path?,
                },
            ))
        })
        .collect();
    rows.sort_by_key(|(place, _)| *place);
    rows.into_iter().map(|(_, l)| l).collect()
}

impl Page {
    /// Its kind.
    pub fn kind(&self, manual: &Manual) -> Kind {
        match self {
            Page::Home => Kind::Home,
            Page::Coverage => Kind::Coverage,
            Page::Soa => Kind::Soa,
            Page::Register => Kind::Register,
            Page::Required => Kind::Required,
            Page::Controls => Kind::Controls,
            Page::Clauses => Kind::Clauses,
            Page::Section(_) => Kind::Section,
            Page::Document(_) => Kind::Document,
            Page::Entry(e) => match manual.catalog.entries[*e].kind {
                EntryKind::Control => Kind::Control,
                _ => Kind::Clause,
            },
            Page::Framework(_) => Kind::Framework,
            Page::FrameworkEntry(_) => Kind::FrameworkEntry,
            Page::FrameworkSoa(_) => Kind::FrameworkSoa,
            Page::FrameworkMatrix(_) => Kind::FrameworkMatrix,
            Page::FrameworkGaps(_) => Kind::FrameworkGaps,
            Page::Crosswalk => Kind::Crosswalk,
            Page::NotFound => Kind::NotFound,
            Page::Changes => Kind::Changes,
            Page::Versions => Kind::Versions,
            Page::Systems => Kind::Systems,
            Page::System(_) => Kind::System,
        }
    }

    /// Output path.
    pub fn path(&self, manual: &Manual) -> String {
        match self {
            Page::Section(s) => urls::section(&manual.section(*s).path),
            Page::Document(d) => urls::document(manual.doc(*d).meta.id.as_str()),
            Page::Entry(e) => {
                urls::catalog(&manual.catalog, manual.catalog.entries[*e].id.as_str())
            }
            Page::Framework(f) => manual.frameworks.enabled[*f].index_path(),
            Page::FrameworkEntry(e) => urls::framework_entry(manual, *e),
            Page::FrameworkSoa(f) => manual.frameworks.enabled[*f].soa_path(),
            Page::FrameworkMatrix(f) => {
                format!("{}/matrix.html", manual.frameworks.enabled[*f].dir())
            }
            Page::FrameworkGaps(f) => format!("{}/gaps.html", manual.frameworks.enabled[*f].dir()),
            Page::System(k) => urls::system_at(manual, *k),
            p => p.kind(manual).path().to_string(),
        }
    }

    /// Its template.
    pub fn template(&self, manual: &Manual) -> &'static str {
        self.kind(manual).row().template
    }
}

/// The fixed pages of a manual disclosing `d`, in site order.
pub fn fixed(d: Disclosure) -> impl Iterator<Item = Page> {
    TABLE
        .iter()
        .filter(move |r| r.part == Part::Manual && r.shown(d))
        .filter_map(Row::page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row_and_paths_are_unique() {
        let kinds = [
            Kind::Home,
            Kind::Coverage,
            Kind::Soa,
            Kind::Register,
            Kind::Required,
            Kind::Controls,
            Kind::Clauses,
            Kind::NotFound,
            Kind::Section,
            Kind::Document,
            Kind::Control,
            Kind::Clause,
            Kind::Framework,
            Kind::FrameworkEntry,
            Kind::FrameworkMatrix,
            Kind::FrameworkGaps,
            Kind::Crosswalk,
            Kind::Search,
            Kind::Print,
            Kind::Changes,
            Kind::Versions,
            Kind::FrameworkSoa,
            Kind::Systems,
            Kind::System,
        ];
        assert_eq!(TABLE.len(), kinds.len());
        for k in kinds {
            assert_eq!(TABLE.iter().filter(|r| r.kind == k).count(), 1, "{k:?}");
        }
        let mut paths: Vec<&str> = TABLE.iter().filter_map(|r| r.path).collect();
        let n = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), n);
    }

    #[test]
    fn navigation_follows_the_disclosure() {
        let urls = |d| nav_links(d).iter().map(|l| l.url).collect::<Vec<_>>();
        assert_eq!(
            urls(Disclosure::Full),
            [
                "index.html",
                "coverage.html",
                "soa.html",
                "register.html",
                "required.html",
                "controls/index.html",
                "clauses/index.html"
            ]
        );
        assert!(!urls(Disclosure::Counts).contains(&"soa.html"));
        assert_eq!(
            urls(Disclosure::None),
            [
                "index.html",
                "register.html",
                "controls/index.html",
                "clauses/index.html"
            ]
        );
    }

    #[test]
    fn fixed_pages_in_site_order() {
        let full: Vec<Page> = fixed(Disclosure::Full).collect();
        assert_eq!(
            full,
            [
                Page::Home,
                Page::Coverage,
                Page::Soa,
                Page::Required,
                Page::Register,
                Page::Controls,
                Page::Clauses,
                Page::NotFound
            ]
        );
        let none: Vec<Page> = fixed(Disclosure::None).collect();
        assert_eq!(
            none,
            [
                Page::Home,
                Page::Register,
                Page::Controls,
                Page::Clauses,
                Page::NotFound
            ]
        );
    }
}
