// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-user-add.c - add of a normal user's namespace stack: its
 * holder process, its name and its record
 *
 *   netsup-stack add NAME       without privilege: a namespace kept by a
 *                               holder process, named DIR/NAME
 *
 * add of a bare NAME, when the caller cannot mount (netsup-stack-user.c),
 * forks a holder: a process that makes the namespace with unshare(2),
 * brings lo up in it, tells add it is ready over a pipe, and then only
 * waits for a signal (SIGTERM or SIGKILL end it; the signals a terminal
 * sends are ignored; it holds no descriptor of add's, so that whoever
 * reads add's output sees end-of-file).  Its namespace is made:
 *
 *   - with unshare(CLONE_NEWNET) when the caller may (inside unshare -Urn,
 *     podman's or rootlesskit's user namespaces): a namespace of the
 *     caller's own user namespace;
 *   - else (a normal user in the initial user namespace) in the user
 *     namespace that owns the namespace of another live holder of the same
 *     directory, joined with setns(CLONE_NEWUSER), so that all of a user's
 *     stacks share one user namespace and one netsup can use them together;
 *   - else with unshare(CLONE_NEWUSER | CLONE_NEWNET) (Linux 3.8), the
 *     user mapped to root in it (uid_map "0 EUID 1", setgroups "deny",
 *     gid_map "0 EGID 1"), as unshare -Urn maps it: a program run in the
 *     stack by netsup then has CAP_NET_ADMIN over it and can configure it.
 *
 * The name is DIR/NAME (stackuser_target()), a symbolic link to
 * /proc/PID/ns/net, made with symlink(2), which fails if the name exists
 * (two adds of one NAME cannot both win); then DIR/.NAME.holder records
 * "PID START" (written to a temporary file and renamed).  A holder is
 * add's child until add exits, so its pid cannot be reused before the
 * record is written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "../stack.h"
#include "../userstack.h"
#include "../../common/util.h"

/**
 * stackuser_write() - write a short text to a /proc file
 * @path:	the file
 * @text:	what to write
 *
 * Return: 0 or -errno
 */
static int stackuser_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;
	size_t len = strlen(text);

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		rc = -errno;
	close(fd);
	return rc;
}

/**
 * stackuser_holder_make() - in the holder: a new network namespace, lo up
 * @dir:	the per-user directory (its other holders)
 *
 * Return: 0 or -errno
 */
static int stackuser_holder_make(const char *dir)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int rc;

	if (unshare(CLONE_NEWNET)) {
		if (errno != EPERM)
			return -errno;
		if (stackuser_join_sibling(dir) || unshare(CLONE_NEWNET)) {
			if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
				return -errno;
			snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)uid);
			rc = stackuser_write("/proc/self/uid_map", map);
			if (!rc)
				rc = stackuser_write("/proc/self/setgroups", "deny\n");
			snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)gid);
			if (!rc)
				rc = stackuser_write("/proc/self/gid_map", map);
			if (rc)
				return rc;
		}
	}
	return stack_lo_up();
}

/**
 * stackuser_holder() - the holder process: make the namespace, say so, wait
 * @ready:	pipe to add: receives 0 or -errno
 * @dir:	the per-user directory
 *
 * Never returns.
 */
static void __attribute__((noreturn)) stackuser_holder(int ready, const char *dir)
{
	static const int ignored[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2,
	};
	int rc = stackuser_holder_make(dir), fd;
	sigset_t none;
	size_t i;

	if (write(ready, &rc, sizeof(rc)) != sizeof(rc) || rc)
		_exit(1);
	setsid();
	if (chdir("/"))
		_exit(1);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	close_range(3, ~0U, 0);
	for (i = 0; i < ARRAY_SIZE(ignored); i++)
		signal(ignored[i], SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, STACKUSER_NAME, 0, 0, 0);
	for (;;)
		pause();
}

/**
 * stackuser_record() - write DIR/.NAME.holder: "PID START"
 * @path:	DIR/NAME
 * @pid:	the holder
 *
 * Return: 0 or -errno
 */
static int stackuser_record(const char *path, pid_t pid)
{
	char rec[PATH_MAX], tmp[PATH_MAX + 32];
	unsigned long long start;
	FILE *f;
	int rc;

	rc = userstack_record_path(path, rec, sizeof(rec));
	if (!rc)
		rc = userstack_starttime(pid, &start);
	if (rc)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s.%d", rec, (int)getpid());
	f = fopen(tmp, "wxe");
	if (!f)
		return -errno;
	fprintf(f, "%d %llu\n", (int)pid, start);
	if (fclose(f) || rename(tmp, rec)) {
		rc = -errno;
		unlink(tmp);
	}
	return rc;
}

/**
 * stackuser_add() - netsup-stack add NAME, without privilege
 * @path:	DIR/NAME, from stackuser_target()
 *
 * Return: exit status
 */
int stackuser_add(const char *path)
{
	char dir[PATH_MAX], target[64], *slash;
	struct stat st;
	int ready[2], rc = 0;
	ssize_t n;
	pid_t pid;

	if (!lstat(path, &st))
		return stacktool_fail(path, stacktool_why(-EEXIST));
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (pipe2(ready, O_CLOEXEC))
		return stacktool_fail(path, stacktool_why(-errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(ready[0]);
		close(ready[1]);
		return stacktool_fail(path, stacktool_why(rc));
	}
	if (!pid) {
		close(ready[0]);
		stackuser_holder(ready[1], dir);
	}
	close(ready[1]);
	n = read(ready[0], &rc, sizeof(rc));
	close(ready[0]);
	if (n != sizeof(rc))
		rc = -ECHILD;
	if (rc) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (rc == -EPERM || rc == -EACCES || rc == -ENOSPC)
			return stacktool_fail(path, rc == -ENOSPC ?
					      "cannot make a user namespace: the limit is reached (user.max_user_namespaces)" :
					      "cannot make a network namespace, nor a user namespace to own one (are unprivileged user namespaces disabled?)");
		return stacktool_fail(path, stacktool_why(rc));
	}
	snprintf(target, sizeof(target), "/proc/%d/ns/net", (int)pid);
	if (symlink(target, path)) {
		rc = -errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return stacktool_fail(path, stacktool_why(rc));
	}
	rc = stackuser_record(path, pid);
	if (rc) {
		unlink(path);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return stacktool_fail(path, stacktool_why(rc));
	}
	return 0;	/* the holder lives on, without us */
}
