// SPDX-License-Identifier: GPL-2.0
/*
 * kdump_vmcore: in the kdump kernel that kdump_load loaded and a panic
 * started, read all of /proc/vmcore.
 *
 * The crashed kernel left memory unaccepted; in the emulation that memory
 * still holds the stub's poison pattern (EFI_FAKE_UNACCEPTED_POISON) in
 * every word.  /proc/vmcore must return zeroes there, never read it (on TDX
 * the read is fatal) and never accept it: not one page of poison may come
 * out.  (Single poison words do: the constant is in the code that checks
 * it, this program included.)  The crashed kernel's memory must come out, as
 * the marker kdump_load's child kept in it shows.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define POISON 0xbadacce5badacce5ULL
#define KDUMP_MARKER "cocotest kdump marker: memory of the crashed kernel"
#define CHUNK (4 << 20)

int main(void)
{
	unsigned long long ram = 0, poison = 0, markers = 0, zero_pages = 0;
	unsigned long long words = 0;
	static uint64_t buf[CHUNK / 8];
	size_t n = strlen(KDUMP_MARKER), i, j;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd, k;

	ksft_print_header();
	ksft_set_plan(5);

	fd = open("/proc/vmcore", O_RDONLY);
	ksft_test_result(fd >= 0 && cmdline_long("cocotest.resume", -1) >= 0,
			 "this is a kdump kernel with /proc/vmcore\n");
	if (fd < 0)
		ksft_exit_fail_msg("no /proc/vmcore\n");
	ksft_test_result(dmesg_has("efi: unaccepted: table at"),
			 "it took the crashed kernel's unaccepted memory table\n");

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG))
		ksft_exit_fail_msg("/proc/vmcore is not ELF\n");
	for (k = 0; k < eh.e_phnum; k++) {
		off_t off;
		size_t left;

		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + k * sizeof(ph)) != sizeof(ph))
			ksft_exit_fail_msg("cannot read program header %d\n", k);
		if (ph.p_type != PT_LOAD)
			continue;
		ram += ph.p_filesz;
		for (off = ph.p_offset, left = ph.p_filesz; left; ) {
			size_t len = left < CHUNK ? left : CHUNK;
			ssize_t got = pread(fd, buf, len, off);

			if (got != (ssize_t)len)
				ksft_exit_fail_msg("short read of /proc/vmcore at %#llx\n",
						   (unsigned long long)off);
			for (i = 0; i + 4096 <= len; i += 4096) {
				const char *page = (const char *)buf + i;
				const uint64_t *w = buf + i / 8;

				for (j = 0; j < 512 && w[j] == POISON; j++)
					;
				poison += j == 512;
				for (j = 0; j < 512; j++)
					words += w[j] == POISON;
				markers += !memcmp(page, KDUMP_MARKER, n);
				for (j = 0; j < 4096 && !page[j]; j++)
					;
				zero_pages += j == 4096;
			}
			off += len;
			left -= len;
		}
	}
	close(fd);

	ksft_print_msg("read %llu MiB of the crashed kernel's RAM: %llu zero pages, %llu poison words outside poison pages\n",
		       ram >> 20, zero_pages, words - poison * 512);
	ksft_test_result(ram >= (unsigned long long)cmdline_long("cocotest.mem_mib", 0) << 19,
			 "/proc/vmcore covers the crashed kernel's RAM (%llu MiB)\n", ram >> 20);
	ksft_test_result(markers > 0,
			 "the crashed kernel's memory reads back (%llu marker pages)\n", markers);
	ksft_test_result(poison == 0,
			 "no page of unaccepted memory was read (%llu poison pages)\n", poison);
	ksft_finished();
}
