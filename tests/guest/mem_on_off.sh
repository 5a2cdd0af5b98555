#!/bin/sh
# mem_on_off: the kernel's own memory hotplug selftest,
# tools/testing/selftests/memory-hotplug/mem-on-off-test.sh, unchanged (run
# with the host's bash, which the initramfs carries): onlines every offline
# block, offlines 10 % of the online ones, onlines them again, then checks
# that injected MEM_GOING_ONLINE / MEM_GOING_OFFLINE notifier errors make
# onlining and offlining fail cleanly (CONFIG_MEMORY_NOTIFIER_ERROR_INJECT is
# built in).  Its exit status is the result: 0 pass, 1 fail, 4 skip.  In a
# lazily accepting guest, offlining a block takes what is unaccepted in it
# off the lists unaccepted, and onlining it again accepts it: the Unaccepted
# line shows how much.
[ -d /sys/kernel/debug/notifier-error-inject/memory ] || {
	echo "# no memory notifier error injection: the selftest would skip half its checks"
	exit 1
}
unacc() { awk '$1 == "Unaccepted:" {print $2}' /proc/meminfo; }
before=$(unacc)
bash /selftests/memory-hotplug/mem-on-off-test.sh -r 10
rc=$?
echo "# Unaccepted: ${before:-none} -> $(unacc) kB"
exit $rc
