#!/bin/bash
# make run: boot the series kernel through OVMF and show what the series does:
# the boot path and the guest's memory picture.  MEM=4G CPUS=2 CMDLINE="..."
# QEMU_ARGS="..." change the guest.
set -eu
. "$(dirname "$0")/lib.sh"

out=$BUILD/run
rc=0
BOOT_VERBOSE=1 "$TOP/scripts/boot.sh" -m "${MEM:-4G}" -s "${CPUS:-2}" -q "${QEMU_ARGS:-}" \
	-c "${CMDLINE:-}" -t efi_boot,show_memory -o "$out" || rc=$?
flags=()
[ "$rc" != 124 ] || flags+=(--timed-out)
python3 "$TOP/scripts/ktap.py" check run "$out" "${flags[@]}"
echo
grep -E 'efi: EFI v' "$out/console.log" | head -n1 | sed 's/^/boot path: /' || echo "boot path: NOT EFI"
python3 "$TOP/scripts/ktap.py" summary "$out/results"
