// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_after: second half of the kexec test, in the kernel that
 * kexec_load loaded (same kernel, same initramfs, its command line plus
 * cocotest.resume= and cocotest.prev_unaccepted_kb=).
 *
 * The kernel was started without the EFI stub, by kexec: it must have found
 * the previous kernel's unaccepted memory table through the EFI
 * configuration tables, still describing what that kernel left unaccepted,
 * and must accept that memory on demand.  The emulation WARNs on a double
 * accept, on memory written before it was accepted, and on a kernel image
 * in memory that was not accepted (the decompressor's job); the host-side
 * log check fails the run on any WARN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

/* Physical start of "Kernel code" in /proc/iomem, or 0. */
static unsigned long long kernel_code_start(void)
{
	FILE *f = fopen("/proc/iomem", "r");
	unsigned long long s = 0, e;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, ": Kernel code") &&
		    sscanf(line, " %llx-%llx", &s, &e) == 2)
			break;
	fclose(f);
	return s;
}

int main(void)
{
	long resume = cmdline_long("cocotest.resume", -1);
	long prev = cmdline_long("cocotest.prev_unaccepted_kb", -1);
	unsigned long long boundary = cmdline_size("efi_fake_unaccepted");
	unsigned long long kcode = kernel_code_start();
	long now, after, used;
	size_t len;
	int ok;

	ksft_print_header();
	ksft_set_plan(6);

	ksft_test_result(resume >= 0 && prev > 0,
			 "this kernel was started by kexec (cocotest.resume=%ld, previous Unaccepted %ld kB)\n",
			 resume, prev);
	ksft_test_result(dmesg_has("efi: unaccepted: table at"),
			 "it found the unaccepted memory table without the EFI stub\n");
	/* Else the check for double accepts below would pass for nothing. */
	ksft_test_result(dmesg_has("FakeAccepted=") &&
			 !dmesg_has("double accepts are not detected"),
			 "it found the emulation's record of accepted memory too\n");

	/*
	 * kexec accepted the segments, the decompressor maybe the kernel's
	 * new place, and this kernel's boot allocations some more; never
	 * more than was left, and not all of it.
	 */
	now = meminfo_kb("/proc/meminfo", "Unaccepted");
	used = prev - now;
	ksft_test_result(now > 0 && used >= 0 && used < 512 * 1024,
			 "what the previous kernel left unaccepted is still unaccepted (%ld of %ld kB; %ld kB accepted since)\n",
			 now, prev, used);
	ksft_print_msg("kernel code at %#llx, %s the emulated boundary %#llx\n",
		       kcode, kcode >= boundary ? "above" : "below", boundary);

	/*
	 * All the free memory that is accepted already (what either kernel
	 * accepted and did not use, KUnit's allocation tests included), and
	 * half of the unaccepted memory, in fresh memory: that half must come
	 * from accepting.
	 */
	len = ((size_t)(meminfo_kb("/proc/meminfo", "MemFree") - now) + now / 2) * 1024;
	ok = touch_pattern(len, 0x5a);
	after = meminfo_kb("/proc/meminfo", "Unaccepted");
	ksft_test_result(ok && after >= 0 && now - after >= now / 4,
			 "touching %zu MiB accepts memory on demand (Unaccepted %ld -> %ld kB)\n",
			 len >> 20, now, after);

	ksft_test_result(!dmesg_has("accepted twice") &&
			 !dmesg_has("was written before it was accepted") &&
			 !dmesg_has("lies in memory that was not accepted") &&
			 !dmesg_has("holds the kernel image or the initrd"),
			 "the emulation reported no double accept, no write before accept, no image in unaccepted memory\n");
	ksft_finished();
}
