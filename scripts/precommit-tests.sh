#!/usr/bin/env bash
# The tools around aimsdoc, end to end: the pre-commit hooks of .pre-commit-hooks.yaml run by
# the real pre-commit (PyPI, pinned in scripts/precommit-requirements.txt, in a virtual
# environment under target/), the man pages rendered by groff and the completion scripts
# loaded by zsh and fish (installed with apt-get when missing). CI runs this as root.
#
#   bash scripts/precommit-tests.sh
#
# pre-commit section: temporary git repositories with a small AIMS. `pre-commit try-repo` of
# this repository's aimsdoc-check hook fails on a planted unknown control and passes once it
# is fixed. Then a .pre-commit-config.yaml as the README shows it (`args: [aims]`, the AIMS in
# a subfolder), installed as the git hook, refuses the commit with the error, lets the fixed
# one through and skips commits of other files (with aimsdoc-check-system and the debug
# aimsdoc on PATH, so nothing is built a third time). try-repo clones this repository's HEAD
# commit: the committed .pre-commit-hooks.yaml is what is tested.
#
# `language: rust` makes pre-commit `cargo install` the repository, a release build, and
# try-repo does it in a fresh store each time. To keep CI short, the build here uses a cheap
# release profile (CARGO_PROFILE_RELEASE_* below: opt-level 0, no LTO) and a target dir kept
# under target/precommit/, so the second install builds only aimsdoc itself.
#
# Measured on this project's 2-core machine, shared with other builds (load average 6-7):
# with nothing cached (a clean clone, as CI runs it) the whole script took 2 min 45 s: the
# first try-repo 128 s (cargo install building every dependency), the second 31 s (aimsdoc
# only), everything else a few seconds; the man page tests reuse `cargo test`'s build. At
# opt-level 1 (still no LTO) the first try-repo alone took 255 s.
#
# pre-commit runs `cargo install` without --locked (pre-commit/pre-commit#3162), so the hook
# is built with the newest dependency versions Cargo.toml allows, not Cargo.lock's, and this
# script needs the crates.io index.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK="$ROOT/target/precommit"
status=0

section() { printf '\n== %s ==\n' "$*"; }
apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "missing: $* (run as root, or install them: apt-get install -y $*)" >&2
    return 1
  fi
}

# --- man pages (groff and man, every warning on) and completions (zsh, fish) -----------------
section "man pages and completions"
command -v groff >/dev/null || apt_install groff-base
command -v man >/dev/null || apt_install man-db || true
command -v zsh >/dev/null && command -v fish >/dev/null || apt_install zsh fish
# The man page and completion tests fail here, rather than skip, when groff, zsh or fish is
# missing.
if ! AIMSDOC_REQUIRE_MAN_TOOLS=1 AIMSDOC_REQUIRE_SHELLS=1 cargo test --locked --quiet --test it -- manpage:: completions::; then
  status=1
fi

# --- pre-commit ------------------------------------------------------------------------------
section "pre-commit setup"
command -v git >/dev/null || apt_install git
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv" || { apt_install python3-venv && python3 -m venv "$WORK/venv"; }
fi
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check \
  -r scripts/precommit-requirements.txt
PRE_COMMIT="$WORK/venv/bin/pre-commit"
"$PRE_COMMIT" --version
# The debug binary, for the aimsdoc-check-system hook (before CARGO_TARGET_DIR changes below).
cargo build --locked --quiet
# pre-commit's store (its clones and hook environments) and cargo's target dir stay under
# target/: nothing is written to ~/.cache, and a rerun reuses the build.
export PRE_COMMIT_HOME="$WORK/home"
export CARGO_TARGET_DIR="$WORK/cargo-target"
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
export CARGO_PROFILE_RELEASE_DEBUG=false
REV=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain -- .pre-commit-hooks.yaml)" ]; then
  echo "note: .pre-commit-hooks.yaml has uncommitted changes; the committed one ($REV) is tested"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# A small AIMS: a policy and a procedure citing each other, no soa.yaml (one warning).
write_aims() { # DIR CONTROL
  mkdir -p "$1/policies" "$1/procedures"
  printf 'title = "Hook AIMS"\norganization = "Hook Ltd"\n' >"$1/aims.toml"
  cat >"$1/policies/ai-policy.md" <<MD
---
id: POL-AI-001
title: AI Policy
type: policy
status: approved
owner: Head of AI Governance
approver: Chief Executive Officer
approved: 2026-03-01
review: 2027-03-01
clauses: ["5.2"]
controls: [$2]
version: "1.0"
---

## Purpose

Why we use AI. See [[PRO-RISK-001]].
MD
  cat >"$1/procedures/risk.md" <<'MD'
---
id: PRO-RISK-001
title: AI Risk Management Procedure
type: procedure
status: approved
owner: Risk Manager
approver: Chief Executive Officer
approved: 2026-03-01
review: 2027-03-01
clauses: ["6.1.2"]
controls: [A.5.2]
version: "1.0"
---

## Method

Follow [[POL-AI-001#purpose]].
MD
}

new_repo() { # DIR
  mkdir -p "$1"
  git -C "$1" init -q
  git -C "$1" config user.email hook@example.invalid
  git -C "$1" config user.name "Hook test"
}

# expect DIR CODE DESCRIPTION PATTERN COMMAND...: runs COMMAND in DIR, wants exit status CODE
# and PATTERN (a grep -E regex) in its output.
expect() {
  local dir=$1 want=$2 what=$3 pattern=$4 got=0 start
  shift 4
  start=$(date +%s)
  (cd "$dir" && "$@") >"$TMP/out" 2>&1 || got=$?
  if [ "$got" = "$want" ] && grep -Eq -- "$pattern" "$TMP/out"; then
    echo "ok: $what ($(($(date +%s) - start)) s)"
  else
    echo "FAILED: $what (exit $got, wanted $want and /$pattern/):"
    sed 's/^/    /' "$TMP/out"
    status=1
  fi
}

section "pre-commit try-repo aimsdoc-check"
REPO="$TMP/try"
new_repo "$REPO"
write_aims "$REPO" A.99.9
git -C "$REPO" add -A
expect "$REPO" 1 "try-repo fails on the unknown control A.99.9" 'error\[AIMS0101\]: unknown control A\.99\.9' \
  "$PRE_COMMIT" try-repo "$ROOT" aimsdoc-check --ref "$REV" --all-files
write_aims "$REPO" A.2.2
git -C "$REPO" add -A
expect "$REPO" 0 "try-repo passes once it is fixed" 'aimsdoc check\.+Passed' \
  "$PRE_COMMIT" try-repo "$ROOT" aimsdoc-check --ref "$REV" --all-files

section "pre-commit run: a .pre-commit-config.yaml as the README's, with args: [aims]"
# aimsdoc-check-system (the debug aimsdoc on PATH) here: the same entry, args and file filter
# as aimsdoc-check, without building aimsdoc a third time.
REPO="$TMP/config"
new_repo "$REPO"
write_aims "$REPO/aims" A.99.9
cat >"$REPO/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $ROOT
    rev: $REV
    hooks:
      - id: aimsdoc-check-system
        args: [aims]
YAML
git -C "$REPO" add -A
export PATH="$ROOT/target/debug:$PATH"
expect "$REPO" 1 "pre-commit run fails on the unknown control" 'A\.99\.9' \
  "$PRE_COMMIT" run --all-files
# As a git hook: `pre-commit install`, then real commits.
(cd "$REPO" && "$PRE_COMMIT" install >/dev/null)
expect "$REPO" 1 "git commit is refused" 'error\[AIMS0101\]: unknown control A\.99\.9' \
  git commit -m "planted error"
write_aims "$REPO/aims" A.2.2
git -C "$REPO" add -A
expect "$REPO" 0 "git commit passes once it is fixed" 'aimsdoc check.*\.+Passed' \
  git commit -m "fixed"
# A commit of files the hook does not look at skips it.
echo "notes" >"$REPO/notes.txt"
git -C "$REPO" add notes.txt
expect "$REPO" 0 "a commit of other files skips it" '\(no files to check\)Skipped' \
  git commit -m "notes"

section "result"
if [ "$status" = 0 ]; then echo "pre-commit and man page tests passed"; else echo "pre-commit and man page tests FAILED"; fi
exit "$status"
