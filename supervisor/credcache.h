/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * credcache.h - credentials of supervised threads, kept between calls
 */
#ifndef NETSUP_CREDCACHE_H
#define NETSUP_CREDCACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "creds.h"

#define CREDCACHE_SLOTS		1024
#define CREDCACHE_GROUPS	32

struct credcache_slot {
	pid_t tid;		/* 0: empty */
	int pidfd;		/* validated mode: the thread's pidfd, or -1 */
	struct creds c;		/* c.groups points to groups below */
	gid_t groups[CREDCACHE_GROUPS];
};

struct credcache {
	pthread_mutex_t lock;
	bool enabled;
	bool validated;		/* no events: each entry checked by its pidfd */
	struct credcache_slot slots[CREDCACHE_SLOTS];
};

void credcache_init(struct credcache *cc);
void credcache_enable(struct credcache *cc, bool on);
void credcache_enable_validated(struct credcache *cc);
bool credcache_get(struct credcache *cc, pid_t tid, struct creds *c, gid_t *groups);
void credcache_put(struct credcache *cc, pid_t tid, const struct creds *c);
void credcache_forget(struct credcache *cc, pid_t tid);

#endif /* NETSUP_CREDCACHE_H */
