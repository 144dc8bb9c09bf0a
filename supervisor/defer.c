// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * defer.c - requests answered later: registration, deadlines, limits
 *
 * A notification whose answer needs something slow (a path helper, a
 * userspace stack's daemon) is queued here and completed by the event
 * loop (supervisor.c) when its descriptor is readable, when another thread
 * makes it ready, or when its deadline passes.  Thousands may wait at once
 * (threads blocked in accept() on a userspace stack), so every operation
 * is O(1) in their number:
 * - each timeout value in use has a FIFO: requests queued with the same
 *   timeout expire in the order they came, so only heads are looked at;
 * - ready requests move to a list of their own, which the loop empties;
 * - the lists are doubly linked: taking a request back is O(1);
 * - the bounds are counters, in all and per user (a small hash by uid),
 *   not counts of the lists.
 * The loop reads the clock once per turn and hands it in.
 *
 * A thread waits in one system call at a time: when a thread with a
 * deferred request makes another notified call, the request's
 * notification is gone (a signal interrupted it and the call restarted,
 * or returned EINTR and the thread went on).  The receiving thread tells
 * the queue (defer_caller_moved_on(), a hash by tid), and the loop
 * completes the request at once: no polling with NOTIF_ID_VALID, whose
 * cost in the kernel grows with the number of waiting notifications
 * (seccomp_notify_id_valid() walks them all).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "defer.h"

static void defer_list_add(struct defer_list *l, struct deferred *d)
{
	d->next = NULL;
	d->prev = l->tail;
	if (l->tail)
		l->tail->next = d;
	else
		l->head = d;
	l->tail = d;
}

static void defer_list_del(struct defer_list *l, struct deferred *d)
{
	if (d->prev)
		d->prev->next = d->next;
	else
		l->head = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		l->tail = d->prev;
	d->prev = d->next = NULL;
}

static struct defer_uid **defer_uid_slot(struct defer_queue *q, uid_t uid)
{
	struct defer_uid **pp = &q->uids[uid % DEFER_UID_BUCKETS];

	while (*pp && (*pp)->uid != uid)
		pp = &(*pp)->next;
	return pp;
}

/* The user's counter of @kind changes by @delta; -ENOMEM, or 0. */
static int defer_uid_count(struct defer_queue *q, uid_t uid, enum defer_kind kind, int delta)
{
	struct defer_uid **pp = defer_uid_slot(q, uid), *u = *pp;
	int k;

	if (!u) {
		if (delta < 0)
			return 0;
		u = calloc(1, sizeof(*u));
		if (!u)
			return -ENOMEM;
		u->uid = uid;
		*pp = u;
	}
	u->count[kind] += (unsigned int)delta;
	for (k = 0; k < DEFER_KINDS; k++)
		if (u->count[k])
			return 0;
	*pp = u->next;
	free(u);
	return 0;
}

static unsigned int defer_uid_get(struct defer_queue *q, uid_t uid, enum defer_kind kind)
{
	struct defer_uid *u = *defer_uid_slot(q, uid);

	return u ? u->count[kind] : 0;
}

static void defer_tid_add(struct defer_queue *q, struct deferred *d)
{
	struct deferred **b = &q->tids[(unsigned int)d->tid % DEFER_TID_BUCKETS];

	d->tid_prev = NULL;
	d->tid_next = *b;
	if (*b)
		(*b)->tid_prev = d;
	*b = d;
}

static void defer_tid_del(struct defer_queue *q, struct deferred *d)
{
	if (d->tid_prev)
		d->tid_prev->tid_next = d->tid_next;
	else if (q->tids[(unsigned int)d->tid % DEFER_TID_BUCKETS] == d)
		q->tids[(unsigned int)d->tid % DEFER_TID_BUCKETS] = d->tid_next;
	if (d->tid_next)
		d->tid_next->tid_prev = d->tid_prev;
	d->tid_prev = d->tid_next = NULL;
}

/**
 * defer_init() - an empty queue with the supervisor's bounds
 * @q:		the queue
 */
void defer_init(struct defer_queue *q)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
}

/**
 * defer_fini() - free what the queue keeps (it must hold no request)
 * @q:		the queue
 */
void defer_fini(struct defer_queue *q)
{
	struct defer_uid *u, *next;
	int b;

	for (b = 0; b < DEFER_UID_BUCKETS; b++)
		for (u = q->uids[b]; u; u = next) {
			next = u->next;
			free(u);
		}
	pthread_mutex_destroy(&q->lock);
}

/* The FIFO of @timeout_ms, made if need be; -1 if all are taken. */
static int defer_fifo_of(struct defer_queue *q, int timeout_ms)
{
	int i, unused = -1;

	for (i = 0; i < DEFER_FIFOS; i++) {
		if (q->fifo_ms[i] == timeout_ms)
			return i;
		if (!q->fifo_ms[i] && unused < 0)
			unused = i;
	}
	if (unused >= 0)
		q->fifo_ms[unused] = timeout_ms;
	return unused;
}

/**
 * defer_add() - queue a request, within the bounds
 * @q:		the queue
 * @d:		the request (DEFER_NEW): kind, uid set
 * @timeout_ms:	its deadline from now (> 0)
 *
 * Return: 0, -EAGAIN over a bound (in all, or of this user), -ENOMEM,
 *	   -EINVAL; then @d is still the caller's
 */
int defer_add(struct defer_queue *q, struct deferred *d, int timeout_ms)
{
	int fifo, rc = 0;

	if (d->kind >= DEFER_KINDS || timeout_ms <= 0)
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &d->deadline);
	d->deadline.tv_sec += timeout_ms / 1000;
	d->deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (d->deadline.tv_nsec >= 1000000000L) {
		d->deadline.tv_sec++;
		d->deadline.tv_nsec -= 1000000000L;
	}
	d->ready = d->gone = false;
	pthread_mutex_lock(&q->lock);
	fifo = defer_fifo_of(q, timeout_ms);
	if (fifo < 0)
		rc = -EINVAL;	/* more timeout values than DEFER_FIFOS: a bug */
	else if (q->count[d->kind] >= q->max[d->kind] ||
		 defer_uid_get(q, d->uid, d->kind) >= q->per_user[d->kind])
		rc = -EAGAIN;
	else
		rc = defer_uid_count(q, d->uid, d->kind, 1);
	if (!rc) {
		q->count[d->kind]++;
		d->fifo = (unsigned int)fifo;
		d->state = DEFER_WAITING;
		defer_list_add(&q->fifo[fifo], d);
		if (d->tid > 0)
			defer_tid_add(q, d);
		__atomic_add_fetch(&q->total, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&q->lock);
	return rc;
}

/* Unlink @d from wherever it is queued and uncount it (lock held). */
static void defer_unqueue(struct defer_queue *q, struct deferred *d)
{
	defer_list_del(d->state == DEFER_READY ? &q->ready : &q->fifo[d->fifo], d);
	if (d->tid > 0)
		defer_tid_del(q, d);
	__atomic_sub_fetch(&q->total, 1, __ATOMIC_RELAXED);
	q->count[d->kind]--;
	defer_uid_count(q, d->uid, d->kind, -1);
	d->state = DEFER_NEW;
}

/**
 * defer_take() - take a request back from the queue
 * @q:		the queue
 * @d:		the request
 *
 * Return: true if it was queued: the caller owns it again (DEFER_NEW)
 */
bool defer_take(struct defer_queue *q, struct deferred *d)
{
	bool queued;

	pthread_mutex_lock(&q->lock);
	queued = d->state != DEFER_NEW;
	if (queued)
		defer_unqueue(q, d);
	pthread_mutex_unlock(&q->lock);
	return queued;
}

/* Move a waiting request to the ready list (lock held). */
static bool defer_ready_locked(struct defer_queue *q, struct deferred *d)
{
	if (d->state != DEFER_WAITING)
		return false;
	defer_list_del(&q->fifo[d->fifo], d);
	d->state = DEFER_READY;
	d->ready = true;
	defer_list_add(&q->ready, d);
	return true;
}

/**
 * defer_make_ready() - have the loop complete a queued request at once
 * @q:		the queue
 * @d:		the request
 *
 * Return: true if it was waiting (the loop must be woken up)
 */
bool defer_make_ready(struct defer_queue *q, struct deferred *d)
{
	bool moved;

	pthread_mutex_lock(&q->lock);
	moved = defer_ready_locked(q, d);
	pthread_mutex_unlock(&q->lock);
	return moved;
}

/**
 * defer_caller_moved_on() - a thread made a notified call: its deferred
 *			     requests are stale
 * @q:		the queue
 * @tid:	the thread
 *
 * Called by the receiving thread for every notification while anything
 * is deferred (one atomic load otherwise).  The stale requests become
 * ready with ->gone set: their complete() cancels instead of answering.
 *
 * Return: true if one was (the loop must be woken up)
 */
bool defer_caller_moved_on(struct defer_queue *q, pid_t tid)
{
	struct deferred *d;
	bool moved = false;

	if (!__atomic_load_n(&q->total, __ATOMIC_RELAXED) || tid <= 0)
		return false;
	pthread_mutex_lock(&q->lock);
	for (d = q->tids[(unsigned int)tid % DEFER_TID_BUCKETS]; d; d = d->tid_next)
		if (d->tid == tid && defer_ready_locked(q, d)) {
			d->gone = true;
			moved = true;
		}
	pthread_mutex_unlock(&q->lock);
	return moved;
}

static long long defer_ms_between(const struct timespec *now, const struct timespec *t)
{
	return (t->tv_sec - now->tv_sec) * 1000LL + (t->tv_nsec - now->tv_nsec) / 1000000;
}

/**
 * defer_next_due() - take the next request to complete now
 * @q:		the queue
 * @now:	CLOCK_MONOTONIC, read once by the caller for this turn
 * @all:	every request is due (the supervisor stops)
 * @next_ms:	out, when none is due: ms until the earliest deadline, or -1
 *
 * Ready requests come first, then those whose deadline is past, from the
 * heads of the FIFOs.
 *
 * Return: the request, taken (DEFER_NEW), or NULL
 */
struct deferred *defer_next_due(struct defer_queue *q, const struct timespec *now,
				bool all, int *next_ms)
{
	struct deferred *d;
	long long next = -1, ms;
	int i;

	pthread_mutex_lock(&q->lock);
	d = q->ready.head;
	for (i = 0; !d && i < DEFER_FIFOS; i++) {
		struct deferred *h = q->fifo[i].head;

		if (!h)
			continue;
		ms = defer_ms_between(now, &h->deadline);
		if (all || ms <= 0)
			d = h;
		else if (next < 0 || ms < next)
			next = ms;
	}
	if (d)
		defer_unqueue(q, d);
	pthread_mutex_unlock(&q->lock);
	*next_ms = next > INT_MAX ? INT_MAX : (int)next;
	return d;
}

/**
 * defer_count() - how many requests of @kind are queued
 * @q:		the queue
 * @kind:	which
 *
 * Return: the number
 */
unsigned int defer_count(struct defer_queue *q, enum defer_kind kind)
{
	unsigned int n;

	pthread_mutex_lock(&q->lock);
	n = q->count[kind];
	pthread_mutex_unlock(&q->lock);
	return n;
}
