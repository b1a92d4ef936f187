//! Not rebuilding what did not change: each built version folder carries a small state file
//! with a fingerprint of everything its pages depend on (aimsdoc, the theme, "today", the list
//! of versions with their trees, the current manual's page set). A later build whose
//! fingerprint for that version is the same carries the folder over from the previous output
//! instead of compiling and rendering it again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostics::{code, Diagnostic, Severity, Span};
use crate::git::ObjectId;

/// The state file in every version folder.
pub const STATE_FILE: &str = ".aimsdoc-version.json";

/// A diagnostic as stored in the state file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredDiagnostic {
    /// Code id (`AIMS0101`).
    pub code: String,
    /// Message (already prefixed with the version).
    pub message: String,
    /// File (`tag:path`).
    pub file: String,
    /// Line (0: none).
    pub line: usize,
    /// Column.
    pub column: usize,
    /// Suggestion.
    pub suggestion: Option<String>,
}

/// What a version folder was built from, and what it holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VersionState {
    /// Fingerprint of everything the folder's pages depend on.
    pub fingerprint: String,
    /// The AIMS tree id at the tag.
    pub tree: ObjectId,
    /// The page paths of the version (for other versions' switchers).
    pub pages: Vec<String>,
    /// The version's diagnostics (warnings of that version).
    pub diagnostics: Vec<StoredDiagnostic>,
    /// The same as shown on its pages.
    pub warnings: Vec<String>,
}

impl StoredDiagnostic {
    /// From a diagnostic.
    pub fn from(d: &Diagnostic) -> StoredDiagnostic {
        StoredDiagnostic {
            code: d.code.id.to_string(),
            message: d.message.clone(),
            file: d.span.file.to_string_lossy().into_owned(),
            line: d.span.line,
            column: d.span.column,
            suggestion: d.suggestion.clone(),
        }
    }

    /// Back to a warning (`None` for an unknown code).
    pub fn to_diagnostic(&self) -> Option<Diagnostic> {
        let code = code::ALL.iter().find(|c| c.id == self.code)?;
        Some(Diagnostic {
            severity: Severity::Warning,
            code: *code,
            message: self.message.clone(),
            span: Span {
                file: PathBuf::from(&self.file),
                line: self.line,
                column: self.column,
                range: 0..0,
            },
            suggestion: self.suggestion.clone(),
        })
    }
}

/// Reads the state of the version folder `dir` (`v/<tag>/`) of a previous output.
pub fn read_state(previous: &Path, dir: &str) -> Option<VersionState> {
    let bytes = std::fs::read(previous.join(dir).join(STATE_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Lowercase hex SHA-256 of parts separated by NUL.
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// Which aimsdoc built the output: its version and the id of what it was compiled from
/// (`build.rs`: sources, embedded theme and catalogs, locked dependencies). Another copy of
/// the same binary, such as a fresh download in CI, carries versions over; an aimsdoc with
/// other code or another embedded theme renders them again.
pub fn build_identity() -> String {
    format!(
        "aimsdoc {} {}",
        env!("CARGO_PKG_VERSION"),
        env!("AIMSDOC_BUILD_ID")
    )
}

/// A fingerprint of the theme overrides (the AIMS root's and the `theme` folder's
/// `templates/` and `static/`, as the theme reads them); the embedded default theme is
/// covered by aimsdoc's version.
pub fn theme_fingerprint(root: &Path, theme: Option<&Path>) -> String {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for path in crate::render::theme::override_files(root, theme) {
        parts.push(path.to_string_lossy().into_owned().into_bytes());
        parts.push(std::fs::read(&path).unwrap_or_default());
    }
    fingerprint(parts.iter().map(Vec::as_slice))
}
