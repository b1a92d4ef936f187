//! Reading the human-readable diagnostics back: the summary counts, each diagnostic's code,
//! message, location and help, and where a needle sits in a file.

use std::path::Path;

/// Parses `N error(s), M warning(s)` anywhere in `line`.
pub(crate) fn parse_counts(line: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    let mut errors = None;
    let mut warnings = None;
    for w in words.windows(2) {
        if let Ok(n) = w[0].parse::<usize>() {
            match w[1] {
                "error" | "errors" => errors = Some(n),
                "warning" | "warnings" => warnings = Some(n),
                _ => {}
            }
        }
    }
    Some((errors?, warnings?))
}

/// One diagnostic as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diag {
    /// `error` or `warning`.
    pub severity: String,
    /// `AIMS0101`.
    pub code: String,
    /// `unknown-control` (from the `= AIMS0101 unknown-control` note).
    pub name: String,
    /// The one-line message.
    pub message: String,
    /// `path:line:col`, or `path` when no position is known.
    pub location: Option<String>,
    /// The `help:` note.
    pub help: Option<String>,
}

impl Diag {
    /// The file part of the location.
    pub(crate) fn file(&self) -> Option<String> {
        let loc = self.location.as_deref()?;
        Some(match split_location(loc) {
            Some((f, _, _)) => f.to_string(),
            None => loc.to_string(),
        })
    }

    /// Line and column of the location, if printed.
    pub(crate) fn line_col(&self) -> Option<(usize, usize)> {
        split_location(self.location.as_deref()?).map(|(_, l, c)| (l, c))
    }

    /// The help text, or "" when there is none.
    pub(crate) fn help(&self) -> &str {
        self.help.as_deref().unwrap_or("")
    }
}

fn split_location(loc: &str) -> Option<(&str, usize, usize)> {
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    Some((file, line, col))
}

/// Parses the rustc-style output of the diagnostics printer.
pub(crate) fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let header = ["error[", "warning["].iter().find_map(|p| {
            let rest = line.strip_prefix(p)?;
            let (code, msg) = rest.split_once("]: ")?;
            Some((p.trim_end_matches('['), code, msg))
        });
        if let Some((sev, code, msg)) = header {
            out.push(Diag {
                severity: sev.to_string(),
                code: code.to_string(),
                name: String::new(),
                message: msg.to_string(),
                location: None,
                help: None,
            });
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let t = line.trim_start();
        if let Some(loc) = t.strip_prefix("┌─ ").or_else(|| t.strip_prefix("--> ")) {
            // The last location line of a block wins (template errors quote Tera's own).
            cur.location = Some(loc.trim().to_string());
        } else if let Some(h) = t.strip_prefix("= help: ") {
            cur.help = Some(h.to_string());
        } else if let Some(note) = t.strip_prefix("= ") {
            if let Some(name) = note.strip_prefix(&format!("{} ", cur.code)) {
                cur.name = name.trim().to_string();
            }
        }
    }
    out
}

/// 1-based line and character column of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// `path:line:col` of the first occurrence of `needle` in the file `root/rel`.
pub(crate) fn location_of(root: &Path, rel: &str, needle: &str) -> String {
    location_of_nth(root, rel, needle, 0)
}

/// `path:line:col` of the `n`th (0-based) occurrence of `needle` in `root/rel`.
pub(crate) fn location_of_nth(root: &Path, rel: &str, needle: &str, n: usize) -> String {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let offset = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {} times in {rel}", n + 1))
        .0;
    let (l, c) = line_col(&text, offset);
    format!("{rel}:{l}:{c}")
}
