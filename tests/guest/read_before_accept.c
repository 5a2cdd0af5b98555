// SPDX-License-Identifier: GPL-2.0
/*
 * read_before_accept: the negative control for the emulation's unmapped
 * mode.  Asks the backend, through debugfs, to read one word of a unit that
 * is still unaccepted, through the direct map, where the emulation keeps no
 * unaccepted memory.  The read must fault (the write to debugfs fails with
 * EFAULT) and the scenario passes only if the kernel reports it with a WARN
 * naming the address (see tests/scenarios/read-before-accept.conf),
 * although copy_from_kernel_nofault()'s fixup handles the fault.  Then a
 * process reads the same address from user mode: it must get SIGSEGV, and
 * nothing more may be reported (that is no touch by the kernel).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "kselftest.h"
#include "cocotest.h"

/* How many times the kernel log has @text. */
static int dmesg_count(const char *text)
{
	static char klog[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, klog, sizeof(klog) - 1);
	const char *p = klog;
	int count = 0;

	if (n < 0)
		return -1;
	klog[n] = '\0';
	while ((p = strstr(p, text))) {
		count++;
		p++;
	}
	return count;
}

int main(void)
{
	unsigned long long addr = 0;
	char rest[256], *a;
	int err = 0, status, before;
	pid_t pid;
	FILE *f;

	ksft_print_header();
	ksft_set_plan(4);
	f = fopen("/sys/kernel/debug/efi_fake_unaccepted/read_before_accept", "w");
	if (!f)
		ksft_exit_fail_msg("no read_before_accept in debugfs: %s\n", strerror(errno));
	setvbuf(f, NULL, _IONBF, 0);
	if (fprintf(f, "1\n") < 0)
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	ksft_test_result(err == EFAULT,
			 "reading unaccepted memory through the direct map faulted: %s\n",
			 err ? strerror(err) : "it did not");
	ksft_test_result(dmesg_line("efi: fake unaccepted: reading ", rest, sizeof(rest)),
			 "the backend did the read: %s\n", rest);

	/* The direct-map address the report named. */
	if (dmesg_line("read of unaccepted memory at ", rest, sizeof(rest)) &&
	    (a = strstr(rest, "address ")))
		addr = strtoull(a + 8, NULL, 16);
	before = dmesg_count("unaccepted memory at ");
	pid = fork();
	if (!pid) {
		(void)*(volatile unsigned long *)(unsigned long)addr;
		_exit(0);
	}
	ksft_test_result(addr && pid > 0 && waitpid(pid, &status, 0) == pid &&
			 WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
			 "user mode reading %#llx gets SIGSEGV\n", addr);
	ksft_test_result(before > 0 && dmesg_count("unaccepted memory at ") == before,
			 "and the emulation reports nothing for it (%d reports before, %d after)\n",
			 before, dmesg_count("unaccepted memory at "));
	ksft_finished();
}
