//! Command-line interface definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Builds a browsable ISO/IEC 42001 AI management system manual from Markdown documents.
#[derive(Debug, Parser)]
#[command(
    name = "aimsdoc",
    version,
    about = "Build a browsable ISO/IEC 42001 AIMS manual from Markdown policies",
    long_about = "aimsdoc reads an AI management system (AIMS) kept as Markdown files with YAML \
front matter and builds a static manual: a page per document, clause and Annex A control, \
coverage matrices, the Statement of Applicability, the document register and the \
required-documents checklist.",
    after_help = "Examples:\n  aimsdoc init my-aims\n  aimsdoc build my-aims\n  aimsdoc build sample-aims -o public --today 2026-11-23\n  aimsdoc check my-aims"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a starter AIMS in an empty (or new) folder.
    #[command(
        after_help = "Examples:\n  aimsdoc init            # in the current folder, if empty\n  aimsdoc init my-aims    # creates my-aims/"
    )]
    Init {
        /// Folder to create the AIMS in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the manual into an output folder.
    #[command(
        after_help = "Exit status: 0 built, 1 the AIMS has errors (nothing published), 2 usage or I/O failure.\n\nExamples:\n  aimsdoc build                       # the AIMS in the current folder, into ./_site\n  aimsdoc build sample-aims -o site   # into ./site\n  aimsdoc build . --today 2026-11-23  # judge review dates as of that day\n  aimsdoc build --pdf                 # also OUT/manual.pdf (needs Chromium)"
    )]
    Build {
        /// The AIMS root (the folder with aims.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder [default: DIR/_site].
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The date to judge review dates against (YYYY-MM-DD) [default: $SOURCE_DATE_EPOCH, else the system date].
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
        /// Also write OUT/manual.pdf from OUT/print.html with a headless Chromium (chromium,
        /// chromium-browser or google-chrome on PATH, or $AIMSDOC_CHROMIUM).
        #[arg(long)]
        pdf: bool,
    },
    /// Report every diagnostic of a build without writing anything.
    #[command(
        after_help = "Exit status: 0 clean (warnings allowed), 1 errors, 2 usage or I/O failure.\n\nExamples:\n  aimsdoc check\n  aimsdoc check my-aims --today 2026-11-23"
    )]
    Check {
        /// The AIMS root (the folder with aims.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The date to judge review dates against (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
    },
}

fn parse_date(s: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}
