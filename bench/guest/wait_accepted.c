// SPDX-License-Identifier: GPL-2.0
/*
 * wait_accepted: keep the guest up until nothing is unaccepted, for the
 * benchmarks that time acceptance ahead of demand.  Polls /proc/meminfo every
 * 100 ms for up to cocotest.wait_s seconds (default 1800) and prints the time
 * since boot at which Unaccepted reached 0.  Informational (exit status 4),
 * or 1 if it never did: bench/accept-modes.sh reads the kernel's own log
 * line for the exact moment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cocotest.h"

static double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	double limit = boottime() + cmdline_long("cocotest.wait_s", 1800);
	long kb;

	while ((kb = meminfo_kb("/proc/meminfo", "Unaccepted")) > 0 && boottime() < limit)
		usleep(100000);
	if (kb != 0) {
		printf("# wait_accepted: still %ld kB unaccepted at %.1f s\n", kb, boottime());
		return 1;
	}
	printf("# wait_accepted: nothing unaccepted at %.1f s after boot\n", boottime());
	printf("1..0 # informational\n");
	return 4;
}
