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

#include "defer.h"
#include "policy.h"
#include "stray.h"
#include "svtag.h"
#include "proc.h"
#include "../stacks/stack.h"

struct worker;
struct route_table;

/*
 * The bounds of deferred requests, in all and per user: path helpers (a
 * process and two descriptors each), and calls waiting for a userspace
 * stack (a blocked accept or recvfrom each: memory only, no descriptor;
 * a kernel lets a user block as many threads as it likes in accept(), so
 * these are far above what a program needs and far below what would hurt).
 */
#define SV_DEFERRED_MAX		64
#define SV_DEFERRED_PER_USER	16
#define SV_STACKCALLS_MAX	65536
#define SV_STACKCALLS_PER_USER	16384

struct supervisor {
	int listener;		/* seccomp user-notification fd */
	int parent_pidfd;	/* the netsup waiting for the command, or -1 */
	bool sync_wakeup;	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */
	bool interruptible;	/* no WAIT_KILLABLE_RECV: a signal may end a
				 * call between ADDFD and SEND (stray.c) */
	bool userspace;		/* the filter notifies the calls a userspace
				 * socket needs (--userspace, a userspace
				 * default or route, --user-net) */
	struct stray_table strays;	/* descriptors such calls left */
	bool stop;		/* atomic: the handling threads end */
	int stop_fd;		/* eventfd: a handling thread ended */
	int mounts_fd;		/* /proc/self/mountinfo, for removed stacks */
	int epfd;		/* the event loop */
	int wake_fd;		/* eventfd: supervisor_ready() */
	struct ustack *ustacks;	/* clients of userspace stacks (ustack.c) */
	struct unborn *unborn;	/* where their sockets wait (unborn.c), or NULL */
	struct seccomp_notif_sizes sizes;
	struct proctab procs;	/* default stacks, per process */
	struct credcache cache;	/* credentials, per thread */
	struct policy policy;	/* stacks msocket() may name */
	const struct route_table *routes;	/* --route, --user-net (move.c), or NULL */
	bool moved;		/* atomic: a process changed its namespace */
	bool tcp_native;	/* TCP socket() is not notified (filter.c) */
	dev_t base_dev;		/* the namespace the tree started in */
	ino_t base_ino;
	pthread_mutex_t dlock;	/* base_* */
	struct defer_queue deferred;	/* requests answered later (defer.c) */
	long long loop_until;	/* atomic: CLOCK_MONOTONIC ns the loop sleeps to */
	int spare_fd;		/* eventfd: the spare receiver is wanted */
	bool spare_on;		/* atomic: the spare receiver receives */
	pid_t recv_tid;		/* atomic: caller of the last notification */
	long long recv_ns;	/* atomic: when it was received */
	long long busy_until;	/* atomic: calls of several threads at once
				 * were seen; the spare stays till then */
	/* once the loop's sources are open, and before they close: what
	 * others add to the loop (launch.c: the userspace stacks' daemons,
	 * ustack.c), so that the loop needs to know none of them */
	int (*attach)(struct supervisor *sv);
	void (*detach)(struct supervisor *sv);
};

int supervisor_run(struct supervisor *sv);
int supervisor_defer(struct supervisor *sv, struct deferred *d, int timeout_ms);
bool supervisor_undefer(struct supervisor *sv, struct deferred *d);
void supervisor_ready(struct supervisor *sv, struct deferred *d);
void supervisor_caller_moved_on(struct supervisor *sv, pid_t tid);
int supervisor_watch(struct supervisor *sv, int fd, const struct sv_tag *tag);
void supervisor_unwatch(struct supervisor *sv, int fd);

/* notify.c: the handling of notifications */
struct worker *notify_worker_new(struct supervisor *sv);
void notify_worker_free(struct worker *w);
void notify_fast_paths(struct supervisor *sv);
int notify_recv(struct worker *w);
void notify_handle(struct worker *w);

/* receive.c: the threads that receive notifications */
void *receive_loop(void *arg);
void *receive_spare_loop(void *arg);

#endif /* NETSUP_SUPERVISOR_H */
