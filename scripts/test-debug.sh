#!/bin/bash
# make test-debug: the whole boot-test suite on a debug kernel (KASAN,
# lockdep, DEBUG_PAGEALLOC, DEBUG_ATOMIC_SLEEP, soft-lockup detector with a
# 10 s threshold): any report fails it, as in "make test".  Built out of tree
# from the tree's last commit in build/configs/debug; results in
# build/results-debug/.  Slow (a cold debug build, slower boots): not in CI.
#
# Scenarios listed in config/debug-skip ("name  reason") are not run here,
# and the run says so with the reason.  A scenario's DEBUG_CMDLINE is added
# to its command line here (scripts/run-tests.sh).
set -eu
. "$(dirname "$0")/lib.sh"

VARIANTS=debug VARIANT_DIR=$TOP/config "$TOP/scripts/check-configs.sh"

skip=$(sed -n 's/^\([a-z0-9-]*\)[[:space:]].*/\1/p' "$TOP/config/debug-skip" 2>/dev/null || true)
scenarios=()
for f in "$TOP"/tests/scenarios/*.conf; do
	name=$(basename "$f" .conf)
	if echo "$skip" | grep -qx "$name"; then
		warn "not run in the debug suite: $(grep "^$name[[:space:]]" "$TOP/config/debug-skip")"
		continue
	fi
	scenarios+=("$name")
done
SCENARIOS="${SCENARIOS:-${scenarios[*]}}" \
TEST_KERNEL=$BUILD/configs/bzImage-debug RESULTS=$BUILD/results-debug \
	TEST_CMDLINE="watchdog_thresh=5" TEST_TIMEOUT_FACTOR=4 TEST_DEBUG=1 \
	"$TOP/scripts/run-tests.sh"
