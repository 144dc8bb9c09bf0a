/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * supervisor.h - the process that serves the command's notifications
 */
#ifndef NETSUP_SUPERVISOR_H
#define NETSUP_SUPERVISOR_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <sys/types.h>
#include <linux/seccomp.h>

#include "policy.h"
#include "proc.h"
#include "../stacks/stack.h"

/* What woke the event loop up (the tag of each epoll source). */
enum sv_source {
	SV_SRC_LISTENER,	/* POLLHUP: no task uses the filter any more */
	SV_SRC_PROC_EVENTS,	/* the process events connector */
	SV_SRC_PARENT,		/* the netsup waiting for the command exited */
	SV_SRC_STOP,		/* a handling thread ended */
	SV_SRC_MOUNTS,		/* the mount table changed */
	SV_SRC_DEFERRED,	/* a deferred request can go on */
	SV_SRC_USTACK,		/* a userspace stack daemon answered */
	SV_SRC_WAKE,		/* a deferred request is ready at once */
};

struct sv_tag {
	enum sv_source type;
};

struct worker;
struct route_table;

/*
 * A notification answered later, by the event loop: its thread waits in
 * the system call, everybody else is served meanwhile.  Whoever defers
 * embeds this, fills it in and hands it over with supervisor_defer().
 */
struct deferred {
	struct sv_tag tag;		/* SV_SRC_DEFERRED */
	__u64 id;			/* the notification */
	pid_t tid;			/* its thread */
	uid_t uid;			/* counted against this user */
	bool stack_call;		/* a userspace stack's, not a helper's */
	int fd;				/* readable: complete() can go on */
	struct timespec deadline;	/* CLOCK_MONOTONIC: complete() gives up */
	bool ready;			/* complete() now (supervisor_ready()) */
	/* answer the notification and free the request, on the loop thread */
	void (*complete)(struct deferred *d, struct worker *w, bool expired);
	struct deferred *next;
};

/*
 * At most this many deferred requests, and per user: path helpers (a
 * process and two descriptors each), and calls waiting for a userspace
 * stack (a blocked accept or recvfrom each; a descriptor each).
 */
#define SV_DEFERRED_MAX		64
#define SV_DEFERRED_PER_USER	16
#define SV_STACKCALLS_MAX	8192
#define SV_STACKCALLS_PER_USER	2048

struct supervisor {
	int listener;		/* seccomp user-notification fd */
	int parent_pidfd;	/* the netsup waiting for the command, or -1 */
	bool sync_wakeup;	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */
	bool stop;		/* atomic: the handling threads end */
	int stop_fd;		/* eventfd: a handling thread ended */
	int mounts_fd;		/* /proc/self/mountinfo, for removed stacks */
	int epfd;		/* the event loop */
	int wake_fd;		/* eventfd: supervisor_ready() */
	struct ustack *ustacks;	/* clients of userspace stacks (ustack.c) */
	struct seccomp_notif_sizes sizes;
	struct proctab procs;	/* default stacks, per process */
	struct credcache cache;	/* credentials, per thread */
	struct policy policy;	/* stacks msocket() may name */
	const struct route_table *routes;	/* --route, --user-net (move.c), or NULL */
	bool moved;		/* atomic: a process changed its namespace */
	dev_t base_dev;		/* the namespace the tree started in */
	ino_t base_ino;
	pthread_mutex_t dlock;	/* the deferred requests, base_* */
	struct deferred *deferred;
	unsigned int ndeferred;
};

int supervisor_run(struct supervisor *sv);
int supervisor_defer(struct supervisor *sv, struct deferred *d, int timeout_ms);
bool supervisor_undefer(struct supervisor *sv, struct deferred *d);
void supervisor_ready(struct supervisor *sv, struct deferred *d);
int supervisor_watch(struct supervisor *sv, int fd, const struct sv_tag *tag);
void supervisor_unwatch(struct supervisor *sv, int fd);

/* notify.c: the handling of notifications */
struct worker *notify_worker_new(struct supervisor *sv);
void notify_worker_free(struct worker *w);
void *notify_receive_loop(void *arg);
void notify_fast_paths(struct supervisor *sv);

#endif /* NETSUP_SUPERVISOR_H */
