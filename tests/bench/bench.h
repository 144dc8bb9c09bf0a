/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * bench.h - what the benchmark programs share: a clock, an address, a
 * listening socket
 */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An IPv4 ADDR and PORT from the command line. */
static inline struct sockaddr_in bench_addr(const char *addr, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	inet_pton(AF_INET, addr, &sa.sin_addr);
	sa.sin_port = htons((uint16_t)atoi(port));
	return sa;
}

/* A TCP socket listening on @sa, or exit. */
static inline int bench_listen(const struct sockaddr_in *sa, const char *who)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (const struct sockaddr *)sa, sizeof(*sa)) || listen(l, 4096)) {
		perror(who);
		exit(1);
	}
	return l;
}

#endif /* BENCH_H */
