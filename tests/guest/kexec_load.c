// SPDX-License-Identifier: GPL-2.0
/*
 * kexec_load: first half of the kexec test, in a lazily accepting guest.
 *
 * Loads /boot/bzImage with /boot/initrd.cpio.gz through kexec_file_load(),
 * with this kernel's command line plus two words for the next kernel:
 * cocotest.resume=<index of this test> (the next kernel's /init goes on with
 * the tests after it) and cocotest.prev_unaccepted_kb=<this kernel's
 * Unaccepted>, for kexec_after to compare with.  /init then runs
 * "kexec_load --exec", which reboots into the loaded kernel.
 *
 * The segments land at the top of RAM (kexec_file places them top-down),
 * in memory this kernel never accepted: kexec must accept it before
 * relocate_kernel() copies them there.  If it did not, the next kernel's
 * emulation reports the writes when it accepts that memory (poison), or
 * its decompressor's output in unaccepted memory (image check).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

static int kexec_now(void)
{
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	perror("reboot(LINUX_REBOOT_CMD_KEXEC)");
	return 1;
}

int main(int argc, char **argv)
{
	char cmdline[4096], loaded[8] = "";
	const char *index = getenv("COCOTEST_INDEX");
	long unaccepted, len, r;
	int kfd, ifd;

	if (argc > 1 && !strcmp(argv[1], "--exec"))
		return kexec_now();

	ksft_print_header();
	ksft_set_plan(3);

	unaccepted = meminfo_kb("/proc/meminfo", "Unaccepted");
	ksft_test_result(unaccepted > 0,
			 "this kernel has unaccepted memory to hand over (%ld kB)\n",
			 unaccepted);

	len = read_file("/proc/cmdline", cmdline, sizeof(cmdline) - 128);
	if (len <= 0 || !index)
		ksft_exit_fail_msg("no /proc/cmdline or no COCOTEST_INDEX\n");
	cmdline[strcspn(cmdline, "\n")] = '\0';
	len = strlen(cmdline);
	snprintf(cmdline + len, sizeof(cmdline) - len,
		 " cocotest.resume=%s cocotest.prev_unaccepted_kb=%ld",
		 index, unaccepted);
	ksft_print_msg("next command line: %s\n", cmdline);

	kfd = open("/boot/bzImage", O_RDONLY);
	ifd = open("/boot/initrd.cpio.gz", O_RDONLY);
	if (kfd < 0 || ifd < 0)
		ksft_exit_fail_msg("no /boot/bzImage or /boot/initrd.cpio.gz\n");
	r = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		    cmdline, 0UL);
	if (r)
		ksft_print_msg("kexec_file_load: %s\n", strerror(errno));
	ksft_test_result(r == 0, "kexec_file_load() loads the kernel\n");

	read_file("/sys/kernel/kexec_loaded", loaded, sizeof(loaded));
	ksft_test_result(loaded[0] == '1', "/sys/kernel/kexec_loaded is 1\n");
	ksft_finished();
}
