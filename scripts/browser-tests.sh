#!/usr/bin/env bash
# Browser tests in headless Chromium: Debian's `chromium` driven by `playwright-core` (npm,
# pinned in tests/browser/package-lock.json, installed into tests/browser/node_modules; no
# browser download). `cargo test` stays self-contained; CI calls this script from .ci/run.
#
# Each feature has its own section below and its own test file in tests/browser/.
# Environment: AIMSDOC (binary under test, default target/debug/aimsdoc, built here),
# CHROMIUM (default /usr/bin/chromium).
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
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
if [ -z "${AIMSDOC:-}" ]; then
  cargo build --locked --bin aimsdoc
  export AIMSDOC="$PWD/target/debug/aimsdoc"
fi

status=0

# ----- serve: live reload, scroll kept, error overlay (tests/browser/serve.mjs) -----
timeout 180 node tests/browser/serve.mjs || status=1

exit $status
