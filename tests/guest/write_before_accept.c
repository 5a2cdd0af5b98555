// SPDX-License-Identifier: GPL-2.0
/*
 * write_before_accept: the negative control for the emulation's poison
 * check.  Asks the backend, through debugfs, to write into a unit that is
 * still unaccepted and then accept it.  The scenario passes only if the
 * kernel then reports the write with a WARN naming the address (see
 * tests/scenarios/poison-negative.conf).
 */
#include <stdio.h>

#include "kselftest.h"
#include "cocotest.h"

int main(void)
{
	FILE *f;
	int ok;

	ksft_print_header();
	ksft_set_plan(2);
	f = fopen("/sys/kernel/debug/efi_fake_unaccepted/write_before_accept", "w");
	ok = f && fprintf(f, "1\n") > 0;
	if (f)
		ok = !fclose(f) && ok;
	ksft_test_result(ok, "asked the backend to write into unaccepted memory and accept it\n");
	ksft_test_result(dmesg_has("before accepting it"),
			 "the backend did so (its message is in the log)\n");
	ksft_finished();
}
