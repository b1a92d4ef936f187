// Browser tests of the version switcher on a versioned site (scripts/genhistory.sh, built),
// opened from file://: the list filled from versions.js keeps the reader on the same page when
// the other version has it and goes to that version's home otherwise; choosing an entry lands
// there; an old version marks itself; without JavaScript the switcher links to the list of
// all versions; axe-core on the open switcher and on versions.html.
//
// Usage: node versions.mjs SITE_DIR
// Exits non-zero when any check fails. Chromium: $CHROMIUM or /usr/bin/chromium.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { axe, check, counts, launch, step } from "./harness.mjs";

const site = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(path.join(site, "versions.js"))) {
  console.error("usage: node versions.mjs SITE_DIR  (SITE_DIR must be a versioned site)");
  process.exit(2);
}
const url = (p) => pathToFileURL(path.join(site, p)).href;
// The site-relative path of a file:// URL.
const rel = (u) => path.relative(site, fileURLToPath(u.split("#")[0])).split(path.sep).join("/");

// The versions as the build wrote them (versions.json is the public list; the switcher must
// offer the same, in the same order).
const versions = JSON.parse(fs.readFileSync(path.join(site, "versions.json"), "utf8"));
const old = versions.filter((v) => !v.current);
// A document page that every version has, and one that some version has and others lack
// (as a page of a version that has it).
const docsOf = (v) => fs.readdirSync(path.join(site, v.path, "documents")).map((f) => `documents/${f}`);
const everywhere = docsOf(versions[0]).find((d) => versions.every((v) => fs.existsSync(path.join(site, v.path, d))));
let partial;
for (const v of versions) {
  const d = docsOf(v).find((d) => versions.some((w) => !fs.existsSync(path.join(site, w.path, d))));
  if (d) {
    partial = `${v.path}${d}`;
    break;
  }
}

const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const jsErrors = [];
page.on("pageerror", (e) => jsErrors.push(e.message));

// The switcher's entries on the open page: label, site-relative target, aria-current.
async function entries() {
  await page.click(".version-switcher summary");
  const list = await page.$$eval(".version-list li:not(.version-all) a", (as) =>
    as.map((a) => ({ label: a.textContent, href: a.href, current: a.getAttribute("aria-current") })));
  return list.map((e) => ({ ...e, target: rel(e.href) }));
}

async function checkPage(here) {
  await page.goto(url(here));
  const list = await entries();
  check(list.length === versions.length && list.every((e, i) => e.label === versions[i].label),
    `${here}: the switcher lists the ${versions.length} versions in order`,
    list.map((e) => e.label).join(", "));
  const pagePath = here.replace(/^v\/[^/]+\//, "");
  const wrong = list.filter((e, i) => {
    const v = versions[i];
    const same = `${v.path}${pagePath}`;
    const expected = fs.existsSync(path.join(site, same)) ? same : `${v.path}index.html`;
    return e.target !== expected;
  });
  check(wrong.length === 0, `${here}: each entry is this page in that version, else its home`,
    wrong.map((e) => `${e.label} -> ${e.target}`).join("; "));
  const missing = list.filter((e) => !fs.existsSync(path.join(site, e.target)));
  check(missing.length === 0, `${here}: every entry's target exists`, missing.map((e) => e.target).join(", "));
  const mine = here.match(/^v\/[^/]+\//)?.[0] ?? "";
  const marked = list.filter((e) => e.current === "true").map((e) => e.label);
  const own = versions.find((v) => v.path === mine);
  check(marked.length === 1 && marked[0] === own.label, `${here}: the switcher marks ${own.label}`,
    marked.join(", "));
  return list;
}

await step("switcher on current pages", async () => {
  check(partial && everywhere, "the history has a document some versions lack and one all have",
    `${partial} / ${everywhere}`);
  await checkPage("index.html");
  await checkPage(everywhere);
  const list = await checkPage(partial);
  check(list.some((e) => e.target.endsWith("/index.html")), `${partial}: some versions go to their home`);
});

await step("switcher on an old version's pages, and choosing an entry", async () => {
  const oldest = old[old.length - 1];
  await checkPage(`${oldest.path}index.html`);
  const list = await checkPage(`${oldest.path}${everywhere}`);
  const notice = await page.textContent(".notice-old-version");
  check(/not the current manual/.test(notice) && notice.includes(oldest.label),
    "an old page says it is not current and names its version", notice);
  // Choose the second-newest release: the same document there.
  const target = old[Math.min(1, old.length - 1)];
  await page.click(`.version-list a:text-is("${target.label}")`);
  await page.waitForLoadState("load");
  check(rel(page.url()) === `${target.path}${everywhere}`, `choosing ${target.label} lands on the same document`,
    rel(page.url()));
  const summary = await page.textContent(".version-switcher summary");
  check(summary.includes(target.label), "the page reached names its version", summary);
  check(list.length === versions.length, "same list from an old page");
});

await step("axe-core: open switcher and versions.html", async () => {
  for (const p of [everywhere, "versions.html"]) {
    await page.goto(url(p));
    await page.click(".version-switcher summary");
    await axe(page, p);
  }
});

await step("without JavaScript", async () => {
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const p = await nojs.newPage();
  await p.goto(url(`${old[0].path}${everywhere}`));
  await p.click(".version-switcher summary");
  const links = await p.$$eval(".version-list a", (as) => as.map((a) => a.href));
  check(links.length === 1 && rel(links[0]) === "versions.html", "the switcher links to all versions",
    links.join(", "));
  await p.click(".version-list a");
  await p.waitForLoadState("load");
  const rows = await p.$$eval(".versions-table tbody tr", (trs) => trs.length);
  check(rows === versions.length, `versions.html lists ${versions.length} versions`, String(rows));
  await nojs.close();
});

check(jsErrors.length === 0, "no JavaScript errors", jsErrors.join("; "));
await browser.close();
console.log(`\nversions: ${counts.passes} passed, ${counts.failures} failed.`);
process.exit(counts.failures ? 1 : 0);
