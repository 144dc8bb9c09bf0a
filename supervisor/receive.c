// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * receive.c - the threads that receive notifications: one always, and a
 *	       spare one while calls come from several threads at once
 *
 * A thread blocked in SECCOMP_IOCTL_NOTIF_RECV waits non-exclusively
 * (kernel/seccomp.c, recv_wait_event(): prepare_to_wait_event() on the
 * filter's wait queue), so every receiver wakes for each notification and
 * all but one go back to sleep.  With one calling thread that is a wake-up
 * for nothing per call: socket()+close() ran at 35,000 a second with one
 * receiver, 21,000 with two.  With two calling threads on two CPUs, one
 * receiver is pulled from CPU to CPU by the synchronous wake-ups: 12,000 a
 * second, 53,000 with two receivers.
 *
 * So the second receiver waits on an eventfd of its own until the first
 * sees calls of two threads less than RECEIVE_CONCURRENT_NS apart, and
 * goes back to it once RECEIVE_SPARE_IDLE_NS have passed without that.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>

#include "log.h"
#include "notify.h"
#include "supervisor.h"

#define RECEIVE_CONCURRENT_NS	200000LL	/* 200 µs */
#define RECEIVE_SPARE_IDLE_NS	50000000LL	/* 50 ms */

static long long receive_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* No process uses the filter any more (POLLHUP on the listener, 5.8)? */
static bool receive_orphaned(const struct supervisor *sv)
{
	struct pollfd pfd = { .fd = sv->listener };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/*
 * A notification of @tid was received: calls of another thread just
 * before it mean several threads at once; the spare is woken for them.
 */
static void receive_note(struct supervisor *sv, pid_t tid)
{
	long long now = receive_now();
	pid_t last = __atomic_exchange_n(&sv->recv_tid, tid, __ATOMIC_RELAXED);
	long long then = __atomic_exchange_n(&sv->recv_ns, now, __ATOMIC_RELAXED);

	if (last == tid || now - then >= RECEIVE_CONCURRENT_NS)
		return;
	__atomic_store_n(&sv->busy_until, now + RECEIVE_SPARE_IDLE_NS, __ATOMIC_RELAXED);
	if (!__atomic_exchange_n(&sv->spare_on, true, __ATOMIC_ACQ_REL) &&
	    eventfd_write(sv->spare_fd, 1)) {
		/* cannot fail short of a full counter: it is awake then */
	}
}

/*
 * Receive and serve one notification; false when the thread must end
 * (no process uses the filter, or RECV failed for good).
 */
static bool receive_one(struct worker *w)
{
	int rc = notify_recv(w);

	if (!rc) {
		receive_note(w->sv, (pid_t)w->req->pid);
		notify_handle(w);
		return true;
	}
	if (rc == -ENOENT)
		return !receive_orphaned(w->sv);
	if (rc == -EINTR)
		return true;
	err("cannot receive notifications: %s", strerror(-rc));
	return false;
}

/* fail closed: the loop ends, the listener closes, ENOSYS */
static void *receive_end(struct worker *w)
{
	__atomic_store_n(&w->sv->stop, true, __ATOMIC_RELEASE);
	if (eventfd_write(w->sv->stop_fd, 1)) {
		/* the loop sees stop at its next wake-up */
	}
	return NULL;
}

static bool receive_stopped(const struct supervisor *sv)
{
	return __atomic_load_n(&sv->stop, __ATOMIC_ACQUIRE);
}

/**
 * receive_loop() - the receiving thread
 * @arg:	its worker
 *
 * Blocks in SECCOMP_IOCTL_NOTIF_RECV, where the synchronous wake-up
 * reaches it directly.  From Linux 6.6 RECV returns ENOENT once no process
 * uses the filter; before, the loop thread interrupts it with a signal.
 *
 * Return: NULL
 */
void *receive_loop(void *arg)
{
	struct worker *w = arg;

	while (!receive_stopped(w->sv))
		if (!receive_one(w))
			break;
	return receive_end(w);
}

/**
 * receive_spare_loop() - the spare receiving thread
 * @arg:	its worker
 *
 * Waits on sv->spare_fd until receive_note() wants it, then receives as
 * receive_loop() does until calls of several threads have stopped coming.
 * The supervisor's SIGUSR1 at the end interrupts either wait.
 *
 * Return: NULL
 */
void *receive_spare_loop(void *arg)
{
	struct worker *w = arg;
	struct supervisor *sv = w->sv;
	eventfd_t n;

	while (!receive_stopped(sv)) {
		if (!__atomic_load_n(&sv->spare_on, __ATOMIC_ACQUIRE)) {
			if (eventfd_read(sv->spare_fd, &n) && errno != EINTR)
				break;
			continue;
		}
		if (!receive_one(w))
			break;
		if (receive_now() > __atomic_load_n(&sv->busy_until, __ATOMIC_RELAXED))
			__atomic_store_n(&sv->spare_on, false, __ATOMIC_RELEASE);
	}
	return receive_end(w);
}
