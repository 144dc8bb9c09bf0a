// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-user.c - netsup-stack's namespace stacks for a normal user
 *
 *   netsup-stack add NAME       without privilege: a namespace kept by a
 *                               holder process, named DIR/NAME
 *   netsup-stack del NAME       kills the holder, removes the name
 *
 * Without CAP_SYS_ADMIN over its mount namespace, or without write access
 * to /dev/net, netsup-stack cannot bind-mount a namespace there.  add of a
 * bare NAME then forks a holder: a process that makes the namespace with
 * unshare(2), brings lo up in it, tells add it is ready over a pipe, and
 * then only waits for a signal (SIGTERM or SIGKILL end it; the signals a
 * terminal sends are ignored; it holds no descriptor of add's, so that
 * whoever reads add's output sees end-of-file).  Its namespace is made:
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
 * The name is DIR/NAME (userstack.c: $XDG_RUNTIME_DIR/netsup, or
 * /tmp/netsup-EUID), a symbolic link to /proc/PID/ns/net, made with
 * symlink(2), which fails if the name exists (two adds of one NAME cannot
 * both win); then DIR/.NAME.holder records "PID START" (written to a
 * temporary file and renamed).  A holder is add's child until add
 * exits, so its pid cannot be reused before the record is written.
 *
 * del (also root's, on a user's directory) opens DIR once, O_NOFOLLOW,
 * and works in it with *at() calls; it believes the record only as far
 * as DIR's owner could act alone (stackuser_open()): DIR writable by its
 * owner only, the link exactly /proc/PID/ns/net of the record's PID, and
 * that process a netsup-holder whose user IDs are all the owner's.  It
 * kills the holder with SIGKILL through a pidfd (pidfd_open(2), Linux
 * 5.3) opened before the checks, waits for it to exit (the pidfd polls
 * readable), and removes the link and the record from the DIR it opened.
 * A stale name (its holder is gone) is removed with nothing to kill.
 *
 * If another user has taken /tmp/netsup-EUID, add makes a private
 * /tmp/netsup-EUID.XXXXXX instead and records it in $HOME (userstack.c).
 *
 * list, info and del read or enter the namespace; a normal user in the
 * initial user namespace may not setns into any network namespace, so
 * netsup-stack first joins the user namespace that owns the stack
 * (userstack_join_owner()), as netsup does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "netsup-stack.h"
#include "../stack.h"
#include "../userstack.h"
#include "../../common/util.h"

#define STACKUSER_STOP_MS	5000	/* SIGKILL to exit */
#define STACKUSER_NAME		"netsup-holder"

/**
 * stackuser_unprivileged() - has the caller no CAP_SYS_ADMIN in its own
 * user namespace (effective)?
 *
 * Return: true if it has none, or if that cannot be told
 */
bool stackuser_unprivileged(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

	if (syscall(SYS_capget, &h, d))
		return true;
	return !(d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN));
}

/**
 * stackuser_owns_mounts() - is the caller's mount namespace owned by its
 * own user namespace (so that CAP_SYS_ADMIN lets it mount there)?
 *
 * Return: true if so
 */
static bool stackuser_owns_mounts(void)
{
	struct stat own, st;
	int mnt, user;
	bool same = false;

	mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (mnt < 0)
		return false;
	user = ioctl(mnt, NS_GET_USERNS);	/* EPERM: an ancestor owns it */
	close(mnt);
	if (user < 0)
		return false;
	if (!fstat(user, &st) && !stat("/proc/self/ns/user", &own))
		same = st.st_dev == own.st_dev && st.st_ino == own.st_ino;
	close(user);
	return same;
}

/**
 * stackuser_wanted() - does add of a bare NAME make a holder's stack?
 *
 * Yes when the caller could not mount under /dev/net: no CAP_SYS_ADMIN,
 * a mount namespace that its user namespace does not own (inside unshare
 * -Urn), or /dev/net (or /dev, where it is missing) not writable.
 *
 * Return: true for a holder's stack in the per-user directory
 */
bool stackuser_wanted(void)
{
	if (stackuser_unprivileged() || !stackuser_owns_mounts())
		return true;
	if (!access(NS_DIR, W_OK))
		return false;
	return errno != ENOENT || access("/dev", W_OK) != 0;
}

/**
 * stackuser_dir_why() - why the caller may not use @dir for stacks
 * @dir:	an existing directory of stacks, refused by userstack_dir_check()
 * @buf:	receives the reason
 * @len:	size of @buf
 */
static void stackuser_dir_why(const char *dir, char *buf, size_t len)
{
	struct stat st;

	if (lstat(dir, &st) || !S_ISDIR(st.st_mode))
		snprintf(buf, len, "is not a directory");
	else if (st.st_uid != geteuid())
		snprintf(buf, len, "belongs to another user (uid %u)", (unsigned int)st.st_uid);
	else
		snprintf(buf, len, "may be written by others (mode %03o)",
			 (unsigned int)(st.st_mode & 07777));
}

/**
 * stackuser_private() - a private directory of stacks, when another user
 * has taken /tmp/netsup-EUID
 * @fallback:	/tmp/netsup-EUID
 * @buf:	receives the new directory
 * @len:	size of @buf
 *
 * mkdtemp(3) makes FALLBACK.XXXXXX (mode 0700, a name nobody can take
 * first); a symbolic link to it, $HOME/.cache/netsup-userdir, records it
 * (made beside and renamed over an older one), so that netsup and
 * netsup-stack find it again (userstack_dir()).  Says so on stderr.
 *
 * Return: 0, or 1 after saying what the caller can do instead
 */
static int stackuser_private(const char *fallback, char *buf, size_t len)
{
	char why[64], rec[PATH_MAX], tmp[PATH_MAX + 16], msg[3 * PATH_MAX], *slash;
	int rc, n;

	stackuser_dir_why(fallback, why, sizeof(why));
	rc = userstack_private_record(rec, sizeof(rec));
	slash = rc ? NULL : strrchr(rec, '/');
	if (slash) {
		*slash = '\0';		/* $HOME/.cache */
		rc = mkdir(rec, 0700) && errno != EEXIST ? -errno : 0;
		*slash = '/';
	}
	if (rc) {
		snprintf(msg, sizeof(msg), "%s, and there is no $HOME/.cache of yours to record a private "
			 "directory in: set XDG_RUNTIME_DIR to a directory of your own (mode 0700), "
			 "or have root remove %s", why, fallback);
		return stacktool_fail(fallback, msg);
	}
	n = snprintf(buf, len, "%s.XXXXXX", fallback);
	if (n < 0 || (size_t)n >= len)
		return stacktool_fail(fallback, stacktool_why(-ENAMETOOLONG));
	if (!mkdtemp(buf))
		return stacktool_fail(buf, stacktool_why(-errno));
	snprintf(tmp, sizeof(tmp), "%s.%d", rec, (int)getpid());
	unlink(tmp);
	if (symlink(buf, tmp) || rename(tmp, rec)) {
		rc = -errno;
		unlink(tmp);
		rmdir(buf);
		snprintf(msg, sizeof(msg), "%s: cannot record a private directory: %s: set "
			 "XDG_RUNTIME_DIR to a directory of your own (mode 0700), or have root remove %s",
			 rec, stacktool_why(rc), fallback);
		return stacktool_fail(fallback, msg);
	}
	fprintf(stderr, "netsup-stack: %s %s: your stacks are in %s (recorded in %s)\n",
		fallback, why, buf, rec);
	return 0;
}

/**
 * stackuser_target() - the path for a new stack NAME, its directory made
 * @name:	the bare NAME
 * @buf:	receives DIR/NAME
 * @len:	size of @buf
 *
 * DIR is made with mode 0700 when missing ($XDG_RUNTIME_DIR must exist);
 * an existing one must be the caller's, writable by nobody else.  If
 * another user has taken /tmp/netsup-EUID, DIR is a private directory
 * instead (stackuser_private()).
 *
 * Return: 0, or 1 after reporting why not
 */
int stackuser_target(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX], fallback[64], why[64], msg[PATH_MAX + 160];
	int rc, n;

	rc = userstack_dir(dir, sizeof(dir));
	if (rc == -EPERM)
		return stacktool_fail(name, "root makes stacks in " NS_DIR " (no per-user directory for root)");
	if (rc)
		return stacktool_fail(name, stacktool_why(rc));
	if (mkdir(dir, 0700) && errno != EEXIST)
		return stacktool_fail(dir, stacktool_why(-errno));
	rc = userstack_dir_check(dir);
	snprintf(fallback, sizeof(fallback), "%s%u", USERSTACK_FALLBACK, userstack_uid());
	if ((rc == -EPERM || rc == -ENOTDIR) && !strcmp(dir, fallback)) {
		if (stackuser_private(fallback, dir, sizeof(dir)))
			return 1;
		rc = 0;
	}
	if (rc == -EPERM || rc == -ENOTDIR) {
		stackuser_dir_why(dir, why, sizeof(why));
		snprintf(msg, sizeof(msg), "%s: not used for stacks (make it a directory of your own, "
			 "mode 0700, or set XDG_RUNTIME_DIR to another)", why);
		return stacktool_fail(dir, msg);
	}
	if (rc)
		return stacktool_fail(dir, stacktool_why(rc));
	n = snprintf(buf, len, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len)
		return stacktool_fail(name, stacktool_why(-ENAMETOOLONG));
	return 0;
}

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
 * stackuser_join_sibling() - join the user namespace of another live
 * holder in @dir, if it is not the caller's own
 * @dir:	the per-user directory
 *
 * Only in a process with a single thread (a holder being made).
 *
 * Return: 0 if joined, -ENOENT if there is none to join, -errno
 */
static int stackuser_join_sibling(const char *dir)
{
	char path[PATH_MAX], ns[64];
	struct dirent *d;
	int rc = -ENOENT;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while (rc && (d = readdir(dp))) {
		pid_t pid;
		int fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (userstack_holder(path, &pid, NULL) != 1)
			continue;
		snprintf(ns, sizeof(ns), "/proc/%d/ns/net", (int)pid);
		fd = open(ns, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (userstack_join_owner(fd) == 1)
			rc = 0;
		close(fd);
	}
	closedir(dp);
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

/**
 * stackuser_join_fd() - for a caller without privilege: join the user
 * namespace that owns a stack's namespace, so that it can enter it
 * @nsfd:	an O_RDONLY descriptor on the namespace
 *
 * Only with a single thread.  Nothing is said on failure: entering the
 * stack then fails with "permission denied".
 */
void stackuser_join_fd(int nsfd)
{
	struct stat st;

	if (stackuser_unprivileged() && !fstat(nsfd, &st) && S_ISREG(st.st_mode))
		userstack_join_owner(nsfd);	/* EINVAL: not a namespace */
}

/**
 * stackuser_join() - stackuser_join_fd() for the stack at @path
 * @path:	the stack's path
 */
void stackuser_join(const char *path)
{
	int fd;

	if (!stackuser_unprivileged())
		return;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	stackuser_join_fd(fd);
	close(fd);
}

/**
 * stackuser_join_dir() - for list: join the user namespace of the live
 * holders in the caller's directory (netsup-stack add keeps them in one)
 */
void stackuser_join_dir(void)
{
	char dir[PATH_MAX];

	if (stackuser_unprivileged() && !userstack_dir(dir, sizeof(dir)) &&
	    !userstack_dir_check(dir))
		stackuser_join_sibling(dir);
}

/*
 * stackuser_refuse() - say why a holder's record is not believed
 * @u:		the stack; receives the reason in u->why
 * @...:	printf format of the reason (a string literal), and its
 *		arguments
 *
 * A macro, so that the format is checked where it is written.
 *
 * Return: -EPERM
 */
#define stackuser_refuse(u, ...)					\
	(snprintf((u)->why, sizeof((u)->why), __VA_ARGS__), -EPERM)

/**
 * stackuser_read_record() - the pid and start time in a holder's record
 * @u:		the stack, its directory open; receives u->pid
 * @rec:	the record's name in the directory
 * @start:	receives the start time
 *
 * Opened without following a link and without blocking (opening a FIFO
 * for reading would wait for a writer); it must be a regular file of the
 * directory's owner.
 *
 * Return: 1 if read, 0 if there is none, -EPERM (u->why says why), -errno
 */
static int stackuser_read_record(struct stackuser_stack *u, const char *rec,
				 unsigned long long *start)
{
	unsigned long long v[2];
	char line[64];
	struct stat st;
	ssize_t n;
	int fd;

	fd = openat(u->e.dir, rec, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return errno == ELOOP ? stackuser_refuse(u, "its record %s is a symbolic link", rec) : -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != u->e.st.st_uid) {
		close(fd);
		return stackuser_refuse(u, "its record %s is not a file of the directory's owner", rec);
	}
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	line[n > 0 ? n : 0] = '\0';
	if (userstack_numbers(line, v, 2) != 2 || !v[0] || v[0] > INT_MAX)
		return stackuser_refuse(u, "its record %s does not hold \"PID START\"", rec);
	u->pid = (pid_t)v[0];
	*start = v[1];
	return 1;
}

/**
 * stackuser_is_holder() - is @pid a netsup-holder of user @owner?
 * @pid:	the process
 * @owner:	the directory's owner
 *
 * Its name is netsup-holder and its real, effective, saved and file
 * system user IDs are all @owner's: a process that @owner could end
 * by itself.
 *
 * Return: true if so
 */
static bool stackuser_is_holder(pid_t pid, uid_t owner)
{
	char path[64], buf[2048], *line;
	unsigned long long uid[4];
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n != (ssize_t)sizeof(STACKUSER_NAME) || memcmp(buf, STACKUSER_NAME "\n", (size_t)n) != 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	line = strstr(buf, "\nUid:");
	if (!line || userstack_numbers(line + 5, uid, 4) != 4)
		return false;
	for (i = 0; i < 4; i++)
		if (uid[i] != owner)
			return false;
	return true;
}

/**
 * stackuser_open() - find out whether @path is a holder's stack, and
 * whether what its directory says can be believed
 * @path:	the stack's link, DIR/NAME
 * @u:		receives its state; stackuser_close() it, also after errors
 *
 * DIR is opened once (stacktool_entry_open(): not through a symbolic
 * link), and everything after that is done relative to it.  NAME must be
 * a symbolic link; then the record .NAME.holder decides.  Its word is
 * taken only as far as DIR's owner could act by itself: DIR may be
 * written by no one else, the record and the link are the owner's, the
 * link reads exactly /proc/PID/ns/net for the record's PID, and a
 * process PID of that start time is a netsup-holder of the owner's
 * (stackuser_is_holder()).  Root running del on a user's stack then ends
 * only a process the user could have ended.  A pidfd is opened on the
 * holder before it is examined (pidfd_open(2), Linux 5.3): the signal
 * del sends through it reaches that process or none.
 *
 * Return: 0 (u->state: STACKUSER_NONE, _LIVE with u->pidfd, or _GONE),
 *	   -EPERM (u->why says why the record is not believed), -ELOOP
 *	   (DIR is a symbolic link), -errno
 */
int stackuser_open(const char *path, struct stackuser_stack *u)
{
	char rec[NAME_MAX + 2], link[64], want[64];
	unsigned long long start = 0, now = 0;
	struct stat st;
	ssize_t n;
	int rc;

	memset(u, 0, sizeof(*u));
	u->pidfd = -1;
	u->state = STACKUSER_NONE;
	rc = stacktool_entry_open(path, &u->e);
	if (rc)
		return rc;
	if (fstatat(u->e.dir, u->e.name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISLNK(st.st_mode))
		return 0;	/* not a holder's stack, whatever else it is */
	n = snprintf(rec, sizeof(rec), ".%s%s", u->e.name, USERSTACK_RECORD);
	if (n < 0 || (size_t)n >= sizeof(rec))
		return 0;
	rc = stackuser_read_record(u, rec, &start);
	if (rc <= 0)
		return rc;
	if (u->e.st.st_mode & (S_IWGRP | S_IWOTH))
		return stackuser_refuse(u, "its directory may be written by others than its owner (mode %03o)",
					(unsigned int)(u->e.st.st_mode & 07777));
	snprintf(want, sizeof(want), "/proc/%d/ns/net", (int)u->pid);
	n = readlinkat(u->e.dir, u->e.name, link, sizeof(link));
	if (st.st_uid != u->e.st.st_uid || n != (ssize_t)strlen(want) || memcmp(link, want, (size_t)n) != 0)
		return stackuser_refuse(u, "its link does not name the namespace of process %d, which its record names",
					(int)u->pid);
	u->pidfd = (int)syscall(SYS_pidfd_open, u->pid, 0);
	if (u->pidfd < 0) {
		if (errno != ESRCH)
			return -errno;
		u->state = STACKUSER_GONE;
		return 0;
	}
	rc = userstack_starttime(u->pid, &now);
	if (rc == -ESRCH || (!rc && now != start)) {
		close(u->pidfd);
		u->pidfd = -1;
		u->state = STACKUSER_GONE;	/* a pid can be reused; with its start time, not */
		return 0;
	}
	if (rc)
		return rc;
	if (!stackuser_is_holder(u->pid, u->e.st.st_uid))
		return stackuser_refuse(u, "process %d is not a netsup-holder of the directory's owner (uid %u)",
					(int)u->pid, (unsigned int)u->e.st.st_uid);
	u->state = STACKUSER_LIVE;
	return 0;
}

/**
 * stackuser_close() - release what stackuser_open() holds
 * @u:		the stack
 */
void stackuser_close(struct stackuser_stack *u)
{
	if (u->pidfd >= 0)
		close(u->pidfd);
	u->pidfd = -1;
	stacktool_entry_close(&u->e);
}

/**
 * stackuser_netns() - a descriptor on a live holder's network namespace
 * @u:		the stack, STACKUSER_LIVE
 *
 * /proc/PID/ns/net is opened, then the pidfd is asked whether its
 * process still lives (signal 0): if it does, PID was still its pid when
 * the namespace was opened, so the namespace is the holder's, whatever
 * the link says by now.
 *
 * Return: the descriptor (O_RDONLY, for setns(2) and NS_GET_USERNS), or
 *	   -ESRCH if the holder is gone, -errno
 */
int stackuser_netns(const struct stackuser_stack *u)
{
	char ns[64];
	int fd, rc;

	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", (int)u->pid);
	fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (syscall(SYS_pidfd_send_signal, u->pidfd, 0, NULL, 0)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/**
 * stackuser_unlink() - remove a holder's stack's link and record
 * @path:	the link, for messages
 * @u:		the stack: both are removed from its directory, held open
 *
 * Return: exit status
 */
static int stackuser_unlink(const char *path, const struct stackuser_stack *u)
{
	char rec[NAME_MAX + 2];
	int n;

	if (unlinkat(u->e.dir, u->e.name, 0) && errno != ENOENT)
		return stacktool_fail(path, stacktool_why(-errno));
	n = snprintf(rec, sizeof(rec), ".%s%s", u->e.name, USERSTACK_RECORD);
	if (n > 0 && (size_t)n < sizeof(rec) && unlinkat(u->e.dir, rec, 0) && errno != ENOENT)
		return stacktool_fail(path, stacktool_why(-errno));
	return 0;
}

/**
 * stackuser_del() - remove a holder's stack: end the holder, remove the name
 * @path:	the stack's link, for messages
 * @u:		from stackuser_open(): STACKUSER_LIVE or STACKUSER_GONE
 *
 * The caller checked that nothing else uses it (or -f).  A holder that is
 * already gone leaves only the name to remove.  The names are removed in
 * the directory opened at the start, whatever its path names by then.
 *
 * Return: exit status
 */
int stackuser_del(const char *path, const struct stackuser_stack *u)
{
	struct pollfd p = { .fd = u->pidfd, .events = POLLIN };
	char msg[96];
	int rc;

	if (u->state != STACKUSER_LIVE)
		return stackuser_unlink(path, u);
	if (syscall(SYS_pidfd_send_signal, u->pidfd, SIGKILL, NULL, 0)) {
		if (errno == ESRCH)
			return stackuser_unlink(path, u);
		rc = -errno;
		snprintf(msg, sizeof(msg), "cannot end its holder, process %d: %s",
			 (int)u->pid, stacktool_why(rc));
		return stacktool_fail(path, msg);
	}
	do
		rc = poll(&p, 1, STACKUSER_STOP_MS);
	while (rc < 0 && errno == EINTR);
	if (rc <= 0) {
		snprintf(msg, sizeof(msg), "its holder, process %d, did not exit", (int)u->pid);
		return stacktool_fail(path, msg);
	}
	return stackuser_unlink(path, u);
}
