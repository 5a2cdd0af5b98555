/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the memory hotplug tests: QEMU's monitor from inside the guest
 * (scripts/qmp-bridge.py, the scenario sets QMP=1), memory accounting as the
 * kernel reports it, memory blocks in sysfs, and /proc/kpageflags.
 */
#ifndef HOTPLUG_H
#define HOTPLUG_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>

#include "cocotest.h"

#define MEMORY_SYSFS "/sys/devices/system/memory"

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h and the
 * kernel-internal ones above 31, which the file reports too). */
#define KPF_OFFLINE		23
#define KPF_RESERVED		32
#define KPF_OWNER_PRIVATE	37	/* PG_owner_priv_1: vmemmap self-hosted */

static int qmp_fd = -1;
static char qmp_reply[8192];

/* Open the QMP line (/dev/ttyS2), raw; 0 or -1. */
static inline int qmp_open(void)
{
	struct termios t;

	qmp_fd = open("/dev/ttyS2", O_RDWR | O_NOCTTY);
	if (qmp_fd < 0 || tcgetattr(qmp_fd, &t))
		return -1;
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	return tcsetattr(qmp_fd, TCSANOW, &t);
}

/*
 * Send one QMP command (printf format, one line of JSON) and read QEMU's
 * answer into qmp_reply.  Returns 0 on a "return", -1 on an "error" or if no
 * answer came within 60 s.
 */
static inline int qmp(const char *fmt, ...)
{
	char cmd[1024];
	size_t n = 0;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(cmd, sizeof(cmd) - 1, fmt, ap);
	va_end(ap);
	if (len < 0 || len >= (int)sizeof(cmd) - 1)
		return -1;
	cmd[len++] = '\n';
	if (write(qmp_fd, cmd, len) != len)
		return -1;
	qmp_reply[0] = '\0';
	while (n < sizeof(qmp_reply) - 1) {
		struct pollfd p = { .fd = qmp_fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 60000) <= 0)
			return -1;
		r = read(qmp_fd, qmp_reply + n, 1);
		if (r <= 0)
			return -1;
		if (qmp_reply[n] == '\n')
			break;
		n += r;
	}
	qmp_reply[n] = '\0';
	return strncmp(qmp_reply, "{\"return\"", 9) ? -1 : 0;
}

/* An integer property of a QOM object (qom-get), or -1. */
static inline long long qom_get_int(const char *path, const char *prop)
{
	if (qmp("{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"%s\",\"property\":\"%s\"}}",
		path, prop))
		return -1;
	return strtoll(qmp_reply + strlen("{\"return\":"), NULL, 10);
}

/* Sum of "managed" over /proc/zoneinfo, in pages, or -1. */
static inline long managed_pages(void)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	long sum = 0, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " managed %ld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

static inline long memtotal_kb(void)
{
	return meminfo_kb("/proc/meminfo", "MemTotal");
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Size of a memory block (sysfs block_size_bytes, hex), or 0. */
static inline unsigned long long memory_block_bytes(void)
{
	char buf[64];

	if (read_file(MEMORY_SYSFS "/block_size_bytes", buf, sizeof(buf)) < 0)
		return 0;
	return strtoull(buf, NULL, 16);
}

/* Write @val to memoryN/state; 0 on success, else the errno. */
static inline int block_set_state(long nr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), MEMORY_SYSFS "/memory%ld/state", nr);
	return write_str(path, val);
}

/* Does memoryN exist, and is it online? */
static inline int block_exists(long nr)
{
	char path[128];

	snprintf(path, sizeof(path), MEMORY_SYSFS "/memory%ld", nr);
	return access(path, F_OK) == 0;
}

static inline int block_online(long nr)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), MEMORY_SYSFS "/memory%ld/state", nr);
	return read_file(path, buf, sizeof(buf)) > 0 && !strncmp(buf, "online", 6);
}

/*
 * The sum over the Movable zones of the /proc/zoneinfo field that @fmt
 * reads (" managed %ld"), in pages; -1 if zoneinfo cannot be read.
 */
static inline long movable_zoneinfo(const char *fmt)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256], zone[32];
	long sum = 0, v;
	int movable = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %*d, zone %31s", zone) == 1)
			movable = !strcmp(zone, "Movable");
		else if (movable && sscanf(line, fmt, &v) == 1)
			sum += v;
	}
	fclose(f);
	return sum;
}

/*
 * Unaccepted memory in the Movable zones, in kB: hot-added memory alone,
 * where it is onlined movable (memhp_default_state=online_movable) and no
 * boot memory is movable.  The global Unaccepted: also moves when the
 * allocator accepts boot memory ahead of demand meanwhile.
 */
static inline long movable_unaccepted_kb(void)
{
	return movable_zoneinfo(" nr_unaccepted %ld") * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Free (accepted) memory in the Movable zones, in kB. */
static inline long movable_free_kb(void)
{
	return movable_zoneinfo(" nr_free_pages %ld") * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Managed memory in the Movable zones, in kB. */
static inline long movable_managed_kb(void)
{
	return movable_zoneinfo(" managed %ld") * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * How much of a Movable zone the allocator may accept ahead of demand, in
 * kB: up to 64 MiB above the zone's high watermark (accept_ahead_target()
 * in mm/page_alloc.c), once an allocation finds the zone below that, in
 * whole 2 MiB blocks (one more than that at most).  Memory that arrives
 * unaccepted is all unaccepted but for what is in use and at most this
 * much free: accepted memory that nobody uses is no more than this.  (One
 * zone: the tests boot one node.)
 */
static inline long movable_accept_ahead_kb(void)
{
	return movable_zoneinfo(" high %ld") * (sysconf(_SC_PAGESIZE) / 1024) +
	       64 * 1024 + 2048;
}

/*
 * Use memory, @chunk bytes at a time (at most 1024 chunks), each chunk
 * filled with @seed's pattern and checked: until @limit bytes, or (@unacc
 * >= 0) until the Movable zones' unaccepted memory falls below @unacc kB;
 * then give it all back.  Returns the chunks that read back wrong; *@used
 * gets the bytes used.
 */
static inline int use_memory_chunks(size_t limit, long unacc, size_t chunk,
				    unsigned char seed, size_t *used)
{
	static char *chunks[1024];
	size_t len;
	int n, bad = 0;

	for (n = 0, len = 0; n < 1024 && len + chunk <= limit &&
	     (unacc < 0 || movable_unaccepted_kb() >= unacc); n++, len += chunk) {
		chunks[n] = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (chunks[n] == MAP_FAILED)
			break;
		fill_pattern((unsigned char *)chunks[n], chunk, seed);
		bad += !check_pattern((unsigned char *)chunks[n], chunk, seed);
	}
	*used = len;
	while (n--)
		munmap(chunks[n], chunk);
	return bad;
}

/* Flags of @pfn from /proc/kpageflags, or ~0 if they cannot be read. */
static inline uint64_t kpageflags(unsigned long pfn)
{
	static int fd = -1;
	uint64_t v;

	if (fd < 0)
		fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0 || pread(fd, &v, sizeof(v), pfn * sizeof(v)) != sizeof(v))
		return ~0ULL;
	return v;
}

/*
 * Count the pages of [pfn, pfn + nr) that have flag @bit set, and those that
 * could not be read.
 */
static inline unsigned long count_kpf(unsigned long pfn, unsigned long nr, int bit,
				      unsigned long *unreadable)
{
	unsigned long n = 0, i;
	uint64_t v;

	for (i = 0; i < nr; i++) {
		v = kpageflags(pfn + i);
		if (v == ~0ULL)
			(*unreadable)++;
		else if (v & (1ULL << bit))
			n++;
	}
	return n;
}

#endif
