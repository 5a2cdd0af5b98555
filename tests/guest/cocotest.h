/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the guest test programs. */
#ifndef COCOTEST_H
#define COCOTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read a whole (small) file into buf, NUL-terminated; returns bytes or -1. */
static inline long read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/* Value of "key: N kB" (or "Node X key: N kB") in a meminfo file, or -1. */
static inline long meminfo_kb(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256], *p;
	size_t len = strlen(key);
	long val = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line;
		if (!strncmp(p, "Node ", 5)) {		/* "Node 0 MemTotal: ..." */
			p = strchr(p + 5, ' ');
			if (!p)
				continue;
			p++;
		}
		if (!strncmp(p, key, len) && p[len] == ':') {
			val = strtol(p + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Value of "name=N" on the kernel command line, or def. */
static inline long cmdline_long(const char *name, long def)
{
	char buf[4096], *p;
	size_t len = strlen(name);

	if (read_file("/proc/cmdline", buf, sizeof(buf)) < 0)
		return def;
	for (p = strstr(buf, name); p; p = strstr(p + 1, name)) {
		if ((p == buf || p[-1] == ' ') && p[len] == '=')
			return strtol(p + len + 1, NULL, 0);
	}
	return def;
}

#endif
