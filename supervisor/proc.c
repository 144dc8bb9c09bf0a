// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc.c - per-process default stacks of the supervised processes
 *
 * A process's defaults start as its parent's at fork, are shared by its
 * threads, survive execve and die with it (as in vuos).  A process that
 * never changed anything and whose ancestors never did has no entry: it
 * uses the command's defaults (root).  Only msocket(..., SOCK_DEFAULT)
 * creates entries, and forks of a process with an entry copy it.
 *
 * Forks and exits are learnt from the process events connector
 * (NETLINK_CONNECTOR, CN_IDX_PROC, Linux 2.6.15; procevents.c).  The kernel queues the
 * fork event inside fork(), before the parent can make its next call, and
 * the exit event before the pid can be reused.  The table drains the
 * events before every lookup, so a child gets its parent's defaults as
 * they were at the fork, even if the parent changes them right after, and
 * a reused pid never finds a dead process's entry.  The connector serves
 * only the initial network and pid namespaces, with CAP_NET_ADMIN.
 *
 * An exit event of the thread-group leader does not always end the
 * process: when another thread calls execve, the old leader exits and the
 * process goes on under the same pid.  So the entry is only marked, and a
 * later sweep removes it once /proc shows the process gone or a zombie.
 * A reused pid is safe meanwhile: its fork event replaces the entry.
 *
 * Where it is not available, or when it dropped events (ENOBUFS), the
 * table falls back to what /proc tells: a process without an entry takes
 * its parent's current defaults when first seen, and every entry records
 * the process's start time, so that a reused pid is recognised.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "creds.h"
#include "log.h"
#include "proc.h"
#include "proc_int.h"
#include "../common/procstat.h"


/**
 * proc_init() - an empty table
 * @t:		the table
 * @root:	defaults of processes without an entry (references taken)
 * @cache:	credentials cache, enabled while every event is known
 *
 * Return: 0 or -ENOMEM
 */
int proc_init(struct proctab *t, struct stack *const root[FAM_COUNT],
	      struct credcache *cache)
{
	struct rlimit rl;
	int i;

	memset(t, 0, sizeof(*t));
	t->cn_fd = -1;
	t->cache = cache;
	t->nbuckets = PROC_BUCKETS;
	t->buckets = calloc(t->nbuckets, sizeof(struct proc *));
	if (!t->buckets)
		return -ENOMEM;
	pthread_mutex_init(&t->lock, NULL);
	for (i = 0; i < FAM_COUNT; i++)
		t->root[i] = stack_get(root[i]);
	t->stacks_max = 1024;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur > (rlim_t)2 * PROC_FD_RESERVE)
		t->stacks_max = rl.rlim_cur - PROC_FD_RESERVE;
	return 0;
}

void proc_free(struct proc *p)
{
	int i;

	for (i = 0; i < FAM_COUNT; i++)
		stack_put(p->defaults[i]);
	free(p);
}

/**
 * proc_fini() - free the table
 * @t:		the table
 */
void proc_fini(struct proctab *t)
{
	struct proc *p, *next;
	size_t b;
	int i;

	for (b = 0; t->buckets && b < t->nbuckets; b++)
		for (p = t->buckets[b]; p; p = next) {
			next = p->next;
			proc_free(p);
		}
	free(t->buckets);
	for (b = 0; b < t->nstacks; b++)
		stack_put(t->stacks[b].s);
	free(t->stacks);
	for (i = 0; i < FAM_COUNT; i++)
		stack_put(t->root[i]);
	if (t->cn_fd >= 0)
		close(t->cn_fd);
	pthread_mutex_destroy(&t->lock);
	memset(t, 0, sizeof(*t));
	t->cn_fd = -1;
}

bool proc_fallback(const struct proctab *t)
{
	return t->cn_fd < 0 || t->lost;
}

/* Start time of @pid, 0 if gone. */
static unsigned long long proc_start_time(pid_t pid)
{
	struct procstat ps;

	return procstat_read(pid, &ps) ? 0 : ps.start;
}

/*
 * Is @pid still a live process started at @start?  A leader that called
 * pthread_exit() is a zombie while its other threads go on: the process
 * lives as long as the zombie counts more threads than itself.
 */
bool proc_alive(pid_t pid, unsigned long long start)
{
	struct procstat ps;

	if (procstat_read(pid, &ps) || (start && ps.start != start))
		return false;
	return (ps.state != 'Z' && ps.state != 'X') || ps.threads > 1;
}

struct proc **proc_slot(struct proctab *t, pid_t tgid)
{
	struct proc **pp = &t->buckets[(size_t)tgid % t->nbuckets];

	while (*pp && (*pp)->tgid != tgid)
		pp = &(*pp)->next;
	return pp;
}

void proc_remove(struct proctab *t, pid_t tgid)
{
	struct proc **pp = proc_slot(t, tgid), *p = *pp;

	if (!p)
		return;
	*pp = p->next;
	t->count--;
	if (p->exited)
		t->exited--;
	proc_free(p);
}

struct proc *proc_find(struct proctab *t, pid_t tgid)
{
	struct proc *p = *proc_slot(t, tgid);

	if (p && proc_fallback(t) && p->start && p->start != proc_start_time(tgid)) {
		proc_remove(t, tgid);	/* a dead process's pid, reused */
		return NULL;
	}
	return p;
}

/* New entry for @tgid with the defaults of @from (NULL: root). */
struct proc *proc_add(struct proctab *t, pid_t tgid, const struct proc *from)
{
	struct stack *const *src = from ? from->defaults : t->root;
	struct proc *p;
	int i;

	proc_remove(t, tgid);
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	/*
	 * With the connector, a reused pid comes with its fork event; the
	 * start time is kept all the same, so that entries stay right if
	 * events are lost later and the table falls back to /proc.
	 */
	p->start = proc_start_time(tgid);
	p->privileged = from && from->privileged;
	for (i = 0; i < FAM_COUNT; i++)
		p->defaults[i] = stack_get(src[i]);
	p->next = t->buckets[(size_t)tgid % t->nbuckets];
	t->buckets[(size_t)tgid % t->nbuckets] = p;
	t->count++;
	return p;
}


/*
 * Entry of @tgid; in fallback mode, one inherited from @ppid if needed.
 * Without exec events, whether an execve made the process privileged is
 * asked here, at every lookup: no entry chosen by an unprivileged process
 * reaches a privileged program.
 */
static struct proc *proc_lookup(struct proctab *t, pid_t tgid, pid_t ppid)
{
	struct proc *p = proc_find(t, tgid), *parent;

	if (!proc_fallback(t))
		return p;
	if (p) {
		if (p->privileged || !proc_exec_privileged(tgid))
			return p;
		info("[pid %d] runs a program that execve made privileged: its defaults are netsup's",
		     (int)tgid);
		proc_remove(t, tgid);
		return NULL;
	}
	parent = proc_find(t, ppid);
	if (!parent || (!parent->privileged && proc_exec_privileged(tgid)))
		return NULL;
	return proc_add(t, tgid, parent);
}

/**
 * proc_auxv_secure() - AT_SECURE in the text of /proc/PID/auxv
 * @buf:	the auxiliary vector: pairs of unsigned longs, AT_NULL last
 * @len:	its length in bytes
 *
 * Return: 1 if AT_SECURE is set, 0 if not, -EINVAL if it is malformed
 */
int proc_auxv_secure(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	unsigned long pair[2];
	size_t off;

	for (off = 0; off + sizeof(pair) <= len; off += sizeof(pair)) {
		memcpy(pair, p + off, sizeof(pair));
		if (pair[0] == AT_NULL)
			return 0;
		if (pair[0] == AT_SECURE)
			return pair[1] != 0;
	}
	return -EINVAL;
}

/**
 * proc_default() - the default stack of a process for a family
 * @t:		the table
 * @tgid:	the process
 * @ppid:	its parent, for fallback mode
 * @fam:	enum stack_family
 *
 * Return: the stack with a reference taken, or NULL for none
 */
struct stack *proc_default(struct proctab *t, pid_t tgid, pid_t ppid, int fam)
{
	struct stack *s;
	struct proc *p;

	pthread_mutex_lock(&t->lock);
	proc_drain_locked(t, false);
	p = proc_lookup(t, tgid, ppid);
	s = stack_get(p ? p->defaults[fam] : t->root[fam]);
	pthread_mutex_unlock(&t->lock);
	return s;
}

/* proc_default() once the events up to the caller's call are applied */
struct stack *proc_default_synced(struct proctab *t, pid_t tgid, pid_t ppid, int fam)
{
	struct stack *s;
	struct proc *p;

	pthread_mutex_lock(&t->lock);
	p = proc_lookup(t, tgid, ppid);
	s = stack_get(p ? p->defaults[fam] : t->root[fam]);
	pthread_mutex_unlock(&t->lock);
	return s;
}

/*
 * One stack object per namespace among the defaults: each msocket()
 * opens a stack of its own (a descriptor in netsup), and a thousand
 * processes making the same stack their default must not cost a
 * thousand descriptors.  Objects only the registry still holds are
 * dropped when it fills up.
 */
static struct stack *proc_intern(struct proctab *t, struct stack *s, uid_t uid)
{
	size_t i, j, mine = 0;

	for (i = 0; i < t->nstacks; i++)
		if (stack_same(t->stacks[i].s, s))
			return t->stacks[i].s;
	/* objects only the registry holds any more are dropped first */
	for (i = j = 0; i < t->nstacks; i++) {
		if (__atomic_load_n(&t->stacks[i].s->refs, __ATOMIC_ACQUIRE) == 1)
			stack_put(t->stacks[i].s);
		else
			t->stacks[j++] = t->stacks[i];
	}
	t->nstacks = j;
	for (i = 0; i < t->nstacks; i++)
		mine += t->stacks[i].uid == uid;
	/* a bound per user, and a reserve of descriptors for everybody else */
	if ((uid && mine >= PROC_STACKS_PER_USER) ||
	    t->nstacks >= t->stacks_max - (uid ? PROC_FD_RESERVE : 0))
		return NULL;
	if (t->nstacks == t->stacks_cap) {
		size_t cap = t->stacks_cap ? 2 * t->stacks_cap : 16;
		struct proc_stack *more = realloc(t->stacks, cap * sizeof(*more));

		if (!more)
			return s;	/* not shared, still right */
		t->stacks = more;
		t->stacks_cap = cap;
	}
	t->stacks[t->nstacks].s = stack_get(s);
	t->stacks[t->nstacks++].uid = uid;
	return s;
}

/**
 * proc_set_default() - change the default stack of a process
 * @t:		the table
 * @tgid:	the process
 * @ppid:	its parent, for fallback mode
 * @uid:	the real user id of the process, which the stack counts against
 * @families:	mask of the families to change
 * @s:		the new default (references are taken)
 *
 * Return: 0, -EMFILE if the user holds PROC_STACKS_PER_USER stacks
 *	   already or the supervisor's descriptors run short, -ENOMEM
 */
int proc_set_default(struct proctab *t, pid_t tgid, pid_t ppid, uid_t uid,
		     unsigned int families, struct stack *s)
{
	struct proc *p;
	int i;

	pthread_mutex_lock(&t->lock);
	s = proc_intern(t, s, uid);
	if (!s) {
		pthread_mutex_unlock(&t->lock);
		return -EMFILE;
	}
	proc_drain_locked(t, false);
	p = proc_lookup(t, tgid, ppid);
	if (!p)
		p = proc_add(t, tgid, NULL);
	if (!p) {
		pthread_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	for (i = 0; i < FAM_COUNT; i++) {
		if (!(families & (1U << i)))
			continue;
		stack_put(p->defaults[i]);
		p->defaults[i] = stack_get(s);
	}
	/* chosen by a privileged program: it may reach other such programs */
	p->privileged = proc_exec_privileged(tgid);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

/**
 * proc_count() - number of entries (processes with defaults of their own)
 * @t:		the table
 *
 * Return: the count
 */
size_t proc_count(struct proctab *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}
