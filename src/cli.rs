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
    after_help = "Examples:\n  aimsdoc init my-aims\n  aimsdoc build my-aims\n  aimsdoc build sample-aims -o public --today 2026-11-23\n  aimsdoc check my-aims\n  aimsdoc serve my-aims --open"
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
        after_help = "Exit status: 0 built, 1 the AIMS has errors (nothing published), 2 usage or I/O failure.\n\nExamples:\n  aimsdoc build                       # the AIMS in the current folder, into ./_site\n  aimsdoc build sample-aims -o site   # into ./site\n  aimsdoc build . --today 2026-11-23  # judge review dates as of that day"
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
    /// Serve the manual with live reload: rebuild on every save, reload the open pages.
    #[command(
        long_about = "Builds the manual into memory and serves it over HTTP. Every change under \
the AIMS root (documents, aims.toml, soa.yaml, theme templates and static files) rebuilds what \
changed and reloads the open pages that changed, keeping their scroll position. Errors are \
printed here and shown over every page until they are fixed; the last good pages stay \
browsable. The output folder of `aimsdoc build` is never touched.",
        after_help = "Examples:\n  aimsdoc serve                      # the AIMS in the current folder, on http://127.0.0.1:3000/\n  aimsdoc serve sample-aims --open   # and open it in the browser\n  aimsdoc serve . --port 0           # any free port (the URL is printed)\n  aimsdoc serve . --bind 0.0.0.0     # reachable from other machines (mind internal documents)"
    )]
    Serve {
        /// The AIMS root (the folder with aims.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on; 0 picks a free one.
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the manual in the default browser.
        #[arg(long)]
        open: bool,
        /// The date to judge review dates against (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
    },
}

fn parse_date(s: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}
