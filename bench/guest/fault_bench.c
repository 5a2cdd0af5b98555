// SPDX-License-Identifier: GPL-2.0
/*
 * fault_bench: the page allocator's fast path as user space sees it.  Maps
 * anonymous memory, touches one byte per page (each touch is a page fault
 * that allocates and zeroes a page), unmaps it (which frees the pages), and
 * repeats; prints the nanoseconds per page of every round's faults and of
 * its unmap, and their medians.  Informational: bench/fastpath.sh and
 * bench/icount.sh compare the figures of several kernels.  Under QEMU's
 * -icount shift=0 a guest nanosecond is one instruction, so the figures
 * become instructions per page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 15
#define BYTES (128UL << 20)

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
	long page = sysconf(_SC_PAGESIZE);
	double ns[ROUNDS], fns[ROUNDS], t;
	unsigned char *p;
	size_t i;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		p = mmap(NULL, BYTES, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		madvise(p, BYTES, MADV_NOHUGEPAGE);
		t = now();
		for (i = 0; i < BYTES; i += page)
			p[i] = 1;
		ns[r] = (now() - t) / (BYTES / page);
		t = now();
		munmap(p, BYTES);
		fns[r] = (now() - t) / (BYTES / page);
		printf("# fault_bench: round %d: %.0f ns/page, unmap %.0f ns/page\n",
		       r, ns[r], fns[r]);
	}
	qsort(ns, ROUNDS, sizeof(ns[0]), cmp);
	qsort(fns, ROUNDS, sizeof(fns[0]), cmp);
	printf("# fault_bench: median %.1f ns/page\n", ns[ROUNDS / 2]);
	printf("# fault_bench: unmap median %.1f ns/page\n", fns[ROUNDS / 2]);
	printf("1..0 # informational\n");
	return 4;
}
