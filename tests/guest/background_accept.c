// SPDX-License-Identifier: GPL-2.0
/*
 * background_accept: accept_memory=background accepts all memory ahead of
 * demand, by itself, and gets out of the way.
 *
 * At init, memory is still unaccepted and every node that has some has its
 * worker, kacceptdN, running SCHED_IDLE on the node's CPUs.  Then:
 * - without cocotest.bg_workload: nothing else runs; Unaccepted must reach 0
 *   by the workers alone;
 * - with cocotest.bg_workload=1: four threads allocate, fill and check fresh
 *   memory over and over, holding up to 1 GiB between them, for 20 s or
 *   until all is accepted, so that allocations accept on demand beside the
 *   workers; every page must keep what was written.  (A double accept, or memory used before it was
 *   accepted, makes the emulation WARN, which fails the host-side log check.)
 * Either way, once nothing is unaccepted: the counters agree, the kernel
 * reports what each worker accepted, and the allocator's hooks (the static
 * key) are turned off.
 */
#include <dirent.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define THREADS 4
#define CHUNK (64UL << 20)
#define HELD 4			/* chunks each thread holds at most: 1 GiB in all */
#define SCHED_IDLE_POLICY 5
#define MAX_NODES 8

static volatile int stop;

struct worker {
	unsigned long rounds;
	int ok;
};

static void *workload(void *arg)
{
	struct worker *w = arg;
	unsigned char *held[HELD] = { 0 };
	unsigned long i;

	w->ok = 1;
	for (i = 0; !stop; i++) {
		unsigned char **slot = &held[i % HELD];
		unsigned char seed = (unsigned char)(i * 7 + (uintptr_t)w);

		if (*slot)
			munmap(*slot, CHUNK);
		*slot = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (*slot == MAP_FAILED) {
			*slot = NULL;
			w->ok = 0;
			break;
		}
		fill_pattern(*slot, CHUNK, seed);
		if (!check_pattern(*slot, CHUNK, seed)) {
			w->ok = 0;
			break;
		}
		w->rounds++;
	}
	for (i = 0; i < HELD; i++)
		if (held[i])
			munmap(held[i], CHUNK);
	return NULL;
}

/* Find the kernel thread called @comm; its PID, or 0. */
static int find_thread(const char *comm)
{
	char path[300], name[64];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int pid = 0;

	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		if (read_file(path, name, sizeof(name)) > 0) {
			name[strcspn(name, "\n")] = 0;
			if (!strcmp(name, comm)) {
				pid = atoi(d->d_name);
				break;
			}
		}
	}
	if (dir)
		closedir(dir);
	return pid;
}

/* Field 41 of /proc/PID/stat: the scheduling policy. */
static int thread_policy(int pid)
{
	char path[64], buf[1024], *p;
	int field, policy = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');		/* comm may hold spaces */
	for (field = 2; p && field < 41; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%d", &policy);
	return policy;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until nothing is unaccepted, up to @secs; the last figure seen. */
static long wait_zero(double secs)
{
	double end = now() + secs;
	long kb;

	while ((kb = meminfo_kb("/proc/meminfo", "Unaccepted")) > 0 && now() < end)
		usleep(100000);
	return kb;
}

/* Is the worker of node @nid SCHED_IDLE on exactly the node's CPUs? */
static int worker_ok(int nid, int pid, char *cpus, char *node_cpus, size_t size)
{
	char path[64], status[4096], *p;

	cpus[0] = node_cpus[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (pid > 0 && read_file(path, status, sizeof(status)) > 0) {
		p = strstr(status, "Cpus_allowed_list:");
		if (p)
			sscanf(p + strlen("Cpus_allowed_list:"), "%63s", cpus);
	}
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", nid);
	read_file(path, node_cpus, size);
	node_cpus[strcspn(node_cpus, "\n")] = 0;
	return pid > 0 && thread_policy(pid) == SCHED_IDLE_POLICY &&
	       cpus[0] && !strcmp(cpus, node_cpus);
}

int main(void)
{
	int with_workload = cmdline_long("cocotest.bg_workload", 0);
	long start_kb = meminfo_kb("/proc/meminfo", "Unaccepted"), kb;
	long node_kb[MAX_NODES] = { 0 };
	char rest[256], cpus[64], node_cpus[64], path[96], text[64];
	struct worker w[THREADS] = { 0 };
	pthread_t tids[THREADS];
	int pid[MAX_NODES] = { 0 }, nodes = 0, nid, i, ok = 1;
	unsigned long rounds = 0;

	/* The nodes that have memory still to accept at init. */
	for (nid = 0; nid < MAX_NODES; nid++) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", nid);
		node_kb[nid] = meminfo_kb(path, "Unaccepted");
		if (node_kb[nid] > 0) {
			snprintf(text, sizeof(text), "kacceptd%d", nid);
			pid[nid] = find_thread(text);
			nodes++;
		}
	}

	ksft_print_header();
	ksft_set_plan(4 + 4 * nodes + !!with_workload);

	ksft_test_result(dmesg_has("unaccepted memory: accepted in the background, allocator hooks enabled"),
			 "the kernel accepts in the background\n");
	ksft_test_result(start_kb > 0 && nodes > 0,
			 "at init %ld kB on %d node(s) are still unaccepted\n", start_kb, nodes);
	for (nid = 0; nid < MAX_NODES; nid++) {
		if (node_kb[nid] <= 0)
			continue;
		ksft_test_result(pid[nid] > 0, "node %d (%ld kB unaccepted) has its worker, kacceptd%d (pid %d)\n",
				 nid, node_kb[nid], nid, pid[nid]);
		/* It yields to every runnable task, on its node's CPUs. */
		ksft_test_result(worker_ok(nid, pid[nid], cpus, node_cpus, sizeof(node_cpus)),
				 "kacceptd%d is SCHED_IDLE on node %d's CPUs (%s, node %s)\n",
				 nid, nid, cpus, node_cpus);
	}

	if (with_workload) {
		for (i = 0; i < THREADS; i++)
			pthread_create(&tids[i], NULL, workload, &w[i]);
		/* Beside the workers for 20 s, or until they are done. */
		kb = wait_zero(20);
		stop = 1;
		for (i = 0; i < THREADS; i++) {
			pthread_join(tids[i], NULL);
			ok &= w[i].ok;
			rounds += w[i].rounds;
		}
		ksft_test_result(ok && rounds >= THREADS,
				 "%d threads filled and checked %lu chunks of 64 MiB of fresh memory beside the workers (unaccepted %ld -> %ld kB)\n",
				 THREADS, rounds, start_kb, kb);
	}
	kb = wait_zero(600);
	ksft_test_result(kb == 0, "nothing is left unaccepted (%ld kB)\n", kb);
	for (nid = 0; nid < MAX_NODES; nid++) {
		long mib = 0, ms = -1;

		if (node_kb[nid] <= 0)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", nid);
		ksft_test_result(meminfo_kb(path, "Unaccepted") == 0,
				 "node %d's meminfo agrees\n", nid);
		/*
		 * The count reaches 0 when the last block is freed, before its
		 * worker, SCHED_IDLE and preempted by this test as it wakes,
		 * gets back to print its report: wait for the line.
		 */
		snprintf(text, sizeof(text), "unaccepted memory: node %d: accepted ", nid);
		if (dmesg_wait(text, 10) && dmesg_line(text, rest, sizeof(rest)))
			sscanf(rest, "%ld MiB in the background in %ld ms", &mib, &ms);
		/* Alone, a worker accepts all that was left at init, or more. */
		ksft_test_result(mib > 0 && ms >= 0 &&
				 (with_workload || mib * 1024 >= node_kb[nid]),
				 "kacceptd%d reported %ld MiB accepted in %ld ms\n", nid, mib, ms);
	}
	ksft_test_result(dmesg_wait("all accepted, allocator hooks disabled", 10),
			 "the allocator's hooks were turned off\n");
	ksft_finished();
}
