#!/bin/bash
# accel.sh KERNEL INITRD: print "kvm" if KVM really boots a guest here, else
# "tcg".  /dev/kvm existing proves nothing (on some machines it is a nested
# software hypervisor that cannot run OVMF), so the answer comes from booting
# the kernel once with KVM; it is cached per host boot.  ACCEL=kvm|tcg skips
# the probe.
set -eu
. "$(dirname "$0")/lib.sh"

if [ -n "${ACCEL:-}" ]; then echo "$ACCEL"; exit 0; fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then echo tcg; exit 0; fi

cache=$BUILD/accel.$(cat /proc/sys/kernel/random/boot_id)
if [ ! -f "$cache" ]; then
	dir=$(mktemp -d)
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$dir/vars.fd"
	timeout -k 5 60 qemu-system-x86_64 -machine q35,accel=kvm -cpu host -m 512M \
		-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive "if=pflash,format=raw,file=$dir/vars.fd" \
		-kernel "$1" -initrd "$2" -append "console=ttyS0 panic=-1 cocotest.probe" \
		-display none -monitor none -no-reboot -serial "file:$dir/console.log" \
		< /dev/null > "$dir/qemu.out" 2>&1 || true
	if grep -q "cocotest: probe ok" "$dir/console.log" 2>/dev/null; then
		echo kvm > "$cache"
	else
		echo tcg > "$cache"
		log "KVM cannot boot a guest on this machine ($(head -c 200 "$dir/qemu.out" | tr '\n' ' ')); using TCG"
	fi
	rm -rf "$dir"
fi
cat "$cache"
