// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockns - create one socket and tell which network namespace it is in
 *
 * sockns FAMILY [TYPE [PROTOCOL]]
 * Prints the inode of the socket's namespace and its fcntl flags:
 *   netns=4026532281 nonblock=0 cloexec=1
 * TYPE is a number or stream, dgram, raw, with +nonblock, +cloexec.
 * Exits 2 with "errno=N (text)" if socket() fails.
 */
#include "progs.h"

static int parse_type(const char *s)
{
	int type = 0;

	if (!strncmp(s, "stream", 6)) type = SOCK_STREAM;
	else if (!strncmp(s, "dgram", 5)) type = SOCK_DGRAM;
	else if (!strncmp(s, "raw", 3)) type = SOCK_RAW;
	else type = atoi(s);
	if (strstr(s, "+nonblock")) type |= SOCK_NONBLOCK;
	if (strstr(s, "+cloexec")) type |= SOCK_CLOEXEC;
	return type;
}

int main(int argc, char **argv)
{
	int family, type = SOCK_DGRAM, proto = 0, fd;

	if (argc < 2)
		fail("usage: sockns FAMILY [TYPE [PROTOCOL]]");
	family = parse_family(argv[1]);
	if (argc > 2)
		type = parse_type(argv[2]);
	if (argc > 3)
		proto = atoi(argv[3]);
	fd = socket(family, type, proto);
	if (fd < 0) {
		printf("errno=%d (%s)\n", errno, strerror(errno));
		return 2;
	}
	printf("netns=%lu nonblock=%d cloexec=%d\n", sock_netns(fd),
	       !!(fcntl(fd, F_GETFL) & O_NONBLOCK),
	       !!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	return 0;
}
