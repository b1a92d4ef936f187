//! `aimsdoc import comply SRC DEST`: a strongdm/comply project as an AIMS folder.
//!
//! comply keeps `policies/`, `procedures/` and `narratives/` (Markdown after YAML front
//! matter, usually without an opening `---`), `standards/*.yml` (criteria by id) and
//! `comply.yml` (the organization's `name`). Like comply, only the files directly in those
//! folders are read, and `README*` files are not documents. Each document keeps its path
//! (`policies/access.md` stays `policies/access.md`) and its body byte for byte under new
//! front matter ([`document`]); each standard becomes `frameworks/<id>.yaml` ([`standard`]);
//! `aims.toml` names the organization and enables the imported frameworks.
//!
//! Nothing outside SRC is read: the folder is walked and read through
//! [`Boundary`](crate::load::Boundary), which follows a symbolic link only while it stays
//! inside and reports one that leaves (`AIMS0009`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{code, Diagnostic, Diagnostics, LineIndex, Span};
use crate::load::Boundary;

mod dates;
mod document;
mod source;
mod standard;

use document::Kind;

use super::{Converted, ImportError, Plan};

/// Files over this size are not read (as for AIMS documents).
const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The organization written when comply.yml names none.
const PLACEHOLDER_ORGANIZATION: &str = "Example Ltd";

/// The document folders, in the order they are converted (ids are given in this order).
const FOLDERS: &[(&str, Kind)] = &[
    ("policies", Kind::Policy),
    ("procedures", Kind::Procedure),
    ("narratives", Kind::Narrative),
];

/// The files directly in `folder` with one of `exts`, except `README*`; links that leave SRC
/// and unreadable entries are reported.
fn list(boundary: &Boundary, folder: &str, exts: &[&str], diags: &mut Diagnostics) -> Vec<PathBuf> {
    let start = Path::new(folder);
    let deeper = |p: &Path| p.components().count() > 2;
    let walk = boundary.walk(start, &deeper);
    for e in &walk.escapes {
        diags.push(e.diagnostic(Span::file(&e.link), &e.link));
    }
    diags.extend(walk.problems);
    walk.files
        .into_iter()
        .filter(|p| p.parent() == Some(start))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_uppercase())
                .unwrap_or_default();
            !name.starts_with("README")
                && p.extension()
                    .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
        })
        .collect()
}

/// The text of `rel`, or a diagnostic.
fn read(boundary: &Boundary, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    let too_large = boundary
        .resolve(rel)
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .is_some_and(|m| m.len() > MAX_FILE);
    if too_large {
        diags.push(Diagnostic::error(
            code::FILE_TOO_LARGE,
            Span::file(rel),
            "the file is over 16 MiB; not converted",
        ));
        return None;
    }
    match boundary.read(rel) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Some(s),
            Err(_) => {
                diags.push(
                    Diagnostic::error(
                        code::NOT_UTF8,
                        Span::file(rel),
                        "the file is not UTF-8 text; not converted",
                    )
                    .with_suggestion("re-save it as UTF-8 and import again"),
                );
                None
            }
        },
        Err(e) => {
            diags.push(Diagnostic::error(
                code::IO_ERROR,
                Span::file(rel),
                format!("could not read the file: {e}"),
            ));
            None
        }
    }
}

/// The organization's name from `comply.yml`, if it has one.
fn organization(boundary: &Boundary, diags: &mut Diagnostics) -> Option<String> {
    let rel = Path::new("comply.yml");
    if let Some(e) = boundary.escape(rel) {
        diags.push(e.diagnostic(Span::file(rel), rel));
        return None;
    }
    if !boundary.resolve(rel).is_ok_and(|p| p.is_file()) {
        return None;
    }
    let text = read(boundary, rel, diags)?;
    let lines = LineIndex::new(&text);
    let mut found = Vec::new();
    let map = source::mapping(rel, &lines, &text, 0, "comply.yml", &mut found);
    diags.extend(found);
    map?.get("name")
        .and_then(source::scalar)
        .filter(|n| !n.trim().is_empty())
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn aims_toml(organization: Option<&str>, frameworks: &[String]) -> String {
    let org = organization.unwrap_or(PLACEHOLDER_ORGANIZATION);
    let list: Vec<String> = frameworks.iter().map(|f| toml_string(f)).collect();
    format!(
        "# aimsdoc settings, written by `aimsdoc import comply`. See the README for every key.\n\
         title = {}\n\
         organization = {}{}\n\
         # The frameworks imported from comply's standards/ (catalogs in frameworks/).\n\
         frameworks = [{}]\n",
        toml_string(&format!("{org} AI Management System")),
        toml_string(org),
        if organization.is_none() {
            "  # comply.yml names no organization: replace this"
        } else {
            ""
        },
        list.join(", ")
    )
}

/// Reads the comply project at `src` and plans the AIMS folder it becomes.
pub fn plan(src: &Path) -> Result<Plan, ImportError> {
    if !src.is_dir() {
        return Err(ImportError::NoSource(src.to_path_buf()));
    }
    let boundary = Boundary::new(src, "the comply folder");
    let mut diags = Diagnostics::default();
    let mut plan = Plan::default();
    let organization = organization(&boundary, &mut diags);

    let mut taken = BTreeSet::new();
    let mut standards: BTreeMap<String, String> = BTreeMap::new();
    let mut enabled = Vec::new();
    for rel in list(&boundary, "standards", &["yml", "yaml"], &mut diags) {
        let Some(text) = read(&boundary, &rel, &mut diags) else {
            continue;
        };
        let mut found = Vec::new();
        let s = standard::read(&rel, &text, &mut taken, &mut found);
        diags.extend(found);
        let Some(s) = s else { continue };
        let dest = PathBuf::from(format!("frameworks/{}.yaml", s.id));
        plan.converted.push(Converted {
            source: rel,
            dest: dest.clone(),
            what: format!("framework {} ({} criteria)", s.id, s.criteria),
        });
        plan.files.insert(dest, s.catalog.into_bytes());
        standards.entry(s.name).or_insert_with(|| s.id.clone());
        enabled.push(s.id);
    }

    let mut ids = BTreeSet::new();
    for (folder, kind) in FOLDERS {
        for rel in list(&boundary, folder, &["md"], &mut diags) {
            let Some(text) = read(&boundary, &rel, &mut diags) else {
                continue;
            };
            let mut cx = document::Context {
                standards: &standards,
                taken: &mut ids,
            };
            let mut found = Vec::new();
            let doc = document::convert(&rel, &text, *kind, &mut cx, &mut found);
            diags.extend(found);
            let Some(doc) = doc else { continue };
            plan.converted.push(Converted {
                source: rel.clone(),
                dest: rel.clone(),
                what: format!("{} {}", kind.noun(), doc.id),
            });
            plan.files.insert(rel, doc.text.into_bytes());
        }
    }
    plan.files.insert(
        PathBuf::from("aims.toml"),
        aims_toml(organization.as_deref(), &enabled).into_bytes(),
    );
    plan.diagnostics = diags.sorted();
    Ok(plan)
}

/// The text of a file of SRC for a diagnostic's snippet, read like everything else (never
/// outside SRC).
pub fn source_text(src: &Path) -> impl Fn(&Path) -> Option<String> {
    let boundary = Boundary::new(src, "the comply folder");
    move |p: &Path| {
        boundary
            .read(p)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    }
}
