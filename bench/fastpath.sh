#!/bin/bash
# What the series costs a machine with no unaccepted memory: page-fault
# throughput (bench/guest/fault_bench.c: 15 rounds of faulting in 128 MiB,
# 4 KiB pages) under the series kernel (build/bzImage; "make kernel
# initramfs" first) and under the base 6.1 kernel built from the same config
# fragments (built here on first use, in build/bench/base-*).
#
#   bench/fastpath.sh [boots]        default 5 boots of each kernel
#
# The two kernels alternate, boot by boot, so that host drift hits both
# alike; each boot's figure is the median of its rounds.  Under TCG a page
# fault costs microseconds and boot-to-boot noise is a few per cent:
# compare the medians over all boots and read the spread beside them.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

boots=${1:-5}
out=$BUILD/bench/fastpath
base_src=$BUILD/bench/base-src
base_img=$BUILD/bench/bzImage-base
mkdir -p "$out"

[ -e "$BUILD/bzImage" ] || die "no build/bzImage: run 'make kernel initramfs' first"
if [ ! -e "$base_src/.git" ]; then
	git -C "$TREE" worktree add -q --detach "$base_src" base
fi
git -C "$base_src" checkout -q --detach base
CONFIG_CHECK=warn TREE=$base_src KOUT=$BUILD/bench/base-obj OUT_IMAGE=$base_img \
	"$TOP/scripts/build-kernel.sh" >&2

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

declare -A all
printf '| boot | base 6.1 (ns/page) | series (ns/page) |\n| --- | --- | --- |\n'
for b in $(seq "$boots"); do
	row="| $b"
	for k in base series; do
		img=$base_img
		[ $k = series ] && img=$BUILD/bzImage
		dir=$out/$k-$b
		"$TOP/scripts/boot.sh" -k "$img" -m 2G -t fault_bench -o "$dir" -T 300 >/dev/null 2>&1 ||
			die "boot of the $k kernel failed: see $dir/console.log"
		v=$(sed -n 's/^ *# fault_bench: median \([0-9.]*\).*/\1/p' "$dir/guest.ktap" | tr -d '\r')
		[ -n "$v" ] || die "no figure from the $k kernel: see $dir/guest.ktap"
		all[$k]="${all[$k]:-} $v"
		row="$row | $v"
	done
	echo "$row |"
done
mb=$(echo ${all[base]} | tr ' ' '\n' | median)
ms=$(echo ${all[series]} | tr ' ' '\n' | median)
printf '| median | %s | %s |\n' "$mb" "$ms"
printf '\nseries vs base: %+.2f %% (median of %d boots each; command: bench/fastpath.sh %d)\n' \
	"$(echo "($ms - $mb) * 100 / $mb" | bc -l)" "$boots" "$boots"
