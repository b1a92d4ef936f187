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
        after_help = "Examples:\n  aimsdoc init            # in the current folder, if empty\n  aimsdoc init my-aims    # creates my-aims/\n  aimsdoc init my-aims --title \"Acme AI Management System\" --organization \"Acme Ltd\""
    )]
    Init {
        /// Folder to create the AIMS in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The manual's title in aims.toml [default: the folder's name + "AI Management System"].
        #[arg(long, value_name = "TITLE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
        title: Option<String>,
        /// The organization in aims.toml [default: a placeholder to replace].
        #[arg(long, value_name = "NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
        organization: Option<String>,
    },
    /// Build the manual into an output folder.
    #[command(
        after_help = "Exit status: 0 built, 1 the AIMS has errors (nothing published), 2 usage or I/O failure.\n\nExamples:\n  aimsdoc build                          # the AIMS in the current folder, into ./_site\n  aimsdoc build sample-aims -o site      # into ./site\n  aimsdoc build . --today 2026-11-23     # judge review dates as of that day\n  aimsdoc build . --audience public -o public-site   # only documents classified public\n  aimsdoc build --pdf                    # also OUT/manual.pdf (needs Chromium)\n\nOne build per OUT at a time: a second build of the same OUT waits for the first to finish (with --no-wait it fails instead)."
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
        /// Build only what this audience may read: public (classification public), internal (public and internal) or confidential (everything: the complete edition). Without it, the audience `audience` in aims.toml names, else everything. Coverage states and counts are always those of the whole AIMS.
        #[arg(long, value_enum, value_name = "AUDIENCE")]
        audience: Option<Audience>,
        /// Treat overdue reviews, and AI systems lacking an expected record, as errors.
        #[arg(long)]
        strict: bool,
        /// Also write OUT/manual.pdf from OUT/print.html with a headless Chromium (chromium,
        /// chromium-browser or google-chrome on PATH, or $AIMSDOC_CHROMIUM).
        #[arg(long)]
        pdf: bool,
        /// When another build of the same OUT is running, fail at once (exit 2) instead of
        /// waiting for it to finish.
        #[arg(long)]
        no_wait: bool,
    },
    /// Report every diagnostic of a build without writing anything.
    #[command(
        after_help = "Exit status: 0 clean, 1 errors (or warnings with --deny warnings), 2 usage or I/O failure.\n\nExamples:\n  aimsdoc check\n  aimsdoc check my-aims --deny warnings --strict\n  aimsdoc check my-aims --format sarif > aimsdoc.sarif   # for GitHub code scanning\n  aimsdoc check my-aims --format json | jq '.[] | select(.severity == \"error\")'"
    )]
    Check {
        /// The AIMS root (the folder with aims.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The date to judge review dates against (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
        /// Output format: human (stderr, with source lines), json or sarif (stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit 1) on warnings too: `--deny warnings`.
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Option<Deny>,
        /// Treat overdue reviews, and AI systems lacking an expected record, as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Show what changed in the AIMS between two git revisions.
    #[command(
        after_help = "Revisions are tags, branches, commits, HEAD, or `worktree` for the files on disk. Differences are shown git word-diff style: [-removed-] {+added+}. Each side is judged as of its date (a revision: its commit's; `worktree`: today), and states that changed only with the passing of time (a review falling due) are listed last, apart from the changes to documents and the SoA.\n\nExit status: 0 shown, 2 a revision or the AIMS could not be read.\n\nExamples:\n  aimsdoc diff aims-2025.1 aims-2026.1\n  aimsdoc diff aims-2026.1 worktree -d my-aims"
    )]
    Diff {
        /// The older revision.
        from: String,
        /// The newer revision.
        to: String,
        /// The AIMS root (the folder with aims.toml).
        #[arg(short, long, value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// The date to judge `worktree` against (YYYY-MM-DD); a revision is judged as of its
        /// commit's date, as on the changes pages.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
    },
    /// Print the coverage state of every control and clause.
    #[command(
        after_help = "Examples:\n  aimsdoc coverage\n  aimsdoc coverage my-aims --format csv > coverage.csv\n  aimsdoc coverage my-aims --format json --audience public\n  aimsdoc coverage my-aims --format markdown >> \"$GITHUB_STEP_SUMMARY\"   # in a GitHub Actions job\n  aimsdoc coverage my-aims --framework iso27001 --format csv"
    )]
    Coverage {
        /// The AIMS root (the folder with aims.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// table (aligned text), json (as coverage.json), csv, or markdown (GitHub-flavoured
        /// tables, e.g. for $GITHUB_STEP_SUMMARY).
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        /// List only the documents this audience may read (states and counts stay those of the whole AIMS) [default: `audience` in aims.toml].
        #[arg(long, value_enum, value_name = "AUDIENCE")]
        audience: Option<Audience>,
        /// The date to judge review dates against (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
        /// Print the entries of this framework enabled beside ISO/IEC 42001 (its id in
        /// aims.toml, e.g. iso27001): direct states, and what crosswalk mappings infer.
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
    },
    /// Serve the manual with live reload: rebuild on every save, reload the open pages.
    #[command(
        long_about = "Builds the manual into memory and serves it over HTTP. Every change under \
the AIMS root (documents, aims.toml, soa.yaml, theme templates and static files) rebuilds what \
changed and reloads the open pages that changed, keeping their scroll position. Errors are \
printed here and shown over every page until they are fixed; the last good pages stay \
browsable. The output folder of `aimsdoc build` is never touched.",
        after_help = "Examples:\n  aimsdoc serve                      # the AIMS in the current folder, on http://127.0.0.1:3000/\n  aimsdoc serve sample-aims --open   # and open it in the browser\n  aimsdoc serve . --port 0           # any free port (the URL is printed)\n  aimsdoc serve . --audience public  # preview the public edition\n  aimsdoc serve . --bind 0.0.0.0     # reachable from other machines (mind internal documents)\n  aimsdoc serve . --bind 0.0.0.0 --allow-host docs.example.internal   # and by that name"
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
        /// Also answer requests for this host name (repeatable). Besides it, only localhost,
        /// 127.0.0.1, [::1] and the --bind address are answered; other names get 421.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = crate::serve::host::parse_allow_host)]
        allow_host: Vec<String>,
        /// Open the manual in the default browser.
        #[arg(long)]
        open: bool,
        /// The date to judge review dates against (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
        /// Preview the edition for this audience, as `build --audience` makes it [default: `audience` in aims.toml, else the complete manual].
        #[arg(long, value_enum, value_name = "AUDIENCE")]
        audience: Option<Audience>,
    },
    /// Convert a policy repository kept in another tool's format into a new AIMS folder.
    Import {
        /// The format to convert from.
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Run the language server for editors (Language Server Protocol over stdin/stdout).
    #[command(
        long_about = "Runs a Language Server Protocol server over stdin and stdout for an editor: \
the diagnostics of `aimsdoc check` as you type (unsaved buffers laid over the files on disk), \
quick fixes, completion of ids, hover, go to definition, references and symbols. The AIMS root \
is DIR, else the nearest folder holding aims.toml at or above the editor's workspace folder \
(or above the first document opened). Logs go to stderr.",
        after_help = "Examples:\n  aimsdoc lsp                 # started by the editor in the workspace\n  aimsdoc lsp my-aims         # this AIMS, whatever the workspace"
    )]
    Lsp {
        /// The AIMS root (the folder with aims.toml) [default: found from the workspace].
        dir: Option<PathBuf>,
        /// The date to judge review dates against (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        today: Option<crate::date::Date>,
    },
    /// Print the JSON Schema (draft 2020-12) of document front matter, for editors.
    #[command(
        long_about = "Print the JSON Schema (draft 2020-12) of document front matter, for editors. \
Given an AIMS (or run in one: a folder with aims.toml), `frameworks` also lists the ids of \
each framework aims.toml enables (built in, or a catalog in frameworks/), so an editor \
flags an unknown id as aimsdoc does.",
        after_help = "Exit status: 0 printed, 1 aims.toml or a framework catalog has errors (reported, nothing printed), 2 AIMS has no aims.toml.\n\nExamples:\n  aimsdoc schema > aimsdoc.schema.json\n  aimsdoc schema my-aims > my-aims/aimsdoc.schema.json\n  # then, first line of a document's front matter:\n  # yaml-language-server: $schema=../aimsdoc.schema.json\n  aimsdoc schema --systems > systems.schema.json"
    )]
    Schema {
        /// The AIMS whose enabled frameworks' ids and AI systems' ids (systems.yaml) the schema lists [default: the current folder when it has aims.toml, else none: any framework or system id is accepted].
        aims: Option<PathBuf>,
        /// Print the schema of systems.yaml (the AI system inventory) instead.
        #[arg(long)]
        systems: bool,
    },
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    #[command(
        after_help = "Examples:\n  source <(aimsdoc completions bash)   # in ~/.bashrc\n  aimsdoc completions bash > ~/.local/share/bash-completion/completions/aimsdoc\n  aimsdoc completions zsh > ~/.zfunc/_aimsdoc        # with fpath+=(~/.zfunc) before compinit\n  aimsdoc completions fish > ~/.config/fish/completions/aimsdoc.fish\n  aimsdoc completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per subcommand into a folder.
    #[command(
        after_help = "Examples:\n  aimsdoc man | man -l -\n  aimsdoc man --out ~/.local/share/man/man1   # aimsdoc.1, aimsdoc-build.1, …\n  aimsdoc man --out /usr/local/share/man/man1 && mandb"
    )]
    Man {
        /// Write aimsdoc.1 and a page per subcommand (aimsdoc-build.1, …) into this folder
        /// (created when absent; nothing else in it is touched) instead of printing aimsdoc.1.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// The formats `aimsdoc import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// A strongdm/comply project: policies/, procedures/, narratives/, standards/*.yml.
    #[command(
        long_about = "Converts a strongdm/comply project into a new AIMS folder. Each policy, \
procedure and narrative keeps its path and its text byte for byte under aimsdoc front matter \
(id from the acronym, title from the name, `satisfies` as `frameworks`, the revisions as \
`version` and `approved`, status draft); each standards/*.yml becomes a framework catalog \
frameworks/<id>.yaml; aims.toml takes the organization from comply.yml. What could not be \
converted is reported at its file:line. Nothing outside SRC is read and nothing in DEST is \
replaced.",
        after_help = "Exit status: 0 converted (warnings allowed), 1 some files could not be converted (the rest is written), 2 DEST is not empty, SRC is not a folder, or a file could not be written.\n\nExamples:\n  aimsdoc import comply ../our-comply my-aims\n  aimsdoc build my-aims"
    )]
    Comply {
        /// The comply project (the folder with policies/, standards/ and comply.yml).
        src: PathBuf,
        /// The AIMS folder to create: absent or empty.
        dest: PathBuf,
    },
}

/// Who an audience build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Audience {
    /// Only documents classified public.
    Public,
    /// Public and internal documents.
    Internal,
    /// Every document.
    Confidential,
}

impl Audience {
    /// The classification ceiling of this audience.
    pub fn ceiling(self) -> crate::model::frontmatter::Classification {
        use crate::model::frontmatter::Classification;
        match self {
            Audience::Public => Classification::Public,
            Audience::Internal => Classification::Internal,
            Audience::Confidential => Classification::Confidential,
        }
    }
}

/// Diagnostic output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source lines, on stderr.
    Human,
    /// A JSON array on stdout.
    Json,
    /// A SARIF 2.1.0 log on stdout.
    Sarif,
}

/// What `--deny` makes fatal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail the check too.
    Warnings,
}

pub use crate::render::data::CoverageFormat;

fn parse_date(s: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}
