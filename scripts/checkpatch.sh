#!/bin/bash
# make check: the base tree's checkpatch.pl --strict on every patch of the
# series.  Errors fail; warnings and checks are shown (justify any that stay
# in the patch's changelog).
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
mapfile -t patches < <(series_patches)
[ "${#patches[@]}" -gt 0 ] || { log "the series is empty: nothing to check"; exit 0; }
bad=0 noisy=0
for p in "${patches[@]}"; do
	# /usr/bin first: spdxcheck.py needs Debian's python3 (python3-ply,
	# python3-git).  FILE_PATH_CHANGES only asks whether MAINTAINERS needs
	# an update for new files: the series adds none outside covered paths.
	out=$(cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict -q --no-summary --showfile \
		--ignore FILE_PATH_CHANGES "$p" 2>&1) || true
	if grep -q "ERROR:" <<<"$out"; then
		bad=$((bad + 1))
	fi
	if [ -n "$out" ]; then
		noisy=$((noisy + 1))
		echo "$(basename "$p"):"
		sed 's/^/    /' <<<"$out"
	fi
done
log "checkpatch --strict: ${#patches[@]} patch(es), $bad with errors, $noisy with any report"
[ "$bad" = 0 ] || die "checkpatch found errors in $bad patch(es)"
