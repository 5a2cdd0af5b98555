// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_lazy (work in progress, issue 21): memory plugged through
 * virtio-mem in a guest with unaccepted memory arrives unaccepted.  After
 * the plug, MemTotal and the zones' managed pages are up by exactly the
 * plugged size, all of it unaccepted (the Movable zone's count); touching
 * memory, 64 MiB at a time, soon accepts some of it on demand.  Unplugged, it is released (given back to the host's
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

/*
 * Ask the device for @bytes plugged; wait until it has that much plugged
 * and MemTotal is @want kB.  (MemTotal alone can reach @want while the
 * driver is still at work: a new request would then make it abandon an
 * unplug half way, and plug the memory back.)
 */
static long resize(unsigned long long bytes, long want)
{
	double end = now_s() + 90;

	if (qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"vm0\",\"property\":\"requested-size\",\"value\":%llu}}",
		bytes))
		ksft_exit_fail_msg("qom-set: %s\n", qmp_reply);
	while ((memtotal_kb() != want ||
		qom_get_int("vm0", "size") != (long long)bytes) && now_s() < end)
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
	double t0;
	size_t len;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(11);
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
		unacc0 = movable_unaccepted_kb();
		t0 = now_s();
		total = resize(plug * MIB, total0 + (long)(plug * 1024));
		ksft_print_msg("plug %d: usable (MemTotal and the device's size reached) %.2f s after the request\n",
			       cycle, now_s() - t0);
		managed = managed_pages();
		unacc = movable_unaccepted_kb();
		ksft_print_msg("plug %d, %llu MiB: MemTotal %+ld kB, managed %+ld kB, unaccepted in Movable %ld -> %ld kB\n",
			       cycle, plug, total - total0, (managed - managed0) * page_kb,
			       unacc0, unacc);
		ksft_test_result(total - total0 == (long)(plug * 1024) &&
				 (managed - managed0) * page_kb == (long)(plug * 1024),
				 "plug %d: MemTotal and managed are up by the plugged size\n", cycle);
		ksft_test_result(unacc0 == 0 && unacc == (long)(plug * 1024),
				 "plug %d: all of it is unaccepted\n", cycle);

		/*
		 * Touch memory, 64 MiB at a time, until some of the plugged
		 * memory has been accepted (at most what is free plus the
		 * plugged size).
		 */
		/* accept_memory=eager: accepted as it was onlined. */
		if (!unacc) {
			ksft_test_result_skip("plug %d: nothing left to accept on demand\n", cycle);
			total = resize(0, total0);
			ksft_test_result(total == total0, "unplug %d: MemTotal back where it was (%+ld kB)\n",
					 cycle, total - total0);
			continue;
		}
		freekb = meminfo_kb("/proc/meminfo", "MemFree");
		bad = 0;
		for (n = 0, len = 0; n < 1024 &&
		     len < (size_t)(freekb + plug * 1024) * 1024 &&
		     movable_unaccepted_kb() >= unacc; n++, len += CHUNK) {
			chunks[n] = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
			if (chunks[n] == MAP_FAILED)
				ksft_exit_fail_msg("mmap after %zu MiB: %s\n", len >> 20, strerror(errno));
			fill_pattern((unsigned char *)chunks[n], CHUNK, 7);
			if (!check_pattern((unsigned char *)chunks[n], CHUNK, 7))
				bad++;
		}
		ksft_print_msg("touched %zu MiB (MemFree was %ld kB): unaccepted in Movable %ld kB\n",
			       len >> 20, freekb, movable_unaccepted_kb());
		ksft_test_result(movable_unaccepted_kb() < unacc && !bad,
				 "plug %d: touching memory accepts plugged memory on demand, contents intact\n",
				 cycle);
		while (n--)
			munmap(chunks[n], CHUNK);

		/* Unplug it all: accepted memory is released, then removed. */
		total = resize(0, total0);
		ksft_test_result(total == total0 && movable_unaccepted_kb() == 0,
				 "unplug %d: MemTotal back where it was (%+ld kB), nothing unaccepted left in Movable\n",
				 cycle, total - total0);
	}

	/*
	 * Shrink to half and grow back: the sub-blocks unplugged from a block
	 * that stays added are released and leave the direct map; plugged
	 * again they come back (the driver accepts them as it frees them).
	 */
	total0 = memtotal_kb();
	total = resize(plug * MIB, total0 + (long)(plug * 1024));
	total = resize(plug / 4 * 2 * MIB, total0 + (long)(plug / 4 * 2 * 1024));
	ksft_test_result(total == total0 + (long)(plug / 4 * 2 * 1024),
			 "shrunk to %llu MiB: MemTotal %+ld kB\n", plug / 4 * 2, total - total0);
	total = resize(plug * MIB, total0 + (long)(plug * 1024));
	freekb = meminfo_kb("/proc/meminfo", "MemFree");
	bad = 0;
	for (n = 0, len = 0; n < 1024 && len + CHUNK < (size_t)(freekb - 64 * 1024) * 1024;
	     n++, len += CHUNK) {
		chunks[n] = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (chunks[n] == MAP_FAILED)
			break;
		fill_pattern((unsigned char *)chunks[n], CHUNK, 9);
		if (!check_pattern((unsigned char *)chunks[n], CHUNK, 9))
			bad++;
	}
	ksft_test_result(total == total0 + (long)(plug * 1024) && !bad &&
			 movable_unaccepted_kb() == 0,
			 "grown back to %llu MiB: MemTotal %+ld kB, %zu MiB touched, all of it accepted\n",
			 plug, total - total0, len >> 20);
	while (n--)
		munmap(chunks[n], CHUNK);
	total = resize(0, total0);
	ksft_test_result(total == total0 && movable_unaccepted_kb() == 0,
			 "unplug 3: MemTotal back where it was (%+ld kB)\n", total - total0);
	ksft_finished();
}
