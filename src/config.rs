//! `aims.toml`: the AIMS root's configuration.

use std::path::{Path, PathBuf};

use serde::Deserialize;

mod systems;
mod versions;

pub use systems::{ExpectationSetting, SystemsConfig};

use crate::date::{Interval, IntervalError};
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
    /// Where `theme` is written (for findings about the folder it names).
    pub theme_span: Span,
    /// The URL the manual is published at, for links shown outside the site.
    pub base_url: Option<String>,
    /// Diagnostic codes silenced for the whole AIMS (ids or names).
    pub allow: Vec<String>,
    /// Where `allow` is written (for findings about its entries).
    pub allow_span: Span,
    /// Default time between reviews: a missing `review` is `approved` plus this.
    pub review_interval: Option<Interval>,
    /// What a public build shows of coverage.
    pub public_coverage: Disclosure,
    /// `audience`: the edition a build makes when no `--audience` is given (`None`: the
    /// complete manual).
    pub audience: Option<Audience>,
    /// `[versions]`: which git tags are built as versions (`None`: no versions).
    pub versions: Option<VersionsConfig>,
    /// `raw_html`: what becomes of raw HTML in document bodies (`None`: not set, so
    /// [`RawHtml::default_for`] the build's audience).
    pub raw_html: Option<RawHtml>,
    /// `frameworks`: the frameworks enabled beside ISO/IEC 42001, as written (checked against
    /// the catalogs by `load::frameworks`), and where the key is.
    pub frameworks: (Vec<String>, Span),
    /// `[systems]`: how the evidence expected of each AI system differs from the defaults.
    pub systems: SystemsConfig,
}

/// What a build does with raw HTML that authors write in document bodies. HTML comments are
/// removed whatever the setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Published as written.
    Allow,
    /// Cleaned to an allow-list of tags and attributes (see `src/markdown/sanitize.rs`).
    Sanitize,
    /// Any raw HTML is an error.
    Deny,
}

impl RawHtml {
    /// The values `raw_html` takes.
    pub const NAMES: [&'static str; 3] = ["allow", "sanitize", "deny"];

    /// The setting for a build when aims.toml sets none: `sanitize` for a public edition,
    /// `allow` otherwise.
    pub fn default_for(public: bool) -> RawHtml {
        if public {
            RawHtml::Sanitize
        } else {
            RawHtml::Allow
        }
    }

    fn parse(text: &str) -> Option<RawHtml> {
        match text.trim().to_ascii_lowercase().as_str() {
            "allow" => Some(RawHtml::Allow),
            "sanitize" | "sanitise" => Some(RawHtml::Sanitize),
            "deny" => Some(RawHtml::Deny),
            _ => None,
        }
    }
}

/// How much of the coverage analysis a public build shows. Whatever it shows, states and
/// counts are those of the whole AIMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Disclosure {
    /// Matrices, states and the SoA with its justifications (which may name internal
    /// documents).
    Full,
    /// Counts per state and each control's state; no SoA page, no SoA justifications, no
    /// matrices. The default for public builds.
    #[default]
    Counts,
    /// No coverage state, count, picture or gap list anywhere, and no coverage, SoA or
    /// required-documents pages.
    None,
}

/// Who a build is for, as `audience` in aims.toml names it (the classification ceiling of
/// the documents it publishes; `confidential` publishes everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Only documents classified public.
    Public,
    /// Public and internal documents.
    Internal,
    /// Every document: the complete manual.
    Confidential,
}

impl Audience {
    /// The values `audience` takes.
    pub const NAMES: [&'static str; 3] = ["public", "internal", "confidential"];

    fn parse(text: &str) -> Option<Audience> {
        match text.trim().to_ascii_lowercase().as_str() {
            "public" => Some(Audience::Public),
            "internal" => Some(Audience::Internal),
            "confidential" => Some(Audience::Confidential),
            _ => None,
        }
    }
}

/// What the current manual (at the output root) is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Current {
    /// The files on disk, committed or not.
    #[default]
    Worktree,
    /// The files as committed at `HEAD`.
    Head,
}

/// `[versions]` in aims.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionsConfig {
    /// Glob patterns of tag names that are releases (default `["*"]`).
    pub tags: Vec<String>,
    /// What the current manual is.
    pub current: Current,
    /// Keep only this many most recent tagged versions (`None`: all).
    pub keep: Option<usize>,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "organization",
    "description",
    "exclude",
    "theme",
    "base_url",
    "allow",
    "review_interval",
    "public",
    "versions",
    "raw_html",
    "audience",
    "frameworks",
    "systems",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublic {
    coverage: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    title: Option<String>,
    organization: Option<String>,
    description: Option<String>,
    exclude: Option<Vec<String>>,
    theme: Option<PathBuf>,
    base_url: Option<String>,
    allow: Option<Vec<String>>,
    review_interval: Option<String>,
    public: Option<RawPublic>,
    versions: Option<toml::Value>,
    raw_html: Option<String>,
    audience: Option<String>,
    frameworks: Option<Vec<String>>,
    systems: Option<toml::Value>,
    #[serde(flatten)]
    other: std::collections::BTreeMap<String, toml::Value>,
}

impl Config {
    /// Parses `aims.toml` text. Errors and warnings go to `diags`; `None` when the file is
    /// unusable.
    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Option<Config> {
        let text_of_config = text;
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
        let review_interval = match raw.review_interval.as_deref() {
            None => None,
            Some(interval) => match Interval::parse(interval) {
                Ok(i) => Some(i),
                Err(e) => {
                    ok = false;
                    let at = key_span(text_of_config, "review_interval");
                    diags.push(interval_error(interval, e, at));
                    None
                }
            },
        };
        let public_coverage = match raw.public.and_then(|p| p.coverage).as_deref() {
            Some("full") => Disclosure::Full,
            None | Some("counts") => Disclosure::Counts,
            Some("none") => Disclosure::None,
            Some(other) => {
                ok = false;
                diags.push(Diagnostic::error(
                    code::CONFIG,
                    key_span(text_of_config, "coverage"),
                    format!("[public] coverage = \"{other}\" is not allowed; use one of full | counts | none"),
                ));
                Disclosure::Full
            }
        };
        let raw_html = match raw.raw_html.as_deref() {
            None => None,
            Some(value) => match RawHtml::parse(value) {
                Some(mode) => Some(mode),
                None => {
                    ok = false;
                    diags.push(
                        Diagnostic::error(
                            code::CONFIG,
                            key_span(text_of_config, "raw_html"),
                            format!("raw_html = \"{value}\" is not allowed; use one of allow | sanitize | deny"),
                        )
                        .with_suggestion(
                            did_you_mean(value, RawHtml::NAMES).unwrap_or_else(|| {
                                "allow publishes raw HTML as written, sanitize keeps a safe subset, deny makes it an error".to_string()
                            }),
                        ),
                    );
                    None
                }
            },
        };
        let audience = match raw.audience.as_deref() {
            None => None,
            Some(value) => match Audience::parse(value) {
                Some(a) => Some(a),
                None => {
                    ok = false;
                    diags.push(
                        Diagnostic::error(
                            code::CONFIG,
                            key_span(text_of_config, "audience"),
                            format!("audience = \"{value}\" is not allowed; use one of public | internal | confidential"),
                        )
                        .with_suggestion(
                            did_you_mean(value, Audience::NAMES).unwrap_or_else(|| {
                                "a plain build publishes only what this audience may read; confidential publishes everything".to_string()
                            }),
                        ),
                    );
                    None
                }
            },
        };
        let versions = match raw.versions {
            Some(v) => match versions::parse_versions(text, v, diags) {
                Some(v) => Some(v),
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        ok.then_some(Config {
            title,
            organization,
            description: raw.description,
            exclude,
            theme: raw.theme,
            theme_span: key_span(text_of_config, "theme"),
            base_url: raw.base_url,
            allow: raw.allow.unwrap_or_default(),
            allow_span: key_span(text_of_config, "allow"),
            review_interval,
            public_coverage,
            audience,
            versions,
            raw_html,
            frameworks: (
                raw.frameworks.unwrap_or_default(),
                key_span(text, "frameworks"),
            ),
            systems: systems::parse(text, raw.systems, diags),
        })
    }
}

/// The diagnostic for a `review_interval` that [`Interval::parse`] rejected.
fn interval_error(text: &str, error: IntervalError, at: Span) -> Diagnostic {
    match error {
        IntervalError::Malformed => Diagnostic::error(
            code::CONFIG,
            at,
            format!("review_interval `{text}` is not an interval"),
        )
        .with_suggestion("write a number and a unit, e.g. \"12 months\", \"1 year\", \"90 days\""),
        IntervalError::TooLong => Diagnostic::error(
            code::CONFIG,
            at,
            format!(
                "review_interval `{text}` is longer than {} years",
                Interval::MAX_YEARS
            ),
        )
        .with_suggestion(
            "documents are reviewed every few years at most; write e.g. \"12 months\" or \"3 years\"",
        ),
    }
}

/// The span of `key = ...` at the start of a line, or the whole file.
///
/// Written by hand rather than with `toml::Spanned`: `Spanned` gives the span of a value,
/// and aimsdoc's diagnostics for `aims.toml` point at the key (`theme = …` underlines
/// `theme`), which is also where a key with a value of the wrong type is found. aims.toml is
/// small and flat, so a line scan is enough.
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
    fn versions_table() {
        let mut d = Vec::new();
        let c = Config::parse(
            "title = \"T\"\norganization = \"O\"\n[versions]\ntags = \"aims-*\"\ncurrent = \"HEAD\"\nkeep = 3\nkep = 1\n",
            &mut d,
        )
        .unwrap();
        let v = c.versions.unwrap();
        assert_eq!(v.tags, vec!["aims-*"]);
        assert_eq!(v.current, Current::Head);
        assert_eq!(v.keep, Some(3));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].suggestion.as_deref(), Some("did you mean keep?"));
        let mut d = Vec::new();
        assert!(Config::parse(
            "title = \"T\"\norganization = \"O\"\n[versions]\ncurrent = \"tip\"\n",
            &mut d
        )
        .is_none());
    }

    #[test]
    fn absurd_review_interval_is_an_error_at_its_key() {
        for (value, words) in [
            ("106751991167301 days", "longer than 100 years"),
            ("100000 years", "longer than 100 years"),
            ("soon", "is not an interval"),
        ] {
            let mut d = Vec::new();
            let text =
                format!("title = \"T\"\norganization = \"O\"\nreview_interval = \"{value}\"\n");
            assert!(Config::parse(&text, &mut d).is_none(), "{value}");
            assert_eq!(d.len(), 1, "{d:?}");
            assert!(d[0].message.contains(words), "{}", d[0].message);
            assert_eq!((d[0].span.line, d[0].span.column), (3, 1), "{value}");
            assert!(d[0].suggestion.is_some());
        }
        let mut d = Vec::new();
        let c = Config::parse(
            "title = \"T\"\norganization = \"O\"\nreview_interval = \"100 years\"\n",
            &mut d,
        )
        .unwrap();
        assert_eq!(c.review_interval, Some(Interval::Months(1200)));
    }

    #[test]
    fn raw_html_setting() {
        let parse = |v: &str| {
            let mut d = Vec::new();
            let c = Config::parse(&format!("title = \"T\"\norganization = \"O\"\n{v}"), &mut d);
            (c.map(|c| c.raw_html), d)
        };
        assert_eq!(parse("").0, Some(None));
        assert_eq!(parse("raw_html = \"deny\"").0, Some(Some(RawHtml::Deny)));
        assert_eq!(
            parse("raw_html = \"Sanitise\"").0,
            Some(Some(RawHtml::Sanitize))
        );
        let (c, d) = parse("raw_html = \"sanitze\"");
        assert_eq!(c, None);
        assert_eq!((d[0].span.line, d[0].span.column), (3, 1));
        assert_eq!(d[0].suggestion.as_deref(), Some("did you mean sanitize?"));
        assert_eq!(RawHtml::default_for(true), RawHtml::Sanitize);
        assert_eq!(RawHtml::default_for(false), RawHtml::Allow);
    }

    #[test]
    fn audience_setting() {
        let parse = |v: &str| {
            let mut d = Vec::new();
            let c = Config::parse(&format!("title = \"T\"\norganization = \"O\"\n{v}"), &mut d);
            (c.map(|c| c.audience), d)
        };
        assert_eq!(parse("").0, Some(None));
        assert_eq!(
            parse("audience = \"internal\"").0,
            Some(Some(Audience::Internal))
        );
        assert_eq!(
            parse("audience = \"Public\"").0,
            Some(Some(Audience::Public))
        );
        let (c, d) = parse("audience = \"internl\"");
        assert_eq!(c, None);
        assert_eq!((d[0].span.line, d[0].span.column), (3, 1));
        assert_eq!(d[0].suggestion.as_deref(), Some("did you mean internal?"));
    }

    #[test]
    fn missing_title_is_an_error() {
        let mut d = Vec::new();
        assert!(Config::parse("organization = \"O\"\n", &mut d).is_none());
        assert!(d[0].message.contains("title"));
    }
}
