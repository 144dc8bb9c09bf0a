// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pingpong - TCP request/response latency
 *
 * pingpong server ADDR PORT        echo one byte per request, forever
 * pingpong client ADDR PORT SECS   one byte there and back in a loop;
 *                                  prints "rtts=N mean_us=X"
 */
#include "bench.h"
#include <netinet/tcp.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int one = 1, fd;
	char c = 'x';
	long n = 0;
	double t0, secs;

	if (argc < 4)
		return 2;
	sa = bench_addr(argv[2], argv[3]);
	if (!strcmp(argv[1], "server")) {
		int l = bench_listen(&sa, "pingpong server");

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
