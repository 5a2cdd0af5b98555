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
 *
 * Installed as kdump_load too: then the kernel is loaded for a crash
 * (KEXEC_FILE_ON_CRASH, into the memory crashkernel= reserved), with the
 * usual kdump options, and a child process keeps a marker in memory for
 * kdump_vmcore to find in /proc/vmcore.  /init then crashes the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* Found in /proc/vmcore by kdump_vmcore: what the crashed kernel had. */
#define KDUMP_MARKER "cocotest kdump marker: memory of the crashed kernel"

/* A child that keeps pages holding the marker until the crash. */
static int keep_marker(void)
{
	size_t len = 1 << 20, i, n = strlen(KDUMP_MARKER);
	char *p;

	fflush(stdout);
	if (fork())
		return 0;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	for (i = 0; i + n < len; i += 4096)
		memcpy(p + i, KDUMP_MARKER, n);
	for (;;)
		pause();
}

/* Drop "crashkernel=..." from @cmdline: the kdump kernel reserves nothing. */
static void drop_crashkernel(char *cmdline)
{
	char *p = strstr(cmdline, "crashkernel="), *e;

	if (!p)
		return;
	e = strchr(p, ' ');
	memmove(p, e ? e + 1 : p + strlen(p), strlen(e ? e + 1 : "") + 1);
}

int main(int argc, char **argv)
{
	char cmdline[4096], loaded[8] = "";
	const char *index = getenv("COCOTEST_INDEX");
	int crash = strstr(argv[0], "kdump") != NULL;
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
	if (crash)
		drop_crashkernel(cmdline);
	len = strlen(cmdline);
	snprintf(cmdline + len, sizeof(cmdline) - len,
		 " cocotest.resume=%s cocotest.prev_unaccepted_kb=%ld%s",
		 index, unaccepted, crash ? " nr_cpus=1 irqpoll reset_devices" : "");
	ksft_print_msg("next command line: %s\n", cmdline);

	kfd = open("/boot/bzImage", O_RDONLY);
	ifd = open("/boot/initrd.cpio.gz", O_RDONLY);
	if (kfd < 0 || ifd < 0)
		ksft_exit_fail_msg("no /boot/bzImage or /boot/initrd.cpio.gz\n");
	r = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmdline) + 1,
		    cmdline, crash ? KEXEC_FILE_ON_CRASH : 0UL);
	if (r)
		ksft_print_msg("kexec_file_load: %s\n", strerror(errno));
	ksft_test_result(r == 0, "kexec_file_load() loads the kernel%s\n",
			 crash ? " for a crash" : "");

	read_file(crash ? "/sys/kernel/kexec_crash_loaded" :
		  "/sys/kernel/kexec_loaded", loaded, sizeof(loaded));
	ksft_test_result(loaded[0] == '1', "/sys/kernel/kexec%s_loaded is 1\n",
			 crash ? "_crash" : "");
	if (crash && keep_marker())
		ksft_exit_fail_msg("cannot keep the marker\n");
	ksft_finished();
}
