// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stackps-proc.c - the small /proc files that netsup-stack ps reads
 *
 * /proc/PID/status (PPid, Uid), /proc/PID/cmdline, and the numbers in
 * them; a file read may be cut short, and a process gone meanwhile
 * (ENOENT) is -ESRCH.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stackps-int.h"

#define STACKPS_CMDLINE_MAX	4096

/**
 * stackps_number() - a decimal number at the start of @s
 * @s:		text such as a /proc entry's name
 * @end:	receives where the number ends, or NULL
 *
 * Return: the number, or -1 if there is none or it is out of range
 */
long stackps_number(const char *s, char **end)
{
	char *e;
	long n;

	errno = 0;
	n = strtol(s, &e, 10);
	if (end)
		*end = e;
	if (e == s || errno || n < 0 || n > INT_MAX)
		return -1;
	return n;
}

/**
 * stackps_read() - read a small /proc file
 * @path:	the file
 * @buf:	receives its contents, NUL-terminated
 * @len:	size of @buf
 *
 * Return: bytes read (without the NUL), or -errno
 */
ssize_t stackps_read(const char *path, char *buf, size_t len)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)total < len - 1) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/**
 * stackps_status() - the parent and effective uid of a process
 * @pid:	the process
 * @ppid:	receives PPid
 * @uid:	receives the effective uid, or NULL
 *
 * Return: 0, or -errno (-ESRCH: the process is gone)
 */
int stackps_status(pid_t pid, pid_t *ppid, uid_t *uid)
{
	char path[64], buf[2048], *line, *end;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = stackps_read(path, buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	line = strstr(buf, "\nPPid:");
	n = line ? stackps_number(line + 6, NULL) : -1;
	if (n < 0)
		return -EINVAL;
	*ppid = (pid_t)n;
	/* Uid: real, effective, saved, filesystem */
	line = strstr(buf, "\nUid:");
	if (uid && line && stackps_number(line + 5, &end) >= 0 &&
	    (n = stackps_number(end, NULL)) >= 0)
		*uid = (uid_t)n;
	return 0;
}

/**
 * stackps_cmdline() - the command line of a process
 * @pid:	the process
 * @out:	receives its NUL-separated arguments (malloc), or NULL
 * @len:	receives their length, without the last NUL
 *
 * Return: 0 (also for a process without arguments: a kernel thread, a
 *	   zombie), -ESRCH if it is gone, -ENOMEM
 */
int stackps_cmdline(pid_t pid, char **out, size_t *len)
{
	char path[64], buf[STACKPS_CMDLINE_MAX];
	ssize_t n;

	*out = NULL;
	*len = 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = stackps_read(path, buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : 0;
	if (n > 0 && buf[n - 1] == '\0')
		n--;	/* no empty last argument */
	if (!n)
		return 0;
	*out = malloc((size_t)n + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, buf, (size_t)n + 1);
	*len = (size_t)n;
	return 0;
}
