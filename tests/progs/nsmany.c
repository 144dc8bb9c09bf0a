// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsmany N - N processes, each in a user and network namespace of its
 * own (unshare(2), no privilege needed), each making its own namespace
 * its default inet stack with msocket(/proc/PID/ns/net, SOCK_DEFAULT).
 * A call refused with EAGAIN (too many of this user's lookups at once) is
 * tried again.  They hold their defaults until all have tried; prints
 * "ok=K emfile=E other=O".
 */

#include "progs.h"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0, i, ok = 0, emfile = 0, other = 0;
	int res[2], go[2];
	char path[64], c;
	pid_t *pids;

	if (n <= 0 || pipe(res) || pipe(go))
		fail("usage: nsmany N");
	pids = calloc((size_t)n, sizeof(*pids));
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			fail("fork: %s", strerror(errno));
		if (pids[i])
			continue;
		close(res[0]);
		close(go[1]);
		c = 'x';
		if (!unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
			snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)getpid());
			int tries = 0, rc;

			/* EAGAIN: too many lookups of this user at once */
			while ((rc = (int)syscall(-5, path, AF_INET, 0, 0)) && errno == EAGAIN &&
			       tries++ < 500)
				usleep(10000);
			if (!rc)
				c = 'o';
			else if (errno == EMFILE)
				c = 'm';
		}
		if (write(res[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(res[1]);
	close(go[0]);
	for (i = 0; i < n; i++) {
		if (read(res[0], &c, 1) != 1)
			fail("nsmany: a child died");
		ok += c == 'o';
		emfile += c == 'm';
		other += c == 'x';
	}
	close(go[1]);		/* all may go now */
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	printf("ok=%d emfile=%d other=%d\n", ok, emfile, other);
	free(pids);
	return 0;
}
