// What the browser tests share: counted checks, named steps that turn an exception into a
// failed check, a headless Debian Chromium, and axe-core.

import fs from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const counts = { passes: 0, failures: 0 };

/** Records one check and prints it. */
export function check(ok, what, detail = "") {
  if (ok) {
    counts.passes++;
    console.log(`  ok   ${what}`);
  } else {
    counts.failures++;
    console.log(`  FAIL ${what}${detail ? `: ${detail}` : ""}`);
  }
}

/** Runs one named step; an exception fails it instead of ending the run. */
export async function step(name, fn) {
  console.log(name);
  try {
    await fn();
  } catch (e) {
    check(false, name, e && e.message ? e.message.split("\n")[0] : String(e));
  }
}

/** Headless Chromium: $CHROMIUM or /usr/bin/chromium, nothing fetched from the network. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Runs axe-core on the open page; fails on any serious or critical violation. */
export async function axe(p, label) {
  await p.addScriptTag({ content: AXE });
  const result = await p.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
    console.log(`       axe ${v.impact} ${v.id} (${v.nodes.length}) ${where}`);
  }
  check(bad.length === 0, `axe: no serious or critical violations on ${label}`,
    bad.map((v) => `${v.id} x${v.nodes.length}`).join(", "));
}
