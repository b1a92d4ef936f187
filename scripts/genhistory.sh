#!/usr/bin/env bash
# Makes a git repository with a generated history of the sample AIMS, for the versions
# benchmark and for trying `aimsdoc build` / `aimsdoc diff` on a realistic history:
#   100 commits, a release tag (aims-2024.01 …) after every 5th commit (20 tags, lightweight
#   and annotated alternately), edits to document text, front-matter version and status
#   bumps, a few renames, one document added and one removed, and a SoA change.
# The AIMS sits in a sub-folder (`manual/`) of the repository. Same input, same repository:
# authors and dates are fixed, so commit ids are reproducible.
#
# usage: bash scripts/genhistory.sh OUTDIR [COMMITS] [EVERY]
set -euo pipefail

out=${1:?usage: genhistory.sh OUTDIR [COMMITS] [EVERY]}
commits=${2:-100}
every=${3:-5}
here=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$out"
mkdir -p "$out"
cd "$out"
export GIT_CONFIG_NOSYSTEM=1 HOME="$out/.home"
mkdir -p "$HOME"
export GIT_AUTHOR_NAME="Dana Document-Controller" GIT_AUTHOR_EMAIL="dana@northwind.example"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
git init -q -b main repo
cd repo
git config commit.gpgsign false
git config tag.gpgsign false
cp -r "$here/sample-aims" manual
rm -rf manual/_site
printf '\n[versions]\ntags = "aims-*"\ncurrent = "worktree"\n' >> manual/aims.toml

clock=1704067200 # 2024-01-01
commit() {
  clock=$((clock + 86400 * 3 + 3600))
  export GIT_AUTHOR_DATE="@$clock +0000" GIT_COMMITTER_DATE="@$clock +0000"
  git add -A
  git commit -q -m "$1"
}
commit "Import the AIMS"

mapfile -t docs < <(git ls-files 'manual/*.md' | grep -v README.md | sort)
tagno=0
for ((i = 1; i < commits; i++)); do
  n=${#docs[@]}
  doc=${docs[$(((i * 7) % n))]}
  case $((i % 10)) in
    3)
      # A version bump.
      sed -i -E "s/^version: .*/version: \"$((i / 10 + 1)).$((i % 10))\"/" "$doc"
      printf '\nRevision note %d: version raised after review.\n' "$i" >> "$doc"
      msg="Raise the version of $(basename "$doc")"
      ;;
    6)
      # A status change (approved ↔ in-review).
      if grep -q '^status: approved' "$doc"; then
        sed -i 's/^status: approved/status: in-review/' "$doc"
      else
        sed -i -E 's/^status: .*/status: approved/' "$doc"
      fi
      msg="Change the status of $(basename "$doc")"
      ;;
    9)
      if ((i == 29 || i == 69)); then
        # A rename (the document keeps its id).
        new="${doc%.md}-v$i.md"
        git mv "$doc" "$new"
        # Links by file name follow the rename in the same commit.
        { grep -rlF "$(basename "$doc")" manual --include="*.md" || true; } | while read -r f; do
          sed -i "s/$(basename "$doc")/$(basename "$new")/g" "$f"
        done
        docs[$(((i * 7) % n))]=$new
        msg="Rename $(basename "$doc")"
      else
        printf '\nClarification %d: the owner confirms this section applies to every AI system in scope.\n' "$i" >> "$doc"
        msg="Clarify $(basename "$doc")"
      fi
      ;;
    *)
      # Edit a word in the text.
      printf '\nNote %d: wording reviewed by the document controller.\n' "$i" >> "$doc"
      msg="Edit $(basename "$doc")"
      ;;
  esac
  if ((i == 41)); then
    cat > manual/records/internal-audit-report-2025.md <<'DOC'
---
id: REC-AUD-2025
title: Internal audit report 2025
type: record
status: approved
version: "1.0"
owner: Internal Audit
approver: Chief Executive Officer
approved: 2025-06-01
clauses: ["9.2"]
---
# Internal audit report 2025

The internal audit of the AIMS found two minor nonconformities.
DOC
    msg="Add the 2025 internal audit report"
    mapfile -t docs < <(git ls-files 'manual/*.md' | grep -v README.md | sort; echo manual/records/internal-audit-report-2025.md)
  fi
  if ((i == 77)); then
    git rm -q manual/records/internal-audit-report-2025.md
    mapfile -t docs < <(git ls-files 'manual/*.md' | grep -v README.md | sort)
    msg="Remove the 2025 internal audit report (moved to the records system)"
  fi
  if ((i == 55)); then
    sed -i -E 's/^(  A\.10\.4:).*/\1 {applicable: false, justification: "We supply no AI systems or components to customers."}/' manual/soa.yaml
  fi
  commit "$msg"
  if (((i + 1) % every == 0)); then
    tagno=$((tagno + 1))
    name=$(printf 'aims-%d.%02d' $((2024 + (tagno - 1) / 12)) $(((tagno - 1) % 12 + 1)))
    if ((tagno % 2)); then
      git tag "$name"
    else
      git tag -a "$name" -m "Release $name"
    fi
  fi
done
# Pack the objects, as a clone (or git's automatic gc) would have them.
git gc -q
echo "$out/repo: $(git rev-list --count HEAD) commits, $(git tag | wc -l) tags; the AIMS is $out/repo/manual"
