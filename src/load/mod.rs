//! The load stage: read `aims.toml`, `soa.yaml` (`soa`) and the framework catalogs
//! (`frameworks`), walk the tree, read every document once, split its front matter
//! (`frontmatter`), type and check it (`meta`) and run the Markdown pass — in parallel.

pub mod boundary;
pub mod crosswalks;
pub mod expectations;
pub mod frameworks;
pub mod frontmatter;
pub mod loader;
mod locator;
pub mod memory;
pub mod meta;
pub mod soa;
pub mod source;
pub mod stamps;
pub mod systems;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{code, Diagnostic, Span};
use crate::markdown;
use crate::model::{soa::SOA_FILE, Catalog, Document, Manual, Section, SectionIndex, Soa};
pub use boundary::{Boundary, Escape};
pub use loader::{DocumentLoader, Uncached};
pub use memory::MemorySource;
pub use source::{FsSource, Listing, PathFilter, Source};
pub use stamps::StampCache;

/// Files larger than this are not read as documents.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Why loading could not even start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No `aims.toml` at the root.
    #[error("no aims.toml in {0}: is this the root of an AIMS? (`aimsdoc init` creates one)")]
    NoConfig(PathBuf),
    /// `aims.toml` could not be read.
    #[error("cannot read {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// Loads the manual. Returns `Ok(None)` when `aims.toml` has errors (reported in `diags`).
pub fn load(
    source: &dyn Source,
    root_display: &Path,
    skip_dirs: Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Manual>, LoadError> {
    load_with(source, root_display, skip_dirs, &Uncached, diags)
}

/// [`load`], reading each document through `loader` (given the relative path), so that a
/// caller such as `aimsdoc serve` can reuse the documents of unchanged files. The loader must
/// behave like [`load_document`]: same document, same diagnostics.
pub fn load_with(
    source: &dyn Source,
    root_display: &Path,
    skip_dirs: Vec<PathBuf>,
    loader: &dyn DocumentLoader,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Manual>, LoadError> {
    if let Some(e) = source.escape(Path::new(CONFIG_FILE)) {
        diags.push(e.diagnostic(Span::file(CONFIG_FILE), &e.link));
        return Ok(None);
    }
    let config_text = match source.read(Path::new(CONFIG_FILE)) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(LoadError::NoConfig(root_display.to_path_buf()))
        }
        Err(e) => return Err(LoadError::Io(root_display.join(CONFIG_FILE), e)),
    };
    let Some(config) = Config::parse(&config_text, diags) else {
        return Ok(None);
    };
    let catalog = Catalog::iso42001();
    let mut skip = skip_dirs;
    skip.push(PathBuf::from("templates"));
    skip.push(PathBuf::from("static"));
    let filter = PathFilter::new(&config.exclude, skip);
    let Listing { files, outside } = source.files(&filter, diags);
    let outside = report_outside(outside, diags);
    let mut frameworks = frameworks::load(source, &files, &config, diags);
    frameworks.crosswalks = crosswalks::load(source, &files, &frameworks, &catalog, diags);

    let mut soa = match source.escape(Path::new(SOA_FILE)) {
        Some(e) => {
            diags.push(e.diagnostic(Span::file(SOA_FILE), &e.link));
            Soa::default()
        }
        None => {
            let text = source
                .read(Path::new(SOA_FILE))
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            Soa::parse(text.as_deref(), &catalog, &frameworks, diags)
        }
    };

    let expected = expectations::expectations(&config.systems, &catalog, diags);
    let systems = read_systems(source, diags).map(|mut s| {
        s.expectations = expected;
        s
    });

    let (md, other): (Vec<&PathBuf>, Vec<&PathBuf>) = files.iter().partition(|p| is_markdown(p));
    let assets: BTreeSet<PathBuf> = other.into_iter().cloned().collect();

    let results: Vec<(Option<Document>, Vec<Diagnostic>)> = md
        .par_iter()
        .map(|path| {
            let mut d = Vec::new();
            let doc = loader.load(source, path, &catalog, &mut d);
            (doc, d)
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for (doc, d) in results {
        diags.extend(d);
        documents.extend(doc);
    }

    // A missing review date follows from the approval date and the AIMS's review interval,
    // for documents and for the SoA alike.
    if let Some(interval) = config.review_interval {
        for d in &mut documents {
            let span = d.meta.span_of("approved");
            review_after(interval, d.meta.approved, &mut d.meta.review, span, diags);
        }
        let span = soa.controlled().span_of("approved");
        review_after(
            interval,
            soa.meta.approved,
            &mut soa.meta.review,
            span,
            diags,
        );
    }
    let sections = build_sections(source, &mut documents, diags);
    Ok(Some(Manual {
        config,
        catalog,
        frameworks,
        documents,
        sections,
        soa,
        systems,
        assets,
        outside,
    }))
}

/// The inventory of `systems.yaml`, when the AIMS has one.
pub fn read_systems(
    source: &dyn Source,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::model::system::Systems> {
    let path = Path::new(crate::model::system::SYSTEMS_FILE);
    if let Some(e) = source.escape(path) {
        diags.push(e.diagnostic(Span::file(path), &e.link));
        return None;
    }
    let text = source
        .read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    systems::parse(text.as_deref(), diags)
}

/// Sets a missing `review` to `interval` after `approved`; an error at `span` (the approval
/// date) when that is past the last date there is.
fn review_after(
    interval: crate::date::Interval,
    approved: Option<crate::date::Date>,
    review: &mut Option<crate::date::Date>,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(approved) = approved.filter(|_| review.is_none()) else {
        return;
    };
    *review = interval.after(approved);
    if review.is_none() {
        diags.push(
            Diagnostic::error(
                code::INVALID_DATE,
                span,
                format!(
                    "`approved: {approved}` plus review_interval ({interval}) is after 9999-12-31"
                ),
            )
            .with_suggestion("check the approval date, or give the document a `review` date"),
        );
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Reports the links of the walk that lead outside where they would have been read: a
/// folder (it would have been walked) or a `.md` file (it would have been a document), at
/// the link. The others are read only when a document links to them, so they are kept to be
/// reported at each such link.
fn report_outside(
    outside: Vec<boundary::Escape>,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<PathBuf, boundary::Escape> {
    let mut kept = BTreeMap::new();
    for e in outside {
        if e.is_dir || is_markdown(&e.link) {
            diags.push(e.diagnostic(Span::file(&e.link), &e.link));
        }
        kept.insert(e.link.clone(), e);
    }
    kept
}

/// Reads and parses one document; `None` when it is not a document or unusable.
pub fn load_document(
    source: &dyn Source,
    path: &Path,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let bytes = read_reported(source, path, diags)?;
    parse_document(bytes, path, catalog, diags)
}

/// The bytes of the file at `path`, or `None` with an I/O error diagnostic naming it.
pub(crate) fn read_reported(
    source: &dyn Source,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<u8>> {
    match source.read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            diags.push(Diagnostic::error(
                code::IO_ERROR,
                Span::file(path),
                format!("cannot read {}: {e}", path.display()),
            ));
            None
        }
    }
}

/// Parses one document from the bytes of the file at `path` (see [`load_document`]).
pub fn parse_document(
    bytes: Vec<u8>,
    path: &Path,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<Document> {
    if bytes.len() > MAX_FILE_BYTES {
        diags.push(
            Diagnostic::error(
                code::FILE_TOO_LARGE,
                Span::file(path),
                format!(
                    "{} is {} MB; documents larger than {} MB are not read",
                    path.display(),
                    bytes.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .with_suggestion(
                "split it into several documents, or add its path to `exclude` in aims.toml",
            ),
        );
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            diags.push(
                Diagnostic::error(
                    code::NOT_UTF8,
                    Span::file(path),
                    format!(
                        "{} is not UTF-8 text (invalid byte at offset {at})",
                        path.display()
                    ),
                )
                .with_suggestion(
                    "save the file as UTF-8, or exclude it in aims.toml if it is not a document",
                ),
            );
            return None;
        }
    };
    let split = match frontmatter::split(&text) {
        frontmatter::SplitResult::Found(s) => s,
        frontmatter::SplitResult::None => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !name.eq_ignore_ascii_case("README.md") {
                diags.push(
                    Diagnostic::warning(
                        code::NO_FRONT_MATTER,
                        Span::file(path),
                        format!("{} has no front matter, so it is not a document", path.display()),
                    )
                    .with_suggestion("start the file with `---`, `id: ...`, `title: ...`, `---`, or exclude it in aims.toml"),
                );
            }
            return None;
        }
        frontmatter::SplitResult::Unterminated => {
            let first = frontmatter::bom_len(&text);
            diags.push(
                Diagnostic::error(
                    code::UNTERMINATED_FRONT_MATTER,
                    Span::at(path, &text, first..first + 3),
                    "front matter starts here but is never closed",
                )
                .with_suggestion("add a line with `---` after the last front-matter field"),
            );
            return None;
        }
    };
    let meta = meta::parse(path, &text, &split, catalog, diags)?;
    let body = markdown::render(split.body);
    diags.extend(crate::hygiene::load_diagnostics(
        path,
        &text,
        split.body_offset,
        &body.findings,
    ));
    Some(Document {
        path: path.to_path_buf(),
        meta,
        body,
        body_offset: split.body_offset,
        section: SectionIndex::ROOT,
    })
}

/// Title-cases a folder name: `ai-risk_docs` → `Ai Risk Docs`.
pub fn title_case(name: &str) -> String {
    name.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionToml {
    title: Option<String>,
    order: Option<i64>,
}

/// Builds the navigation sections of `documents` (their folders and the folders' ancestors),
/// reading each folder's `_section.toml`, and sets each document's section.
pub fn build_sections(
    source: &dyn Source,
    documents: &mut [Document],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    folders.insert(PathBuf::new());
    for d in documents.iter() {
        let mut p = d.path.parent();
        while let Some(dir) = p {
            folders.insert(dir.to_path_buf());
            p = dir.parent();
        }
    }
    let mut index: BTreeMap<PathBuf, SectionIndex> = BTreeMap::new();
    let mut sections = Vec::with_capacity(folders.len());
    for folder in folders {
        let toml_path = folder.join("_section.toml");
        let mut title = None;
        let mut order = None;
        if let Some(e) = source.escape(&toml_path) {
            diags.push(e.diagnostic(Span::file(&toml_path), &e.link));
        } else if let Ok(bytes) = source.read(&toml_path) {
            let text = String::from_utf8_lossy(&bytes);
            match toml::from_str::<SectionToml>(&text) {
                Ok(s) => {
                    title = s.title;
                    order = s.order;
                }
                Err(e) => diags.push(
                    Diagnostic::error(
                        code::SECTION_CONFIG,
                        Span::at(&toml_path, &text, e.span().unwrap_or(0..0)),
                        format!("_section.toml is not valid: {}", e.message()),
                    )
                    .with_suggestion("it may set `title = \"...\"` and `order = 1`"),
                ),
            }
        }
        let title = title.unwrap_or_else(|| {
            folder
                .file_name()
                .map(|n| title_case(&n.to_string_lossy()))
                .unwrap_or_else(|| "Documents".to_string())
        });
        let parent = folder.parent().and_then(|p| index.get(p).copied());
        index.insert(folder.clone(), SectionIndex::new(sections.len()));
        sections.push(Section {
            path: folder,
            title,
            order,
            parent: if sections.is_empty() {
                None
            } else {
                parent.or(Some(SectionIndex::ROOT))
            },
        });
    }
    for d in documents.iter_mut() {
        let dir = d.path.parent().unwrap_or(Path::new(""));
        d.section = index.get(dir).copied().unwrap_or(SectionIndex::ROOT);
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_cases() {
        assert_eq!(title_case("ai-risk_docs"), "Ai Risk Docs");
        assert_eq!(title_case("policies"), "Policies");
    }
}
