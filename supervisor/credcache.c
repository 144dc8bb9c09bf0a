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
 * Without the connector, or once it has lost events, nothing is kept.
 * Each slot is a direct-mapped entry (tid modulo the table size): no
 * allocation, a collision only costs a read of /proc.
 */
#include <string.h>

#include "credcache.h"

/**
 * credcache_init() - an empty, disabled cache
 * @cc:		the cache
 */
void credcache_init(struct credcache *cc)
{
	memset(cc, 0, sizeof(*cc));
	pthread_mutex_init(&cc->lock, NULL);
}

/**
 * credcache_enable() - turn the cache on or off (off also empties it)
 * @cc:		the cache
 * @on:		whether every invalidating event is known to arrive
 */
void credcache_enable(struct credcache *cc, bool on)
{
	pthread_mutex_lock(&cc->lock);
	cc->enabled = on;
	if (!on)
		memset(cc->slots, 0, sizeof(cc->slots));
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
		s->tid = 0;
	pthread_mutex_unlock(&cc->lock);
}
