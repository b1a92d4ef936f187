//! The theme: Tera templates and static assets. The default theme in `themes/default/` is
//! embedded in the binary; an AIMS overrides any template or asset by name, from a `theme`
//! folder named in aims.toml and then from `templates/` and `static/` at its root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostics::{code, Diagnostic, Span};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A loaded theme: the template engine and the static files to copy.
pub struct Theme {
    /// Templates, with fallbacks to the embedded default.
    pub tera: tera::Tera,
    /// Static files by output-relative path (under `static/`).
    pub assets: BTreeMap<String, Vec<u8>>,
}

fn walk_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            if let Ok(rel) = e.path().strip_prefix(dir) {
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if !name.split('/').any(|p| p.starts_with('.')) {
                    out.push((name, e.path().to_path_buf()));
                }
            }
        }
    }
    out
}

/// A Tera error with its whole chain of causes (where the template name and line are).
pub(crate) fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg.trim().to_string()
}

fn template_error(file: &Path, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        code::TEMPLATE,
        Span::file(file),
        format!("template error: {}", error_chain(e)),
    )
}

/// Loads the theme. `root` is the AIMS root; `theme_dir` the optional theme folder from
/// aims.toml (relative to the root). Template errors are reported in `diags`.
pub fn load(
    root: Option<&Path>,
    theme_dir: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Theme> {
    let mut tera = tera::Tera::default();
    if let Err(e) = tera.set_fallback_prefixes(["theme/", "default/"]) {
        diags.push(template_error(Path::new("templates"), &e));
        return None;
    }
    let mut assets = BTreeMap::new();
    let mut templates: Vec<(String, String)> = Vec::new();
    let mut origin: BTreeMap<String, PathBuf> = BTreeMap::new();

    for file in embedded_files(&DEFAULT_THEME) {
        {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = rel.strip_prefix("templates/") {
                let text = file.contents_utf8().unwrap_or_default().to_string();
                origin.insert(
                    format!("default/{name}"),
                    PathBuf::from(format!("<default theme>/templates/{name}")),
                );
                templates.push((format!("default/{name}"), text));
            } else if let Some(name) = rel.strip_prefix("static/") {
                assets.insert(format!("static/{name}"), file.contents().to_vec());
            }
        }
    }

    let mut overrides: Vec<(PathBuf, &str)> = Vec::new();
    if let (Some(root), Some(t)) = (root, theme_dir) {
        overrides.push((root.join(t), "theme/"));
    }
    if let Some(root) = root {
        overrides.push((root.to_path_buf(), ""));
    }
    let mut ok = true;
    for (base, prefix) in overrides {
        for (name, path) in walk_files(&base.join("templates")) {
            let shown = path
                .strip_prefix(root.unwrap_or(Path::new("")))
                .unwrap_or(&path)
                .to_path_buf();
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    origin.insert(format!("{prefix}{name}"), shown);
                    templates.push((format!("{prefix}{name}"), text));
                }
                Err(e) => {
                    ok = false;
                    diags.push(Diagnostic::error(
                        code::IO_ERROR,
                        Span::file(&shown),
                        format!("cannot read template {}: {e}", shown.display()),
                    ));
                }
            }
        }
        for (name, path) in walk_files(&base.join("static")) {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    assets.insert(format!("static/{name}"), bytes);
                }
                Err(e) => {
                    ok = false;
                    diags.push(Diagnostic::error(
                        code::IO_ERROR,
                        Span::file(&path),
                        format!("cannot read {}: {e}", path.display()),
                    ));
                }
            }
        }
    }
    if let Err(e) = tera.add_raw_templates(templates) {
        let text = e.to_string();
        let file = origin
            .iter()
            .find(|(name, _)| text.contains(name.as_str()))
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| PathBuf::from("templates"));
        diags.push(template_error(&file, &e));
        return None;
    }
    ok.then_some(Theme { tera, assets })
}

fn embedded_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out = Vec::new();
    for e in dir.entries() {
        match e {
            include_dir::DirEntry::File(f) => out.push(f),
            include_dir::DirEntry::Dir(d) => out.extend(embedded_files(d)),
        }
    }
    out
}
