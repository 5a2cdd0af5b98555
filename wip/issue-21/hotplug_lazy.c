// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_lazy (work in progress, issue 21): memory plugged through
 * virtio-mem in a guest with unaccepted memory arrives unaccepted.  After
 * the plug, Unaccepted: is up by exactly the plugged size and MemTotal and
 * the zones' managed pages by the same; touching memory, 64 MiB at a time,
 * soon accepts some of it on demand (Unaccepted: goes below its level
 * after the plug).
 * The harness fails the scenario on any kernel report: the emulation
 * reports a write before accept (the poison the kernel put in the plugged
 * memory) and, unmapped, any touch before accept.
 */
#include <sys/mman.h>
#include "kselftest.h"
#include "hotplug.h"

#define MIB (1ULL << 20)
#define CHUNK (64 * MIB)

int main(void)
{
	long total0, managed0, unacc0, total, managed, unacc, freekb;
	unsigned long long plug = cmdline_long("cocotest.plug_mib", 512);
	int page_kb = sysconf(_SC_PAGESIZE) / 1024;
	double end;
	size_t len;
	int bad = 0;
	char *p;

	ksft_print_header();
	ksft_set_plan(4);
	if (qmp_open() || qmp("{\"execute\":\"query-status\"}"))
		ksft_exit_fail_msg("no QMP line on /dev/ttyS2 (scenario needs QMP=1)\n");
	total0 = memtotal_kb();
	managed0 = managed_pages();
	unacc0 = meminfo_kb("/proc/meminfo", "Unaccepted");
	if (qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"vm0\",\"property\":\"requested-size\",\"value\":%llu}}",
		plug * MIB))
		ksft_exit_fail_msg("qom-set: %s\n", qmp_reply);
	end = now_s() + 60;
	while (memtotal_kb() != total0 + (long)(plug * 1024) && now_s() < end)
		usleep(100 * 1000);
	total = memtotal_kb();
	managed = managed_pages();
	unacc = meminfo_kb("/proc/meminfo", "Unaccepted");
	ksft_print_msg("plugged %llu MiB: MemTotal %+ld kB, managed %+ld kB, Unaccepted %ld -> %ld kB\n",
		       plug, total - total0, (managed - managed0) * page_kb, unacc0, unacc);
	ksft_test_result(total - total0 == (long)(plug * 1024) &&
			 (managed - managed0) * page_kb == (long)(plug * 1024),
			 "MemTotal and managed are up by the plugged size\n");
	ksft_test_result(unacc - unacc0 == (long)(plug * 1024),
			 "Unaccepted is up by the plugged size\n");

	/*
	 * Touch memory, 64 MiB at a time, until some of the plugged memory
	 * has been accepted (at most what is free plus the plugged size).
	 */
	freekb = meminfo_kb("/proc/meminfo", "MemFree");
	for (len = 0; len < (size_t)(freekb + plug * 1024) * 1024 &&
	     meminfo_kb("/proc/meminfo", "Unaccepted") >= unacc; len += CHUNK) {
		p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			ksft_exit_fail_msg("mmap after %zu MiB: %s\n", len >> 20, strerror(errno));
		fill_pattern((unsigned char *)p, CHUNK, 7);
		if (!check_pattern((unsigned char *)p, CHUNK, 7))
			bad++;
	}
	ksft_print_msg("touched %zu MiB (MemFree was %ld kB): Unaccepted %ld kB\n", len >> 20,
		       freekb, meminfo_kb("/proc/meminfo", "Unaccepted"));
	ksft_test_result(meminfo_kb("/proc/meminfo", "Unaccepted") < unacc && !bad,
			 "touching memory accepts plugged memory on demand, contents intact\n");

	/*
	 * Unplug it all.  Memory hot-added and accepted cannot be given back
	 * yet (no release): the driver keeps it and says so, and MemTotal
	 * stays.  (Before, it went back to the host, accepted bits and all.)
	 */
	total0 = memtotal_kb();
	if (qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"vm0\",\"property\":\"requested-size\",\"value\":0}}"))
		ksft_exit_fail_msg("qom-set: %s\n", qmp_reply);
	ksft_test_result(dmesg_wait("accepted memory cannot be given back yet", 30) &&
			 memtotal_kb() == total0,
			 "unplugging accepted memory is refused, MemTotal stays (%ld kB)\n",
			 memtotal_kb() - total0);
	ksft_finished();
}
