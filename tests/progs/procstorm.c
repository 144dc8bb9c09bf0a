// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procstorm - many short-lived processes forking, exec'ing, making sockets
 *
 * procstorm N EXPECTED_NS
 * Starts N children, 20 alive at a time.  Each execs "procstorm -c NS",
 * which creates 5 sockets and checks they are in NS, forks a child that
 * creates one more and exits, and exits.  Prints
 *   ok=N failed=N zombies=N sup_grew=0|1
 * (zombies: children of ours left unreaped, which must be 0; sup_grew:
 * whether the supervisor holds more descriptors after than before).
 */
#include <sys/wait.h>

#include "progs.h"

static int child(const char *ns_path)
{
	unsigned long expected = path_ino(ns_path);
	int i, fd, st;
	pid_t pid;

	for (i = 0; i < 5; i++) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || sock_netns(fd) != expected)
			return 1;
		close(fd);
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		fd = socket(AF_INET6, SOCK_STREAM, 0);
		_exit(fd >= 0 && sock_netns(fd) == expected ? 0 : 1);
	}
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : 1;
}

int main(int argc, char **argv)
{
	int n, started = 0, running = 0, ok = 0, failed = 0, st, sup, before = -1, after = -1;

	if (argc == 3 && !strcmp(argv[1], "-c"))
		return child(argv[2]);
	if (argc != 3)
		fail("usage: procstorm N EXPECTED_NS");
	n = atoi(argv[1]);
	sup = find_supervisor();
	close(socket(AF_INET, SOCK_DGRAM, 0));
	if (sup > 0)
		before = count_fds(sup);

	while (started < n || running) {
		if (started < n && running < 20) {
			pid_t pid = fork();

			if (pid < 0)
				fail("fork: %s", strerror(errno));
			if (!pid) {
				execl("/proc/self/exe", "procstorm", "-c", argv[2], (char *)NULL);
				_exit(127);
			}
			started++;
			running++;
			continue;
		}
		if (wait(&st) > 0) {
			running--;
			if (WIFEXITED(st) && !WEXITSTATUS(st))
				ok++;
			else
				failed++;
		}
	}
	if (sup > 0)
		after = count_fds(sup);
	/* a descriptor open for a moment when counted first is no leak */
	printf("ok=%d failed=%d zombies=%d sup_grew=%d\n", ok, failed,
	       waitpid(-1, &st, WNOHANG) > 0, after > before);
	return 0;
}
