// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockbench - socket()+close() rate, from one or more threads
 *
 * sockbench FAMILY THREADS SECONDS
 * Every thread loops socket(FAMILY, SOCK_DGRAM)+close() for SECONDS.
 * Prints the aggregate rate: "ops=N ns_per_op=X rate=Y".
 */
#include <pthread.h>

#include "bench.h"

static int family;
static double seconds;
static volatile int go, stop;

static void *worker(void *arg)
{
	long *ops = arg;
	int fd;

	while (!go)
		;
	while (!stop) {
		fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			perror("socket");
			exit(1);
		}
		close(fd);
		(*ops)++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long *ops, total = 0;
	int threads, i;
	pthread_t *t;
	double t0, t1;

	if (argc != 4) {
		fprintf(stderr, "usage: sockbench inet|unix THREADS SECONDS\n");
		return 2;
	}
	family = strcmp(argv[1], "unix") ? (strcmp(argv[1], "inet6") ? AF_INET : AF_INET6) : AF_UNIX;
	threads = atoi(argv[2]);
	seconds = atof(argv[3]);
	t = calloc((size_t)threads, sizeof(*t));
	ops = calloc((size_t)threads * 16, sizeof(*ops));	/* a cache line each */
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, &ops[i * 16]);
	t0 = now();
	go = 1;
	usleep((useconds_t)(seconds * 1e6));
	stop = 1;
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += ops[i * 16];
	}
	t1 = now();
	printf("ops=%ld ns_per_op=%.0f rate=%.0f\n", total,
	       (t1 - t0) * 1e9 / (double)total, (double)total / (t1 - t0));
	free(t);
	free(ops);
	return 0;
}
