//! aimsdoc builds a browsable ISO/IEC 42001 AI management system (AIMS) manual from a folder
//! of Markdown documents with YAML front matter.
//!
//! Data flows one way through the stages, each a module with one job:
//! [`load`] (walk, read, split front matter, one Markdown pass) → [`model`] (documents,
//! catalog, SoA) → [`resolve`] (ids, references, backlinks) → [`analyse`] (coverage, SoA,
//! register, required documents) → [`render`] (Tera templates, theme) → [`output`] (staging
//! folder, manifest, atomic swap).

pub mod analyse;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod history;
pub mod hygiene;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod sink;
pub mod util;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use util::stage_timer;

use analyse::Analysis;
use date::Date;
use diagnostics::{Diagnostic, Diagnostics};
use load::{FsSource, LoadError, Source};
use model::frontmatter::Classification;
use model::Manual;
use output::OutputError;
use resolve::Resolved;

/// A failure that is not about the content: bad usage or the file system.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The AIMS could not be opened.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The output folder was refused or could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The AIMS folder does not exist.
    #[error("{0} does not exist or is not a folder")]
    NoRoot(PathBuf),
    /// `--pdf` was asked for and no PDF could be made.
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
}

/// Everything the stages produced for one AIMS, before rendering.
pub struct Compiled {
    /// The loaded manual (`None` when aims.toml itself is broken).
    pub manual: Option<Manual>,
    /// Resolved references.
    pub resolved: Resolved,
    /// Analysis as of "today".
    pub analysis: Option<Analysis>,
    /// All diagnostics so far.
    pub diagnostics: Diagnostics,
}

/// Runs load → resolve → analyse over `source`.
pub fn compile(
    source: &dyn Source,
    root: &Path,
    skip_dirs: Vec<PathBuf>,
    today: Date,
) -> Result<Compiled, RunError> {
    let read = |p: &Path, c: &model::Catalog, d: &mut Vec<Diagnostic>| {
        load::load_document(source, p, c, d)
    };
    compile_with(source, root, skip_dirs, today, &read)
}

/// [`compile`], reading documents through `loader` (see [`load::load_with`]): `aimsdoc serve`
/// passes a cache so that only changed files are read and parsed again.
pub fn compile_with(
    source: &dyn Source,
    root: &Path,
    skip_dirs: Vec<PathBuf>,
    today: Date,
    loader: &load::DocumentLoader<'_>,
) -> Result<Compiled, RunError> {
    let mut diags = Vec::new();
    let mut t = Instant::now();
    let manual = load::load_with(source, root, skip_dirs, loader, &mut diags)?;
    stage_timer("load", &mut t);
    let mut diagnostics = Diagnostics::default();
    let Some(mut manual) = manual else {
        diagnostics.extend(diags);
        return Ok(Compiled {
            manual: None,
            resolved: Resolved::default(),
            analysis: None,
            diagnostics,
        });
    };
    let text_of = |p: &Path| {
        source
            .read(p)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    // raw_html as aims.toml sets it; when unset, a public build applies its default later.
    if let Some(mode) = manual.config.raw_html {
        diags.extend(hygiene::apply(&mut manual, mode, &|_| true, &text_of));
    }
    let resolved = resolve::resolve(&manual, &text_of, &mut diags);
    stage_timer("resolve", &mut t);
    let analysis = analyse::analyse(&manual, &resolved, today);
    diags.extend(analyse::control::check(&manual, &resolved, today, &text_of));
    stage_timer("analyse", &mut t);
    diagnostics.extend(apply_allow(&manual, diags));
    Ok(Compiled {
        manual: Some(manual),
        resolved,
        analysis: Some(analysis),
        diagnostics,
    })
}

/// Drops the diagnostics silenced by `allow` (in aims.toml for the whole AIMS, in front
/// matter for one document) and reports `allow` entries that name no code.
pub fn apply_allow(manual: &Manual, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use diagnostics::{code, did_you_mean, Code, Span};
    use std::collections::{HashMap, HashSet};
    let mut unknown = Vec::new();
    let mut parse = |names: &[String], span: Span| -> HashSet<&'static str> {
        names
            .iter()
            .filter_map(|n| match Code::find(n) {
                Some(c) => Some(c.id),
                None => {
                    unknown.push(
                        Diagnostic::warning(
                            code::UNKNOWN_ALLOW,
                            span.clone(),
                            format!("`allow` names `{n}`, which is not a diagnostic code"),
                        )
                        .with_suggestion_opt(did_you_mean(
                            n,
                            code::ALL.iter().flat_map(|c| [c.id, c.name]),
                        )),
                    );
                    None
                }
            })
            .collect()
    };
    let global = parse(&manual.config.allow, manual.config.allow_span.clone());
    let per_doc: HashMap<&Path, HashSet<&'static str>> = manual
        .documents
        .iter()
        .filter(|d| !d.meta.allow.is_empty())
        .map(|d| {
            (
                d.path.as_path(),
                parse(&d.meta.allow, d.meta.span_of("allow")),
            )
        })
        .collect();
    diags
        .into_iter()
        .filter(|d| {
            !global.contains(d.code.id)
                && !per_doc
                    .get(d.span.file.as_path())
                    .is_some_and(|allowed| allowed.contains(d.code.id))
        })
        .chain(unknown)
        .collect()
}

/// What `aimsdoc coverage` prints from: the manual (or the audience's subset), its analysis,
/// and every diagnostic of the full AIMS.
pub type CoverageView = (Option<Manual>, Option<Analysis>, Vec<Diagnostic>);

/// The coverage analysis for `aimsdoc coverage`.
pub fn coverage(
    root: &Path,
    audience: Option<Classification>,
    today: Date,
) -> Result<CoverageView, RunError> {
    if !root.is_dir() {
        return Err(RunError::NoRoot(root.to_path_buf()));
    }
    let source = FsSource::new(root);
    let compiled = compile(&source, root, vec![PathBuf::from("_site")], today)?;
    let diagnostics = compiled.diagnostics.sorted();
    Ok(match (compiled.manual, audience) {
        (Some(m), Some(a)) => {
            let (m, _, analysis) = audience_subset(m, a, &source, today);
            (Some(m), Some(analysis), diagnostics)
        }
        (m, _) => (m, compiled.analysis, diagnostics),
    })
}

/// What a build or check should do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The AIMS root.
    pub root: PathBuf,
    /// The output folder (default `ROOT/_site`); ignored by check.
    pub out: Option<PathBuf>,
    /// The date to judge reviews against.
    pub today: Date,
    /// Write nothing (check only).
    pub check_only: bool,
    /// Treat overdue reviews as errors.
    pub strict: bool,
    /// Build only what this audience may read (`None`: everything, marked internal).
    pub audience: Option<Classification>,
    /// Also write `manual.pdf` (from `print.html`, with a headless Chromium).
    pub pdf: bool,
    /// Fail at once when another build of the same output folder is running, instead of
    /// waiting for it to finish.
    pub no_wait: bool,
}

/// The documents an audience may read, resolved and analysed on their own: every page and
/// data file of an audience build is computed from this subset. Diagnostics were reported by
/// the full compile and are not repeated.
pub fn audience_subset(
    mut manual: Manual,
    audience: Classification,
    source: &dyn Source,
    today: Date,
) -> (Manual, Resolved, Analysis) {
    let mut withheld = resolve::Withheld::default();
    let (keep, drop): (Vec<_>, Vec<_>) = std::mem::take(&mut manual.documents)
        .into_iter()
        .partition(|d| d.meta.classification <= audience);
    for d in drop {
        withheld.ids.insert(d.meta.id.to_string());
        withheld.paths.insert(d.path);
    }
    manual.documents = keep;
    let mut ignored = Vec::new();
    manual.sections = load::build_sections(source, &mut manual.documents, &mut ignored);
    let text_of = |_: &Path| None;
    let resolved = resolve::resolve_with(&manual, &withheld, &text_of, &mut ignored);
    // The plain text (for search) must not keep the text of links to withheld documents.
    for (d, links) in manual.documents.iter_mut().zip(&resolved.links) {
        let mut ranges: Vec<std::ops::Range<usize>> = d
            .body
            .refs
            .iter()
            .zip(links)
            .filter(|(_, l)| matches!(l, resolve::Link::Withheld))
            .map(|(r, _)| r.text.clone())
            .filter(|t| t.start < t.end)
            .collect();
        ranges.sort_by_key(|t| std::cmp::Reverse(t.start));
        for t in ranges {
            let text = &mut d.body.text;
            let (start, end) = (t.start.min(text.len()), t.end.min(text.len()));
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                text.replace_range(start..end, " internal document ");
            }
        }
    }
    let analysis = analyse::analyse(&manual, &resolved, today);
    (manual, resolved, analysis)
}

/// The result of a build or check.
#[derive(Debug)]
pub struct Report {
    /// Number of documents loaded.
    pub documents: usize,
    /// Number of pages rendered.
    pub pages: usize,
    /// Number of files written (0 for check or failure).
    pub files: usize,
    /// Sorted diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Errors among them.
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the output went.
    pub out: Option<PathBuf>,
    /// The theme folder, when aims.toml names one outside the AIMS folder.
    pub theme_outside: Option<PathBuf>,
}

impl BuildOptions {
    /// The effective output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("_site"))
    }
}

/// Prints the staged `print.html` to `manual.pdf` inside the staging folder (so the PDF is
/// swapped in with the rest of the build, and listed in the manifest).
fn write_pdf(browser: &Path, staging: &output::Staging) -> Result<(), RunError> {
    use render::Sink as _;
    let dir = staging.path();
    let part = dir.join(".manual.pdf.part");
    pdf::print(browser, &dir.join(render::print::PATH), &part)?;
    let bytes = std::fs::read(&part).map_err(|e| OutputError::Io(part.clone(), e))?;
    let _ = std::fs::remove_file(&part);
    staging
        .put(pdf::PATH, &bytes)
        .map_err(|e| OutputError::Io(dir.join(pdf::PATH), e))?;
    Ok(())
}

/// Takes the lock of the output folder `out` (saying so once when it has to wait), then
/// removes staging folders of `out` left by builds that were killed.
fn lock_output(out: &Path, no_wait: bool) -> Result<output::lock::OutputLock, RunError> {
    let lock = output::lock::OutputLock::acquire(out, !no_wait, || {
        eprintln!(
            "waiting for another aimsdoc build of {} to finish…",
            out.display()
        );
    })?;
    let target = output::absolute(out).map_err(|e| OutputError::Io(out.to_path_buf(), e))?;
    for r in output::stale::remove_stale(&target) {
        eprintln!(
            "removed stale staging folder {} left by process {}",
            r.path.display(),
            r.pid
        );
    }
    Ok(lock)
}

/// Builds (or checks) the manual. Content errors are in the report; `Err` is for usage and
/// I/O failures. On any error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<Report, RunError> {
    let start = Instant::now();
    if !opts.root.is_dir() {
        return Err(RunError::NoRoot(opts.root.clone()));
    }
    let out = opts.out_dir();
    // One build per output folder at a time, held until the new output is in place: the
    // previous output read below cannot change under this build.
    let _lock = if opts.check_only {
        None
    } else {
        output::check_target(&opts.root, &out)?;
        Some(lock_output(&out, opts.no_wait)?)
    };
    // Fail before any work when --pdf cannot be honoured.
    let browser = match (opts.pdf && !opts.check_only).then(pdf::find_browser) {
        Some(None) => return Err(pdf::PdfError::NoBrowser.into()),
        Some(Some(b)) => Some(b),
        None => None,
    };
    // Never read the output folder as input, wherever it is.
    let skip: Vec<PathBuf> = output::absolute(&out)
        .ok()
        .zip(output::absolute(&opts.root).ok())
        .and_then(|(o, r)| o.strip_prefix(&r).ok().map(Path::to_path_buf))
        .into_iter()
        .collect();
    let mut t = Instant::now();
    let mut git_diags = Vec::new();
    // An audience build is the work tree alone: no versions, and no history from git (commit
    // messages are not classified).
    let mut session = match opts.audience {
        Some(_) => history::Session::without_git(),
        None => history::Session::open(&opts.root, &mut git_diags),
    };
    stage_timer("git", &mut t);
    let source = session.current_source(&opts.root);
    // With older versions to build, the current manual's documents are offered to them.
    let docs = history::DocCache::default();
    let mut compiled = if session.tags.is_empty() || session.store.is_none() {
        compile(&*source, &opts.root, skip, opts.today)?
    } else {
        let loader = docs.current_loader(&*source, &session);
        compile_with(&*source, &opts.root, skip, opts.today, &loader)?
    };
    let mut diagnostics = compiled.diagnostics.clone();
    diagnostics.extend(git_diags);
    if opts.strict {
        diagnostics = diagnostics.map_severity(|d| {
            if d.code == diagnostics::code::REVIEW_OVERDUE {
                diagnostics::Severity::Error
            } else {
                d.severity
            }
        });
    }
    // Without raw_html in aims.toml, a public edition sanitises the raw HTML it publishes.
    if let (Some(Classification::Public), Some(m)) = (opts.audience, compiled.manual.as_mut()) {
        if m.config.raw_html.is_none() {
            let text_of = |p: &Path| {
                source
                    .read(p)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
            };
            let public = |d: &model::Document| d.meta.classification <= Classification::Public;
            let mode = config::RawHtml::default_for(true);
            let found = hygiene::apply(m, mode, &public, &text_of);
            diagnostics.extend(apply_allow(m, found));
        }
    }
    let mut pages = 0;
    let mut files = 0;
    let mut documents = compiled.manual.as_ref().map_or(0, |m| m.documents.len());
    let mut theme_outside = None;
    // An audience build holds the subset of the current manual only: older versions would
    // each need their own subset, so they are left out rather than risk withheld text.
    if let Some(audience) = opts.audience {
        if diagnostics.error_count() == 0 || opts.check_only {
            if let Some(m) = compiled.manual.take() {
                let (m, r, a) = audience_subset(m, audience, &*source, opts.today);
                documents = m.documents.len();
                compiled.manual = Some(m);
                compiled.resolved = r;
                compiled.analysis = Some(a);
            }
        }
        session.tags.clear();
        session.trees.clear();
    }
    if let (Some(manual), Some(_)) = (&compiled.manual, &compiled.analysis) {
        let mut theme_diags = Vec::new();
        let theme = render::theme::load(
            Some(&opts.root),
            manual
                .config
                .theme
                .as_deref()
                .map(|t| (t, &manual.config.theme_span)),
            &mut theme_diags,
        );
        diagnostics.extend(theme_diags);
        if let Some(theme) = theme {
            theme_outside.clone_from(&theme.outside);
            // Old versions are built only when the current manual can be published.
            let previous =
                (!opts.check_only && out.join(output::MARKER).is_file()).then(|| out.clone());
            if diagnostics.error_count() > 0 {
                session.tags.clear();
                session.trees.clear();
            }
            let job = history::pages::Job {
                session: &session,
                root: &opts.root,
                today: opts.today,
                theme: &theme,
                current: &compiled,
                current_source: &*source,
                docs: &docs,
                previous: previous.as_deref(),
                audience: opts.audience.unwrap_or(Classification::Internal),
                disclosure: if opts.audience == Some(Classification::Public) {
                    manual.config.public_coverage
                } else {
                    config::Disclosure::Full
                },
            };
            let mut version_diags = Vec::new();
            if opts.check_only {
                match job.render(&output::NullSink, &mut version_diags) {
                    Ok(n) => pages = n,
                    Err(e) => diagnostics.extend(e),
                }
            } else if diagnostics.error_count() == 0 {
                let staging = output::Staging::new(&out)?;
                let mut t = Instant::now();
                match job.render(&staging, &mut version_diags) {
                    Ok(n) => {
                        stage_timer("render", &mut t);
                        pages = n;
                        if let Some(browser) = &browser {
                            write_pdf(browser, &staging)?;
                            stage_timer("pdf", &mut t);
                        }
                        files = staging.commit()?;
                        stage_timer("commit", &mut t);
                    }
                    Err(e) => diagnostics.extend(e),
                }
            }
            diagnostics.extend(version_diags);
        }
    }
    // Count what is printed: identical diagnostics are reported once.
    let diagnostics = diagnostics.sorted();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == diagnostics::Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    Ok(Report {
        documents,
        pages,
        files,
        diagnostics,
        errors,
        warnings,
        elapsed: start.elapsed(),
        out: (files > 0).then_some(out),
        theme_outside,
    })
}
