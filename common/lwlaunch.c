// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lwlaunch.c - start netsup-lwip and know when it serves its stack
 *
 * netsup's --user-net (a daemon that lives as long as the supervisor) and
 * netsup-stack add --lwip (one that outlives the tool, with --daemon)
 * start it the same way: the netsup-lwip beside the running executable
 * if there is one, else PATH's; a pipe passed as --ready-fd, on which it
 * writes one byte once it serves the stack file (as slirp4netns's
 * --ready-fd), and EOF without the byte if it died first (it said why);
 * clone(CLONE_PIDFD) (Linux 5.2) for a pidfd that cannot name a reused
 * pid, which the caller keeps to stop it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lwlaunch.h"
#include "util.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD	0x00001000
#endif

#define LWLAUNCH_ARGS	40

/**
 * lwlaunch_path() - the netsup-lwip to run
 * @buf:	receives the one beside our own executable if it exists,
 *		else the bare name (looked up in PATH)
 * @len:	size of @buf
 */
void lwlaunch_path(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && (size_t)(slash - self) + sizeof("/" LWLAUNCH_DAEMON) <= len) {
			memcpy(buf, self, (size_t)(slash - self));
			memcpy(buf + (slash - self), "/" LWLAUNCH_DAEMON, sizeof("/" LWLAUNCH_DAEMON));
			if (!access(buf, X_OK))
				return;
		}
	}
	snprintf(buf, len, "%s", LWLAUNCH_DAEMON);
}

/* The child: exec the daemon with @ready as its --ready-fd. */
static void __attribute__((noreturn)) lwlaunch_child(const struct lwlaunch *l,
						     char *const argv[], pid_t parent, int ready)
{
	sigset_t none;
	int null;

	/* ends when its parent thread does, however it does */
	if (l->bound && (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) || getppid() != parent))
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	fcntl(ready, F_SETFD, 0);	/* the daemon's alone: it writes there once serving */
	null = l->quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
	if (null >= 0)
		dup2(null, STDERR_FILENO);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: %s\n", l->who, argv[0], strerror(errno));
	_exit(127);
}

/* Its ready byte, or EOF, or its exit, or the end of @ms. */
static int lwlaunch_wait(int ready, int pidfd, int ms)
{
	struct pollfd pfd[2] = {
		{ .fd = ready, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
	};
	char byte;
	ssize_t n;
	int rc;

	do
		rc = poll(pfd, 2, ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0)
		return -ETIMEDOUT;
	if (rc < 0)
		return -errno;
	if (!pfd[0].revents)
		return -ECHILD;
	do
		n = read(ready, &byte, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -ECHILD;
}

/**
 * lwlaunch_start() - start netsup-lwip and wait until it serves
 * @l:		its options, and how
 * @pid:	receives its pid (with --daemon: the parent that exits)
 * @pidfd:	receives a pidfd on it, the caller's to close
 *
 * Return: 0 once it serves, -ECHILD if it exited first, -ETIMEDOUT,
 *	   -E2BIG (too many options), -errno; the child is the caller's
 *	   to stop or reap in every case but -errno from clone
 */
int lwlaunch_start(const struct lwlaunch *l, pid_t *pid, int *pidfd)
{
	char daemon[PATH_MAX], readyfd[16];
	cleanup_close int rd = -1, wr = -1;
	char *argv[LWLAUNCH_ARGS];
	pid_t parent = getpid();
	int ready[2], argc = 0;
	size_t i;
	long p;

	*pid = -1;
	*pidfd = -1;
	for (i = 0; l->argv[i]; i++)
		if (i + 4 > LWLAUNCH_ARGS)	/* the daemon, --ready-fd N, NULL */
			return -E2BIG;
	lwlaunch_path(daemon, sizeof(daemon));
	if (pipe2(ready, O_CLOEXEC))
		return -errno;
	rd = ready[0];
	wr = ready[1];
	snprintf(readyfd, sizeof(readyfd), "%d", wr);
	argv[argc++] = daemon;
	argv[argc++] = "--ready-fd";
	argv[argc++] = readyfd;
	for (i = 0; l->argv[i]; i++)
		argv[argc++] = (char *)l->argv[i];
	argv[argc] = NULL;
	fflush(NULL);
	p = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, pidfd, 0, 0);
	if (p < 0)
		return -errno;
	if (!p)
		lwlaunch_child(l, argv, parent, wr);
	*pid = (pid_t)p;
	close(steal_fd(&wr));	/* EOF on rd once the daemon has its own gone */
	return lwlaunch_wait(rd, *pidfd, l->ms);
}
