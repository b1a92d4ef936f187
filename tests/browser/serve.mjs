// Browser test of `aimsdoc serve` (live reload) in headless Debian chromium, driven by
// playwright-core. Run by scripts/browser-tests.sh; needs AIMSDOC (the binary) and
// CHROMIUM (default /usr/bin/chromium). Everything is bounded in time; the server, the
// browser and the temporary folders are removed at the end, also on failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const bin = process.env.AIMSDOC || path.join(repo, "target/debug/aimsdoc");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const RISK = "procedures/ai-risk-management.md";
const RISK_PAGE = "documents/PRO-RISK-001.html";

const watchdog = setTimeout(() => {
  console.error("serve.mjs: timed out after 120 s");
  cleanup().finally(() => process.exit(1));
}, 120_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "aimsdoc-browser-"));
const root = path.join(tmp, "aims");
fs.cpSync(path.join(repo, "sample-aims"), root, { recursive: true });
let server;
let context;
let passed = 0;
let failed = 0;

async function cleanup() {
  try { if (context) await context.close(); } catch {}
  try { if (server) server.kill("SIGINT"); } catch {}
  try { fs.rmSync(tmp, { recursive: true, force: true }); } catch {}
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ["serve", root, "--port", "0", "--today", "2026-11-23"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    const timer = setTimeout(() => reject(new Error("no URL printed:\n" + log)), 20_000);
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const m = /Serving .* at (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on("exit", (code) => reject(new Error(`server exited (${code}):\n${log}`)));
    server.on("error", reject);
  });
}

function edit(f) {
  const p = path.join(root, RISK);
  fs.writeFileSync(p, f(fs.readFileSync(p, "utf8")));
}

async function test(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).replace(/\n/g, "\n  ")}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

try {
  const url = await startServer();
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath,
    headless: true,
    viewport: { width: 900, height: 600 },
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  // Generous: CI machines have 2 cores and may be busy; every wait still has a bound.
  context.setDefaultTimeout(45_000);
  // Screenshots are for people looking at the run, not assertions: a capture that a busy
  // headless browser refuses is reported, not failed.
  const snapshot = async (p, name) => {
    try {
      await p.screenshot({ path: path.join(os.tmpdir(), name) });
    } catch (e) {
      console.log(`  (no screenshot ${name}: ${String(e.message).split("\n")[0]})`);
    }
  };
  const page = await context.newPage();
  const other = await context.newPage();

  // ===== serve: live reload =====
  await test("serve: an edit appears without a manual reload, scroll position kept", async () => {
    await page.goto(url + RISK_PAGE, { waitUntil: "load" });
    await other.goto(url + "soa.html", { waitUntil: "load" });
    await other.evaluate(() => { window.__notReloaded = true; });
    await page.waitForTimeout(300); // the event stream connects
    await page.evaluate(() => window.scrollTo(0, 900));
    const y = await page.evaluate(() => window.scrollY);
    assert(y > 500, `the page should scroll (scrollY ${y})`);
    const reloaded = page.waitForEvent("load");
    edit((t) => t.trimEnd() + "\n\nLive marker one: the appetite statement is reviewed quarterly.\n");
    await reloaded;
    await page.waitForFunction(() => document.body.innerText.includes("Live marker one"));
    await page.waitForFunction((y0) => Math.abs(window.scrollY - y0) < 2, y);
    assert(await other.evaluate(() => window.__notReloaded === true), "an unchanged page reloaded");
    await snapshot(page, "aimsdoc-serve-reloaded.png");
  });

  await test("serve: an error shows the overlay over the last good page until fixed", async () => {
    edit((t) => t.replace("tags: [risk]", "tags: [risk]\ncontrols: [A.6.2.9]"));
    const box = page.locator("#aimsdoc-overlay");
    await box.waitFor({ state: "visible" });
    const text = await box.innerText();
    assert(text.includes(`${RISK}:`) && text.includes("A.6.2.9"), `overlay text: ${text}`);
    assert(/:\d+:\d+ AIMS0101/.test(text), `overlay has no file:line:col: ${text}`);
    assert(await page.evaluate(() => document.body.innerText.includes("Live marker one")),
      "the last good page stays underneath");
    // The overlay is on every page, also one opened now.
    await other.goto(url + "register.html", { waitUntil: "load" });
    await other.locator("#aimsdoc-overlay").waitFor({ state: "visible" });
    await snapshot(page, "aimsdoc-serve-overlay.png");
    edit((t) => t.replace("controls: [A.6.2.9]", "controls: [A.6.2.8]"));
    await box.waitFor({ state: "detached" });
    await other.locator("#aimsdoc-overlay").waitFor({ state: "detached" });
  });
} catch (e) {
  failed++;
  console.log(`not ok - setup\n  ${String(e && e.stack || e)}`);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
console.log(`serve: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
