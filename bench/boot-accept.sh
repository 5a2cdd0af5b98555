#!/bin/bash
# What accepting memory costs at boot, with the emulation (efi_fake_unaccepted=).
#
#   bench/boot-accept.sh [sizes] [repeats]      e.g. bench/boot-accept.sh "4G 16G" 1
#
# For each guest size, boots the series kernel (build/bzImage; run "make
# kernel initramfs" first) in turn: without unaccepted memory, with all free
# memory above 512 MiB unaccepted at no accept cost, and with the TDX-like
# cost of 1300 us per 2 MiB.  Prints the guest's time to /init (from the
# kernel log) and the host's wall time per boot.  Variants alternate within
# each repeat, so that drift on the host hits them alike.  Under TCG the
# absolute times are slow; compare the rows.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

sizes=${1:-4G 16G}
repeats=${2:-1}
variants=("none|" "cost 0|efi_fake_unaccepted=512M"
	  "cost 1300us|efi_fake_unaccepted=512M efi_fake_unaccepted_cost=1300")
out=$BUILD/bench/boot-accept
mkdir -p "$out"
printf '| guest | unaccepted | units | time to /init (s) | wall (s) |\n'
printf '| --- | --- | --- | --- | --- |\n'
for size in $sizes; do
	for r in $(seq "$repeats"); do
		for v in "${variants[@]}"; do
			label=${v%%|*} args=${v#*|}
			dir=$out/$size-${label// /_}-$r
			start=$(date +%s.%N)
			"$TOP/scripts/boot.sh" -m "$size" -c "$args" -o "$dir" -T 900 \
				>/dev/null 2>&1 || die "boot $size $label failed: see $dir/console.log"
			wall=$(echo "$(date +%s.%N) - $start" | bc)
			init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' \
				"$dir/console.log" | tr -d '\r')
			units=$(sed -n 's/.*efi: unaccepted: table at [^:]*: \([0-9]*\) units.*/\1/p' \
				"$dir/console.log" | tr -d '\r')
			printf '| %s | %s | %s | %s | %.1f |\n' "$size" "$label" "${units:-0}" \
				"${init:-?}" "$wall"
		done
	done
done
