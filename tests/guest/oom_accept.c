// SPDX-License-Identifier: GPL-2.0
/*
 * oom_accept: with lazily accepted memory, a process that allocates without
 * end is OOM-killed only after all unaccepted memory has been accepted; the
 * kernel survives; its report shows the unaccepted memory (none by then);
 * once nothing is left to accept, the allocator's hooks are turned off.
 *
 * Run it in a scenario with ALLOW_OOM=1 (the OOM report's stack trace is
 * expected) and efi_fake_unaccepted= on the command line.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

#define CHUNK (64UL << 20)

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Allocate and touch memory until the OOM killer stops us. */
static void hog(void)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *p;
	size_t i;

	write_file("/proc/self/oom_score_adj", "1000");
	for (;;) {
		p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(3);
		for (i = 0; i < CHUNK; i += page)
			p[i] = 1;
	}
}

int main(void)
{
	long before = meminfo_kb("/proc/meminfo", "Unaccepted");
	long after = -1;
	int status = 0, i, off = 0;
	pid_t pid;

	ksft_print_header();
	if (!cmdline_size("efi_fake_unaccepted"))
		ksft_exit_skip("needs emulated unaccepted memory (efi_fake_unaccepted=)\n");
	ksft_set_plan(5);
	ksft_print_msg("Unaccepted before: %ld kB\n", before);

	/* The test itself must survive the OOM killer. */
	write_file("/proc/self/oom_score_adj", "-1000");
	pid = fork();
	if (pid == 0)
		hog();
	waitpid(pid, &status, 0);
	ksft_test_result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
			 dmesg_has("Out of memory: Killed process"),
			 "the allocating process was OOM-killed (status %#x)\n", status);

	/* show_mem() in the OOM report counts unaccepted memory too. */
	ksft_test_result(dmesg_has(" unaccepted:0\n"),
			 "the OOM report shows unaccepted memory (none left)\n");

	/* Counters move in 2 MiB steps and are folded at once: no wait needed. */
	after = meminfo_kb("/proc/meminfo", "Unaccepted");
	ksft_test_result(before > 0 && after == 0,
			 "nothing was left unaccepted when it was killed (%ld -> %ld kB)\n",
			 before, after);

	/* The hooks are turned off by a work item, shortly after. */
	for (i = 0; i < 100 && !off; i++) {
		off = dmesg_has("all accepted, allocator hooks disabled");
		if (!off)
			usleep(100000);
	}
	ksft_test_result(off, "the allocator's hooks were turned off\n");
	pid = fork();
	if (pid == 0)
		_exit(touch_pattern(CHUNK, 1) ? 0 : 1);
	status = -1;
	waitpid(pid, &status, 0);
	ksft_test_result(pid > 0 && WIFEXITED(status) && !WEXITSTATUS(status),
			 "the kernel survives and a new process can use memory\n");
	ksft_finished();
}
