// SPDX-License-Identifier: GPL-2.0
/*
 * accept_again_refused: the emulation's debugfs "accept_again" accepts a
 * unit a second time, to prove double accepts are reported.  It must refuse
 * anything that would not be a second accept: a unit past the table, and a
 * unit the backend has not accepted yet (that would be a first accept behind
 * the table's back, and the core's later accept of it would be reported as
 * a double accept the core did not commit).  Runs in a lazy guest, before
 * write_before_accept, on the unit that test will write to (the highest one
 * the table still calls unaccepted, which reading write_before_accept gives):
 * the scenario expects exactly one WARN, from that test.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest.h"
#include "cocotest.h"

#define UNIT (2ULL << 20)

/* Write @addr to accept_again; 0 if the write succeeded, else the errno. */
static int accept_again(unsigned long long addr)
{
	FILE *f = fopen("/sys/kernel/debug/efi_fake_unaccepted/accept_again", "w");
	int err = 0;

	if (!f)
		return errno;
	setvbuf(f, NULL, _IONBF, 0);
	if (fprintf(f, "%llu\n", addr) < 0)
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	return err;
}

/* The address reading write_before_accept gives, or 0. */
static unsigned long long highest_unaccepted(void)
{
	char buf[64];

	if (read_file("/sys/kernel/debug/efi_fake_unaccepted/write_before_accept",
		      buf, sizeof(buf)) <= 0)
		return 0;
	return strtoull(buf, NULL, 0);
}

int main(void)
{
	unsigned long long base, units, top;
	char rest[256];
	int err;

	ksft_print_header();
	ksft_set_plan(3);
	if (!dmesg_line("efi: unaccepted: table at ", rest, sizeof(rest)) ||
	    sscanf(rest, "%*x: %llu units of %*u KiB from %llx", &units, &base) != 2)
		ksft_exit_fail_msg("no unaccepted memory table in the kernel log\n");

	err = accept_again(base + units * UNIT);
	ksft_test_result(err == EINVAL,
			 "a unit past the table (%#llx) is refused: %s\n",
			 base + units * UNIT, err ? strerror(err) : "accepted");

	top = highest_unaccepted();
	ksft_test_result(top >= base && top < base + units * UNIT,
			 "the table still has an unaccepted unit (%#llx)\n", top);
	err = accept_again(top);
	ksft_test_result(err == EINVAL,
			 "that unit, not accepted yet, is refused: %s\n",
			 err ? strerror(err) : "accepted");
	ksft_finished();
}
