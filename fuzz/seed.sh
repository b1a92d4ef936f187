#!/usr/bin/env bash
# Seeds the fuzz corpora from the project's own inputs: copies every Markdown file,
# aims.toml, soa.yaml and systems.yaml of tests/fixtures and sample-aims (plus the hand-written seeds in
# fuzz/seeds/<target>/) into fuzz/corpus/<target>/. Idempotent: files are named by content
# hash, so running it again adds nothing twice. The corpora are not committed.
#
#   bash fuzz/seed.sh
#
# Targets: front_matter (whole .md files), markdown (.md bodies without front matter),
# config (aims.toml), soa (soa.yaml), systems (systems.yaml), serve_path (request targets, fuzz/seeds only).
set -euo pipefail

FUZZ=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$FUZZ")
SOURCES=("$ROOT/tests/fixtures" "$ROOT/sample-aims")

# add TARGET < bytes: stores stdin as fuzz/corpus/TARGET/<sha1 of content>.
add() {
    local dir="$FUZZ/corpus/$1" tmp
    mkdir -p "$dir"
    tmp=$(mktemp "$dir/.seed.XXXXXX")
    cat >"$tmp"
    mv -f "$tmp" "$dir/$(sha1sum "$tmp" | cut -c1-40)"
}

# The body of a Markdown file: everything after a closing `---`/`...` front-matter line.
body() {
    LC_ALL=C awk 'NR == 1 { sub(/^\357\273\277/, "") }
         NR == 1 && /^---[ \t\r]*$/ { fm = 1; next }
         fm && /^(---|\.\.\.)[ \t\r]*$/ { fm = 0; next }
         !fm' "$1"
}

while IFS= read -r -d '' f; do
    add front_matter <"$f"
    body "$f" | add markdown
done < <(find "${SOURCES[@]}" -type f -name '*.md' -print0)

while IFS= read -r -d '' f; do
    add config <"$f"
done < <(find "${SOURCES[@]}" -type f -name 'aims.toml' -print0)

while IFS= read -r -d '' f; do
    add soa <"$f"
done < <(find "${SOURCES[@]}" -type f -name 'soa.yaml' -print0)

while IFS= read -r -d '' f; do
    add systems <"$f"
done < <(find "${SOURCES[@]}" -type f -name 'systems.yaml' -print0)

for dir in "$FUZZ"/seeds/*/; do
    target=$(basename "$dir")
    for f in "$dir"*; do
        [ -f "$f" ] && add "$target" <"$f"
    done
done

for dir in "$FUZZ"/corpus/*/; do
    printf '%-13s %5d files\n' "$(basename "$dir")" "$(find "$dir" -type f ! -name '.*' | wc -l)"
done
