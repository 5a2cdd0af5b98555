// SPDX-License-Identifier: GPL-2.0
/*
 * hibernate: a guest with an unaccepted memory table must refuse to
 * hibernate, saying why; a guest without one must offer it.
 *
 * The table lies in memory a hibernation image does not save, and a TDX or
 * SEV-SNP guest cannot carry its private memory through an image: so
 * /sys/power/state must not offer "disk" and writing it must fail with
 * EPERM and a message, while a guest booted without unaccepted memory (the
 * positive control: the kernel has hibernation) lists "disk".  Nothing is
 * hibernated: a refused write does nothing, and the control only reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest.h"
#include "cocotest.h"

int main(void)
{
	char state[256] = "";
	int table = dmesg_has("efi: unaccepted: table at");
	int offered, fd, err = 0;
	ssize_t n;

	ksft_print_header();
	ksft_set_plan(table ? 4 : 1);

	if (read_file("/sys/power/state", state, sizeof(state)) < 0)
		ksft_exit_fail_msg("cannot read /sys/power/state: %m\n");
	offered = strstr(state, "disk") != NULL;
	state[strcspn(state, "\n")] = '\0';
	ksft_print_msg("/sys/power/state: \"%s\"\n", state);
	if (!table) {
		ksft_test_result(offered,
				 "without unaccepted memory, hibernation is offered\n");
		ksft_finished();
	}
	ksft_test_result(!offered,
			 "with an unaccepted memory table, \"disk\" is not offered\n");

	/* Offered, a write would really try to hibernate: do not. */
	n = 0;
	if (!offered) {
		fd = open("/sys/power/state", O_WRONLY);
		if (fd < 0)
			ksft_exit_fail_msg("cannot open /sys/power/state: %m\n");
		n = write(fd, "disk", 4);
		if (n < 0)
			err = errno;
		close(fd);
	}
	ksft_test_result(n < 0 && err == EPERM,
			 "writing \"disk\" fails with EPERM (%zd, %s)\n", n,
			 strerror(err));
	ksft_test_result(dmesg_has("PM: hibernation: not available: this guest must accept its memory"),
			 "the kernel says why\n");
	/*
	 * User-space hibernation goes through /dev/snapshot (misc device
	 * 10:231, SNAPSHOT_MINOR), whose node this /dev may lack.
	 */
	if (access("/dev/snapshot", F_OK))
		mknod("/dev/snapshot", S_IFCHR | 0600, makedev(10, 231));
	fd = open("/dev/snapshot", O_RDONLY);
	err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	if (fd < 0 && (err == ENODEV || err == ENXIO))
		ksft_test_result_skip("no user-space snapshot device in this kernel (CONFIG_HIBERNATION_SNAPSHOT_DEV=n)\n");
	else
		ksft_test_result(fd < 0 && err == EPERM,
				 "/dev/snapshot cannot be opened (%s)\n",
				 fd < 0 ? strerror(err) : "opened");
	ksft_finished();
}
