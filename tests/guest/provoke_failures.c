// SPDX-License-Identifier: GPL-2.0
/*
 * provoke_failures: a negative control for the harness itself.
 *
 * Reports one deliberately failing test and makes the kernel WARN (through
 * LKDTM).  Only the "harness" scenario runs it, and that scenario passes only
 * if the host-side checker flags both.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"

int main(void)
{
	static const char what[] = "WARNING";
	int fd, ok;

	ksft_print_header();
	ksft_set_plan(2);
	ksft_test_result_fail("deliberate failure (the harness must report it)\n");

	fd = open("/sys/kernel/debug/provoke-crash/DIRECT", O_WRONLY);
	ok = fd >= 0 && write(fd, what, strlen(what)) == (ssize_t)strlen(what);
	if (fd >= 0)
		close(fd);
	ksft_test_result(ok, "provoked a kernel WARN through LKDTM\n");
	ksft_finished();
}
