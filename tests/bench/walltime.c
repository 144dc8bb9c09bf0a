// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * walltime - how long a whole command takes, and when its output begins
 *
 * walltime CMD...   runs CMD with its stdout on a pipe, reads and counts
 *                   that output, and prints "bytes=N first_ms=X ms=Y":
 *                   X from the fork to the first byte of CMD's output, Y to
 *                   CMD's exit (its set-up and tear-down included).
 *                   Exits with CMD's status.
 */
#include "bench.h"
#include <sys/wait.h>

int main(int argc, char **argv)
{
	double t0, first = -1, end;
	long bytes = 0;
	char buf[65536];
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (argc < 2 || pipe(p))
		return 2;
	t0 = now();
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		if (first < 0)
			first = now();
		bytes += n;
	}
	if (waitpid(pid, &status, 0) != pid)
		return 2;
	end = now();
	printf("bytes=%ld first_ms=%.2f ms=%.2f\n", bytes,
	       first < 0 ? -1 : (first - t0) * 1e3, (end - t0) * 1e3);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
