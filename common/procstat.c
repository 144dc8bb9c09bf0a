// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * procstat.c - /proc/PID/stat, read and parsed in one place
 *
 * The supervisor (a process's start time tells a reused pid apart, its
 * state and threads whether it lives), netsup-stack ps (which supervisor
 * started first) and a user's stack holders (userstack.c) read the same
 * three fields.  The name, field 2, may hold anything, blanks and ')'
 * too: fields are counted from its last ')'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procstat.h"

/**
 * procstat_parse() - state, threads and start time in the text of
 *		      /proc/PID/stat
 * @buf:	NUL-terminated text
 * @ps:		receives them
 *
 * Return: 0, or -EINVAL (cut or malformed)
 */
int procstat_parse(const char *buf, struct procstat *ps)
{
	const char *p = strrchr(buf, ')');
	int field;

	if (!p || p[1] != ' ' || !p[2])
		return -EINVAL;
	ps->state = p[2];
	ps->threads = 0;
	for (field = 2; p && field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (p && field == 19)
			ps->threads = strtol(p + 1, NULL, 10);
	}
	if (!p || p[1] < '0' || p[1] > '9')
		return -EINVAL;
	ps->start = strtoull(p + 1, NULL, 10);
	return 0;
}

/**
 * procstat_read() - procstat_parse() of /proc/@pid/stat
 * @pid:	the process
 * @ps:		receives the fields
 *
 * Return: 0, -ESRCH if there is no such process, -EINVAL, -errno
 */
int procstat_read(pid_t pid, struct procstat *ps)
{
	char path[64], buf[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 && errno != ESRCH ? -errno : -ESRCH;
	buf[n] = '\0';
	return procstat_parse(buf, ps);
}
