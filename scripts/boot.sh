#!/bin/bash
# Boot a kernel under QEMU q35 + OVMF (through the kernel's EFI stub) and run
# guest tests in it.
#
#   scripts/boot.sh [-k bzImage] [-i initrd] [-m 2G] [-s cpus] [-x maxmem=8G,slots=4]
#                   [-q "extra QEMU args"] [-c "extra kernel args"] [-t test1,test2]
#                   [-o outdir] [-T timeout_s] [-Q]
#
# -Q gives the guest QEMU's monitor: QMP commands written as JSON lines to its
# third serial port (/dev/ttyS2) are answered there by scripts/qmp-bridge.py
# (hotplug tests; the exchanges are logged to outdir/qmp.log).
#
# outdir (default build/boot) receives console.log (the serial console) and
# guest.ktap (the guest tests' KTAP, from the second serial port).  Exit
# status: QEMU's, or 124 if the hard timeout hit.  The verdict is made by
# scripts/ktap.py from those two files.
set -eu
. "$(dirname "$0")/lib.sh"

kernel=$BUILD/bzImage initrd=$BUILD/initramfs.cpio.gz mem=2G cpus=2 memx= qargs= cargs=
tests= out=$BUILD/boot timeout=${BOOT_TIMEOUT:-300} qmp=0
while getopts k:i:m:s:x:q:c:t:o:T:Q opt; do
	case $opt in
	k) kernel=$OPTARG ;; i) initrd=$OPTARG ;; m) mem=$OPTARG ;; s) cpus=$OPTARG ;;
	x) memx=,$OPTARG ;; q) qargs=$OPTARG ;; c) cargs=$OPTARG ;; t) tests=$OPTARG ;;
	o) out=$OPTARG ;; T) timeout=$OPTARG ;; Q) qmp=1 ;;
	*) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make kernel'"
[ -f "$initrd" ] || die "no initramfs at $initrd: run 'make initramfs'"

case $mem in
*G) mib=$(( ${mem%G} * 1024 )) ;; *M) mib=${mem%M} ;; *) die "memory size '$mem': use NM or NG" ;;
esac
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
[ -f "$ovmf_code" ] || die "$ovmf_code is missing: install ovmf ('make deps')"

mkdir -p "$out"
rm -f "$out/console.log" "$out/guest.ktap" "$out/qmp.log"
cp "$ovmf_vars" "$out/OVMF_VARS.fd"	# fresh variables for every boot

accel=$("$TOP/scripts/accel.sh" "$kernel" "$initrd")
if [ "$accel" = kvm ]; then cpu=host; else cpu=max; fi

# Watch the console live when a person is looking, otherwise only log it.
if [ -t 1 ] || [ "${BOOT_VERBOSE:-0}" = 1 ]; then
	console="-chardev stdio,id=con,signal=off,logfile=$out/console.log"
else
	console="-chardev file,id=con,path=$out/console.log"
fi

cmdline="console=ttyS0 panic=-1 softlockup_panic=0 cocotest.mem_mib=$mib"
[ -z "$tests" ] || cmdline="$cmdline cocotest.tests=$tests"
cmdline="$cmdline $cargs"

# shellcheck disable=SC2206  # qargs is a list of words on purpose
cmd=(qemu-system-x86_64 -machine "q35,accel=$accel" -cpu "$cpu" -smp "$cpus"
	-m "$mem$memx"
	-drive "if=pflash,format=raw,readonly=on,file=$ovmf_code"
	-drive "if=pflash,format=raw,file=$out/OVMF_VARS.fd"
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
	-display none -monitor none -no-reboot
	$console -serial chardev:con -serial "file:$out/guest.ktap"
	$qargs)
bridge=
if [ "$qmp" = 1 ]; then
	# Unix socket paths are short (108 bytes): not under a deep checkout.
	qdir=$(mktemp -d /tmp/cocoqmp.XXXXXX)
	trap 'rm -rf "$qdir"' EXIT
	cmd+=(-qmp "unix:$qdir/qmp,server=on,wait=off"
		-chardev "socket,id=ctl,path=$qdir/ctl,server=on,wait=off" -serial chardev:ctl)
	python3 "$TOP/scripts/qmp-bridge.py" "$qdir/qmp" "$qdir/ctl" "$out/qmp.log" &
	bridge=$!
fi
printf '%q ' "${cmd[@]}" > "$out/qemu.cmd"; echo >> "$out/qemu.cmd"
log "booting $(basename "$kernel") ($accel, $mem, $cpus CPUs${tests:+, tests: $tests}); log: $out/console.log"
rc=0
start=$(date +%s)
timeout -k 10 "$timeout" "${cmd[@]}" < /dev/null || rc=$?
[ -z "$bridge" ] || { kill "$bridge" 2>/dev/null; wait "$bridge" 2>/dev/null || true; }
[ "$rc" != 124 ] || warn "the guest did not finish within $timeout s: killed"
log "guest finished in $(( $(date +%s) - start )) s (QEMU exit status $rc)"
exit "$rc"
