// SPDX-License-Identifier: GPL-2.0
/*
 * double_accept: a negative control for the emulation.  Asks the emulated
 * backend, through debugfs, to accept the first unit of the unaccepted
 * memory table again.  The scenario passes only if the kernel then reports
 * the double accept with a WARN (see tests/scenarios/double-accept.conf).
 */
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>

#include "kselftest.h"

int main(void)
{
	static char log[1 << 20];
	unsigned long long base = 0;
	char *p;
	FILE *f;
	int n, ok;

	ksft_print_header();
	ksft_set_plan(1);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	log[n > 0 ? n : 0] = '\0';
	p = strstr(log, "efi: unaccepted: table at ");
	if (!p || sscanf(p, "efi: unaccepted: table at %*x: %*u units of %*u KiB from %llx",
			 &base) != 1)
		ksft_exit_fail_msg("no unaccepted memory table in the kernel log\n");

	f = fopen("/sys/kernel/debug/efi_fake_unaccepted/accept_again", "w");
	ok = f && fprintf(f, "%llu\n", base) > 0;
	if (f)
		ok = !fclose(f) && ok;
	ksft_test_result(ok, "asked the backend to accept %#llx again\n", base);
	ksft_finished();
}
