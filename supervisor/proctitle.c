// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proctitle.c - what ps and pgrep show for a process of netsup's
 *
 * The supervisor is a fork of netsup: without this it shows netsup's
 * whole command line, the command's name included, so `pkill -f nginx`
 * meant for a daemon hits the supervisor that serves it.  It gets a
 * title of its own:
 *
 * - /proc/PID/cmdline (ps -o args, pgrep -f) is read by the kernel from
 *   the process's memory between mm->arg_start and mm->arg_end, where
 *   execve put the argv strings.  The title is written over them.  If
 *   the last byte of that range is not NUL, Linux reads on past arg_end,
 *   into the environment strings that follow, up to the first NUL (the
 *   setproctitle convention: get_mm_cmdline() in fs/proc/base.c).  So a
 *   title shorter than argv ends with a NUL and leaves a non-NUL byte at
 *   arg_end - 1 (cmdline is then the title alone, no trailing NULs); a
 *   longer one runs over the environment strings, once they are copied
 *   to the heap (environ is repointed) so that getenv() still works.
 * - /proc/PID/comm (ps -o comm, pgrep without -f) is set with
 *   prctl(PR_SET_NAME), at most 15 bytes.
 *
 * Only for a process that no longer needs its argv strings, before it
 * starts threads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "proctitle.h"

/* Copy the environment strings to the heap; environ then points there. */
static int proctitle_move_environ(void)
{
	char **env;
	size_t n = 0, i;

	while (environ[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		env[i] = strdup(environ[i]);
		if (!env[i]) {
			while (i--)
				free(env[i]);
			free(env);
			return -ENOMEM;
		}
	}
	environ = env;	/* the old array stays: execve's, not the heap's */
	return 0;
}

/**
 * proctitle_set() - give the calling process a command line and a name
 * @argv:	the process's own argv, as main() got it (overwritten)
 * @title:	the new command line, as one string
 * @comm:	the new name (comm); cut to 15 bytes by the kernel
 *
 * The title is cut if argv and the environment together are shorter.
 *
 * Return: 0, or -errno (-EINVAL without argv, -errno of prctl)
 */
int proctitle_set(char **argv, const char *title, const char *comm)
{
	char *start, *end, *arg_end;
	size_t len = strlen(title), room;
	int i;

	if (!argv || !argv[0])
		return -EINVAL;
	/* argv's strings, as long as they follow one another */
	start = end = argv[0];
	for (i = 0; argv[i] && argv[i] == end; i++)
		end = argv[i] + strlen(argv[i]) + 1;
	arg_end = end;
	if (len + 1 > (size_t)(arg_end - start) && environ && environ[0] == arg_end) {
		char *env_end = arg_end;

		for (i = 0; environ[i] && environ[i] == env_end; i++)
			env_end = environ[i] + strlen(environ[i]) + 1;
		if (!proctitle_move_environ())
			end = env_end;
	}
	room = (size_t)(end - start);
	memset(start, 0, room);
	snprintf(start, room, "%s", title);	/* cut to fit */
	if (len >= room)
		len = room - 1;
	/* shorter than argv: the kernel stops at the title's NUL */
	if (start + len + 1 < arg_end)
		arg_end[-1] = ' ';
	return prctl(PR_SET_NAME, comm, 0, 0, 0) ? -errno : 0;
}
