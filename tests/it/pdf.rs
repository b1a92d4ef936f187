//! `aimsdoc build --pdf`: the PDF of the sample has a page per part, its table of contents
//! links to the pages where the documents start, and a missing Chromium is a clear error.
//! Needs a Chromium (`chromium`, `chromium-browser` or `google-chrome` on PATH) and
//! poppler-utils (`pdfinfo`, `pdftotext`); without them the test says so and passes.

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

#[test]
fn pdf_has_pages_and_a_linked_table_of_contents() {
    let Some(browser) = aimsdoc::pdf::find_browser() else {
        eprintln!("SKIPPED pdf test: no chromium, chromium-browser or google-chrome on PATH");
        return;
    };
    if !on_path("pdfinfo") || !on_path("pdftotext") {
        eprintln!("SKIPPED pdf test: pdfinfo/pdftotext not found (apt-get install poppler-utils)");
        return;
    }
    eprintln!("pdf test with {}", browser.display());
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

    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
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
