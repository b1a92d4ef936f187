#!/usr/bin/env bash
# End-to-end tests of `aimsdoc lsp`: a real LSP client (pytest-lsp) speaking to the debug
# binary over stdio (tests/lsp/, Python packages pinned in tests/lsp/requirements.txt).
#
#   bash scripts/lsp-tests.sh [PYTEST ARGS...]
#
# Creates a virtual environment in target/lsp-venv (once; again when the requirements
# change), installs the pinned packages with pip, builds the binary and runs pytest.
# Needs python3 with the venv module (apt-get install -y python3-venv, installed here when
# missing and run as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV=${LSP_VENV:-$ROOT/target/lsp-venv}
REQ=tests/lsp/requirements.txt

if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  else
    echo "lsp-tests.sh: python3 with venv is needed (apt-get install -y python3-venv)" >&2
    exit 1
  fi
fi
stamp="$VENV/.requirements"
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$stamp"; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$stamp"
fi

cargo build --locked --quiet
export AIMSDOC="$ROOT/target/debug/aimsdoc" PYTHONDONTWRITEBYTECODE=1
cd tests/lsp
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
