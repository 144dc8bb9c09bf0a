// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * credcache_test - credentials kept without process events: each entry
 * is checked by its thread's pidfd, so a thread that exited (its id free
 * for another) is never answered from the cache
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "unit.h"
#include "../../supervisor/credcache.h"

static struct credcache cache;

struct shortlived {
	pid_t tid;
	pthread_mutex_t lock;
	pthread_cond_t go;
	bool done;
};

static void *shortlived_main(void *arg)
{
	struct shortlived *t = arg;

	pthread_mutex_lock(&t->lock);
	t->tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_broadcast(&t->go);
	while (!t->done)
		pthread_cond_wait(&t->go, &t->lock);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static void kept_while_alive_dropped_once_gone(void)
{
	struct shortlived t = { .lock = PTHREAD_MUTEX_INITIALIZER,
				.go = PTHREAD_COND_INITIALIZER };
	gid_t groups[CREDCACHE_GROUPS];
	struct creds c = { .ruid = 4242 }, got;
	pthread_t th;

	credcache_init(&cache);
	credcache_enable_validated(&cache);
	UNIT_EQ(pthread_create(&th, NULL, shortlived_main, &t), 0);
	pthread_mutex_lock(&t.lock);
	while (!t.tid)
		pthread_cond_wait(&t.go, &t.lock);
	pthread_mutex_unlock(&t.lock);

	c.tgid = getpid();
	credcache_put(&cache, t.tid, &c);
	UNIT_CHECK(credcache_get(&cache, t.tid, &got, groups));
	UNIT_EQ(got.ruid, 4242);

	pthread_mutex_lock(&t.lock);
	t.done = true;
	pthread_cond_broadcast(&t.go);
	pthread_mutex_unlock(&t.lock);
	pthread_join(th, NULL);
	/* its id may be another thread's now: the entry is not used */
	UNIT_CHECK(!credcache_get(&cache, t.tid, &got, groups));
}

static void nothing_kept_for_a_thread_already_gone(void)
{
	gid_t groups[CREDCACHE_GROUPS];
	struct creds c = { .ruid = 1 }, got;
	pid_t gone = 0x3ffffff0;	/* above any pid_max: no such thread */

	credcache_init(&cache);
	credcache_enable_validated(&cache);
	credcache_put(&cache, gone, &c);
	UNIT_CHECK(!credcache_get(&cache, gone, &got, groups));
}

static void events_mode_needs_no_pidfd(void)
{
	gid_t groups[CREDCACHE_GROUPS];
	struct creds c = { .ruid = 7 }, got;
	pid_t gone = 0x3ffffff0;

	credcache_init(&cache);
	credcache_enable(&cache, true);	/* events say when to forget */
	credcache_put(&cache, gone, &c);
	UNIT_CHECK(credcache_get(&cache, gone, &got, groups));
	credcache_forget(&cache, gone);
	UNIT_CHECK(!credcache_get(&cache, gone, &got, groups));
}

static const struct unit_case cases[] = {
	{ "credcache: kept while its thread lives, not once it has exited", kept_while_alive_dropped_once_gone },
	{ "credcache: a thread gone before it is kept leaves nothing", nothing_kept_for_a_thread_already_gone },
	{ "credcache: with process events, entries live until forgotten", events_mode_needs_no_pidfd },
};

UNIT_MAIN(cases)
