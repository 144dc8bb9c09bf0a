// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * userstack.c - stacks of a normal user: where their names live, how a
 * dead holder is told from a live one, and joining the user namespace
 * that owns one
 *
 * A normal user cannot bind-mount a namespace under /dev/net.  netsup-stack
 * add (netsup-stack-user-add.c) keeps such a namespace alive with a holder, a
 * small process that lives in it, and names it by a symbolic link in a
 * directory of the user's own: $XDG_RUNTIME_DIR/netsup/NAME, or
 * /tmp/netsup-EUID/NAME without XDG_RUNTIME_DIR, pointing at
 * /proc/PID/ns/net.  Beside it, ".NAME.holder" records "PID START": the
 * holder's pid and its start time (field 22 of /proc/PID/stat, in clock
 * ticks since boot).  A pid can be reused once its process has died;
 * pid and start time together cannot, so a link whose record no longer
 * matches a living process is stale (-ESTALE) and is never followed.
 *
 * /tmp/netsup-EUID can be made first by another user.  Then netsup-stack
 * add makes a private directory /tmp/netsup-EUID.XXXXXX (mkdtemp(3)) and
 * records it in a symbolic link $HOME/.cache/netsup-userdir: the
 * directory of stacks is that one, for netsup as for netsup-stack.
 *
 * The directory is consulted for a bare NAME only by a caller that is not
 * the system's root (euid 0 in the initial user namespace, told by a
 * /proc/self/uid_map of "0 0 4294967295"): a root netsup never follows a
 * directory a user controls.  It must be a directory (not a link), owned
 * by the caller's euid and writable by no one else.
 *
 * A namespace made by a normal user in the initial user namespace is
 * owned by a user namespace of that user's (CLONE_NEWUSER), which the
 * user may join: setns(2) with CLONE_NEWUSER (Linux 3.8) gives every
 * capability in it, then setns(CLONE_NEWNET) into its namespaces works.
 * The owner comes from ioctl(NS_GET_USERNS) (Linux 4.9).  setns into a
 * user namespace refuses a process with other threads (EINVAL): a thread
 * just joined may still hold the memory map for a moment, so EINVAL is
 * retried briefly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "userstack.h"
#include "../common/procstat.h"
#include "../common/fileid.h"

/* How often, 1 ms apart, setns(CLONE_NEWUSER) is retried on EINVAL. */
#define USERSTACK_JOIN_TRIES	200

/**
 * userstack_numbers() - parse blank-separated decimal numbers
 * @text:	the text
 * @v:		receives them
 * @n:		how many are wanted
 *
 * Return: how many were parsed, up to @n
 */
int userstack_numbers(const char *text, unsigned long long *v, int n)
{
	const char *p = text;
	char *e;
	int i;

	for (i = 0; i < n; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			break;
		errno = 0;
		v[i] = strtoull(p, &e, 10);
		if (errno)
			break;
		p = e;
	}
	return i;
}

/**
 * userstack_consulted() - is the per-user directory looked at for this caller?
 *
 * Not for the system's root: euid 0 in the initial user namespace, whose
 * /proc/self/uid_map is "0 0 4294967295" (a full identity map, which only
 * root can make in another namespace: counted as root too).  When the map
 * cannot be read, the careful answer: no.
 *
 * Return: true for a normal user, and for root of a user namespace of
 *	   its own (unshare -Ur)
 */
bool userstack_consulted(void)
{
	unsigned long long v[3];
	char line[128];
	bool root = false;
	FILE *f;

	if (geteuid() != 0)
		return true;
	f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (userstack_numbers(line, v, 3) == 3 &&
		    v[0] == 0 && v[1] == 0 && v[2] == 4294967295ULL)
			root = true;
	fclose(f);
	return !root;
}

/**
 * userstack_private_record() - where the private directory is recorded
 * @buf:	receives $HOME/USERSTACK_PRIVATE_RECORD
 * @len:	size of @buf
 *
 * Return: 0, -ENOENT without an absolute $HOME, -ENAMETOOLONG
 */
int userstack_private_record(char *buf, size_t len)
{
	const char *home = getenv("HOME");
	int n;

	if (!home || home[0] != '/')
		return -ENOENT;
	n = snprintf(buf, len, "%s/%s", home, USERSTACK_PRIVATE_RECORD);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/**
 * userstack_private() - the private directory recorded for the caller
 * @fallback:	/tmp/netsup-EUID, which another user has taken
 * @buf:	receives the recorded directory
 * @len:	size of @buf
 *
 * The record is a symbolic link; what it names counts only if it is
 * FALLBACK.XXXXXX (no other '/') and passes userstack_dir_check().
 *
 * Return: 0, -ENOENT (none, or not usable), -errno
 */
static int userstack_private(const char *fallback, char *buf, size_t len)
{
	char rec[PATH_MAX], dir[PATH_MAX];
	size_t flen = strlen(fallback);
	ssize_t n;
	int rc;

	rc = userstack_private_record(rec, sizeof(rec));
	if (rc)
		return rc;
	n = readlink(rec, dir, sizeof(dir) - 1);
	if (n < 0)
		return -errno;
	dir[n] = '\0';
	if ((size_t)n <= flen + 1 || strncmp(dir, fallback, flen) != 0 || dir[flen] != '.' ||
	    strchr(dir + flen, '/') || userstack_dir_check(dir))
		return -ENOENT;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, dir, (size_t)n + 1);
	return 0;
}

/**
 * userstack_uid() - the caller's effective uid as the parent user
 * namespace knows it (/proc/self/uid_map), or as it is where unmapped
 *
 * Inside unshare -Ur every user is 0: /tmp/netsup-0 would be one name for
 * all of them (the first takes it, the others are refused), and another
 * name than the one the same user's netsup finds outside.
 *
 * Return: the uid that names /tmp/netsup-UID
 */
unsigned int userstack_uid(void)
{
	unsigned int uid = (unsigned int)geteuid();
	FILE *f = fopen("/proc/self/uid_map", "re");
	char line[128];

	if (!f)
		return uid;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		unsigned long v[3];
		int i;

		for (i = 0; i < 3; i++, p = end) {
			v[i] = strtoul(p, &end, 10);
			if (end == p)
				break;
		}
		if (i == 3 && uid >= v[0] && uid - v[0] < v[2]) {
			uid = (unsigned int)(v[1] + (uid - v[0]));
			break;
		}
	}
	fclose(f);
	return uid;
}

/**
 * userstack_dir() - the caller's directory of stacks
 * @buf:	receives $XDG_RUNTIME_DIR/netsup when XDG_RUNTIME_DIR is an
 *		absolute path, else /tmp/netsup-EUID; if that one exists but
 *		the caller may not trust it (another user made it first), the
 *		private directory recorded in $HOME (userstack_private()),
 *		when there is one
 * @len:	size of @buf
 *
 * Return: 0, -EPERM for the system's root (see userstack_consulted()),
 *	   -ENAMETOOLONG
 */
int userstack_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (!userstack_consulted())
		return -EPERM;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/%s", xdg, USERSTACK_SUBDIR);
	else
		n = snprintf(buf, len, "%s%u", USERSTACK_FALLBACK, userstack_uid());
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if ((!xdg || xdg[0] != '/') && !lstat(buf, &st) && userstack_dir_check(buf))
		userstack_private(buf, buf, len);	/* else the fallback, refused */
	return 0;
}

/**
 * userstack_dir_check() - may the caller trust @dir as its own?
 * @dir:	the directory of userstack_dir()
 *
 * Return: 0 if it is a directory (not a symbolic link) owned by the
 *	   caller's euid and writable by nobody else, -ENOENT, -ENOTDIR,
 *	   -EPERM (another owner, or group or others may write to it)
 */
int userstack_dir_check(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

/**
 * userstack_record_path() - the holder record beside a stack's link
 * @path:	DIR/NAME
 * @buf:	receives DIR/.NAME.holder
 * @len:	size of @buf
 *
 * Return: 0 or -ENAMETOOLONG
 */
int userstack_record_path(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash ? (int)(slash - path + 1) : 0;
	int n;

	n = snprintf(buf, len, "%.*s.%s%s", dlen, path, path + dlen, USERSTACK_RECORD);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/**
 * userstack_starttime() - when a process started
 * @pid:	the process
 * @start:	receives field 22 of /proc/PID/stat (clock ticks after boot)
 *
 * Return: 0, -ESRCH if there is no such process or it is dead (a zombie
 *	   not reaped yet), -EINVAL if the file cannot be parsed, -errno
 */
int userstack_starttime(pid_t pid, unsigned long long *start)
{
	struct procstat ps;
	int rc = procstat_read(pid, &ps);

	if (rc)
		return rc;
	if (procstat_dead(&ps))
		return -ESRCH;	/* dead: its namespaces are gone with it */
	*start = ps.start;
	return 0;
}

/**
 * userstack_holder() - is the holder that a stack's record names alive?
 * @path:	the stack's link, DIR/NAME
 * @pid:	receives the holder's pid (also when it is gone); may be NULL
 * @start:	receives its recorded start time; may be NULL
 *
 * Return: 1 if alive (the pid is still the holder's), 0 if there is no
 *	   record (not a holder's stack), -ESTALE if the holder is gone,
 *	   -errno
 */
int userstack_holder(const char *path, pid_t *pid, unsigned long long *start)
{
	unsigned long long v[2], now = 0;
	char rec[PATH_MAX], line[64];
	FILE *f;
	int rc;

	rc = userstack_record_path(path, rec, sizeof(rec));
	if (rc)
		return rc;
	f = fopen(rec, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	rc = fgets(line, sizeof(line), f) && userstack_numbers(line, v, 2) == 2 &&
	     v[0] > 0 && v[0] <= INT_MAX ? 0 : -EINVAL;
	fclose(f);
	if (rc)
		return rc;
	if (pid)
		*pid = (pid_t)v[0];
	if (start)
		*start = v[1];
	rc = userstack_starttime((pid_t)v[0], &now);
	if (rc == -ESRCH || (!rc && now != v[1]))
		return -ESTALE;
	return rc ? rc : 1;
}

/**
 * userstack_lookup() - a bare NAME in the caller's directory of stacks
 * @name:	the NAME (no '/')
 * @buf:	receives DIR/NAME
 * @len:	size of @buf
 *
 * A directory the caller cannot trust (userstack_dir_check()) holds no
 * stack.  A link with a holder record counts only while its holder lives.
 *
 * Return: 0 if DIR/NAME exists, -ENOENT, -ESTALE (its holder is gone:
 *	   @buf names it all the same), -ENAMETOOLONG
 */
int userstack_lookup(const char *name, char *buf, size_t len)
{
	char dir[PATH_MAX];
	struct stat st;
	int rc, n;

	rc = userstack_dir(dir, sizeof(dir));
	if (rc)
		return rc == -ENAMETOOLONG ? rc : -ENOENT;
	if (userstack_dir_check(dir))
		return -ENOENT;
	n = snprintf(buf, len, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (lstat(buf, &st))
		return -ENOENT;
	rc = userstack_holder(buf, NULL, NULL);
	if (rc < 0)
		return rc == -ESTALE ? rc : -ENOENT;
	return stat(buf, &st) ? -ENOENT : 0;
}

/**
 * userstack_join_owner() - join the user namespace that owns a namespace
 * @nsfd:	descriptor on the namespace (nsfs)
 *
 * For a caller without privilege in its own user namespace, whose stack
 * belongs to a user namespace it owns: afterwards the calling process has
 * every capability in that namespace, and can enter the stack.  The
 * process must have no other thread.
 *
 * Return: 1 if joined, 0 if it is the caller's own already, -EPERM if it
 *	   is not one the caller may join (an ancestor's, another user's),
 *	   -errno
 */
int userstack_join_owner(int nsfd)
{
	struct stat own, st;
	int user, rc = 0, i;

	user = ioctl(nsfd, NS_GET_USERNS);
	if (user < 0)
		return -errno;
	if (fstat(user, &st) || stat("/proc/self/ns/user", &own)) {
		rc = -errno;
		goto out;
	}
	if (fileid_same(&st, &own))
		goto out;
	for (i = 0; i < USERSTACK_JOIN_TRIES; i++) {
		if (!setns(user, CLONE_NEWUSER)) {
			rc = 1;
			break;
		}
		rc = -errno;
		if (errno != EINVAL)
			break;
		usleep(1000);	/* a thread just joined may not be gone yet */
	}
out:
	close(user);
	return rc;
}
