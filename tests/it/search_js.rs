//! The browser's scorer (`static/search.js`) ranks exactly like the reference in
//! `src/render/search.rs`: the same queries against the sample's `search-index.js` give the
//! same results in the same order. Needs Node.js; without it the test says so and passes.

use crate::common;

use std::process::Command;

use aimsdoc::render::{pages, search};
use common::*;

const QUERIES: &[&str] = &[
    "A.6.2.4",
    "a-6-2-4",
    "POL-AI-001",
    "6.1.2",
    "A.6.2",
    "impact assessment",
    "risk",
    "skip a life cycle gate",
    "supplier monitoring",
    "Statement of Applicability",
    "nothing-matches-this",
];

const SCRIPT: &str = r#"
const fs = require("fs"), vm = require("vm"), path = require("path");
const [site, ...queries] = process.argv.slice(2);
globalThis.window = globalThis;
vm.runInThisContext(fs.readFileSync(path.join(site, "search-index.js"), "utf8"));
vm.runInThisContext(fs.readFileSync(path.join(site, "static/search.js"), "utf8"));
const index = window.AimsdocSearch.prepare(window.AIMSDOC_SEARCH.entries);
for (const q of queries) {
  const res = window.AimsdocSearch.search(index, q, 1000);
  console.log(JSON.stringify(res.hits.map((p) => p.e[0])));
}
"#;

#[test]
fn the_browser_ranks_like_the_reference() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED search ranking test: node not found");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&sample(), &out).expect_code(0);
    let script = tmp.path().join("rank.js");
    std::fs::write(&script, SCRIPT).unwrap();
    let run = Command::new("node")
        .arg(&script)
        .arg(&out)
        .args(QUERIES)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let browser: Vec<Vec<String>> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let source = aimsdoc::load::FsSource::new(sample());
    let today = aimsdoc::date::Date::parse(TODAY).unwrap();
    let c = aimsdoc::pipeline::compile_complete(&source, &sample(), today).unwrap();
    let (m, a) = (c.manual, c.analysis);
    let full = aimsdoc::config::Disclosure::Full;
    let entries = aimsdoc::render::soa::entry_views(&m, &a, &c.resolved, full);
    let index = search::build(&m, &entries, &pages(&m, &c.resolved, full));
    assert_eq!(browser.len(), QUERIES.len());
    for (q, got) in QUERIES.iter().zip(&browser) {
        let want: Vec<String> = search::query(&index, q)
            .into_iter()
            .map(|i| index.entries[i].url.clone())
            .collect();
        assert_eq!(got, &want, "query {q:?}");
    }
    assert!(browser[0][0].ends_with("controls/A.6.2.4.html"));
    assert!(browser.last().unwrap().is_empty());
}
