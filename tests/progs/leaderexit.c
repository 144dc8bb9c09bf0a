// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leaderexit PATH SECONDS - the main thread makes PATH its default inet
 * stack (msocket, system call -5, SOCK_DEFAULT) and calls pthread_exit();
 * another thread waits SECONDS, then makes a socket and prints
 * "netns=INO".  The process lives on without its leader all the while.
 */
#include <pthread.h>

#include "progs.h"

static unsigned int delay;

static void *later(void *arg)
{
	int fd;

	(void)arg;
	sleep(delay);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		printf("errno=%d (%s)\n", errno, strerror(errno));
	else
		printf("netns=%lu\n", sock_netns(fd));
	fflush(stdout);
	exit(0);
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc != 3)
		fail("usage: leaderexit PATH SECONDS");
	delay = (unsigned int)atoi(argv[2]);
	if (syscall(-5, argv[1], AF_INET, 0, 0))
		fail("msocket %s: %s", argv[1], strerror(errno));
	if (pthread_create(&t, NULL, later, NULL))
		fail("pthread_create failed");
	pthread_exit(NULL);
}
