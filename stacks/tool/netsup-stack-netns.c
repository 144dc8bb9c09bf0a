// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-netns.c - a kernel stack: entered on a thread of its own,
 * opened from its file, and made (add)
 *
 * Work inside a stack runs on a thread that setns(2)s into it and ends
 * with the work (stacktool_inside_run()): only that thread changes
 * namespace.  A file is a kernel stack only if it is of netns_kind
 * (stacks/netns.c); a UNIX socket, a userspace stack, is never connected
 * to here (netsup-stack-lwip.c connects without waiting).
 *
 * add: a thread unshare(CLONE_NEWNET)s (a namespace for that thread
 * alone), brings lo up and bind-mounts /proc/thread-self/ns/net on the
 * path, which keeps the namespace alive with no process in it.  add makes
 * /dev/net when missing.  A caller that cannot mount there gets a stack
 * kept by a holder process instead, named in its own directory
 * (netsup-stack-user.c); add --lwip starts a daemon
 * (netsup-stack-lwip-daemon.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "../stack.h"
#include "../../common/thread.h"

/**
 * stacktool_inside_thread() - enter the stack (or a new one), run in->fn
 * @arg:	struct stacktool_inside
 *
 * Return: the result, also in in->result
 */
static int stacktool_inside_thread(void *arg)
{
	struct stacktool_inside *in = arg;

	if (in->fd >= 0 ? setns(in->fd, CLONE_NEWNET) : unshare(CLONE_NEWNET))
		in->result = -errno;
	else
		in->result = in->fn(in);
	return in->result;
}

/**
 * stacktool_inside_run() - run in->fn on a thread inside the stack
 * @in:		what to do, and where (in->fd; -1 for a new namespace)
 *
 * Only that thread changes namespace; it ends with the work.
 *
 * Return: in->fn's result, or -errno
 */
int stacktool_inside_run(struct stacktool_inside *in)
{
	return thread_run(stacktool_inside_thread, in);
}

/**
 * stacktool_open_netns() - a kernel stack from a descriptor, and only that
 * @fd:		descriptor on the file (any open mode; not consumed)
 * @path:	name for messages
 * @error:	receives 0, -ENOTSUP if it is no network namespace, or -errno
 *
 * Unlike stack_from_fd(), a UNIX socket is no stack here: connecting to
 * it could wait on its daemon (netsup-stack-lwip.c connects without
 * waiting).
 *
 * Return: the stack, or NULL (*@error says why)
 */
struct stack *stacktool_open_netns(int fd, const char *path, int *error)
{
	struct stack *s = NULL;
	struct stat st;

	if (fstat(fd, &st))
		*error = stacktool_errno();
	else if (stack_kind_of(fd) != &netns_kind)
		*error = -ENOTSUP;
	else
		*error = netns_kind.open(fd, &st, path, &s);
	if (*error || !s) {
		*error = *error ? *error : -ENOMEM;
		return NULL;
	}
	return s;
}

/**
 * stacktool_open_path() - stacktool_open_netns() of the file at @path
 * @path:	the stack's path (symbolic links followed)
 * @error:	receives 0, -ENOTSUP or -errno
 *
 * Return: the stack, or NULL
 */
struct stack *stacktool_open_path(const char *path, int *error)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	struct stack *s;

	if (fd < 0) {
		*error = stacktool_errno();
		return NULL;
	}
	s = stacktool_open_netns(fd, path, error);
	close(fd);
	return s;
}

/**
 * stacktool_add_inside() - in a new namespace: lo up, mount it on in->path
 * @in:		what to do
 *
 * Return: 0 or -errno
 */
static int stacktool_add_inside(struct stacktool_inside *in)
{
	int rc = stack_lo_up();

	if (rc)
		return rc;
	/* the type is ignored for MS_BIND: "none" rather than NULL */
	return mount("/proc/thread-self/ns/net", in->path, "none", MS_BIND, NULL) ? -errno : 0;
}

/**
 * stacktool_lwip_user() - must add --lwip of a bare NAME go to USERDIR?
 *
 * A userspace stack needs no privilege, only a directory to put its
 * socket in: /dev/net when the caller may write there (or may make it),
 * else the caller's own directory, as for a holder's stack.
 *
 * Return: true for USERDIR
 */
static bool stacktool_lwip_user(void)
{
	if (!access(NS_DIR, W_OK))
		return false;
	return errno != ENOENT || access("/dev", W_OK) != 0;
}

/**
 * stacktool_add_lwip_user() - add NAME --lwip for a caller who may not
 * write to /dev/net: USERDIR/NAME
 * @name:	the bare NAME
 * @lw:		the daemon's options
 *
 * The daemon's pid file is USERDIR/.NAME.pid (list does not show it; the
 * daemon removes it when it exits), since /run/netsup is root's.
 *
 * Return: exit status
 */
static int stacktool_add_lwip_user(const char *name, const struct stacklwip_opts *lw)
{
	char path[PATH_MAX], pidfile[PATH_MAX + NAME_MAX + 8];
	struct stacklwip_opts o = *lw;
	const char *slash;

	if (stackuser_target(name, path, sizeof(path)))
		return 1;
	slash = strrchr(path, '/');
	if (snprintf(pidfile, sizeof(pidfile), "%.*s/.%s.pid", (int)(slash - path), path, name) >=
	    (int)sizeof(pidfile))
		return stacktool_fail(name, stacktool_why(-ENAMETOOLONG));
	o.pidfile = pidfile;
	return stacklwip_add(path, &o);
}

/**
 * stacktool_add() - netsup-stack add STACK [--lwip ...]
 * @spec:	path or bare NAME of the new stack
 * @lw:		the options of a userspace stack, or NULL for a namespace
 *
 * Return: exit status
 */
int stacktool_add(const char *spec, const struct stacklwip_opts *lw)
{
	struct stacktool_inside in = { .fd = -1, .fn = stacktool_add_inside };
	char path[PATH_MAX], dir[PATH_MAX], *slash;
	const char *bad = stacktool_bad_name(spec);
	int fd, rc;

	if (bad)
		return stacktool_fail(spec, bad);
	if (stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if (!lw && !strchr(spec, '/') && access(path, F_OK) && stackuser_wanted()) {
		/* no mount for this caller: a holder, in its own directory */
		if (stackuser_target(spec, path, sizeof(path)))
			return 1;
		return stackuser_add(path);
	}
	if (lw && !strchr(spec, '/') && access(path, F_OK) && stacktool_lwip_user())
		return stacktool_add_lwip_user(spec, lw);
	in.path = path;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (!strcmp(dir, NS_DIR) && mkdir(dir, 0755) && errno != EEXIST)
			return stacktool_fail(dir, stacktool_why(-errno));
	}
	if (lw)
		return stacklwip_add(path, lw);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return stacktool_fail(path, stacktool_why(-errno));
	close(fd);
	rc = stacktool_inside_run(&in);
	if (rc) {
		unlink(path);
		return stacktool_fail(path, stacktool_why(rc));
	}
	return 0;
}
