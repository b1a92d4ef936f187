//! `aims.toml`: the AIMS root's configuration.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{code, did_you_mean, Diagnostic, Span};

/// The name of the configuration file at the AIMS root.
pub const CONFIG_FILE: &str = "aims.toml";

/// Settings of one AIMS.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Title of the manual.
    pub title: String,
    /// The organisation that runs the AIMS.
    pub organization: String,
    /// One-paragraph description for the home page.
    pub description: Option<String>,
    /// Glob patterns of paths (relative to the root) that are not documents.
    pub exclude: Vec<String>,
    /// A theme folder (with `templates/` and `static/`) overriding the default theme.
    pub theme: Option<PathBuf>,
    /// The URL the manual is published at, for links shown outside the site.
    pub base_url: Option<String>,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "organization",
    "description",
    "exclude",
    "theme",
    "base_url",
];

#[derive(Deserialize)]
struct Raw {
    title: Option<String>,
    organization: Option<String>,
    description: Option<String>,
    exclude: Option<Vec<String>>,
    theme: Option<PathBuf>,
    base_url: Option<String>,
    #[serde(flatten)]
    other: std::collections::BTreeMap<String, toml::Value>,
}

impl Config {
    /// Parses `aims.toml` text. Errors and warnings go to `diags`; `None` when the file is
    /// unusable.
    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Option<Config> {
        let path = Path::new(CONFIG_FILE);
        let raw: Raw = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let range = e.span().unwrap_or(0..0);
                diags.push(Diagnostic::error(
                    code::CONFIG,
                    Span::at(path, text, range),
                    format!("aims.toml is not valid: {}", e.message()),
                ));
                return None;
            }
        };
        for key in raw.other.keys() {
            diags.push(
                Diagnostic::warning(
                    code::CONFIG,
                    key_span(text, key),
                    format!("unknown setting `{key}` in aims.toml"),
                )
                .with_suggestion(
                    did_you_mean(key, KNOWN_KEYS.iter().copied()).unwrap_or_else(|| {
                        format!("known settings are: {}", KNOWN_KEYS.join(", "))
                    }),
                ),
            );
        }
        let mut ok = true;
        let mut required = |value: Option<String>, key: &str| -> String {
            match value.filter(|v| !v.trim().is_empty()) {
                Some(v) => v,
                None => {
                    ok = false;
                    diags.push(
                        Diagnostic::error(
                            code::CONFIG,
                            Span::file(path),
                            format!("aims.toml has no `{key}`"),
                        )
                        .with_suggestion(format!("add a line such as {key} = \"...\"")),
                    );
                    String::new()
                }
            }
        };
        let title = required(raw.title, "title");
        let organization = required(raw.organization, "organization");
        let exclude = raw.exclude.unwrap_or_else(|| vec!["_*".to_string()]);
        for pattern in &exclude {
            if let Err(e) = globset::Glob::new(pattern) {
                ok = false;
                diags.push(Diagnostic::error(
                    code::CONFIG,
                    key_span(text, "exclude"),
                    format!("exclude pattern `{pattern}` is not a valid glob: {e}"),
                ));
            }
        }
        ok.then_some(Config {
            title,
            organization,
            description: raw.description,
            exclude,
            theme: raw.theme,
            base_url: raw.base_url,
        })
    }
}

/// The span of `key = ...` at the start of a line, or the whole file.
fn key_span(text: &str, key: &str) -> Span {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let start = offset + (line.len() - t.len());
                return Span::at(CONFIG_FILE, text, start..start + key.len());
            }
        }
        offset += line.len();
    }
    Span::file(CONFIG_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_keys() {
        let mut d = Vec::new();
        let c = Config::parse("title = \"T\"\norganization = \"O\"\ntitel = 1\n", &mut d).unwrap();
        assert_eq!(c.exclude, vec!["_*"]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.line, 3);
        assert_eq!(d[0].suggestion.as_deref(), Some("did you mean title?"));
    }

    #[test]
    fn missing_title_is_an_error() {
        let mut d = Vec::new();
        assert!(Config::parse("organization = \"O\"\n", &mut d).is_none());
        assert!(d[0].message.contains("title"));
    }
}
