#!/bin/bash
# Instructions per page fault and per page freed, exactly, under QEMU's
# instruction clock (-icount shift=0,sleep=off: one guest nanosecond is one
# executed instruction, and the guest's clock no longer depends on the host).
# One vCPU, nothing unaccepted, the same initramfs; bench/guest/fault_bench.c
# faults in 128 MiB (4 KiB pages) and unmaps it, 15 rounds, medians.
#
#   bench/icount.sh [boots]        default 2 boots of each kernel
#
# Kernels, alternated boot by boot:
#   base      Debian 6.1 without the series (built here on first use, as
#             bench/fastpath.sh does)
#   series    build/bzImage ("make kernel initramfs" first)
#   nokey     the series with its static key turned into a plain flag test
#             (bench/static-key-off.patch, built here on first use): what the
#             allocator's hooks cost without the jump label
#   mainline  Debian 6.12 with the emulation (bench/mainline-6.12/build.sh),
#             if build/bench/bzImage-mainline-6.12 exists
#
# These are instruction counts, not times: they do not see cache misses,
# memory bandwidth or the cost of a real accept.  Wall-clock figures stay in
# bench/fastpath.sh and bench/boot-accept.sh.  Extra kernel arguments for
# every boot: ICOUNT_CMDLINE="...".
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

boots=${1:-2}
out=$BUILD/bench/icount
mkdir -p "$out"
[ -e "$BUILD/bzImage" ] || die "no build/bzImage: run 'make kernel initramfs' first"

# build_variant NAME REV [PATCH]: build/bench/bzImage-NAME from REV of the
# tree, with PATCH applied on top if given, in its own worktree.
build_variant() {
	local name=$1 rev=$2 patch=${3:-} src=$BUILD/bench/$1-src
	if [ ! -e "$src/.git" ]; then
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$src" "$rev"
	fi
	git -C "$src" checkout -q -f --detach "$rev"
	[ -z "$patch" ] || git -C "$src" apply "$patch" ||
		die "$patch does not apply to the series any more"
	CONFIG_CHECK=warn TREE=$src KOUT=$BUILD/bench/$name-obj \
		OUT_IMAGE=$BUILD/bench/bzImage-$name "$TOP/scripts/build-kernel.sh" >&2
}
build_variant base base
build_variant nokey HEAD "$TOP/bench/static-key-off.patch"

kernels="base series nokey"
if [ -e "$BUILD/bench/bzImage-mainline-6.12" ]; then
	kernels="$kernels mainline"
else
	warn "no build/bench/bzImage-mainline-6.12 (bench/mainline-6.12/build.sh): mainline left out"
fi
image() {
	case $1 in
	series) echo "$BUILD/bzImage" ;;
	mainline) echo "$BUILD/bench/bzImage-mainline-6.12" ;;
	*) echo "$BUILD/bench/bzImage-$1" ;;
	esac
}

declare -A fault free
for b in $(seq "$boots"); do
	for k in $kernels; do
		dir=$out/$k-$b
		"$TOP/scripts/boot.sh" -k "$(image $k)" -m 2G -s 1 \
			-q "-icount shift=0,sleep=off" -c "${ICOUNT_CMDLINE:-}" \
			-t fault_bench -o "$dir" -T 600 >/dev/null 2>&1 ||
			die "boot of the $k kernel failed: see $dir/console.log"
		f=$(sed -n 's/^ *# fault_bench: median \([0-9.]*\).*/\1/p' "$dir/guest.ktap" | tr -d '\r')
		u=$(sed -n 's/^ *# fault_bench: unmap median \([0-9.]*\).*/\1/p' "$dir/guest.ktap" | tr -d '\r')
		[ -n "$f" ] && [ -n "$u" ] || die "no figure from the $k kernel: see $dir/guest.ktap"
		fault[$k]="${fault[$k]:-} $f"
		free[$k]="${free[$k]:-} $u"
	done
done

# Each kernel's boots should agree exactly; print them all, and the ratios
# of the first boot's figures to base's.
printf '| kernel | instructions per fault (each boot) | per page unmapped (each boot) | fault vs base | unmap vs base |\n'
printf '| --- | --- | --- | --- | --- |\n'
fb=$(echo ${fault[base]} | cut -d' ' -f1) ub=$(echo ${free[base]} | cut -d' ' -f1)
for k in $kernels; do
	f1=$(echo ${fault[$k]} | cut -d' ' -f1) u1=$(echo ${free[$k]} | cut -d' ' -f1)
	printf '| %s | %s | %s | %+.3f %% | %+.3f %% |\n' "$k" \
		"$(echo ${fault[$k]} | sed 's/ /, /g')" "$(echo ${free[$k]} | sed 's/ /, /g')" \
		"$(echo "($f1 - $fb) * 100 / $fb" | bc -l)" "$(echo "($u1 - $ub) * 100 / $ub" | bc -l)"
done
printf '\n(1 vCPU, 2 GiB, -icount shift=0,sleep=off; command: bench/icount.sh %d)\n' "$boots"
