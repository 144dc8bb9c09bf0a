// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathrace - rewrite msocket()'s path from another thread during the call
 *
 * pathrace GOOD BAD N
 * A thread flips a buffer between the paths GOOD and BAD (same length)
 * as fast as it can while the main thread calls msocket(buffer) N times.
 * Prints how many sockets landed in GOOD's namespace, in BAD's, elsewhere,
 * and how many calls failed with EACCES or with another error:
 *   good=N bad=N other=N eacces=N errors=N
 */
#include <pthread.h>

#include "progs.h"
#include <msocket.h>

static char buf[256];
static const char *paths[2];
static volatile int stop;

static void *flipper(void *arg)
{
	size_t len = strlen(paths[0]);
	unsigned long i = 0;

	(void)arg;
	while (!stop)
		memcpy(buf, paths[++i & 1], len);	/* byte by byte, torn */
	return NULL;
}

int main(int argc, char **argv)
{
	long good = 0, bad = 0, other = 0, eacces = 0, errs = 0;
	unsigned long ig, ib, ino;
	pthread_t t;
	int i, n, fd;

	if (argc != 4 || strlen(argv[1]) != strlen(argv[2]) ||
	    strlen(argv[1]) >= sizeof(buf))
		fail("usage: pathrace GOOD BAD N (paths of the same length)");
	paths[0] = argv[1];
	paths[1] = argv[2];
	ig = path_ino(argv[1]);
	ib = path_ino(argv[2]);
	n = atoi(argv[3]);
	strcpy(buf, paths[0]);
	pthread_create(&t, NULL, flipper, NULL);
	for (i = 0; i < n; i++) {
		fd = msocket(buf, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			if (errno == EACCES)
				eacces++;
			else
				errs++;
			continue;
		}
		ino = sock_netns(fd);
		if (ino == ig)
			good++;
		else if (ino == ib)
			bad++;
		else
			other++;
		close(fd);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("good=%ld bad=%ld other=%ld eacces=%ld errors=%ld\n", good, bad, other, eacces, errs);
	return 0;
}
