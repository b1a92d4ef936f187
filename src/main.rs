//! The `aimsdoc` command: parses arguments, calls the library, maps outcomes to exit codes
//! (0 success, 1 content errors, 2 usage or I/O failure).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use aimsdoc::cli::{Cli, Command, CoverageFormat, Deny, Format, ImportFrom};
use aimsdoc::date::Date;
use aimsdoc::diagnostics::{render_human, summary_counts, Diagnostic};
use aimsdoc::load::{FsSource, Source as _};
use aimsdoc::{BuildOptions, Report};

fn main() -> ExitCode {
    // Ctrl-C, SIGTERM and SIGHUP (the `termination` feature of ctrlc) alike.
    let _ = ctrlc::set_handler(|| {
        // After the new output is in place there is nothing to undo: the build finishes.
        if let Some(_no_swap) = aimsdoc::output::abort_cleanup() {
            std::process::exit(130);
        }
    });
    let cli = Cli::parse();
    match cli.command {
        Command::Init {
            dir,
            title,
            organization,
        } => {
            let opts = aimsdoc::init::InitOptions {
                title,
                organization,
            };
            match aimsdoc::init::init(&dir, &opts) {
                Ok(files) => {
                    eprintln!(
                        "Created a starter AIMS in {} ({}).",
                        dir.display(),
                        plural(files.len(), "file")
                    );
                    eprint!("{}", aimsdoc::init::next_steps(&dir, &opts));
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(e),
            }
        }
        Command::Build {
            dir,
            output,
            today,
            audience,
            strict,
            pdf,
            no_wait,
        } => match resolve_today(today) {
            Ok(today) => build(BuildOptions {
                root: dir,
                out: output,
                today,
                check_only: false,
                strict,
                audience: audience.map(|a| a.ceiling()),
                pdf,
                no_wait,
            }),
            Err(code) => code,
        },
        Command::Diff {
            from,
            to,
            dir,
            today,
        } => match resolve_today(today) {
            Ok(today) => match aimsdoc::versions::diff_revisions(&dir, &from, &to, today) {
                Ok(changes) => {
                    // Titles and text come from the documents: no raw control characters.
                    let text = aimsdoc::versions::diff::to_text(&changes);
                    print!("{}", aimsdoc::diagnostics::escape::escape_text(&text));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            },
            Err(code) => code,
        },
        Command::Check {
            dir,
            today,
            format,
            deny,
            strict,
        } => match resolve_today(today) {
            Ok(today) => check(
                BuildOptions {
                    root: dir,
                    out: None,
                    today,
                    check_only: true,
                    strict,
                    audience: None,
                    pdf: false,
                    no_wait: false,
                },
                format,
                deny == Some(Deny::Warnings),
            ),
            Err(code) => code,
        },
        Command::Coverage {
            dir,
            format,
            audience,
            today,
            framework,
        } => match resolve_today(today) {
            Ok(today) => coverage(
                &dir,
                format,
                audience.map(|a| a.ceiling()),
                today,
                framework.as_deref(),
            ),
            Err(code) => code,
        },
        Command::Serve {
            dir,
            port,
            bind,
            allow_host,
            open,
            today,
            audience,
        } => match resolve_today(today) {
            Ok(today) => {
                let opts = aimsdoc::serve::ServeOptions {
                    root: dir,
                    bind,
                    allow_hosts: allow_host,
                    port,
                    open,
                    today,
                    audience: audience.map(|a| a.ceiling()),
                };
                match aimsdoc::serve::serve(&opts) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => usage_error(e),
                }
            }
            Err(code) => code,
        },
        Command::Import {
            from: ImportFrom::Comply { src, dest },
        } => import_comply(&src, &dest),
        Command::Lsp { dir, today } => match resolve_today(today) {
            Ok(today) => match aimsdoc::lsp::run(aimsdoc::lsp::LspOptions { root: dir, today }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => usage_error(e),
            },
            Err(code) => code,
        },
        Command::Schema { systems: true, .. } => {
            print!("{}", aimsdoc::schema::systems_schema_text());
            ExitCode::SUCCESS
        }
        Command::Schema { aims, .. } => schema(aims),
        Command::Completions { shell } => {
            print!("{}", aimsdoc::completions::script(shell));
            ExitCode::SUCCESS
        }
        Command::Man { out: None } => {
            print!("{}", aimsdoc::manpage::main_page().text);
            ExitCode::SUCCESS
        }
        Command::Man { out: Some(dir) } => match aimsdoc::manpage::write_pages(&dir) {
            Ok(paths) => {
                eprintln!(
                    "Wrote {} into {}.",
                    plural(paths.len(), "manual page"),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => usage_error(e),
        },
    }
}

/// `aimsdoc schema [AIMS]`: the schema of any AIMS, or of AIMS (by default the current
/// folder when it has aims.toml) with its enabled frameworks' ids and its AI systems' ids.
fn schema(aims: Option<std::path::PathBuf>) -> ExitCode {
    let root = aims.or_else(|| {
        Path::new(aimsdoc::config::CONFIG_FILE)
            .is_file()
            .then(|| std::path::PathBuf::from("."))
    });
    let Some(root) = root else {
        print!("{}", aimsdoc::schema::front_matter_schema_text());
        return ExitCode::SUCCESS;
    };
    let mut diags = Vec::new();
    let source = FsSource::new(&root);
    let frameworks = match aimsdoc::load::frameworks::of_aims(&source, &root, &mut diags) {
        Ok(f) => f,
        Err(e) => return usage_error(e),
    };
    print_human(&diags, &root);
    let errors = diags
        .iter()
        .filter(|d| d.severity == aimsdoc::diagnostics::Severity::Error)
        .count();
    match frameworks {
        Some(f) if errors == 0 => {
            // The ids of a systems.yaml that reads without errors; its problems are for
            // `aimsdoc check` to report, and the schema then accepts any id.
            let mut found = Vec::new();
            let systems = aimsdoc::load::read_systems(&source, &mut found);
            let systems = systems.filter(|_| {
                !found
                    .iter()
                    .any(|d| d.severity == aimsdoc::diagnostics::Severity::Error)
            });
            print!(
                "{}",
                aimsdoc::schema::front_matter_schema_text_of_aims(&f, systems.as_ref())
            );
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(1),
    }
}

/// `aimsdoc import comply`: plan, report, write.
fn import_comply(src: &Path, dest: &Path) -> ExitCode {
    use aimsdoc::import;
    let plan = match import::check_destination(dest).and_then(|()| import::comply::plan(src)) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    if !plan.diagnostics.is_empty() {
        eprint!(
            "{}",
            render_human(&plan.diagnostics, &import::comply::source_text(src))
        );
    }
    if let Err(e) = import::write_files(dest, &plan.files) {
        return usage_error(e);
    }
    let esc = aimsdoc::diagnostics::escape::escape_text;
    for c in &plan.converted {
        println!(
            "converted {} → {} ({})",
            esc(&c.source.display().to_string()),
            esc(&c.dest.display().to_string()),
            esc(&c.what)
        );
    }
    let errors = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == aimsdoc::diagnostics::Severity::Error)
        .count();
    let counts = summary_counts(errors, plan.diagnostics.len() - errors);
    eprintln!(
        "Imported {} into {}: {counts}.{}",
        plural(plan.converted.len(), "file"),
        dest.display(),
        if errors > 0 {
            " The files with errors were not converted."
        } else {
            ""
        }
    );
    eprintln!("Next: aimsdoc build {}", dest.display());
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn usage_error(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// `--today`, else `SOURCE_DATE_EPOCH`, else the clock; a bad environment value is a usage
/// error (exit 2).
fn resolve_today(flag: Option<Date>) -> Result<Date, ExitCode> {
    match flag {
        Some(d) => Ok(d),
        None => Date::today_from_env().map_err(usage_error),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn print_human(diagnostics: &[Diagnostic], root: &Path) {
    if !diagnostics.is_empty() {
        // Snippets come from the AIMS folder only, like everything else aimsdoc reads.
        let files = FsSource::new(root);
        let source = |p: &Path| files.read(p).ok().and_then(|b| String::from_utf8(b).ok());
        eprint!("{}", render_human(diagnostics, &source));
    }
}

/// Says where the theme comes from when aims.toml names a folder outside the AIMS folder.
fn print_theme_note(report: &Report) {
    if let Some(dir) = &report.theme_outside {
        eprintln!("Theme from {} (outside the AIMS folder).", dir.display());
    }
}

fn build(opts: BuildOptions) -> ExitCode {
    let report = match aimsdoc::build(&opts) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    print_human(&report.diagnostics, &opts.root);
    print_theme_note(&report);
    let counts = summary_counts(report.errors, report.warnings);
    let secs = report.elapsed.as_secs_f64();
    let audience = report
        .audience
        .map(|a| format!(" for the {} audience", a.as_str()))
        .unwrap_or_default();
    if report.errors == 0 {
        eprintln!(
            "Built {} into {} ({}){audience} in {} in {secs:.2} s: {counts}.",
            plural(report.documents, "document"),
            plural(report.pages, "page"),
            plural(report.files, "file"),
            report
                .out
                .as_deref()
                .unwrap_or(opts.out_dir().as_path())
                .display()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "Build failed: {counts}. Nothing was published; {} is unchanged.",
            opts.out_dir().display()
        );
        ExitCode::from(1)
    }
}

/// The folder as given on the command line, as a prefix for repository-relative paths.
fn path_prefix(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    if s.is_empty() || s == "." {
        String::new()
    } else {
        format!("{s}/")
    }
}

fn check(opts: BuildOptions, format: Format, deny_warnings: bool) -> ExitCode {
    let report: Report = match aimsdoc::build(&opts) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    match format {
        Format::Human => {
            print_human(&report.diagnostics, &opts.root);
            print_theme_note(&report);
            eprintln!(
                "Checked {} ({}) in {:.2} s: {}.",
                plural(report.documents, "document"),
                plural(report.pages, "page"),
                report.elapsed.as_secs_f64(),
                summary_counts(report.errors, report.warnings)
            );
        }
        Format::Json => print!("{}", aimsdoc::report::json(&report.diagnostics)),
        Format::Sarif => print!(
            "{}",
            aimsdoc::report::sarif(&report.diagnostics, &path_prefix(&opts.root))
        ),
    }
    if report.errors > 0 || (deny_warnings && report.warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn coverage(
    root: &Path,
    format: CoverageFormat,
    audience: Option<aimsdoc::model::frontmatter::Classification>,
    today: Date,
    framework: Option<&str>,
) -> ExitCode {
    let (compiled, diagnostics) = match aimsdoc::coverage(root, audience, today) {
        Ok(x) => x,
        Err(e) => return usage_error(e),
    };
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == aimsdoc::diagnostics::Severity::Error)
        .count();
    if errors > 0 {
        print_human(&diagnostics, root);
        eprintln!(
            "The AIMS has {}; fix them to see its coverage.",
            plural(errors, "error")
        );
        return ExitCode::from(1);
    }
    let Some(c) = compiled else {
        print_human(&diagnostics, root);
        return ExitCode::from(1);
    };
    let text = match framework {
        None => {
            aimsdoc::render::data::coverage_text(&c.manual, &c.analysis, &c.unpublished, format)
        }
        Some(id) => match aimsdoc::render::framework_data::framework_text(
            &c.manual,
            &c.analysis,
            &c.unpublished,
            id,
            format,
        ) {
            Some(text) => text,
            None => {
                let enabled: Vec<&str> = c
                    .manual
                    .frameworks
                    .enabled
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect();
                return usage_error(format!(
                    "`{id}` is not a framework enabled in aims.toml (enabled: {})",
                    if enabled.is_empty() {
                        "none".to_string()
                    } else {
                        enabled.join(", ")
                    }
                ));
            }
        },
    };
    print!("{text}");
    ExitCode::SUCCESS
}
