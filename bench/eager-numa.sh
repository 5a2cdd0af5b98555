#!/bin/bash
# Eager acceptance on one NUMA node and on two, side by side: the same
# guest memory and vCPUs, with the emulation (efi_fake_unaccepted=512M) at
# the TDX-like cost of 1300 us per 2 MiB, on the series kernel
# (build/bzImage; "make kernel initramfs" first).
#
#   bench/eager-numa.sh [size] [repeats]   default: 8G 1
#
# Variants, alternating within each repeat: "1 node" (2 vCPUs, all memory
# on node 0) and "2 nodes" (a vCPU and half the memory each).  For each
# node the kernel's own line: MiB accepted, ms, threads, when (ms after
# boot) and on which CPUs; then the accept phase (the first node's start
# to the last node's end), the sum of the nodes' times, their ratio (2.0:
# two nodes wholly at once, 1.0: one after the other), and time to /init.
# Under TCG each vCPU is a host thread: the host needs two free cores.
set -eu
. "$(dirname "$0")/../scripts/lib.sh"

size=${1:-8G}
repeats=${2:-1}
half=$(( $(numfmt --from=iec "$size") / 2 / 1024 / 1024 ))M
tdx="efi_fake_unaccepted=512M efi_fake_unaccepted_cost=1300 accept_memory=eager"
out=$BUILD/bench/eager-numa
mkdir -p "$out"
[ -e "$BUILD/bzImage" ] || die "no build/bzImage: run 'make kernel initramfs' first"

numa="-object memory-backend-ram,id=m0,size=$half,prealloc=on"
numa="$numa -object memory-backend-ram,id=m1,size=$half,prealloc=on"
numa="$numa -numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1"

echo "### Eager acceptance of a $size guest, 2 vCPUs, on one NUMA node and on two"
echo "(\`bench/eager-numa.sh $size $repeats\`; cost 1300 us per 2 MiB, emulation, QEMU TCG)"
echo
printf '| variant | node | accepted (MiB) | ms | threads | from-to (ms after boot) | CPUs |\n'
printf '| --- | --- | --- | --- | --- | --- | --- |\n'
summary=""
for r in $(seq "$repeats"); do
	for v in one two; do
		dir=$out/$v-$r
		case $v in
		one) label="1 node"; cpus=2; qargs="-mem-prealloc" ;;
		two) label="2 nodes"; cpus="2,sockets=2"; qargs=$numa ;;
		esac
		"$TOP/scripts/boot.sh" -m "$size" -s "$cpus" -q "$qargs" -c "$tdx" -t unaccepted \
			-o "$dir" -T 1800 >/dev/null 2>&1 || die "boot failed: see $dir/console.log"
		lines=$(grep -a -o 'unaccepted memory: node [0-9]*: accepted .*' "$dir/console.log" | tr -d '\r')
		first=999999999 last=0 sum=0
		while read -r l; do
			[ -n "$l" ] || continue
			n=$(sed -n 's/^unaccepted memory: node \([0-9]*\):.*/\1/p' <<<"$l")
			mib=$(sed -n 's/.* accepted \([0-9]*\) MiB.*/\1/p' <<<"$l")
			ms=$(sed -n 's/.* MiB in \([0-9]*\) ms.*/\1/p' <<<"$l")
			th=$(sed -n 's/.* ms, \([0-9]*\) threads.*/\1/p' <<<"$l")
			from=$(sed -n 's/.*(\([0-9]*\)-\([0-9]*\) ms after boot.*/\1/p' <<<"$l")
			to=$(sed -n 's/.*(\([0-9]*\)-\([0-9]*\) ms after boot.*/\2/p' <<<"$l")
			on=$(sed -n 's/.*on CPUs \([0-9,-]*\)).*/\1/p' <<<"$l")
			printf '| %s | %s | %s | %s | %s | %s-%s | %s |\n' "$label" "$n" "$mib" "$ms" "$th" "$from" "$to" "$on"
			[ "$from" -lt "$first" ] && first=$from
			[ "$to" -gt "$last" ] && last=$to
			sum=$((sum + ms))
		done <<<"$lines"
		init=$(grep -a -m1 -F "Run /init as init process" "$dir/console.log" | tr -d '\r' |
			sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
		phase=$((last - first))
		summary="$summary$(printf '| %s | %s | %s | %s | %s |' "$label" "$phase" "$sum" \
			"$(awk -v s="$sum" -v p="$phase" 'BEGIN { printf "%.2f", p ? s / p : 0 }')" "${init:-?}")"$'\n'
	done
done
echo
printf '| variant | accept phase (ms) | sum of nodes (ms) | ratio | time to /init (s) |\n'
printf '| --- | --- | --- | --- | --- |\n'
printf '%s' "$summary"
