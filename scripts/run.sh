#!/bin/bash
# make run: boot the series kernel through OVMF and show what the series does:
# the boot path, the unaccepted memory the EFI stub recorded and the kernel
# accepted (emulated: efi_fake_unaccepted=1G by default), and the guest's
# memory picture.  MEM=4G CPUS=2 CMDLINE="..." QEMU_ARGS="..." change the
# guest (CMDLINE= boots without the emulation).  Log: build/run/console.log.
set -eu
. "$(dirname "$0")/lib.sh"

out=$BUILD/run
rc=0
"$TOP/scripts/boot.sh" -m "${MEM:-4G}" -s "${CPUS:-2}" -q "${QEMU_ARGS:-}" \
	-c "${CMDLINE-efi_fake_unaccepted=1G}" -t efi_boot,show_memory -o "$out" || rc=$?
flags=()
[ "$rc" != 124 ] || flags+=(--timed-out)
python3 "$TOP/scripts/ktap.py" check run "$out" "${flags[@]}"

echo
echo "boot path: $(grep -m1 -o 'efi: EFI v.*' "$out/console.log" || echo 'NOT through EFI')"
# What show_memory printed (its "# " lines), then the verdict.
sed -n '/# Subtest: show_memory/,/^ok\|^not ok/ { /Subtest/d; s/^    # //p; }' "$out/guest.ktap"
echo
rc=0
python3 "$TOP/scripts/ktap.py" summary "$out/results" > "$out/summary.ktap" || rc=$?
grep -A100 '^# FAILED' "$out/summary.ktap" || tail -n1 "$out/summary.ktap"
exit "$rc"
