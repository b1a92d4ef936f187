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
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod render;
pub mod resolve;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use analyse::Analysis;
use date::Date;
use diagnostics::{Diagnostic, Diagnostics};
use load::{FsSource, LoadError, Source};
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

/// Prints how long a stage took when `AIMSDOC_TIMINGS` is set (for benchmarking).
pub fn stage_timer(stage: &str, since: &mut Instant) {
    if std::env::var_os("AIMSDOC_TIMINGS").is_some() {
        // Resident memory from /proc (Linux); absent elsewhere.
        let rss_mb = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(String::new(), |pages| {
                format!(", rss {} MB", pages * 4096 / (1 << 20))
            });
        eprintln!(
            "timing: {stage:<8} {:>8.1} ms{rss_mb}",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
    *since = Instant::now();
}

/// Runs load → resolve → analyse over `source`.
pub fn compile(
    source: &dyn Source,
    root: &Path,
    skip_dirs: Vec<PathBuf>,
    today: Date,
) -> Result<Compiled, RunError> {
    let mut diags = Vec::new();
    let mut t = Instant::now();
    let manual = load::load(source, root, skip_dirs, &mut diags)?;
    stage_timer("load", &mut t);
    let mut diagnostics = Diagnostics::default();
    let Some(manual) = manual else {
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
    let resolved = resolve::resolve(&manual, &text_of, &mut diags);
    stage_timer("resolve", &mut t);
    let analysis = analyse::analyse(&manual, &resolved, today);
    stage_timer("analyse", &mut t);
    diagnostics.extend(diags);
    Ok(Compiled {
        manual: Some(manual),
        resolved,
        analysis: Some(analysis),
        diagnostics,
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
    /// Also write `manual.pdf` (from `print.html`, with a headless Chromium).
    pub pdf: bool,
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

/// Builds (or checks) the manual. Content errors are in the report; `Err` is for usage and
/// I/O failures. On any error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<Report, RunError> {
    let start = Instant::now();
    let source = FsSource::new(&opts.root);
    let out = opts.out_dir();
    if !opts.check_only {
        output::check_target(&opts.root, &out)?;
    }
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
    let compiled = compile(&source, &opts.root, skip, opts.today)?;
    let mut diagnostics = compiled.diagnostics;
    let mut pages = 0;
    let mut files = 0;
    let documents = compiled.manual.as_ref().map_or(0, |m| m.documents.len());
    if let (Some(manual), Some(analysis)) = (&compiled.manual, &compiled.analysis) {
        let mut theme_diags = Vec::new();
        let theme = render::theme::load(
            Some(&opts.root),
            manual.config.theme.as_deref(),
            &mut theme_diags,
        );
        diagnostics.extend(theme_diags);
        if let Some(theme) = theme {
            let input = render::Input {
                manual,
                resolved: &compiled.resolved,
                analysis,
                theme: &theme,
                source: &source,
            };
            if opts.check_only {
                match render::render(&input, &output::NullSink) {
                    Ok(n) => pages = n,
                    Err(e) => diagnostics.extend(e),
                }
            } else if diagnostics.error_count() == 0 {
                let staging = output::Staging::new(&out)?;
                let mut t = Instant::now();
                match render::render(&input, &staging) {
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
        }
    }
    // Count what is printed: sorting drops identical duplicates.
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
    })
}
