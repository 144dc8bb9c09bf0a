// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * credcache.c - credentials of supervised threads, kept between calls
 *
 * Reading /proc/TID/status and /proc/TID/ns/user costs more than the
 * socket it is read for.  A thread's credentials only change through
 * calls that netsup sees, so they are kept here, per thread id, and
 * forgotten when one of those happens:
 * - the filter sends set*uid, set*gid, setgroups, capset, unshare and
 *   setns (and their i386 forms) to netsup, which forgets the thread
 *   and lets the call run (the thread cannot make another call before
 *   this one returns, so nothing stale can be read back meanwhile);
 * - the process events connector reports execve (new credentials, and a
 *   thread that takes over the leader's id), uid and gid changes, and
 *   every new and exiting thread, so a reused thread id never finds an
 *   old entry.  Events are drained before every lookup (proc.c).
 * Without the connector, or once it has lost events, nothing is kept,
 * but for one case (credcache_enable_validated()): a tree under
 * PR_SET_NO_NEW_PRIVS supervised by an unprivileged netsup.  There no
 * execve gives a thread other ids or capabilities it could use through
 * netsup (no set-user-ID, no file capabilities; netsup has none to lend),
 * every other change is a call netsup sees, and a thread id reused by
 * another thread is told by the pidfd kept with the entry (PIDFD_THREAD,
 * Linux 6.9): readable once its thread has exited.
 * Each slot is a direct-mapped entry (tid modulo the table size): no
 * allocation, a collision only costs a read of /proc.
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "credcache.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

/**
 * credcache_init() - an empty, disabled cache
 * @cc:		the cache
 */
void credcache_init(struct credcache *cc)
{
	unsigned int i;

	memset(cc, 0, sizeof(*cc));
	for (i = 0; i < CREDCACHE_SLOTS; i++)
		cc->slots[i].pidfd = -1;
	pthread_mutex_init(&cc->lock, NULL);
}

/* Empty @s; the caller holds the lock. */
static void credcache_slot_clear(struct credcache_slot *s)
{
	s->tid = 0;
	if (s->pidfd >= 0)
		close(s->pidfd);
	s->pidfd = -1;
}

/* Is the thread of a validated entry gone (its id maybe another's now)? */
static bool credcache_slot_dead(const struct credcache_slot *s)
{
	struct pollfd p = { .fd = s->pidfd, .events = POLLIN };

	return s->pidfd < 0 || poll(&p, 1, 0) != 0;
}

/**
 * credcache_enable_validated() - keep credentials without process events
 * @cc:		the cache, disabled (no events)
 *
 * Only for a tree under no_new_privs and an unprivileged netsup (above).
 */
void credcache_enable_validated(struct credcache *cc)
{
	pthread_mutex_lock(&cc->lock);
	cc->validated = cc->enabled = true;
	pthread_mutex_unlock(&cc->lock);
}

/**
 * credcache_enable() - turn the cache on or off (off also empties it)
 * @cc:		the cache
 * @on:		whether every invalidating event is known to arrive
 */
void credcache_enable(struct credcache *cc, bool on)
{
	unsigned int i;

	pthread_mutex_lock(&cc->lock);
	cc->enabled = on;
	cc->validated = false;
	if (!on)
		for (i = 0; i < CREDCACHE_SLOTS; i++)
			credcache_slot_clear(&cc->slots[i]);
	pthread_mutex_unlock(&cc->lock);
}

/**
 * credcache_get() - the credentials of a thread, if kept
 * @cc:		the cache
 * @tid:	the thread
 * @c:		filled in on a hit; c->groups points to @groups
 * @groups:	room for CREDCACHE_GROUPS groups
 *
 * Return: true on a hit
 */
bool credcache_get(struct credcache *cc, pid_t tid, struct creds *c, gid_t *groups)
{
	struct credcache_slot *s = &cc->slots[(unsigned int)tid % CREDCACHE_SLOTS];
	bool hit;

	pthread_mutex_lock(&cc->lock);
	hit = cc->enabled && s->tid == tid;
	if (hit && cc->validated && credcache_slot_dead(s)) {
		credcache_slot_clear(s);
		hit = false;
	}
	if (hit) {
		*c = s->c;
		memcpy(groups, s->groups, sizeof(gid_t) * (size_t)s->c.ngroups);
		c->groups = groups;
	}
	pthread_mutex_unlock(&cc->lock);
	return hit;
}

/**
 * credcache_put() - keep the credentials of a thread
 * @cc:		the cache
 * @tid:	the thread, re-validated after @c was read
 * @c:		its credentials (not kept if it has too many groups)
 */
void credcache_put(struct credcache *cc, pid_t tid, const struct creds *c)
{
	struct credcache_slot *s = &cc->slots[(unsigned int)tid % CREDCACHE_SLOTS];

	if (c->ngroups > CREDCACHE_GROUPS)
		return;
	pthread_mutex_lock(&cc->lock);
	if (cc->enabled) {
		credcache_slot_clear(s);
		if (cc->validated) {
			s->pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
			if (s->pidfd < 0) {
				pthread_mutex_unlock(&cc->lock);
				return;	/* gone already: nothing to keep */
			}
		}
		s->tid = tid;
		s->c = *c;
		memcpy(s->groups, c->groups, sizeof(gid_t) * (size_t)c->ngroups);
		s->c.groups = s->groups;
	}
	pthread_mutex_unlock(&cc->lock);
}

/**
 * credcache_forget() - drop what is kept about a thread
 * @cc:		the cache
 * @tid:	the thread
 */
void credcache_forget(struct credcache *cc, pid_t tid)
{
	struct credcache_slot *s = &cc->slots[(unsigned int)tid % CREDCACHE_SLOTS];

	pthread_mutex_lock(&cc->lock);
	if (s->tid == tid)
		credcache_slot_clear(s);
	pthread_mutex_unlock(&cc->lock);
}
