// SPDX-License-Identifier: GPL-2.0
/*
 * eager_numa: accept_memory=eager on a guest with several NUMA nodes
 * accepts every node at the same time, each on its own CPUs.
 *
 * The kernel logs, per node,
 *   unaccepted memory: node N: accepted M MiB in T ms, K threads
 *     (A-B ms after boot, on CPUs L)
 * (on one line).  Checked: every node with memory reported; each node's
 * CPUs are the node's own (/sys/devices/system/node/nodeN/cpulist); and
 * the nodes' intervals [A, B) overlap, so they ran at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "cocotest.h"

#define MAX_NODES 8

struct node_report {
	long mib, ms, threads, from, to;
	unsigned long long cpus;	/* CPUs 0-63 that ran a part */
};

int main(void)
{
	struct node_report r[MAX_NODES];
	char key[64], rest[256], path[96], list[256];
	long overlap_from = 0, overlap_to = 0x7fffffff;
	int nid, nodes = 0, ok;

	ksft_print_header();
	if (!cmdline_size("efi_fake_unaccepted"))
		ksft_exit_skip("needs emulated unaccepted memory (efi_fake_unaccepted=)\n");
	/* Nodes 0, 1, ... each with CPUs (a node without is not checked). */
	for (nid = 0; nid < MAX_NODES; nid++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", nid);
		if (read_file(path, list, sizeof(list)) < 0 || !cpulist_mask(list))
			break;
	}
	nodes = nid;
	if (nodes < 2)
		ksft_exit_skip("needs a guest with two NUMA nodes with CPUs or more\n");
	ksft_set_plan(2 * nodes + 1);

	for (nid = 0; nid < nodes; nid++) {
		char *cpus = NULL;

		memset(&r[nid], 0, sizeof(r[nid]));
		snprintf(key, sizeof(key), "unaccepted memory: node %d: accepted ", nid);
		ok = dmesg_line(key, rest, sizeof(rest)) &&
		     sscanf(rest, "%ld MiB in %ld ms, %ld threads (%ld-%ld ms after boot",
			    &r[nid].mib, &r[nid].ms, &r[nid].threads,
			    &r[nid].from, &r[nid].to) == 5 &&
		     (cpus = strstr(rest, "on CPUs "));
		if (ok)
			r[nid].cpus = cpulist_mask(cpus + strlen("on CPUs "));
		ksft_test_result(ok && r[nid].mib > 0,
				 "node %d accepted %ld MiB in %ld ms, from %ld to %ld ms after boot\n",
				 nid, r[nid].mib, r[nid].ms, r[nid].from, r[nid].to);

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", nid);
		read_file(path, list, sizeof(list));
		ksft_test_result(ok && r[nid].cpus &&
				 !(r[nid].cpus & ~cpulist_mask(list)),
				 "node %d was accepted on its own CPUs (%#llx, node's %s)\n",
				 nid, r[nid].cpus, strtok(list, "\n"));
		if (r[nid].from > overlap_from)
			overlap_from = r[nid].from;
		if (r[nid].to < overlap_to)
			overlap_to = r[nid].to;
	}
	ksft_test_result(overlap_from < overlap_to,
			 "the nodes were accepted at the same time (all between %ld and %ld ms)\n",
			 overlap_from, overlap_to);
	ksft_finished();
}
