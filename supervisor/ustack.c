// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ustack.c - the supervisor's client of userspace stack daemons
 *
 * One connection per daemon, for the supervisor's whole life: the daemon
 * closes every socket of a connection when it goes (netsup-stack-
 * protocol(7)), so a userspace stack named again (by msocket, by another
 * process) is the one already connected (ustack_intern()).  The
 * connection is a source of the event loop: replies are read on the loop
 * thread and matched to their requests by id; requests are sent from any
 * thread.  A request is a deferred notification (supervisor.c): its
 * deadline comes every USTACK_POLL_MS, and then the caller is checked
 * (SECCOMP_IOCTL_NOTIF_ID_VALID): a thread that a signal took out of a
 * blocking connect or accept is gone from the notification, and its
 * request is cancelled (SP_CANCEL); a quick request unanswered after
 * USTACK_GIVEUP_POLLS polls fails with EIO.  A daemon that closes the
 * connection (it died) fails every pending request with ENETDOWN, and so
 * will every new socket in that stack.
 *
 * The sockets made in userspace stacks are known by the child's end of
 * their socketpair: its inode, which the supervisor compares with that of
 * the descriptor a child's call names (pidfd_getfd(2), ucall.c).  When the
 * child closes its end, the daemon forgets the socket, and nothing tells
 * the supervisor: each time the table has doubled, it asks the daemon
 * about the sockets it knows (GETSOCKNAME; EBADF: gone) and forgets the
 * dead, so that a server that accepts forever does not grow netsup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"
#include "ustack.h"

#define USTACK_POLL_MS		250
#define USTACK_GIVEUP_POLLS	40	/* 10 s for a request that never blocks */
#define USTACK_SOCK_BUCKETS	1024
#define USTACK_SWEEP_MIN	1024	/* sockets known before the first sweep */
#define USTACK_SWEEP_BATCH	64	/* questions in flight at once */
#define USTACK_SEND_WAIT_MS	50	/* a daemon behind: how long a send waits */
#define USTACK_PENDING_BUCKETS	1024	/* requests waiting, by id */
#define USTACK_BACKOFF_TIME	3	/* a blocked call: polls up to 2 s by age */
#define USTACK_BACKOFF_MAX	9	/* ... up to 128 s when thousands wait */
#define USTACK_CHECKS_PER_SEC	64	/* ID_VALID of blocked calls, in all */

struct ustack {
	struct sv_tag tag;		/* SV_SRC_USTACK */
	struct stack *s;		/* its connection is s->fd */
	pthread_mutex_t lock;		/* pending, next_id, sending */
	uint64_t next_id;
	struct ureq *pending[USTACK_PENDING_BUCKETS];	/* by id */
	bool dead;
	uid_t owner;			/* the daemon's uid (SO_PEERCRED), or -1 */
	uid_t uid;			/* whom it counts against (0: root's, none) */
	struct ustack *next;		/* in sv->ustacks */
};

/* The sockets of all userspace stacks, by the inode of the child's end. */
struct usock_entry {
	dev_t dev;
	ino_t ino;
	struct usock us;
	struct usock_entry *next;
};

static struct {
	pthread_mutex_t lock;
	struct usock_entry *buckets[USTACK_SOCK_BUCKETS];
	bool any;
	size_t count;		/* entries */
	size_t next_sweep;	/* sweep when count reaches it */
	size_t cursor;		/* bucket the next sweep starts at */
	size_t swept, gone;	/* of the last sweep, for -vv */
} ustack_socks = { .lock = PTHREAD_MUTEX_INITIALIZER, .next_sweep = USTACK_SWEEP_MIN };

/* The user the daemon at the other end of @fd runs as, or -1. */
static uid_t ustack_peer_uid(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) || len != sizeof(cr))
		return (uid_t)-1;
	return cr.uid;
}

/**
 * ustack_owner() - whom a userspace stack belongs to
 * @s:		the stack, attached
 *
 * The user its daemon runs as (SO_PEERCRED, recorded by the kernel at
 * connect(2)): that user's stack is its own, as a namespace is its
 * owner's, and a low port in it means nothing to anyone else.
 *
 * Return: the uid, or (uid_t)-1 if unknown
 */
uid_t ustack_owner(const struct stack *s)
{
	const struct ustack *u = s->client;

	return u ? u->owner : (uid_t)-1;
}

/**
 * ustack_attach() - connect the loop to a userspace stack's daemon
 * @sv:		the supervisor
 * @s:		the stack, connected and greeted (stacks/userspace.c)
 *
 * Return: 0 or -errno
 */
int ustack_attach(struct supervisor *sv, struct stack *s)
{
	struct ustack *u;
	int rc;

	if (s->client)
		return 0;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->tag.type = SV_SRC_USTACK;
	u->s = stack_get(s);
	u->next_id = 2;		/* 1 was HELLO */
	u->owner = ustack_peer_uid(s->fd);
	pthread_mutex_init(&u->lock, NULL);
	rc = fcntl(s->fd, F_SETFL, O_NONBLOCK) ? -errno : 0;
	if (!rc)
		rc = supervisor_watch(sv, s->fd, &u->tag);
	if (rc) {
		stack_put(u->s);
		free(u);
		return rc;
	}
	s->client = u;
	u->next = sv->ustacks;
	sv->ustacks = u;
	return 0;
}

/**
 * ustack_intern() - the one connected stack object of a daemon
 * @sv:		the supervisor
 * @s:		a stack just opened (its reference is consumed)
 *
 * Loop thread only.
 *
 * Return: @s, attached, or the object already attached for that daemon
 *	   (a reference taken); NULL if @s could not be attached
 */
struct stack *ustack_intern(struct supervisor *sv, struct stack *s)
{
	struct ustack *u;

	for (u = sv->ustacks; u; u = u->next)
		if (stack_same(u->s, s) && !u->dead) {
			stack_put(s);
			return stack_get(u->s);
		}
	if (ustack_attach(sv, s)) {
		stack_put(s);
		return NULL;
	}
	return s;
}

/**
 * ustack_detach_all() - forget every client (the supervisor ends)
 * @sv:		the supervisor
 */
void ustack_detach_all(struct supervisor *sv)
{
	struct ustack *u, *next;

	for (u = sv->ustacks; u; u = next) {
		next = u->next;
		u->s->client = NULL;
		stack_put(u->s);
		pthread_mutex_destroy(&u->lock);
		free(u);
	}
	sv->ustacks = NULL;
}

/* Put @rq among @u's pending requests (u->lock held). */
static void ustack_pending_add(struct ustack *u, struct ureq *rq)
{
	struct ureq **b = &u->pending[rq->id % USTACK_PENDING_BUCKETS];

	rq->next = *b;
	*b = rq;
}

/* Take the pending request @id off @u's table. */
static struct ureq *ustack_take(struct ustack *u, uint64_t id)
{
	struct ureq **pp, *rq = NULL;

	pthread_mutex_lock(&u->lock);
	for (pp = &u->pending[id % USTACK_PENDING_BUCKETS]; *pp; pp = &(*pp)->next)
		if ((*pp)->id == id) {
			rq = *pp;
			*pp = rq->next;
			break;
		}
	pthread_mutex_unlock(&u->lock);
	return rq;
}

/* Take any pending request off @u's table, or NULL. */
static struct ureq *ustack_take_any(struct ustack *u)
{
	struct ureq *rq = NULL;
	size_t b;

	pthread_mutex_lock(&u->lock);
	for (b = 0; b < USTACK_PENDING_BUCKETS && !rq; b++) {
		rq = u->pending[b];
		if (rq)
			u->pending[b] = rq->next;
	}
	pthread_mutex_unlock(&u->lock);
	return rq;
}

/* A deadline passed: is the caller still there, and how long to wait? */
static void ustack_poll(struct deferred *d, struct worker *w, bool expired)
{
	struct ureq *rq = (struct ureq *)d;
	struct supervisor *sv = w->sv;
	struct ustack *u = rq->u;

	(void)expired;
	if (!ustack_take(u, rq->id) && !d->ready)
		return;		/* answered meanwhile: ustack_input() has it */
	if (d->ready && !d->gone) {	/* not sent, or the daemon is gone */
		rq->done(rq, w);
		return;
	}
	w->req->id = d->id;
	w->req->pid = (__u32)d->tid;
	if (!rq->internal && (d->gone || !notify_id_valid(w))) {
		/* interrupted by a signal, or killed: cancel and forget it */
		struct sp_msg m = { .op = SP_CANCEL, .handle = rq->id };
		struct ureq *cancel = rq;

		cancel->result = -EINTR;
		if (rq->blocking && !u->dead) {
			char buf[64];
			ssize_t n;

			pthread_mutex_lock(&u->lock);
			m.id = u->next_id++;
			n = sp_encode(&m, buf, sizeof(buf));
			if (n > 0)
				sp_send(u->s->fd, buf, (size_t)n, -1);
			pthread_mutex_unlock(&u->lock);
		}
		rq->done(rq, w);	/* the notification is gone: no answer lands */
		return;
	}
	if (!rq->blocking && ++rq->polls >= USTACK_GIVEUP_POLLS) {
		warn("%s: the stack daemon does not answer", u->s->path);
		rq->result = -EIO;
		rq->done(rq, w);
		return;
	}
	/*
	 * A blocking call may wait for ever.  A caller that a signal takes
	 * away and that restarts or makes any other call is seen at once
	 * (defer_caller_moved_on()); one that returns EINTR and goes on in
	 * userspace, or is killed, only by NOTIF_ID_VALID, whose cost grows
	 * with the number of waiting notifications.  So blocked calls are
	 * checked less and less often (250 ms, 500 ms, 1 s...), and never
	 * more than USTACK_CHECKS_PER_SEC in all: thousands of threads
	 * blocked in accept() cost the loop next to nothing.
	 */
	if (rq->blocking) {
		unsigned int n = defer_count(&sv->deferred, DEFER_STACK_CALL);

		if (rq->backoff < USTACK_BACKOFF_TIME)
			rq->backoff++;
		while (rq->backoff < USTACK_BACKOFF_MAX &&
		       (unsigned int)(USTACK_POLL_MS << rq->backoff) < n * 1000U / USTACK_CHECKS_PER_SEC)
			rq->backoff++;
	}
	pthread_mutex_lock(&u->lock);
	ustack_pending_add(u, rq);
	pthread_mutex_unlock(&u->lock);
	if (supervisor_defer(sv, d, USTACK_POLL_MS << rq->backoff)) {
		/* over the bounds now: the caller gets EAGAIN */
		ustack_take(u, rq->id);
		rq->result = -EAGAIN;
		rq->done(rq, w);
	}
}

/*
 * Send one message to a daemon.  The connection is non-blocking; a daemon
 * that is behind (its queue full: a program making sockets as fast as
 * netsup answers) gets a short while to catch up, as a kernel socket
 * buffer would make the sender wait, and only then is the call refused.
 */
static ssize_t ustack_send_msg(int fd, const char *buf, size_t len)
{
	ssize_t n = sp_send(fd, buf, len, -1);
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (n != -EAGAIN || poll(&p, 1, USTACK_SEND_WAIT_MS) != 1)
		return n;
	return sp_send(fd, buf, len, -1);
}

/**
 * ustack_send() - send a request; its reply completes @rq later
 * @sv:		the supervisor
 * @s:		a userspace stack, attached
 * @m:		the request (its id is set here)
 * @rq:		the deferred request: d.id, d.tid and done set by the caller
 * @uid:	the user it counts against
 *
 * Return: 0 (@rq belongs to the loop now, done() will run), or -errno
 *	   (@rq is still the caller's)
 */
int ustack_send(struct supervisor *sv, struct stack *s, struct sp_msg *m,
		struct ureq *rq, uid_t uid)
{
	struct ustack *u = s->client;
	static __thread char buf[SP_MSG_MAX];
	ssize_t n;
	int rc;

	if (!u || u->dead || __atomic_load_n(&s->removed, __ATOMIC_ACQUIRE))
		return -ENETDOWN;
	rq->u = u;
	rq->fd = -1;
	rq->d.fd = -1;
	rq->d.uid = uid;
	rq->d.kind = DEFER_STACK_CALL;
	rq->d.complete = ustack_poll;
	pthread_mutex_lock(&u->lock);
	rq->id = m->id = u->next_id++;
	n = sp_encode(m, buf, sizeof(buf));
	if (n < 0) {
		pthread_mutex_unlock(&u->lock);
		return (int)n;
	}
	rc = supervisor_defer(sv, &rq->d, USTACK_POLL_MS);
	if (rc) {
		pthread_mutex_unlock(&u->lock);
		return rc;
	}
	ustack_pending_add(u, rq);
	n = ustack_send_msg(s->fd, buf, (size_t)n);
	if (n < 0) {
		/* handed over all the same: the loop answers it at once */
		rq->result = n == -EAGAIN ? -ENOBUFS : -ENETDOWN;
		supervisor_ready(sv, &rq->d);
	}
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/* The daemon is gone: every request fails, new sockets get ENETDOWN. */
static void ustack_dead(struct supervisor *sv, struct ustack *u, struct worker *w)
{
	struct ureq *rq;

	if (!u->dead)
		warn("%s: the stack daemon closed its connection: new sockets get ENETDOWN",
		     u->s->path);
	u->dead = true;
	__atomic_store_n(&u->s->removed, true, __ATOMIC_RELEASE);
	supervisor_unwatch(sv, u->s->fd);
	while ((rq = ustack_take_any(u))) {
		if (supervisor_undefer(sv, &rq->d)) {
			rq->result = -ENETDOWN;
			rq->done(rq, w);
		}
	}
}

/**
 * ustack_input() - read a daemon's replies and complete their requests
 * @sv:		the supervisor
 * @u:		the daemon's client
 * @w:		the loop thread's worker
 */
void ustack_input(struct supervisor *sv, struct ustack *u, struct worker *w)
{
	static char buf[SP_MSG_MAX];
	struct sp_msg m;
	struct ureq *rq;
	ssize_t n;
	int fd, rc;

	for (;;) {
		n = sp_recv(u->s->fd, buf, sizeof(buf), &fd);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			ustack_dead(sv, u, w);
			return;
		}
		rc = sp_decode(buf, (size_t)n, &m);
		if (rc || !m.reply || (m.nfds != 0) != (fd >= 0)) {
			if (fd >= 0)
				close(fd);
			warn("%s: a malformed reply from the stack daemon: closing",
			     u->s->path);
			ustack_dead(sv, u, w);
			return;
		}
		rq = ustack_take(u, m.id);
		if (!rq || !supervisor_undefer(sv, &rq->d)) {
			if (fd >= 0)
				close(fd);	/* cancelled: an accepted socket is dropped */
			continue;
		}
		rq->result = m.result;
		rq->fd = fd;
		rq->handle = m.handle;
		rq->datalen = m.datalen_hint;
		if (m.addr && m.addrlen <= sizeof(rq->addr)) {
			memcpy(rq->addr, m.addr, m.addrlen);
			rq->addrlen = m.addrlen;
		}
		if (m.op == SP_GETSOCKOPT && m.data && m.datalen <= sizeof(rq->opt)) {
			memcpy(rq->opt, m.data, m.datalen);
			rq->optlen = m.datalen;
		}
		rq->done(rq, w);
	}
}

/* Forget the socket whose child's end is dev/ino. */
static void ustack_sock_forget(dev_t dev, ino_t ino)
{
	struct usock_entry **pp, *e;

	pthread_mutex_lock(&ustack_socks.lock);
	for (pp = &ustack_socks.buckets[(size_t)ino % USTACK_SOCK_BUCKETS]; (e = *pp);
	     pp = &e->next)
		if (e->ino == ino && e->dev == dev) {
			*pp = e->next;
			ustack_socks.count--;
			stack_put(e->us.s);
			free(e);
			break;
		}
	pthread_mutex_unlock(&ustack_socks.lock);
}

/* A question of the sweep: is this socket still the daemon's? */
struct ustack_probe {
	struct ureq rq;
	struct stack *s;	/* a reference, until sent */
	dev_t dev;
	ino_t ino;
};

static void ustack_probe_done(struct ureq *rq, struct worker *w)
{
	struct ustack_probe *p = (struct ustack_probe *)rq;

	(void)w;
	if (rq->result == -EBADF) {
		ustack_sock_forget(p->dev, p->ino);
		ustack_socks.gone++;
	}
	if (rq->fd >= 0)
		close(rq->fd);
	free(p);
}

/*
 * Ask the daemons about a batch of the sockets known, from where the last
 * sweep stopped; the dead are forgotten as the answers come (loop thread).
 */
static void ustack_sweep(struct supervisor *sv)
{
	struct ustack_probe *batch[USTACK_SWEEP_BATCH];
	struct usock_entry *e;
	size_t n = 0, b, i;

	pthread_mutex_lock(&ustack_socks.lock);
	for (b = 0; b < USTACK_SOCK_BUCKETS && n < USTACK_SWEEP_BATCH; b++) {
		size_t k = (ustack_socks.cursor + b) % USTACK_SOCK_BUCKETS;

		for (e = ustack_socks.buckets[k]; e && n < USTACK_SWEEP_BATCH; e = e->next) {
			struct ustack_probe *p = calloc(1, sizeof(*p));

			if (!p)
				break;
			p->dev = e->dev;
			p->ino = e->ino;
			p->rq.handle = e->us.handle;
			p->s = stack_get(e->us.s);
			batch[n++] = p;
		}
		ustack_socks.cursor = (k + 1) % USTACK_SOCK_BUCKETS;
	}
	ustack_socks.next_sweep = ustack_socks.count +
		(ustack_socks.count > USTACK_SWEEP_MIN ? ustack_socks.count : USTACK_SWEEP_MIN);
	debug("userspace sockets: %zu known, %zu of the %zu asked about last were gone",
	      ustack_socks.count, ustack_socks.gone, ustack_socks.swept);
	ustack_socks.swept = n;
	ustack_socks.gone = 0;
	pthread_mutex_unlock(&ustack_socks.lock);

	for (i = 0; i < n; i++) {
		struct stack *s = batch[i]->s;
		struct sp_msg m = { .op = SP_GETSOCKNAME, .handle = batch[i]->rq.handle };

		batch[i]->rq.internal = true;
		batch[i]->rq.done = ustack_probe_done;
		if (ustack_send(sv, s, &m, &batch[i]->rq, 0))
			free(batch[i]);
		stack_put(s);
	}
}

/**
 * ustack_sock_add() - remember a socket by the child's end
 * @sv:		the supervisor (which sweeps the table now and then)
 * @s:		its stack
 * @fd:		the child's end (our copy)
 * @handle:	the daemon's handle
 * @domain:	AF_INET or AF_INET6
 * @type:	SOCK_STREAM or SOCK_DGRAM
 *
 * Return: 0 or -errno
 */
int ustack_sock_add(struct supervisor *sv, struct stack *s, int fd, uint64_t handle,
		    int domain, int type)
{
	struct usock_entry *e;
	struct stat st;
	bool sweep;
	size_t b;

	if (fstat(fd, &st))
		return -errno;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->us = (struct usock){ .s = stack_get(s), .handle = handle,
				.domain = domain, .type = type };
	b = (size_t)st.st_ino % USTACK_SOCK_BUCKETS;
	pthread_mutex_lock(&ustack_socks.lock);
	e->next = ustack_socks.buckets[b];
	ustack_socks.buckets[b] = e;
	__atomic_store_n(&ustack_socks.any, true, __ATOMIC_RELEASE);
	sweep = ++ustack_socks.count >= ustack_socks.next_sweep;
	pthread_mutex_unlock(&ustack_socks.lock);
	if (sweep)
		ustack_sweep(sv);
	return 0;
}

/**
 * ustack_sock_find() - the userspace socket whose child's end is dev/ino
 * @dev:	st_dev of the descriptor a child named
 * @ino:	its st_ino
 * @out:	receives the socket, with a reference to its stack (the
 *		caller puts it): the table may forget it meanwhile
 *
 * Return: true if it is one
 */
bool ustack_sock_find(dev_t dev, ino_t ino, struct usock *out)
{
	struct usock_entry *e;
	bool found = false;

	pthread_mutex_lock(&ustack_socks.lock);
	for (e = ustack_socks.buckets[(size_t)ino % USTACK_SOCK_BUCKETS]; e; e = e->next)
		if (e->ino == ino && e->dev == dev) {
			*out = e->us;
			stack_get(out->s);
			found = true;
			break;
		}
	pthread_mutex_unlock(&ustack_socks.lock);
	return found;
}

/**
 * ustack_any() - has any userspace socket been made?
 *
 * Return: false while the intercepted calls can only be about kernel fds
 */
bool ustack_any(void)
{
	return __atomic_load_n(&ustack_socks.any, __ATOMIC_ACQUIRE);
}
