// SPDX-License-Identifier: GPL-2.0
/*
 * fault_bench: the page allocator's fast path as user space sees it.  Maps
 * anonymous memory (cocotest.bench_mib MiB, default 128), touches one byte
 * per page (each touch is a page fault that allocates and zeroes a page),
 * unmaps it (which frees the pages), and repeats; prints the nanoseconds per
 * page of every round's faults and of its unmap, and their medians.
 * Informational: bench/fastpath.sh and bench/icount.sh compare the figures
 * of several kernels.  Under QEMU's -icount shift=0 a guest nanosecond is
 * one instruction, so the figures become instructions per page.
 *
 * Where the emulation's backend counts its work (bench/accept-count.patch:
 * debugfs efi_fake_unaccepted/accept_ns and accept_units), each round also
 * says how many 2 MiB units were accepted during it and the nanoseconds the
 * backend spent on them, so that bench/icount.sh can tell the allocator's
 * share of an accepting round from the platform's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cocotest.h"

#define ROUNDS 15
#define STATS "/sys/kernel/debug/efi_fake_unaccepted/"

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

/* A debugfs counter of the backend, or -1 if it does not count. */
static long long backend_stat(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), STATS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int main(void)
{
	size_t bytes = (size_t)cmdline_long("cocotest.bench_mib", 128) << 20;
	long long ns0, units0, ns1, units1;
	long page = sysconf(_SC_PAGESIZE);
	double ns[ROUNDS], fns[ROUNDS], t;
	unsigned char *p;
	size_t i;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		madvise(p, bytes, MADV_NOHUGEPAGE);
		ns0 = backend_stat("accept_ns");
		units0 = backend_stat("accept_units");
		t = now();
		for (i = 0; i < bytes; i += page)
			p[i] = 1;
		ns[r] = (now() - t) / (bytes / page);
		ns1 = backend_stat("accept_ns");
		units1 = backend_stat("accept_units");
		t = now();
		munmap(p, bytes);
		fns[r] = (now() - t) / (bytes / page);
		printf("# fault_bench: round %d: %.0f ns/page, unmap %.0f ns/page",
		       r, ns[r], fns[r]);
		if (ns0 >= 0 && units0 >= 0)
			printf(", pages %zu, backend %lld units %lld ns",
			       bytes / page, units1 - units0, ns1 - ns0);
		printf("\n");
	}
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp);
	qsort(fns, ROUNDS, sizeof(fns[0]), cmp);
	printf("# fault_bench: median %.1f ns/page\n", ns[ROUNDS / 2]);
	printf("# fault_bench: unmap median %.1f ns/page\n", fns[ROUNDS / 2]);
	printf("1..0 # informational\n");
	return 4;
}
