#!/usr/bin/env bash
# Benchmark: full build of a synthetic ISO/IEC 42001 AIMS corpus with aimsdoc, and with
# Hugo as a peer on the same documents. See BENCHMARKS.md.
#
#   bash scripts/bench.sh
#
# Steps: build aimsdoc and the corpus generator (release); generate corpora of 1,000
# and 10,000 documents (examples/gencorpus.rs, --hugo) under $BENCH_DIR, reusing a
# corpus already generated with the same N, seed and generator source; time each tool
# (warm-up runs, then counted runs); print a Markdown table (median/min/max wall seconds,
# peak RSS) and check the targets. Progress goes to stderr, the report to stdout; the
# report is also saved to $BENCH_DIR/results.md.
#
# Environment (all optional):
#   BENCH_DIR  scratch folder for corpora and outputs     (default: target/bench)
#   RUNS       counted runs per tool and size             (default: 5 for N<10000, 3 otherwise)
#   WARMUP     uncounted warm-up runs before them         (default: 1)
#   SIZES      corpus sizes                               (default: "1000 10000")
#   TOOLS      tools to time, from "aimsdoc hugo"         (default: "aimsdoc hugo")
#   SEED       corpus seed                                (default: 42001)
#   FRAMEWORKS 1: enable ISO/IEC 27001, the EU AI Act, the NIST AI RMF and an own
#              catalog, documents declaring some entries; 0: ISO/IEC 42001 only (default: 1)
#   TODAY      date passed to aimsdoc build --today       (default: 2026-11-23)
#   AIMSDOC    aimsdoc binary to time                     (default: target/release/aimsdoc)
#
# Needs: cargo, and for the peer `hugo` (apt-get install -y hugo), for peak RSS
# /usr/bin/time (apt-get install -y time). Installs nothing and uses no network
# (beyond what cargo may need to fetch crates for the build).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BENCH_DIR=${BENCH_DIR:-target/bench}
WARMUP=${WARMUP:-1}
SIZES=${SIZES:-"1000 10000"}
TOOLS=${TOOLS:-"aimsdoc hugo"}
SEED=${SEED:-42001}
FRAMEWORKS=${FRAMEWORKS:-1}
TODAY=${TODAY:-2026-11-23}
RUNS=${RUNS:-}

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
AIMSDOC=${AIMSDOC:-$ROOT/target/release/aimsdoc}
GENCORPUS="$ROOT/target/release/examples/gencorpus"
TIME_BIN=/usr/bin/time

log() { printf '%s\n' "$*" >&2; }
die() {
  log "bench.sh: $*"
  exit 1
}
has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }

[[ $FRAMEWORKS == 0 || $FRAMEWORKS == 1 ]] || die "FRAMEWORKS must be 0 or 1, got '$FRAMEWORKS'"
for v in WARMUP SEED; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer, got '${!v}'"
done
[[ -z $RUNS || $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
for n in $SIZES; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES must hold positive integers, got '$n'"
done
for t in $TOOLS; do
  [[ $t == aimsdoc || $t == hugo ]] || die "unknown tool in TOOLS: '$t' (use aimsdoc and/or hugo)"
done

# ---------------------------------------------------------------- 1. build
if has_tool aimsdoc; then
  log "== cargo build --release --bin aimsdoc"
  cargo build --release --bin aimsdoc >&2 || die "cargo build --release --bin aimsdoc failed"
fi
log "== cargo build --release --example gencorpus"
if ! cargo build --release --example gencorpus >&2; then
  # The generator only uses std: it does not need the library, which may be mid-edit.
  has_tool aimsdoc && die "cargo build --release --example gencorpus failed"
  log "cargo could not build the example; compiling it standalone with rustc"
  GENCORPUS="$BENCH_DIR/gencorpus"
  rustc --edition 2021 -O examples/gencorpus.rs -o "$GENCORPUS" ||
    die "rustc examples/gencorpus.rs failed"
fi

HAVE_HUGO=0
if has_tool hugo; then
  if command -v hugo >/dev/null 2>&1; then
    HAVE_HUGO=1
  else
    log "hugo not found: apt-get install -y hugo to compare; skipping peer"
  fi
fi
HAVE_TIME=0
if [[ -x $TIME_BIN ]] && "$TIME_BIN" -v true >/dev/null 2>&1; then
  HAVE_TIME=1
else
  log "$TIME_BIN not found (Debian package 'time': apt-get install -y time); skipping peak RSS"
fi

# ---------------------------------------------------------------- 2. corpora
GEN_HASH=$(cat examples/gencorpus.rs examples/gencorpus/*.rs | sha256sum | cut -c1-16)

corpus_for() { # N -> path of a ready corpus
  local n=$1 dir="$BENCH_DIR/corpus-$1"
  local stamp="n=$n seed=$SEED hugo=1 frameworks=$FRAMEWORKS gencorpus=$GEN_HASH"
  local -a extra=()
  ((FRAMEWORKS)) && extra=(--frameworks)
  if [[ -f $dir/.stamp && $(<"$dir/.stamp") == "$stamp" ]]; then
    log "== reusing corpus $dir ($stamp)"
  else
    log "== generating corpus of $n documents in $dir"
    rm -rf "$dir"
    "$GENCORPUS" "$n" "$dir" --seed "$SEED" --hugo "${extra[@]}" || die "gencorpus $n failed"
    printf '%s\n' "$stamp" >"$dir/.stamp"
  fi
  printf '%s\n' "$dir"
}

# ---------------------------------------------------------------- 3. timing
now_ns() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

# run_once TOOL CORPUS OUT LOG -> prints "wall_ns rss_kb" (rss_kb empty without /usr/bin/time)
run_once() {
  local tool=$1 corpus=$2 out=$3 logf=$4 rssf="$BENCH_DIR/.rss" t0 t1 rc=0
  local -a cmd
  case $tool in
    aimsdoc) cmd=("$AIMSDOC" build "$corpus" -o "$out" --today "$TODAY") ;;
    hugo) cmd=(hugo -s "$corpus/hugo" -d "$out") ;;
  esac
  if ((HAVE_TIME)); then
    t0=$(now_ns)
    "$TIME_BIN" -v -o "$rssf" "${cmd[@]}" >"$logf" 2>&1 || rc=$?
    t1=$(now_ns)
  else
    t0=$(now_ns)
    "${cmd[@]}" >"$logf" 2>&1 || rc=$?
    t1=$(now_ns)
  fi
  if ((rc != 0)); then
    log ""
    log "bench.sh: '$tool' build FAILED (exit $rc): ${cmd[*]}"
    log "---- last 25 lines of its output ($logf) ----"
    tail -n 25 "$logf" >&2 || true
    log "----"
    if [[ $tool == aimsdoc ]]; then
      log "The benchmark expects: aimsdoc build DIR -o OUT --today YYYY-MM-DD, exit 0 on success."
    fi
    exit 1
  fi
  local rss=""
  if ((HAVE_TIME)); then
    rss=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$rssf")
  fi
  printf '%s %s\n' "$((t1 - t0))" "$rss"
}

version_of() {
  local v=""
  case $1 in
    aimsdoc)
      v=$("$AIMSDOC" --version 2>/dev/null | head -n1 | awk '{ print $NF }') || true
      [[ -n $v ]] || v=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
      ;;
    hugo) v=$(hugo version 2>/dev/null | awk '{ print $2 }') || true ;;
  esac
  printf '%s\n' "$v"
}

ROWS=()
declare -A MEDIAN RSSMB

bench() { # TOOL N CORPUS
  local tool=$1 n=$2 corpus=$3 runs=$RUNS
  [[ -n $runs ]] || { ((n < 10000)) && runs=5 || runs=3; }
  local out="$BENCH_DIR/out-$tool-$n" logf="$BENCH_DIR/$tool-$n.log"
  local -a walls=()
  local maxrss=0 i line wall rss
  rm -rf "$out"
  for ((i = 1; i <= WARMUP + runs; i++)); do
    line=$(run_once "$tool" "$corpus" "$out" "$logf")
    read -r wall rss <<<"$line"
    if ((i > WARMUP)); then
      walls+=("$wall")
      if [[ -n $rss ]] && ((rss > maxrss)); then maxrss=$rss; fi
      log "   $tool N=$n run $((i - WARMUP))/$runs: $(secs "$wall") s${rss:+, ${rss} KB max RSS}"
    else
      log "   $tool N=$n warm-up: $(secs "$wall") s"
    fi
    if ((i == 1)); then
      # A build that "succeeds" without writing a page per document is not a benchmark.
      local pages
      pages=$({ find "$out" -name '*.html' 2>/dev/null || true; } | wc -l)
      if ((pages < n)); then
        log ""
        log "bench.sh: '$tool' exited 0 but wrote only $pages HTML file(s) to $out (expected >= $n)"
        log "---- last 25 lines of its output ($logf) ----"
        tail -n 25 "$logf" >&2 || true
        exit 1
      fi
    fi
  done
  local sorted med
  mapfile -t sorted < <(printf '%s\n' "${walls[@]}" | sort -n)
  local k=${#sorted[@]}
  if ((k % 2)); then
    med=${sorted[k / 2]}
  else
    med=$(((sorted[k / 2 - 1] + sorted[k / 2]) / 2))
  fi
  local rssmb="n/a"
  ((HAVE_TIME)) && rssmb=$(awk -v kb="$maxrss" 'BEGIN { printf "%.0f", kb / 1024 }')
  local files
  files=$({ find "$out" -type f 2>/dev/null || true; } | wc -l)
  local ver
  ver=$(version_of "$tool")
  MEDIAN[$tool-$n]=$(secs "$med")
  RSSMB[$tool-$n]=$rssmb
  ROWS+=("| $tool | ${ver:-?} | $n | $(secs "$med") | $(secs "${sorted[0]}") | $(secs "${sorted[k - 1]}") | $rssmb | $runs | $files |")
}

for n in $SIZES; do
  corpus=$(corpus_for "$n")
  if has_tool aimsdoc; then
    log "== aimsdoc build, N=$n"
    bench aimsdoc "$n" "$corpus"
  fi
  if ((HAVE_HUGO)); then
    log "== hugo, N=$n"
    bench hugo "$n" "$corpus"
  fi
done

# ---------------------------------------------------------------- 4. report
verdict() { # AWK-CONDITION -> PASS/FAIL
  awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL
}

report() {
  echo "## Results ($(date -u +%Y-%m-%d), $(nproc) CPUs, $(uname -sm))"
  echo
  local fw="ISO/IEC 42001 only"
  ((FRAMEWORKS)) && fw="frameworks iso27001, eu-ai-act, nist-ai-rmf and an own catalog enabled (--frameworks)"
  echo "Wall seconds over counted runs after $WARMUP warm-up run(s). Corpus: examples/gencorpus.rs, seed $SEED, $fw."
  if ((HAVE_TIME)); then
    echo "Peak RSS = max over counted runs of /usr/bin/time -v \"Maximum resident set size\" (MB = KB/1024)."
  else
    echo "Peak RSS not measured: /usr/bin/time not found (Debian package 'time')."
  fi
  echo
  echo "| tool | version | N docs | median s | min s | max s | peak RSS MB | runs | output files |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  if ((${#ROWS[@]})); then
    printf '%s\n' "${ROWS[@]}"
  else
    echo "| (nothing timed) | | | | | | | | |"
  fi
  echo
  local a10=${MEDIAN[aimsdoc-10000]:-} h10=${MEDIAN[hugo-10000]:-}
  local r10=${RSSMB[aimsdoc-10000]:-} a1=${MEDIAN[aimsdoc-1000]:-}
  echo "### Targets"
  echo
  if [[ -n $a10 && -n $h10 ]]; then
    local ratio
    ratio=$(awk -v a="$a10" -v h="$h10" 'BEGIN { printf "%.3f", a / h }')
    echo "- 10k: aimsdoc/hugo median wall time = $a10 / $h10 = **$ratio** (target <= 0.333): $(verdict "$ratio <= 1/3")"
  else
    echo "- 10k: aimsdoc/hugo median wall time (target <= 0.333): n/a (needs both tools at N=10000)"
  fi
  if [[ -n $r10 && $r10 != n/a ]]; then
    echo "- 10k: aimsdoc peak RSS = $r10 MB (target < 400 MB): $(verdict "$r10 < 400")"
  else
    echo "- 10k: aimsdoc peak RSS (target < 400 MB): n/a"
  fi
  if [[ -n $a1 ]]; then
    echo "- 1k: aimsdoc median wall time = $a1 s (target < 0.25 s): $(verdict "$a1 < 0.25")"
  else
    echo "- 1k: aimsdoc median wall time (target < 0.25 s): n/a"
  fi
}

log ""
report | tee "$BENCH_DIR/results.md"
