// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-del.c - remove a stack, unless something uses it (del)
 *
 * Only a mount point can be removed (statx(2) STATX_ATTR_MOUNT_ROOT,
 * Linux 5.8).  A stack still in use is refused unless -f: a process
 * living in it (/proc/PID/ns/net), sockets open in it (seen from
 * /proc/thread-self/net inside it), a process holding it open
 * (/proc/PID/fd); users that go away within STACKTOOL_BUSY_GRACE_MS are
 * waited for.  The namespace itself lives on as long as anything uses it.
 * The stack's directory is opened once (stacktool_entry_open()); the
 * checks, the umount2(2) (through /proc/self/fd/DIR/NAME) and the unlink
 * happen in it, whatever its path names by then.  A holder's stack is
 * looked into through its holder's pidfd and removed by
 * netsup-stack-user.c; a userspace stack by netsup-stack-lwip-daemon.c.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "../stack.h"
#include "../../common/util.h"
#include "../../common/fileid.h"

/**
 * stacktool_count_sockets() - sockets listed in a /proc/net file
 * @file:	/proc/thread-self/net/tcp and such
 *
 * TCP's TIME_WAIT (state 06) is left out: what is left of closed
 * connections holds nothing.
 *
 * Return: how many
 */
static int stacktool_count_sockets(const char *file)
{
	char buf[512], st[8];
	FILE *f = fopen(file, "re");
	int n = 0;

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f)) {	/* the header */
		fclose(f);
		return 0;
	}
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "%*s %*s %*s %7s", st) != 1 || strcmp(st, "06") != 0)
			n++;
	fclose(f);
	return n;
}

/**
 * stacktool_sockets_inside() - inside the stack: count its sockets
 * @in:		receives in->sockets
 *
 * Return: 0
 */
static int stacktool_sockets_inside(struct stacktool_inside *in)
{
	static const char *const files[] = {
		"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "packet",
	};
	char path[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "/proc/thread-self/net/%s", files[i]);
		in->sockets += stacktool_count_sockets(path);
	}
	return 0;
}

/**
 * stacktool_process_inside() - a process whose network namespace is @s
 * @s:		the stack
 * @except:	a process not to count (a holder's stack's holder), or 0
 *
 * Return: its pid, or 0
 */
static pid_t stacktool_process_inside(const struct stack *s, pid_t except)
{
	char path[300];
	struct dirent *d;
	pid_t pid = 0;
	DIR *proc = opendir("/proc");

	while (proc && !pid && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		if (fileid_path_is(path, s->dev, s->ino))
			pid = (pid_t)strtol(d->d_name, NULL, 10);
		if (pid == except)
			pid = 0;
	}
	if (proc)
		closedir(proc);
	return pid;
}

/**
 * stacktool_fd_on() - does a process hold a descriptor on the namespace?
 * @pid:	the process, as a /proc entry's name
 * @s:		the stack
 *
 * stat(2) of /proc/PID/fd/N follows the descriptor to its file, the
 * namespace's nsfs inode whichever path opened it (a mount, a holder's
 * /proc/HOLDER/ns/net link).  Processes the caller may not look into
 * (ptrace access mode read) are not counted.
 *
 * Return: true if it holds one
 */
static bool stacktool_fd_on(const char *pid, const struct stack *s)
{
	char path[sizeof("/proc//fd/") + 2 * (size_t)NAME_MAX];
	struct dirent *d;
	bool found = false;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	fds = opendir(path);
	while (fds && !found && (d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, d->d_name);
		found = fileid_path_is(path, s->dev, s->ino);
	}
	if (fds)
		closedir(fds);
	return found;
}

/**
 * stacktool_process_holding() - a process with a descriptor on @s open
 * @s:		the stack
 * @except:	a process not to count (a holder's stack's holder), or 0
 *
 * A netsup session whose default is the stack holds it open, in its
 * netsup and its supervisor, also when nothing lives in the stack and no
 * socket is open in it yet.  A mounted stack's unmount fails then
 * (EBUSY); a holder's stack has no mount to tell, so this is what says
 * that the session uses it.  netsup-stack itself is not counted.
 *
 * Return: its pid, or 0
 */
static pid_t stacktool_process_holding(const struct stack *s, pid_t except)
{
	pid_t pid = 0, self = getpid(), p;
	struct dirent *d;
	DIR *proc = opendir("/proc");

	while (proc && !pid && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		p = (pid_t)strtol(d->d_name, NULL, 10);
		if (p != except && p != self && stacktool_fd_on(d->d_name, s))
			pid = p;
	}
	if (proc)
		closedir(proc);
	return pid;
}

/*
 * Who uses the stack, said in @msg; 0 if no one, 1 if someone, or -errno
 * if its sockets cannot be counted.
 */
static int stacktool_users(struct stack *s, pid_t except, char *msg, size_t size)
{
	struct stacktool_inside in = { .fd = s->fd, .fn = stacktool_sockets_inside };
	pid_t pid;
	int rc;

	rc = stacktool_inside_run(&in);
	if (rc)
		return rc;
	pid = stacktool_process_inside(s, except);
	if (pid)
		snprintf(msg, size, "busy: process %d lives in it (-f removes it anyway)", (int)pid);
	else if (in.sockets)
		snprintf(msg, size, "busy: %d socket%s open in it (-f removes it anyway)",
			 in.sockets, in.sockets == 1 ? " is" : "s are");
	else if ((pid = stacktool_process_holding(s, except)))
		snprintf(msg, size, "busy: process %d holds it open (-f removes it anyway)", (int)pid);
	else
		return 0;
	return 1;
}

/* How long del waits for users that are going away (a killed server). */
#define STACKTOOL_BUSY_GRACE_MS	2000
#define STACKTOOL_BUSY_POLL_MS	50

/**
 * stacktool_busy() - is anything using the stack, unless -f?
 * @path:	the stack, for messages
 * @s:		the stack
 * @except:	a process not to count (a holder's stack's holder), or 0
 *
 * "kill $server; netsup-stack del STACK" is how scripts end: the signal
 * is sent, the server is not gone yet.  A stack whose users go away
 * within STACKTOOL_BUSY_GRACE_MS is not busy; one still in use then is.
 *
 * Return: 0 if not, or 1 after saying who
 */
static int stacktool_busy(const char *path, struct stack *s, pid_t except)
{
	struct timespec poll = { 0, STACKTOOL_BUSY_POLL_MS * 1000000L };
	char msg[128];
	int waited, rc;

	for (waited = 0; ; waited += STACKTOOL_BUSY_POLL_MS) {
		rc = stacktool_users(s, except, msg, sizeof(msg));
		if (rc < 0)
			return stacktool_fail(path, stacktool_why(rc));
		if (!rc)
			return 0;
		if (waited >= STACKTOOL_BUSY_GRACE_MS)
			return stacktool_fail(path, msg);
		nanosleep(&poll, NULL);
	}
}

/**
 * stacktool_is_mount() - is the entry itself a mount point (not a symlink to one)?
 * @e:		the stack's file in its directory
 *
 * Return: 1 if it is, 0 if not, -errno
 */
static int stacktool_is_mount(const struct stacktool_entry *e)
{
	struct statx stx;

	if (statx(e->dir, e->name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx))
		return -errno;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return -ENOTSUP;	/* before Linux 5.8: umount2 will tell */
	return !!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/**
 * stacktool_del_holder() - del of a holder's stack (netsup-stack-user-open.c)
 * @path:	its link
 * @u:		what stackuser_open() found: live or gone
 * @force:	even if it is in use
 *
 * The namespace looked into is the holder's, reached through its pidfd,
 * not whatever the link names.
 *
 * Return: exit status
 */
static int stacktool_del_holder(const char *path, const struct stackuser_stack *u, bool force)
{
	struct stack *s;
	int fd, rc;

	if (u->state == STACKUSER_LIVE && !force) {
		fd = stackuser_netns(u);
		if (fd == -ESRCH)
			return stackuser_del(path, u);	/* it died meanwhile */
		if (fd < 0)
			return stacktool_fail(path, stacktool_why(fd));
		stackuser_join_fd(fd);	/* a user's own, from outside its user namespace */
		s = stacktool_open_netns(fd, path, &rc);
		close(fd);
		if (!s)
			return stacktool_fail(path, stacktool_why(rc));
		rc = stacktool_busy(path, s, u->pid);
		stack_put(s);
		if (rc)
			return rc;
	}
	return stackuser_del(path, u);
}

/**
 * stacktool_del() - netsup-stack del [-f] STACK
 * @spec:	path or bare NAME of the stack
 * @force:	remove it even if it is in use
 *
 * The stack's directory is opened once (stacktool_entry_open()): the
 * checks and the removal happen in it, not through its path again.
 *
 * Return: exit status
 */
int stacktool_del(const char *spec, bool force)
{
	char path[PATH_MAX], msg[PATH_MAX + 64];
	struct stack *s = NULL;
	const struct stacktool_kind *k;
	struct stackuser_stack u;
	int rc, fd;

	rc = stack_resolve_name(spec, path, sizeof(path));
	if (rc && rc != -ESTALE && stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if (!rc && !strchr(spec, '/'))
		stacktool_warn_shadow(spec);
	if (rc != -ESTALE && (k = stacktool_kind_of(path)))
		return k->del(path, force);
	rc = stackuser_open(path, &u);
	if (rc == -EPERM) {
		snprintf(msg, sizeof(msg), "%s: refused", u.why);
		rc = stacktool_fail(path, msg);
		goto out;
	}
	if (rc == -ELOOP) {
		rc = stacktool_fail(path, "its directory is a symbolic link: name the stack by its real path");
		goto out;
	}
	if (rc) {
		rc = stacktool_fail(path, stacktool_why(rc));
		goto out;
	}
	if (u.state != STACKUSER_NONE) {
		rc = stacktool_del_holder(path, &u, force);
		goto out;
	}
	/* a stack mounted on a file: what it is, then whether it is a mount point */
	fd = openat(u.e.dir, u.e.name, O_PATH | O_CLOEXEC);
	if (fd < 0)
		rc = stacktool_errno();
	else
		s = stacktool_open_netns(fd, path, &rc);
	if (fd >= 0)
		close(fd);
	if (!s) {
		rc = stacktool_fail(path, stacktool_why(rc));
		goto out;
	}
	rc = stacktool_is_mount(&u.e);
	if (!rc || (rc < 0 && rc != -ENOTSUP)) {
		stack_put(s);
		rc = stacktool_fail(path, rc ? stacktool_why(rc) :
				    "not a mount point: only a stack mounted on a file can be removed");
		goto out;
	}
	rc = force ? 0 : stacktool_busy(path, s, 0);
	stack_put(s);
	if (rc)
		goto out;
	/* the mount point's path, through the directory held open */
	snprintf(msg, sizeof(msg), "/proc/self/fd/%d/%s", u.e.dir, u.e.name);
	if (umount2(msg, UMOUNT_NOFOLLOW | (force ? MNT_DETACH : 0))) {
		rc = stacktool_fail(path, errno == EINVAL ? "not a mount point: only a stack mounted on a file can be removed" :
				    errno == EBUSY ? "busy: the file is open or mounted on (-f removes it anyway)" :
				    stacktool_why(-errno));
		goto out;
	}
	rc = unlinkat(u.e.dir, u.e.name, 0) ? stacktool_fail(path, stacktool_why(-errno)) : 0;
out:
	stackuser_close(&u);
	return rc;
}
