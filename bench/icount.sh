#!/bin/bash
# Instructions per page fault and per page freed, exactly, under QEMU's
# instruction clock (-icount shift=0,sleep=off: one guest nanosecond is one
# executed instruction, and the guest's clock no longer depends on the host).
# One vCPU, 2 GiB, the same initramfs; bench/guest/fault_bench.c faults in
# 128 MiB (4 KiB pages) and unmaps it, 15 rounds, medians.
#
# 1. Nothing unaccepted: instructions per fault and per page unmapped; and
#    per fault below the low watermark, where the hooks sit.
# 2. Lazy (efi_fake_unaccepted=512M, no emulated cost, no poison; 1 GiB
#    rounds, so that the first round accepts): the instructions an accepting
#    round spends beyond a round that accepts nothing, less those spent in
#    the emulated backend (its own count), per 2 MiB unit accepted: the
#    allocator's accept path (lists, locking, counters, the ahead work).
#
#   bench/icount.sh [boots]        default 2 boots of each kernel
#
# Kernels, alternated boot by boot:
#   base      Debian 6.1 without the series (built here on first use, as
#             bench/fastpath.sh does)
#   series    the series, with bench/accept-count.patch (the emulated
#             backend counts its time and units in debugfs; nothing else
#             changes), built here on first use
#   nokey     the same with the static key turned into a plain flag test
#             (bench/static-key-off.patch): what the allocator's hooks cost
#             without the jump label
#   mainline  Debian 6.12 with the emulation (bench/mainline-6.12/build.sh),
#             if build/bench/bzImage-mainline-6.12 exists
#
# These are instruction counts, not times: they do not see cache misses,
# memory bandwidth or the cost of a real accept.  Wall-clock figures stay in
# bench/fastpath.sh and bench/boot-accept.sh.  KUnit suites built into the
# kernels are filtered out (kunit.filter_glob=none): what they leave behind
# made two boots of one kernel differ.  Extra kernel arguments for every
# boot: ICOUNT_CMDLINE="..."; another initramfs: INITRD=path.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

boots=${1:-2}
out=$BUILD/bench/icount
mkdir -p "$out"
initrd=${INITRD:-$BUILD/initramfs.cpio.gz}
[ -e "$initrd" ] || die "no initramfs: run 'make initramfs' first"

# build_variant NAME REV ["PATCH..."]: build/bench/bzImage-NAME from REV of
# the tree, with the PATCHes applied on top, in its own worktree.
build_variant() {
	local name=$1 rev=$2 patch=${3:-} src=$BUILD/bench/$1-src p
	if [ ! -e "$src/.git" ]; then
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$src" "$rev"
	fi
	git -C "$src" checkout -q -f --detach "$rev"
	for p in $patch; do
		git -C "$src" apply "$p" || die "$p does not apply to the series any more"
	done
	# The series' variants build in the worktree itself, as make
	# check-series does: the same relative paths as build/linux, so ccache
	# serves what that built.  Base builds out of tree, in the worktree
	# and object directory bench/fastpath.sh uses too.
	local obj=$src
	[ "$name" != base ] || obj=$BUILD/bench/base-obj
	CONFIG_CHECK=warn TREE=$src KOUT=$obj \
		OUT_IMAGE=$BUILD/bench/bzImage-$name "$TOP/scripts/build-kernel.sh" >&2
}
build_variant base base
build_variant series HEAD "$TOP/bench/accept-count.patch"
build_variant nokey HEAD "$TOP/bench/static-key-off.patch $TOP/bench/accept-count.patch"

kernels="base series nokey"
if [ -e "$BUILD/bench/bzImage-mainline-6.12" ]; then
	kernels="$kernels mainline"
else
	warn "no build/bench/bzImage-mainline-6.12 (bench/mainline-6.12/build.sh): mainline left out"
fi
image() {
	case $1 in
	mainline) echo "$BUILD/bench/bzImage-mainline-6.12" ;;
	*) echo "$BUILD/bench/bzImage-$1" ;;
	esac
}

declare -A fault free
for b in $(seq "$boots"); do
	for k in $kernels; do
		dir=$out/$k-$b
		"$TOP/scripts/boot.sh" -k "$(image $k)" -i "$initrd" -m 2G -s 1 \
			-q "-icount shift=0,sleep=off" -c "kunit.filter_glob=none ${ICOUNT_CMDLINE:-}" \
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

# 1b. Below the low watermark, where the hooks run: page faults while the
# largest zone sits between its min and low watermarks
# (bench/guest/pressure_bench.c), nothing unaccepted.
echo
printf '| kernel | instructions per fault below the low watermark (each boot) | vs base |\n| --- | --- | --- |\n'
declare -A press
for b in $(seq "$boots"); do
	for k in $kernels; do
		dir=$out/pressure-$k-$b
		"$TOP/scripts/boot.sh" -k "$(image $k)" -i "$initrd" -m 2G -s 1 \
			-q "-icount shift=0,sleep=off" -c "kunit.filter_glob=none ${ICOUNT_CMDLINE:-}" \
			-t pressure_bench -o "$dir" -T 900 >/dev/null 2>&1 ||
			die "pressure boot of the $k kernel failed: see $dir/console.log"
		v=$(sed -n 's/^ *# pressure_bench: median \([0-9.]*\).*/\1/p' "$dir/guest.ktap" | tr -d '\r')
		# A kernel whose guest died (say, OOM while locking memory) gets
		# no figure in its row, and the run goes on.
		if [ -z "$v" ]; then
			warn "no pressure figure from the $k kernel: see $dir/console.log"
			v=-
		fi
		press[$k]="${press[$k]:-} $v"
	done
done
pb=$(echo ${press[base]} | cut -d' ' -f1)
for k in $kernels; do
	p1=$(echo ${press[$k]} | cut -d' ' -f1)
	if [ "$p1" = - ] || [ "$pb" = - ]; then
		printf '| %s | %s | - |\n' "$k" "$(echo ${press[$k]} | sed 's/ /, /g')"
		continue
	fi
	printf '| %s | %s | %+.3f %% |\n' "$k" "$(echo ${press[$k]} | sed 's/ /, /g')" \
		"$(echo "($p1 - $pb) * 100 / $pb" | bc -l)"
done

# 2. The accept path.  Base 6.1 has none; a kernel whose backend does not
# count (no debugfs accept_ns) cannot be split and is reported as such.
echo
printf '| kernel | units accepted during the rounds | instructions beyond a non-accepting round, per unit | of which the backend | the allocator'"'"'s accept path, per unit |\n'
printf '| --- | --- | --- | --- | --- |\n'
for k in $kernels; do
	[ "$k" != base ] || continue
	dir=$out/lazy-$k
	"$TOP/scripts/boot.sh" -k "$(image $k)" -i "$initrd" -m 2G -s 1 \
		-q "-icount shift=0,sleep=off" \
		-c "kunit.filter_glob=none efi_fake_unaccepted=512M cocotest.bench_mib=1024 ${ICOUNT_CMDLINE:-}" \
		-t fault_bench -o "$dir" -T 900 >/dev/null 2>&1 ||
		die "lazy boot of the $k kernel failed: see $dir/console.log"
	tr -d '\r' < "$dir/guest.ktap" | awk -v k="$k" '
		/fault_bench: round [0-9]+:/ {
			n++; v[n] = $5 + 0
			if (match($0, /pages [0-9]+, backend [0-9]+ units [0-9]+ ns/)) {
				split(substr($0, RSTART, RLENGTH), a, /[ ,]+/)
				pages = a[2]; u[n] = a[4]; b[n] = a[6]; counted = 1
			}
		}
		END {
			if (!counted) { printf "| %s | - | - | - | (the backend does not count) |\n", k; exit }
			# the median of the rounds that accepted nothing is the yardstick
			m = 0
			for (i = 1; i <= n; i++) if (u[i] == 0) w[++m] = v[i]
			for (i = 2; i <= m; i++)	# insertion sort: mawk has no asort
				for (j = i; j > 1 && w[j - 1] > w[j]; j--) { t = w[j]; w[j] = w[j - 1]; w[j - 1] = t }
			steady = m ? w[int((m + 1) / 2)] : 0
			for (i = 1; i <= n; i++) if (u[i] > 0) {
				units += u[i]; extra += (v[i] - steady) * pages; backend += b[i]
			}
			if (!units) { printf "| %s | 0 | - | - | (nothing was accepted during the rounds) |\n", k; exit }
			printf "| %s | %d | %.0f | %.0f | %.0f |\n", k, units, extra / units,
				backend / units, (extra - backend) / units
		}'
done
printf '\n(1 vCPU, 2 GiB, -icount shift=0,sleep=off; lazy: efi_fake_unaccepted=512M, 1 GiB rounds; command: bench/icount.sh %d)\n' "$boots"
