// Browser tests of the reading experience on a built sample site, opened from file://:
// search (id, title word, body phrase; keyboard), keyboard navigation, the navigation toggle
// on a phone, reading without JavaScript, tables (the register at 1280 px without horizontal
// scrolling, the coverage matrix scrolling in its region with the control column in view,
// the SoA as cards at 390 px, ids and dates on one line, print tables within A4 portrait),
// axe-core on every page type (light and dark), and screenshots at 1280 px and 390 px.
//
// Usage: node reading.mjs SITE_DIR [SCREENSHOT_DIR]
// Exits non-zero when any check fails. Chromium: $CHROMIUM or /usr/bin/chromium.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { axe, check, counts, launch, step } from "./harness.mjs";

const site = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(path.join(site, "index.html"))) {
  console.error("usage: node reading.mjs SITE_DIR [SCREENSHOT_DIR]  (SITE_DIR must hold index.html)");
  process.exit(2);
}
const shots = path.resolve(process.argv[3] || fs.mkdtempSync(path.join(os.tmpdir(), "aimsdoc-shots-")));
fs.mkdirSync(shots, { recursive: true });
const url = (p) => {
  const [file, query] = p.split("?");
  return pathToFileURL(path.join(site, file)).href + (query ? `?${query}` : "");
};

// Every page type, by a representative page of the sample.
const PAGES = {
  home: "index.html",
  document: "documents/PRO-INC-001.html",
  control: "controls/A.6.2.4.html",
  clause: "clauses/6.1.2.html",
  coverage: "coverage.html",
  soa: "soa.html",
  register: "register.html",
  search: "search.html?q=risk",
  print: "print.html",
  framework: "frameworks/nist-ai-rmf/index.html",
  framework_entry: "frameworks/eu-ai-act/Art.-9.html",
  framework_matrix: "frameworks/client-ai/matrix.html",
  framework_gaps: "frameworks/iso27001/gaps.html",
  crosswalk: "crosswalk.html",
  systems: "systems/index.html",
  system: "systems/AIS-01.html",
};

const browser = await launch();
const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await desktop.newPage();
const jsErrors = [];
page.on("pageerror", (e) => jsErrors.push(e.message));

async function searchFor(q) {
  await page.goto(url("index.html"));
  await page.keyboard.press("/");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(focused === "search-input", `"/" focuses the search box (before "${q}")`, String(focused));
  await page.keyboard.type(q);
  await page.waitForSelector(".search-header .search-results li a", { timeout: 5000 });
  return page.locator(".search-header .search-results li a");
}

async function followFirst() {
  await page.keyboard.press("ArrowDown");
  const onFirst = await page.evaluate(() =>
    document.activeElement === document.querySelector(".search-header .search-results a"));
  check(onFirst, "ArrowDown moves to the first result");
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
}

await step("search by id", async () => {
  const results = await searchFor("A.6.2.4");
  const firstId = await results.first().locator(".result-id").textContent();
  check(firstId === "A.6.2.4", "exact id ranks first", firstId);
  const badge = await results.first().locator(".state").count();
  check(badge === 1, "result shows its state");
  await followFirst();
  check(page.url().endsWith("controls/A.6.2.4.html"), "Enter follows the first result", page.url());
});

await step("search by document id", async () => {
  const results = await searchFor("pol-ai-001");
  const firstId = await results.first().locator(".result-id").textContent();
  check(firstId === "POL-AI-001", "document id ranks first (any case)", firstId);
  const type = await results.first().locator(".result-type").textContent();
  check(type === "policy", "result shows the document type", type);
});

await step("search by title words", async () => {
  const results = await searchFor("impact assessment");
  const title = (await results.first().locator(".result-title").textContent()) || "";
  check(/impact assessment/i.test(title), "title match first", title);
  await followFirst();
  const h1 = (await page.locator("h1").first().textContent()) || "";
  check(/impact assessment/i.test(h1), "landed on the page of the first result", h1);
});

await step("search by body phrase", async () => {
  const results = await searchFor("skip a life cycle gate");
  const firstId = await results.first().locator(".result-id").textContent();
  check(firstId === "PRO-INC-001", "body phrase finds its document", firstId);
  const mark = (await results.first().locator(".result-snippet mark").first().textContent()) || "";
  check(mark.toLowerCase() === "skip a life cycle gate", "snippet highlights the match", mark);
  await followFirst();
  check(page.url().endsWith("documents/PRO-INC-001.html"), "followed to the document", page.url());
});

await step("search keys: up, down, escape", async () => {
  await searchFor("risk");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const second = await page.evaluate(() =>
    document.activeElement === document.querySelectorAll(".search-header .search-results a")[1]);
  check(second, "ArrowDown twice reaches the second result");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  const back = await page.evaluate(() => document.activeElement.id);
  check(back === "search-input", "ArrowUp from the first result returns to the box", back);
  await page.keyboard.press("Escape");
  check(await page.locator(".search-header .search-panel").isHidden(), "Escape closes the results");
  await page.keyboard.type(" management");
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  check(page.url().includes("search.html?q=risk+management"), "Enter in the box opens the search page", page.url());
  await page.waitForSelector(".search-page .search-results li", { timeout: 5000 });
  const n = await page.locator(".search-page .search-results li").count();
  check(n > 3, "the search page lists the results", String(n));
});

await step("search finds nothing outside the build", async () => {
  await page.goto(url("search.html?q=zzqqxx-not-in-the-manual"));
  await page.waitForFunction(() => document.querySelector(".search-page .search-status").textContent.length > 0);
  const status = await page.locator(".search-page .search-status").textContent();
  check(/No results/.test(status), "no results for unknown text", status);
});

await step("keyboard navigation", async () => {
  await page.goto(url(PAGES.document));
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => document.activeElement.className);
  check(skip === "skip-link", "first Tab reaches the skip link", skip);
  const visible = await page.evaluate(() => document.activeElement.getBoundingClientRect().left >= 0);
  check(visible, "the focused skip link is on screen");
  await page.keyboard.press("Enter");
  const main = await page.evaluate(() => document.activeElement.id || location.hash);
  check(main === "aims-main" || main === "#aims-main", "Enter on the skip link moves to the content", main);
  // Focus is visible: the focused element draws an outline.
  await page.goto(url(PAGES.document));
  let outline = "";
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press("Tab");
    const tag = await page.evaluate(() => document.activeElement.tagName);
    if (tag === "A") {
      outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      break;
    }
  }
  check(outline && outline !== "none", "focused links show an outline", outline);
  // The coverage picture's cells are links reachable from the keyboard.
  await page.goto(url("coverage.html"));
  const cells = await page.locator(".cov-svg a").count();
  check(cells === 38, "coverage picture: 38 control links", String(cells));
  await page.locator('.cov-svg a[href="controls/A.6.2.4.html"]').focus();
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  check(page.url().endsWith("controls/A.6.2.4.html"), "Enter on a picture cell opens the control", page.url());
});

await step("phone: navigation toggle without JavaScript", async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, javaScriptEnabled: false });
  const p = await ctx.newPage();
  await p.goto(url(PAGES.document));
  check(await p.locator("#sidebar").isHidden(), "sidebar collapsed at 360 px");
  await p.locator(".nav-toggle-label").click();
  check(await p.locator("#sidebar").isVisible(), "Menu opens the sidebar");
  await p.keyboard.press("Space");
  const width = await p.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 360, "no horizontal scrolling of the page at 360 px", String(width));
  await p.goto(url("search.html?q=risk"));
  const nojs = (await p.locator("main").textContent()) || "";
  check(/needs JavaScript/.test(nojs) && /document register/.test(nojs), "search page explains itself without JavaScript");
  await p.goto(url(PAGES.coverage));
  check((await p.locator(".cov-svg").count()) === 9, "coverage picture without JavaScript");
  await ctx.close();
});

// Whether every id and date cell of the page's tables is on one line.
async function wrappedIdsAndDates(p) {
  return p.evaluate(() => [...document.querySelectorAll("table .id-cell, table .date-cell")]
    .filter((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const lines = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
      return lines.size > 1;
    })
    .map((el) => el.textContent.trim()));
}

await step("tables at 1280 px", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(url(PAGES.register));
  const reg = await p.evaluate(() => {
    const wrap = document.querySelector(".register-table").parentElement;
    return { scroll: wrap.scrollWidth, client: wrap.clientWidth, page: document.documentElement.scrollWidth,
      columns: document.querySelectorAll(".register-table thead th").length };
  });
  check(reg.columns === 10 && reg.scroll <= reg.client && reg.page <= 1280,
    "register: every column without horizontal scrolling", JSON.stringify(reg));
  const broken = await wrappedIdsAndDates(p);
  check(broken.length === 0, "register: no id or date wraps", broken.join(", "));
  await p.goto(url(PAGES.coverage));
  const m = await p.evaluate(() => {
    const wrap = document.querySelector(".matrix-wrap");
    const cols = wrap.querySelectorAll(".col-doc").length;
    wrap.scrollLeft = wrap.scrollWidth;
    const th = wrap.querySelector("tbody th[scope=row]");
    return { cols, scrolls: wrap.scrollWidth > wrap.clientWidth, page: document.documentElement.scrollWidth,
      idLeft: Math.round(th.getBoundingClientRect().left), wrapLeft: Math.round(wrap.getBoundingClientRect().left),
      scrolled: wrap.scrollLeft };
  });
  // A column per document in use (not retired) that addresses a control.
  const cov = JSON.parse(fs.readFileSync(path.join(site, "coverage.json"), "utf8"));
  const docs = cov.documents.filter((d) => d.status !== "retired" && d.controls.length > 0).length;
  check(m.cols === docs, "coverage matrix: a column per document", `${m.cols} of ${docs}`);
  check(m.scrolls && m.page <= 1280, "coverage matrix scrolls inside its own region", JSON.stringify(m));
  check(m.scrolled > 0 && Math.abs(m.idLeft - m.wrapLeft) <= 1, "coverage matrix: the control column stays in view", JSON.stringify(m));
  await ctx.close();
});

await step("SoA at 390 px: a card per control", async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await ctx.newPage();
  await p.goto(url(PAGES.soa));
  const r = await p.evaluate(() => ({
    widest: Math.max(...[...document.querySelectorAll("table")].map((t) => Math.ceil(t.getBoundingClientRect().right))),
    page: document.documentElement.scrollWidth,
    cards: [...document.querySelectorAll(".soa-table tbody tr")].filter((tr) => getComputedStyle(tr).display === "block").length,
    labelled: getComputedStyle(document.querySelector(".soa-table td[data-label]"), "::before").content,
  }));
  check(r.widest <= 390 && r.page <= 390, "no table wider than the viewport", JSON.stringify(r));
  check(r.cards === 38, "one card per control", String(r.cards));
  check(/Applicable/.test(r.labelled), "card fields are labelled", r.labelled);
  await axe(p, "SoA cards (390 px)");
  await ctx.close();
});

await step("print: tables fit A4 portrait", async () => {
  // 210 mm less 2 × 14 mm of margin, at 96 px per inch.
  const width = Math.floor(((210 - 28) / 25.4) * 96);
  const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
  const p = await ctx.newPage();
  await p.emulateMedia({ media: "print" });
  await p.goto(url(PAGES.print));
  const r = await p.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    over: [...document.querySelectorAll("table")]
      .filter((t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
      .map((t) => t.closest("[id]")?.id || t.className),
    notices: document.querySelectorAll(".print-doc-header .notice").length,
  }));
  check(r.page <= width && r.over.length === 0, "no table wider than the page", JSON.stringify(r));
  check(r.notices >= 4, "document notices are on the print page", String(r.notices));
  const broken = await wrappedIdsAndDates(p);
  check(broken.length === 0, "print: no id or date wraps", broken.join(", "));
  await ctx.close();
});

await step("frameworks: index picture, entry page and crosswalk", async () => {
  await page.goto(url(PAGES.framework));
  const cells = await page.locator("#coverage-standings svg a").count();
  const rows = await page.locator(".framework-index tbody tr").count();
  check(cells > 0 && cells === rows, "one picture cell per entry", `${cells} cells, ${rows} rows`);
  const label = await page.locator("#coverage-standings svg a").first().getAttribute("aria-label");
  check(/^\S+( \S+)? (covered|overdue|draft|partial|via|none)/.test(label || ""), "cells are labelled with id and standing", label);
  await page.locator(".framework-pages a", { hasText: "Crosswalk" }).click();
  check(/crosswalk\.html$/.test(page.url()), "the framework index links to the crosswalk", page.url());
  const linked = await page.locator(".crosswalk-table td a").count();
  check(linked > 50, "the crosswalk links mapped entries", String(linked));
  await page.locator(".crosswalk-table tr[id=\"iso-6.1.2\"] td a", { hasText: "Art. 9" }).first().click();
  const h1 = (await page.locator("h1").innerText()).trim();
  check(/Art\. 9/.test(h1), "a crosswalk link opens the entry page", h1);
  const declared = await page.locator("#declared-by a").allInnerTexts();
  check(declared.some((t) => t.includes("PRO-RISK-001")), "the entry page lists the declaring document", declared.join(", "));
});

await step("AI systems: the inventory leads to a system's page", async () => {
  await page.goto(url(PAGES.systems));
  const rows = await page.locator(".systems-table tbody tr").count();
  check(rows === 6, "the inventory lists the sample's six systems", String(rows));
  const cells = await page.locator(".sys-picture svg g[role=img]").count();
  check(cells === 5 * 5, "the picture has a labelled cell per governed system and record", String(cells));
  await page.locator(".systems-table a", { hasText: "AIS-03" }).first().click();
  const h1 = await page.locator("h1").innerText();
  check(/Ask Northwind/.test(h1), "a row leads to the system's page", h1);
  const states = await page.locator("#evidence tbody .state").allInnerTexts();
  check(states.join(",") === "met,met", "its risk and impact assessments are met", states.join(","));
});

for (const scheme of ["light", "dark"]) {
  await step(`axe-core, ${scheme} mode`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    const p = await ctx.newPage();
    for (const [name, rel] of Object.entries(PAGES)) {
      await p.goto(url(rel));
      if (name === "search") await p.waitForSelector(".search-page .search-results li", { timeout: 5000 });
      await axe(p, `${name} (${scheme})`);
    }
    // The open result list of the header search box.
    await p.goto(url("index.html"));
    await p.locator("#search-input").fill("policy");
    await p.waitForSelector(".search-header .search-results li");
    await axe(p, `search box with results (${scheme})`);
    await ctx.close();
  });
}

await step("screenshots", async () => {
  for (const [w, h] of [[1280, 1000], [390, 844]]) {
    for (const scheme of ["light", "dark"]) {
      const ctx = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
      const p = await ctx.newPage();
      for (const [name, rel] of Object.entries(PAGES)) {
        if (scheme === "dark" && !["home", "document", "coverage", "search"].includes(name)) continue;
        await p.goto(url(rel));
        if (name === "search") await p.waitForSelector(".search-page .search-results li", { timeout: 5000 });
        const file = path.join(shots, `${name}-${w}-${scheme}.png`);
        await p.screenshot({ path: file, fullPage: name !== "print" && name !== "soa" });
      }
      await ctx.close();
    }
  }
  check(fs.readdirSync(shots).length >= 26, `screenshots written to ${shots}`);
});

check(jsErrors.length === 0, "no JavaScript errors", jsErrors.join("; "));
await browser.close();
console.log(`\nreading: ${counts.passes} passed, ${counts.failures} failed. Screenshots: ${shots}`);
process.exit(counts.failures ? 1 : 0);
