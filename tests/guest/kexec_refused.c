// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_refused: booted with efi=noruntime while memory is unaccepted, the
 * kernel must refuse to load a kernel for kexec, saying why.
 *
 * Without EFI runtime services neither kexec_file_load() nor kexec-tools
 * pass the EFI system table to the next kernel, so it would not find the
 * unaccepted memory table and would use unaccepted memory as RAM (fatal on
 * TDX and SEV-SNP).  A crash kernel is still loaded (with a warning), and
 * unloaded again here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

static long load(int kfd, int ifd, unsigned long flags)
{
	static const char cmdline[] = "console=ttyS0";

	return syscall(SYS_kexec_file_load, kfd, ifd, sizeof(cmdline), cmdline,
		       flags);
}

int main(void)
{
	long unaccepted = meminfo_kb("/proc/meminfo", "Unaccepted");
	char loaded[8] = "", cmdline[4096] = "";
	int kfd, ifd, err;
	long r;

	ksft_print_header();
	ksft_set_plan(7);

	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	ksft_test_result(unaccepted > 0 && strstr(cmdline, "efi=noruntime"),
			 "memory is unaccepted (%ld kB) and EFI runtime services are off\n",
			 unaccepted);

	kfd = open("/boot/bzImage", O_RDONLY);
	ifd = open("/boot/initrd.cpio.gz", O_RDONLY);
	if (kfd < 0 || ifd < 0)
		ksft_exit_fail_msg("no /boot/bzImage or /boot/initrd.cpio.gz\n");

	r = load(kfd, ifd, 0);
	err = errno;
	if (!r)
		load(-1, -1, KEXEC_FILE_UNLOAD);
	ksft_test_result(r == -1 && err == EOPNOTSUPP,
			 "kexec_file_load() refuses the load (%ld, %s)\n", r,
			 r ? strerror(err) : "loaded");
	ksft_test_result(dmesg_has("kexec_core: cannot load: memory is still unaccepted"),
			 "the kernel says why\n");

	r = load(kfd, ifd, KEXEC_FILE_ON_CRASH);
	err = errno;
	read_file("/sys/kernel/kexec_crash_loaded", loaded, sizeof(loaded));
	ksft_test_result(r == 0 && loaded[0] == '1',
			 "a crash kernel still loads (%ld, %s)\n", r,
			 r ? strerror(err) : "loaded");
	ksft_test_result(dmesg_has("crash kernel loaded without the EFI tables"),
			 "with a warning that it will not know unaccepted memory\n");
	r = load(-1, -1, KEXEC_FILE_ON_CRASH | KEXEC_FILE_UNLOAD);
	ksft_test_result(r == 0, "unloading it is not refused (%ld)\n", r);

	/*
	 * kexec_load() too: one segment, refused before it is looked at
	 * (kexec-tools is not needed for that).
	 */
	{
		static char buf[4096];
		struct kexec_segment seg = {
			.buf = buf, .bufsz = sizeof(buf),
			.mem = (void *)0x1000000, .memsz = sizeof(buf),
		};

		r = syscall(SYS_kexec_load, 0x1000000UL, 1UL, &seg,
			    KEXEC_ARCH_DEFAULT);
		err = errno;
		if (!r)
			syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_ARCH_DEFAULT);
		if (r == -1 && err == ENOSYS)
			ksft_test_result_skip("kexec_load() is not built in this kernel (CONFIG_KEXEC=n)\n");
		else
			ksft_test_result(r == -1 && err == EOPNOTSUPP,
					 "kexec_load() refuses the load too (%ld, %s)\n", r,
					 r ? strerror(err) : "loaded");
	}
	close(kfd);
	close(ifd);
	ksft_finished();
}
