#!/bin/bash
# Where the wall-clock time of a boot goes, phase by phase, timed on the host:
# every console line gets the host's time since QEMU started, and the first
# line of each phase is kept.  Phases: OVMF (QEMU start to the first line of
# the EFI stub), the EFI stub and the decompressor (to the kernel's first
# line: earlyprintk shows it as soon as the kernel runs), the kernel before
# its clock starts (printk time stamps still 0: the guest's uptime does not
# count this part), the kernel to /init, /init to power-off (the
# initramfs's probe: it powers off at once).
#
#   bench/boot-phases.sh [mem] [boots] [kernels]  default 64G, 1, build/bzImage
#
# Alternates, boot by boot, a guest with nothing unaccepted and one with
# everything above 512 MiB unaccepted (efi_fake_unaccepted=512M, no cost, no
# poison), on 2 vCPUs; with several kernels (a list in one argument, e.g.
# "build/bzImage build/bench/bzImage-mainline-6.12"), each boot of each.
# BOOT_PHASES_MODES="none lazy eager" picks the modes (eager:
# efi_fake_unaccepted=512M accept_memory=eager), BOOT_PHASES_CPUS the vCPUs.
# Two more columns follow the kernel's memory set-up: the end of deferred
# struct-page init (both kernels print it; mainline accepts eager memory
# inside it) and, for this series, the end of acceptance ("all accepted").
# Guest RAM is memory-backend-ram with reserve=off, so a 64 GiB guest fits
# a smaller host as long as the guest does not touch it all.  KUnit suites
# built in are filtered out (kunit.filter_glob=none).
# BOOT_PHASES_CMDLINE="..." adds kernel arguments to every boot.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

mem=${1:-64G} boots=${2:-1} kernels=${3:-$BUILD/bzImage}
modes=${BOOT_PHASES_MODES:-none lazy} cpus=${BOOT_PHASES_CPUS:-2}
out=$BUILD/bench/boot-phases
mkdir -p "$out"
for kernel in $kernels; do
	[ -e "$kernel" ] || die "no kernel at $kernel: run 'make kernel initramfs' first"
done
[ -e "$BUILD/initramfs.cpio.gz" ] || die "no initramfs: run 'make initramfs' first"

# stamp: prefix each line of stdin with the seconds since this started.
stamp() {
	python3 -u -c '
import sys, time
t0 = time.monotonic()
for line in sys.stdin.buffer:
    sys.stdout.write("%8.3f %s\n" % (time.monotonic() - t0,
                     line.decode("utf-8", "replace").rstrip("\r\n")))
'
}

# first SECONDS_FILE REGEX: the time of the first line matching REGEX, or -.
first() { awk -v re="$2" '$0 ~ re {print $1; exit}' "$1" | grep . || echo -; }

phase_row() {
	local f=$1 mode=$2 stub clock kern init probe end ktime
	stub=$(first "$f" 'EFI stub: ')
	clock=$(awk '/\[ *[0-9]+\.[0-9]+\]/ && !/\[ *0\.000000\]/ {print $1; exit}' "$f")
	kern=$(first "$f" 'Linux version')
	init=$(first "$f" 'Run /init as init process')
	probe=$(first "$f" 'cocotest: probe ok')
	end=$(tail -n1 "$f" | awk '{print $1}')
	ktime=$(sed -n 's/.*\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' "$f" | head -n1)
	deferred=$(first "$f" 'deferred pages initialised')
	accepted=$(first "$f" 'unaccepted memory: all accepted')
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$mode" "$stub" "$kern" "${clock:--}" \
		"$deferred" "$accepted" "$init" "$probe" "$end" "${ktime:--}"
}

declare -A exits
printf '| guest | EFI stub starts | kernel starts | kernel clock starts | deferred init done | all accepted | /init (host) | probe done | QEMU exit | /init (guest uptime) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
for b in $(seq "$boots"); do
	for mode in $modes; do
	for kernel in $kernels; do
		args="console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 cocotest.probe kunit.filter_glob=none ${BOOT_PHASES_CMDLINE:-}"
		case $mode in
		none) ;;
		lazy) args="$args efi_fake_unaccepted=512M" ;;
		eager) args="$args efi_fake_unaccepted=512M accept_memory=eager" ;;
		*) die "unknown mode $mode (none, lazy or eager)" ;;
		esac
		k=$(basename "$kernel")
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/vars.fd"
		log "boot $b, $mode, $mem, $k"
		{
			timeout -k 10 900 qemu-system-x86_64 -machine q35,accel=tcg,memory-backend=ram \
				-object "memory-backend-ram,id=ram,size=$mem,reserve=off" \
				-cpu max -smp "$cpus" -m "$mem" \
				-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
				-drive "if=pflash,format=raw,file=$out/vars.fd" \
				-kernel "$kernel" -initrd "$BUILD/initramfs.cpio.gz" -append "$args" \
				-display none -monitor none -no-reboot -serial stdio < /dev/null 2>&1
			echo "(QEMU exit $?)"
		} | stamp > "$out/$k-$mode-$b.log"
		phase_row "$out/$k-$mode-$b.log" "$mode, $k ($mem, $cpus vCPUs, boot $b)"
		exits[$mode $k]="${exits[$mode $k]:-} $(tail -n1 "$out/$k-$mode-$b.log" | awk '{print $1}')"
	done
	done
done
# Boot-to-boot noise under TCG is large (tens of per cent for eager
# boots): with several boots, each kernel's mean QEMU exit time, and for two
# kernels the mean of their boot-by-boot differences (the boots of a pair
# ran one after the other) with its standard error.
set -- $kernels
if [ "$boots" -gt 1 ]; then
	printf '\n| guest | kernel | QEMU exit, each boot (s) | mean (s) |\n| --- | --- | --- | --- |\n'
	for mode in $modes; do
		for kernel in $kernels; do
			k=$(basename "$kernel")
			printf '| %s | %s | %s | %s |\n' "$mode" "$k" "$(echo ${exits[$mode $k]} | sed 's/ /, /g')" \
				"$(echo ${exits[$mode $k]} | tr ' ' '\n' | awk '{s += $1} END {printf "%.1f", s / NR}')"
		done
	done
	if [ $# -eq 2 ]; then
		a=$(basename "$1") z=$(basename "$2")
		printf '\n| guest | %s minus %s, pair by pair (s) | mean difference (s) | standard error (s) |\n| --- | --- | --- | --- |\n' "$a" "$z"
		for mode in $modes; do
			paste <(echo ${exits[$mode $a]} | tr ' ' '\n') <(echo ${exits[$mode $z]} | tr ' ' '\n') |
			awk -v m="$mode" '{d[NR] = $1 - $2; s += d[NR]; l = l (NR > 1 ? ", " : "") sprintf("%+.1f", d[NR])}
				END {mean = s / NR; for (i = 1; i <= NR; i++) v += (d[i] - mean) ^ 2
				     printf "| %s | %s | %+.1f | %.1f |\n", m, l, mean, sqrt(v / (NR - 1) / NR)}'
		done
	fi
fi
printf '\n(seconds of host time since QEMU started; command: BOOT_PHASES_MODES="%s" BOOT_PHASES_CPUS=%s BOOT_PHASES_CMDLINE="%s" bench/boot-phases.sh %s %s "%s")\n' \
	"$modes" "$cpus" "${BOOT_PHASES_CMDLINE:-}" "$mem" "$boots" "$kernels"
