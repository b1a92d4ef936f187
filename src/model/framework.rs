//! Frameworks beside ISO/IEC 42001: a catalog per framework (ISO/IEC 27001, the EU AI Act,
//! the NIST AI RMF built in, and a team's own `frameworks/<id>.yaml`), all in one format —
//! `framework: {id, name, version}` and `entries: [{id, kind, parent, title, summary}]`.
//! Reading a catalog, with a diagnostic for every problem, is the load stage's job
//! (`load::frameworks`).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The catalogs built into aimsdoc: id and YAML text, embedded from `catalogs/frameworks/`.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "iso27001",
        include_str!("../../catalogs/frameworks/iso27001.yaml"),
    ),
    (
        "eu-ai-act",
        include_str!("../../catalogs/frameworks/eu-ai-act.yaml"),
    ),
    (
        "nist-ai-rmf",
        include_str!("../../catalogs/frameworks/nist-ai-rmf.yaml"),
    ),
];

/// The folder of a team's own catalogs in the AIMS root.
pub const FRAMEWORKS_DIR: &str = "frameworks";

/// One requirement, control, article or other entry of a framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkEntry {
    /// Its id as the framework writes it (`A.5.1`, `Art. 9`, `GOVERN 1.1`).
    pub id: String,
    /// What kind of entry (`control`, `article`, …; free text).
    pub kind: Option<String>,
    /// The id of its parent entry.
    pub parent: Option<String>,
    /// Its heading.
    pub title: String,
    /// A short summary.
    pub summary: Option<String>,
}

/// One framework's catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framework {
    /// Its id, as `aims.toml` and front matter name it (`iso27001`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Version, as written.
    pub version: Option<String>,
    /// Where it comes from: `None` when built in, else the catalog file in the AIMS.
    pub file: Option<PathBuf>,
    /// Entries in catalog order.
    pub entries: Vec<FrameworkEntry>,
    by_id: HashMap<String, usize>,
    /// Per entry: the file name of its page (without `.html`), unique ignoring case.
    slugs: Vec<String>,
}

/// An id as a file name: letters, digits, `.`, `_` and `-` kept, anything else `-`.
pub fn slug(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    match s.strip_prefix('.') {
        Some(rest) => format!("-{rest}"),
        None => s,
    }
}

impl Framework {
    /// A framework of `entries` (ids unique; later duplicates are not looked up).
    pub fn new(
        id: String,
        name: String,
        version: Option<String>,
        file: Option<PathBuf>,
        entries: Vec<FrameworkEntry>,
    ) -> Framework {
        let mut by_id = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            by_id.entry(e.id.clone()).or_insert(i);
        }
        // `index`, `matrix` and `gaps` are the framework's own pages, `soa` its Statement of
        // Applicability.
        let mut taken: std::collections::HashSet<String> =
            ["index", "matrix", "gaps", "soa"].map(String::from).into();
        let slugs = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut s = slug(&e.id);
                if !taken.insert(s.to_ascii_lowercase()) {
                    s = format!("{s}-{}", i + 1);
                    taken.insert(s.to_ascii_lowercase());
                }
                s
            })
            .collect();
        Framework {
            slugs,
            id,
            name,
            version,
            file,
            entries,
            by_id,
        }
    }

    /// The index of the entry with exactly this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// How many ancestors entry `i` has (its parents' chain, cut at the number of entries so
    /// that a catalog whose parents go round in a circle still gives an answer).
    pub fn depth(&self, mut i: usize) -> usize {
        let mut d = 0;
        while let Some(p) = self.entries[i]
            .parent
            .as_deref()
            .and_then(|p| self.index_of(p))
        {
            d += 1;
            i = p;
            if d > self.entries.len() {
                break;
            }
        }
        d
    }

    /// The entry with exactly this id.
    pub fn get(&self, id: &str) -> Option<&FrameworkEntry> {
        self.index_of(id).map(|i| &self.entries[i])
    }

    /// The folder of its pages in the site (`frameworks/iso27001`).
    pub fn dir(&self) -> String {
        format!("frameworks/{}", slug(&self.id))
    }

    /// The path of its index page in the site.
    pub fn index_path(&self) -> String {
        format!("{}/index.html", self.dir())
    }

    /// The path of its Statement of Applicability page in the site (ISO/IEC 27001 only).
    pub fn soa_path(&self) -> String {
        format!("{}/soa.html", self.dir())
    }

    /// The path of the page of entry `i` in the site.
    pub fn entry_path(&self, i: usize) -> String {
        format!("{}/{}.html", self.dir(), self.slugs[i])
    }

    /// The entry ids, in catalog order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.id.as_str())
    }
}

/// The frameworks of one AIMS: those `aims.toml` enables (in its order), and the ids of
/// every catalog there is (built in or the team's own), enabled or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frameworks {
    /// The enabled frameworks, in the order `aims.toml` lists them.
    pub enabled: Vec<Framework>,
    /// Every framework that has a catalog, by id: whether it is enabled.
    pub available: BTreeMap<String, bool>,
    /// The crosswalks from ISO/IEC 42001 to enabled frameworks, in the order of
    /// [`Frameworks::enabled`] (a framework without one has none).
    pub crosswalks: Vec<crate::model::crosswalk::Crosswalk>,
}

/// An entry of an enabled framework: indexes into [`Frameworks::enabled`] and its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryRef {
    /// The framework.
    pub framework: usize,
    /// The entry.
    pub entry: usize,
}

impl Frameworks {
    /// The enabled framework with this id, with its index.
    pub fn find(&self, id: &str) -> Option<(usize, &Framework)> {
        self.enabled.iter().enumerate().find(|(_, f)| f.id == id)
    }

    /// The framework and entry an [`EntryRef`] names.
    pub fn entry(&self, r: EntryRef) -> (&Framework, &FrameworkEntry) {
        let f = &self.enabled[r.framework];
        (f, &f.entries[r.entry])
    }

    /// The crosswalk from ISO/IEC 42001 to the enabled framework `id`.
    pub fn crosswalk(&self, id: &str) -> Option<&crate::model::crosswalk::Crosswalk> {
        self.crosswalks.iter().find(|c| c.framework == id)
    }

    /// Whether a catalog for `id` exists, enabled or not.
    pub fn has_catalog(&self, id: &str) -> bool {
        self.available.contains_key(id)
    }
}
