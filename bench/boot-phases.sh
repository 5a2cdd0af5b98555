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
#   bench/boot-phases.sh [mem] [boots] [kernel]   default 64G, 1, build/bzImage
#
# Alternates, boot by boot, a guest with nothing unaccepted and one with
# everything above 512 MiB unaccepted (efi_fake_unaccepted=512M, no cost, no
# poison), on 2 vCPUs.  Guest RAM is memory-backend-ram with reserve=off, so
# a 64 GiB guest fits a smaller host as long as the guest does not touch it
# all.  KUnit suites built in are filtered out (kunit.filter_glob=none).
# BOOT_PHASES_CMDLINE="..." adds kernel arguments to both.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

mem=${1:-64G} boots=${2:-1} kernel=${3:-$BUILD/bzImage}
out=$BUILD/bench/boot-phases
mkdir -p "$out"
[ -e "$kernel" ] || die "no kernel at $kernel: run 'make kernel initramfs' first"
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
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$mode" "$stub" "$kern" "${clock:--}" "$init" \
		"$probe" "$end" "${ktime:--}"
}

printf '| guest | EFI stub starts | kernel starts | kernel clock starts | /init (host) | probe done | QEMU exit | /init (guest uptime) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for b in $(seq "$boots"); do
	for mode in none lazy; do
		args="console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 cocotest.probe kunit.filter_glob=none ${BOOT_PHASES_CMDLINE:-}"
		[ $mode = none ] || args="$args efi_fake_unaccepted=512M"
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$out/vars.fd"
		log "boot $b, $mode, $mem"
		{
			timeout -k 10 900 qemu-system-x86_64 -machine q35,accel=tcg,memory-backend=ram \
				-object "memory-backend-ram,id=ram,size=$mem,reserve=off" \
				-cpu max -smp 2 -m "$mem" \
				-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
				-drive "if=pflash,format=raw,file=$out/vars.fd" \
				-kernel "$kernel" -initrd "$BUILD/initramfs.cpio.gz" -append "$args" \
				-display none -monitor none -no-reboot -serial stdio < /dev/null 2>&1
			echo "(QEMU exit $?)"
		} | stamp > "$out/$mode-$b.log"
		phase_row "$out/$mode-$b.log" "$mode ($mem, boot $b)"
	done
done
printf '\n(seconds of host time since QEMU started; command: bench/boot-phases.sh %s %s)\n' "$mem" "$boots"
