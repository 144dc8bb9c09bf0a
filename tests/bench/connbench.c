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
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct linger lg = { 1, 0 };
	int one = 1, fd;
	long n = 0;
	double t0, secs;

	if (argc < 4)
		return 2;
	inet_pton(AF_INET, argv[2], &sa.sin_addr);
	sa.sin_port = htons((uint16_t)atoi(argv[3]));
	if (!strcmp(argv[1], "server")) {
		int l = socket(AF_INET, SOCK_STREAM, 0);

		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4096)) {
			perror("connbench server");
			return 1;
		}
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
