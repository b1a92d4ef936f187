//! The theme: Tera templates and static assets. The default theme in `themes/default/` is
//! embedded in the binary; an AIMS overrides any template or asset by name, from a `theme`
//! folder named in aims.toml and then from `templates/` and `static/` at its root. Symbolic
//! links in the AIMS root's overrides must stay in the AIMS folder, and those of the theme
//! folder in the theme folder (see [`Boundary`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostics::{code, Diagnostic, Span};
use crate::load::Boundary;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A loaded theme: the template engine and the static files to copy.
pub struct Theme {
    /// Templates, with fallbacks to the embedded default.
    pub tera: tera::Tera,
    /// Static files by output-relative path (under `static/`).
    pub assets: BTreeMap<String, Vec<u8>>,
    /// The `theme` folder, when it lies outside the AIMS folder (it is read because aims.toml
    /// names it; the build says so).
    pub outside: Option<PathBuf>,
}

/// One override file: the name it overrides, where it is read from, and how it is shown.
struct Override {
    prefix: &'static str,
    name: String,
    path: PathBuf,
    shown: PathBuf,
}

/// The override files of the theme folder and the AIMS root, found without reading anything
/// outside them: each folder's symbolic links must stay in that folder.
#[derive(Default)]
struct Overrides {
    templates: Vec<Override>,
    statics: Vec<Override>,
    /// The theme folder, when it lies outside the AIMS folder.
    outside: Option<PathBuf>,
    /// A link leads outside, or the theme folder does not exist.
    failed: bool,
}

fn overrides(root: &Path, theme: Option<(&Path, &Span)>, diags: &mut Vec<Diagnostic>) -> Overrides {
    let mut out = Overrides::default();
    let aims = Boundary::new(root, "the AIMS folder");
    // (boundary, prefix of the template names, how paths below it are shown)
    let mut layers: Vec<(Boundary, &'static str, PathBuf)> = Vec::new();
    if let Some((t, span)) = theme {
        match std::fs::canonicalize(root.join(t)) {
            Ok(dir) if dir.is_dir() => {
                let shown = match dir.strip_prefix(aims.canonical()) {
                    Ok(rel) if aims.holds(&dir) => rel.to_path_buf(),
                    _ => {
                        out.outside = Some(dir.clone());
                        dir.clone()
                    }
                };
                layers.push((Boundary::new(&dir, "the theme folder"), "theme/", shown));
            }
            found => {
                out.failed = true;
                let what = if found.is_ok() {
                    "is not a folder"
                } else {
                    "does not exist"
                };
                diags.push(
                    Diagnostic::error(
                        code::CONFIG,
                        span.clone(),
                        format!("the theme folder `{}` {what}", t.display()),
                    )
                    .with_suggestion("name a folder (relative to the AIMS root) holding `templates/` and `static/`, or remove `theme`"),
                );
            }
        }
    }
    layers.push((aims, "", PathBuf::new()));
    for (boundary, prefix, base) in &layers {
        for (sub, list) in [
            ("templates", &mut out.templates),
            ("static", &mut out.statics),
        ] {
            let hidden = |rel: &Path| {
                rel.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            };
            let walk = boundary.walk(Path::new(sub), &hidden);
            for e in walk.escapes {
                out.failed = true;
                let shown = base.join(&e.link);
                diags.push(e.diagnostic(Span::file(&shown), &shown));
            }
            for rel in walk.files {
                let Ok(path) = boundary.resolve(&rel) else {
                    continue;
                };
                let Ok(below) = rel.strip_prefix(sub) else {
                    continue;
                };
                let name = below
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                list.push(Override {
                    prefix,
                    name,
                    path,
                    shown: base.join(&rel),
                });
            }
        }
    }
    out
}

/// Every override file of the theme folder and the AIMS root (resolved paths, in the order
/// they apply), without reading anything outside them: what a theme fingerprint covers.
pub fn override_files(root: &Path, theme: Option<&Path>) -> Vec<PathBuf> {
    let span = Span::file(crate::config::CONFIG_FILE);
    let o = overrides(root, theme.map(|t| (t, &span)), &mut Vec::new());
    o.templates
        .into_iter()
        .chain(o.statics)
        .map(|f| f.path)
        .collect()
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

/// Loads the theme. `root` is the AIMS root; `theme` the theme folder from aims.toml
/// (relative to the root) with where it is written. Template errors, a missing theme folder
/// and links leading out of the AIMS folder or the theme folder are reported in `diags`.
pub fn load(
    root: Option<&Path>,
    theme: Option<(&Path, &Span)>,
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

    let found = match root {
        Some(root) => overrides(root, theme, diags),
        None => Overrides::default(),
    };
    let mut ok = !found.failed;
    for t in found.templates {
        match std::fs::read_to_string(&t.path) {
            Ok(text) => {
                origin.insert(format!("{}{}", t.prefix, t.name), t.shown);
                templates.push((format!("{}{}", t.prefix, t.name), text));
            }
            Err(e) => {
                ok = false;
                diags.push(Diagnostic::error(
                    code::IO_ERROR,
                    Span::file(&t.shown),
                    format!("cannot read template {}: {e}", t.shown.display()),
                ));
            }
        }
    }
    for f in found.statics {
        match std::fs::read(&f.path) {
            Ok(bytes) => {
                assets.insert(format!("static/{}", f.name), bytes);
            }
            Err(e) => {
                ok = false;
                diags.push(Diagnostic::error(
                    code::IO_ERROR,
                    Span::file(&f.shown),
                    format!("cannot read {}: {e}", f.shown.display()),
                ));
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
    ok.then_some(Theme {
        tera,
        assets,
        outside: found.outside,
    })
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
