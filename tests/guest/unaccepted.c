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

/*
 * The end of the memory that ACPI's SRAT declares hot-pluggable (enabled
 * memory affinity entries with the hot-pluggable flag), or 0 if none: in
 * a guest whose hot-added memory arrives unaccepted the EFI stub covers it
 * with the table too.
 */
static unsigned long long srat_hotplug_end(void)
{
	static unsigned char srat[1 << 16];
	unsigned long long base, len, max = 0;
	uint32_t flags;
	long n, off;
	FILE *f = fopen("/sys/firmware/acpi/tables/SRAT", "r");

	if (!f)
		return 0;
	n = fread(srat, 1, sizeof(srat), f);
	fclose(f);
	/* The table header (36 bytes), then 12 reserved, then subtables. */
	for (off = 48; off + 2 <= n && srat[off + 1] >= 2 && off + srat[off + 1] <= n;
	     off += srat[off + 1]) {
		if (srat[off] != 1 || srat[off + 1] < 40)	/* memory affinity */
			continue;
		memcpy(&base, srat + off + 8, 8);
		memcpy(&len, srat + off + 16, 8);
		memcpy(&flags, srat + off + 28, 4);
		if ((flags & 3) == 3 && len && base + len > max)	/* enabled, hot-pluggable */
			max = base + len;
	}
	return max;
}

int main(void)
{
	static char log[1 << 20];
	unsigned long long boundary = cmdline_size("efi_fake_unaccepted");
	unsigned long long base = 0, units = 0, unit_kb = 0;
	long avail = meminfo_kb("/proc/meminfo", "MemAvailable");
	unsigned long long ram, end, hotplug_end = 0;
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
	 * at most 7 units past the unit that holds the end of RAM, or of
	 * the memory SRAT says may be hot-added, if the table covers that.
	 */
	if (strstr(log, "where memory may be hot-added arrive unaccepted")) {
		hotplug_end = srat_hotplug_end();
		ksft_print_msg("the table covers hot-pluggable memory, up to %#llx\n",
			       hotplug_end);
		if (hotplug_end > end)
			end = hotplug_end;
	}
	ksft_test_result(found && end > base &&
			 units <= (((end - base + UNIT - 1) / UNIT + 7) & ~7ULL) &&
			 (!hotplug_end || base + units * UNIT >= hotplug_end),
			 "the table describes no memory beyond the end of RAM%s\n",
			 hotplug_end ? ", and all of the hot-pluggable memory" : "");
	ksft_test_result(touch_pattern((size_t)avail * 1024 / 4 * 3, 1),
			 "memory can be used (%ld kB)\n", avail * 3 / 4);
	ksft_finished();
}
