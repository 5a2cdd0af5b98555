// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_mem: plug and unplug memory through a virtio-mem device (QEMU's
 * virtio-mem-pci "vm0", resized over QMP), including a memory block left
 * half plugged, offlined and onlined again several times.  After every step
 * MemTotal, the zones' managed pages and the device's plugged size must all
 * say the same amount was added, and the half-plugged block's pages must be
 * what the hotplug core promises: plugged ones handed to the buddy allocator,
 * unplugged ones PageOffline(), none PageReserved().  Accepted memory never
 * becomes unaccepted (hot-added memory is outside the unaccepted table).
 *
 * The console log is checked for "Bad page state" and warnings by the
 * harness (scripts/ktap.py), so a page left typed in the buddy allocator, or
 * accounting that goes negative, fails the scenario too.
 */
#include "kselftest.h"
#include "hotplug.h"

#define MIB (1ULL << 20)

static long total0, managed0, unaccepted0;
/* Does plugged memory arrive unaccepted here (a confidential guest)? */
static int plug_unaccepted;
static unsigned long long block_bytes, memaddr;
static int page_kb;

/*
 * Wait until the device has @mib MiB plugged (at most @timeout seconds),
 * then up to 10 s more for the driver to online them: wrong accounting
 * fails the step in seconds, not in minutes.
 */
static int wait_plugged(unsigned long long mib, double timeout)
{
	double end = now_s() + timeout;

	while (qom_get_int("vm0", "size") != (long long)(mib * MIB) && now_s() < end)
		usleep(100 * 1000);
	end = now_s() + 10;
	while (memtotal_kb() != total0 + (long)(mib * 1024) && now_s() < end)
		usleep(100 * 1000);
	return memtotal_kb() == total0 + (long)(mib * 1024);
}

/*
 * Check the accounting: the device has @mib MiB plugged, and all of it is
 * online, or none of it if @offline.  Unaccepted memory never grows, but
 * where hot-added memory arrives unaccepted, by at most what is online.
 */
static void check_accounting(const char *step, unsigned long long mib, int offline)
{
	long online_kb = offline ? 0 : (long)(mib * 1024);
	long total = memtotal_kb(), managed = managed_pages();
	long long size = qom_get_int("vm0", "size");
	long unaccepted = meminfo_kb("/proc/meminfo", "Unaccepted");

	ksft_print_msg("%s: device %lld MiB, MemTotal %+ld kB, managed %+ld kB, Unaccepted %ld kB\n",
		       step, size >> 20, total - total0, (managed - managed0) * page_kb,
		       unaccepted);
	ksft_test_result(size == (long long)(mib * MIB) &&
			 total - total0 == online_kb &&
			 (managed - managed0) * page_kb == online_kb &&
			 (unaccepted0 < 0 ||
			  unaccepted <= unaccepted0 + (plug_unaccepted ? online_kb : 0)),
			 "%s: %llu MiB plugged%s, MemTotal and managed agree\n", step, mib,
			 offline ? " (offline)" : "");
}

static void resize(const char *step, unsigned long long mib)
{
	if (qmp("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"vm0\",\"property\":\"requested-size\",\"value\":%llu}}",
		mib * MIB))
		ksft_print_msg("qom-set requested-size: %s\n", qmp_reply);
	if (!wait_plugged(mib, 60))
		ksft_print_msg("%s: not settled after 60 s\n", step);
	check_accounting(step, mib, 0);
}

/*
 * The first memory block of the device, @plugged MiB of it plugged: the
 * plugged pages are in the page allocator, the rest PageOffline(), and no
 * page of it is PageReserved().
 */
static void check_block_pages(const char *step, unsigned long long plugged)
{
	unsigned long pfn = memaddr / (page_kb * 1024), nr = block_bytes / (page_kb * 1024);
	unsigned long split = plugged * MIB / (page_kb * 1024), bad = 0;
	unsigned long offline_lo, offline_hi, reserved;

	offline_lo = count_kpf(pfn, split, KPF_OFFLINE, &bad);
	offline_hi = count_kpf(pfn + split, nr - split, KPF_OFFLINE, &bad);
	reserved = count_kpf(pfn, nr, KPF_RESERVED, &bad);
	ksft_print_msg("%s: plugged part %lu PageOffline, unplugged part %lu/%lu PageOffline, %lu PageReserved, %lu unreadable\n",
		       step, offline_lo, offline_hi, nr - split, reserved, bad);
	ksft_test_result(!bad && !offline_lo && offline_hi == nr - split && !reserved,
			 "%s: unplugged pages PageOffline, none PageReserved\n", step);
}

int main(void)
{
	long blk;
	int i, err;

	ksft_print_header();
	page_kb = sysconf(_SC_PAGESIZE) / 1024;
	if (qmp_open() || qmp("{\"execute\":\"query-status\"}"))
		ksft_exit_fail_msg("no QMP line on /dev/ttyS2 (scenario needs QMP=1)\n");
	block_bytes = memory_block_bytes();
	memaddr = qom_get_int("vm0", "memaddr");
	if (!block_bytes || (long long)memaddr <= 0)
		ksft_exit_fail_msg("no virtio-mem device vm0 (memaddr %s) or no memory blocks\n",
				   qmp_reply);
	blk = memaddr / block_bytes;
	total0 = memtotal_kb();
	managed0 = managed_pages();
	unaccepted0 = meminfo_kb("/proc/meminfo", "Unaccepted");
	plug_unaccepted = dmesg_has("where memory may be hot-added arrive unaccepted");
	ksft_print_msg("plugged memory arrives %s\n",
		       plug_unaccepted ? "unaccepted" : "accepted");
	ksft_print_msg("device at %#llx (memory block %ld), block %llu MiB, MemTotal %ld kB\n",
		       memaddr, blk, block_bytes >> 20, total0);
	ksft_set_plan(20);

	/* Half a memory block: the rest of it is onlined PageOffline(). */
	resize("plug half a block", block_bytes / MIB / 2);
	check_block_pages("half-plugged block", block_bytes / MIB / 2);

	/* Offline and online the half-plugged block, several times. */
	for (i = 1; i <= 3; i++) {
		char step[64];

		snprintf(step, sizeof(step), "offline %d", i);
		err = block_set_state(blk, "offline");
		ksft_test_result(!err && !block_online(blk), "%s of the half-plugged block: %s\n",
				 step, err ? strerror(err) : "done");
		/* Still plugged, but offline: none of it counts */
		check_accounting(step, block_bytes / MIB / 2, 1);
		snprintf(step, sizeof(step), "online %d", i);
		err = block_set_state(blk, "online_movable");
		ksft_test_result(!err && block_online(blk), "%s of the half-plugged block: %s\n",
				 step, err ? strerror(err) : "done");
		/* The device still has half a block plugged. */
		if (!err)
			wait_plugged(block_bytes / MIB / 2, 10);
		check_accounting(step, block_bytes / MIB / 2, 0);
	}
	check_block_pages("re-onlined block", block_bytes / MIB / 2);

	/* Unplug it, then sizes that cross memory blocks, up and down. */
	resize("unplug the half block", 0);
	resize("plug 2.5 blocks", block_bytes / MIB * 5 / 2);
	resize("unplug to 1.5 blocks", block_bytes / MIB * 3 / 2);
	resize("plug 8 blocks", block_bytes / MIB * 8);
	resize("unplug all", 0);
	ksft_finished();
}
