// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * clonep [newnet] - clone(CLONE_PARENT): the new process is a sibling,
 * whose parent is our parent; with "newnet", clone(CLONE_NEWNET) instead:
 * a child in a network namespace of its own.  It makes one socket and
 * prints "sibling netns=INO"; if the clone fails, "clone errno=NAME".
 * We wait for the sibling's line through a pipe (we cannot wait(2) for a
 * process that is not our child).
 */

#include "progs.h"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	unsigned long flags = argc > 1 && !strcmp(argv[1], "newnet") ?
			      CLONE_NEWNET | SIGCHLD : CLONE_PARENT;
	char line[128];
	int p[2], fd;
	ssize_t n;
	long pid;

	if (pipe(p))
		fail("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = syscall(SYS_clone, flags, 0, NULL, NULL, 0);
	if (pid < 0) {
		printf("clone errno=%s\n", errno == EPERM ? "EPERM" : strerror(errno));
		return 0;
	}
	if (!pid) {
		close(p[0]);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0)
			n = snprintf(line, sizeof(line), "sibling errno=%d\n", errno);
		else
			n = snprintf(line, sizeof(line), "sibling netns=%lu\n", sock_netns(fd));
		if (write(p[1], line, (size_t)n) != n)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], line, sizeof(line) - 1);
	if (n <= 0)
		fail("clonep: no word from the sibling");
	line[n] = '\0';
	fputs(line, stdout);
	if (flags & CLONE_NEWNET)
		waitpid((pid_t)pid, NULL, 0);
	return 0;
}
