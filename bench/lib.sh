# shellcheck shell=bash
# Helpers the benchmark scripts share; sourced after scripts/lib.sh.

# fault_figures DIR: bench/guest/fault_latency.c's figures from DIR/guest.ktap,
# as one line: "p50 p99 p99.9 max over unaccepted", where "over" is the
# number of faults over its threshold and "unaccepted" its "before -> after"
# in kB.  Dies if the guest printed no figures.
fault_figures() {
	local line un figs
	line=$(grep -a -m1 "fault_latency: p50" "$1/guest.ktap" | tr -d '\r')
	un=$(grep -a -m1 "fault_latency: .* faults from" "$1/guest.ktap" | tr -d '\r' |
		sed -n 's/.*unaccepted \(.*\) kB/\1/p')
	figs=$(echo "$line" | sed -n 's/.*p50 \([0-9.]*\) p99 \([0-9.]*\) p99.9 \([0-9.]*\) max \([0-9.]*\) us, \([0-9]*\) over.*/\1 \2 \3 \4 \5/p')
	[ -n "$figs" ] || die "no figures from $1/guest.ktap"
	echo "$figs $un"
}
