/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * proc_int.h - what the table of processes (proc.c) and the events that
 * keep it (procevents.c) share
 */
#ifndef NETSUP_PROC_INT_H
#define NETSUP_PROC_INT_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "proc.h"

#define PROC_BUCKETS	4096

struct proc {
	pid_t tgid;
	unsigned long long start;	/* start time: tells a reused pid */
	time_t exited;			/* its leader's exit event, or 0 */
	bool leader_gone;		/* the leader left, other threads live on */
	bool privileged;		/* chosen by a program that execve made
					 * privileged (AT_SECURE) */
	struct stack *defaults[FAM_COUNT];
	struct proc *next;
};

void proc_free(struct proc *p);
bool proc_fallback(const struct proctab *t);
bool proc_alive(pid_t pid, unsigned long long start);
struct proc **proc_slot(struct proctab *t, pid_t tgid);
void proc_remove(struct proctab *t, pid_t tgid);
struct proc *proc_find(struct proctab *t, pid_t tgid);
struct proc *proc_add(struct proctab *t, pid_t tgid, const struct proc *from);
bool proc_exec_privileged(pid_t pid);
void proc_drain_locked(struct proctab *t, bool sweep);

#endif /* NETSUP_PROC_INT_H */
