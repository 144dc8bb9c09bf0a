// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdfill - socket() with a full descriptor table
 *
 * Lowers RLIMIT_NOFILE to 16, fills the table with /dev/null, then calls
 * socket(AF_INET): prints "errno=24" (EMFILE) or "netns=INO".  Then frees
 * two slots and tries again: "then netns=INO".
 */
#include <sys/resource.h>

#include "progs.h"

int main(void)
{
	struct rlimit rl = { 16, 16 };
	int fd, last = -1;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		fail("setrlimit: %s", strerror(errno));
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		printf("errno=%d\n", errno);
	else
		printf("netns=%lu\n", sock_netns(fd));
	close(last);
	close(last - 1);	/* one for the socket, one for SIOCGSKNS */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	printf("then netns=%lu\n", fd < 0 ? 0 : sock_netns(fd));
	return 0;
}
