//! `aimsdoc init`: a starter AIMS with aims.toml, a soa.yaml listing all 38 controls
//! undecided, and an AI policy skeleton.

use std::io;
use std::path::{Path, PathBuf};

use crate::model::catalog::{Catalog, EntryKind};

/// Why init refused.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has files in it.
    #[error("{0} is not empty; `aimsdoc init` only writes into an empty or new folder")]
    NotEmpty(PathBuf),
    /// File system failure.
    #[error("{0}: {1}")]
    Io(PathBuf, io::Error),
}

fn soa_yaml(catalog: &Catalog) -> String {
    let mut s = String::from(
        "# Statement of Applicability: one decision per Annex A control.\n\
         # Applicable:  A.x.y: {applicable: true, justification: \"...\", implementation: implemented}  # implemented | partial | planned\n\
         # Excluded:    A.x.y: {applicable: false, justification: \"why it does not apply\"}\n\
         # `{}` means undecided: aimsdoc warns and treats the control as applicable.\n\
         controls:\n",
    );
    for e in &catalog.entries {
        match e.kind {
            EntryKind::Objective => s.push_str(&format!("  # {} {}\n", e.id, e.title)),
            EntryKind::Control => s.push_str(&format!("  {}: {{}}  # {}\n", e.id, e.title)),
            _ => {}
        }
    }
    s
}

const AI_POLICY: &str = r#"---
id: POL-AI-001
title: AI Policy
type: policy
status: draft
version: "0.1"
owner: Head of AI Governance
approver: Chief Executive Officer
classification: public
clauses: ["5.2"]
controls:
  - A.2.2
  - id: A.2.3
    note: how this policy fits with the other organisational policies
---

## 1. Purpose {#purpose}

State why the organisation uses or builds AI and what this policy commits it to.

## 2. Principles

List the principles every AI system must follow. Link to the clause this answers: [[5.2]].

## 3. Review

Say who reviews this policy and how often ([[A.2.4]]).
"#;

/// Creates the starter AIMS in `dir`. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let io_err = |p: &Path, e| InitError::Io(p.to_path_buf(), e);
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let name = std::fs::canonicalize(dir)
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Our".into());
    let catalog = Catalog::iso42001();
    let files: Vec<(&str, String)> = vec![
        (
            "aims.toml",
            format!(
                "# aimsdoc settings. See the README for every key.\ntitle = \"{} AI Management System\"\norganization = \"Example Ltd\"\ndescription = \"Policies, procedures and records of our ISO/IEC 42001 AI management system.\"\n# exclude = [\"_*\"]\n",
                crate::load::title_case(&name).replace('"', "")
            ),
        ),
        ("soa.yaml", soa_yaml(&catalog)),
        ("policies/_section.toml", "title = \"Policies\"\norder = 1\n".into()),
        ("policies/ai-policy.md", AI_POLICY.into()),
        (".gitignore", "_site/\n".into()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io_err(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
