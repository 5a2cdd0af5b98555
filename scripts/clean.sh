#!/bin/bash
# make clean: remove build/, unless the kernel tree holds work not exported.
set -eu
. "$(dirname "$0")/lib.sh"

if [ -d "$TREE/.git" ]; then
	[ -z "$(git -C "$TREE" status --porcelain)" ] ||
		die "$TREE has uncommitted changes: commit and 'make export' first"
	[ -z "$(comm -23 <(tree_patch_ids | sort) <(file_patch_ids | sort))" ] ||
		die "$TREE has commits not in patches/: 'make export' first"
fi
rm -rf "$BUILD"
log "removed $BUILD"
