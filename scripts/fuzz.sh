#!/usr/bin/env bash
# Fuzzes every target of fuzz/ for SECONDS each (default 600), one after another, with one
# fuzzing job, and prints one summary line per target. See FUZZING.md.
#
#   bash scripts/fuzz.sh [SECONDS]
#
# Seeds the corpora first (fuzz/seed.sh). Each target runs in libFuzzer's fork mode with one
# worker, so a crash, timeout or out-of-memory input is saved to fuzz/artifacts/<target>/ and
# fuzzing goes on until the time is up. Logs go to fuzz/logs/<target>.log.
#
# Environment (all optional):
#   TARGETS   targets to run        (default: every target in fuzz/Cargo.toml)
#   FUZZ_ARGS extra libFuzzer flags (default: none)
#
# Needs: a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail

SECONDS_EACH=${1:-600}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ="$ROOT/fuzz"
cd "$ROOT"

# Largest input per target, in bytes: whole documents and files, or one request target.
max_len() {
    case "$1" in
        serve_path) echo 4096 ;;
        config) echo 16384 ;;
        *) echo 65536 ;;
    esac
}

count() { find "$1" -maxdepth 1 -type f -name "$2" 2>/dev/null | wc -l; }

default_targets=$(cargo +nightly fuzz list --fuzz-dir "$FUZZ")
TARGETS=${TARGETS:-$default_targets}

bash "$FUZZ/seed.sh" >/dev/null
cargo +nightly fuzz build --fuzz-dir "$FUZZ" >&2
mkdir -p "$FUZZ/logs"

summary=()
for t in $TARGETS; do
    corpus="$FUZZ/corpus/$t"
    artifacts="$FUZZ/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    log="$FUZZ/logs/$t.log"
    before=$(count "$artifacts" '*-*')
    dict=()
    [ -f "$FUZZ/dicts/$t.dict" ] && dict=("-dict=$FUZZ/dicts/$t.dict")
    echo "fuzzing $t for ${SECONDS_EACH}s (log: $log)" >&2
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    cargo +nightly fuzz run --fuzz-dir "$FUZZ" "$t" "$corpus" -- \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
        -max_len="$(max_len "$t")" "${dict[@]}" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        ${FUZZ_ARGS:-} >"$log" 2>&1 || true
    # The last progress line of fork mode: "#RUNS: cov: C ft: F corp: N exec/s: E ...", where
    # RUNS counts every job's runs and E is the last job's rate; the average is RUNS/SECONDS.
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1 || true)
    runs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
    execs=$(( ${runs:-0} / SECONDS_EACH ))
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    crashes=$(count "$artifacts" 'crash-*')
    timeouts=$(count "$artifacts" 'timeout-*')
    ooms=$(count "$artifacts" 'oom-*')
    new=$(($(count "$artifacts" '*-*') - before))
    corp=$(count "$corpus" '*')
    summary+=("$(printf '%-13s runs %10s  exec/s %6s  cov %6s  corpus %6s  crashes %s  timeouts %s  ooms %s  (new %s)' \
        "$t" "${runs:-?}" "${execs:-?}" "${cov:-?}" "$corp" "$crashes" "$timeouts" "$ooms" "$new")")
    echo "${summary[-1]}" >&2
done

echo "fuzz summary (${SECONDS_EACH}s per target):"
printf '%s\n' "${summary[@]}"
