// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pingpong - TCP request/response latency
 *
 * pingpong server ADDR PORT        echo one byte per request, forever
 * pingpong client ADDR PORT SECS   one byte there and back in a loop;
 *                                  prints "rtts=N mean_us=X"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
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
	int one = 1, fd;
	char c = 'x';
	long n = 0;
	double t0, secs;

	if (argc < 4)
		return 2;
	inet_pton(AF_INET, argv[2], &sa.sin_addr);
	sa.sin_port = htons((uint16_t)atoi(argv[3]));
	if (!strcmp(argv[1], "server")) {
		int l = socket(AF_INET, SOCK_STREAM, 0);

		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 64)) {
			perror("pingpong server");
			return 1;
		}
		for (;;) {
			fd = accept(l, NULL, NULL);
			if (fd < 0)
				continue;
			if (!fork()) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				while (read(fd, &c, 1) == 1 && write(fd, &c, 1) == 1)
					;
				_exit(0);
			}
			close(fd);
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		}
	}
	secs = argc > 4 ? atof(argv[4]) : 1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("pingpong client");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t0 = now();
	while (now() - t0 < secs) {
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1) {
			perror("pingpong client");
			return 1;
		}
		n++;
	}
	printf("rtts=%ld mean_us=%.2f\n", n, (now() - t0) * 1e6 / (double)n);
	return 0;
}
