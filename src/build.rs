//! The drivers of `aimsdoc build`, `check` and `coverage`: compile once
//! ([`crate::pipeline::compile`]), load the theme, render the one plan (with the versions
//! extension when aims.toml has `[versions]`) into the staging folder, and swap it in.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{FsSource, LoadError, Source, Uncached};
use crate::model::frontmatter::Classification;
use crate::output::{self, OutputError};
use crate::pipeline::{self, CompileError, CompileOptions};
use crate::render::{self, Sink};
use crate::sink::NullSink;
use crate::util::stage_timer;
use crate::{pdf, versions};

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
    /// Build only what this audience may read (`None`: the audience aims.toml names, else
    /// everything: the complete manual).
    pub audience: Option<Classification>,
    /// Also write `manual.pdf` (from `print.html`, with a headless Chromium).
    pub pdf: bool,
    /// Fail at once when another build of the same output folder is running, instead of
    /// waiting for it to finish.
    pub no_wait: bool,
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
    /// The audience of the edition built (`None`: the complete manual), from `--audience`
    /// or aims.toml.
    pub audience: Option<Classification>,
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

/// The `audience` that aims.toml on disk names, read before git is asked anything (an
/// edition for an audience never touches git). Problems are reported when the manual is
/// compiled.
fn configured_audience(root: &Path) -> Option<crate::config::Audience> {
    let bytes = FsSource::new(root)
        .read(Path::new(crate::config::CONFIG_FILE))
        .ok()?;
    crate::config::Config::parse(&String::from_utf8_lossy(&bytes), &mut Vec::new())?.audience
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
    let mut diagnostics = Diagnostics::default();
    // The versions extension runs only with [versions] in aims.toml, and never for an
    // audience: an edition is the work tree alone (older versions would each need their own
    // subset, and commit messages are not classified).
    let mut git_diags = Vec::new();
    let audience = pipeline::effective_audience(opts.audience, configured_audience(&opts.root));
    let mut session = match audience {
        Some(_) => None,
        None => versions::Session::open(&opts.root, &mut git_diags),
    };
    diagnostics.extend(git_diags);
    stage_timer("git", &mut t);
    let source: Box<dyn Source> = match &session {
        Some(s) => s.current_source(&opts.root),
        None => Box::new(FsSource::new(&opts.root)),
    };
    let compile_opts = CompileOptions {
        root: &opts.root,
        skip,
        today: opts.today,
        strict: opts.strict,
        audience: opts.audience,
        audience_from_config: true,
    };
    // With older versions to build, the current manual's documents are offered to them.
    let docs = versions::DocCache::default();
    let compiled = match &session {
        Some(s) if !s.tags.is_empty() && s.store.is_some() => {
            pipeline::compile(&*source, &compile_opts, &docs.current_loader(&*source, s))
        }
        _ => pipeline::compile(&*source, &compile_opts, &Uncached),
    };
    let mut report = Report {
        documents: 0,
        pages: 0,
        files: 0,
        diagnostics: Vec::new(),
        errors: 0,
        warnings: 0,
        elapsed: Duration::ZERO,
        out: None,
        theme_outside: None,
        audience: None,
    };
    let compiled = match compiled {
        Ok(c) => c,
        Err(CompileError::Load(e)) => return Err(e.into()),
        Err(CompileError::Config(d)) => {
            diagnostics.extend(d.sorted());
            return Ok(report.finish(diagnostics, start));
        }
    };
    diagnostics.extend(compiled.diagnostics.iter().cloned());
    report.audience = compiled.edition.audience;
    if report.audience.is_some() {
        // An edition is the work tree alone (aims.toml as compiled may name an audience
        // that the one on disk did not).
        session = None;
    }
    // A check, and an edition that cannot be published, report the whole AIMS.
    report.documents =
        if opts.check_only || (report.audience.is_some() && diagnostics.error_count() > 0) {
            compiled.documents_in_aims
        } else {
            compiled.manual.documents.len()
        };
    let config = &compiled.manual.config;
    let mut theme_diags = Vec::new();
    let theme = render::theme::load(
        Some(&opts.root),
        config.theme.as_deref().map(|t| (t, &config.theme_span)),
        &mut theme_diags,
    );
    diagnostics.extend(theme_diags);
    let Some(theme) = theme else {
        return Ok(report.finish(diagnostics, start));
    };
    report.theme_outside.clone_from(&theme.outside);
    if let Some(s) = session.as_mut() {
        // Old versions are built only when the current manual can be published.
        if diagnostics.error_count() > 0 {
            s.tags.clear();
            s.trees.clear();
        }
    }
    let previous = (!opts.check_only && out.join(output::MARKER).is_file()).then(|| out.clone());
    let mut version_diags = Vec::new();
    // The one render plan, with the versions extension when there is one.
    let render_into = |sink: &dyn Sink, version_diags: &mut Vec<Diagnostic>| match &session {
        Some(session) => versions::Job {
            session,
            root: &opts.root,
            today: opts.today,
            theme: &theme,
            current: &compiled,
            current_source: &*source,
            docs: &docs,
            previous: previous.as_deref(),
        }
        .render(sink, version_diags),
        None => render::render(&render::Input::new(&compiled, &theme, &*source, None), sink),
    };
    if opts.check_only {
        match render_into(&NullSink, &mut version_diags) {
            Ok(n) => report.pages = n,
            Err(e) => diagnostics.extend(e),
        }
    } else if diagnostics.error_count() == 0 {
        let staging = output::Staging::new(&out)?;
        let mut t = Instant::now();
        match render_into(&staging, &mut version_diags) {
            Ok(n) => {
                stage_timer("render", &mut t);
                report.pages = n;
                if let Some(browser) = &browser {
                    write_pdf(browser, &staging)?;
                    stage_timer("pdf", &mut t);
                }
                report.files = staging.commit()?;
                stage_timer("commit", &mut t);
            }
            Err(e) => diagnostics.extend(e),
        }
    }
    diagnostics.extend(version_diags);
    if report.files > 0 {
        report.out = Some(out);
    }
    Ok(report.finish(diagnostics, start))
}

impl Report {
    /// Counts what is printed (identical diagnostics are reported once) and the time taken.
    fn finish(mut self, diagnostics: Diagnostics, start: Instant) -> Report {
        let tally = diagnostics.tally();
        (self.diagnostics, self.errors, self.warnings) =
            (tally.items, tally.errors, tally.warnings);
        self.elapsed = start.elapsed();
        self
    }
}

/// What `aimsdoc coverage` prints from: the compiled manual (for an audience, its edition:
/// the whole AIMS's coverage with the audience's documents), and every diagnostic of the
/// full AIMS.
pub type CoverageView = (Option<pipeline::Compilation>, Vec<Diagnostic>);

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
    let opts = CompileOptions {
        audience,
        audience_from_config: true,
        ..CompileOptions::new(root, vec![PathBuf::from("_site")], today)
    };
    match pipeline::compile(&source, &opts, &Uncached) {
        Ok(c) => {
            let diagnostics = c.diagnostics.clone().sorted();
            Ok((Some(c), diagnostics))
        }
        Err(CompileError::Load(e)) => Err(e.into()),
        Err(CompileError::Config(d)) => Ok((None, d.sorted())),
    }
}
