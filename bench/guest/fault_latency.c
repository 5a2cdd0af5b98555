// SPDX-License-Identifier: GPL-2.0
/*
 * fault_latency: how long single page faults take when a process touches
 * fresh memory right after boot.  Maps cocotest.fault_mib MiB (default 1024)
 * of anonymous memory without huge pages, touches one byte per page and
 * times every touch on its own (each is a fault that allocates and zeroes a
 * page, and under lazy acceptance sometimes accepts a block first).  Prints
 * p50, p99, p99.9 and the maximum in microseconds, how many faults took over
 * 1 ms, and the Unaccepted figure before and after.
 *
 * With cocotest.fault_wait=1 it first waits (up to 30 minutes) until
 * /proc/meminfo shows nothing unaccepted: the latency once background
 * acceptance has finished.  Informational (exit status 4): bench/accept-modes.sh
 * compares the figures of the acceptance modes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cocotest.h"

static double now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	size_t mib = cmdline_long("cocotest.fault_mib", 1024);
	int wait = cmdline_long("cocotest.fault_wait", 0);
	long page = sysconf(_SC_PAGESIZE), before, waited = 0;
	size_t i, n = (mib << 20) / page, slow = 0;
	unsigned int *ns = malloc(n * sizeof(*ns));
	double t, t0, t1;
	unsigned char *p;

	if (!ns)
		return 1;
	memset(ns, 0, n * sizeof(*ns));	/* fault the array in first */
	while (wait && meminfo_kb("/proc/meminfo", "Unaccepted") > 0 && waited < 1800) {
		sleep(1);
		waited++;
	}
	before = meminfo_kb("/proc/meminfo", "Unaccepted");
	p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, mib << 20, MADV_NOHUGEPAGE);
	t0 = now_ns(CLOCK_BOOTTIME);
	for (i = 0; i < n; i++) {
		t = now_ns(CLOCK_MONOTONIC);
		p[i * page] = 1;
		ns[i] = now_ns(CLOCK_MONOTONIC) - t;
		slow += ns[i] > 1000000;
	}
	t1 = now_ns(CLOCK_BOOTTIME);
	qsort(ns, n, sizeof(*ns), cmp);
	printf("# fault_latency: %zu faults from %.1f s after boot (waited %ld s), unaccepted %ld -> %ld kB\n",
	       n, t0 / 1e9, waited, before, meminfo_kb("/proc/meminfo", "Unaccepted"));
	printf("# fault_latency: p50 %.1f p99 %.1f p99.9 %.1f max %.1f us, %zu over 1 ms\n",
	       ns[n / 2] / 1e3, ns[n * 99 / 100] / 1e3, ns[n * 999 / 1000] / 1e3,
	       ns[n - 1] / 1e3, slow);
	printf("# fault_latency: %.2f s of faults\n", (t1 - t0) / 1e9);
	printf("1..0 # informational\n");
	return 4;
}
