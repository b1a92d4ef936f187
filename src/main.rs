//! The `aimsdoc` command: parses arguments, calls the library, maps outcomes to exit codes
//! (0 success, 1 content errors, 2 usage or I/O failure).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use aimsdoc::cli::{Cli, Command};
use aimsdoc::date::Date;
use aimsdoc::diagnostics::{render_human, summary_counts};
use aimsdoc::{BuildOptions, Report};

fn print_report(report: &Report, root: &std::path::Path) {
    if !report.diagnostics.is_empty() {
        let source = |p: &std::path::Path| std::fs::read_to_string(root.join(p)).ok();
        eprint!("{}", render_human(&report.diagnostics, &source));
    }
}

fn main() -> ExitCode {
    let _ = ctrlc::set_handler(|| {
        aimsdoc::output::abort_cleanup();
        std::process::exit(130);
    });
    let cli = Cli::parse();
    let _ = std::io::stderr().is_terminal();
    match cli.command {
        Command::Init { dir } => match aimsdoc::init::init(&dir) {
            Ok(files) => {
                eprintln!(
                    "Created a starter AIMS in {} ({} files).",
                    dir.display(),
                    files.len()
                );
                eprintln!(
                    "Next: edit {}, then run `aimsdoc build {}`.",
                    dir.join("policies/ai-policy.md").display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Build {
            dir,
            output,
            today,
            pdf,
        } => run(BuildOptions {
            root: dir,
            out: output,
            today: today.unwrap_or_else(Date::today_from_env),
            check_only: false,
            pdf,
        }),
        Command::Check { dir, today } => run(BuildOptions {
            root: dir,
            out: None,
            today: today.unwrap_or_else(Date::today_from_env),
            check_only: true,
            pdf: false,
        }),
    }
}

fn run(opts: BuildOptions) -> ExitCode {
    match aimsdoc::build(&opts) {
        Ok(report) => {
            print_report(&report, &opts.root);
            let counts = summary_counts(report.errors, report.warnings);
            let secs = report.elapsed.as_secs_f64();
            if opts.check_only {
                eprintln!(
                    "Checked {} documents ({} pages) in {secs:.2} s: {counts}.",
                    report.documents, report.pages
                );
            } else if report.errors == 0 {
                eprintln!(
                    "Built {} documents into {} pages ({} files) in {} in {secs:.2} s: {counts}.",
                    report.documents,
                    report.pages,
                    report.files,
                    report
                        .out
                        .as_deref()
                        .unwrap_or(opts.out_dir().as_path())
                        .display()
                );
            } else {
                eprintln!(
                    "Build failed: {counts}. Nothing was published; {} is unchanged.",
                    opts.out_dir().display()
                );
            }
            if report.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
