/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the guest test programs. */
#ifndef COCOTEST_H
#define COCOTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* Write @s to the file @path; 0 on success, else the errno. */
static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
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

/*
 * Top-level "System RAM" ranges of /proc/iomem: their total size and the
 * highest end, in bytes.  Returns -1 if /proc/iomem cannot be read.
 */
static inline int iomem_system_ram(unsigned long long *total, unsigned long long *end)
{
	FILE *f = fopen("/proc/iomem", "r");
	unsigned long long s, e;
	char line[256];

	*total = *end = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* Children are indented; only count top-level ranges. */
		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%llx-%llx", &s, &e) != 2)
			continue;
		*total += e - s + 1;
		if (e + 1 > *end)
			*end = e + 1;
	}
	fclose(f);
	return 0;
}

/* Value of "key N" in a file like /proc/vmstat, summed over all its lines. */
static inline long sum_key(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256], name[64];
	long v, sum = 0, found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %63s %ld", name, &v) == 2 && !strcmp(name, key)) {
			sum += v;
			found = 1;
		}
	}
	fclose(f);
	return found ? sum : -1;
}

/* A CPU list like "0-2,5" as a mask of CPUs 0-63; 0 if unreadable. */
static inline unsigned long long cpulist_mask(const char *list)
{
	unsigned long long mask = 0;
	const char *p = list;
	char *end;
	long a, b;

	while (*p && *p != '\n' && *p != ')') {
		a = strtol(p, &end, 10);
		if (end == p)
			break;
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && a < 64; a++)
			mask |= 1ULL << a;
		p = *end == ',' ? end + 1 : end;
	}
	return mask;
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

/* Like cmdline_long(), with the kernel's K/M/G suffixes (memparse()). */
static inline unsigned long long cmdline_size(const char *name)
{
	char buf[4096], *p, *end;
	size_t len = strlen(name);
	unsigned long long v;

	if (read_file("/proc/cmdline", buf, sizeof(buf)) < 0)
		return 0;
	for (p = strstr(buf, name); p; p = strstr(p + 1, name)) {
		if ((p == buf || p[-1] == ' ') && p[len] == '=') {
			v = strtoull(p + len + 1, &end, 0);
			switch (*end) {
			case 'G': case 'g': v <<= 10; /* fall through */
			case 'M': case 'm': v <<= 10; /* fall through */
			case 'K': case 'k': v <<= 10;
			}
			return v;
		}
	}
	return 0;
}

/* Does the kernel log (dmesg) contain @text? */
static inline int dmesg_has(const char *text)
{
	static char klog[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, klog, sizeof(klog) - 1);

	if (n < 0)
		return 0;
	klog[n] = '\0';
	return strstr(klog, text) != NULL;
}

/*
 * Copy the rest of the first kernel log line that contains @text, from just
 * after @text, into @rest; true if there is one.
 */
static inline int dmesg_line(const char *text, char *rest, size_t size)
{
	static char klog[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, klog, sizeof(klog) - 1);
	char *p, *e;

	if (n < 0)
		return 0;
	klog[n] = '\0';
	p = strstr(klog, text);
	if (!p)
		return 0;
	p += strlen(text);
	e = strchr(p, '\n');
	snprintf(rest, size, "%.*s", e ? (int)(e - p) : (int)strlen(p), p);
	return 1;
}

/* Poll the kernel log for up to @secs seconds for @text. */
static inline int dmesg_wait(const char *text, int secs)
{
	int i;

	for (i = 0; i < secs * 10; i++) {
		if (dmesg_has(text))
			return 1;
		usleep(100000);
	}
	return dmesg_has(text);
}

/* Write a pattern derived from @seed into the first 64 bytes of every page. */
static inline void fill_pattern(unsigned char *p, size_t len, unsigned char seed)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t i;

	for (i = 0; i + page <= len; i += page)
		memset(p + i, (unsigned char)(seed + i / page), 64);
}

/* Did every page keep what fill_pattern() wrote (both ends of it)? */
static inline int check_pattern(const unsigned char *p, size_t len, unsigned char seed)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t i;

	for (i = 0; i + page <= len; i += page)
		if (p[i] != (unsigned char)(seed + i / page) ||
		    p[i + 63] != (unsigned char)(seed + i / page))
			return 0;
	return 1;
}

/*
 * Map @len bytes of fresh anonymous memory, fill it with fill_pattern() and
 * read it back; true if every page kept what was written.
 */
static inline int touch_pattern(size_t len, unsigned char seed)
{
	unsigned char *p;
	int ok;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	fill_pattern(p, len, seed);
	ok = check_pattern(p, len, seed);
	munmap(p, len);
	return ok;
}

#endif
