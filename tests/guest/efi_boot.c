// SPDX-License-Identifier: GPL-2.0
/*
 * efi_boot: the guest came up through the EFI stub, with the memory QEMU
 * was given, and the memory counters agree with each other.
 *
 * The expected RAM size comes from the kernel command line
 * (cocotest.mem_mib=N, set by scripts/boot.sh from its -m argument).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

/* Sum of "Node N MemTotal:" over all nodes, in kB. */
static long nodes_memtotal_kb(int *nr_nodes)
{
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	long sum = 0;
	char path[300];

	*nr_nodes = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int nid;

		if (sscanf(e->d_name, "node%d", &nid) != 1)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/node/%s/meminfo",
			 e->d_name);
		sum += meminfo_kb(path, "MemTotal");
		(*nr_nodes)++;
	}
	closedir(d);
	return sum;
}

int main(void)
{
	long mem_mib = cmdline_long("cocotest.mem_mib", -1);
	unsigned long long ram, ram_end;
	long memtotal = meminfo_kb("/proc/meminfo", "MemTotal");
	long nodesum;
	int nr_nodes;
	char buf[16] = "";

	iomem_system_ram(&ram, &ram_end);
	ksft_print_header();
	ksft_set_plan(5);

	ksft_test_result(access("/sys/firmware/efi/systab", R_OK) == 0,
			 "booted through EFI (/sys/firmware/efi/systab)\n");

	read_file("/sys/firmware/efi/fw_platform_size", buf, sizeof(buf));
	ksft_test_result(atoi(buf) == 64, "64-bit UEFI firmware (fw_platform_size=%d)\n",
			 atoi(buf));

	/*
	 * QEMU gives exactly mem_mib; the firmware keeps a little of it for
	 * itself (ACPI tables, runtime services), never more than 1/32.
	 */
	if (mem_mib <= 0) {
		ksft_test_result_fail("System RAM matches QEMU's -m (cocotest.mem_mib missing)\n");
	} else {
		uint64_t want = (uint64_t)mem_mib << 20;

		ksft_print_msg("System RAM %llu MiB, QEMU -m %ld MiB\n",
			       ram >> 20, mem_mib);
		ksft_test_result(ram <= want && ram >= want - want / 32,
				 "System RAM matches QEMU's -m\n");
	}

	/* KASAN alone takes an eighth for its shadow: allow a quarter. */
	ksft_test_result(memtotal > 0 && (unsigned long long)memtotal * 1024 <= ram &&
			 (unsigned long long)memtotal * 1024 >= ram - ram / 4,
			 "MemTotal (%ld kB) is within System RAM\n", memtotal);

	nodesum = nodes_memtotal_kb(&nr_nodes);
	ksft_test_result(nr_nodes > 0 && nodesum == memtotal,
			 "per-node MemTotal adds up to MemTotal (%d nodes, %ld kB)\n",
			 nr_nodes, nodesum);

	ksft_finished();
}
