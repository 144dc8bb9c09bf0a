// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spawnmany - N processes, each with a socket, alive at once
 *
 * spawnmany N SECS
 * Forks N children; each creates one socket and sleeps SECS.  The parent
 * prints "ready" once all have their socket, then waits for them.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n, i, p[2];
	double secs;
	char c;

	if (argc != 3 || pipe(p))
		return 2;
	n = atoi(argv[1]);
	secs = atof(argv[2]);
	for (i = 0; i < n; i++) {
		if (!fork()) {
			int fd = socket(AF_INET, SOCK_DGRAM, 0);

			close(p[0]);
			if (write(p[1], fd >= 0 ? "y" : "n", 1) != 1)
				_exit(1);
			usleep((useconds_t)(secs * 1e6));
			_exit(0);
		}
	}
	close(p[1]);
	for (i = 0; i < n; i++)
		if (read(p[0], &c, 1) != 1 || c != 'y')
			return 1;
	printf("ready\n");
	fflush(stdout);
	while (wait(NULL) > 0)
		;
	return 0;
}
