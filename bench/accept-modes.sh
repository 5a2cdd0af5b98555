#!/bin/bash
# The four ways of accepting memory side by side: lazy, eager on one vCPU
# (serial), eager on all vCPUs (parallel), and background -- with the
# emulation (efi_fake_unaccepted=512M) at the TDX-like cost of 1300 us per
# 2 MiB, on the series kernel (build/bzImage; "make kernel initramfs" first).
#
#   bench/accept-modes.sh [sizes] [repeats] [cpus]   default: "2G 8G 16G" 1 2
#
# Prints three tables; within each repeat the variants alternate, so that
# drift on the host hits them alike.
#
# 1. Boot, per guest size: time to /init, memory still unaccepted at /init,
#    and the time since boot at which nothing was unaccepted any more (the
#    kernel's "all accepted" line; lazy never gets there without demand).
#    The kernel's own figure for the accept phase: eager's, with its threads
#    (serial = the same kernel on a one-vCPU guest), and the background
#    worker's, from its start (just before /init) to its end.  "none" is the guest
#    without unaccepted memory.
# 2. First-touch page-fault latency on the largest size: a process maps
#    1 GiB right after boot and times every page fault
#    (bench/guest/fault_latency.c): p50, p99, p99.9, max, and faults over 1 ms.
#    "background, done" waits until background acceptance has finished.
# 3. CPU-bound throughput on the largest size: one busy thread per vCPU for
#    10 s right after boot (bench/guest/cpu_work.c) while background
#    acceptance runs, against the same guest with nothing to accept.
#
# Every guest's RAM is preallocated on the host (-mem-prealloc): otherwise the
# host's own first-touch faults (a 2 MiB transparent huge page cleared at the
# first touch of each 2 MiB of guest RAM) land on whichever guest path
# touches the memory first, and the guest without unaccepted memory shows
# them as fault latency.  PARTS="boot fault cpu scale" (the default) picks
# tables; VARIANTS="lazy background" (say) limits the boot table's modes.
#
# 4. What parallel eager acceptance speeds up: the accept phase of a 2 GiB
#    guest on one vCPU and on all, with the emulated cost at 0 (clearing
#    memory only) and at 10 ms per 2 MiB (the busy-wait dominates); the
#    difference between the two is the CPU-bound cost alone.
#
# Under TCG absolute times are slow (the guest clears memory at a fraction of
# native speed, and the cost is a busy-wait on a vCPU that is a host thread):
# compare the rows.  The host needs as many free cores as the guest has vCPUs.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/lib.sh"

sizes=${1:-2G 8G 16G}
repeats=${2:-1}
cpus=${3:-2}
tdx="efi_fake_unaccepted=512M efi_fake_unaccepted_cost=1300 cocotest.noworkload"
out=$BUILD/bench/accept-modes
mkdir -p "$out"
[ -e "$BUILD/bzImage" ] || die "no build/bzImage: run 'make kernel initramfs' first"

# boot DIR SIZE CPUS TESTS CMDLINE: one guest; dies if it fails.
boot() {
	"$TOP/scripts/boot.sh" -m "$2" -s "$3" -t "$4" -c "$5" -o "$1" -T 1800 -q -mem-prealloc \
		>/dev/null 2>&1 || die "boot failed: see $1/console.log"
}
# stamp DIR TEXT: kernel time stamp (s) of the first console line with TEXT.
stamp() {
	grep -a -m1 -F "$2" "$1/console.log" | tr -d '\r' |
		sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'
}
ktap() { grep -a -m1 "$2" "$1/guest.ktap" | tr -d '\r'; }

largest=$(echo "$sizes" | tr ' ' '\n' | sort -h | tail -n1)

parts=${PARTS:-boot fault cpu scale}
part() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }

if part boot; then
echo "### Boot and time to fully accepted ($cpus vCPUs unless serial; cost 1300 us per 2 MiB)"
echo
printf '| guest | mode | time to /init (s) | unaccepted at /init (MiB) | nothing unaccepted at (s) | accept phase (kernel figure) |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for size in $sizes; do
	for r in $(seq "$repeats"); do
		for v in ${VARIANTS:-none lazy eager-serial eager background}; do
			dir=$out/boot-$size-$v-$r n=$cpus args="$tdx" tests=show_memory,wait_accepted
			case $v in
			none) args="cocotest.noworkload" tests=show_memory ;;
			lazy) tests=show_memory ;;
			eager-serial) args="$args accept_memory=eager" n=1 ;;
			eager) args="$args accept_memory=eager" ;;
			background) args="$args accept_memory=background" ;;
			esac
			boot "$dir" "$size" "$n" "$tests" "$args"
			init=$(stamp "$dir" "Run /init as init process")
			left=$(sed -n 's/^ *#  *Unaccepted: *\([0-9]*\) kB.*/\1/p' "$dir/guest.ktap" |
				head -n1 | tr -d '\r')
			done_at=$(stamp "$dir" "all accepted, allocator hooks disabled")
			phase=$(grep -a -o 'node 0: accepted [0-9]* MiB in [0-9]* ms, [0-9]* threads\?\|node 0: accepted [0-9]* MiB in the background in [0-9]* ms' \
				"$dir/console.log" | head -n1 | sed 's/node 0: accepted //')
			case $v in
			none) done_at="(nothing to accept)" ;;
			lazy) done_at="never (on demand)" ;;
			esac
			label=$v
			[ "$v" = eager-serial ] && label="eager, 1 vCPU"
			printf '| %s | %s | %s | %s | %s | %s |\n' "$size" "$label" "${init:-?}" \
				"$(( ${left:-0} / 1024 ))" "${done_at:-?}" "${phase:--}"
		done
	done
done

echo
fi

if part fault; then
echo "### First-touch page faults, 1 GiB right after boot ($largest, $cpus vCPUs)"
echo
printf '| mode | repeat | p50 (us) | p99 (us) | p99.9 (us) | max (us) | faults > 1 ms | unaccepted before -> after (kB) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for r in $(seq "$repeats"); do
	for v in none lazy eager background background-done; do
		dir=$out/fault-$v-$r args="$tdx"
		case $v in
		none) args="cocotest.noworkload" ;;
		eager) args="$args accept_memory=eager" ;;
		background) args="$args accept_memory=background" ;;
		background-done) args="$args accept_memory=background cocotest.fault_wait=1" ;;
		esac
		boot "$dir" "$largest" "$cpus" fault_latency "$args cocotest.fault_mib=1024"
		figs=$(fault_figures "$dir")
		# shellcheck disable=SC2086  # figures, split on purpose
		set -- $figs
		label=$v
		[ "$v" = background-done ] && label="background, after it finished"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$r" "$1" "$2" "$3" "$4" "$5" "${*:6}"
		# One block's accept on this guest, the yardstick for lazy's worst case.
		if [ "$v" = eager ]; then
			block=$(grep -a -o 'node 0: accepted [0-9]* MiB in [0-9]* ms, [0-9]* threads\?' \
				"$dir/console.log" | head -n1 |
				awk '{print $7 * $9 / ($4 / 2)}')
			blocks="${blocks:-} $block"
		fi
	done
done
echo
echo "one 2 MiB block's accept on this guest (eager's accept phase x threads / blocks): ${blocks:-?} ms"

echo
fi

if part cpu; then
echo "### CPU-bound throughput during background acceptance ($largest, $cpus vCPUs, 10 s from init)"
echo
printf '| guest | repeat | M iterations/s | unaccepted before -> after (kB) |\n'
printf '| --- | --- | --- | --- |\n'
declare -A tput
for r in $(seq "$repeats"); do
	for v in none background; do
		dir=$out/cpu-$v-$r args="cocotest.noworkload"
		[ "$v" = background ] && args="$tdx accept_memory=background"
		boot "$dir" "$largest" "$cpus" cpu_work "$args cocotest.work_s=10"
		line=$(ktap "$dir" "cpu_work:")
		it=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) M iterations.*/\1/p')
		un=$(echo "$line" | sed -n 's/.*unaccepted \(.*\) kB/\1/p')
		[ -n "$it" ] || die "no figure from $dir/guest.ktap"
		tput[$v]="${tput[$v]:-} $it"
		label="nothing to accept"
		[ "$v" = background ] && label="background acceptance running"
		printf '| %s | %s | %s | %s |\n' "$label" "$r" "$it" "$un"
	done
done
sum() { echo "$1" | tr ' ' '\n' | awk 'NF {s += $1} END {print s}'; }
printf '\nthroughput kept while accepting in the background: %.1f %%\n' \
	"$(echo "$(sum "${tput[background]}") * 100 / $(sum "${tput[none]}")" | bc -l)"
echo
fi

if part scale; then
echo "### Parallel eager: what scales ($cpus vCPUs against 1; 2 GiB, accept phase in ms)"
echo
printf '| cost per 2 MiB | 1 vCPU | %s vCPUs | speedup |\n| --- | --- | --- | --- |\n' "$cpus"
declare -A ph
for r in $(seq "$repeats"); do
	for cost in 0 10000; do
		for n in 1 "$cpus"; do
			dir=$out/scale-$cost-$n-$r
			boot "$dir" 2G "$n" show_memory \
				"efi_fake_unaccepted=512M efi_fake_unaccepted_cost=$cost accept_memory=eager cocotest.noworkload"
			ms=$(grep -a -o 'node 0: accepted [0-9]* MiB in [0-9]* ms' "$dir/console.log" |
				head -n1 | awk '{print $7}')
			[ -n "$ms" ] || die "no accept phase in $dir/console.log"
			ph[$cost-$n]=$(( ${ph[$cost-$n]:-0} + ms ))
		done
	done
done
for cost in 0 10000; do
	printf '| %s us | %s | %s | %.2fx |\n' "$cost" "$(( ${ph[$cost-1]} / repeats ))" \
		"$(( ${ph[$cost-$cpus]} / repeats ))" "$(echo "${ph[$cost-1]} / ${ph[$cost-$cpus]}" | bc -l)"
done
c1=$(( ${ph[10000-1]} - ${ph[0-1]} )) cn=$(( ${ph[10000-$cpus]} - ${ph[0-$cpus]} ))
printf '| the cost alone (difference) | %s | %s | %.2fx |\n' "$(( c1 / repeats ))" "$(( cn / repeats ))" \
	"$(echo "$c1 / $cn" | bc -l)"
echo
echo "(cost 0: clearing memory only; the emulated cost is a busy-wait, CPU-bound like TDX's accept.)"
echo
fi
echo "command: PARTS=\"$parts\" bench/accept-modes.sh \"$sizes\" $repeats $cpus"
