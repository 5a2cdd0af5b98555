// SPDX-License-Identifier: GPL-2.0
/*
 * unaccepted: with efi_fake_unaccepted=<boundary> on the command line, the
 * kernel found an unaccepted memory table that matches the emulation, and
 * all memory can be used; without it, there is no table.
 *
 * Any double accept, or memory used before it was accepted, makes the
 * emulation WARN, which fails the boot in the host-side log check.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define UNIT (2ULL << 20)

/*
 * The end of the RAM in the firmware's memory map (/sys/firmware/memmap),
 * which the table describes: mem= shortens the kernel's map (/proc/iomem)
 * but not the table.  0 if there is no such map.
 */
static unsigned long long firmware_ram_end(void)
{
	unsigned long long start, end, max = 0;
	char path[64], type[32];
	FILE *f;
	int i;

	for (i = 0; ; i++) {
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%d/type", i);
		f = fopen(path, "r");
		if (!f)
			break;
		if (!fgets(type, sizeof(type), f))
			type[0] = '\0';
		fclose(f);
		if (strncmp(type, "System RAM", 10))
			continue;
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%d/start", i);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%llx", &start) != 1)
			start = 0;
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "/sys/firmware/memmap/%d/end", i);
		f = fopen(path, "r");
		if (f && fscanf(f, "%llx", &end) == 1 && end + 1 > max)
			max = end + 1;
		if (f)
			fclose(f);
	}
	return max;
}

int main(void)
{
	static char log[1 << 20];
	unsigned long long boundary = cmdline_size("efi_fake_unaccepted");
	unsigned long long base = 0, units = 0, unit_kb = 0;
	long avail = meminfo_kb("/proc/meminfo", "MemAvailable");
	unsigned long long ram, end;
	char *p;
	int n, found = 0;

	iomem_system_ram(&ram, &end);
	if (firmware_ram_end())
		end = firmware_ram_end();
	ksft_print_header();
	ksft_set_plan(boundary ? 4 : 2);

	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	log[n > 0 ? n : 0] = '\0';
	p = strstr(log, "efi: unaccepted: table at ");
	if (p && sscanf(strchr(p, ':') + 1, " unaccepted: table at %*x: %llu units of %llu KiB from %llx",
			&units, &unit_kb, &base) == 3)
		found = 1;

	if (!boundary) {
		ksft_test_result(!p, "no unaccepted memory table without the emulation\n");
		ksft_test_result(touch_pattern((size_t)avail * 1024 / 4 * 3, 1),
				 "memory can be used (%ld kB)\n", avail * 3 / 4);
		ksft_finished();
	}

	ksft_print_msg("boundary %#llx; table: %llu units of %llu KiB from %#llx; RAM ends at %#llx (firmware's map)\n",
		       boundary, units, unit_kb, base, end);
	ksft_test_result(found && units > 0 && unit_kb == 2048,
			 "the kernel found the unaccepted memory table\n");
	ksft_test_result(found && base >= (boundary & ~(UNIT - 1)),
			 "the table starts at the emulation boundary or above\n");
	/*
	 * The stub sizes the bitmap in whole bytes, counted from its base:
	 * at most 7 units past the unit that holds the end of RAM.
	 */
	ksft_test_result(found && end > base &&
			 units <= (((end - base + UNIT - 1) / UNIT + 7) & ~7ULL),
			 "the table describes no memory beyond the end of RAM\n");
	ksft_test_result(touch_pattern((size_t)avail * 1024 / 4 * 3, 1),
			 "memory can be used (%ld kB)\n", avail * 3 / 4);
	ksft_finished();
}
