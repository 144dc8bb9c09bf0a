// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-lwip-daemon.c - start and stop a userspace stack's daemon
 *
 *   netsup-stack add NAME --lwip --link URL [--ip A/L] [--gw G] [--ip6 A/L]
 *                [--gw6 G] [--mtu N] [--netns PATH]
 *   netsup-stack del [-f] NAME
 *
 * add starts netsup-lwip(8) (common/lwlaunch.c: ready once it writes its
 * --ready-fd byte, or failed with its own diagnostic) with --daemon (its
 * parent exits once it serves: the daemon outlives netsup-stack) and --pidfile
 * STACKLWIP_RUN_DIR/ESCAPED.pid, ESCAPED being the stack file's path
 * with the leading '/' dropped, '-' written "\x2d" and '/' written '-'
 * (as systemd-escape --path does).
 *
 * del refuses a stack with connected clients unless -f
 * (stacklwip_peers()), sends the daemon SIGTERM through a pidfd (no pid
 * reuse race; pidfd_open(2), Linux 5.3) and waits for it to exit: it
 * removes its stack file and pid file itself.  The daemon signalled is
 * the process that listens on the socket (SO_PEERCRED, SO_PEERPIDFD,
 * netsup-stack-lwip.c), never the pid its HELLO gives; del opens the
 * socket's directory once and removes a stale socket there, only if it
 * is still the socket it connected to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "netsup-stack-lwip.h"
#include "stackps.h"
#include "../../common/lwlaunch.h"
#include "../../common/util.h"
#include "../../common/fileid.h"

#define STACKLWIP_RUN_DIR	"/run/netsup"
#define STACKLWIP_STOP_MS	5000	/* SIGTERM to exit, then -f kills */
#define STACKLWIP_ARGS		32

/**
 * stacklwip_pidfile() - the pid file add gives the daemon of @path
 * @path:	the stack file, absolute
 * @buf:	receives STACKLWIP_RUN_DIR/ESCAPED.pid
 * @len:	size of @buf
 *
 * Return: 0, or -ENAMETOOLONG
 */
static int stacklwip_pidfile(const char *path, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s/", STACKLWIP_RUN_DIR);
	const char *c;

	for (c = path + (path[0] == '/'); *c && off < len; c++) {
		if (*c == '-' || *c == '\\')	/* as systemd-escape: one name, one file */
			off += (size_t)snprintf(buf + off, len - off, "\\x%02x", (unsigned int)*c);
		else
			buf[off++] = (char)(*c == '/' ? '-' : *c);
	}
	if (off >= len)
		return -ENAMETOOLONG;
	buf[off] = '\0';
	return snprintf(buf + off, len - off, ".pid") >= (int)(len - off) ? -ENAMETOOLONG : 0;
}

/**
 * stacklwip_add() - netsup-stack add STACK --lwip --link URL ...
 * @path:	the new stack file (the name checked already)
 * @o:		the options for the daemon
 *
 * Return: exit status
 */
int stacklwip_add(const char *path, const struct stacklwip_opts *o)
{
	const struct { const char *opt, *val; } pass[] = {
		{ "--link", o->link }, { "--netns", o->netns }, { "--ip", o->ip },
		{ "--gw", o->gw }, { "--ip6", o->ip6 }, { "--gw6", o->gw6 },
		{ "--mtu", o->mtu }, { "--log", o->log },
	};
	char daemon[PATH_MAX], pidfile[PATH_MAX], abspath[PATH_MAX];
	const char *argv[STACKLWIP_ARGS];
	const struct lwlaunch l = {
		.argv = argv, .ms = -1, .who = "netsup-stack",
	};
	int argc = 0, status = 0, rc, pidfd;
	struct stat st;
	size_t i;
	pid_t pid;

	if (!lstat(path, &st))
		return stacktool_fail(path, "exists");
	if (path[0] == '/')
		snprintf(abspath, sizeof(abspath), "%s", path);
	else if (!getcwd(abspath, sizeof(abspath)) ||
		 snprintf(abspath + strlen(abspath), sizeof(abspath) - strlen(abspath), "/%s", path) >=
		 (int)(sizeof(abspath) - strlen(abspath)))
		return stacktool_fail(path, "path too long");
	if (o->pidfile)		/* a user's, in its own directory */
		snprintf(pidfile, sizeof(pidfile), "%s", o->pidfile);
	else if ((rc = stacklwip_pidfile(abspath, pidfile, sizeof(pidfile))))
		return stacktool_fail(path, stacktool_why(rc));
	else if (mkdir(STACKLWIP_RUN_DIR, 0755) && errno != EEXIST)
		return stacktool_fail(STACKLWIP_RUN_DIR, stacktool_why(-errno));
	argv[argc++] = "--daemon";
	argv[argc++] = "--pidfile";
	argv[argc++] = pidfile;
	for (i = 0; i < ARRAY_SIZE(pass); i++) {
		if (!pass[i].val)
			continue;
		argv[argc++] = pass[i].opt;
		argv[argc++] = pass[i].val;
	}
	for (i = 0; i < (size_t)o->verbose && i < 2; i++)
		argv[argc++] = "-v";
	argv[argc++] = "--";
	argv[argc++] = abspath;
	argv[argc] = NULL;
	rc = lwlaunch_start(&l, &pid, &pidfd);
	if (pidfd >= 0)
		close(pidfd);
	if (pid < 0) {
		lwlaunch_path(daemon, sizeof(daemon));
		return stacktool_fail(daemon, stacktool_why(rc));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return stacktool_fail(path, stacktool_why(-errno));
	/* --daemon's parent says: it exits 0 once the daemon serves */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	lwlaunch_path(daemon, sizeof(daemon));
	fprintf(stderr, "netsup-stack: %s: %s did not start (%s %d)\n", path, daemon,
		WIFEXITED(status) ? "exit status" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 1;
}

/**
 * stacklwip_wait() - wait for a process to exit
 * @pidfd:	a pidfd on it
 * @ms:		for at most this long
 *
 * Return: 0 once it has exited, -ETIMEDOUT, or -errno
 */
static int stacklwip_wait(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int rc;

	do
		rc = poll(&p, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : rc ? 0 : -ETIMEDOUT;
}

/**
 * stacklwip_unlink() - remove the socket del looked at, and only that
 * @path:	the stack file, for messages
 * @e:		its directory, held open
 * @st:		the socket's fstat() when it was connected to
 *
 * Removed from the directory opened first, and only if its name there
 * is still that socket.
 *
 * Return: exit status
 */
static int stacklwip_unlink(const char *path, const struct stacktool_entry *e,
			    const struct stat *st)
{
	struct stat now;

	if (fstatat(e->dir, e->name, &now, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : stacktool_fail(path, stacktool_why(-errno));
	if (!fileid_same(&now, st))
		return stacktool_fail(path, "replaced by another file meanwhile: not removed");
	return unlinkat(e->dir, e->name, 0) && errno != ENOENT ?
	       stacktool_fail(path, stacktool_why(-errno)) : 0;
}

/**
 * stacklwip_stop() - end the daemon: SIGTERM, with -f then SIGKILL
 * @path:	the stack file, for messages
 * @e:		its directory, held open
 * @st:		the socket's fstat()
 * @h:		the daemon (its pid, for messages)
 * @pidfd:	on the daemon: the process listening on the socket
 * @force:	SIGKILL if SIGTERM is not enough, and remove the socket
 *
 * Return: exit status
 */
static int stacklwip_stop(const char *path, const struct stacktool_entry *e, const struct stat *st,
			  const struct stacklwip_hello *h, int pidfd, bool force)
{
	char msg[128];
	int rc;

	rc = syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) ? -errno : 0;
	if (!rc)
		rc = stacklwip_wait(pidfd, STACKLWIP_STOP_MS);
	if (rc == -ETIMEDOUT && force) {
		rc = syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) ? -errno : 0;
		if (!rc)
			rc = stacklwip_wait(pidfd, STACKLWIP_STOP_MS);
		if (!rc)
			return stacklwip_unlink(path, e, st);	/* killed: it could not */
	}
	if (rc == -ETIMEDOUT) {
		snprintf(msg, sizeof(msg), "daemon %d did not exit within %d s of SIGTERM (-f kills it)",
			 (int)h->pid, STACKLWIP_STOP_MS / 1000);
		return stacktool_fail(path, msg);
	}
	return rc ? stacktool_fail(path, stacktool_why(rc)) : 0;
}

/**
 * stacklwip_del() - netsup-stack del [-f] for a userspace stack
 * @path:	the stack file
 * @force:	even with clients connected; SIGKILL if SIGTERM is not enough
 *
 * The socket's directory is opened once (stacktool_entry_open()), the
 * socket itself through it (O_NOFOLLOW: a symbolic link is refused), and
 * connected to through that descriptor.  The daemon signalled is the
 * process that listens on it (SO_PEERCRED, SO_PEERPIDFD), whatever its
 * HELLO says.  A socket nobody serves any more (the daemon was killed)
 * is removed from that directory, if it is still the same socket.
 *
 * Return: exit status
 */
int stacklwip_del(const char *path, bool force)
{
	char pidfile[PATH_MAX], msg[128];
	struct stacktool_entry e;
	struct stacklwip_hello h;
	struct stackps_match m;
	int rc, fd = -1, pidfd = -1;
	struct stat st;

	rc = stacktool_entry_open(path, &e);
	if (rc) {
		rc = stacktool_fail(path, rc == -ELOOP ? "its directory is a symbolic link: name the stack by its real path" :
				    stacktool_why(rc));
		goto out;
	}
	fd = openat(e.dir, e.name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = stacktool_fail(path, stacktool_why(-errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = stacktool_fail(path, "a symbolic link: del removes a socket by its own path");
		goto out;
	}
	rc = stacklwip_hello_fd(fd, &h, &pidfd);
	if (rc == -ECONNREFUSED) {	/* stale: its daemon is gone */
		if (path[0] == '/' && !stacklwip_pidfile(path, pidfile, sizeof(pidfile)))
			unlink(pidfile);	/* in root's own directory */
		rc = stacklwip_unlink(path, &e, &st);
		goto out;
	}
	if (rc) {
		rc = stacktool_fail(path, stacklwip_why(rc));
		goto out;
	}
	/* sessions that are ending (a command that just exited) are waited
	 * for, 2 s at most, as del of a namespace waits for its users */
	for (int waited = 0; !force; waited += 50) {
		rc = stacklwip_peers(h.pid, &m);
		if (rc) {
			rc = stacktool_fail(path, stacktool_why(rc));
			goto out;
		}
		free((void *)m.socks);
		free((void *)m.conns);
		if (!m.nconns)
			break;
		if (waited < 2000) {
			nanosleep(&(struct timespec){ 0, 50000000L }, NULL);
			continue;
		}
		{
			snprintf(msg, sizeof(msg), "busy: %zu netsup session%s connected (-f removes it anyway)",
				 m.nconns, m.nconns == 1 ? " is" : "s are");
			rc = stacktool_fail(path, msg);
			goto out;
		}
	}
	rc = stacklwip_stop(path, &e, &st, &h, pidfd, force);
out:
	if (pidfd >= 0)
		close(pidfd);
	if (fd >= 0)
		close(fd);
	stacktool_entry_close(&e);
	return rc;
}
