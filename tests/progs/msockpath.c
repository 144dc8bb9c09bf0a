// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * msockpath - one msocket() with a path taken verbatim from argv
 *
 * msockpath PATH [FAMILY]
 * Issues system call -5 (msocket) with PATH exactly as given: any bytes,
 * newlines, escape characters and ':' included (msock splits its
 * arguments at ':').  FAMILY is inet (the default), inet6, netlink,
 * packet; the type is SOCK_DGRAM.  Prints "netns=INO" for the socket, or
 * "errno=N (text)" and exits 2.
 */
#include "progs.h"

#define MSOCKET_NR	(-5)

int main(int argc, char **argv)
{
	int family = AF_INET;
	long fd;

	if (argc < 2)
		fail("usage: msockpath PATH [FAMILY]");
	if (argc > 2)
		family = parse_family(argv[2]);
	fd = syscall(MSOCKET_NR, argv[1], family, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("errno=%d (%s)\n", errno, strerror(errno));
		return 2;
	}
	printf("netns=%lu\n", sock_netns((int)fd));
	return 0;
}
