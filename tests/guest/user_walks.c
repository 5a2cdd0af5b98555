// SPDX-License-Identifier: GPL-2.0
/*
 * user_walks: what user space can make the kernel read, in a guest that
 * accepts lazily and still has most memory unaccepted, under the
 * emulation's unmapped mode (efi_fake_unaccepted_poison), where the kernel
 * touching unaccepted memory is reported.  The scenario (user-walks) passes
 * only if nothing is reported.  Each walk must also succeed, and reading
 * must not accept memory: /proc/kcore reads unaccepted memory as zeroes.
 *
 * - /proc/kcore: every RAM segment, in full;
 * - /proc/kpageflags, /proc/kpagecount: every page frame;
 * - /sys/kernel/mm/page_idle/bitmap: every page frame, read and marked idle;
 * - "m" to /proc/sysrq-trigger (show_mem());
 * - /proc/sys/vm/compact_memory (compaction of every zone);
 * - MADV_COLLAPSE of a range of small pages into a huge page.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

static char buf[4 << 20];

/* Read @len bytes of @fd from @off; bytes read, -errno on an error. */
static long long read_range(int fd, off_t off, unsigned long long len)
{
	unsigned long long done = 0;

	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t r = pread(fd, buf, n, off + done);

		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

/* Read all of a file; bytes read, -errno on an error. */
static long long read_all(const char *path)
{
	int fd = open(path, O_RDONLY);
	long long r;

	if (fd < 0)
		return -errno;
	r = read_range(fd, 0, ~0ULL >> 1);
	close(fd);
	return r;
}

static void kcore(void)
{
	unsigned long long ram = 0, ram_total, ram_end;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	long long r = 0;
	int fd, i;

	fd = open("/proc/kcore", O_RDONLY);
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh)) {
		ksft_test_result_fail("/proc/kcore: %s\n", strerror(errno));
		return;
	}
	for (i = 0; i < eh.e_phnum && r >= 0; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph)) {
			r = -errno;
			break;
		}
		/* RAM (and the kernel text) has a physical address. */
		if (ph.p_type != PT_LOAD || ph.p_paddr == (Elf64_Addr)-1)
			continue;
		r = read_range(fd, ph.p_offset, ph.p_filesz);
		if (r >= 0)
			ram += r;
	}
	close(fd);
	iomem_system_ram(&ram_total, &ram_end);
	ksft_test_result(r >= 0 && ram >= ram_total,
			 "/proc/kcore: read %llu MiB of segments with a physical address (System RAM %llu MiB)%s%s\n",
			 ram >> 20, ram_total >> 20, r < 0 ? ": " : "",
			 r < 0 ? strerror(-r) : "");
}

static void collapse(void)
{
	size_t len = 4 << 20;
	char *p = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;
	long thp;
	int r;

	if (p == MAP_FAILED) {
		ksft_test_result_fail("mmap: %s\n", strerror(errno));
		return;
	}
	a = (char *)(((uintptr_t)p + len - 1) & ~(uintptr_t)((2 << 20) - 1));
	madvise(a, len, MADV_NOHUGEPAGE);
	memset(a, 1, len);
	madvise(a, len, MADV_HUGEPAGE);
	r = madvise(a, len, MADV_COLLAPSE);
	thp = meminfo_kb("/proc/meminfo", "AnonHugePages");
	ksft_test_result(!r && thp >= 2048,
			 "MADV_COLLAPSE of small pages: %s, AnonHugePages %ld kB\n",
			 r ? strerror(errno) : "done", thp);
	munmap(p, 2 * len);
}

int main(void)
{
	long before, after, pages = sysconf(_SC_PHYS_PAGES);
	long long r;
	int err;

	ksft_print_header();
	ksft_set_plan(9);
	before = meminfo_kb("/proc/meminfo", "Unaccepted");
	ksft_test_result(before > (1L << 20),
			 "most memory is still unaccepted: %ld MiB\n", before >> 10);

	kcore();

	r = read_all("/proc/kpageflags");
	ksft_test_result(r >= (long long)pages * 8, "/proc/kpageflags: %lld bytes%s\n",
			 r, r < 0 ? " (error)" : "");
	r = read_all("/proc/kpagecount");
	ksft_test_result(r >= (long long)pages * 8, "/proc/kpagecount: %lld bytes%s\n",
			 r, r < 0 ? " (error)" : "");

	r = read_all("/sys/kernel/mm/page_idle/bitmap");
	if (r >= 0) {
		/* Mark every page frame idle: a write per 64 frames. */
		int fd = open("/sys/kernel/mm/page_idle/bitmap", O_WRONLY);
		long long off, w = 0;

		memset(buf, 0xff, sizeof(buf));
		for (off = 0; fd >= 0 && w >= 0 && off < r; off += w)
			w = pwrite(fd, buf, r - off < (long long)sizeof(buf) ?
				   r - off : (long long)sizeof(buf), off);
		if (fd >= 0)
			close(fd);
		ksft_test_result(fd >= 0 && w >= 0,
				 "page_idle/bitmap: read %lld bytes, marked all idle\n", r);
	} else if (r == -ENOENT) {
		ksft_test_result_skip("page_idle/bitmap: not built (CONFIG_IDLE_PAGE_TRACKING)\n");
	} else {
		ksft_test_result_fail("page_idle/bitmap: %s\n", strerror(-r));
	}

	err = write_str("/proc/sysrq-trigger", "m");
	if (err == ENOENT)
		ksft_test_result_skip("sysrq m: not built (CONFIG_MAGIC_SYSRQ)\n");
	else
		ksft_test_result(!err && dmesg_has("Mem-Info"), "sysrq m: %s\n",
				 err ? strerror(err) : "show_mem() ran");

	err = write_str("/proc/sys/vm/compact_memory", "1");
	ksft_test_result(!err, "compact_memory: %s\n", err ? strerror(err) : "done");

	collapse();

	after = meminfo_kb("/proc/meminfo", "Unaccepted");
	/* The walks read; only collapse() allocates (a few MiB). */
	ksft_test_result(after >= before - 64 * 1024,
			 "the walks accepted no memory to speak of: %ld -> %ld MiB unaccepted\n",
			 before >> 10, after >> 10);
	ksft_finished();
}
