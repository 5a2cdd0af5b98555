// SPDX-License-Identifier: GPL-2.0
/*
 * hotplug_unaccepted: memory plugged through virtio-mem in a guest whose
 * hot-added memory arrives unaccepted (the emulation; the scenario boots
 * with QMP=1 and onlines hot-added memory movable).  After each plug,
 * MemTotal and the zones' managed pages are up by exactly the plugged
 * size, and, by accept_memory=:
 *
 *   lazy (the default): all of it is unaccepted (the Movable zone's
 *	count), but what is in use and what the allocator may accept ahead
 *	of demand (64 MiB above the zone's high watermark), and using
 *	memory, CHUNK at a time, soon accepts some of it;
 *   eager: none of it is unaccepted: it was accepted as it was onlined;
 *   background: the node's worker accepts all of it without being asked.
 *
 * Unplugged, accepted memory is given back to the host and the range
 * removed; plugged again at the same addresses, it arrives unaccepted
 * again (the kernel refuses memory hot-added and accepted before, not
 * given back).  Then the device shrinks to half and grows back: sub-blocks
 * of memory blocks that stay added are given back and plugged again.
 * Last, a plug that ends 4 MiB into a memory block: the block's unplugged
 * sub-blocks must never be accepted, not even as the guard unit of the
 * plugged memory below them (accept_memory=eager accepts that as it is
 * onlined; the others when it is used), so nothing above the plug is on
 * the emulation's record as accepted, and the plug gives nothing back to
 * the host.
 * The emulation reports a second accept without a release in between,
 * and any touch of memory before its accept or after its release: the
 * harness fails the scenario on such a report.
 *
 * With cocotest.plug_mib=N the plugs are N MiB (512 by default); the time
 * from the request until the memory is usable is printed (bench/).
 *
 * Across a kexec (tests/guest/kexec_load.c): with cocotest.hotplug_keep=1
 * the first kernel stops after the first plug, memory plugged and partly
 * accepted.  The next kernel (cocotest.resume= on its command line) finds
 * the device with memory plugged: its driver had the host take all of it
 * back (unplug-all) and plugged it again, so it must arrive unaccepted
 * although the table handed over by kexec says the previous kernel had
 * accepted some of it, and be accepted on demand, once (the emulation's
 * record of accepted memory crosses the kexec too); then the usual cycles.
 */
#include <sys/mman.h>
#include "kselftest.h"
#include "hotplug.h"

#define MIB (1ULL << 20)
#define CHUNK (64 * MIB)
#define RELEASED "/sys/kernel/debug/efi_fake_unaccepted/released"
#define ACCEPTED "/sys/kernel/debug/efi_fake_unaccepted/accepted"

enum mode { LAZY, EAGER, BACKGROUND };

static enum mode accept_mode(void)
{
	char buf[4096];

	if (read_file("/proc/cmdline", buf, sizeof(buf)) < 0)
		return LAZY;
	if (strstr(buf, "accept_memory=eager"))
		return EAGER;
	if (strstr(buf, "accept_memory=background"))
		return BACKGROUND;
	return LAZY;
}

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

/*
 * MiB on record as accepted (the emulation's debugfs "accepted": one
 * "start-end" range per line, hex, end inclusive) at or above @from, or -1.
 */
static long accepted_mib_from(unsigned long long from)
{
	unsigned long long start, last, mib = 0;
	FILE *f = fopen(ACCEPTED, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%llx-%llx\n", &start, &last) == 2)
		if (last >= from)
			mib += (last + 1 - (start > from ? start : from)) / MIB;
	fclose(f);
	return mib;
}

/* Units of 2 MiB the emulated platform took back since boot, or -1. */
static long released_units(void)
{
	char buf[64];

	if (read_file(RELEASED, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/*
 * Use memory, CHUNK at a time, each chunk filled and checked: until
 * @limit bytes, or (@unacc >= 0) until the Movable zone's unaccepted
 * memory falls below @unacc kB.  Returns the chunks that read back wrong.
 */
static int use_memory(size_t limit, long unacc)
{
	size_t len;
	int bad = use_memory_chunks(limit, unacc, CHUNK, 7, &len);

	ksft_print_msg("used %zu MiB: unaccepted in Movable %ld kB\n", len >> 20,
		       movable_unaccepted_kb());
	return bad;
}

int main(void)
{
	static const char *const names[] = { "lazy", "eager", "background" };
	long total0, managed0, unacc0, total, managed, unacc, want, freekb;
	unsigned long long plug = cmdline_long("cocotest.plug_mib", 512), half;
	int page_kb = sysconf(_SC_PAGESIZE) / 1024;
	enum mode mode = accept_mode();
	double t0, end;
	int cycle, bad;

	int resumed = cmdline_long("cocotest.resume", 0) > 0;
	int keep = !resumed && cmdline_long("cocotest.hotplug_keep", 0) == 1;
	long long plugged;
	long rel0, rel, above;
	long long memaddr;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	ksft_set_plan(keep ? 3 : resumed ? 15 : 13);
	if (qmp_open() || qmp("{\"execute\":\"query-status\"}"))
		ksft_exit_fail_msg("no QMP line on /dev/ttyS2 (scenario needs QMP=1)\n");
	if (!dmesg_has("where memory may be hot-added arrive unaccepted"))
		ksft_exit_fail_msg("hot-added memory does not arrive unaccepted in this guest\n");

	if (resumed) {
		/* The driver plugs again what the device is asked for. */
		plugged = qom_get_int("vm0", "requested-size");
		for (end = now_s() + 90; now_s() < end &&
		     (qom_get_int("vm0", "size") != plugged ||
		      movable_managed_kb() != plugged / 1024); )
			usleep(100 * 1000);
		unacc = movable_unaccepted_kb();
		ksft_print_msg("after the kexec: %lld MiB plugged, %ld kB of it unaccepted; %s\n",
			       plugged >> 20, unacc,
			       dmesg_has("a previous kernel had accepted are unaccepted again") ?
			       "the previous kernel's accepted memory was forgotten" :
			       "nothing forgotten");
		ksft_test_result(plugged > 0 && unacc > 0 && unacc <= plugged / 1024 &&
				 movable_free_kb() <= movable_accept_ahead_kb(),
				 "after the kexec: the memory plugged again arrives unaccepted (%ld kB accepted and free, at most %ld kB ahead of demand)\n",
				 movable_free_kb(), movable_accept_ahead_kb());
		freekb = meminfo_kb("/proc/meminfo", "MemFree");
		bad = use_memory((size_t)freekb * 1024, unacc);
		ksft_test_result(!bad && movable_unaccepted_kb() < unacc,
				 "after the kexec: using memory accepts it anew, contents intact\n");
		resize(0, memtotal_kb() - plugged / 1024);
	}

	for (cycle = 1; cycle <= 2; cycle++) {
		total0 = memtotal_kb();
		managed0 = managed_pages();
		unacc0 = movable_unaccepted_kb();
		want = total0 + (long)(plug * 1024);
		t0 = now_s();
		total = resize(plug * MIB, want);
		ksft_print_msg("plug %d (%s): usable (MemTotal and the device's size reached) %.2f s after the request\n",
			       cycle, names[mode], now_s() - t0);
		managed = managed_pages();
		unacc = movable_unaccepted_kb();
		ksft_print_msg("plug %d, %llu MiB: MemTotal %+ld kB, managed %+ld kB, unaccepted in Movable %ld -> %ld kB\n",
			       cycle, plug, total - total0, (managed - managed0) * page_kb,
			       unacc0, unacc);
		ksft_test_result(total == want &&
				 (managed - managed0) * page_kb == (long)(plug * 1024),
				 "plug %d: MemTotal and managed are up by the plugged size\n", cycle);

		switch (mode) {
		case LAZY:
			/* All but what is used, or accepted ahead of demand. */
			ksft_test_result(unacc0 == 0 && unacc > 0 &&
					 unacc <= (long)(plug * 1024) &&
					 movable_free_kb() <= movable_accept_ahead_kb(),
					 "plug %d: it arrives unaccepted (%ld kB; %ld kB accepted and free, at most %ld kB ahead of demand)\n",
					 cycle, unacc, movable_free_kb(), movable_accept_ahead_kb());
			break;
		case EAGER:
			ksft_test_result(unacc0 == 0 && unacc == 0,
					 "plug %d: all of it was accepted as it was onlined\n", cycle);
			break;
		case BACKGROUND:
			for (end = now_s() + 120; movable_unaccepted_kb() && now_s() < end; )
				usleep(100 * 1000);
			ksft_test_result(unacc0 == 0 && movable_unaccepted_kb() == 0,
					 "plug %d: the background worker accepted all of it (%.1f s)\n",
					 cycle, now_s() - t0);
			break;
		}

		/* Lazy: until some plugged memory is accepted on demand. */
		freekb = meminfo_kb("/proc/meminfo", "MemFree");
		unacc = movable_unaccepted_kb();
		bad = use_memory(mode == LAZY ? (size_t)freekb * 1024 : 256 * MIB,
				 mode == LAZY ? unacc : -1);
		ksft_test_result(!bad && (mode != LAZY || movable_unaccepted_kb() < unacc),
				 "plug %d: memory can be used%s, contents intact\n", cycle,
				 mode == LAZY ? ", and using it accepts plugged memory on demand" : "");

		/* Left plugged, partly accepted, for the next kernel. */
		if (keep)
			ksft_finished();

		/* Unplug it all: accepted memory is given back, then removed. */
		total = resize(0, total0);
		ksft_test_result(total == total0 && movable_unaccepted_kb() == 0,
				 "unplug %d: MemTotal back where it was (%+ld kB), nothing unaccepted left in Movable\n",
				 cycle, total - total0);
	}

	/*
	 * Shrink to about half, 4 MiB short of a whole memory block, and grow
	 * back: the sub-blocks unplugged from a block that stays added are
	 * taken as they are if nothing used them (not accepted only to go
	 * back), given back and leave the direct map; plugged again they come
	 * back (the driver accepts them as it frees them).
	 */
	half = plug / 2 > 4 ? plug / 2 - 4 : plug / 2;
	total0 = memtotal_kb();
	total = resize(plug * MIB, total0 + (long)(plug * 1024));
	total = resize(half * MIB, total0 + (long)(half * 1024));
	ksft_test_result(total == total0 + (long)(half * 1024),
			 "shrunk to %llu MiB: MemTotal %+ld kB\n", half, total - total0);
	total = resize(plug * MIB, total0 + (long)(plug * 1024));
	freekb = meminfo_kb("/proc/meminfo", "MemFree");
	/* Movable first (user memory's first choice); the watermarks spared. */
	bad = use_memory((size_t)(freekb - 256 * 1024) * 1024, -1);
	ksft_test_result(total == total0 + (long)(plug * 1024) && !bad &&
			 movable_unaccepted_kb() == 0,
			 "grown back to %llu MiB: MemTotal %+ld kB, memory used, all of it accepted\n",
			 plug, total - total0);
	total = resize(0, total0);
	ksft_test_result(total == total0 && movable_unaccepted_kb() == 0,
			 "unplug 3: MemTotal back where it was (%+ld kB)\n", total - total0);

	/*
	 * A memory block and 4 MiB of the next: the rest of it unplugged.
	 * Nothing above the plugged memory may be on record as accepted, and
	 * nothing may have been given back (accepted, then released: the
	 * accept would be hidden but for the count), as the plug comes in,
	 * nor once all of it is used and so accepted, in every mode.  The
	 * record is read before the count: a release between the two reads
	 * shows in the count.
	 */
	memaddr = qom_get_int("vm0", "memaddr");
	if (memaddr <= 0 || memory_block_bytes() != 128 * MIB ||
	    memaddr % (128 * MIB))
		ksft_exit_fail_msg("the device's region (%#llx) does not start at a 128 MiB memory block\n",
				   memaddr);
	rel0 = released_units();
	total = resize(132 * MIB, total0 + 132 * 1024);
	above = accepted_mib_from(memaddr + 132 * MIB);
	rel = released_units();
	ksft_print_msg("plug of 132 MiB at %#llx: MemTotal %+ld kB, MiB accepted above it %ld, units given back %ld -> %ld\n",
		       memaddr, total - total0, above, rel0, rel);
	ksft_test_result(total == total0 + 132 * 1024 && memaddr > 0 && above == 0 &&
			 rel0 >= 0 && rel == rel0,
			 "a plug that ends inside a memory block accepts nothing unplugged (nothing above it accepted, nothing given back)\n");
	freekb = meminfo_kb("/proc/meminfo", "MemFree");
	bad = use_memory((size_t)(freekb - 256 * 1024) * 1024, 1);
	above = accepted_mib_from(memaddr + 132 * MIB);
	/* The positive control: the record does list accepted memory. */
	plugged = above < 0 ? -1 : accepted_mib_from(memaddr) - above;
	rel = released_units();
	ksft_print_msg("used: unaccepted in Movable %ld kB; MiB accepted: %lld of the plug, %ld above it; units given back %ld -> %ld\n",
		       movable_unaccepted_kb(), plugged, above, rel0, rel);
	ksft_test_result(!bad && movable_unaccepted_kb() == 0 && plugged == 132 &&
			 above == 0 && rel == rel0,
			 "all of the 132 MiB accepted, on record, in use: still nothing above it accepted\n");
	resize(0, total0);
	ksft_finished();
}
