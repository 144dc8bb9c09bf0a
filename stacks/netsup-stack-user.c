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
 * del kills the holder with SIGKILL through a pidfd (pidfd_open(2),
 * Linux 5.3), after checking, with the pidfd open, that the pid is still
 * the holder's; then waits for it to exit (the pidfd polls readable) and
 * removes the link and the record.  A stale name (its holder is gone) is
 * removed with nothing to kill.
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
#include "stack.h"
#include "userstack.h"

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
 * stackuser_target() - the path for a new stack NAME, its directory made
 * @name:	the bare NAME
 * @buf:	receives DIR/NAME
 * @len:	size of @buf
 *
 * DIR is made with mode 0700 when missing ($XDG_RUNTIME_DIR must exist);
 * an existing one must be the caller's, writable by nobody else.
 *
 * Return: 0, or 1 after reporting why not
 */
int stackuser_target(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];
	int rc, n;

	rc = userstack_dir(dir, sizeof(dir));
	if (rc == -EPERM)
		return stacktool_fail(name, "root makes stacks in " NS_DIR " (no per-user directory for root)");
	if (rc)
		return stacktool_fail(name, stacktool_why(rc));
	if (mkdir(dir, 0700) && errno != EEXIST)
		return stacktool_fail(dir, stacktool_why(-errno));
	rc = userstack_dir_check(dir);
	if (rc == -EPERM)
		return stacktool_fail(dir, "not the caller's own, or writable by others: not used for stacks");
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
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
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
 * stackuser_holder_of() - is @path a holder's stack, and is its holder alive?
 * @path:	the stack's path
 * @pid:	receives the holder's pid
 *
 * Return: 1 alive, 0 not a holder's stack, -ESTALE its holder is gone
 */
int stackuser_holder_of(const char *path, pid_t *pid)
{
	struct stat st;
	int rc;

	*pid = 0;
	if (lstat(path, &st) || !S_ISLNK(st.st_mode))
		return 0;
	rc = userstack_holder(path, pid, NULL);
	return rc == 1 || rc == -ESTALE ? rc : 0;
}

/**
 * stackuser_join() - for a caller without privilege: join the user
 * namespace that owns the stack at @path, so that it can enter it
 * @path:	the stack's path
 *
 * Only with a single thread.  Nothing is said on failure: entering the
 * stack then fails with "permission denied".
 */
void stackuser_join(const char *path)
{
	struct stat st;
	int fd;

	if (!stackuser_unprivileged())
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		userstack_join_owner(fd);	/* EINVAL: not a namespace */
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

/**
 * stackuser_list_stale() - list's entry for a name whose holder is gone
 * @path:	the stack's path
 * @json:	a JSON object, not a table line
 * @shown:	how many stacks were printed before, updated
 */
void stackuser_list_stale(const char *path, bool json, int *shown)
{
	static const char why[] = "its holder process is gone (del removes the name)";

	if (json) {
		fputs(*shown ? ",\n{\"path\":" : "\n{\"path\":", stdout);
		json_string(stdout, path);
		fputs(",\"error\":", stdout);
		json_string(stdout, why);
		fputc('}', stdout);
	} else {
		if (!*shown)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		printf("%-28s %-6s %s\n", path, "?", why);
	}
	(*shown)++;
}

/**
 * stackuser_unlink() - remove a holder's stack's link and record
 * @path:	the link
 *
 * Return: exit status
 */
static int stackuser_unlink(const char *path)
{
	char rec[PATH_MAX];

	if (unlink(path) && errno != ENOENT)
		return stacktool_fail(path, stacktool_why(-errno));
	if (!userstack_record_path(path, rec, sizeof(rec)) && unlink(rec) && errno != ENOENT)
		return stacktool_fail(rec, stacktool_why(-errno));
	return 0;
}

/**
 * stackuser_del() - remove a holder's stack: end the holder, remove the name
 * @path:	the stack's link
 *
 * The caller checked that nothing else uses it (or -f).  A holder that is
 * already gone leaves only the name to remove.
 *
 * Return: exit status
 */
int stackuser_del(const char *path)
{
	struct pollfd p = { .events = POLLIN };
	char msg[96];
	pid_t pid;
	int rc;

	rc = stackuser_holder_of(path, &pid);
	if (rc != 1)
		return stackuser_unlink(path);
	p.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p.fd < 0)
		return errno == ESRCH ? stackuser_unlink(path) : stacktool_fail(path, stacktool_why(-errno));
	/* the pidfd pins the process: is it still the holder? */
	if (stackuser_holder_of(path, &pid) != 1) {
		close(p.fd);
		return stackuser_unlink(path);
	}
	if (syscall(SYS_pidfd_send_signal, p.fd, SIGKILL, NULL, 0)) {
		rc = -errno;
		close(p.fd);
		snprintf(msg, sizeof(msg), "cannot end its holder, process %d: %s",
			 (int)pid, stacktool_why(rc));
		return stacktool_fail(path, msg);
	}
	rc = poll(&p, 1, STACKUSER_STOP_MS);
	close(p.fd);
	if (rc <= 0) {
		snprintf(msg, sizeof(msg), "its holder, process %d, did not exit", (int)pid);
		return stacktool_fail(path, msg);
	}
	return stackuser_unlink(path);
}
