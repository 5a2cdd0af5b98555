// SPDX-License-Identifier: GPL-2.0
/*
 * limits: limits that the kernel sizes from free memory count unaccepted
 * memory as free.  Unaccepted memory is kept out of nr_free_pages, so that
 * allocation and reclaim decisions see only memory usable now; a limit sized
 * from nr_free_pages alone would shrink to almost nothing in a lazily
 * accepting guest (a 16 GiB guest's dirty threshold was 26387 pages against
 * 810110 eagerly).  Checked:
 * - nr_dirty_threshold in /proc/vmstat is dirty_ratio % of the dirtyable
 *   memory, free and unaccepted and file pages (less the kernel's reserves,
 *   about 1 % here: 10 % of slack is allowed);
 * - vm.user_reserve_kbytes and vm.admin_reserve_kbytes, sized at boot from
 *   free memory, are those of a guest whose memory is all free (at least a
 *   64th of MemTotal, capped at 128 MiB and 8 MiB).
 * It runs in every mode; lazily, it must run first, while most memory is
 * still unaccepted, for its result to mean anything.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kselftest.h"
#include "cocotest.h"

static long sysctl_long(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

int main(void)
{
	long threshold = sum_key("/proc/vmstat", "nr_dirty_threshold");
	long free_pages = sum_key("/proc/vmstat", "nr_free_pages");
	long unaccepted = sum_key("/proc/vmstat", "nr_unaccepted");
	long file = sum_key("/proc/vmstat", "nr_inactive_file") +
		    sum_key("/proc/vmstat", "nr_active_file");
	long ratio = sysctl_long("/proc/sys/vm/dirty_ratio");
	long total_kb = meminfo_kb("/proc/meminfo", "MemTotal");
	long user = sysctl_long("/proc/sys/vm/user_reserve_kbytes");
	long admin = sysctl_long("/proc/sys/vm/admin_reserve_kbytes");
	long expected, want_user, want_admin;

	ksft_print_header();
	ksft_set_plan(3);
	if (unaccepted < 0)
		unaccepted = 0;		/* a kernel without unaccepted memory */
	ksft_print_msg("nr_dirty_threshold %ld, nr_free_pages %ld, nr_unaccepted %ld, file %ld, dirty_ratio %ld\n",
		       threshold, free_pages, unaccepted, file, ratio);

	/* The kernel's figure without its reserves (global_dirtyable_memory()). */
	expected = (free_pages + unaccepted + file) * ratio / 100;
	ksft_test_result(threshold >= expected * 9 / 10 && threshold <= expected * 101 / 100,
			 "dirty threshold %ld pages, %ld expected from free, unaccepted and file pages\n",
			 threshold, expected);

	want_user = total_kb / 64 < 131072 ? total_kb / 64 : 131072;
	want_admin = total_kb / 64 < 8192 ? total_kb / 64 : 8192;
	ksft_test_result(user >= want_user,
			 "user_reserve_kbytes %ld, at least %ld\n", user, want_user);
	ksft_test_result(admin >= want_admin,
			 "admin_reserve_kbytes %ld, at least %ld\n", admin, want_admin);
	ksft_finished();
}
