# Common helpers for the scripts in this folder.  Source it; do not run it.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
# Cache shared by every checkout on this machine: the Debian package, the
# pristine base repository and ccache's objects.
CACHE=${COCOMEM_CACHE:-/var/cache/cocomem}
BASE_VERSION=$(cat "$TOP/BASE_VERSION")

# The one identity used for every commit of the series.
SERIES_NAME="CoCo LTS Series"
SERIES_EMAIL="coco-lts@lists.invalid"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# timed LABEL CMD...: run CMD, then say how long it took.
timed() {
	local label=$1 start rc=0
	shift
	start=$(date +%s)
	log "$label ..."
	"$@" || rc=$?
	if [ "$rc" = 0 ]; then
		log "$label: done in $(( $(date +%s) - start )) s"
	else
		log "$label: FAILED (exit $rc) after $(( $(date +%s) - start )) s"
	fi
	return "$rc"
}

# The numbered patches of the series, in order, without the cover letter.
series_patches() {
	find "$TOP/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

# patch-ids (content hashes, independent of commit metadata) of the commits
# after base in the tree, and of the files in patches/, one per line, in order.
tree_patch_ids() {
	git -C "$TREE" rev-list --reverse base..HEAD | while read -r c; do
		git -C "$TREE" show "$c" | git patch-id --stable | cut -d' ' -f1
	done
}
file_patch_ids() {
	series_patches | while read -r p; do
		git patch-id --stable < "$p" | cut -d' ' -f1
	done
}
