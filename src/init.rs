//! `aimsdoc init`: a starter AIMS with aims.toml (the title and organization given, else
//! placeholders), a soa.yaml listing all 38 controls undecided, a systems.yaml with one AI
//! system to replace, and an AI policy skeleton; and the next steps to print once it is written.

use std::io;
use std::path::{Path, PathBuf};

use crate::model::catalog::{Catalog, EntryKind};

/// What `aimsdoc init` writes into aims.toml.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The manual's title [default: the folder's name in title case + "AI Management System"].
    pub title: Option<String>,
    /// The organization [default: a placeholder to replace].
    pub organization: Option<String>,
}

/// The organization written when none is given.
const PLACEHOLDER_ORGANIZATION: &str = "Example Ltd";

/// The starter inventory: one AI system, with every key written once.
const SYSTEMS_YAML: &str = r#"# The AI systems of this AIMS (ISO/IEC 42001 4.3). Documents name them in front
# matter (`systems: [AIS-01]`) and link to them with [[AIS-01]]. Every in-scope system is
# expected to have a current risk assessment and impact assessment record.
systems:
  - id: AIS-01
    name: Example AI system
    description: Replace with one of your AI systems, or remove it.
    owner: AI Governance Lead
    in_scope: true
    role: [deployer]            # provider | developer | deployer | user
    stage: design-and-development
    risk_class: minimal         # prohibited | high-risk | limited | minimal
    general_purpose: false
    third_parties: []
    since: 2026-01-01
"#;

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
        "# Statement of Applicability: a controlled document, then one decision per Annex A control.\n\
         # Its control data, checked like a document's: once approved it needs version, owner,\n\
         # approver, approved and review (e.g. `status: approved`, `approver: Management board`).\n\
         status: draft\n\
         version: \"0.1\"\n\
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

/// A TOML basic string holding `s` exactly (quotes, backslashes and control characters
/// escaped by the toml crate).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn aims_toml(title: &str, organization: &str) -> String {
    format!(
        "# aimsdoc settings. See the README for every key.\n\
         title = {}\n\
         organization = {}\n\
         description = \"Policies, procedures and records of our ISO/IEC 42001 AI management system.\"\n\
         # exclude = [\"_*\"]\n",
        toml_string(title),
        toml_string(organization)
    )
}

/// Creates the starter AIMS in `dir`. Returns the files written.
pub fn init(dir: &Path, opts: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    let io_err = |p: &Path, e| InitError::Io(p.to_path_buf(), e);
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| io_err(dir, e))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let title = opts.title.clone().unwrap_or_else(|| {
        let name = std::fs::canonicalize(dir)
            .ok()
            .or_else(|| Some(dir.to_path_buf()))
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Our".into());
        format!("{} AI Management System", crate::load::title_case(&name))
    });
    let organization = opts
        .organization
        .as_deref()
        .unwrap_or(PLACEHOLDER_ORGANIZATION);
    let catalog = Catalog::iso42001();
    let files: Vec<(&str, String)> = vec![
        ("aims.toml", aims_toml(&title, organization)),
        ("soa.yaml", soa_yaml(&catalog)),
        ("systems.yaml", SYSTEMS_YAML.into()),
        (
            "policies/_section.toml",
            "title = \"Policies\"\norder = 1\n".into(),
        ),
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

/// What to do after `init` (printed by the command): name aims.toml and soa.yaml, which every
/// new AIMS must edit, then the policy skeleton and the commands to run.
pub fn next_steps(dir: &Path, opts: &InitOptions) -> String {
    let at = |rel: &str| dir.join(rel).display().to_string();
    let settings = match (&opts.title, &opts.organization) {
        (Some(_), Some(_)) => "check the title, the organization and the other settings",
        (Some(_), None) => "replace the placeholder organization",
        (None, Some(_)) => "check the title (taken from the folder's name)",
        (None, None) => {
            "check the title (taken from the folder's name) and replace the placeholder organization"
        }
    };
    let controls = Catalog::iso42001().controls().count();
    format!(
        "Next:\n  1. {}: {settings}.\n  2. {}: decide each of the {controls} Annex A controls \
         (applicable or excluded, with a justification).\n  3. {}: list your AI systems.\n  \
         4. {}: write your AI policy, then add your other documents.\n  5. Run `aimsdoc check {}` to see what is left, \
         and `aimsdoc build {}` for the manual.\n",
        at("aims.toml"),
        at("soa.yaml"),
        at("systems.yaml"),
        at("policies/ai-policy.md"),
        dir.display(),
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_organization_are_written_as_toml_strings() {
        let text = aims_toml("Acme \"AI\" \\ Manual\n", "Ünïcode GmbH");
        let value: toml::Table = toml::from_str(&text).expect("valid TOML");
        assert_eq!(value["title"].as_str(), Some("Acme \"AI\" \\ Manual\n"));
        assert_eq!(value["organization"].as_str(), Some("Ünïcode GmbH"));
    }
}
