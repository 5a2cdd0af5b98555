#!/bin/bash
# make check-configs: build the series (the tree's last commit) with each variant in
# config/variants/ on top of config/test.config -- TDX only, SNP only, both
# without the emulation, all of them without memory hotplug,
# neither (CONFIG_UNACCEPTED_MEMORY off), and the Hyper-V and Xen balloons
# (PageOffline users that cannot run here) -- each in its own object directory
# under build/configs/.  VARIANTS="a b" picks some.  The default config
# (both, plus the emulation) is what "make kernel" builds.
set -eu
. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
# Out-of-tree builds need a source tree never built in-tree: a worktree of
# the tree's HEAD (uncommitted changes are not built).
src=$BUILD/configs/src
if [ ! -e "$src/.git" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$src" HEAD
fi
git -C "$src" checkout -q --detach "$(git -C "$TREE" rev-parse HEAD)"
dir=${VARIANT_DIR:-$TOP/config/variants}
for v in ${VARIANTS:-$(ls "$dir" | sed 's/\.config$//')}; do
	frag=$dir/$v.config
	[ -f "$frag" ] || die "no variant $frag"
	TREE=$src KOUT=$BUILD/configs/$v OUT_IMAGE=$BUILD/configs/bzImage-$v EXTRA_CONFIG=$frag \
		"$TOP/scripts/build-kernel.sh" || die "the series does not build with $v"
	log "builds with $v"
done
