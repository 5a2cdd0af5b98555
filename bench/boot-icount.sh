#!/bin/bash
# Boot to /init under QEMU's instruction clock (-icount shift=0,sleep=off),
# this series against mainline 6.12 with the same emulation.  Two clocks:
# - the guest's TSC as /init's tests start: virtual nanoseconds since the
#   machine started -- OVMF, the EFI stub and the decompressor included;
#   one per instruction executed, idle time jumping to the next timer;
# - the kernel's uptime as it runs /init: the kernel alone, from the point
#   its clock starts.
# Both repeat from boot to boot and do not depend on the host's load.
# KASLR is off (nokaslr): with it, RDRAND moves the kernel and its memory
# from boot to boot and the counts vary a little.
#
#   bench/boot-icount.sh [sizes] [cost_us]      default: "4G 16G" 0
#
# One vCPU; modes none, lazy and eager (eager up to 16G: it makes the host
# back all of the guest's memory); everything above 512 MiB unaccepted, the
# emulated cost per 2 MiB unit as given (0 leaves only what the kernels
# execute, clearing included); kernels alternated boot by boot.  It does
# not see parallelism (one vCPU; this QEMU does not bring up a second one
# under -icount), waits on another CPU's accept, cache misses or memory
# bandwidth: wall-clock tables stay in bench/mainline.sh.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/lib.sh"

sizes=${1:-4G 16G}
cost=${2:-0}
out=$BUILD/bench/boot-icount
ml=$BUILD/bench/bzImage-mainline-6.12
common="kunit.filter_glob=none cocotest.noworkload nokaslr"
# -icount needs TCG: never let boot.sh pick KVM.
export ACCEL=tcg
mkdir -p "$out"
[ -e "$BUILD/bzImage" ] || die "no build/bzImage: run 'make kernel initramfs' first"
[ -e "$ml" ] || die "no $ml: run bench/mainline-6.12/build.sh first"
image() { if [ "$1" = series ]; then echo "$BUILD/bzImage"; else echo "$ml"; fi; }

# tsc DIR: the guest's TSC as /init started, from boot_state.
tsc() { sed -n 's/^ *# boot_state: tsc \([0-9]*\).*/\1/p' "$1/guest.ktap" | head -n1 | tr -d '\r'; }

printf '| guest | mode | kernel | machine: virtual s to /init | vs none | kernel: uptime at /init (s) | vs none | Unaccepted at /init (MiB) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
declare -A none up
for size in $sizes; do
	for mode in none lazy eager; do
		# Eager makes the host back all of the guest's memory: up to 16G.
		[ "$mode" != eager ] || [ "$(numfmt --from=iec "$size")" -le $((16 << 30)) ] || continue
		for k in series mainline; do
			args="efi_fake_unaccepted=512M efi_fake_unaccepted_cost=$cost"
			case $mode in
			none) args= ;;
			eager) args="$args accept_memory=eager" ;;
			esac
			dir=$out/$size-$mode-$k
			"$TOP/scripts/boot.sh" -k "$(image $k)" -m "$size" -s 1 -t boot_state \
				-c "$common $args" -o "$dir" -T 3600 \
				-q "-icount shift=0,sleep=off -machine memory-backend=ram -object memory-backend-ram,id=ram,size=$size,reserve=off" \
				>/dev/null 2>&1 || die "boot failed: see $dir/console.log"
			t=$(tsc "$dir")
			i=$(grep -a -m1 "Run /init as init process" "$dir/console.log" | tr -d '\r' |
				sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
			[ -n "$t" ] && [ -n "$i" ] || die "no TSC or no /init line: see $dir"
			u=$(sed -n 's/^ *# boot_state: Unaccepted \(-*[0-9]*\).*/\1/p' "$dir/guest.ktap" | head -n1 | tr -d '\r')
			if [ "$mode" = none ]; then
				none[$size-$k]=$t
				up[$size-$k]=$i
			fi
			printf '| %s | %s | %s | %.3f | %.4f | %.3f | %.3f | %s |\n' "$size" "$mode" "$k" \
				"$(echo "$t / 1000000000" | bc -l)" "$(echo "$t / ${none[$size-$k]}" | bc -l)" \
				"$i" "$(echo "$i / ${up[$size-$k]}" | bc -l)" "$(( ${u:-0} / 1024 ))"
		done
	done
done

# First-touch faults right after boot (2 GiB, lazy): bench/guest/fault_latency.c
# touches 1 GiB page by page; under the instruction clock its microseconds
# are thousands of instructions, the accepts included.
echo
printf '| kernel | p50 (k instr.) | p99 | p99.9 | max | faults over 1 M instructions | unaccepted before -> after (kB) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
for k in series mainline; do
	dir=$out/fault-$k
	"$TOP/scripts/boot.sh" -k "$(image $k)" -m 2G -s 1 -t fault_latency \
		-c "$common efi_fake_unaccepted=512M efi_fake_unaccepted_cost=$cost cocotest.fault_mib=1024" \
		-o "$dir" -T 3600 -q "-icount shift=0,sleep=off" >/dev/null 2>&1 ||
		die "boot failed: see $dir/console.log"
	figs=$(fault_figures "$dir")
	# shellcheck disable=SC2086  # figures, split on purpose
	set -- $figs
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$k" "$1" "$2" "$3" "$4" "$5" "${*:6}"
done
printf '\n(1 vCPU, -icount shift=0,sleep=off, efi_fake_unaccepted=512M, cost %s us per 2 MiB; command: bench/boot-icount.sh "%s" %s)\n' \
	"$cost" "$sizes" "$cost"
