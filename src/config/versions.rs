//! `[versions]` in aims.toml: which git tags are built as versions.

use super::{key_span, Current, VersionsConfig};
use crate::diagnostics::{code, did_you_mean, Diagnostic};

const VERSIONS_KEYS: &[&str] = &["tags", "current", "keep"];

/// Parses the `[versions]` table; errors go to `diags` (`None` when unusable).
pub(super) fn parse_versions(
    text: &str,
    value: toml::Value,
    diags: &mut Vec<Diagnostic>,
) -> Option<VersionsConfig> {
    let err = |diags: &mut Vec<Diagnostic>, key: &str, msg: String| {
        diags.push(Diagnostic::error(code::CONFIG, key_span(text, key), msg));
    };
    let toml::Value::Table(table) = value else {
        err(
            diags,
            "versions",
            "`versions` in aims.toml must be a table: [versions]".into(),
        );
        return None;
    };
    let mut out = VersionsConfig {
        tags: vec!["*".to_string()],
        current: Current::Worktree,
        keep: None,
    };
    let mut ok = true;
    for (key, v) in table {
        match (key.as_str(), v) {
            ("tags", toml::Value::String(s)) => out.tags = vec![s],
            ("tags", toml::Value::Array(a)) => {
                out.tags = a
                    .into_iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            }
            ("current", toml::Value::String(s)) => match s.to_ascii_lowercase().as_str() {
                "worktree" => out.current = Current::Worktree,
                "head" => out.current = Current::Head,
                _ => {
                    ok = false;
                    err(
                        diags,
                        "current",
                        format!(
                            "`current = \"{s}\"` in [versions]: write \"worktree\" or \"HEAD\""
                        ),
                    );
                }
            },
            ("keep", toml::Value::Integer(n)) if n > 0 => out.keep = usize::try_from(n).ok(),
            ("tags" | "current" | "keep", _) => {
                ok = false;
                err(
                    diags,
                    &key,
                    format!("`{key}` in [versions] has the wrong type: tags is a glob such as \"aims-*\" (or a list), current is \"worktree\" or \"HEAD\", keep is a positive number"),
                );
            }
            (other, _) => diags.push(
                Diagnostic::warning(
                    code::CONFIG,
                    key_span(text, other),
                    format!("unknown setting `{other}` in [versions] of aims.toml"),
                )
                .with_suggestion(
                    did_you_mean(other, VERSIONS_KEYS.iter().copied()).unwrap_or_else(|| {
                        format!("known settings are: {}", VERSIONS_KEYS.join(", "))
                    }),
                ),
            ),
        }
    }
    for pattern in &out.tags {
        if let Err(e) = globset::Glob::new(pattern) {
            ok = false;
            err(
                diags,
                "tags",
                format!("tags pattern `{pattern}` is not a valid glob: {e}"),
            );
        }
    }
    ok.then_some(out)
}
