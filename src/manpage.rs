//! `aimsdoc man`: roff manual pages generated from the same clap definitions as `--help`
//! (with clap_mangen), so the pages never drift from the command line.
//!
//! [`pages`] renders every page in memory: `aimsdoc.1` and one page per subcommand
//! (`aimsdoc-build.1`, `aimsdoc-import-comply.1`, …), as packaged tools install them.
//! [`write_pages`] writes them into one folder and nowhere else.

use std::io;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

/// One rendered manual page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The file name, `NAME.1` (`aimsdoc.1`, `aimsdoc-build.1`).
    pub file_name: String,
    /// The roff text.
    pub text: String,
}

/// The command line as the man pages show it: no `help` subcommand (every page documents
/// `--help` already).
fn command() -> clap::Command {
    let mut cmd = crate::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Renders the page of one (built) command: clap_mangen's sections, then the text after
/// `--help` as NOTES, EXIT STATUS and EXAMPLES (examples verbatim, not filled), then SEE ALSO
/// naming the pages of its parent and subcommands. Every non-ASCII character is written as a
/// groff `\[uXXXX]` escape, so the page renders the same without a UTF-8 preprocessor.
fn render(cmd: &clap::Command, parent: Option<&str>) -> Page {
    let after = cmd
        .get_after_long_help()
        .or(cmd.get_after_help())
        .map(|s| s.to_string());
    let bare = cmd
        .clone()
        .after_help(None::<&'static str>)
        .after_long_help(None::<&'static str>);
    let man = clap_mangen::Man::new(bare)
        .source(format!("aimsdoc {}", env!("CARGO_PKG_VERSION")))
        .manual("aimsdoc manual");
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render(&mut buf);
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    if let Some(after) = after {
        text.push_str(&after_help_sections(&after));
    }
    let mut see_also: Vec<String> = parent.map(str::to_string).into_iter().collect();
    see_also.extend(
        cmd.get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_display_name().unwrap_or(s.get_name()).to_string()),
    );
    if !see_also.is_empty() {
        let refs: Vec<String> = see_also
            .iter()
            .map(|n| format!("\\fB{}\\fR(1)", escape(n)))
            .collect();
        text.push_str(".SH \"SEE ALSO\"\n");
        text.push_str(&refs.join(",\n"));
        text.push('\n');
    }
    Page {
        file_name: man.get_filename(),
        text: ascii_only(&text),
    }
}

/// The paragraphs after `--help` as man sections: `Examples:` → EXAMPLES (one command a
/// line, verbatim), `Exit status:` → EXIT STATUS, anything else → NOTES.
fn after_help_sections(after: &str) -> String {
    let (mut notes, mut status, mut examples) = (Vec::new(), Vec::new(), Vec::new());
    for para in after.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(rest) = para.strip_prefix("Examples:") {
            examples.extend(rest.lines().map(str::trim).filter(|l| !l.is_empty()));
        } else if let Some(rest) = para.strip_prefix("Exit status:") {
            status.push(rest.trim().to_string());
        } else {
            notes.push(para.to_string());
        }
    }
    let mut out = String::new();
    for (title, paras) in [("NOTES", &notes), ("EXIT STATUS", &status)] {
        if !paras.is_empty() {
            out.push_str(&format!(".SH \"{title}\"\n"));
            for p in paras.iter() {
                out.push_str(".PP\n");
                out.push_str(&text_line(
                    &p.split_whitespace().collect::<Vec<_>>().join(" "),
                ));
            }
        }
    }
    if !examples.is_empty() {
        out.push_str(".SH EXAMPLES\n.PP\n.RS 4\n.nf\n");
        for line in examples {
            out.push_str(&text_line(line));
        }
        out.push_str(".fi\n.RE\n");
    }
    out
}

/// One line of roff text: escaped, never taken for a request.
fn text_line(s: &str) -> String {
    format!("\\&{}\n", escape(s))
}

/// Escapes roff's backslash and hyphen (a `-` stays a minus sign, as in options).
fn escape(s: &str) -> String {
    s.replace('\\', "\\e").replace('-', "\\-")
}

/// Writes non-ASCII characters as groff `\[uXXXX]` escapes.
fn ascii_only(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", c as u32));
        }
    }
    out
}

fn collect(cmd: &clap::Command, parent: Option<&str>, out: &mut Vec<Page>) {
    let page = render(cmd, parent);
    let name = page.file_name.trim_end_matches(".1").to_string();
    out.push(page);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, Some(&name), out);
    }
}

/// Every page: `aimsdoc.1` first, then one per subcommand, depth first in the order of
/// `--help`.
pub fn pages() -> Vec<Page> {
    let mut out = Vec::new();
    collect(&command(), None, &mut out);
    out
}

/// The page of `aimsdoc` itself (what `aimsdoc man` prints).
pub fn main_page() -> Page {
    render(&command(), None)
}

/// Writes every page into `dir` (created when absent, with its parents), replacing pages of
/// the same name and touching nothing else. Every page is first written beside its place
/// (`.NAME.1.tmp`), then all are renamed into place: a page is never left half written, no
/// temporary file stays behind on failure, and a symbolic link in `dir` is replaced, never
/// written through.
/// Returns the paths written, in [`pages`] order.
pub fn write_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a folder", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let pages = pages();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let with_path =
        |path: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let discard = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for page in &pages {
        let tmp = dir.join(format!(".{}.tmp", page.file_name));
        let path = dir.join(&page.file_name);
        let _ = std::fs::remove_file(&tmp);
        if let Err(e) = std::fs::write(&tmp, page.text.as_bytes()) {
            discard(&staged);
            let _ = std::fs::remove_file(&tmp);
            return Err(with_path(&tmp, e));
        }
        staged.push((tmp, path));
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            discard(&staged[i..]);
            return Err(with_path(path, e));
        }
    }
    Ok(staged.into_iter().map(|(_, path)| path).collect())
}
