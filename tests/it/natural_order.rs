//! Ids are listed in natural order wherever a list is sorted by id: `DOC-2` before `DOC-10`,
//! `A.2.2` before `A.10.2`. The fixture `natural-order` has documents DOC-1, DOC-2, DOC-9,
//! DOC-10 and DOC-11 in files whose paths sort differently, and a `soa.yaml` written from
//! the last control to the first.

use crate::common;

use std::cmp::Ordering;
use std::ffi::OsStr;

use common::*;

/// The document ids in natural order.
const DOCS: [&str; 5] = ["DOC-1", "DOC-2", "DOC-9", "DOC-10", "DOC-11"];

/// A natural comparison written independently of aimsdoc's: digit runs by value.
fn natural(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<(u8, u64, String)> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let digit = c.is_ascii_digit();
            let end = rest
                .find(|x: char| x.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            out.push(if digit {
                (0, run.parse().unwrap(), String::new())
            } else {
                (1, 0, run.to_ascii_lowercase())
            });
            rest = tail;
        }
        out
    }
    parts(a).cmp(&parts(b))
}

fn assert_natural(what: &str, ids: &[String]) {
    assert!(
        ids.windows(2)
            .all(|w| natural(&w[0], &w[1]) == Ordering::Less),
        "{what} not in natural order: {ids:?}"
    );
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&fixture("natural-order"), &out)
        .expect_code(0)
        .expect_counts(0, 0);
    (tmp, out)
}

#[test]
fn the_register_and_the_print_register_list_documents_naturally() {
    let (_t, out) = built();
    let register = texts(
        &page(&out, "register.html"),
        ".register-table tbody tr:not(.register-soa) th[scope=row]",
    );
    assert_eq!(register, DOCS);
    let print = texts(
        &page(&out, "print.html"),
        "#register .register-table tbody tr:not(.register-soa) > :first-child",
    );
    assert_eq!(print, DOCS);
}

#[test]
fn the_coverage_matrix_and_coverage_json_list_documents_naturally() {
    let (_t, out) = built();
    let columns = texts(
        &page(&out, "coverage.html"),
        "table.matrix thead th.col-doc",
    );
    assert!(!columns.is_empty());
    for matrix in columns.chunks(DOCS.len()) {
        assert_eq!(matrix, DOCS, "{columns:?}");
    }
    let cov: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let ids: Vec<&str> = cov["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, DOCS);
    for key in ["controls", "clauses"] {
        let ids: Vec<String> = cov[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        assert_natural(key, &ids);
    }
}

#[test]
fn the_soa_lists_controls_naturally_whatever_the_order_of_soa_yaml() {
    let (_t, out) = built();
    let rows = texts(
        &page(&out, "soa.html"),
        ".soa-table tbody tr > :first-child",
    );
    assert_eq!(rows.len(), 38);
    assert_natural("soa.html", &rows);
    assert_eq!(rows.first().map(String::as_str), Some("A.2.2"));
    assert_eq!(rows.last().map(String::as_str), Some("A.10.4"));
    let csv = parse_csv(&String::from_utf8(std::fs::read(out.join("soa.csv")).unwrap()).unwrap());
    let ids: Vec<String> = csv[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids, rows);
}

#[test]
fn aimsdoc_coverage_lists_controls_and_clauses_naturally() {
    let root = fixture("natural-order");
    let run = aimsdoc([
        OsStr::new("coverage"),
        root.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    run.expect_code(0);
    let rows = parse_csv(&run.stdout);
    for kind in ["control", "clause"] {
        let ids: Vec<String> = rows[1..]
            .iter()
            .filter(|r| r[0] == kind)
            .map(|r| r[1].clone())
            .collect();
        assert_natural(kind, &ids);
    }
    let a22 = rows.iter().find(|r| r[1] == "A.2.2").unwrap();
    assert_eq!(a22[6].split(' ').count(), DOCS.len());
}
