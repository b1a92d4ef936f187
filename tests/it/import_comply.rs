//! `aimsdoc import comply SRC DEST` over a fixture in comply's own format
//! (`tests/fixtures/comply`): the files written, the report, the refusals, and a build of the
//! result.

use std::path::Path;

use crate::common::*;

/// The front matter (as YAML) and the body (as bytes) of a converted document.
fn parts(path: &Path) -> (serde_yaml::Value, Vec<u8>) {
    let text = std::fs::read(path).unwrap();
    let s = String::from_utf8(text.clone()).unwrap();
    let rest = s.strip_prefix("---\n").expect("opens with ---");
    let end = rest.find("\n---\n").expect("closing ---");
    let yaml = serde_yaml::from_str(&rest[..end + 1]).unwrap();
    let body_start = 4 + end + 5;
    (yaml, text[body_start..].to_vec())
}

/// The bytes after the first `---` line of a comply source file (its body).
fn source_body(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap();
    let s = String::from_utf8(text.clone()).unwrap();
    let mut at = 0;
    let mut seen_yaml = false;
    for line in s.split_inclusive('\n') {
        at += line.len();
        let fence = line.trim_end() == "---";
        if fence && (seen_yaml || at > line.len()) {
            return text[at..].to_vec();
        }
        seen_yaml |= !fence;
    }
    panic!("no body in {}", path.display())
}

fn import(src: &Path, dest: &Path) -> Run {
    aimsdoc([
        "import".as_ref(),
        "comply".as_ref(),
        src.as_os_str(),
        dest.as_os_str(),
    ])
}

fn s<'a>(v: &'a serde_yaml::Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(|x| x.as_str())
}

#[test]
fn converts_documents_standards_and_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("aims");
    let src = fixture("comply");
    let run = import(&src, &dest);
    // narratives/notes.md has no front matter at all: reported, not converted.
    run.expect_code(1);

    let files: Vec<String> = tree(&dest).keys().cloned().collect();
    assert_eq!(
        files,
        [
            "aims.toml",
            "frameworks/tsc.yaml",
            "narratives/system.md",
            "policies/access.md",
            "policies/workstation.md",
            "procedures/workstation.md",
        ]
    );

    // comply's layout (no opening ---), acronym, satisfies, two revisions.
    let (fm, body) = parts(&dest.join("policies/access.md"));
    assert_eq!(s(&fm, "id"), Some("AOTP"));
    assert_eq!(
        s(&fm, "title"),
        Some("Access Onboarding and Termination Policy")
    );
    assert_eq!(s(&fm, "type"), Some("policy"));
    assert_eq!(s(&fm, "status"), Some("draft"));
    assert_eq!(s(&fm, "version"), Some("2"));
    assert_eq!(s(&fm, "approved"), Some("2019-03-15"));
    let tsc: Vec<&str> = fm["frameworks"]["tsc"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(tsc, ["CC6.1", "CC6.2"]);
    assert!(fm.get("acronym").is_none() && fm.get("majorRevisions").is_none());
    assert_eq!(body, source_body(&src.join("policies/access.md")));
    // The thematic break in the body is part of the body.
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("\n---\n\n# Policy"));

    // The usual layout (opening ---), no acronym: the id is a slug of the name; one date
    // unreadable, the other `June 3rd, 2020`.
    let (fm, body) = parts(&dest.join("policies/workstation.md"));
    assert_eq!(s(&fm, "id"), Some("workstation-policy"));
    assert_eq!(s(&fm, "version"), Some("2"));
    assert_eq!(s(&fm, "approved"), Some("2020-06-03"));
    assert_eq!(body, source_body(&src.join("policies/workstation.md")));

    // The same file name in procedures/: kept at its own path; its acronym is taken
    // (ignoring case), so its id changes.
    let (fm, body) = parts(&dest.join("procedures/workstation.md"));
    assert_eq!(s(&fm, "id"), Some("aotp-2"));
    assert_eq!(s(&fm, "type"), Some("procedure"));
    assert!(fm.get("version").is_none() && fm.get("approved").is_none());
    assert!(fm.get("cron").is_none());
    assert_eq!(body, source_body(&src.join("procedures/workstation.md")));

    // A narrative with CRLF line ends: `other`, tagged; body bytes kept (CR included).
    let (fm, body) = parts(&dest.join("narratives/system.md"));
    assert_eq!(s(&fm, "id"), Some("S-A-N"));
    assert_eq!(s(&fm, "type"), Some("other"));
    assert_eq!(s(&fm, "approved"), Some("2016-10-01"));
    assert_eq!(fm["tags"][0].as_str(), Some("narrative"));
    assert_eq!(fm["frameworks"]["pci"][0].as_str(), Some("1.1"));
    assert!(body.contains(&b'\r'));
    assert_eq!(body, source_body(&src.join("narratives/system.md")));

    // The standard as a catalog: families and criteria, titles, parents.
    let cat: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(dest.join("frameworks/tsc.yaml")).unwrap())
            .unwrap();
    assert_eq!(cat["framework"]["id"].as_str(), Some("tsc"));
    assert_eq!(cat["framework"]["name"].as_str(), Some("TSC"));
    let entries = cat["entries"].as_sequence().unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["CC1", "CC1.1", "CC6", "CC6.1", "CC6.2", "CC7", "CC7.1", "A1", "A1.2"]
    );
    let cc62 = &entries[4];
    assert_eq!(cc62["kind"].as_str(), Some("control"));
    assert_eq!(cc62["parent"].as_str(), Some("CC6"));
    assert_eq!(cc62["title"].as_str(), Some("User Access"));
    assert!(cc62["summary"].as_str().unwrap().starts_with("Users are"));
    assert_eq!(entries[2]["kind"].as_str(), Some("family"));
    assert!(entries.iter().all(|e| e["title"].as_str().is_some()));

    // aims.toml: the organization from comply.yml, the imported framework enabled.
    let cfg: toml::Value =
        toml::from_str(&std::fs::read_to_string(dest.join("aims.toml")).unwrap()).unwrap();
    assert_eq!(cfg["organization"].as_str(), Some("Acme"));
    assert_eq!(cfg["title"].as_str(), Some("Acme AI Management System"));
    assert_eq!(
        cfg["frameworks"].as_array().unwrap()[0].as_str(),
        Some("tsc")
    );
    assert!(!dest.join("soa.yaml").exists());

    // What was converted, on stdout.
    for line in [
        "converted standards/TSC-2017.yml → frameworks/tsc.yaml",
        "converted policies/access.md → policies/access.md (policy AOTP)",
        "converted procedures/workstation.md → procedures/workstation.md (procedure aotp-2)",
        "converted narratives/system.md → narratives/system.md (narrative S-A-N)",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("README") && !run.stdout.contains("notes.md"));
}

#[test]
fn reports_each_problem_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let src = fixture("comply");
    let run = import(&src, &tmp.path().join("aims"));
    let diags = parse_diagnostics(&run.stderr);
    let find = |code: &str, loc: &str| {
        diags
            .iter()
            .find(|d| d.code == code && d.location.as_deref() == Some(loc))
            .unwrap_or_else(|| panic!("no {code} at {loc}:\n{}", run.stderr))
    };
    let loc = |rel: &str, needle: &str| location_of(&src, rel, needle);
    let d = find("AIMS0801", &loc("policies/access.md", "{{.Name}}"));
    assert!(d.message.contains("{{.Name}}"), "{}", d.message);
    find("AIMS0801", &loc("policies/workstation.md", "{{ .Name }}"));
    let d = find(
        "AIMS0802",
        &loc("policies/workstation.md", "sometime in spring"),
    );
    assert!(d.message.contains("sometime in spring"));
    let d = find(
        "AIMS0803",
        &loc("procedures/workstation.md", "acronym: aotp"),
    );
    assert!(d.message.contains("aotp-2"), "{}", d.message);
    let d = find("AIMS0803", &loc("narratives/system.md", "acronym: S A N"));
    assert!(d.message.contains("S-A-N"), "{}", d.message);
    let d = find("AIMS0804", &loc("procedures/workstation.md", "cron:"));
    assert!(d.message.contains("`cron`"));
    let d = find("AIMS0804", &loc("narratives/system.md", "PCI:"));
    assert!(d.message.contains("PCI"));
    let d = find("AIMS0004", "narratives/notes.md:1:1");
    assert_eq!(d.severity, "error");
    assert!(d.message.contains("not converted"));
    assert_eq!(diags.len(), 8, "{}", run.stderr);
    assert!(run.stderr.contains("Imported 5 files"), "{}", run.stderr);
    assert!(run.stderr.contains("1 error, 7 warnings"), "{}", run.stderr);
}

#[test]
fn the_result_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("aims");
    import(&fixture("comply"), &dest).expect_code(1);
    let run = build(&dest, &tmp.path().join("site"));
    run.expect_code(0);
    // `pci` is named in `satisfies` but the source has no standard for it: a framework
    // without a catalog (AIMS0702). comply has no Statement of Applicability, so every control
    // is undecided (AIMS0303). The imported standard's catalog and the documents' `frameworks`
    // are read without a word.
    let diags = parse_diagnostics(&run.stderr);
    for d in &diags {
        let pci = d.code == "AIMS0702" && d.message.contains("pci");
        assert!(
            d.severity == "warning" && (pci || d.code == "AIMS0303"),
            "{d:?}\n{}",
            run.stderr
        );
    }
    assert!(diags.iter().any(|d| d.code == "AIMS0702"), "{}", run.stderr);
    assert!(tmp.path().join("site/index.html").is_file());
    // The imported standard is a framework of the manual, with a page per criterion.
    assert!(tmp.path().join("site/frameworks/tsc/index.html").is_file());
    assert!(tmp.path().join("site/frameworks/tsc/CC6.1.html").is_file());
    assert_links_resolve(&tmp.path().join("site"));
}

#[test]
fn refuses_a_destination_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("aims");
    write(&dest, "keep.md", "mine\n");
    let run = import(&fixture("comply"), &dest);
    run.expect_code(2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    let files: Vec<String> = tree(&dest).keys().cloned().collect();
    assert_eq!(files, ["keep.md"]);
    assert_eq!(std::fs::read(dest.join("keep.md")).unwrap(), b"mine\n");

    // A file in DEST's place is refused too; a missing SRC is a usage error.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    import(&fixture("comply"), &file).expect_code(2);
    let run = import(&tmp.path().join("missing"), &tmp.path().join("new"));
    run.expect_code(2);
    assert!(!tmp.path().join("new").exists());
}

#[cfg(unix)]
#[test]
fn reads_nothing_outside_the_source() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("comply");
    copy_dir(&fixture("comply"), &src);
    std::fs::remove_file(src.join("narratives/notes.md")).unwrap();
    let secret = tmp.path().join("secret.md");
    std::fs::write(&secret, "name: Secret\n---\nOUTSIDE-TEXT\n").unwrap();
    std::os::unix::fs::symlink(&secret, src.join("policies/leak.md")).unwrap();
    std::os::unix::fs::symlink(tmp.path(), src.join("standards/up")).unwrap();
    // A link that stays inside is read like a copy.
    std::os::unix::fs::symlink("access.md", src.join("policies/alias.md")).unwrap();
    let dest = tmp.path().join("aims");
    let run = import(&src, &dest);
    run.expect_code(1);
    let diags = parse_diagnostics(&run.stderr);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "AIMS0009" && d.location.as_deref() == Some("policies/leak.md")),
        "{}",
        run.stderr
    );
    assert!(!dest.join("policies/leak.md").exists());
    for (path, bytes) in tree(&dest) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("OUTSIDE-TEXT"),
            "{path}"
        );
    }
    assert!(dest.join("policies/alias.md").is_file());
}
