#!/bin/bash
# This series against mainline's implementation (Debian's 6.12, built with
# the same emulation by bench/mainline-6.12/build.sh), on the same guests:
# the same OVMF, initramfs, command lines and emulated unaccepted memory
# (everything above 512 MiB, at the TDX-like cost of 1300 us per 2 MiB).
#
#   bench/mainline.sh [sizes] [repeats]       default: "2G 16G 64G" 1
#
# Kernels alternate boot by boot.  Prints:
# 1. Boot, per size and mode (none, lazy, eager; and this series' background):
#    time to /init (guest uptime), wall-clock time from QEMU's start to its
#    exit, Unaccepted, MemAvailable and the dirty thresholds as /init starts
#    (bench/guest/boot_state.c).  Eager at 64 GiB is left out: it would
#    make the host back all 64 GiB, more than this 24 GiB host has.
# 2. Memory accepted by /init against the vCPU count (2 GiB, lazy, 1, 2 and
#    16 vCPUs): Unaccepted at /init, and how much more was accepted than
#    with 1 vCPU.
# 3. First-touch faults right after boot (2 GiB, lazy, 2 vCPUs): 1 GiB
#    touched page by page (bench/guest/fault_latency.c), p50 to max, and the
#    faults that took longer than 1 ms (about one block's accept here).
# 4. Draining under a full-memory workload (2 GiB, lazy): 1400 MiB touched
#    page by page from /init, how long it took and what was left unaccepted.
#
# Guest RAM is memory-backend-ram with reserve=off: only what a guest
# touches takes host memory.  KUnit suites are filtered out of the boots
# (kunit.filter_glob=none): this series' kernel runs its own at boot and
# mainline's config has none.  Times are TCG times: compare rows, not
# absolutes (see bench/README.md).
set -eu
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/lib.sh"

sizes=${1:-2G 16G 64G}
repeats=${2:-1}
out=$BUILD/bench/mainline
ml=$BUILD/bench/bzImage-mainline-6.12
tdx="efi_fake_unaccepted=512M efi_fake_unaccepted_cost=1300"
common="kunit.filter_glob=none cocotest.noworkload"
mkdir -p "$out"
[ -e "$BUILD/bzImage" ] || die "no build/bzImage: run 'make kernel initramfs' first"
[ -e "$ml" ] || die "no $ml: run bench/mainline-6.12/build.sh first"
kernels="series mainline"
image() { if [ "$1" = series ]; then echo "$BUILD/bzImage"; else echo "$ml"; fi; }

# boot DIR KERNEL SIZE CPUS TESTS CMDLINE: one guest; dies if it fails.
# Leaves the wall-clock seconds in DIR/wall.
boot() {
	local t0 rc=0
	t0=$(date +%s.%N)
	"$TOP/scripts/boot.sh" -k "$(image "$2")" -m "$3" -s "$4" -t "$5" -c "$common $6" -o "$1" \
		-T 1800 -q "-machine memory-backend=ram -object memory-backend-ram,id=ram,size=$3,reserve=off" \
		>/dev/null 2>&1 || rc=$?
	echo "$(date +%s.%N) - $t0" | bc > "$1/wall"
	[ "$rc" = 0 ] || die "boot failed (exit $rc): see $1/console.log"
}
stamp() {
	grep -a -m1 -F "$2" "$1/console.log" | tr -d '\r' |
		sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'
}
state() { sed -n "s/^ *# boot_state: $2 \\(-*[0-9]*\\).*/\\1/p" "$1/guest.ktap" | head -n1 | tr -d '\r'; }
mib() { [ -n "$1" ] && [ "$1" -ge 0 ] && echo $(( $1 / 1024 )) || echo "-"; }

echo "### 1. Boot (2 vCPUs; cost 1300 us per 2 MiB)"
echo
printf '| guest | mode | kernel | /init (guest s) | QEMU start to exit (s) | Unaccepted at /init (MiB) | MemAvailable (MiB) | dirty threshold / background (pages) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for size in $sizes; do
	for r in $(seq "$repeats"); do
		for mode in none lazy eager background; do
			[ "$size" != 64G ] || [ "$mode" != eager ] || continue
			for k in $kernels; do
				[ "$k" = series ] || [ "$mode" != background ] || continue
				args=$tdx
				case $mode in
				none) args= ;;
				eager|background) args="$args accept_memory=$mode" ;;
				esac
				dir=$out/boot-$size-$mode-$k-$r
				boot "$dir" "$k" "$size" 2 boot_state "$args"
				printf '| %s | %s | %s | %s | %.1f | %s | %s | %s / %s |\n' "$size" "$mode" "$k" \
					"$(stamp "$dir" "Run /init as init process")" "$(cat "$dir/wall")" \
					"$(mib "$(state "$dir" Unaccepted)")" "$(mib "$(state "$dir" MemAvailable)")" \
					"$(state "$dir" nr_dirty_threshold)" "$(state "$dir" nr_dirty_background_threshold)"
			done
		done
	done
done

echo
echo "### 2. Accepted by /init against vCPUs (2 GiB, lazy)"
echo
printf '| vCPUs | kernel | Unaccepted at /init (MiB) | accepted beyond 1 vCPU (MiB) |\n| --- | --- | --- | --- |\n'
declare -A one
for n in 1 2 16; do
	for k in $kernels; do
		dir=$out/cpus-$n-$k
		boot "$dir" "$k" 2G "$n" boot_state "$tdx"
		u=$(state "$dir" Unaccepted)
		[ "$n" != 1 ] || one[$k]=$u
		printf '| %s | %s | %s | %s |\n' "$n" "$k" "$(mib "$u")" "$(mib $(( ${one[$k]} - u )))"
	done
done

echo
echo "### 3. First-touch faults, 1 GiB right after boot (2 GiB, lazy, 2 vCPUs)"
echo
printf '| kernel | p50 (us) | p99 (us) | p99.9 (us) | max (us) | faults > 1 ms | unaccepted before -> after (kB) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
for r in $(seq "$repeats"); do
	for k in $kernels; do
		dir=$out/fault-$k-$r
		boot "$dir" "$k" 2G 2 fault_latency "$tdx cocotest.fault_mib=1024"
		figs=$(fault_figures "$dir")
		# shellcheck disable=SC2086  # figures, split on purpose
		set -- $figs
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$k" "$1" "$2" "$3" "$4" "$5" "${*:6}"
	done
done

echo
echo "### 4. Draining under a full-memory workload (2 GiB, lazy, 2 vCPUs: 1400 MiB touched from /init)"
echo
printf '| kernel | faults | time (s) | unaccepted before -> after (kB) |\n| --- | --- | --- | --- |\n'
for r in $(seq "$repeats"); do
	for k in $kernels; do
		dir=$out/drain-$k-$r
		boot "$dir" "$k" 2G 2 fault_latency "$tdx cocotest.fault_mib=1400"
		line=$(grep -a -m1 "fault_latency: .* faults from" "$dir/guest.ktap" | tr -d '\r')
		n=$(echo "$line" | sed -n 's/.*fault_latency: \([0-9]*\) faults.*/\1/p')
		un=$(echo "$line" | sed -n 's/.*unaccepted \(.*\) kB/\1/p')
		t=$(grep -a -m1 "fault_latency: .* s of faults" "$dir/guest.ktap" | tr -d '\r' |
			sed -n 's/.*fault_latency: \([0-9.]*\) s of faults.*/\1/p')
		printf '| %s | %s | %s | %s |\n' "$k" "${n:-?}" "${t:-?}" "$un"
	done
done
echo
echo "command: bench/mainline.sh \"$sizes\" $repeats"
