#!/bin/sh
# stress_ng: Debian's stress-ng, written by other people, on memory that is
# accepted while it runs.
#
# 1. The drain run, the Intel LKVS way, first, from the state the guest
#    booted in: --vm with --vm-bytes 100% until nothing is unaccepted.
#    Unaccepted must reach 0 (within cocotest.drain_s seconds, default 600,
#    a bound for a stuck run, not a performance limit); the time it took is
#    printed as "# drain:".  In a guest that accepted everything at boot
#    (accept_memory=eager) the kernel's own accept time is printed instead,
#    for the same memory.  (Run after the stressors, it found nothing left:
#    bigheap alone accepts everything.)
# 2. The memory stressors with --verify (vm, bigheap, mmap, brk, malloc,
#    with --page-in) for cocotest.stress_s seconds (default 20): stress-ng
#    must report no failure and no verification error.  Their rates
#    (bogo ops/s, real time) are printed as "# stress-ng rate:" lines.
# The kernel log must stay clean (scripts/ktap.py), so the emulation's
# reports (double accept, touch before accept) fail the scenario.
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^cocotest\.$1=//p" | tail -n1; }
unacc() { awk '$1 == "Unaccepted:" {print $2}' /proc/meminfo; }
now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
stress_s=$(arg stress_s); stress_s=${stress_s:-20}
drain_s=$(arg drain_s); drain_s=${drain_s:-600}
n=0 fail=0
res() {	# res ok|not_ok NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n $2${3:+ # $3}"; else echo "not ok $n $2${3:+ # $3}"; fail=1; fi
}
echo "KTAP version 1"
echo "1..3"
echo "# Unaccepted at start: $(unacc) kB"

start=$(unacc)
if [ -z "$start" ]; then
	res not_ok "drain run" "no Unaccepted line in /proc/meminfo"
elif [ "$start" = 0 ]; then
	line=$(dmesg | grep -o 'unaccepted memory: node [0-9]*: accepted [0-9]* MiB in [0-9]* ms.*' | head -n 4)
	echo "# nothing unaccepted at start; the kernel's accept at boot:"
	echo "$line" | sed 's/^/# drain: eager: /'
	res ok "drain run" "SKIP nothing was unaccepted (accepted at boot)"
else
	t0=$(now_ms)
	stress-ng --vm 2 --vm-bytes 100% --vm-keep --verify --timeout "${drain_s}s" > /tmp/drain.log 2>&1 &
	pid=$!
	left=$start
	while [ "$left" != 0 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.2
		left=$(unacc)
	done
	t1=$(now_ms)
	kill "$pid" 2>/dev/null
	wait "$pid"
	sed 's/^/#   | /' /tmp/drain.log
	if [ "$left" = 0 ]; then
		echo "# drain: lazy: $((start / 1024)) MiB accepted in $((t1 - t0)) ms under stress-ng --vm-bytes 100%"
		res ok "drain run: Unaccepted reaches 0"
	else
		res not_ok "drain run: Unaccepted reaches 0" "$left kB left after $((t1 - t0)) ms"
	fi
fi
if grep -qiE 'fail|verif.*error' /tmp/drain.log 2>/dev/null; then
	res not_ok "drain run: stress-ng verifies what it wrote" "see its output"
else
	res ok "drain run: stress-ng verifies what it wrote"
fi

stress-ng --vm 2 --vm-bytes 10% --bigheap 1 --mmap 1 --mmap-bytes 10% --brk 1 --malloc 1 \
	--page-in --verify --timeout "${stress_s}s" --metrics-brief > /tmp/stress.log 2>&1
rc=$?
sed 's/^/#   | /' /tmp/stress.log
# "stress-ng: metrc: [pid] stressor bogo-ops real usr sys ops/s(real) ops/s(cpu)"
awk '$2 == "metrc:" && $4 ~ /^(vm|bigheap|mmap|brk|malloc)$/ && $5 ~ /^[0-9]+$/ {
	print "# stress-ng rate: " $4 " " $9 " bogo ops/s" }' /tmp/stress.log
# Exit status 0: every stressor ran and verified; 2: a stressor failed
# (verification errors included); 3: out of resources, which a stressor
# driven to OOM is not (stress-ng restarts it).
if [ "$rc" = 0 ] && ! grep -qiE 'fail|verif.*error' /tmp/stress.log; then
	res ok "memory stressors with --verify"
else
	res not_ok "memory stressors with --verify" "exit status $rc"
fi

exit $fail
