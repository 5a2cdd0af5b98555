#!/bin/sh
# show_memory: what "make run" shows -- how the guest booted, what its memory
# looks like, and what lazy acceptance does while a workload fills memory
# (files in tmpfs, 256 MiB at a time, up to half of MemAvailable) and after
# it frees it again (not with cocotest.noworkload on the command line, as the
# benchmarks boot it).  Informational only; no scenario of "make test" runs it.
echo "# booted through EFI: $([ -d /sys/firmware/efi ] && echo yes || echo no)"
dmesg | grep -E 'efi: EFI v|unaccepted|accept_memory' | sed 's/^/# /'
echo "# /proc/meminfo:"
grep -E '^(MemTotal|MemFree|MemAvailable|Unaccepted):' /proc/meminfo | sed 's/^/#   /'
for n in /sys/devices/system/node/node*; do
	grep -E 'MemTotal|MemFree|Unaccepted' "$n/meminfo" | sed 's/^/#   /'
done
echo "# zones (pages): $(awk '/^Node/ {z=$4} /^ +managed/ {printf "%s managed=%s ", z, $2}' /proc/zoneinfo)"

kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/meminfo; }
if [ -n "$(kb Unaccepted)" ] && ! grep -qw cocotest.noworkload /proc/cmdline; then
	half=$(( $(kb MemAvailable) / 2 / 1024 ))
	echo "# a workload fills ${half} MiB of tmpfs, 256 MiB at a time:"
	echo "#   used MiB   Unaccepted kB   MemFree kB   nr_free_pages"
	used=0
	while [ $used -lt $half ]; do
		printf '#   %8d   %13s   %10s   %13s\n' $used "$(kb Unaccepted)" "$(kb MemFree)" \
			"$(awk '$1 == "nr_free_pages" {print $2}' /proc/vmstat)"
		dd if=/dev/zero of=/tmp/fill.$used bs=1M count=256 2>/dev/null
		used=$((used + 256))
	done
	rm -f /tmp/fill.*
	printf '#   freed      %13s   %10s   %13s\n' "$(kb Unaccepted)" "$(kb MemFree)" \
		"$(awk '$1 == "nr_free_pages" {print $2}' /proc/vmstat)"
	echo "# (accepted memory stays accepted: freed, it returns to the free lists)"
fi
echo "1..0 # nothing to test: informational"
exit 4
