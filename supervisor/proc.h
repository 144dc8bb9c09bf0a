/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * proc.h - per-process default stacks of the supervised processes
 */
#ifndef NETSUP_PROC_H
#define NETSUP_PROC_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include <linux/types.h>

#include "credcache.h"
#include "../stacks/stack.h"

#define PROC_MAX_CPUS	1024

struct proc;

/*
 * Each stack that some process made its default costs the supervisor a
 * descriptor.  A user may hold this many distinct ones; and descriptors
 * are kept in reserve for root and for the supervisor's own work.
 */
#define PROC_STACKS_PER_USER	64
#define PROC_FD_RESERVE		256

/* A default stack in the registry, and the user it counts against. */
struct proc_stack {
	struct stack *s;
	uid_t uid;
};

struct proctab {
	pthread_mutex_t lock;
	struct proc **buckets;
	size_t nbuckets;
	size_t count;
	size_t exited;			/* entries marked by an exit event */
	time_t swept;
	struct stack *root[FAM_COUNT];	/* of processes without an entry */
	int cn_fd;			/* proc connector, or -1 */
	struct credcache *cache;	/* told of new, exec'ing, exiting threads */
	struct proc_stack *stacks;	/* one object per stack (proc_intern) */
	size_t nstacks, stacks_cap;
	size_t stacks_max;		/* descriptors the registry may take */
	bool lost;			/* the connector dropped events */
	pid_t probe_pid;		/* proc_events_open(): a child forked... */
	bool probe_seen;		/* ...and its fork event, with that pid */
	__u32 probe_ack;		/* our LISTEN's cn_msg.ack, plus one */
	int probe_err;			/* its acknowledgement's error, or -1 */
	__u32 seq[PROC_MAX_CPUS];	/* last event number, per CPU */
	bool seq_seen[PROC_MAX_CPUS];
};

int proc_init(struct proctab *t, struct stack *const root[FAM_COUNT],
	      struct credcache *cache);
void proc_fini(struct proctab *t);
int proc_events_open(struct proctab *t);
void proc_events_drain(struct proctab *t);
void proc_events_sync(struct proctab *t);
struct stack *proc_default(struct proctab *t, pid_t tgid, pid_t ppid, int fam);
struct stack *proc_default_synced(struct proctab *t, pid_t tgid, pid_t ppid, int fam);
int proc_set_default(struct proctab *t, pid_t tgid, pid_t ppid, uid_t uid,
		     unsigned int families, struct stack *s);
size_t proc_count(struct proctab *t);
int proc_auxv_secure(const void *buf, size_t len);

#endif /* NETSUP_PROC_H */
