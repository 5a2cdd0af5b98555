// SPDX-License-Identifier: GPL-2.0
/*
 * kdump_vmcore: in the kdump kernel that kdump_load loaded and a panic
 * started, read all of /proc/vmcore three ways: with read(), with mmap()
 * (the way makedumpfile reads it by default), and through Debian's
 * makedumpfile itself.
 *
 * The crashed kernel left memory unaccepted; in the emulation that memory
 * still holds the stub's poison pattern (EFI_FAKE_UNACCEPTED_POISON) in
 * every word.  /proc/vmcore must return zeroes there, never read or map it
 * (on TDX the access is fatal) and never accept it: not one page of poison
 * may come out, by any path.  (Single poison words do: the constant is in
 * the code that checks it, this program included.)  The crashed kernel's
 * memory must come out, as the marker kdump_load's child kept in it shows.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define POISON 0xbadacce5badacce5ULL
#define KDUMP_MARKER "cocotest kdump marker: memory of the crashed kernel"
#define CHUNK (4 << 20)
#define MAKEDUMPFILE "/bin/makedumpfile"

struct counts {
	unsigned long long pages, poison, markers, zero, words;
};

/* One page of the crashed kernel's memory, as /proc/vmcore gave it. */
static void count_page(const void *p, struct counts *c)
{
	const uint64_t *w = p;
	const char *b = p;
	size_t j;

	c->pages++;
	for (j = 0; j < 512 && w[j] == POISON; j++)
		;
	c->poison += j == 512;
	for (j = 0; j < 512; j++)
		c->words += w[j] == POISON;
	c->markers += !memcmp(b, KDUMP_MARKER, strlen(KDUMP_MARKER));
	for (j = 0; j < 4096 && !b[j]; j++)
		;
	c->zero += j == 4096;
}

/*
 * The crashed kernel's VMCOREINFO, in a PT_NOTE of /proc/vmcore, tells dump
 * tools the page type of unaccepted blocks and their order: a pageblock,
 * as large as a huge page here (Hugepagesize in this kernel's meminfo).
 */
static int vmcoreinfo_ok(int fd, const Elf64_Ehdr *eh)
{
	static char note[1 << 16];
	char want[64];
	long huge_kb = meminfo_kb("/proc/meminfo", "Hugepagesize");
	int order = 0, k, ok = 0;
	Elf64_Phdr ph;

	while (huge_kb > 4 << order)
		order++;
	snprintf(want, sizeof(want), "NUMBER(pageblock_order)=%d\n", order);
	for (k = 0; k < eh->e_phnum; k++) {
		size_t len;

		if (pread(fd, &ph, sizeof(ph), eh->e_phoff + k * sizeof(ph)) != sizeof(ph) ||
		    ph.p_type != PT_NOTE)
			continue;
		len = ph.p_filesz < sizeof(note) - 1 ? ph.p_filesz : sizeof(note) - 1;
		if (pread(fd, note, len, ph.p_offset) != (ssize_t)len)
			continue;
		note[len] = '\0';
		if (memmem(note, len, "NUMBER(PAGE_UNACCEPTED_PAGEBLOCK_MAPCOUNT_VALUE)=-",
			   strlen("NUMBER(PAGE_UNACCEPTED_PAGEBLOCK_MAPCOUNT_VALUE)=-")) &&
		    memmem(note, len, want, strlen(want)))
			ok = 1;
	}
	if (!ok)
		ksft_print_msg("no %s or no unaccepted page type in VMCOREINFO\n", want);
	return ok;
}

/* Program header @k of /proc/vmcore, or -1 at the end. */
static int load_header(int fd, const Elf64_Ehdr *eh, int k, Elf64_Phdr *ph)
{
	if (pread(fd, ph, sizeof(*ph), eh->e_phoff + k * sizeof(*ph)) != sizeof(*ph))
		ksft_exit_fail_msg("cannot read program header %d\n", k);
	return ph->p_type == PT_LOAD ? 0 : 1;
}

static void read_pass(int fd, const Elf64_Ehdr *eh, struct counts *c,
		      unsigned long long *ram)
{
	static uint64_t buf[CHUNK / 8];
	Elf64_Phdr ph;
	int k;

	for (k = 0; k < eh->e_phnum; k++) {
		off_t off;
		size_t left, i;

		if (load_header(fd, eh, k, &ph))
			continue;
		*ram += ph.p_filesz;
		for (off = ph.p_offset, left = ph.p_filesz; left; ) {
			size_t len = left < CHUNK ? left : CHUNK;
			ssize_t got = pread(fd, buf, len, off);

			if (got != (ssize_t)len)
				ksft_exit_fail_msg("short read of /proc/vmcore at %#llx\n",
						   (unsigned long long)off);
			for (i = 0; i + 4096 <= len; i += 4096)
				count_page((const char *)buf + i, c);
			off += len;
			left -= len;
		}
	}
}

/*
 * The same memory through mmap(), which in 6.1 consults the vmcore
 * callbacks only when one is registered: without one it maps the crashed
 * kernel's memory straight, unaccepted or not.
 */
static int mmap_pass(int fd, const Elf64_Ehdr *eh, struct counts *c)
{
	long pg = sysconf(_SC_PAGESIZE);
	Elf64_Phdr ph;
	int k;

	for (k = 0; k < eh->e_phnum; k++) {
		off_t start;
		size_t len, i, head;
		char *m;

		if (load_header(fd, eh, k, &ph))
			continue;
		start = ph.p_offset & ~(off_t)(pg - 1);
		head = ph.p_offset - start;
		len = head + ph.p_filesz;
		m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, start);
		if (m == MAP_FAILED) {
			ksft_print_msg("cannot map /proc/vmcore at %#llx: %m\n",
				       (unsigned long long)start);
			return -1;
		}
		for (i = head; i + 4096 <= len; i += 4096)
			count_page(m + i, c);
		munmap(m, len);
	}
	return 0;
}

/*
 * Pages of the poison pattern in a dump file, at any alignment: the
 * pattern repeats every 4 bytes (e5 cc da ba), and a file format may store
 * a page at an offset that is not a multiple of 8.  Each run of 4096
 * pattern bytes or more counts as run / 4096 pages.
 */
static int starts_pattern(const unsigned char *p)
{
	static const unsigned char pat[4] = { 0xe5, 0xcc, 0xda, 0xba };
	int r, k;

	for (r = 0; r < 4; r++) {
		for (k = 0; k < 4 && p[k] == pat[(r + k) % 4]; k++)
			;
		if (k == 4)
			return 1;
	}
	return 0;
}

static unsigned long long poison_pages_in(const unsigned char *p, size_t len)
{
	unsigned long long pages = 0;
	size_t i = 0, run = 0;

	while (i < len) {
		if (run >= 4 && p[i] == p[i - 4]) {
			run++;
			i++;
			continue;
		}
		pages += run / 4096;
		run = 0;
		if (i + 4 <= len && starts_pattern(p + i)) {
			run = 4;
			i += 4;
			continue;
		}
		i++;
	}
	return pages + run / 4096;
}

static unsigned long long markers_in(const unsigned char *p, size_t len)
{
	size_t n = strlen(KDUMP_MARKER);
	unsigned long long found = 0;
	const unsigned char *q = p;

	while ((q = memmem(q, len - (q - p), KDUMP_MARKER, n))) {
		found++;
		q += n;
	}
	return found;
}

/* Run makedumpfile with @args on /proc/vmcore into @out; its exit status. */
static int makedumpfile(const char *level, const char *format, const char *out)
{
	pid_t pid;
	int status;

	unlink(out);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		/* No progress meter; the report of excluded pages. */
		execl(MAKEDUMPFILE, "makedumpfile", "--message-level", "22",
		      format, "-d", level, "/proc/vmcore", out, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(void)
{
	struct counts rd = { 0 }, mm = { 0 };
	unsigned long long ram = 0, poison = ~0ULL, markers = 0;
	const char *elf = "/tmp/vmcore.elf", *kdump = "/tmp/vmcore.kdump";
	Elf64_Ehdr eh;
	struct stat st;
	int fd, rc, mapped;

	ksft_print_header();
	ksft_set_plan(13);

	fd = open("/proc/vmcore", O_RDONLY);
	ksft_test_result(fd >= 0 && cmdline_long("cocotest.resume", -1) >= 0,
			 "this is a kdump kernel with /proc/vmcore\n");
	if (fd < 0)
		ksft_exit_fail_msg("no /proc/vmcore\n");
	ksft_test_result(dmesg_has("efi: unaccepted: kdump: the crashed kernel's table is mapped"),
			 "it mapped the crashed kernel's unaccepted memory table\n");

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG))
		ksft_exit_fail_msg("/proc/vmcore is not ELF\n");

	ksft_test_result(vmcoreinfo_ok(fd, &eh),
			 "VMCOREINFO names the unaccepted page type and the block order\n");

	read_pass(fd, &eh, &rd, &ram);
	ksft_print_msg("read(): %llu MiB of the crashed kernel's RAM: %llu zero pages, %llu poison words outside poison pages\n",
		       ram >> 20, rd.zero, rd.words - rd.poison * 512);
	ksft_test_result(ram >= (unsigned long long)cmdline_long("cocotest.mem_mib", 0) << 19,
			 "/proc/vmcore covers the crashed kernel's RAM (%llu MiB)\n", ram >> 20);
	ksft_test_result(rd.markers > 0,
			 "read(): the crashed kernel's memory reads back (%llu marker pages)\n",
			 rd.markers);
	ksft_test_result(rd.poison == 0,
			 "read(): no page of unaccepted memory was read (%llu poison pages)\n",
			 rd.poison);

	mapped = mmap_pass(fd, &eh, &mm);
	close(fd);
	ksft_test_result(!mapped && mm.markers > 0 && mm.pages == rd.pages,
			 "mmap(): the crashed kernel's memory maps (%llu of %llu pages, %llu marker pages)\n",
			 mm.pages, rd.pages, mm.markers);
	ksft_test_result(!mapped && mm.poison == 0,
			 "mmap(): no page of unaccepted memory was mapped (%llu poison pages)\n",
			 mm.poison);

	/*
	 * Debian's makedumpfile, as kdump-tools runs it, mmap()ing
	 * /proc/vmcore by default.  Level 23 leaves out zero, cache and free
	 * pages but keeps user memory, where the marker is; ELF output keeps
	 * page contents as they were, so the file can be searched.
	 */
	rc = makedumpfile("23", "-E", elf);
	ksft_test_result(rc == 0, "makedumpfile -E -d 23 exits with 0 (%d)\n", rc);
	if (!rc && !stat(elf, &st) && st.st_size > 0) {
		int efd = open(elf, O_RDONLY);
		unsigned char *m = efd < 0 ? MAP_FAILED :
			mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, efd, 0);

		if (m != MAP_FAILED) {
			poison = poison_pages_in(m, st.st_size);
			markers = markers_in(m, st.st_size);
			munmap(m, st.st_size);
		}
		if (efd >= 0)
			close(efd);
		ksft_print_msg("makedumpfile -E -d 23: %lld MiB\n",
			       (long long)st.st_size >> 20);
	}
	unlink(elf);
	ksft_test_result(markers > 0,
			 "makedumpfile: the crashed kernel's memory is in the dump (%llu markers)\n",
			 markers);
	ksft_test_result(poison == 0,
			 "makedumpfile: no page of unaccepted memory is in the dump (%llu poison pages)\n",
			 poison);

	/* The level and format kdump-tools uses by default. */
	rc = makedumpfile("31", "-l", kdump);
	ksft_test_result(rc == 0 && !stat(kdump, &st),
			 "makedumpfile -l -d 31 exits with 0 (%d)\n", rc);
	if (!rc && !stat(kdump, &st))
		ksft_print_msg("makedumpfile -l -d 31: %lld KiB of dump for %llu MiB of RAM\n",
			       (long long)st.st_size >> 10, ram >> 20);
	unlink(kdump);
	ksft_test_result(dmesg_has("efi: unaccepted:") && !dmesg_has("WARNING:"),
			 "the kdump kernel survived every reader without a warning\n");
	ksft_finished();
}
