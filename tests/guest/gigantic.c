// SPDX-License-Identifier: GPL-2.0
/*
 * gigantic: a 1 GiB huge page can be allocated at run time, which goes
 * through alloc_contig_range() and page isolation.  Run it first thing in a
 * lazily accepting guest: then no whole gigabyte of free memory is accepted
 * yet, so the allocation succeeds only if page isolation accepts the
 * unaccepted blocks of the range it picked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "cocotest.h"

#define NR "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"

static int set_nr(long nr)
{
	FILE *f = fopen(NR, "w");
	int ok;

	if (!f)
		return 0;
	ok = fprintf(f, "%ld\n", nr) > 0;
	return fclose(f) == 0 && ok;
}

static long get_nr(void)
{
	char buf[32];

	if (read_file(NR, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

int main(void)
{
	long before = meminfo_kb("/proc/meminfo", "Unaccepted"), after;
	int lazy = cmdline_size("efi_fake_unaccepted") && before > (1L << 20);

	ksft_print_header();
	if (get_nr() < 0)
		ksft_exit_skip("no 1 GiB huge pages (CONFIG_HUGETLBFS, pdpe1gb)\n");
	ksft_set_plan(3);

	set_nr(1);
	after = meminfo_kb("/proc/meminfo", "Unaccepted");
	ksft_print_msg("Unaccepted: %ld -> %ld kB\n", before, after);
	ksft_test_result(get_nr() == 1, "a 1 GiB page was allocated at run time\n");
	if (lazy)
		ksft_test_result(before - after >= 256 * 1024,
				 "page isolation accepted the blocks it needed\n");
	else
		ksft_test_result_skip("no lazily accepted memory to isolate\n");
	ksft_test_result(set_nr(0) && get_nr() == 0, "and freed again\n");
	ksft_finished();
}
