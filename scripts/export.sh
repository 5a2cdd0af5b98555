#!/bin/bash
# make export: write the tree's commits after "base" back into patches/ as
# git format-patch output: 0000-cover-letter.patch + one file per commit.
#
# The output depends only on the commits: zeroed "From <sha>" lines, a fixed
# signature and abbreviation, and the cover letter dated like the newest patch,
# so exporting twice gives byte-identical files.  The cover letter's subject
# and text are kept from the current patches/0000-cover-letter.patch (edit them
# there); its shortlog and diffstat are regenerated.
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
[ -z "$(git -C "$TREE" status --porcelain)" ] ||
	die "$TREE has uncommitted changes: commit them (or stash them) before exporting"
cover=$TOP/patches/0000-cover-letter.patch
n=$(git -C "$TREE" rev-list --count base..HEAD)
if [ "$n" = 0 ]; then
	rm -f "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch
	touch "$cover"
	log "the tree has no commits after base: the series is empty (cover letter kept)"
	exit 0
fi

# Subject and text of the cover letter as it is now.
subject="*** SUBJECT HERE ***" body_file=$(mktemp)
trap 'rm -f "$body_file"' EXIT
echo "*** BLURB HERE ***" > "$body_file"
if [ -f "$cover" ]; then
	subject=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$cover" | head -n1)
	# The text runs from after the mail header to the shortlog's first line
	# (or the signature, in a hand-written cover letter).
	awk -v who="$SERIES_NAME (" '
		!hdr { if ($0 == "") hdr = 1; next }
		index($0, who) == 1 || $0 == "-- " { exit }
		{ print }' "$cover" > "$body_file"
	# Drop the blank lines format-patch puts around the text.
	sed -i -e '/./,$!d' "$body_file"
	sed -i -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' "$body_file"
fi

tmp=$(mktemp -d)
date=$(git -C "$TREE" log -1 --format=%aI HEAD)
GIT_COMMITTER_DATE=$date git -C "$TREE" -c core.abbrev=12 -c diff.noprefix=false format-patch -q \
	--zero-commit --cover-letter --numbered --signature="linux-source-6.1 $(cat "$TREE/.base-version")" \
	-o "$tmp" base..HEAD
# Put the kept subject and text into git's template.
python3 - "$tmp/0000-cover-letter.patch" "$subject" "$body_file" <<'PY'
import sys
path, subject, body = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().rstrip('\n')
text = open(path).read()
text = text.replace('*** SUBJECT HERE ***', subject, 1).replace('*** BLURB HERE ***', body, 1)
open(path, 'w').write(text)
PY
rm -f "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch
mv "$tmp"/*.patch "$TOP/patches/"
rmdir "$tmp"
log "exported $n patch(es) + cover letter to patches/"
git -C "$TOP" status --short -- patches >&2 || true
