// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-user-open.c - a normal user's namespace stack as del,
 * info and list find it: its holder's record checked, its namespace
 * opened, its holder ended
 *
 *   netsup-stack del NAME       kills the holder, removes the name
 *
 * del (also root's, on a user's directory) opens DIR once, O_NOFOLLOW,
 * and works in it with *at() calls; it believes the record that add
 * wrote (netsup-stack-user-add.c) only as far as DIR's owner could act
 * alone (stackuser_open()): DIR writable by its owner only, the link
 * exactly /proc/PID/ns/net of the record's PID, and that process a
 * netsup-holder whose user IDs are all the owner's.  It kills the holder
 * with SIGKILL through a pidfd (pidfd_open(2), Linux 5.3) opened before
 * the checks, waits for it to exit (the pidfd polls readable), and
 * removes the link and the record from the DIR it opened.  A stale name
 * (its holder is gone) is removed with nothing to kill.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "../userstack.h"

#define STACKUSER_STOP_MS	5000	/* SIGKILL to exit */

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
