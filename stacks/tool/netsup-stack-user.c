// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-user.c - where a normal user's namespace stacks are, and
 * how netsup-stack enters them
 *
 *   netsup-stack add NAME       without privilege: a namespace kept by a
 *                               holder process, named DIR/NAME
 *   netsup-stack del NAME       kills the holder, removes the name
 *
 * Without CAP_SYS_ADMIN over its mount namespace, or without write access
 * to /dev/net, netsup-stack cannot bind-mount a namespace there
 * (stackuser_wanted()).  add of a bare NAME then forks a holder
 * (netsup-stack-user-add.c), and names its namespace DIR/NAME: DIR is
 * userstack.c's, $XDG_RUNTIME_DIR/netsup or /tmp/netsup-EUID, made here
 * (stackuser_target()).  del believes a holder's record only as far as
 * DIR's owner could act alone, and kills the holder
 * (netsup-stack-user-open.c).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "../userstack.h"
#include "../../common/fileid.h"

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
		same = fileid_same(&st, &own);
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
 * stackuser_join_sibling() - join the user namespace of another live
 * holder in @dir, if it is not the caller's own
 * @dir:	the per-user directory
 *
 * Only in a process with a single thread (a holder being made).
 *
 * Return: 0 if joined, -ENOENT if there is none to join, -errno
 */
int stackuser_join_sibling(const char *dir)
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
