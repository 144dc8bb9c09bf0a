/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * defer.h - requests answered later: registration, deadlines, limits
 */
#ifndef NETSUP_DEFER_H
#define NETSUP_DEFER_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <sys/types.h>
#include <linux/types.h>

#include "svtag.h"

struct worker;

/* The one state of a deferred request (passt's flow states are the model). */
enum defer_state {
	DEFER_NEW,		/* the caller's: not queued (yet, or again) */
	DEFER_WAITING,		/* queued: its fd or its deadline completes it */
	DEFER_READY,		/* queued: the loop completes it at its next turn */
};

/* What a request counts against: each has its own bounds. */
enum defer_kind {
	DEFER_HELPER,		/* a path helper: a process, two descriptors */
	DEFER_STACK_CALL,	/* a call waiting for a userspace stack daemon */
	DEFER_KINDS,
};

/*
 * A notification answered later, by the event loop: its thread waits in
 * the system call, everybody else is served meanwhile.  Whoever defers
 * embeds this, fills in the fields above the line and hands it over with
 * supervisor_defer().
 */
struct deferred {
	struct sv_tag tag;		/* SV_SRC_DEFERRED */
	__u64 id;			/* the notification */
	pid_t tid;			/* its thread */
	uid_t uid;			/* counted against this user */
	enum defer_kind kind;
	int fd;				/* readable: complete() can go on, or -1 */
	/* answer the notification and free the request, on the loop thread */
	void (*complete)(struct deferred *d, struct worker *w, bool expired);
	/* ---- the queue's own ---- */
	enum defer_state state;
	bool ready;			/* complete() runs because it was made ready */
	bool gone;			/* ... because its thread made another call */
	struct timespec deadline;	/* CLOCK_MONOTONIC: complete() gives up */
	unsigned int fifo;		/* which FIFO (one per timeout) */
	struct deferred *prev, *next;	/* in its FIFO, or in the ready list */
	struct deferred *tid_prev, *tid_next;	/* in its bucket by tid */
};

#define DEFER_FIFOS		16	/* distinct timeouts in use */
#define DEFER_UID_BUCKETS	64
#define DEFER_TID_BUCKETS	4096

struct defer_list {
	struct deferred *head, *tail;
};

struct defer_uid {
	uid_t uid;
	unsigned int count[DEFER_KINDS];
	struct defer_uid *next;
};

/*
 * All deferred requests.  A timeout value has its own FIFO, so deadlines
 * in each rise from head to tail: expiry looks at heads only.  Every
 * operation is O(1) in the number of requests (the uid table: in the
 * number of users with requests, by hash).
 */
struct defer_queue {
	pthread_mutex_t lock;
	struct defer_list fifo[DEFER_FIFOS];
	int fifo_ms[DEFER_FIFOS];	/* the timeout of each, 0: unused */
	struct defer_list ready;
	unsigned int count[DEFER_KINDS];
	unsigned int max[DEFER_KINDS], per_user[DEFER_KINDS];
	struct defer_uid *uids[DEFER_UID_BUCKETS];
	struct deferred *tids[DEFER_TID_BUCKETS];	/* waiting, by thread */
	unsigned int total;		/* atomic: all kinds */
};

void defer_init(struct defer_queue *q);
void defer_fini(struct defer_queue *q);
int defer_add(struct defer_queue *q, struct deferred *d, int timeout_ms);
bool defer_take(struct defer_queue *q, struct deferred *d);
bool defer_make_ready(struct defer_queue *q, struct deferred *d);
struct deferred *defer_next_due(struct defer_queue *q, const struct timespec *now,
				bool all, int *next_ms);
unsigned int defer_count(struct defer_queue *q, enum defer_kind kind);
bool defer_caller_moved_on(struct defer_queue *q, pid_t tid);

#endif /* NETSUP_DEFER_H */
