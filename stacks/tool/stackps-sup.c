// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stackps-sup.c - netsup supervisors among a stack's users: the command
 * each serves, and the processes it serves
 *
 * A supervisor is a process that holds a seccomp user-notification
 * listener ("anon_inode:seccomp notify" in /proc/PID/fd, stackps.c).
 * It is a fork of the netsup command that started it, without an
 * execve: its command line is netsup's, and while that netsup still waits
 * for its command, the supervisor's parent is netsup and the command is
 * netsup's other child.  A process whose ancestors include
 * such a command is served by that supervisor.  Once netsup has returned
 * (the command exited and left daemons behind), the supervisor's command
 * line still tells what it was started for.
 *
 * A process whose parents have exited (a daemon that forked into the
 * background, and the shell that started it is gone) descends from no
 * command any more; /proc tells nothing of which filter it is under.  If
 * it is under a seccomp filter (Seccomp: 2 in /proc/PID/status) and
 * exactly one supervisor that uses the stack started before it
 * (field 22 of /proc/PID/stat), it is shown as served by that one: a
 * socket of the stack can only have come from a supervisor that uses the
 * stack.  With several, it is shown under none of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stackps.h"
#include "../../common/procstat.h"
#include "stackps-int.h"

#define STACKPS_ANCESTORS_MAX	64

/**
 * stackps_children() - the child of @parent that is not @other
 * @parent:	a netsup that waits for its command
 * @other:	its supervisor
 *
 * Return: the command's pid, or 0
 */
static pid_t stackps_children(pid_t parent, pid_t other)
{
	char path[64], buf[256], *p, *end;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
	if (stackps_read(path, buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; *p; p = end) {
		pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && pid != other)
			return pid;
	}
	return 0;
}

/**
 * stackps_netsup() - the command a supervisor serves, and its netsup
 * @p:		the supervisor; receives netsup, command, command_line
 *
 * A supervisor calls itself "netsup: supervisor of pid N", N being its
 * command.  One of a netsup without that title is a plain fork of netsup,
 * with netsup's command line: its parent is the netsup that started it
 * if the parent's command line is the same, and the command is that
 * netsup's other child.  Either way the parent is the waiting netsup only
 * as long as it is also the command's parent.
 *
 * Return: 0, or -ENOMEM
 */
int stackps_netsup(struct stackps_proc *p)
{
	char *own, *parent;
	size_t own_len, parent_len;
	static const char title[] = "netsup: supervisor of pid ";
	pid_t ppid, cppid;
	long command;
	int rc;

	if (stackps_status(p->pid, &ppid, NULL) || stackps_cmdline(p->pid, &own, &own_len))
		return 0;	/* gone */
	if (own && !strncmp(own, title, sizeof(title) - 1) &&
	    (command = stackps_number(own + sizeof(title) - 1, NULL)) > 0) {
		p->command = (pid_t)command;
		if (ppid > 1 && !stackps_status(p->command, &cppid, NULL) && cppid == ppid)
			p->netsup = ppid;
	} else if (own && ppid > 1 && !stackps_cmdline(ppid, &parent, &parent_len)) {
		if (parent && parent_len == own_len && !memcmp(own, parent, own_len)) {
			p->netsup = ppid;
			p->command = stackps_children(ppid, p->pid);
		}
		free(parent);
	}
	free(own);
	rc = 0;
	if (p->command)
		rc = stackps_cmdline(p->command, &p->command_line, &p->command_line_len);
	return rc == -ENOMEM ? rc : 0;
}

/**
 * stackps_served_by() - the supervisor whose command @pid descends from
 * @pid:	a process
 * @sups:	every supervisor found
 * @n:		how many
 *
 * Return: the supervisor's pid, or 0
 */
static pid_t stackps_served_by(pid_t pid, const struct stackps_sup *sups, size_t n)
{
	int depth;
	size_t i;

	for (depth = 0; pid > 1 && depth < STACKPS_ANCESTORS_MAX; depth++) {
		for (i = 0; i < n; i++)
			if (sups[i].command == pid)
				return sups[i].pid;
		if (stackps_status(pid, &pid, NULL))
			break;
	}
	return 0;
}

/**
 * stackps_link() - how a process stands to the supervisors found
 * @p:		the process; receives served_by and waits_for
 * @sups:	every supervisor found
 * @n:		how many
 */
void stackps_link(struct stackps_proc *p, const struct stackps_sup *sups, size_t n)
{
	size_t i;

	if (p->supervisor)
		return;
	for (i = 0; i < n; i++)
		if (sups[i].netsup == p->pid)
			p->waits_for = sups[i].command;
	if (!p->waits_for)
		p->served_by = stackps_served_by(p->pid, sups, n);
}

/**
 * stackps_start() - when a process started, and whether it is filtered
 * @pid:	the process
 * @start:	receives field 22 of /proc/PID/stat (clock ticks since boot)
 *
 * Return: true if it is under a seccomp filter (Seccomp: 2)
 */
static bool stackps_start(pid_t pid, unsigned long long *start)
{
	char path[64], buf[2048], *p;
	struct procstat ps;

	*start = 0;
	if (procstat_read(pid, &ps))
		return false;
	*start = ps.start;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (stackps_read(path, buf, sizeof(buf)) <= 0)
		return false;
	p = strstr(buf, "\nSeccomp:");
	return p && stackps_number(p + sizeof("\nSeccomp:") - 1, NULL) == 2;
}

/**
 * stackps_orphans() - the supervisor of filtered processes whose command
 * they no longer descend from
 * @ps:		what stackps_scan() found, linked by ancestry already
 *
 * See the top of the file: the one supervisor of the stack that started
 * before the process, if there is only one.
 */
void stackps_orphans(struct stackps *ps)
{
	unsigned long long start, sup_start;
	struct stackps_proc *p, *q, *found;
	size_t i, j;

	for (i = 0; i < ps->n; i++) {
		p = &ps->procs[i];
		if (p->supervisor || p->served_by || p->waits_for || p->daemon || p->lives ||
		    !stackps_start(p->pid, &start))
			continue;
		found = NULL;
		for (j = 0; j < ps->n; j++) {
			q = &ps->procs[j];
			if (!q->supervisor)
				continue;
			stackps_start(q->pid, &sup_start);
			if (sup_start > start)
				continue;
			if (found) {
				found = NULL;	/* two: none */
				break;
			}
			found = q;
		}
		if (found)
			p->served_by = found->pid;
	}
	for (i = 0; i < ps->n; i++)
		for (j = 0; j < ps->n; j++)
			if (ps->procs[j].served_by == ps->procs[i].pid)
				ps->procs[i].serves++;
}
