// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ustack.c - the supervisor's client of userspace stack daemons
 *
 * One connection per daemon while anything uses it: the daemon closes
 * every socket of a connection when it goes (netsup-stack-protocol(7)),
 * so a userspace stack named again (by msocket, by another process) is
 * the one already connected (ustack_open()).  A connection that nothing
 * uses any more (no socket, no default, no request: only this list holds
 * its stack), and one whose daemon has gone, is closed the next time a
 * stack is opened; a user may hold USTACK_CONNS_PER_USER connections at
 * once (root: any number), so that no child makes the supervisor keep a
 * descriptor for every daemon it ever named.
 *
 * Opening one never blocks the loop, whatever the daemon does: the
 * policy is checked first (by the caller, on the file's identity), the
 * connect(2) is non-blocking (a listener whose backlog a child filled
 * answers EAGAIN at once, and is tried again every USTACK_RETRY_MS), and
 * the HELLO's answer is waited for as a deferred request (defer.c):
 * tries for USTACK_OPEN_MS, and as long for the answer, then ETIMEDOUT
 * (ENETDOWN to the child, errset.c).  The
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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "request.h"
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
#define USTACK_CONNS_PER_USER	64	/* connections a user may hold */
#define USTACK_OPEN_MS		1000	/* connect and HELLO, in all */
#define USTACK_RETRY_MS		20	/* a full backlog, tried again */

struct ustack {
	struct sv_tag tag;		/* SV_SRC_INPUT: its connection */
	struct stack *s;		/* its connection is s->fd */
	pthread_mutex_t lock;		/* pending, next_id, sending */
	uint64_t next_id;
	struct ureq *pending[USTACK_PENDING_BUCKETS];	/* by id */
	unsigned int npending;
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

static void ustack_tag_input(struct supervisor *sv, struct sv_tag *tag, struct worker *w);

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
	u->tag.type = SV_SRC_INPUT;
	u->tag.input = ustack_tag_input;
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

/* Close a connection and forget it (loop thread; nothing else holds it). */
static void ustack_free(struct supervisor *sv, struct ustack *u)
{
	if (!u->dead && u->s->fd >= 0)
		supervisor_unwatch(sv, u->s->fd);
	u->s->client = NULL;
	stack_put(u->s);	/* the last reference: closes the connection */
	pthread_mutex_destroy(&u->lock);
	free(u);
}

/*
 * Is a connection of no use any more?  Its daemon is gone, or nothing
 * holds its stack but this list and no request waits.  Nothing can take
 * a new reference meanwhile: sockets, defaults and requests hold theirs,
 * and the list is the loop thread's.
 */
static bool ustack_unused(struct ustack *u)
{
	bool unused;

	pthread_mutex_lock(&u->lock);
	unused = !u->npending && __atomic_load_n(&u->s->refs, __ATOMIC_ACQUIRE) == 1;
	pthread_mutex_unlock(&u->lock);
	return unused;
}

/* Close the connections of no use; how many connections @uid holds. */
static unsigned int ustack_reap(struct supervisor *sv, uid_t uid)
{
	struct ustack **pp = &sv->ustacks, *u;
	unsigned int mine = 0;

	while ((u = *pp)) {
		if (ustack_unused(u)) {
			*pp = u->next;
			ustack_free(sv, u);
			continue;
		}
		mine += !u->dead && u->uid == uid;
		pp = &u->next;
	}
	return mine;
}

/*
 * The one connected stack object of a daemon: @s (just greeted, its
 * reference consumed) attached, or the one attached already.
 * Return: 0 or -errno (EMFILE: @uid holds USTACK_CONNS_PER_USER)
 */
static int ustack_intern(struct supervisor *sv, struct stack *s, uid_t uid,
			 struct stack **out)
{
	struct ustack *u;
	int rc;

	for (u = sv->ustacks; u; u = u->next)
		if (stack_same(u->s, s) && !u->dead) {
			stack_put(s);
			*out = stack_get(u->s);
			return 0;
		}
	if (uid && ustack_reap(sv, uid) >= USTACK_CONNS_PER_USER) {
		stack_put(s);
		return -EMFILE;
	}
	rc = ustack_attach(sv, s);
	if (rc) {
		stack_put(s);
		return rc;
	}
	((struct ustack *)s->client)->uid = uid;
	*out = s;
	return 0;
}

static int ustack_greet_try(struct supervisor *sv, struct ustack_greeting *g);

/* Milliseconds left to open @g. */
static long long ustack_left_ms(const struct ustack_greeting *g)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (g->until.tv_sec - now.tv_sec) * 1000LL +
	       (g->until.tv_nsec - now.tv_nsec) / 1000000;
}

/* Finish opening: @s or @rc goes to the caller's done(). */
static void ustack_greet_end(struct ustack_greeting *g, struct worker *w, struct stack *s,
			     int rc)
{
	if (g->conn >= 0)
		close(g->conn);
	g->conn = -1;
	close(g->pathfd);
	g->pathfd = -1;
	g->done(g, w, s, rc);
}

/* The HELLO's answer came, or the time is up, or the backlog was full. */
static void ustack_greet_step(struct deferred *d, struct worker *w, bool expired)
{
	static char buf[SP_MSG_MAX];	/* the loop thread's */
	struct ustack_greeting *g = (struct ustack_greeting *)d;
	struct stack *s = NULL;
	unsigned int families;
	struct sp_msg m;
	ssize_t n;
	int rc;

	if (d->gone || __atomic_load_n(&g->sv->stop, __ATOMIC_ACQUIRE)) {
		/* the caller went on to another call, or the supervisor ends */
		ustack_greet_end(g, w, NULL, -ESRCH);
		return;
	}
	if (g->conn < 0) {
		/* the backlog was full: again, until the time is up */
		rc = ustack_greet_try(g->sv, g);
		if (rc)
			ustack_greet_end(g, w, NULL, rc);
		return;
	}
	n = expired ? -ETIMEDOUT : sp_recv(g->conn, buf, sizeof(buf), NULL);
	if (n == -EAGAIN) {
		/* woken for nothing: wait again, as long as the time lasts */
		rc = ustack_left_ms(g) > 0 ? supervisor_defer(g->sv, d, USTACK_RETRY_MS) :
					     -ETIMEDOUT;
		if (rc)
			ustack_greet_end(g, w, NULL, rc);
		return;
	}
	if (n == -ETIMEDOUT && ustack_left_ms(g) > 0) {
		/* a short wait of the branch above: the time is not up */
		rc = supervisor_defer(g->sv, d, USTACK_RETRY_MS);
		if (rc)
			ustack_greet_end(g, w, NULL, rc);
		return;
	}
	rc = n < 0 ? (int)n : n == 0 ? -ECONNRESET : userspace_hello_parse(buf, (size_t)n, &m);
	if (!rc)
		rc = userspace_families(&m, &families);
	if (rc == -EBADMSG || rc == -ENOSYS || rc == -EINVAL)
		rc = -EPROTO;	/* it does not speak the protocol */
	if (!rc) {
		rc = userspace_from_conn(g->conn, &g->st, g->path, families, &s);
		g->conn = -1;	/* the stack's now, or closed */
		if (!rc)
			s->version = m.version;
	}
	if (!rc) {
		rc = fcntl(s->fd, F_SETFL, 0) ? -errno : 0;	/* blocking, as opened */
		if (rc)
			stack_put(s);
	}
	if (!rc)
		rc = ustack_intern(g->sv, s, g->uid, &s);
	ustack_greet_end(g, w, rc ? NULL : s, rc);
}

/*
 * Connect once more, and wait for the answer (USTACK_OPEN_MS) or for the
 * next try (USTACK_RETRY_MS): two timeouts only, each a FIFO of the
 * deferred queue; g->until bounds the tries.
 */
static int ustack_greet_try(struct supervisor *sv, struct ustack_greeting *g)
{
	int timeout = USTACK_OPEN_MS;
	char buf[64];
	int conn, rc;

	if (ustack_left_ms(g) <= 0)
		return -ETIMEDOUT;
	conn = userspace_connect_start(g->pathfd);
	if (conn == -EAGAIN) {
		g->d.fd = -1;		/* nothing to wait for but time */
		timeout = USTACK_RETRY_MS;
	} else if (conn < 0) {
		return conn;
	} else {
		rc = userspace_hello_send(conn, buf, sizeof(buf));
		if (rc) {
			close(conn);
			return rc;
		}
		g->conn = g->d.fd = conn;
	}
	g->d.complete = ustack_greet_step;
	rc = supervisor_defer(sv, &g->d, timeout);
	if (rc && g->conn >= 0) {
		close(g->conn);
		g->conn = g->d.fd = -1;
	}
	return rc;
}

/**
 * ustack_open() - the connection to a daemon, made without blocking
 * @sv:		the supervisor
 * @g:		the caller's room for the opening; g->path, g->done (and
 *		g->d.id, g->d.tid) set by the caller, g->path living as
 *		long as @g
 * @fd:		descriptor on the stack file (not consumed)
 * @st:		its fstat()
 * @uid:	the user the connection counts against
 * @out:	receives the stack when it is known already
 *
 * Loop thread only.  The caller has checked its policy on @st first.
 *
 * Return: 0 (*@out: the stack, a reference taken), USTACK_PENDING (@g
 *	   belongs to the loop: g->done() says how it ended, with a stack
 *	   whose reference is the callee's, or -errno: EMFILE, ETIMEDOUT,
 *	   ECONNREFUSED, EPROTO...), or -errno (@g is the caller's)
 */
int ustack_open(struct supervisor *sv, struct ustack_greeting *g, int fd,
		const struct stat *st, uid_t uid, struct stack **out)
{
	struct ustack *u;
	int rc;

	for (u = sv->ustacks; u; u = u->next)
		if (!u->dead && u->s->dev == st->st_dev && u->s->ino == st->st_ino) {
			*out = stack_get(u->s);
			return 0;
		}
	if (uid && ustack_reap(sv, uid) >= USTACK_CONNS_PER_USER)
		return -EMFILE;
	g->sv = sv;
	g->st = *st;
	g->uid = uid;
	g->conn = -1;
	g->d.uid = uid;
	g->d.kind = DEFER_HELPER;	/* bounded as the path helpers are */
	clock_gettime(CLOCK_MONOTONIC, &g->until);
	g->until.tv_sec += USTACK_OPEN_MS / 1000;
	g->until.tv_nsec += (USTACK_OPEN_MS % 1000) * 1000000L;
	if (g->until.tv_nsec >= 1000000000L) {
		g->until.tv_sec++;
		g->until.tv_nsec -= 1000000000L;
	}
	g->pathfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (g->pathfd < 0)
		return -errno;
	rc = ustack_greet_try(sv, g);
	if (rc) {
		close(g->pathfd);
		g->pathfd = -1;
		return rc;
	}
	return USTACK_PENDING;
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
	u->npending++;
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
			u->npending--;
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
		if (rq) {
			u->pending[b] = rq->next;
			u->npending--;
		}
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
	if (!rq->internal && (d->gone || !request_id_valid(w))) {
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
		static struct log_ratelimit rl;
		unsigned int missed;

		if (log_ratelimit(&rl, &missed))
			warn("%s: the stack daemon does not answer%s", u->s->path,
			     missed ? " (and more such messages left out)" : "");
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
	static struct log_ratelimit rl;	/* the loop thread's */
	unsigned int missed;
	struct ureq *rq;

	if (!u->dead && log_ratelimit(&rl, &missed))
		warn("%s: the stack daemon closed its connection: new sockets get ENETDOWN%s",
		     u->s->path, missed ? " (and more such messages left out)" : "");
	if (u->dead)
		return;
	u->dead = true;
	__atomic_store_n(&u->s->removed, true, __ATOMIC_RELEASE);
	supervisor_unwatch(sv, u->s->fd);
	/* its descriptor goes now; the object when nothing holds the stack */
	pthread_mutex_lock(&u->lock);
	close(u->s->fd);
	u->s->fd = -1;
	pthread_mutex_unlock(&u->lock);
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
			static struct log_ratelimit rl;
			unsigned int missed;

			if (fd >= 0)
				close(fd);
			if (log_ratelimit(&rl, &missed))
				warn("%s: a malformed reply from the stack daemon: closing%s",
				     u->s->path, missed ? " (and more such messages left out)" : "");
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
		rq->anc = m.anc;
		if (m.addr && m.addrlen <= sizeof(rq->addr)) {
			memcpy(rq->addr, m.addr, m.addrlen);
			rq->addrlen = m.addrlen;
		}
		if ((m.op == SP_GETSOCKOPT || m.op == SP_IFREQ) && m.data &&
		    m.datalen <= sizeof(rq->opt)) {
			memcpy(rq->opt, m.data, m.datalen);
			rq->optlen = m.datalen;
		}
		rq->done(rq, w);
	}
}

/* The loop's call for a daemon's connection (SV_SRC_INPUT). */
static void ustack_tag_input(struct supervisor *sv, struct sv_tag *tag, struct worker *w)
{
	ustack_input(sv, (struct ustack *)((char *)tag - offsetof(struct ustack, tag)), w);
}

/**
 * ustack_attach_defaults() - attach the daemons of the command's defaults
 * @sv:		the supervisor, its loop's sources open (sv->attach)
 *
 * Return: 0 or -errno
 */
int ustack_attach_defaults(struct supervisor *sv)
{
	int i, rc = 0;

	for (i = 0; !rc && i < FAM_COUNT; i++)
		if (sv->procs.root[i] && stack_served_by_daemon(sv->procs.root[i]))
			rc = ustack_attach(sv, sv->procs.root[i]);
	return rc;
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
 * ustack_sock_set_peer() - a datagram socket's connect() set or removed
 * its default peer: sendmsg() without an address then goes to the pair,
 * or fails with EDESTADDRREQ as the kernel's (ucall.c)
 * @fd:		our copy of the child's end
 * @peer:	whether it has one now
 */
void ustack_sock_set_peer(int fd, bool peer)
{
	struct usock_entry *e;
	struct stat st;

	if (fstat(fd, &st))
		return;
	pthread_mutex_lock(&ustack_socks.lock);
	for (e = ustack_socks.buckets[(size_t)st.st_ino % USTACK_SOCK_BUCKETS]; e; e = e->next)
		if (e->ino == st.st_ino && e->dev == st.st_dev)
			e->us.peer = peer;
	pthread_mutex_unlock(&ustack_socks.lock);
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
