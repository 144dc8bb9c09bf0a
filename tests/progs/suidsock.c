// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * suidsock - a set-user-ID program that becomes root all through
 * (setresuid(0, 0, 0), as many do at once), then makes one socket and
 * tells which network namespace it is in: "netns=INO".
 * After the setresuid, /proc shows real, effective and saved ids equal:
 * only the kernel's verdict at execve (AT_SECURE) still tells that the
 * program gained privileges.
 */
#include "progs.h"

int main(void)
{
	int fd;

	if (setresgid(0, 0, 0) || setresuid(0, 0, 0))
		fail("suidsock: not set-user-ID root: %s", strerror(errno));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("errno=%d (%s)\n", errno, strerror(errno));
		return 2;
	}
	printf("netns=%lu\n", sock_netns(fd));
	return 0;
}
