#!/usr/bin/env bash
# Browser tests in headless Chromium: Debian's `chromium` driven by `playwright-core` (npm,
# pinned in tests/browser/package-lock.json, installed into tests/browser/node_modules; no
# browser download), with `axe-core` for accessibility. `cargo test` stays self-contained;
# CI calls this script from .ci/run.
#
# Each feature has its own section below and its own test file in tests/browser/.
# Environment: AIMSDOC (binary under test, default target/debug/aimsdoc, built here),
# CHROMIUM (default /usr/bin/chromium), SHOTS (screenshot folder, default
# target/browser-screenshots; also the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."

# ----- setup (shared by every section) -----
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  else
    echo "browser-tests: $* missing and not root; install it with apt-get" >&2
    exit 2
  fi
}
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || apt_install chromium
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null || apt_install poppler-utils
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
if [ -z "${AIMSDOC:-}" ]; then
  cargo build --locked --bin aimsdoc
  export AIMSDOC="$PWD/target/debug/aimsdoc"
fi

status=0

# ----- serve: live reload, scroll kept, error overlay (tests/browser/serve.mjs) -----
timeout 180 node tests/browser/serve.mjs || status=1

# ----- reading: search, keyboard, phone, axe-core on every page type, screenshots, PDF
# (tests/browser/reading.mjs on the sample opened from file://; tests/pdf.rs) -----
SHOTS="${1:-${SHOTS:-$PWD/target/browser-screenshots}}"
site="$(mktemp -d)/site"
if "$AIMSDOC" build sample-aims -o "$site" --today 2026-11-23 --pdf; then
  timeout 300 node tests/browser/reading.mjs "$site" "$SHOTS/reading" || status=1
  echo "reading: PDF $site/manual.pdf, $(pdfinfo "$site/manual.pdf" | awk '/^Pages:/ {print $2}') pages"
else
  echo "reading: building the sample with --pdf failed" >&2
  status=1
fi
cargo test --locked --quiet --test pdf -- --nocapture || status=1

exit $status
