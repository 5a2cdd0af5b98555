// SPDX-License-Identifier: GPL-2.0
/*
 * swap_memcg: what a distro kernel does with memory under pressure, while
 * some of it is still unaccepted (run on the distro kernel, which has THP,
 * KSM, memory cgroups, swap and zram; tests/distro/swap-memcg-*.conf).
 *
 * 0. The free memory that is accepted already is used up first (and kept
 *    until the swap test), so that the next three tests run on memory
 *    accepted for them; an eager guest holds as much.
 * 1. THP: 128 MiB of fresh anonymous memory with MADV_HUGEPAGE is backed by
 *    huge pages (at least 95 %: whole pageblocks are accepted), in a lazy
 *    guest at least half of it accepted for it, and holds what was
 *    written.  The share is printed as "# thp share:", to set a lazy guest
 *    beside an eager one.
 * 2. KSM: 32 MiB of fresh memory with identical pages, MADV_MERGEABLE, is
 *    merged by ksmd (at least 90 % of the pages shared) and still reads
 *    back right.
 * 3. Memory cgroup: a task in a cgroup with memory.max 64 MiB (no swap)
 *    that touches 512 MiB gets the cgroup's OOM kill; the machine's
 *    unaccepted memory is left alone (it falls by at most 128 MiB) and no
 *    global OOM kill happens.
 * 4. Swap (zram, 1 GiB): memory is touched beyond RAM in 32 MiB steps.  While
 *    anything is unaccepted, nothing is swapped out (pswpout does not move):
 *    accepting memory is always cheaper than writing pages out.  Once
 *    nothing is unaccepted, swapping works (pswpout grows), and every page
 *    reads back what was written, through swap.
 *
 * The scenario sets ALLOW_OOM=1: the cgroup's OOM report is expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define MiB (1UL << 20)
#define PAGE 4096UL
#define CG "/sys/fs/cgroup/cocotest"

static long unacc_kb(void)
{
	long v = meminfo_kb("/proc/meminfo", "Unaccepted");

	return v < 0 ? 0 : v;
}

static long vmstat(const char *key)
{
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ') {
			v = atol(line + n + 1);
			break;
		}
	fclose(f);
	return v;
}

static long read_long(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return atol(buf);
}

/* The AnonHugePages of the mapping that starts at @addr, in kB. */
static long smaps_thp_kb(void *addr)
{
	char line[256], want[32];
	int in = 0;
	long v = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f)) {
		/* A mapping's first line starts with its (lower-case hex)
		 * address; its fields start with a capital letter. */
		if ((line[0] >= '0' && line[0] <= '9') ||
		    (line[0] >= 'a' && line[0] <= 'f'))
			in = !strncmp(line, want, strlen(want));
		if (in && sscanf(line, "AnonHugePages: %ld kB", &v) == 1)
			break;
	}
	fclose(f);
	return v;
}

/* A 2 MiB-aligned anonymous mapping of @size bytes. */
static unsigned char *map_aligned(size_t size)
{
	unsigned char *p = mmap(NULL, size + 2 * MiB, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)p + 2 * MiB - 1) & ~(2 * MiB - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((void *)(a + size), (uintptr_t)p + 2 * MiB - a);
	return (unsigned char *)a;
}

static void test_thp(void)
{
	size_t size = 128 * MiB, i, bad = 0;
	unsigned char *p = map_aligned(size);
	long thp, u0 = unacc_kb(), fresh;

	if (!p || madvise(p, size, MADV_HUGEPAGE)) {
		ksft_test_result_skip("THP: no MADV_HUGEPAGE (%s)\n", strerror(errno));
		return;
	}
	for (i = 0; i < size; i += PAGE)
		p[i] = (unsigned char)(i / PAGE * 7 + 1);
	thp = smaps_thp_kb(p);
	fresh = u0 - unacc_kb();
	for (i = 0; i < size; i += PAGE)
		bad += p[i] != (unsigned char)(i / PAGE * 7 + 1);
	ksft_print_msg("thp share: %ld%% (%ld of %zu kB; %ld kB accepted meanwhile)\n",
		       thp * 100 / (long)(size / 1024), thp, size / 1024, fresh);
	/* In a lazy guest, most of it must have been accepted for it. */
	ksft_test_result(thp * 100 >= 95 * (long)(size / 1024) && !bad &&
			 (!u0 || fresh * 2 >= (long)(size / 1024)),
			 "THP: fresh memory is backed by huge pages (%ld kB of %zu; %ld kB accepted for it) and reads back (%zu bad)\n",
			 thp, size / 1024, fresh, bad);
	munmap(p, size);
}

static void test_ksm(void)
{
	size_t size = 32 * MiB, pages = size / PAGE, i, bad = 0;
	unsigned char *p = map_aligned(size);
	long sharing = 0;
	int s;

	if (access("/sys/kernel/mm/ksm/run", W_OK)) {
		ksft_test_result_skip("KSM: no /sys/kernel/mm/ksm\n");
		return;
	}
	if (!p || madvise(p, size, MADV_NOHUGEPAGE) ||
	    madvise(p, size, MADV_MERGEABLE)) {
		ksft_test_result_fail("KSM: madvise: %s\n", strerror(errno));
		return;
	}
	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(i % 251);
	write_str("/sys/kernel/mm/ksm/pages_to_scan", "10000");
	write_str("/sys/kernel/mm/ksm/sleep_millisecs", "0");
	write_str("/sys/kernel/mm/ksm/run", "1");
	for (s = 0; s < 120; s++) {
		sharing = read_long("/sys/kernel/mm/ksm/pages_sharing");
		if (sharing >= (long)(pages * 9 / 10))
			break;
		sleep(1);
	}
	for (i = 0; i < size; i++)
		bad += p[i] != (unsigned char)(i % 251);
	ksft_print_msg("ksm: %ld of %zu pages sharing after %d s\n", sharing, pages, s);
	ksft_test_result(sharing >= (long)(pages * 9 / 10) && !bad,
			 "KSM: identical fresh pages are merged (%ld of %zu) and read back (%zu bad)\n",
			 sharing, pages, bad);
	write_str("/sys/kernel/mm/ksm/run", "2");
	munmap(p, size);
}

/* The child in the cgroup: touch 512 MiB, 1 MiB at a time. */
static void memcg_hog(void)
{
	size_t i;

	for (i = 0; i < 512; i++) {
		unsigned char *p = mmap(NULL, MiB, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t j;

		if (p == MAP_FAILED)
			_exit(2);
		for (j = 0; j < MiB; j += PAGE)
			p[j] = 1;
	}
	_exit(0);
}

static void test_memcg(void)
{
	long before, after, kills;
	char pid[32], events[1024], *k;
	int status;
	pid_t c;

	mkdir("/sys/fs/cgroup", 0755);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) &&
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL)) {
		ksft_test_result_skip("memcg: cannot mount cgroup2 (%s)\n", strerror(errno));
		return;
	}
	if (write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory") ||
	    (mkdir(CG, 0755) && errno != EEXIST) ||
	    write_str(CG "/memory.max", "67108864")) {
		ksft_test_result_skip("memcg: no memory controller\n");
		return;
	}
	write_str(CG "/memory.swap.max", "0");
	before = unacc_kb();
	c = fork();
	if (c == 0) {
		snprintf(pid, sizeof(pid), "%d", getpid());
		if (write_str(CG "/cgroup.procs", pid))
			_exit(3);
		memcg_hog();
	}
	waitpid(c, &status, 0);
	after = unacc_kb();
	kills = -1;
	if (read_file(CG "/memory.events", events, sizeof(events)) > 0 &&
	    (k = strstr(events, "oom_kill ")))
		kills = atol(k + 9);
	ksft_print_msg("memcg: Unaccepted %ld -> %ld kB; oom_kill %ld; child %s %d\n",
		       before, after, kills,
		       WIFSIGNALED(status) ? "killed by signal" : "exited",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && kills >= 1 &&
			 dmesg_has("Memory cgroup out of memory") &&
			 !dmesg_has("Out of memory: Killed"),
			 "memcg: the cgroup's OOM kill, not the machine's\n");
	ksft_test_result(after >= before - 128 * 1024,
			 "memcg: the machine's unaccepted memory is left alone (%ld -> %ld kB)\n",
			 before, after);
	rmdir(CG);
}

static void test_swap(void)
{
	long total = meminfo_kb("/proc/meminfo", "MemTotal"), u, p0, p = 0;
	long swapped_unaccepted = 0, u_at = 0, samples = 0;
	size_t step = 32 * MiB, n = 0, max, i, j, bad = 0;
	unsigned char **chunks;
	int drained = 0;

	if (write_str("/sys/block/zram0/disksize", "1073741824") ||
	    system("mkswap /dev/zram0 >/dev/null") || swapon("/dev/zram0", 0)) {
		ksft_test_result_skip("swap: no zram swap (%s)\n", strerror(errno));
		ksft_test_result_skip("swap: no zram swap\n");
		ksft_test_result_skip("swap: no zram swap\n");
		return;
	}
	max = (size_t)(total + 512 * 1024) * 1024 / step;
	chunks = calloc(max, sizeof(*chunks));
	p0 = vmstat("pswpout");
	for (n = 0; n < max; n++) {
		chunks[n] = mmap(NULL, step, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunks[n] == MAP_FAILED)
			break;
		madvise(chunks[n], step, MADV_NOHUGEPAGE);
		for (j = 0; j < step; j += PAGE)
			chunks[n][j] = (unsigned char)(n + j / PAGE + 1);
		u = unacc_kb();
		p = vmstat("pswpout") - p0;
		samples += u > 0;
		if (u > 0 && p > 0 && !swapped_unaccepted) {
			swapped_unaccepted = p;
			u_at = u;
		}
		if (!u)
			drained = 1;
		/* Enough: swapping works, well past the drain. */
		if (drained && p > (long)(64 * MiB / PAGE))
			break;
	}
	if (n < max && chunks[n] != MAP_FAILED)
		n++;
	ksft_print_msg("swap: %zu MiB touched; Unaccepted %ld kB; pswpout %ld%s\n",
		       n * step / MiB, unacc_kb(), p,
		       swapped_unaccepted ? " (swapped while memory was unaccepted)" : "");
	if (swapped_unaccepted)
		ksft_print_msg("swap: %ld pages swapped out with %ld kB still unaccepted\n",
			       swapped_unaccepted, u_at);
	ksft_test_result(!swapped_unaccepted,
			 "swap: nothing swapped out while memory was unaccepted (%ld steps with memory unaccepted)\n",
			 samples);
	ksft_test_result(drained && p > 0,
			 "swap: once nothing is unaccepted, swapping works (pswpout %ld)\n", p);
	for (i = 0; i < n; i++) {
		if (chunks[i] == MAP_FAILED)
			continue;
		for (j = 0; j < step; j += PAGE)
			bad += chunks[i][j] != (unsigned char)(i + j / PAGE + 1);
		munmap(chunks[i], step);
	}
	ksft_test_result(n && !bad, "swap: every page reads back through swap (%zu bad)\n", bad);
	swapoff("/dev/zram0");
	free(chunks);
}

/*
 * Use up the free memory that is accepted already, so that what the THP,
 * KSM and cgroup tests allocate next comes from memory accepted for them:
 * touch memory until Unaccepted starts to fall (a lazy guest), at most 512
 * MiB (an eager guest, which has nothing unaccepted: the same amount of
 * memory in use as the lazy guest has when its free accepted memory runs
 * out, give or take).  Returns the size kept in *@size.
 */
static unsigned char *filler(size_t *size)
{
	size_t step = 8 * MiB, max = 512 * MiB, n, j;
	long start = unacc_kb();
	unsigned char *p = mmap(NULL, max, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	*size = 0;
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, max, MADV_NOHUGEPAGE);
	for (n = 0; n < max; n += step) {
		if (start && unacc_kb() < start)
			break;
		for (j = 0; j < step; j += PAGE)
			p[n + j] = 1;
	}
	*size = max;
	ksft_print_msg("filler: %zu MiB touched; Unaccepted %ld -> %ld kB\n",
		       n / MiB, start, unacc_kb());
	return p;
}

int main(void)
{
	unsigned char *fill;
	size_t fill_size;

	ksft_print_header();
	ksft_set_plan(7);
	ksft_print_msg("Unaccepted at start: %ld kB\n", unacc_kb());
	fill = filler(&fill_size);
	test_thp();
	test_ksm();
	test_memcg();
	if (fill)
		munmap(fill, fill_size);
	test_swap();
	ksft_finished();
}
