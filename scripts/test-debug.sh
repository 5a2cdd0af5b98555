#!/bin/bash
# make test-debug: the whole boot-test suite on a debug kernel (KASAN,
# lockdep, DEBUG_PAGEALLOC, DEBUG_ATOMIC_SLEEP, soft-lockup detector with a
# 10 s threshold): any report fails it, as in "make test".  Built out of tree
# from the tree's last commit in build/configs/debug; results in
# build/results-debug/.  Slow (a cold debug build, slower boots): not in CI.
set -eu
. "$(dirname "$0")/lib.sh"

VARIANTS=debug VARIANT_DIR=$TOP/config "$TOP/scripts/check-configs.sh"
TEST_KERNEL=$BUILD/configs/bzImage-debug RESULTS=$BUILD/results-debug \
	TEST_CMDLINE="watchdog_thresh=5" TEST_TIMEOUT_FACTOR=4 \
	"$TOP/scripts/run-tests.sh"
