// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_lazy (work in progress, issue 21): memory plugged through
 * virtio-mem in a guest with unaccepted memory arrives unaccepted.  After
 * the plug, Unaccepted: is up by exactly the plugged size and MemTotal and
 * the zones' managed pages by the same; touching more memory than is free
 * outside the device accepts some of it on demand (Unaccepted: goes down).
 * The harness fails the scenario on any kernel report: the emulation
 * reports a write before accept (the poison the kernel put in the plugged
 * memory) and, unmapped, any touch before accept.
 */
#include <sys/mman.h>
#include "kselftest.h"
#include "hotplug.h"

#define MIB (1ULL << 20)

int main(void)
{
	long total0, managed0, unacc0, total, managed, unacc, freekb;
	unsigned long long plug = cmdline_long("cocotest.plug_mib", 512);
	int page_kb = sysconf(_SC_PAGESIZE) / 1024;
	double end;
	size_t len;
	char *p;

	ksft_print_header();
	ksft_set_plan(3);
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

	/* More than is free outside the device: some of it must be accepted. */
	freekb = meminfo_kb("/proc/meminfo", "MemFree");
	len = (size_t)(freekb + plug * 1024 / 2) * 1024;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	fill_pattern((unsigned char *)p, len, 7);
	ksft_print_msg("touched %zu MiB: Unaccepted %ld kB, pattern %s\n", len >> 20,
		       meminfo_kb("/proc/meminfo", "Unaccepted"),
		       check_pattern((unsigned char *)p, len, 7) ? "kept" : "lost");
	ksft_test_result(meminfo_kb("/proc/meminfo", "Unaccepted") < unacc &&
			 check_pattern((unsigned char *)p, len, 7),
			 "touching it accepts plugged memory on demand, contents intact\n");
	munmap(p, len);
	ksft_finished();
}
