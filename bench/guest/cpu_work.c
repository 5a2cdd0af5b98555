// SPDX-License-Identifier: GPL-2.0
/*
 * cpu_work: the throughput a CPU-bound workload keeps.  Right after boot,
 * runs one thread per online CPU for cocotest.work_s seconds (default 10),
 * each hashing integers in a loop that touches no new memory, and prints the
 * loop iterations per second of all threads together, with the Unaccepted
 * figure before and after (how much background acceptance did meanwhile).
 * Informational (exit status 4): bench/accept-modes.sh compares a guest
 * accepting in the background with one that has nothing to accept.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cocotest.h"

static volatile int stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	unsigned long long *count = arg, x = 88172645463325252ULL, n = 0;

	while (!stop) {
		int i;

		for (i = 0; i < 4096; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		n++;
	}
	*count = n * 4096 + (x & 1);
	return NULL;
}

int main(void)
{
	int cpus = sysconf(_SC_NPROCESSORS_ONLN), secs = cmdline_long("cocotest.work_s", 10), i;
	unsigned long long *counts = calloc(cpus, sizeof(*counts)), total = 0;
	pthread_t *tids = calloc(cpus, sizeof(*tids));
	long before = meminfo_kb("/proc/meminfo", "Unaccepted");
	double t0;

	if (!counts || !tids)
		return 1;
	t0 = now();
	for (i = 0; i < cpus; i++)
		if (pthread_create(&tids[i], NULL, worker, &counts[i]))
			return 1;
	sleep(secs);
	stop = 1;
	for (i = 0; i < cpus; i++) {
		pthread_join(tids[i], NULL);
		total += counts[i];
	}
	printf("# cpu_work: %d threads, %.1f s: %.1f M iterations/s, unaccepted %ld -> %ld kB\n",
	       cpus, now() - t0, total / (now() - t0) / 1e6, before, meminfo_kb("/proc/meminfo", "Unaccepted"));
	printf("1..0 # informational\n");
	return 4;
}
