// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * forkchain - a chain of fork+exec, each level checking its socket's stack
 *
 * forkchain DEPTH FAMILY EXPECTED_NS
 * Each level creates a socket, checks it is in EXPECTED_NS, then forks a
 * child that execs forkchain DEPTH-1, and waits for it.  Prints one line
 * per level ("level N ok") and exits 0 only if every level was right.
 */
#include <sys/wait.h>

#include "progs.h"

int main(int argc, char **argv)
{
	unsigned long expected;
	int depth, family, fd, st;
	char next[16];
	pid_t pid;

	if (argc != 4)
		fail("usage: forkchain DEPTH FAMILY EXPECTED_NS");
	depth = atoi(argv[1]);
	family = parse_family(argv[2]);
	expected = path_ino(argv[3]);

	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0 || sock_netns(fd) != expected)
		fail("level %d: socket in the wrong stack", depth);
	close(fd);
	printf("level %d ok\n", depth);
	fflush(stdout);
	if (depth <= 1)
		return 0;

	snprintf(next, sizeof(next), "%d", depth - 1);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		execl("/proc/self/exe", argv[0], next, argv[2], argv[3], (char *)NULL);
		fail("exec: %s", strerror(errno));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	return 0;
}
