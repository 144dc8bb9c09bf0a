// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stopper SUP PATH N [forever] - attack the supervisor's helpers
 *
 * One thread calls msocket(PATH, AF_INET, SOCK_DGRAM) N times (system
 * call -5); the main thread scans /proc meanwhile for processes whose
 * parent is SUP (the helpers netsup starts to look paths up) and sends
 * each SIGSTOP.  Without "forever" every stopped one gets SIGCONT at
 * once (the attack is the stop itself); with it, the first one stays
 * stopped, and no further call is made once it is.
 * Prints "seen=S stopped=T refused=R ok=K failed=F" and, if some
 * msocket failed, "first_errno=NAME".
 */
#include <dirent.h>
#include <stdbool.h>
#include <pthread.h>
#include <signal.h>

#include "progs.h"

static const char *path;
static int calls, ok, failed, first_errno;
static volatile int done, stopped;
static bool forever;

static void *caller(void *arg)
{
	int i, fd;

	(void)arg;
	for (i = 0; i < calls && !(forever && stopped); i++) {
		fd = (int)syscall(-5, path, AF_INET, SOCK_DGRAM, 0);
		if (fd >= 0) {
			ok++;
			close(fd);
		} else {
			if (!failed++)
				first_errno = errno;
		}
	}
	done = 1;
	return NULL;
}

/* Parent pid of @pid, or -1. */
static int ppid_of(int pid)
{
	char p[64], buf[512], *s;
	int fd, pp = -1;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%d/stat", pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	s = strrchr(buf, ')');
	if (s && sscanf(s + 2, "%*c %d", &pp) != 1)
		pp = -1;
	return pp;
}

int main(int argc, char **argv)
{
	int sup, seen = 0, refused = 0, last = 0;
	pthread_t t;

	if (argc < 4)
		fail("usage: stopper SUP PATH N [forever]");
	sup = atoi(argv[1]);
	path = argv[2];
	calls = atoi(argv[3]);
	forever = argc > 4 && !strcmp(argv[4], "forever");
	if (pthread_create(&t, NULL, caller, NULL))
		fail("pthread_create failed");
	while (!done) {
		DIR *d = opendir("/proc");
		struct dirent *e;

		while (d && (e = readdir(d)) && !(forever && stopped)) {
			int pid = atoi(e->d_name);

			if (pid <= 0 || pid == last || ppid_of(pid) != sup)
				continue;
			last = pid;
			seen++;
			if (kill(pid, SIGSTOP)) {
				refused++;
				continue;
			}
			stopped++;
			if (!forever)
				kill(pid, SIGCONT);
		}
		if (d)
			closedir(d);
	}
	pthread_join(t, NULL);
	printf("seen=%d stopped=%d refused=%d ok=%d failed=%d\n", seen, stopped,
	       refused, ok, failed);
	if (failed)
		printf("first_errno=%s\n", first_errno == EIO ? "EIO" : strerror(first_errno));
	return 0;
}
