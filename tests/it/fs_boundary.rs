//! Nothing outside the AIMS folder is read: symbolic links that lead out of it (to a file, a
//! folder, the `static/` or `templates/` overrides, into `.git`) are errors at the link, the
//! walk does not enter outside folders, a `theme` folder outside the root is named in the
//! build summary and its own links stay in it. Every outside file holds a marker that must
//! appear nowhere in the output. Links that stay inside keep working.

use crate::common;
use crate::serve_support;

use std::ffi::OsStr;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

/// Written into every file outside the AIMS folder.
const MARKER: &str = "OUTSIDE-BYTES-5E1F-MARKER";

const SYMLINK_OUTSIDE: &str = "AIMS0009";

const POLICY: &str =
    "---\nid: POL-1\ntitle: AI Policy\nclassification: public\n---\n# Policy\n\nStaff follow it.\n";

/// An AIMS at `TMP/aims` with one public policy (and no soa.yaml: one warning), and a folder `TMP/outside`
/// holding marked files: `secret.txt`, `logo.png`, `docs/leak.md` (a valid document),
/// `style.css`, `partial.html`.
struct Setup {
    _tmp: TempDir,
    root: PathBuf,
    outside: PathBuf,
    out: PathBuf,
}

fn setup() -> Setup {
    let (tmp, root) = temp_aims();
    write(&root, "policies/ai-policy.md", POLICY);
    let outside = tmp.path().join("outside");
    write(&outside, "secret.txt", format!("secret {MARKER}\n"));
    write(&outside, "logo.png", format!("png {MARKER}"));
    write(
        &outside,
        "docs/leak.md",
        format!("---\nid: LEAK-1\ntitle: Leak {MARKER}\n---\n# Leak\n\n{MARKER}\n"),
    );
    // Walking the outside folder would report this dangling link.
    symlink("nowhere/at/all.md", outside.join("docs/dangling.md")).unwrap();
    write(&outside, "style.css", format!("/* {MARKER} */\n"));
    write(&outside, "partial.html", format!("<p>{MARKER}</p>\n"));
    let out = tmp.path().join("site");
    Setup {
        _tmp: tmp,
        root,
        outside,
        out,
    }
}

impl Setup {
    /// Appends a line to the policy's body.
    fn add_to_policy(&self, line: &str) {
        let p = self.root.join("policies/ai-policy.md");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str(line);
        text.push('\n');
        std::fs::write(p, text).unwrap();
    }

    /// Builds once cleanly (the output the failed builds must leave alone).
    fn first_build(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        build(&self.root, &self.out).expect_code(0);
        tree(&self.out)
    }

    /// Checks and builds; both fail with `errors` errors, the earlier output is untouched
    /// and holds no outside bytes. Returns the build's run.
    fn fails(&self, before: &std::collections::BTreeMap<String, Vec<u8>>, errors: usize) -> Run {
        let checked = check(&self.root);
        checked.expect_code(1);
        assert_eq!(checked.counts().0, errors, "{}", checked.stderr);
        let built = build(&self.root, &self.out);
        built.expect_code(1);
        assert_eq!(built.counts().0, errors, "{}", built.stderr);
        assert_same_tree(before, &tree(&self.out));
        assert_no_marker(&self.out);
        built
    }
}

/// No file below `dir` holds the marker.
fn assert_no_marker(dir: &Path) {
    for (rel, bytes) in tree(dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(MARKER),
            "{rel} holds bytes from outside the AIMS folder"
        );
    }
}

fn outside_message(link: &str, target: &Path, folder: &str) -> String {
    format!(
        "{link} is a symbolic link to {}, outside {folder}; aimsdoc reads nothing outside it",
        target.display()
    )
}

fn assert_escape(d: &Diag, location: &str, message: &str, what: &str, folder: &str) {
    assert_eq!(d.severity, "error", "{d:?}");
    assert_eq!(d.name, "symlink-outside", "{d:?}");
    assert_eq!(d.message, message, "{d:?}");
    assert_eq!(d.location.as_deref(), Some(location), "{d:?}");
    assert_eq!(
        d.help(),
        format!("copy the {what} into {folder} instead of linking to it"),
        "{d:?}"
    );
}

#[test]
fn a_link_to_the_process_environment_is_an_error_at_the_link_in_a_public_build() {
    let s = setup();
    let public = |out: &Path| {
        aimsdoc_env(
            [
                OsStr::new("build"),
                s.root.as_os_str(),
                OsStr::new("-o"),
                out.as_os_str(),
                OsStr::new("--today"),
                OsStr::new(TODAY),
                OsStr::new("--audience"),
                OsStr::new("public"),
            ],
            &[("AIMSDOC_TEST_SECRET", MARKER)],
        )
    };
    public(&s.out).expect_code(0);
    let before = tree(&s.out);
    symlink("/proc/self/environ", s.root.join("policies/env.txt")).unwrap();
    s.add_to_policy("The [environment](env.txt) of the build.");
    let run = public(&s.out);
    run.expect_code(1).expect_counts(1, 1);
    assert_escape(
        &run.only(SYMLINK_OUTSIDE),
        &location_of(&s.root, "policies/ai-policy.md", "[environment]"),
        &outside_message(
            "policies/env.txt",
            Path::new("/proc/self/environ"),
            "the AIMS folder",
        ),
        "file",
        "the AIMS folder",
    );
    assert_same_tree(&before, &tree(&s.out));
    assert_no_marker(&s.out);
}

#[test]
fn a_linked_file_and_an_image_leading_outside_are_errors_where_they_are_used() {
    let s = setup();
    let before = s.first_build();
    symlink(
        s.outside.join("secret.txt"),
        s.root.join("policies/notes.txt"),
    )
    .unwrap();
    std::fs::create_dir_all(s.root.join("assets")).unwrap();
    symlink("../../outside/logo.png", s.root.join("assets/logo.png")).unwrap();
    // An unreferenced link is never read, so it is not reported.
    symlink(
        s.outside.join("secret.txt"),
        s.root.join("policies/unused.txt"),
    )
    .unwrap();
    s.add_to_policy("See [the notes](notes.txt).\n\n![Logo](../assets/logo.png)");
    let run = s.fails(&before, 2);
    let d = run.with_code(SYMLINK_OUTSIDE);
    assert_eq!(d.len(), 2, "{}", run.stderr);
    assert_escape(
        &d[0],
        &location_of(&s.root, "policies/ai-policy.md", "[the notes]"),
        &outside_message(
            "policies/notes.txt",
            &s.outside.join("secret.txt"),
            "the AIMS folder",
        ),
        "file",
        "the AIMS folder",
    );
    // A relative link text is shown resolved.
    assert_escape(
        &d[1],
        &location_of(&s.root, "policies/ai-policy.md", "![Logo]"),
        &outside_message(
            "assets/logo.png",
            &s.outside.canonicalize().unwrap().join("logo.png"),
            "the AIMS folder",
        ),
        "file",
        "the AIMS folder",
    );
}

#[test]
fn a_symlinked_folder_leading_outside_is_not_walked() {
    let s = setup();
    let before = s.first_build();
    symlink(s.outside.join("docs"), s.root.join("policies/shared")).unwrap();
    symlink(
        s.outside.join("docs/leak.md"),
        s.root.join("policies/leak.md"),
    )
    .unwrap();
    s.add_to_policy("Also [the shared leak](shared/leak.md).");
    // The folder at its path, the document at its path, the link into the folder at the
    // link; nothing from inside the outside folder (its dangling link, its document).
    let run = s.fails(&before, 3);
    let d = run.with_code(SYMLINK_OUTSIDE);
    assert_eq!(d.len(), 3, "{}", run.stderr);
    let shared = outside_message(
        "policies/shared",
        &s.outside.join("docs"),
        "the AIMS folder",
    );
    assert_escape(
        &d[0],
        &location_of(&s.root, "policies/ai-policy.md", "[the shared leak]"),
        &shared,
        "folder",
        "the AIMS folder",
    );
    assert_escape(
        &d[1],
        "policies/leak.md",
        &outside_message(
            "policies/leak.md",
            &s.outside.join("docs/leak.md"),
            "the AIMS folder",
        ),
        "file",
        "the AIMS folder",
    );
    assert_escape(
        &d[2],
        "policies/shared",
        &shared,
        "folder",
        "the AIMS folder",
    );
    assert!(!run.stderr.contains("LEAK-1") && !run.stderr.contains("dangling"));
}

#[test]
fn a_link_to_etc_is_not_walked() {
    let s = setup();
    symlink("/etc", s.root.join("policies/etcdir")).unwrap();
    let run = check(&s.root);
    run.expect_code(1).expect_counts(1, 1);
    let d = run.only(SYMLINK_OUTSIDE);
    assert_eq!(d.location.as_deref(), Some("policies/etcdir"));
    assert_eq!(
        d.message,
        outside_message("policies/etcdir", Path::new("/etc"), "the AIMS folder")
    );
}

#[test]
fn static_and_template_overrides_leading_outside_are_errors() {
    let s = setup();
    let before = s.first_build();
    symlink(&s.outside, s.root.join("static")).unwrap();
    std::fs::create_dir_all(s.root.join("templates/partials")).unwrap();
    symlink(
        s.outside.join("partial.html"),
        s.root.join("templates/partials/search.html"),
    )
    .unwrap();
    let run = s.fails(&before, 2);
    let d = run.with_code(SYMLINK_OUTSIDE);
    assert_eq!(d.len(), 2, "{}", run.stderr);
    assert_escape(
        &d[0],
        "static",
        &outside_message("static", &s.outside, "the AIMS folder"),
        "folder",
        "the AIMS folder",
    );
    assert_escape(
        &d[1],
        "templates/partials/search.html",
        &outside_message(
            "templates/partials/search.html",
            &s.outside.join("partial.html"),
            "the AIMS folder",
        ),
        "file",
        "the AIMS folder",
    );
}

#[test]
fn aims_toml_soa_and_section_files_leading_outside_are_errors() {
    let s = setup();
    let before = s.first_build();
    write(
        &s.outside,
        "soa.yaml",
        format!("controls: {{}}\n# {MARKER}\n"),
    );
    symlink(s.outside.join("soa.yaml"), s.root.join("soa.yaml")).unwrap();
    write(&s.outside, "section.toml", "title = \"Outside title\"\n");
    symlink(
        s.outside.join("section.toml"),
        s.root.join("policies/_section.toml"),
    )
    .unwrap();
    let run = s.fails(&before, 2);
    let d = run.with_code(SYMLINK_OUTSIDE);
    assert_eq!(d.len(), 2, "{}", run.stderr);
    assert_eq!(d[0].location.as_deref(), Some("policies/_section.toml"));
    assert_eq!(d[1].location.as_deref(), Some("soa.yaml"));
    assert_eq!(
        d[1].message,
        outside_message("soa.yaml", &s.outside.join("soa.yaml"), "the AIMS folder")
    );
    assert!(!run.stderr.contains("Outside title"));

    // aims.toml itself: nothing else is read.
    let config = std::fs::read(s.root.join("aims.toml")).unwrap();
    write(&s.outside, "aims.toml", config);
    std::fs::remove_file(s.root.join("aims.toml")).unwrap();
    symlink(s.outside.join("aims.toml"), s.root.join("aims.toml")).unwrap();
    let run = s.fails(&before, 1);
    assert_eq!(
        run.only(SYMLINK_OUTSIDE).message,
        outside_message("aims.toml", &s.outside.join("aims.toml"), "the AIMS folder")
    );
}

#[test]
fn a_link_into_git_is_refused() {
    let s = setup();
    let before = s.first_build();
    write(&s.root, ".git/config", format!("[remote] {MARKER}\n"));
    symlink("../.git/config", s.root.join("policies/config.txt")).unwrap();
    s.add_to_policy("The [repository settings](config.txt).");
    let run = s.fails(&before, 1);
    let d = run.only(SYMLINK_OUTSIDE);
    assert_eq!(
        d.message,
        format!(
            "policies/config.txt is a symbolic link to {}, inside a .git folder; aimsdoc does not read git's files",
            s.root.canonicalize().unwrap().join(".git/config").display()
        )
    );
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(&s.root, "policies/ai-policy.md", "[repository settings]").as_str())
    );
}

#[test]
fn a_theme_outside_the_root_is_named_and_its_own_links_stay_in_it() {
    let s = setup();
    let theme = s.root.parent().unwrap().join("outtheme");
    write(&theme, "static/extra.css", "/* theme */\n");
    symlink("extra.css", theme.join("static/alias.css")).unwrap();
    let config = s.root.join("aims.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("theme = \"../outtheme\"\n");
    std::fs::write(&config, text).unwrap();
    let run = build(&s.root, &s.out);
    run.expect_code(0);
    let shown = theme.canonicalize().unwrap();
    let note = format!("Theme from {} (outside the AIMS folder).", shown.display());
    assert!(run.stderr.contains(&note), "{}", run.stderr);
    assert!(check(&s.root).stderr.contains(&note));
    assert_eq!(
        std::fs::read(s.out.join("static/alias.css")).unwrap(),
        b"/* theme */\n"
    );
    let before = tree(&s.out);

    symlink(s.outside.join("style.css"), theme.join("static/style.css")).unwrap();
    let run = s.fails(&before, 1);
    let link = shown.join("static/style.css");
    assert_escape(
        &run.only(SYMLINK_OUTSIDE),
        &link.display().to_string(),
        &outside_message(
            &link.display().to_string(),
            &s.outside.join("style.css"),
            "the theme folder",
        ),
        "file",
        "the theme folder",
    );
}

#[test]
fn a_theme_folder_that_does_not_exist_is_an_error() {
    let s = setup();
    let config = s.root.join("aims.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("theme = \"no-such-theme\"\n");
    std::fs::write(&config, text).unwrap();
    let run = build(&s.root, &s.out);
    run.expect_code(1).expect_counts(1, 1);
    let d = run.only("AIMS0010");
    assert_eq!(d.message, "the theme folder `no-such-theme` does not exist");
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(&s.root, "aims.toml", "theme").as_str())
    );
    assert!(!s.out.exists());
}

#[test]
fn symbolic_links_that_stay_inside_keep_working() {
    let s = setup();
    write(&s.root, "media/guide.pdf", "%PDF guide\n");
    write(&s.root, "assets/logo.png", "png inside\n");
    write(
        &s.root,
        "shared/search.html",
        "<p>INSIDE-PARTIAL-MARKER</p>\n",
    );
    write(&s.root, "mytheme/static/theme.css", "/* mytheme */\n");
    symlink("../assets/logo.png", s.root.join("policies/logo.png")).unwrap();
    symlink("media", s.root.join("downloads")).unwrap();
    std::fs::create_dir_all(s.root.join("templates/partials")).unwrap();
    symlink(
        "../../shared/search.html",
        s.root.join("templates/partials/search.html"),
    )
    .unwrap();
    symlink(s.root.join("mytheme"), s.root.join("theme-link")).unwrap();
    let config = s.root.join("aims.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("theme = \"theme-link\"\n");
    std::fs::write(&config, text).unwrap();
    s.add_to_policy("![Logo](logo.png) and [the guide](../downloads/guide.pdf).");
    let run = build(&s.root, &s.out);
    run.expect_code(0).expect_counts(0, 1);
    assert!(
        !run.stderr.contains("outside the AIMS folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(s.out.join("files/policies/logo.png")).unwrap(),
        b"png inside\n"
    );
    assert_eq!(
        std::fs::read(s.out.join("files/downloads/guide.pdf")).unwrap(),
        b"%PDF guide\n"
    );
    assert_eq!(
        std::fs::read(s.out.join("static/theme.css")).unwrap(),
        b"/* mytheme */\n"
    );
    let index = std::fs::read_to_string(s.out.join("index.html")).unwrap();
    assert!(index.contains("INSIDE-PARTIAL-MARKER"));
    assert_links_resolve(&s.out);
}

#[test]
fn serve_publishes_nothing_from_outside() {
    let s = setup();
    symlink(
        s.outside.join("secret.txt"),
        s.root.join("policies/notes.txt"),
    )
    .unwrap();
    symlink(s.outside.join("docs"), s.root.join("policies/shared")).unwrap();
    s.add_to_policy("See [the notes](notes.txt) and [the leak](shared/leak.md).");
    let server = serve_support::start(&s.root);
    // The first build has errors, and serve still shows the pages it could render.
    let page = serve_support::get(&server.addr, "/documents/POL-1.html");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Staff follow it."));
    for target in [
        "/documents/POL-1.html",
        "/files/policies/notes.txt",
        "/files/policies/shared/leak.md",
        "/documents/LEAK-1.html",
        "/search.json",
        "/print.html",
    ] {
        let r = serve_support::get(&server.addr, target);
        assert!(!r.text().contains(MARKER), "{target} served outside bytes");
    }
    assert_eq!(
        serve_support::get(&server.addr, "/files/policies/notes.txt").status,
        404
    );
}

/// The inodes (hex, as `/proc` prints them) that the inotify instances of process `pid`
/// watch.
fn watched_inodes(pid: u32) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fdinfo")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for line in text.lines().filter(|l| l.starts_with("inotify wd:")) {
            if let Some(ino) = line.split_whitespace().find_map(|w| w.strip_prefix("ino:")) {
                out.push(ino.to_string());
            }
        }
    }
    out
}

#[test]
fn serve_does_not_watch_a_folder_outside() {
    use std::os::unix::fs::MetadataExt;
    let s = setup();
    symlink(s.outside.join("docs"), s.root.join("policies/shared")).unwrap();
    let server = serve_support::start(&s.root);
    let watched = watched_inodes(server.child.id());
    let ino = |p: &Path| format!("{:x}", std::fs::metadata(p).unwrap().ino());
    assert!(
        watched.contains(&ino(&s.root.join("policies"))),
        "the AIMS folder is watched: {watched:?}"
    );
    assert!(
        !watched.contains(&ino(&s.outside.join("docs"))),
        "the outside folder is watched"
    );
}

/// The versions built from git never follow a committed symbolic link: git stores it as
/// a blob holding the target's path, and that blob is not a file of the version.
#[test]
fn a_symlink_committed_in_a_tag_is_not_followed() {
    let s = setup();
    let home = s.root.parent().unwrap().to_path_buf();
    let git = |args: &[&str]| git_in(&s.root, &home, 0, args);
    let config = s.root.join("aims.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[versions]\ntags = \"v*\"\n");
    std::fs::write(&config, text).unwrap();
    symlink(
        s.outside.join("secret.txt"),
        s.root.join("policies/notes.txt"),
    )
    .unwrap();
    s.add_to_policy("See [the notes](notes.txt).");
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "With a link out"]);
    git(&["tag", "v1"]);
    // The current manual drops the link; the tag still has it.
    std::fs::remove_file(s.root.join("policies/notes.txt")).unwrap();
    std::fs::write(s.root.join("policies/ai-policy.md"), POLICY).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "Without"]);
    let run = build(&s.root, &s.out);
    run.expect_code(0);
    assert!(
        s.out.join("v/v1/documents/POL-1.html").is_file(),
        "{:?}",
        tree(&s.out)
            .keys()
            .filter(|k| k.starts_with("v/"))
            .take(5)
            .collect::<Vec<_>>()
    );
    assert!(!s.out.join("v/v1/files/policies/notes.txt").exists());
    assert_no_marker(&s.out);
}
