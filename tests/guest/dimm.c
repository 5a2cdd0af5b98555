// SPDX-License-Identifier: GPL-2.0
/*
 * dimm: hot-add a pc-dimm over QMP, let it come online (movable: the
 * scenario boots with memhp_default_state=online_movable), offline its
 * memory blocks and hot-remove it; several cycles, alternating a 512 MiB
 * DIMM and a one-block DIMM.  After each step MemTotal and the zones'
 * managed pages must have moved by exactly the DIMM's usable size, and once
 * online no page of it may be PageOffline() or PageReserved().
 *
 * With memory_hotplug.memmap_on_memory=1 a DIMM of one memory block keeps
 * its own memmap at its start (self-hosted vmemmap pages): those pages are
 * in use, not offline, and do not count as managed memory.
 *
 * With cocotest.dimm_unaccepted=1 (a guest whose hot-added memory arrives
 * unaccepted, emulated) each DIMM must also arrive unaccepted (all of it
 * but what is in use and what the allocator may accept ahead of demand:
 * 64 MiB above the zone's high watermark) and be accepted on demand as
 * memory is used; an eject of a one-block DIMM that the host refuses to
 * take the memory back for (the emulation's refuse_release, from the third
 * release on) must leave the DIMM in place, online, with the memory given
 * back before the refusal accepted again and usable (page_poison=1: the
 * allocator checks that free pages kept their poison); and each cycle's
 * DIMM lands where the one before was, so its add proves that the unplug
 * gave the memory back (else the kernel refuses to add it again).
 */
#include <sys/mman.h>
#include "kselftest.h"
#include "hotplug.h"

#define MIB (1ULL << 20)
#define MAX_BLOCKS 4096

static long page_kb;

/* Mark the memory blocks present now in @seen. */
static void scan_blocks(unsigned char *seen)
{
	struct dirent *d;
	DIR *dir = opendir(MEMORY_SYSFS);
	long nr;

	memset(seen, 0, MAX_BLOCKS);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (sscanf(d->d_name, "memory%ld", &nr) == 1 && nr >= 0 && nr < MAX_BLOCKS)
			seen[nr] = 1;
	closedir(dir);
}

/* Wait until MemTotal is @kb, at most @timeout seconds. */
static int wait_memtotal(long kb, double timeout)
{
	double end = now_s() + timeout;

	do {
		if (memtotal_kb() == kb)
			return 1;
		usleep(100 * 1000);
	} while (now_s() < end);
	return 0;
}

/* Is DIMM @id still listed by QEMU? */
static int dimm_listed(const char *id)
{
	char needle[64];

	snprintf(needle, sizeof(needle), "\"id\":\"%s\"", id);
	return qmp("{\"execute\":\"query-memory-devices\"}") || strstr(qmp_reply, needle);
}

#define REFUSE_RELEASE "/sys/kernel/debug/efi_fake_unaccepted/refuse_release"
#define CHUNK (16 * MIB)

/*
 * Use memory, CHUNK at a time, until the Movable zone's unaccepted memory
 * falls below @unacc kB (at most what is free or unaccepted); each chunk is filled
 * and checked.  Returns the chunks that read back wrong, or -1 if nothing
 * was accepted.
 */
static int use_until_accepted(long unacc)
{
	size_t len, limit = (size_t)(meminfo_kb("/proc/meminfo", "MemFree") +
				     movable_unaccepted_kb()) * 1024;
	int bad = use_memory_chunks(limit, unacc, CHUNK, 5, &len);

	ksft_print_msg("used %zu MiB: unaccepted in Movable %ld kB, was %ld kB\n",
		       len >> 20, movable_unaccepted_kb(), unacc);
	return movable_unaccepted_kb() >= unacc ? -1 : bad;
}

/*
 * Use all but 128 MiB of free memory, CHUNK at a time, each chunk filled
 * and checked: the allocator hands out the pages of the DIMM that were
 * given back and accepted again, and checks their poison.  Returns the
 * chunks that read back wrong.
 */
static int use_free_memory(void)
{
	long freekb = meminfo_kb("/proc/meminfo", "MemFree") - 128 * 1024;
	size_t len;

	return freekb > 0 ? use_memory_chunks((size_t)freekb * 1024, -1, CHUNK, 6, &len) : 0;
}

/*
 * The DIMM's eject, with the host refusing the third release of accepted
 * memory: the guest must refuse the eject (offlining fails), keeping the
 * DIMM and its @nblocks blocks online and counted (@want_kb of MemTotal).
 */
static int refused_eject(const char *id, const long *blocks, int nblocks, long want_kb)
{
	int i, online = 0;

	if (write_str(REFUSE_RELEASE, "3"))
		return ksft_print_msg("cannot arm %s\n", REFUSE_RELEASE), 0;
	if (qmp("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"%s\"}}", id))
		return ksft_print_msg("device_del: %s\n", qmp_reply), 0;
	if (!dmesg_wait("the platform did not take the accepted memory back", 30))
		return ksft_print_msg("no refusal in the kernel log\n"), 0;
	/* The eject's offline failed: ACPI onlines again what it offlined. */
	for (i = 0; i < 100 && online < nblocks; i++) {
		usleep(100 * 1000);
		for (online = 0; online < nblocks && block_online(blocks[online]); online++)
			;
	}
	write_str(REFUSE_RELEASE, "0");
	ksft_print_msg("after the refused eject: %d of %d blocks online, MemTotal %ld kB (want %ld), DIMM %s\n",
		       online, nblocks, memtotal_kb(), want_kb,
		       dimm_listed(id) ? "still there" : "gone");
	return online == nblocks && memtotal_kb() == want_kb && dimm_listed(id) &&
	       !use_free_memory();
}

int main(void)
{
	static unsigned char before[MAX_BLOCKS], after[MAX_BLOCKS];
	unsigned long long block_bytes = memory_block_bytes();
	int memmap_on_memory = cmdline_long("memory_hotplug.memmap_on_memory", 0) == 1;
	long total0, managed0, unacc0, blocks[MAX_BLOCKS];
	int cycle, nblocks, i, err, unaccepted;
	char buf[16];

	ksft_print_header();
	page_kb = sysconf(_SC_PAGESIZE) / 1024;
	if (qmp_open() || qmp("{\"execute\":\"query-status\"}"))
		ksft_exit_fail_msg("no QMP line on /dev/ttyS2 (scenario needs QMP=1)\n");
	if (!block_bytes)
		ksft_exit_fail_msg("no memory blocks in sysfs\n");
	if (memmap_on_memory &&
	    (read_file("/sys/module/memory_hotplug/parameters/memmap_on_memory", buf,
		       sizeof(buf)) < 0 || buf[0] != 'Y'))
		ksft_exit_fail_msg("memmap_on_memory asked for on the command line, but not enabled\n");
	unaccepted = cmdline_long("cocotest.dimm_unaccepted", 0) == 1;
	/* Unaccepted: 2 more checks a cycle, and the refused eject twice. */
	ksft_set_plan(4 * 7 + (unaccepted ? 4 * 2 + 2 : 0));

	for (cycle = 1; cycle <= 4; cycle++) {
		/* Odd cycles: 512 MiB; even ones: one memory block. */
		unsigned long long size = cycle % 2 ? 512 * MIB : block_bytes;
		/* A one-block DIMM hosts its memmap (64 bytes per page) */
		unsigned long long vmemmap = memmap_on_memory && size == block_bytes ?
			size / (page_kb * 1024) * 64 : 0;
		long usable_kb = (size - vmemmap) / 1024;
		unsigned long offline = 0, reserved = 0, selfhosted = 0, bad = 0;
		char id[16];

		snprintf(id, sizeof(id), "dimm%d", cycle);
		total0 = memtotal_kb();
		managed0 = managed_pages();
		unacc0 = movable_unaccepted_kb();
		scan_blocks(before);

		err = qmp("{\"execute\":\"object-add\",\"arguments\":{\"qom-type\":\"memory-backend-ram\",\"id\":\"mem%d\",\"size\":%llu}}",
			  cycle, size) ||
		      qmp("{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"pc-dimm\",\"id\":\"%s\",\"memdev\":\"mem%d\"}}",
			  id, cycle);
		ksft_test_result(!err && wait_memtotal(total0 + usable_kb, 60),
				 "cycle %d: %llu MiB DIMM added, online (%s)\n", cycle, size >> 20,
				 err ? qmp_reply : "ok");

		/* The new memory blocks, and their pages. */
		scan_blocks(after);
		nblocks = 0;
		for (i = 0; i < MAX_BLOCKS; i++)
			if (after[i] && !before[i])
				blocks[nblocks++] = i;
		for (i = 0; i < nblocks; i++) {
			unsigned long pfn = blocks[i] * block_bytes / (page_kb * 1024);
			unsigned long nr = block_bytes / (page_kb * 1024);
			unsigned long nvm = vmemmap / (page_kb * 1024);

			offline += count_kpf(pfn, nr, KPF_OFFLINE, &bad);
			reserved += count_kpf(pfn, nr, KPF_RESERVED, &bad);
			selfhosted += count_kpf(pfn, nvm, KPF_OWNER_PRIVATE, &bad);
		}
		ksft_print_msg("cycle %d: %d new blocks; MemTotal %+ld kB, managed %+ld kB; %lu PageOffline, %lu PageReserved, %lu/%llu vmemmap pages self-hosted, %lu unreadable\n",
			       cycle, nblocks, memtotal_kb() - total0,
			       (managed_pages() - managed0) * page_kb, offline, reserved,
			       selfhosted, vmemmap / (page_kb * 1024), bad);
		ksft_test_result(nblocks == (int)(size / block_bytes) &&
				 memtotal_kb() - total0 == usable_kb &&
				 (managed_pages() - managed0) * page_kb == usable_kb,
				 "cycle %d: MemTotal and managed grew by %ld kB\n", cycle, usable_kb);
		ksft_test_result(!bad && !offline && !reserved &&
				 selfhosted == vmemmap / (page_kb * 1024),
				 "cycle %d: no page PageOffline or PageReserved%s\n", cycle,
				 vmemmap ? ", the vmemmap pages self-hosted" : "");

		if (unaccepted) {
			long unacc = movable_unaccepted_kb();
			long ahead = movable_accept_ahead_kb();

			ksft_test_result(unacc - unacc0 > 0 && unacc - unacc0 <= usable_kb &&
					 movable_free_kb() <= ahead,
					 "cycle %d: it arrives unaccepted (%+ld kB; %ld kB accepted and free, at most %ld kB ahead of demand)\n",
					 cycle, unacc - unacc0, movable_free_kb(), ahead);
			ksft_test_result(use_until_accepted(unacc) == 0,
					 "cycle %d: using memory accepts it on demand, contents intact\n",
					 cycle);
			/*
			 * One memory block only: an eject refused after ACPI
			 * offlined some blocks of a larger DIMM onlines them
			 * again as MMOP_ONLINE, in the kernel zone (6.1's
			 * memory_subsys_online()), where they may stay in use.
			 */
			if (nblocks == 1)
				ksft_test_result(refused_eject(id, blocks, nblocks,
							       total0 + usable_kb),
						 "cycle %d: an eject the host refuses to take the memory back for leaves the DIMM online\n",
						 cycle);
		}

		/* Offline every block of it. */
		err = 0;
		for (i = 0; i < nblocks; i++)
			err = err ?: block_set_state(blocks[i], "offline");
		ksft_test_result(!err, "cycle %d: its %d blocks offlined (%s)\n", cycle,
				 nblocks, err ? strerror(err) : "ok");
		ksft_test_result(memtotal_kb() == total0 && managed_pages() == managed0,
				 "cycle %d: offline, MemTotal %+ld kB and managed %+ld kB are back\n",
				 cycle, memtotal_kb() - total0,
				 (managed_pages() - managed0) * page_kb);

		/* Unplug: the guest ejects it, QEMU drops it. */
		err = qmp("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"%s\"}}", id);
		for (i = 0; i < 600 && !err && dimm_listed(id); i++)
			usleep(100 * 1000);
		ksft_test_result(!err && !dimm_listed(id) && nblocks && !block_exists(blocks[0]),
				 "cycle %d: DIMM removed, its blocks gone (%s)\n", cycle,
				 err ? qmp_reply : "ok");
		err = qmp("{\"execute\":\"object-del\",\"arguments\":{\"id\":\"mem%d\"}}", cycle);
		ksft_test_result(!err && memtotal_kb() == total0 && managed_pages() == managed0,
				 "cycle %d: backend freed, accounting as before the cycle\n", cycle);
	}
	ksft_finished();
}
