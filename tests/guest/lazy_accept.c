// SPDX-License-Identifier: GPL-2.0
/*
 * lazy_accept: what user space sees of lazy acceptance.
 *
 * The expectations follow the command line:
 * - no efi_fake_unaccepted=: nothing is unaccepted, and the allocator's
 *   hooks were never enabled;
 * - efi_fake_unaccepted= and accept_memory=eager: the table was found,
 *   nothing is left unaccepted at init, each node was accepted by as many
 *   threads as it has CPUs, and the allocator's hooks, on for boot, were
 *   turned off;
 * - efi_fake_unaccepted= (lazy, the default, also with an unknown
 *   accept_memory= value, which must be reported): most memory is still
 *   unaccepted at init, it falls as memory is touched, several threads
 *   touching fresh memory at once all get correct memory, and the counters
 *   (/proc/meminfo, node meminfo, /proc/vmstat, /proc/zoneinfo) agree.
 *
 * A double accept or a write to memory before it was accepted makes the
 * emulation WARN, which fails the boot in the host-side log check.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define MiB (1024L)			/* in kB */
#define THREADS 4

static long nodes_kb(const char *key)
{
	char path[128];
	long v, sum = 0;
	int nid, found = 0;

	for (nid = 0; nid < 64; nid++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", nid);
		v = meminfo_kb(path, key);
		if (v < 0)
			continue;
		sum += v;
		found = 1;
	}
	return found ? sum : -1;
}

struct counters {
	long meminfo, nodes, vmstat, zoneinfo;	/* kB */
};

/*
 * Read the four views of unaccepted memory until two readings in a row are
 * identical (a concurrent accept may fall between two files); true if the
 * views agree with each other.
 */
static int read_counters(struct counters *c)
{
	struct counters prev;
	int i;

	memset(&prev, 0xff, sizeof(prev));
	for (i = 0; i < 20; i++) {
		c->meminfo = meminfo_kb("/proc/meminfo", "Unaccepted");
		c->nodes = nodes_kb("Unaccepted");
		c->vmstat = sum_key("/proc/vmstat", "nr_unaccepted");
		c->zoneinfo = sum_key("/proc/zoneinfo", "nr_unaccepted");
		if (c->vmstat >= 0)
			c->vmstat *= sysconf(_SC_PAGESIZE) / 1024;
		if (c->zoneinfo >= 0)
			c->zoneinfo *= sysconf(_SC_PAGESIZE) / 1024;
		if (!memcmp(c, &prev, sizeof(prev)))
			break;
		prev = *c;
		usleep(100000);
	}
	ksft_print_msg("Unaccepted: meminfo %ld kB, nodes %ld kB, vmstat %ld kB, zoneinfo %ld kB\n",
		       c->meminfo, c->nodes, c->vmstat, c->zoneinfo);
	return c->meminfo >= 0 && c->meminfo == c->nodes && c->meminfo == c->vmstat &&
	       c->meminfo == c->zoneinfo;
}

static size_t thread_bytes;

static pthread_barrier_t all_filled;

/*
 * touch_pattern(), but every thread keeps its memory until all have filled
 * theirs: the threads' memory is in use at once, whatever the scheduling.
 */
static void *thread_touch(void *arg)
{
	unsigned char seed = (unsigned char)(long)arg;
	unsigned char *p;
	int ok;

	p = mmap(NULL, thread_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		fill_pattern(p, thread_bytes, seed);
	pthread_barrier_wait(&all_filled);
	if (p == MAP_FAILED)
		return NULL;
	ok = check_pattern(p, thread_bytes, seed);
	munmap(p, thread_bytes);
	return ok ? arg : NULL;
}

static void test_lazy(void)
{
	struct counters c;
	long total = meminfo_kb("/proc/meminfo", "MemTotal");
	long before, usable, after, free_kb, nr_free;
	pthread_t th[THREADS];
	int i, ok;

	ksft_test_result(dmesg_has("allocator hooks enabled"),
			 "the allocator's hooks were enabled\n");
	ksft_test_result(read_counters(&c), "the unaccepted counters agree at init\n");
	before = c.meminfo;
	ksft_test_result(before > total / 2,
			 "most memory is unaccepted at init (%ld of %ld kB)\n", before, total);

	free_kb = meminfo_kb("/proc/meminfo", "MemFree");
	nr_free = sum_key("/proc/vmstat", "nr_free_pages") * (sysconf(_SC_PAGESIZE) / 1024);
	ksft_print_msg("MemFree %ld kB, nr_free_pages %ld kB, MemAvailable %ld kB\n", free_kb,
		       nr_free, meminfo_kb("/proc/meminfo", "MemAvailable"));
	ksft_test_result(labs(free_kb - (nr_free + before)) < 32 * MiB,
			 "MemFree counts unaccepted memory, nr_free_pages does not\n");

	/*
	 * Touch 256 MiB more than is usable now: the rest must be accepted.
	 * Require half of it to show up in the counter, as other memory
	 * (page tables, the kernel's own allocations) moves meanwhile.
	 */
	usable = free_kb - before;
	ok = touch_pattern((size_t)(usable + 256 * MiB) * 1024, 1);
	ksft_test_result(ok, "%ld MiB touched and read back\n", (usable + 256 * MiB) / MiB);
	ok = read_counters(&c);
	after = c.meminfo;
	ksft_test_result(ok, "the unaccepted counters agree after touching memory\n");
	ksft_test_result(before - after >= 128 * MiB,
			 "unaccepted memory fell as memory was touched (%ld -> %ld kB)\n",
			 before, after);

	/* Together, 256 MiB more than is usable without accepting. */
	usable = meminfo_kb("/proc/meminfo", "MemFree") - after;
	thread_bytes = (size_t)(usable + 256 * MiB) / THREADS * 1024;
	pthread_barrier_init(&all_filled, NULL, THREADS);
	for (i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, thread_touch, (void *)(long)(i * 37 + 3));
	ok = 1;
	for (i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		ok &= ret != NULL;
	}
	ksft_test_result(ok, "%d threads touching %zu MiB of fresh memory each all succeed\n",
			 THREADS, thread_bytes >> 20);
	ok = read_counters(&c);
	ksft_test_result(ok && after - c.meminfo >= 128 * MiB,
			 "the counters agree and fell again (%ld -> %ld kB)\n", after, c.meminfo);
}

int main(void)
{
	char cmdline[4096], mode[32] = "";
	struct counters c;
	char *p;

	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	p = strstr(cmdline, "accept_memory=");
	if (p)
		sscanf(p + strlen("accept_memory="), "%31s", mode);

	ksft_print_header();
	if (!cmdline_size("efi_fake_unaccepted")) {
		ksft_set_plan(3);
		ksft_test_result(read_counters(&c), "the unaccepted counters agree\n");
		ksft_test_result(c.meminfo == 0, "nothing is unaccepted without emulation\n");
		ksft_test_result(!dmesg_has("allocator hooks enabled"),
				 "the allocator's hooks were never enabled\n");
	} else if (!strcmp(mode, "eager")) {
		unsigned long long node_cpus = 0, ran = 0;
		long mib = 0, ms = -1, threads = 0;
		char rest[256], list[256], *on;

		ksft_set_plan(6);
		ksft_test_result(dmesg_has("efi: unaccepted: table at"),
				 "the kernel found the unaccepted memory table\n");
		ksft_test_result(read_counters(&c), "the unaccepted counters agree\n");
		ksft_test_result(c.meminfo == 0, "accept_memory=eager leaves nothing unaccepted\n");
		ksft_test_result(dmesg_has("unaccepted memory: accepted at boot, allocator hooks enabled"),
				 "the allocator's hooks were enabled for boot\n");
		/* Every CPU of node 0 took a part ("on CPUs ..." in the log). */
		if (read_file("/sys/devices/system/node/node0/cpulist", list, sizeof(list)) > 0)
			node_cpus = cpulist_mask(list);
		if (dmesg_line("unaccepted memory: node 0: accepted ", rest, sizeof(rest))) {
			sscanf(rest, "%ld MiB in %ld ms, %ld threads", &mib, &ms, &threads);
			on = strstr(rest, "on CPUs ");
			if (on)
				ran = cpulist_mask(on + strlen("on CPUs "));
		}
		ksft_test_result(mib > 0 && ms >= 0 && node_cpus && ran == node_cpus,
				 "node 0 was accepted in parallel: %ld MiB in %ld ms, %ld threads, on CPUs %#llx of %#llx\n",
				 mib, ms, threads, ran, node_cpus);
		ksft_test_result(dmesg_wait("all accepted, allocator hooks disabled", 10),
				 "the allocator's hooks were turned off\n");
	} else {
		int bad = mode[0] && strcmp(mode, "lazy");

		ksft_set_plan(9 + bad);
		if (bad) {
			char msg[96];

			snprintf(msg, sizeof(msg), "accept_memory=%s: unknown value", mode);
			ksft_test_result(dmesg_has(msg), "an unknown accept_memory= is reported\n");
		}
		test_lazy();
	}
	ksft_finished();
}
