// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connbench - TCP connect+accept+close rate
 *
 * connbench server ADDR PORT        accept and close, forever
 * connbench client ADDR PORT SECS   connect+close in a loop; prints
 *                                   "conns=N rate=R"
 * The client closes with SO_LINGER 0 (RST), so that no TIME_WAIT piles
 * up and the rate measures socket, connect, accept and close only.
 */
#include "bench.h"

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct linger lg = { 1, 0 };
	int fd;
	long n = 0;
	double t0, secs;

	if (argc < 4)
		return 2;
	sa = bench_addr(argv[2], argv[3]);
	if (!strcmp(argv[1], "server")) {
		int l = bench_listen(&sa, "connbench server");

		for (;;) {
			fd = accept(l, NULL, NULL);
			if (fd >= 0)
				close(fd);
		}
	}
	secs = argc > 4 ? atof(argv[4]) : 1;
	t0 = now();
	while (now() - t0 < secs) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			perror("connbench client");
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		n++;
	}
	printf("conns=%ld rate=%.0f\n", n, (double)n / (now() - t0));
	return 0;
}
