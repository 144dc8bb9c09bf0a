// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connectcost - the time of one TCP connect(), and of nothing else
 *
 * connectcost ADDR PORT SECS   socket(), SO_LINGER 0, then connect()
 *                              timed alone, then close(), in a loop;
 *                              prints "connects=N ns_per_connect=X"
 *
 * Under netsup the socket() (and, in a session that can use userspace
 * stacks, the setsockopt()) cost a notification each: they are left out
 * of the clock, so that the figure is what connect() itself costs: native,
 * one CONTINUE round trip for a kernel fd in a userspace-enabled session,
 * or a request to the stack daemon for a userspace socket.  The server
 * is connbench's (accept and close); SO_LINGER 0 closes with a RST, so
 * that no TIME_WAIT piles up.
 */
#include "bench.h"

int main(int argc, char **argv)
{
	struct linger lg = { 1, 0 };
	struct sockaddr_in sa;
	double t0, t, spent = 0, secs;
	long n = 0;
	int fd;

	if (argc < 4)
		return 2;
	sa = bench_addr(argv[1], argv[2]);
	secs = atof(argv[3]);
	t0 = now();
	while (now() - t0 < secs) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg))) {
			perror("connectcost: socket");
			return 1;
		}
		t = now();
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			perror("connectcost: connect");
			return 1;
		}
		spent += now() - t;
		close(fd);
		n++;
	}
	printf("connects=%ld ns_per_connect=%.0f\n", n, n ? spent * 1e9 / (double)n : 0);
	return 0;
}
