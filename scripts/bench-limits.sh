#!/usr/bin/env bash
# Pathological input: how long `aimsdoc check` takes, and how much memory, on the inputs of
# BENCHMARKS.md "Pathological input" (deep YAML nesting, huge lists, many broken references).
# Every one of them is an error or a list of errors; what is measured is how fast it is said.
#
#   bash scripts/bench-limits.sh                      # the release binary of this checkout
#   AIMSDOC=/tmp/old-aimsdoc bash scripts/bench-limits.sh   # another binary, for before/after
#
# Steps: generate the inputs under $BENCH_DIR (once; they do not depend on the binary), run
# `$AIMSDOC check DIR --today $TODAY` on each under /usr/bin/time, and print a Markdown table
# (wall seconds, peak RSS, exit code, the error codes printed). A run longer than $TIMEOUT
# seconds is stopped and shown as such.
#
# Environment (all optional):
#   BENCH_DIR  scratch folder                     (default: target/bench/limits)
#   AIMSDOC    binary to time                     (default: target/release/aimsdoc)
#   TIMEOUT    seconds before a run is stopped    (default: 600)
#   CASES      which inputs, by name              (default: all of them)
#   TODAY      --today                            (default: 2026-11-23)
#
# Needs: bash, awk, /usr/bin/time (apt-get install -y time). Installs nothing, no network.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BENCH_DIR=${BENCH_DIR:-target/bench/limits}
AIMSDOC=${AIMSDOC:-$ROOT/target/release/aimsdoc}
TIMEOUT=${TIMEOUT:-600}
TODAY=${TODAY:-2026-11-23}
ALL="deep-front-matter deep-soa related-1m tags-15mb tags-1mib tags-1mib-x2 related-10k broken-refs-1m related-10k-in-10k-docs"
CASES=${CASES:-$ALL}

log() { printf '%s\n' "$*" >&2; }
[[ -x $AIMSDOC ]] || {
  log "bench-limits.sh: no binary at $AIMSDOC (cargo build --release)"
  exit 1
}
[[ -x /usr/bin/time ]] || {
  log "bench-limits.sh: /usr/bin/time is missing (apt-get install -y time)"
  exit 1
}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

repeat() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# new_aims NAME: an empty AIMS folder (aims.toml only); prints its path.
new_aims() {
  local dir="$BENCH_DIR/$1"
  rm -rf "$dir"
  mkdir -p "$dir/policies"
  printf 'title = "Limits"\norganization = "Bench Ltd"\n' >"$dir/aims.toml"
  printf '%s' "$dir"
}

generate() {
  local d
  case $1 in
  deep-front-matter) # a 196 KB front matter: `tags:` nested 100,000 deep
    d=$(new_aims "$1")
    { printf -- '---\nid: P-1\ntitle: P\ntags: '; repeat '[' 100000; repeat ']' 100000; printf '\n---\nBody.\n'; } >"$d/policies/p.md" ;;
  deep-soa) # soa.yaml with one decision nested 100,000 deep
    d=$(new_aims "$1")
    printf -- '---\nid: P-1\ntitle: P\n---\n' >"$d/policies/p.md"
    { printf 'controls:\n  A.2.2: '; repeat '[' 100000; repeat ']' 100000; printf '\n'; } >"$d/soa.yaml" ;;
  related-1m) # `related` with 1,000,000 entries, one per line (14 MB)
    d=$(new_aims "$1")
    { printf -- '---\nid: P-1\ntitle: P\nrelated:\n'
      awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "  - R-%07d\n", i }'
      printf -- '---\n'; } >"$d/policies/p.md" ;;
  tags-15mb) # a 15.6 MB front matter: `tags: [t, t, …]` with 5,200,000 entries
    d=$(new_aims "$1")
    { printf -- '---\nid: P-1\ntitle: P\ntags: [t'; repeat ', t' 5199999; printf ']\n---\n'; } >"$d/policies/p.md" ;;
  tags-1mib | tags-1mib-x2) # just under 1 MiB of `tags: [a,a,…]`, the most YAML events per
    # byte that aimsdoc parses (in one document, or in two parsed at once)
    d=$(new_aims "$1")
    local k copies=1
    [[ $1 == *-x2 ]] && copies=2
    for ((k = 0; k < copies; k++)); do
      { printf -- '---\nid: P-%d\ntitle: P\ntags: [' "$k"; repeat 'a,' 524250; printf 'a]\n---\n'; } >"$d/policies/p$k.md"
    done ;;
  related-10k) # `related` at the bound, 10,000 entries, none of them a document
    d=$(new_aims "$1")
    { printf -- '---\nid: P-1\ntitle: P\nrelated:\n'
      awk 'BEGIN { for (i = 0; i < 10000; i++) printf "  - R-%05d\n", i }'
      printf -- '---\n'; } >"$d/policies/p.md" ;;
  broken-refs-1m) # one 8.6 MB body with 1,000,000 broken [[…]] references
    d=$(new_aims "$1")
    { printf -- '---\nid: P-1\ntitle: P\n---\n'; repeat '[[nope]] ' 1000000; printf '\n'; } >"$d/policies/p.md" ;;
  related-10k-in-10k-docs) # 10,000 documents, one of which lists 10,000 ids one edit away from theirs
    d=$(new_aims "$1")
    awk -v d="$d" 'BEGIN {
      for (i = 0; i < 10000; i++) {
        dir = sprintf("%s/docs/%03d", d, int(i / 100))
        if (i % 100 == 0) system("mkdir -p " dir)
        f = sprintf("%s/DOC-%05d.md", dir, i)
        printf "---\nid: DOC-%05d\ntitle: Document %d\n---\nBody.\n", i, i > f
        close(f)
      } }'
    { printf -- '---\nid: P-1\ntitle: P\nrelated:\n'
      awk 'BEGIN { for (i = 0; i < 10000; i++) printf "  - DOX-%05d\n", i }'
      printf -- '---\n'; } >"$d/policies/p.md" ;;
  *)
    log "bench-limits.sh: unknown case $1 (known: $ALL)"
    exit 1 ;;
  esac
}

printf '| input | wall s | peak RSS MB | exit | errors |\n|---|---:|---:|---:|---|\n'
for c in $CASES; do
  if [[ ! -f $BENCH_DIR/$c/.generated ]]; then
    log "generating $c"
    generate "$c"
    touch "$BENCH_DIR/$c/.generated"
  fi
  log "timing $c"
  set +e
  timeout "$TIMEOUT" /usr/bin/time -f '%e %M' -o "$BENCH_DIR/$c.time" \
    "$AIMSDOC" check "$BENCH_DIR/$c" --today "$TODAY" >/dev/null 2>"$BENCH_DIR/$c.log"
  code=$?
  set -e
  if [[ $code -eq 124 ]]; then
    printf '| %s | > %s (stopped) | | | |\n' "$c" "$TIMEOUT"
    continue
  fi
  read -r secs kb < <(tail -n 1 "$BENCH_DIR/$c.time")
  errors=$(grep -o '^error\[AIMS[0-9]*\]' "$BENCH_DIR/$c.log" | sort | uniq -c |
    awk '{ gsub(/error\[|\]/, "", $2); printf "%s%s × %s", (NR > 1 ? ", " : ""), $2, $1 }' || true)
  printf '| %s | %s | %d | %s | %s |\n' "$c" "$secs" "$((kb / 1024))" "$code" "$errors"
done
