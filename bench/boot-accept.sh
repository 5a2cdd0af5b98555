#!/bin/bash
# Boot time against guest size, lazy against eager acceptance, with the
# emulation (efi_fake_unaccepted=) at the TDX-like cost of 1300 us per 2 MiB.
#
#   bench/boot-accept.sh [sizes] [repeats]      default: "2G 8G 16G" 1
#
# For each guest size, boots the series kernel (build/bzImage; run "make
# kernel initramfs" first) in turn: without unaccepted memory; with all free
# memory above 512 MiB unaccepted and accept_memory=lazy (the default); and
# the same with accept_memory=eager.  Prints the guest's time to /init (from
# the kernel log), how much memory was still unaccepted at /init, and the
# host's wall time per boot.  Variants alternate within each repeat, so that
# drift on the host hits them alike.  Under TCG absolute times are slow (a
# guest clears memory at a fraction of native speed); compare the rows.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

sizes=${1:-2G 8G 16G}
repeats=${2:-1}
tdx="efi_fake_unaccepted=512M efi_fake_unaccepted_cost=1300"
variants=("none|" "lazy|$tdx" "eager|$tdx accept_memory=eager")
out=$BUILD/bench/boot-accept
mkdir -p "$out"
printf '| guest | acceptance | time to /init (s) | unaccepted at /init (MiB) | wall (s) |\n'
printf '| --- | --- | --- | --- | --- |\n'
for size in $sizes; do
	for r in $(seq "$repeats"); do
		for v in "${variants[@]}"; do
			label=${v%%|*} args=${v#*|}
			dir=$out/$size-$label-$r
			start=$(date +%s.%N)
			"$TOP/scripts/boot.sh" -m "$size" -c "$args cocotest.noworkload" -t show_memory -o "$dir" -T 900 \
				>/dev/null 2>&1 || die "boot $size $label failed: see $dir/console.log"
			wall=$(echo "$(date +%s.%N) - $start" | bc)
			init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' \
				"$dir/console.log" | tr -d '\r')
			left=$(sed -n 's/^ *#  *Unaccepted: *\([0-9]*\) kB.*/\1/p' "$dir/guest.ktap" |
				head -n1 | tr -d '\r')
			printf '| %s | %s | %s | %s | %.1f |\n' "$size" "$label" "${init:-?}" \
				"$(( ${left:-0} / 1024 ))" "$wall"
		done
	done
done
echo
echo "command: bench/boot-accept.sh \"$sizes\" $repeats"
