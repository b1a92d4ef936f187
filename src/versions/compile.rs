//! Compiling the AIMS at one tag, and naming a tag's problems.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::docs::DocCache;
use super::session::no_history;
use super::tags::Tag;
use crate::date::Date;
use crate::diagnostics::{code, Diagnostic, Severity, Span};
use crate::git::{GitTreeSource, ObjectId, Store};
use crate::pipeline::{compile, Compilation, CompileError, CompileOptions};

/// A manual compiled from a git tree, shared by the versions with that tree.
pub struct CompiledVersion {
    /// The compiled manual.
    pub compiled: Compilation,
    /// Its files.
    pub source: GitTreeSource,
    /// Its diagnostics as lines for its pages (`path:line: message [code]`).
    pub warnings: Vec<String>,
    /// Its diagnostics as warnings of that version.
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles the AIMS at one tag. Its content problems become warnings of that version
/// (returned in [`CompiledVersion::diagnostics`]); `Err` says why the tag cannot be built
/// (no aims.toml, or one with errors).
pub fn compile_version(
    store: &Arc<Store>,
    root: &Path,
    tag: &Tag,
    tree: &ObjectId,
    today: Date,
    docs: &DocCache,
) -> Result<CompiledVersion, String> {
    let where_ = format!("[{}]", tag.dir().trim_end_matches('/'));
    let src = GitTreeSource::from_tree(store.clone(), tree).map_err(|e| e.to_string())?;
    let opts = CompileOptions::new(root, Vec::new(), today);
    let c = match compile(&src, &opts, &docs.tree_loader(&src)) {
        Ok(c) => c,
        Err(CompileError::Load(e)) => return Err(e.to_string()),
        Err(CompileError::Config(_)) => return Err("its aims.toml has errors".into()),
    };
    let mut shown = Vec::new();
    let diagnostics: Vec<Diagnostic> = c
        .diagnostics
        .clone()
        .sorted()
        .into_iter()
        // "Overdue as of today" says nothing about the version as it was released.
        .filter(|d| d.code != code::REVIEW_OVERDUE)
        .map(|d| {
            let at = if d.span.line > 0 {
                format!("{}:{}", d.span.file.display(), d.span.line)
            } else {
                d.span.file.display().to_string()
            };
            shown.push(format!("{}: {} [{}]", at, d.message, d.code.id));
            Diagnostic {
                severity: Severity::Warning,
                message: format!("{where_} {}", d.message),
                span: Span {
                    file: PathBuf::from(format!("{}:{}", tag.name, d.span.file.display())),
                    range: 0..0,
                    ..d.span
                },
                ..d
            }
        })
        .collect();
    Ok(CompiledVersion {
        compiled: c,
        source: src,
        warnings: shown,
        diagnostics,
    })
}

/// The warning for a tag that is not built.
pub fn not_built(tag: &Tag, why: &str) -> Diagnostic {
    no_history(format!(
        "[{}] tag {} is not built: {why}",
        tag.dir().trim_end_matches('/'),
        tag.name
    ))
}

/// Problems writing a tagged version, each naming the tag and its folder (`None`: the
/// current manual's, left as they are).
pub fn in_version(tag: Option<&Tag>, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Some(tag) = tag else {
        return diags;
    };
    let dir = tag.dir();
    diags
        .into_iter()
        .map(|d| Diagnostic {
            message: format!(
                "[{}] tag {}: {}",
                dir.trim_end_matches('/'),
                tag.name,
                d.message
            ),
            span: Span {
                file: PathBuf::from(format!("{dir}{}", d.span.file.display())),
                ..d.span
            },
            ..d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_of_an_old_version_name_its_tag_and_folder() {
        let tag = Tag {
            name: "release/2".into(),
            commit: ObjectId::parse(&"c".repeat(40)).unwrap(),
            time: 0,
        };
        let io = || {
            vec![Diagnostic::error(
                code::IO_ERROR,
                Span::file("static/style.css"),
                "cannot write static/style.css: File name too long",
            )]
        };
        let named = in_version(Some(&tag), io());
        assert_eq!(
            named[0].message,
            "[v/release~2F2] tag release/2: cannot write static/style.css: File name too long"
        );
        assert_eq!(
            named[0].span.file,
            PathBuf::from("v/release~2F2/static/style.css")
        );
        // The current manual's are left as they are.
        assert_eq!(in_version(None, io())[0].message, io()[0].message);
    }
}
