// SPDX-License-Identifier: GPL-2.0
/*
 * pressure_bench: page faults while a zone sits below its low watermark,
 * the path where the allocator's unaccepted-memory hooks run (each is on a
 * branch taken only when a zone fails its watermark check).  Locks anonymous
 * memory until the zone's free pages are half-way between its min and low
 * watermarks, then faults in and unmaps cocotest.pressure_pages pages
 * (default 64) per round, 200 rounds: every fault's allocation fails the
 * low watermark, wakes kswapd (which finds nothing to reclaim without swap)
 * and succeeds above min.  Prints the nanoseconds per fault of every tenth
 * round and the median; under QEMU's -icount shift=0 they are instructions.
 * Informational: bench/icount.sh compares kernels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cocotest.h"

#define ROUNDS 200

struct zone_state {
	long free, min, low;
};

/* The largest zone's free pages and watermarks, from /proc/zoneinfo. */
static int largest_zone(struct zone_state *z)
{
	long present = 0, best = -1, v;
	struct zone_state cur = { 0 };
	char line[256], key[64];
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5)) {
			memset(&cur, 0, sizeof(cur));
			continue;
		}
		if (sscanf(line, " pages free %ld", &v) == 1)
			cur.free = v;
		else if (sscanf(line, " %63s %ld", key, &v) == 2) {
			if (!strcmp(key, "min"))
				cur.min = v;
			else if (!strcmp(key, "low"))
				cur.low = v;
			else if (!strcmp(key, "present")) {
				present = v;
				if (present > best && cur.low) {
					best = present;
					*z = cur;
				}
			}
		}
	}
	fclose(f);
	return best > 0 ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	long pages = cmdline_long("cocotest.pressure_pages", 64);
	long page = sysconf(_SC_PAGESIZE), target, chunk, locked = 0;
	double ns[ROUNDS], t;
	struct zone_state z;
	unsigned char *p;
	long i;
	int r;

	if (largest_zone(&z))
		return 1;
	target = (z.min + z.low) / 2;
	if (z.low - target <= pages) {
		printf("# pressure_bench: min %ld low %ld: gap too small for %ld pages\n",
		       z.min, z.low, pages);
		return 1;
	}
	/* Lock memory down to the target, in shrinking steps. */
	while (!largest_zone(&z) && z.free > target + pages / 2) {
		chunk = (z.free - target) / 2;
		if (chunk < 16)
			chunk = 16;
		p = mmap(NULL, chunk * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
		if (p == MAP_FAILED)
			break;
		locked += chunk;
	}
	printf("# pressure_bench: zone min %ld low %ld free %ld pages after locking %ld MiB\n",
	       z.min, z.low, z.free, locked * page >> 20);
	for (r = 0; r < ROUNDS; r++) {
		p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		t = now();
		for (i = 0; i < pages; i++)
			p[i * page] = 1;
		ns[r] = (now() - t) / pages;
		munmap(p, pages * page);
		if (r % 10 == 0)
			printf("# pressure_bench: round %d: %.0f ns/fault\n", r, ns[r]);
	}
	largest_zone(&z);
	printf("# pressure_bench: zone free %ld pages at the end (low %ld)\n", z.free, z.low);
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp);
	printf("# pressure_bench: median %.1f ns/fault\n", ns[ROUNDS / 2]);
	printf("1..0 # informational\n");
	return 4;
}
