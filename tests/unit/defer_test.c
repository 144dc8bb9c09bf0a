// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * defer_test - the deferred-request queue: order, bounds, states
 */
#include <errno.h>
#include <stdlib.h>

#include "unit.h"
#include "defer.h"

static void queue_new(struct defer_queue *q)
{
	defer_init(q);
	q->max[DEFER_HELPER] = 4;
	q->per_user[DEFER_HELPER] = 2;
	q->max[DEFER_STACK_CALL] = 100;
	q->per_user[DEFER_STACK_CALL] = 100;
}

static struct timespec later(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000 + 1;
	return t;
}

static void bounds_in_all_and_per_user(void)
{
	struct defer_queue q;
	struct deferred d[6] = { 0 };
	int i;

	queue_new(&q);
	for (i = 0; i < 6; i++) {
		d[i].kind = DEFER_HELPER;
		d[i].uid = (uid_t)(i / 2 < 2 ? i / 2 : 9);	/* 0 0 1 1 9 9 */
	}
	UNIT_EQ(defer_add(&q, &d[0], 100), 0);
	UNIT_EQ(defer_add(&q, &d[1], 100), 0);
	UNIT_EQ(defer_add(&q, &d[2], 100), 0);
	d[3].uid = 0;
	UNIT_EQ(defer_add(&q, &d[3], 100), -EAGAIN);	/* user 0 has 2 */
	d[3].uid = 1;
	UNIT_EQ(defer_add(&q, &d[3], 100), 0);
	UNIT_EQ(defer_add(&q, &d[4], 100), -EAGAIN);	/* 4 in all */
	UNIT_EQ(defer_count(&q, DEFER_HELPER), 4);
	UNIT_CHECK(defer_take(&q, &d[0]));
	UNIT_CHECK(!defer_take(&q, &d[0]));		/* taken already */
	UNIT_EQ(d[0].state, DEFER_NEW);
	UNIT_EQ(defer_add(&q, &d[4], 100), 0);		/* room again */
	for (i = 1; i < 5; i++)
		UNIT_CHECK(defer_take(&q, &d[i]));
	UNIT_EQ(defer_count(&q, DEFER_HELPER), 0);
	defer_fini(&q);
}

static void due_in_deadline_order_ready_first(void)
{
	struct defer_queue q;
	struct deferred a = { .kind = DEFER_STACK_CALL }, b = a, c = a, *d;
	struct timespec now;
	int next;

	queue_new(&q);
	UNIT_EQ(defer_add(&q, &a, 50), 0);
	UNIT_EQ(defer_add(&q, &b, 5000), 0);
	UNIT_EQ(defer_add(&q, &c, 50), 0);
	clock_gettime(CLOCK_MONOTONIC, &now);
	UNIT_CHECK(!defer_next_due(&q, &now, false, &next));
	UNIT_CHECK(next >= 0 && next <= 50);
	UNIT_CHECK(defer_make_ready(&q, &b));
	UNIT_CHECK(!defer_make_ready(&q, &b));		/* ready already */
	UNIT_CHECK(defer_next_due(&q, &now, false, &next) == &b);
	UNIT_CHECK(b.ready && !b.gone);
	now = later(50);
	d = defer_next_due(&q, &now, false, &next);
	UNIT_CHECK(d == &a);
	d = defer_next_due(&q, &now, false, &next);
	UNIT_CHECK(d == &c);
	UNIT_CHECK(!defer_next_due(&q, &now, false, &next));
	UNIT_EQ(next, -1);
	defer_fini(&q);
}

static void a_thread_that_moves_on_makes_its_request_stale(void)
{
	struct defer_queue q;
	struct deferred a = { .kind = DEFER_STACK_CALL, .tid = 77 };
	struct deferred b = { .kind = DEFER_STACK_CALL, .tid = 77 + DEFER_TID_BUCKETS };
	struct timespec now;
	int next;

	queue_new(&q);
	UNIT_CHECK(!defer_caller_moved_on(&q, 77));	/* nothing deferred */
	UNIT_EQ(defer_add(&q, &a, 60000), 0);
	UNIT_EQ(defer_add(&q, &b, 60000), 0);		/* same bucket */
	UNIT_CHECK(!defer_caller_moved_on(&q, 78));
	UNIT_CHECK(defer_caller_moved_on(&q, 77));
	clock_gettime(CLOCK_MONOTONIC, &now);
	UNIT_CHECK(defer_next_due(&q, &now, false, &next) == &a);
	UNIT_CHECK(a.gone && a.ready);
	UNIT_CHECK(!defer_next_due(&q, &now, false, &next));
	UNIT_CHECK(defer_take(&q, &b));
	UNIT_CHECK(!defer_caller_moved_on(&q, 77 + DEFER_TID_BUCKETS));
	defer_fini(&q);
}

static void thousands_stay_cheap(void)
{
	enum { N = 20000 };
	struct deferred *d = calloc(N, sizeof(*d));
	struct defer_queue q;
	struct timespec now;
	int i, next, n = 0;

	queue_new(&q);
	q.max[DEFER_STACK_CALL] = N;
	q.per_user[DEFER_STACK_CALL] = N;
	for (i = 0; i < N; i++) {
		d[i].kind = DEFER_STACK_CALL;
		d[i].tid = i + 1;
		UNIT_EQ(defer_add(&q, &d[i], i % 2 ? 250 : 2000), 0);
	}
	for (i = 0; i < N; i += 3)
		UNIT_CHECK(defer_take(&q, &d[i]));
	now = later(2000);
	while (defer_next_due(&q, &now, false, &next))
		n++;
	UNIT_EQ(n, N - (N + 2) / 3);
	defer_fini(&q);
	free(d);
}

static const struct unit_case cases[] = {
	{ "defer: bounds in all and per user, taken back once", bounds_in_all_and_per_user },
	{ "defer: ready first, then deadlines in order, one clock for all", due_in_deadline_order_ready_first },
	{ "defer: a thread that makes another call makes its request stale", a_thread_that_moves_on_makes_its_request_stale },
	{ "defer: 20,000 requests queued, taken and expired", thousands_stay_cheap },
};

UNIT_MAIN(cases)
