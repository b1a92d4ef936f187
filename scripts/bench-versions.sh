#!/usr/bin/env bash
# Times building the sample AIMS with 20 tagged versions from git against building the
# current manual alone. Prints a Markdown table (also saved to $BENCH_DIR/versions.md).
#
#   bash scripts/bench-versions.sh
#
# Environment: BENCH_DIR (default /tmp/aimsdoc-bench-versions: outside any git repository, so
# the plain build really is "no git"), RUNS (default 10), AIMSDOC (default
# target/release/aimsdoc), TODAY (default 2026-11-23).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-/tmp/aimsdoc-bench-versions}
runs=${RUNS:-10}
today=${TODAY:-2026-11-23}
bin=${AIMSDOC:-$here/target/release/aimsdoc}

if [[ -z "${AIMSDOC:-}" ]]; then
  (cd "$here" && cargo build --release --quiet)
fi
mkdir -p "$bench"
bench=$(cd "$bench" && pwd)

# The generated history (100 commits, 20 tags), regenerated when the script changed.
stamp=$(sha256sum "$here/scripts/genhistory.sh" | cut -c1-16)
if [[ ! -f "$bench/history/.stamp-$stamp" ]]; then
  bash "$here/scripts/genhistory.sh" "$bench/history" >/dev/null
  touch "$bench/history/.stamp-$stamp"
fi
versioned="$bench/history/repo/manual"
# The current manual alone: the same documents as the newest commit, outside git.
rm -rf "$bench/plain"
cp -r "$versioned" "$bench/plain"
sed -i '/^\[versions\]/,$d' "$bench/plain/aims.toml"
# The current manual alone inside the repository: document history from git, no versions
# (`[versions] tags = []`).
rm -rf "$bench/clone"
git clone -q "$bench/history/repo" "$bench/clone"
sed -i '/^\[versions\]/,$d' "$bench/clone/manual/aims.toml"
printf '[versions]\ntags = []\n' >> "$bench/clone/manual/aims.toml"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# time_runs NAME COLD DIR OUT: prints "median min max" in ms.
time_runs() {
  local dir=$2 out=$3 cold=$1 t times=()
  rm -rf "$out"
  "$bin" build "$dir" -o "$out" --today "$today" >/dev/null 2>&1 # warm-up
  for ((r = 0; r < runs; r++)); do
    [[ $cold == cold ]] && rm -rf "$out"
    t=$(date +%s%N)
    "$bin" build "$dir" -o "$out" --today "$today" >/dev/null 2>"$bench/last.log" || {
      cat "$bench/last.log" >&2
      exit 1
    }
    times+=("$(ms "$t")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d %d %d\n", a[int((NR+1)/2)], a[1], a[NR]}'
}

# time_cmd SETUP CMD...: runs SETUP (untimed) then CMD, RUNS times after one warm-up; prints
# "median min max" in ms.
time_cmd() {
  local setup=$1 t times=()
  shift
  eval "$setup"
  "$@" >/dev/null 2>&1
  for ((r = 0; r < runs; r++)); do
    eval "$setup"
    t=$(date +%s%N)
    "$@" >/dev/null 2>"$bench/last.log" || {
      cat "$bench/last.log" >&2
      exit 1
    }
    times+=("$(ms "$t")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d %d %d\n", a[int((NR+1)/2)], a[1], a[NR]}'
}

read -r p_med p_min p_max < <(time_runs warm "$bench/plain" "$bench/out-plain")
read -r h_med h_min h_max < <(time_runs warm "$bench/clone/manual" "$bench/out-history")
read -r w_med w_min w_max < <(time_runs warm "$versioned" "$bench/out-versioned")
# A first build, and its floor: copying its output (the same files and bytes) with cp,
# alternated run by run so that both see the same disk (its speed drifts on a VM).
first_and_floor() {
  local t builds=() copies=() med='{a[NR]=$1} END {printf "%d %d %d\n", a[int((NR+1)/2)], a[1], a[NR]}'
  rm -rf "$bench/out-versioned-cold"
  "$bin" build "$versioned" -o "$bench/out-versioned-cold" --today "$today" >/dev/null 2>&1
  for ((r = 0; r < runs; r++)); do
    rm -rf "$bench/out-versioned-cold"
    t=$(date +%s%N)
    "$bin" build "$versioned" -o "$bench/out-versioned-cold" --today "$today" >/dev/null 2>&1
    builds+=("$(ms "$t")")
    rm -rf "$bench/copy"
    t=$(date +%s%N)
    cp -r "$bench/out-versioned-cold" "$bench/copy"
    copies+=("$(ms "$t")")
  done
  echo "$(printf '%s\n' "${builds[@]}" | sort -n | awk "$med") $(printf '%s\n' "${copies[@]}" | sort -n | awk "$med")"
}
read -r c_med c_min c_max f_med f_min f_max < <(first_and_floor)
# A new release tag: the newest tag is deleted and the site built (untimed), then the tag is
# made again and the site rebuilt (timed), in a clone of the history.
rm -rf "$bench/tagging"
git clone -q "$bench/history/repo" "$bench/tagging"
newest=$(git -C "$bench/tagging" tag --sort=-creatordate | head -1)
newest_commit=$(git -C "$bench/tagging" rev-list -n 1 "$newest")
tagging="$bench/tagging/manual"
read -r n_med n_min n_max < <(time_cmd \
  "git -C '$bench/tagging' tag -d '$newest' >/dev/null; '$bin' build '$tagging' -o '$bench/out-tagging' --today $today >/dev/null 2>&1; git -C '$bench/tagging' tag '$newest' '$newest_commit'" \
  "$bin" build "$tagging" -o "$bench/out-tagging" --today "$today")
# Another day: the previous output was built with "today" a day earlier.
read -r d_med d_min d_max < <(time_cmd \
  "'$bin' build '$versioned' -o '$bench/out-day' --today 2026-11-22 >/dev/null 2>&1" \
  "$bin" build "$versioned" -o "$bench/out-day" --today "$today")
files_plain=$(find "$bench/out-plain" -type f | wc -l)
files_versioned=$(find "$bench/out-versioned" -type f | wc -l)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×", a / b}'; }

{
  echo "| build | output files | median ms | min | max | vs current alone |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| current manual alone (no git) | $files_plain | $p_med | $p_min | $p_max | 1.0× |"
  echo "| current manual alone, in git (document history: \`tags = []\`) | $files_plain | $h_med | $h_min | $h_max | $(ratio "$h_med" "$p_med") |"
  echo "| current + 20 tags, rebuild (previous output in place) | $files_versioned | $w_med | $w_min | $w_max | $(ratio "$w_med" "$p_med") |"
  echo "| current + 20 tags, rebuild the day after (\`--today\` one day later) | $files_versioned | $d_med | $d_min | $d_max | $(ratio "$d_med" "$p_med") |"
  echo "| current + 20 tags, rebuild after a new release tag (the 20th) | $files_versioned | $n_med | $n_min | $n_max | $(ratio "$n_med" "$p_med") |"
  echo "| current + 20 tags, first build (no previous output) | $files_versioned | $c_med | $c_min | $c_max | $(ratio "$c_med" "$p_med") |"
  echo "| floor of a first build: \`cp -r\` of its output | $files_versioned | $f_med | $f_min | $f_max | $(ratio "$f_med" "$p_med") |"
  echo
  echo "$runs counted runs each after one warm-up; $(cd "$bench/history/repo" && git rev-list --count HEAD) commits, $(cd "$bench/history/repo" && git tag | wc -l) tags."
} | tee "$bench/versions.md"
