// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loop.c - the daemon's one event loop
 *
 * epoll(7), level-triggered, every source tagged with its type (struct
 * lw_src, enum lw_src_type) and dispatched in one switch.  The loop sleeps
 * without lwIP's core lock and takes it (LOCK_TCPIP_CORE, Debian's build
 * has LWIP_TCPIP_CORE_LOCKING) for each batch of events, so that lwIP's
 * thread can run its timers meanwhile.  Objects closed during a batch (or
 * by lwIP's thread while we slept) are marked gone and freed at the end of
 * the batch: an event fetched before they left the epoll set may name
 * them.  Data from the peers is written to the sockets once per batch
 * (tcp_flush_all).  SIGTERM and SIGINT arrive on a signalfd(2) and end the loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "lwip/priv/tcp_priv.h"
#include "lwip/tcpip.h"

#include "lw.h"

/*
 * loop_add() - watch @fd for @events on behalf of @src
 * @d:		the daemon
 * @fd:		the descriptor
 * @events:	EPOLLIN, EPOLLOUT (EPOLLHUP and EPOLLERR always come)
 * @src:	what the event is dispatched to
 *
 * Return: 0 or -errno
 */
int loop_add(struct lw_daemon *d, int fd, uint32_t events, struct lw_src *src)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/*
 * loop_mod() - change the events watched on @fd
 * @d:		the daemon
 * @fd:		the descriptor
 * @events:	the new set
 * @src:	as given to loop_add()
 *
 * Return: 0 or -errno
 */
int loop_mod(struct lw_daemon *d, int fd, uint32_t events, struct lw_src *src)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	return epoll_ctl(d->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

/*
 * loop_del() - stop watching @fd (before closing it)
 * @d:		the daemon
 * @fd:		the descriptor
 */
void loop_del(struct lw_daemon *d, int fd)
{
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, fd, NULL);
}

/*
 * loop_reap() - free what was closed during the batch
 * @d:		the daemon
 */
void loop_reap(struct lw_daemon *d)
{
	struct lw_sock *s;
	struct lw_conn *c;

	if (d->dead_socks || d->dead_conns)
		serve_accept_resume(d);	/* descriptors were freed */

	while ((s = d->dead_socks)) {
		d->dead_socks = s->next;
		free(s->dq);
		free(s->stash);
		free(s->rxv);
		free(s);
	}
	while ((c = d->dead_conns)) {
		d->dead_conns = c->next;
		serve_conn_free(c);
	}
}

/*
 * loop_signal() - read the signal that arrived
 * @d:		the daemon
 */
static void loop_signal(struct lw_daemon *d)
{
	struct signalfd_siginfo si;

	if (read(d->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		lw_info("signal %u: closing every connection", si.ssi_signo);
		d->stop = true;
	}
}

/*
 * loop_dispatch() - one event to its source
 * @d:		the daemon
 * @ev:		the event
 */
static void loop_dispatch(struct lw_daemon *d, const struct epoll_event *ev)
{
	struct lw_src *src = ev->data.ptr;

	if (src->gone)
		return;
	switch (src->type) {
	case SRC_LISTEN:
		serve_accept(d);
		break;
	case SRC_CONN:
		serve_conn_event((struct lw_conn *)src, ev->events);
		break;
	case SRC_SOCK:
		sock_event((struct lw_sock *)src, ev->events);
		break;
	case SRC_LINK:
		link_input(d);
		break;
	case SRC_SIGNAL:
		loop_signal(d);
		break;
	}
}

/*
 * loop_run() - serve until SIGTERM or SIGINT
 * @d:		the daemon: epfd, listen_fd, link_fd and signal_fd set up
 *
 * Return: 0 or -errno of epoll_wait()
 */
int loop_run(struct lw_daemon *d)
{
	struct epoll_event ev[64];
	int n, i;

	d->listen_src.type = SRC_LISTEN;
	d->link_src.type = SRC_LINK;
	d->signal_src.type = SRC_SIGNAL;
	if (loop_add(d, d->listen_fd, EPOLLIN, &d->listen_src) < 0 ||
	    loop_add(d, d->link_fd, EPOLLIN, &d->link_src) < 0 ||
	    loop_add(d, d->signal_fd, EPOLLIN, &d->signal_src) < 0)
		return -errno;
	while (!d->stop) {
		n = epoll_wait(d->epfd, ev, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			lw_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		LOCK_TCPIP_CORE();
		d->batch = true;
		for (i = 0; i < n; i++)
			loop_dispatch(d, &ev[i]);
		tcp_flush_all(d);
		d->batch = false;
		loop_reap(d);
		UNLOCK_TCPIP_CORE();
	}
	return 0;
}

/*
 * loop_tcp_busy() - does lwIP still hold TCP data or a FIN to send?
 *
 * Called with the core lock held.
 *
 * Return: true while a pcb has unsent or unacknowledged segments
 */
static bool loop_tcp_busy(void)
{
	const struct tcp_pcb *pcb;

	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
		if (pcb->unsent || pcb->unacked)
			return true;
	return false;
}

/*
 * loop_drain() - after every socket is closed, let lwIP finish sending
 * @d:		the daemon
 * @ms:		at most this long
 *
 * The sockets closed at SIGTERM still have their last data and their FIN
 * queued in lwIP; the link is read (its ACKs) and lwIP's thread
 * retransmits, until nothing is left to send or @ms have passed, so that
 * peers see their connections end with a FIN rather than go silent.
 */
void loop_drain(struct lw_daemon *d, int ms)
{
	struct pollfd p = { .fd = d->link_fd, .events = POLLIN };
	struct timespec t0, t;
	bool busy;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		LOCK_TCPIP_CORE();
		busy = loop_tcp_busy();
		UNLOCK_TCPIP_CORE();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (!busy || (t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			return;
		if (poll(&p, 1, 50) > 0) {
			LOCK_TCPIP_CORE();
			link_input(d);
			UNLOCK_TCPIP_CORE();
		}
	}
}
