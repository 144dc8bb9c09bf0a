// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * supervisor.c - the supervisor's event loop
 *
 * Two kinds of thread serve the supervised tree:
 * - receiving threads (notify.c) block in SECCOMP_IOCTL_NOTIF_RECV, where
 *   the synchronous wake-up (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, Linux 6.6)
 *   hands them the child's CPU directly: the fast path of socket();
 * - this thread runs one epoll(7) loop over named sources (enum
 *   sv_source): the listener's POLLHUP (5.8: no task uses the filter any
 *   more, the tree is gone), the process events connector, the netsup that
 *   waits for the command, the mount table (POLLPRI on mountinfo), and
 *   deferred requests: a notification whose answer needs something slow
 *   (a path looked up by a helper process, later a userspace stack's
 *   daemon) is parked with supervisor_defer() and answered here when its
 *   source is readable or its deadline passes.  Its thread waits in its
 *   system call; every other thread and process keeps being served.
 * Deferred requests are bounded, in all and per user, so that no child
 * can make the supervisor hold without limit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "supervisor.h"

/* Receiving threads (see the bench before changing it). */
/* one receiver, and a spare one for calls of several threads (receive.c) */
#define SV_RECEIVERS	2

static const struct sv_tag sv_tags[] = {
	[SV_SRC_LISTENER]	= { SV_SRC_LISTENER },
	[SV_SRC_PROC_EVENTS]	= { SV_SRC_PROC_EVENTS },
	[SV_SRC_PARENT]		= { SV_SRC_PARENT },
	[SV_SRC_STOP]		= { SV_SRC_STOP },
	[SV_SRC_MOUNTS]		= { SV_SRC_MOUNTS },
	[SV_SRC_WAKE]		= { SV_SRC_WAKE },
};

static int sv_watch(struct supervisor *sv, int fd, uint32_t events, const struct sv_tag *tag)
{
	struct epoll_event ev = { .events = events, .data.ptr = (void *)tag };

	if (fd < 0)
		return 0;
	return epoll_ctl(sv->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static long long sv_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* The loop sleeps for @timeout_ms (-1: until an event): say until when. */
static void sv_sleep_until(struct supervisor *sv, int timeout_ms)
{
	struct timespec now;
	long long until = LLONG_MAX;

	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		until = sv_ns(&now) + timeout_ms * 1000000LL;
	}
	__atomic_store_n(&sv->loop_until, until, __ATOMIC_SEQ_CST);
}

/**
 * supervisor_defer() - answer a notification later, from the event loop
 * @sv:		the supervisor
 * @d:		the request: tag, id, tid, uid, kind, fd and complete set;
 *		owned by the loop from here on if this succeeds
 * @timeout_ms:	when complete() is called with @expired, if @d->fd has
 *		not become readable before
 *
 * Return: 0, or -EAGAIN if too many requests wait (in all, or of this
 *	   user), other -errno; then @d is still the caller's
 */
int supervisor_defer(struct supervisor *sv, struct deferred *d, int timeout_ms)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->tag };
	long long deadline;
	int rc;

	d->tag.type = SV_SRC_DEFERRED;
	rc = defer_add(&sv->deferred, d, timeout_ms);
	if (rc)
		return rc;
	/* read before the descriptor is watched: from then on the loop may
	 * complete and free @d at once (a helper that answered already) */
	deadline = sv_ns(&d->deadline);
	if (d->fd >= 0 && epoll_ctl(sv->epfd, EPOLL_CTL_ADD, d->fd, &ev)) {
		rc = -errno;
		defer_take(&sv->deferred, d);
		return rc;
	}
	/* a deadline before the loop means to wake up: wake it (a stopped
	 * helper never makes its descriptor readable) */
	if (deadline < __atomic_load_n(&sv->loop_until, __ATOMIC_SEQ_CST) &&
	    eventfd_write(sv->wake_fd, 1)) {
		/* the loop sees it at its next wake-up */
	}
	return 0;
}

/**
 * supervisor_undefer() - take a deferred request back from the loop
 * @sv:		the supervisor
 * @d:		the request
 *
 * Return: true if it was still deferred: the caller owns it again
 */
bool supervisor_undefer(struct supervisor *sv, struct deferred *d)
{
	if (!defer_take(&sv->deferred, d))
		return false;
	if (d->fd >= 0)
		epoll_ctl(sv->epfd, EPOLL_CTL_DEL, d->fd, NULL);
	return true;
}

/*
 * Complete the requests that are ready or whose time is up (all with
 * @all), reading the clock once; the earliest deadline left, in ms, or -1.
 */
static int sv_expire(struct supervisor *sv, struct worker *w, bool all)
{
	struct timespec now;
	struct deferred *d;
	int next;

	clock_gettime(CLOCK_MONOTONIC, &now);
	while ((d = defer_next_due(&sv->deferred, &now, all, &next))) {
		if (d->fd >= 0)
			epoll_ctl(sv->epfd, EPOLL_CTL_DEL, d->fd, NULL);
		d->complete(d, w, true);
	}
	return next;
}

/**
 * supervisor_ready() - have the loop complete a deferred request now
 * @sv:		the supervisor
 * @d:		the request, deferred already
 */
void supervisor_ready(struct supervisor *sv, struct deferred *d)
{
	if (defer_make_ready(&sv->deferred, d) && eventfd_write(sv->wake_fd, 1)) {
		/* the loop sees it at its next wake-up */
	}
}

/**
 * supervisor_caller_moved_on() - a thread made a notified call
 * @sv:		the supervisor
 * @tid:	the thread
 *
 * Whatever it had deferred is stale: the loop cancels it (defer.c).
 */
void supervisor_caller_moved_on(struct supervisor *sv, pid_t tid)
{
	if (defer_caller_moved_on(&sv->deferred, tid) && eventfd_write(sv->wake_fd, 1)) {
		/* the loop sees it at its next wake-up */
	}
}

/**
 * supervisor_watch() - add a source to the event loop
 * @sv:		the supervisor
 * @fd:		what to watch for input
 * @tag:	what it is (lives as long as the watch)
 *
 * Return: 0 or -errno
 */
int supervisor_watch(struct supervisor *sv, int fd, const struct sv_tag *tag)
{
	return sv_watch(sv, fd, EPOLLIN, tag);
}

/**
 * supervisor_unwatch() - take a source out of the event loop
 * @sv:		the supervisor
 * @fd:		what supervisor_watch() added
 */
void supervisor_unwatch(struct supervisor *sv, int fd)
{
	epoll_ctl(sv->epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* The netsup that waits for the command has exited: let go of its stdio. */
static void sv_detach(struct supervisor *sv)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	epoll_ctl(sv->epfd, EPOLL_CTL_DEL, sv->parent_pidfd, NULL);
	close(sv->parent_pidfd);
	sv->parent_pidfd = -1;
}

/*
 * The mount table changed (POLLPRI on /proc/self/mountinfo): a stack file
 * of --default may have been unmounted or removed (ip netns del,
 * netsup-stack del).  Sockets already made in it keep working; new ones
 * get ENETDOWN.  Stacks named through msocket() are held by the processes
 * that chose them and are not checked.
 */
static void sv_mounts_changed(struct supervisor *sv)
{
	char buf[4096];
	int i;

	lseek(sv->mounts_fd, 0, SEEK_SET);
	while (read(sv->mounts_fd, buf, sizeof(buf)) > 0)
		;	/* read to the end: that re-arms POLLPRI */
	for (i = 0; i < FAM_COUNT; i++) {
		struct stack *s = sv->procs.root[i];

		if (s && !__atomic_load_n(&s->removed, __ATOMIC_ACQUIRE) &&
		    stack_check_removed(s))
			warn("%s was removed: new %s sockets get ENETDOWN",
			     s->path, stack_family_name(i));
	}
}

/* Serve events until the tree is gone or a receiving thread ended. */
static int sv_loop(struct supervisor *sv, struct worker *w)
{
	struct epoll_event evs[16];
	int i, n, timeout, again;

	while (!__atomic_load_n(&sv->stop, __ATOMIC_ACQUIRE)) {
		timeout = sv_expire(sv, w, false);
		sv_sleep_until(sv, timeout);
		/* what was deferred before the line above compared its deadline
		 * with the old one: look again (supervisor_defer()) */
		again = sv_expire(sv, w, false);
		if (again >= 0 && (timeout < 0 || again < timeout)) {
			timeout = again;
			sv_sleep_until(sv, timeout);
		}
		n = epoll_wait(sv->epfd, evs, 16, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (i = 0; i < n; i++) {
			const struct sv_tag *tag = evs[i].data.ptr;

			switch (tag->type) {
			case SV_SRC_LISTENER:
				if (evs[i].events & (EPOLLHUP | EPOLLERR))
					return 0;
				break;
			case SV_SRC_PROC_EVENTS:
				proc_events_drain(&sv->procs);
				break;
			case SV_SRC_PARENT:
				sv_detach(sv);
				break;
			case SV_SRC_STOP:
				return 0;
			case SV_SRC_MOUNTS:
				sv_mounts_changed(sv);
				break;
			case SV_SRC_INPUT:
				tag->input(sv, (struct sv_tag *)tag, w);
				break;
			case SV_SRC_WAKE: {
				eventfd_t v;

				if (eventfd_read(sv->wake_fd, &v)) {
					/* nothing to clear */
				}
				break;	/* sv_expire() completes what is ready */
			}
			case SV_SRC_DEFERRED: {
				struct deferred *d = (struct deferred *)tag;

				if (supervisor_undefer(sv, d))
					d->complete(d, w, false);
				break;
			}
			}
		}
	}
	return 0;
}

static void sv_wakeup_signal(int sig)
{
	(void)sig;	/* only there to interrupt RECV */
}

static int sv_open(struct supervisor *sv)
{
	int rc;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sv->sizes))
		return -errno;
	pthread_mutex_init(&sv->dlock, NULL);
	defer_init(&sv->deferred);
	stray_init(&sv->strays);
	sv->deferred.max[DEFER_HELPER] = SV_DEFERRED_MAX;
	sv->deferred.per_user[DEFER_HELPER] = SV_DEFERRED_PER_USER;
	sv->deferred.max[DEFER_STACK_CALL] = SV_STACKCALLS_MAX;
	sv->deferred.per_user[DEFER_STACK_CALL] = SV_STACKCALLS_PER_USER;
	sv->epfd = epoll_create1(EPOLL_CLOEXEC);
	sv->stop_fd = eventfd(0, EFD_CLOEXEC);
	sv->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	sv->spare_fd = eventfd(0, EFD_CLOEXEC);
	if (sv->epfd < 0 || sv->stop_fd < 0 || sv->wake_fd < 0 || sv->spare_fd < 0)
		return -errno;
	sv->mounts_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (sv->mounts_fd >= 0)
		sv_mounts_changed(sv);	/* arms POLLPRI */
	rc = sv_watch(sv, sv->listener, 0, &sv_tags[SV_SRC_LISTENER]);
	if (!rc)
		rc = sv_watch(sv, sv->procs.cn_fd, EPOLLIN, &sv_tags[SV_SRC_PROC_EVENTS]);
	if (!rc)
		rc = sv_watch(sv, sv->parent_pidfd, EPOLLIN, &sv_tags[SV_SRC_PARENT]);
	if (!rc)
		rc = sv_watch(sv, sv->stop_fd, EPOLLIN, &sv_tags[SV_SRC_STOP]);
	if (!rc)
		rc = sv_watch(sv, sv->mounts_fd, EPOLLPRI, &sv_tags[SV_SRC_MOUNTS]);
	if (!rc)
		rc = sv_watch(sv, sv->wake_fd, EPOLLIN, &sv_tags[SV_SRC_WAKE]);
	/* what the loop serves for others (the daemons of userspace stacks) */
	if (!rc && sv->attach)
		rc = sv->attach(sv);
	return rc;
}

static void sv_close(struct supervisor *sv)
{
	if (sv->detach)
		sv->detach(sv);
	if (sv->spare_fd >= 0)
		close(sv->spare_fd);
	if (sv->wake_fd >= 0)
		close(sv->wake_fd);
	if (sv->stop_fd >= 0)
		close(sv->stop_fd);
	if (sv->mounts_fd >= 0)
		close(sv->mounts_fd);
	if (sv->epfd >= 0)
		close(sv->epfd);
	pthread_mutex_destroy(&sv->dlock);
	defer_fini(&sv->deferred);
}

/**
 * supervisor_run() - serve notifications until no process uses the filter
 * @sv:		the supervisor, with its listener and defaults
 *
 * SV_RECEIVERS threads receive and serve notifications (receive.c: the
 * second only while calls of several threads come at once); this thread runs
 * the event loop and completes deferred requests.
 *
 * Return: 0 when the supervised tree is gone, or -errno
 */
int supervisor_run(struct supervisor *sv)
{
	struct sigaction sa = { .sa_handler = sv_wakeup_signal };
	struct worker *recv[SV_RECEIVERS] = { NULL }, *w;
	pthread_t threads[SV_RECEIVERS];
	int i, n = 0, rc;

	sv->epfd = sv->stop_fd = sv->mounts_fd = sv->wake_fd = sv->spare_fd = -1;
	rc = sv_open(sv);
	w = rc ? NULL : notify_worker_new(sv);
	if (!w) {
		sv_close(sv);
		return rc ? rc : -ENOMEM;
	}
	notify_fast_paths(sv);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: RECV returns EINTR */
	signal(SIGCHLD, SIG_IGN);	/* helpers are reaped by the kernel */

	for (i = 0; i < SV_RECEIVERS; i++) {
		recv[i] = notify_worker_new(sv);
		if (!recv[i]) {
			rc = -ENOMEM;
			break;
		}
		rc = -pthread_create(&threads[i], NULL,
				     i ? receive_spare_loop : receive_loop, recv[i]);
		if (rc) {
			notify_worker_free(recv[i]);
			break;
		}
		n++;
	}
	if (n)
		rc = sv_loop(sv, w);

	__atomic_store_n(&sv->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++) {
		pthread_kill(threads[i], SIGUSR1);
		pthread_join(threads[i], NULL);
		notify_worker_free(recv[i]);
	}
	sv_expire(sv, w, true);		/* nobody is left to wait for them */
	notify_worker_free(w);
	sv_close(sv);
	return rc;
}
