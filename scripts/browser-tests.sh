#!/usr/bin/env bash
# Browser tests of the built manual: headless Chromium driven by playwright-core, with
# axe-core (tests/browser/, dependencies pinned by package-lock.json). CI runs this as root.
#
#   bash scripts/browser-tests.sh [SCREENSHOT_DIR]
#
# Installs what is missing: chromium (apt-get, when /usr/bin/chromium is absent),
# poppler-utils (for the PDF test), the npm packages (npm ci; never `npx playwright install`).
# Each section builds what it needs and runs one test file; the script exits non-zero when
# any section fails. Sections are independent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SHOTS=${1:-${SHOTS:-$ROOT/target/browser-screenshots}}
TODAY=${TODAY:-2026-11-23}
status=0

section() { printf '\n== %s ==\n' "$*"; }

# --- setup -------------------------------------------------------------------------------
section "setup"
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "missing: $* (run as root, or install them: apt-get install -y $*)" >&2
    return 1
  fi
}
if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
if ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
  apt_install poppler-utils || true
fi
# The PDF tests fail here, rather than skip, when Chromium or poppler-utils is missing.
export AIMSDOC_REQUIRE_PDF_TOOLS=1
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
cargo build --locked --quiet
BIN="$ROOT/target/debug/aimsdoc"

# --- reading: search, keyboard, phone, axe, screenshots, PDF --------------------------------
section "reading"
SITE=$(mktemp -d)/site
"$BIN" build sample-aims -o "$SITE" --today "$TODAY" --pdf
if ! node tests/browser/reading.mjs "$SITE" "$SHOTS/reading"; then status=1; fi
echo "PDF: $SITE/manual.pdf ($(pdfinfo "$SITE/manual.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages)"
if ! cargo test --locked --quiet --test it pdf:: -- --nocapture; then status=1; fi

# --- versions: the version switcher on a generated 100-commit, 20-tag history -------------
section "versions"
HIST=$(mktemp -d)
bash scripts/genhistory.sh "$HIST/history" >/dev/null
"$BIN" build "$HIST/history/repo/manual" -o "$HIST/site" --today "$TODAY"
if ! node tests/browser/versions.mjs "$HIST/site"; then status=1; fi

# --- serve: live reload, scroll kept, error overlay ----------------------------------------
section "serve"
if ! AIMSDOC="$BIN" timeout 180 node tests/browser/serve.mjs; then status=1; fi

section "result"
if [ "$status" = 0 ]; then echo "browser tests passed"; else echo "browser tests FAILED"; fi
exit "$status"
