// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_lazy (work in progress, issue 21): memory plugged through
 * virtio-mem in a guest with unaccepted memory arrives unaccepted.  After
 * the plug, Unaccepted: is up by exactly the plugged size and MemTotal and
 * the zones' managed pages by the same; touching memory, 64 MiB at a time,
 * soon accepts some of it on demand (Unaccepted: goes below its level
 * after the plug).  Unplugged, it is released (given back to the host's
 * ownership) and removed; plugged again, it arrives unaccepted again.
 * The harness fails the scenario on any kernel report: the emulation
 * reports a write before accept (the poison the kernel put in the plugged
 * memory) and, unmapped, any touch before accept.
 */
#include <sys/mman.h>
#include "kselftest.h"
#include "hotplug.h"

#define MIB (1ULL << 20)
#define CHUNK (64 * MIB)

/* Ask the device for @bytes plugged; wait until MemTotal is @want kB. */
static long resize(unsigned long long bytes, long want)
{
	double end = now_s() + 90;

	if (qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"vm0\",\"property\":\"requested-size\",\"value\":%llu}}",
		bytes))
		ksft_exit_fail_msg("qom-set: %s\n", qmp_reply);
	while (memtotal_kb() != want && now_s() < end)
		usleep(100 * 1000);
	return memtotal_kb();
}

int main(void)
{
	long total0, managed0, unacc0, total, managed, unacc, freekb;
	unsigned long long plug = cmdline_long("cocotest.plug_mib", 512);
	int page_kb = sysconf(_SC_PAGESIZE) / 1024;
	char *chunks[1024];
	int cycle, bad, n;
	size_t len;

	ksft_print_header();
	ksft_set_plan(8);
	if (qmp_open() || qmp("{\"execute\":\"query-status\"}"))
		ksft_exit_fail_msg("no QMP line on /dev/ttyS2 (scenario needs QMP=1)\n");

	/*
	 * Twice: plug, use, unplug.  The second plug lands where the first
	 * was; it arrives unaccepted again only if the unplug released it
	 * (else the kernel refuses to add it: "hot-added there before").
	 * A second accept without a release, or a touch before an accept
	 * or after a release, is a kernel report: the harness fails on it.
	 */
	for (cycle = 1; cycle <= 2; cycle++) {
		total0 = memtotal_kb();
		managed0 = managed_pages();
		unacc0 = meminfo_kb("/proc/meminfo", "Unaccepted");
		total = resize(plug * MIB, total0 + (long)(plug * 1024));
		managed = managed_pages();
		unacc = meminfo_kb("/proc/meminfo", "Unaccepted");
		ksft_print_msg("plug %d, %llu MiB: MemTotal %+ld kB, managed %+ld kB, Unaccepted %ld -> %ld kB\n",
			       cycle, plug, total - total0, (managed - managed0) * page_kb,
			       unacc0, unacc);
		ksft_test_result(total - total0 == (long)(plug * 1024) &&
				 (managed - managed0) * page_kb == (long)(plug * 1024),
				 "plug %d: MemTotal and managed are up by the plugged size\n", cycle);
		ksft_test_result(unacc - unacc0 == (long)(plug * 1024),
				 "plug %d: Unaccepted is up by the plugged size\n", cycle);

		/*
		 * Touch memory, 64 MiB at a time, until some of the plugged
		 * memory has been accepted (at most what is free plus the
		 * plugged size).
		 */
		freekb = meminfo_kb("/proc/meminfo", "MemFree");
		bad = 0;
		for (n = 0, len = 0; n < 1024 &&
		     len < (size_t)(freekb + plug * 1024) * 1024 &&
		     meminfo_kb("/proc/meminfo", "Unaccepted") >= unacc; n++, len += CHUNK) {
			chunks[n] = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			if (chunks[n] == MAP_FAILED)
				ksft_exit_fail_msg("mmap after %zu MiB: %s\n", len >> 20, strerror(errno));
			fill_pattern((unsigned char *)chunks[n], CHUNK, 7);
			if (!check_pattern((unsigned char *)chunks[n], CHUNK, 7))
				bad++;
		}
		ksft_print_msg("touched %zu MiB (MemFree was %ld kB): Unaccepted %ld kB\n", len >> 20,
			       freekb, meminfo_kb("/proc/meminfo", "Unaccepted"));
		ksft_test_result(meminfo_kb("/proc/meminfo", "Unaccepted") < unacc && !bad,
				 "plug %d: touching memory accepts plugged memory on demand, contents intact\n",
				 cycle);
		while (n--)
			munmap(chunks[n], CHUNK);

		/* Unplug it all: accepted memory is released, then removed. */
		total = resize(0, total0);
		ksft_test_result(total == total0,
				 "unplug %d: MemTotal back where it was (%+ld kB)\n",
				 cycle, total - total0);
	}
	ksft_finished();
}
