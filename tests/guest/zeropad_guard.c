// SPDX-License-Identifier: GPL-2.0
/*
 * zeropad_guard: the guard unit's test.  load_unaligned_zeropad() may read
 * a few bytes past the end of accepted memory, so accepting a range that
 * ends at a unit boundary also accepts the next unit.  The backend's debugfs
 * "zeropad" accepts the lower of the two highest unaccepted units and then
 * does such a load across its end.  With cocotest.skip_guard=0 the range
 * ends at the boundary, the next unit is accepted with it, and the scenario
 * (zeropad-guard) passes only if nothing is reported.  With
 * cocotest.skip_guard=1 the range ends a page short, there is no guard
 * unit, and the scenario (zeropad-noguard) passes only if the load into
 * unaccepted memory is reported, although the load's fixup handles the
 * fault.  Either way the load returns and the guest goes on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kselftest.h"
#include "cocotest.h"

int main(void)
{
	long skip = cmdline_long("cocotest.skip_guard", -1);
	char rest[256];
	int err = 0;
	FILE *f;

	ksft_print_header();
	ksft_set_plan(2);
	if (skip != 0 && skip != 1)
		ksft_exit_fail_msg("cocotest.skip_guard=0|1 is not on the command line\n");
	f = fopen("/sys/kernel/debug/efi_fake_unaccepted/zeropad", "w");
	if (!f)
		ksft_exit_fail_msg("no zeropad in debugfs: %s\n", strerror(errno));
	setvbuf(f, NULL, _IONBF, 0);
	if (fprintf(f, "%ld\n", skip) < 0)
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	ksft_test_result(!err, "accepted a unit %s and loaded across its end: %s\n",
			 skip ? "without its guard unit" : "with its guard unit",
			 err ? strerror(err) : "done");
	ksft_test_result(dmesg_line("efi: fake unaccepted: accepting ", rest, sizeof(rest)),
			 "the backend says what it did: %s\n", rest);
	ksft_finished();
}
