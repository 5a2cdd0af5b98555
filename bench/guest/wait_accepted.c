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

static double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long cmdline_long(const char *key, long def)
{
	char buf[4096], *p;
	size_t n, klen = strlen(key);
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return def;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	for (p = strtok(buf, " \n"); p; p = strtok(NULL, " \n"))
		if (!strncmp(p, key, klen) && p[klen] == '=')
			def = strtol(p + klen + 1, NULL, 0);
	return def;
}

static long unaccepted_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Unaccepted: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int main(void)
{
	double limit = boottime() + cmdline_long("cocotest.wait_s", 1800);
	long kb;

	while ((kb = unaccepted_kb()) > 0 && boottime() < limit)
		usleep(100000);
	if (kb != 0) {
		printf("# wait_accepted: still %ld kB unaccepted at %.1f s\n", kb, boottime());
		return 1;
	}
	printf("# wait_accepted: nothing unaccepted at %.1f s after boot\n", boottime());
	printf("1..0 # informational\n");
	return 4;
}
