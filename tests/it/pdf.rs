//! `aimsdoc build --pdf`: the PDF of the sample has a page per part, its table of contents
//! links to the pages where the documents start, every page is numbered and names the
//! manual, its version and edition, the register keeps ids and dates whole, and a missing
//! Chromium is a clear error.
//! Needs a Chromium (`chromium`, `chromium-browser` or `google-chrome` on PATH) and
//! poppler-utils (`pdfinfo`, `pdftotext`); without them the tests say so and pass.

use crate::common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use common::*;

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap();
    assert!(out.status.success(), "{name} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's objects by number, as text (streams are compressed binary and ignored).
fn objects(pdf: &[u8]) -> HashMap<u32, String> {
    let text = String::from_utf8_lossy(pdf);
    let mut out = HashMap::new();
    let mut rest: &str = &text;
    while let Some(at) = rest.find(" 0 obj") {
        let head = &rest[..at];
        let num = head
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse::<u32>().ok());
        let body_start = at + " 0 obj".len();
        let end = rest[body_start..]
            .find("endobj")
            .map_or(rest.len(), |e| body_start + e);
        if let Some(n) = num {
            out.insert(n, rest[body_start..end].to_string());
        }
        rest = &rest[end..];
    }
    out
}

/// Object numbers of the pages, in order, by walking the page tree from the catalog.
fn page_order(objs: &HashMap<u32, String>) -> Vec<u32> {
    fn refs_after(body: &str, key: &str) -> Vec<u32> {
        let Some(i) = body.find(key) else {
            return Vec::new();
        };
        let list = &body[i + key.len()..];
        let list = &list[..list.find(']').unwrap_or(list.len())];
        let nums: Vec<&str> = list.split_whitespace().collect();
        nums.chunks(3)
            .filter(|c| c.len() == 3 && c[2] == "R")
            .filter_map(|c| c[0].trim_start_matches('[').parse().ok())
            .collect()
    }
    fn walk(objs: &HashMap<u32, String>, n: u32, out: &mut Vec<u32>) {
        let body = &objs[&n];
        if body.contains("/Type /Pages") {
            for k in refs_after(body, "/Kids [") {
                walk(objs, k, out);
            }
        } else {
            out.push(n);
        }
    }
    let catalog = objs
        .values()
        .find(|b| b.contains("/Type /Catalog"))
        .expect("a catalog");
    let i = catalog.find("/Pages ").expect("/Pages") + "/Pages ".len();
    let root: u32 = catalog[i..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("pages ref");
    let mut out = Vec::new();
    walk(objs, root, &mut out);
    out
}

/// Whether Chromium and poppler-utils are there (says why not otherwise). With
/// `AIMSDOC_REQUIRE_PDF_TOOLS` set (`scripts/browser-tests.sh` sets it), a missing tool
/// fails the test instead.
fn tools_present() -> bool {
    let skip = |why: &str| {
        assert!(
            std::env::var_os("AIMSDOC_REQUIRE_PDF_TOOLS").is_none(),
            "pdf test: {why}"
        );
        eprintln!("SKIPPED pdf test: {why}");
        false
    };
    let Some(browser) = aimsdoc::pdf::find_browser() else {
        return skip("no chromium, chromium-browser or google-chrome on PATH");
    };
    if !on_path("pdfinfo") || !on_path("pdftotext") {
        return skip("pdfinfo/pdftotext not found (apt-get install poppler-utils)");
    }
    eprintln!("pdf test with {}", browser.display());
    true
}

/// The number of pages of `pdf`.
fn page_count(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

/// The text of each page of `pdf`, in layout mode (a table row stays on one line).
fn page_texts(pdf: &Path) -> Vec<String> {
    let all = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let mut pages: Vec<String> = all.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends every page with a form feed, so the last piece is empty.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Builds the sample with `--pdf` into a temporary folder.
fn sample_pdf() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    aimsdoc([
        "build".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--pdf".as_ref(),
    ])
    .expect_code(0);
    (tmp, out)
}

#[test]
fn every_pdf_page_is_numbered_and_names_the_manual_version_and_edition() {
    if !tools_present() {
        return;
    }
    let (_tmp, out) = sample_pdf();
    let pdf = out.join("manual.pdf");
    let pages = page_texts(&pdf);
    let n = page_count(&pdf);
    assert_eq!(pages.len(), n);
    let version = format!("working copy as of {TODAY}");
    for (i, text) in pages.iter().enumerate() {
        let p = i + 1;
        assert!(
            text.contains(&format!("Page {p} of {n}")),
            "page {p} has no page number: {text}"
        );
        assert!(
            text.contains("Northwind Analytics AI Management System"),
            "page {p} has no title"
        );
        assert!(
            text.contains(&format!("{version} · complete edition")),
            "page {p} has no version and edition"
        );
    }
    // The cover names the version.
    let cover = &pages[0];
    let line = cover
        .lines()
        .find(|l| l.trim_start().starts_with("Version"))
        .expect("a Version line on the cover");
    assert!(line.contains(&version), "{line}");
    // Each document's pages carry its id and version at the top.
    let head = |p: &str| {
        p.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string()
    };
    let policy: Vec<String> = pages
        .iter()
        .filter(|p| p.contains("POL-AI-001 · version 2.1"))
        .map(|p| head(p))
        .collect();
    assert!(policy.len() >= 2, "the AI policy spans pages: {policy:?}");
    assert!(policy
        .iter()
        .all(|h| h.contains("POL-AI-001 · version 2.1")));
}

#[test]
fn the_pdf_register_keeps_ids_and_dates_whole_and_every_column() {
    if !tools_present() {
        return;
    }
    let (_tmp, out) = sample_pdf();
    let pages = page_texts(&out.join("manual.pdf"));
    // The register's pages: from its heading to the SoA's.
    let heading = |p: &String, h: &str| p.lines().any(|l| l.trim() == h);
    let start = pages
        .iter()
        .position(|p| heading(p, "Document register"))
        .expect("the register");
    let end = pages
        .iter()
        .position(|p| heading(p, "Statement of Applicability"))
        .expect("the SoA");
    // Without the running footer (it names the edition).
    let register: String = pages[start..end]
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| !l.contains(" edition "))
        .collect::<Vec<_>>()
        .join("\n");

    let web = page(&out, "register.html");
    let rows: Vec<_> = web.select(&sel(".register-table tbody tr")).collect();
    // The 27 documents and the SoA's own row.
    assert_eq!(rows.len(), 28);
    let mut dates: HashMap<String, usize> = HashMap::new();
    let mut classes: HashMap<String, usize> = HashMap::new();
    for tr in &rows {
        let id = tr.select(&sel("th")).next().map(text_of).unwrap();
        assert!(register.contains(&id), "{id} is split or missing");
        for d in tr.select(&sel(".date-cell")).map(text_of) {
            if d != "—" {
                *dates.entry(d).or_default() += 1;
            }
        }
        let class = tr.select(&sel("td")).last().map(text_of).unwrap();
        // The SoA's own row has no classification ("—").
        if class != "—" {
            *classes.entry(class).or_default() += 1;
        }
    }
    assert!(dates.len() > 10);
    for (date, n) in &dates {
        assert_eq!(
            register.matches(date.as_str()).count(),
            *n,
            "{date} is split or missing"
        );
    }
    // The last column is there: every row's classification.
    let words = |w: &str| {
        register
            .split(|c: char| !c.is_alphanumeric())
            .filter(|x| *x == w)
            .count()
    };
    for (class, n) in &classes {
        assert_eq!(words(class), *n, "classification {class}");
    }
    // No line ends in the middle of an id or a date.
    for line in register.lines() {
        let last = line.split_whitespace().last().unwrap_or("");
        assert!(
            !(last.ends_with('-') && last.len() > 1),
            "a broken id or date: {line}"
        );
    }
}

#[test]
fn pdf_has_pages_and_a_linked_table_of_contents() {
    if !tools_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = aimsdoc([
        "build".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--pdf".as_ref(),
    ]);
    run.expect_code(0);
    let pdf = out.join("manual.pdf");
    assert!(pdf.is_file(), "no manual.pdf");
    // Written inside the output, listed in the manifest, nothing left beside it.
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"manual.pdf\""));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);

    let pages = page_count(&pdf);
    let docs = std::fs::read_dir(out.join("documents")).unwrap().count();
    // Cover, contents, coverage, register, SoA, then each document on its own pages.
    assert!(pages >= docs + 5, "{pages} pages for {docs} documents");

    let bytes = std::fs::read(&pdf).unwrap();
    let objs = objects(&bytes);
    let order = page_order(&objs);
    assert_eq!(order.len(), pages, "page tree walked");
    assert!(
        objs.values().any(|b| b.contains("/Outlines")),
        "the PDF has bookmarks"
    );
    // Every document's table-of-contents link jumps to the page where it starts.
    let text_of = |page: usize| {
        let p = page.to_string();
        tool(
            "pdftotext",
            &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
        )
    };
    let toc_page = (1..=3)
        .find(|&p| text_of(p).contains("Contents"))
        .expect("a contents page");
    let toc = text_of(toc_page);
    let mut checked = 0;
    for entry in std::fs::read_dir(out.join("documents")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let id = name.trim_end_matches(".html");
        assert!(toc.contains(id), "{id} not in the contents");
        let key = format!("/doc-{id} [");
        let dest = objs
            .values()
            .find_map(|b| {
                let i = b.find(&key)?;
                b[i + key.len()..]
                    .split_whitespace()
                    .next()?
                    .parse::<u32>()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no destination for {id}"));
        let page = order.iter().position(|&n| n == dest).expect("dest page") + 1;
        assert!(page > toc_page, "{id} starts after the contents");
        assert!(
            text_of(page).contains(id),
            "the link for {id} lands on page {page}, which does not show it"
        );
        checked += 1;
    }
    let toc_links = objs
        .values()
        .filter(|b| b.contains("/Subtype /Link") && b.contains("/Dest /doc-"))
        .count();
    assert!(
        toc_links >= checked,
        "{toc_links} links for {checked} documents"
    );
    assert!(checked >= 20);
}

#[test]
fn pdf_without_a_browser_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let empty = tmp.path().join("bin");
    std::fs::create_dir(&empty).unwrap();
    let run = aimsdoc_env(
        [
            "build".as_ref(),
            sample().as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--pdf".as_ref(),
        ],
        &[("PATH", empty.to_str().unwrap()), ("AIMSDOC_CHROMIUM", "")],
    );
    run.expect_code(2);
    assert!(
        run.stderr.contains("needs a headless Chromium"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("apt-get install chromium"),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&out).exists(), "nothing written");
}
