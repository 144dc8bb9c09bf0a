// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - the stack file and its client connections
 *
 * The stack file is a UNIX SOCK_SEQPACKET socket (one record is one
 * message, see netsup-stack-protocol(7)); its permissions are the access
 * control, so it is created with the process umask and left as it is.
 * A stale file (nobody accepts on it: connect(2) gives ECONNREFUSED) is
 * replaced; a live one is refused.
 *
 * Client connections are non-blocking.  Replies go out with MSG_DONTWAIT:
 * a client that does not read them until its socket buffer is full loses
 * its connection rather than stalling the daemon (the send buffer is
 * raised to 4 MiB with SO_SNDBUFFORCE when we may).  A connection is
 * closed on anything the protocol says closes it, and every socket made
 * through it is closed with it.
 *
 * Requests that wait (a blocking CONNECT, ACCEPT, DGRAMSRC) are kept,
 * hashed by id in the connection and in arrival order on their socket,
 * until answered once; at most LW_PENDING_MAX per connection.
 *
 * Bounds: a connection may hold --max-sockets sockets, and the
 * connections of one uid (SO_PEERCRED) --max-user-sockets together; past
 * that SOCKET and accepted connections fail with EMFILE, so that one user
 * cannot spend the descriptors every other user needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lwip/timeouts.h"

#include "lw.h"

static void serve_pending_free_all(struct lw_conn *c);

/*
 * serve_user_get() - the accounting of @uid, made on first use
 * @d:		the daemon
 * @uid:	the client's uid (SO_PEERCRED), or -1 when unknown
 *
 * Return: the entry (its conns counted), or NULL without memory
 */
static struct lw_user *serve_user_get(struct lw_daemon *d, uid_t uid)
{
	struct lw_user *u;

	for (u = d->users; u; u = u->next)
		if (u->uid == uid)
			break;
	if (!u) {
		u = calloc(1, sizeof(*u));
		if (!u)
			return NULL;
		u->uid = uid;
		u->next = d->users;
		d->users = u;
	}
	u->conns++;
	return u;
}

/*
 * serve_user_put() - a connection of @u is gone; free @u when nothing is left
 * @d:		the daemon
 * @u:		the entry
 */
static void serve_user_put(struct lw_daemon *d, struct lw_user *u)
{
	struct lw_user **pp;

	if (--u->conns || u->nsocks)
		return;
	for (pp = &d->users; *pp; pp = &(*pp)->next)
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	free(u);
}

/*
 * serve_sock_charge() - count a new socket against @c and its user
 * @c:		the connection
 *
 * Return: 0, or -EMFILE past --max-sockets or --max-user-sockets
 */
int serve_sock_charge(struct lw_conn *c)
{
	const struct lw_options *o = c->d->opt;

	if (c->nsocks >= o->max_socks ||
	    (c->user && c->user->nsocks >= o->max_user_socks)) {
		lw_debug("client: %u sockets (its user: %u): no more",
			 c->nsocks, c->user ? c->user->nsocks : 0);
		return -EMFILE;
	}
	c->nsocks++;
	if (c->user)
		c->user->nsocks++;
	return 0;
}

/*
 * serve_sock_uncharge() - a socket counted by serve_sock_charge() is gone
 * @c:		the connection
 */
void serve_sock_uncharge(struct lw_conn *c)
{
	c->nsocks--;
	if (c->user)
		c->user->nsocks--;
}

/*
 * serve_listen() - create and listen on the stack file
 * @d:		the daemon
 *
 * Return: 0 or -errno (named in a message)
 */
int serve_listen(struct lw_daemon *d)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = d->opt->stackfile;
	int fd, rc, probe;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		lw_err("%s: path too long for a UNIX socket", path);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ? -errno : 0;
	if (rc == -EADDRINUSE) {
		struct stat st;
		int live;

		probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		live = probe >= 0 && connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0;
		if (probe >= 0)
			close(probe);
		if (live || lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
			lw_err("%s: exists and %s", path,
			       live ? "another daemon serves it" : "is not a socket");
			close(fd);
			return -EADDRINUSE;
		}
		unlink(path);		/* stale: nobody accepts on it */
		rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ? -errno : 0;
	}
	if (rc < 0) {
		lw_err("%s: bind: %s", path, strerror(-rc));
		close(fd);
		return rc;
	}
	if (listen(fd, 64) < 0) {
		rc = -errno;
		lw_err("%s: listen: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return rc;
	}
	d->listen_fd = fd;
	return 0;
}

/*
 * serve_accept_full() - accept4() failed: out of descriptors?
 * @d:		the daemon
 *
 * With EMFILE or ENFILE the connection stays in the backlog and the stack
 * file stays readable: level-triggered epoll would spin.  The stack file
 * is taken out of the set until a descriptor is freed
 * (serve_accept_resume()).
 *
 * Return: true (after pausing) when the error was a lack of descriptors
 */
static bool serve_accept_full(struct lw_daemon *d)
{
	if (errno != EMFILE && errno != ENFILE)
		return false;
	if (!d->accept_paused) {
		lw_warn("%s: out of descriptors; new clients wait", d->opt->stackfile);
		loop_mod(d, d->listen_fd, 0, &d->listen_src);
		d->accept_paused = true;
	}
	return true;
}

/*
 * serve_accept_resume() - a descriptor was freed: watch the stack file again
 * @d:		the daemon
 */
void serve_accept_resume(struct lw_daemon *d)
{
	if (!d->accept_paused)
		return;
	d->accept_paused = false;
	loop_mod(d, d->listen_fd, EPOLLIN, &d->listen_src);
}

/*
 * serve_accept() - take the clients that connected to the stack file
 * @d:		the daemon
 */
void serve_accept(struct lw_daemon *d)
{
	int fd, big = 4 << 20;
	struct ucred cr;
	socklen_t crl = sizeof(cr);
	struct lw_conn *c;

	while ((fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0 ||
	       serve_accept_full(d)) {
		if (fd < 0)
			return;
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
			(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		c->src.type = SRC_CONN;
		c->d = d;
		c->fd = fd;
		if (loop_add(d, fd, EPOLLIN, &c->src) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = d->conns;
		d->conns = c;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crl) < 0)
			cr.uid = (uid_t)-1;
		else
			lw_info("client connected: pid %d uid %u", (int)cr.pid, cr.uid);
		c->user = serve_user_get(d, cr.uid);
	}
}

/*
 * serve_conn_close() - close a client connection and every socket of it
 * @c:		the connection; freed by the loop after this batch
 */
static void serve_conn_close(struct lw_conn *c)
{
	struct lw_daemon *d = c->d;
	struct lw_conn **pp;

	if (c->src.gone)
		return;
	c->dead = true;
	serve_pending_free_all(c);
	while (c->socks)
		sock_release(c->socks);
	loop_del(d, c->fd);
	close(c->fd);
	c->fd = -1;
	for (pp = &d->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	c->src.gone = true;
	c->next = d->dead_conns;
	d->dead_conns = c;
	lw_info("client disconnected");
}

/*
 * serve_conn_free() - free a closed connection (the loop, after a batch)
 * @c:		the connection
 */
void serve_conn_free(struct lw_conn *c)
{
	if (c->user)
		serve_user_put(c->d, c->user);
	free(c);
}

/*
 * serve_close_all() - close every client connection (SIGTERM)
 * @d:		the daemon
 */
void serve_close_all(struct lw_daemon *d)
{
	while (d->conns)
		serve_conn_close(d->conns);
}

/*
 * serve_kill() - a connection that must close, from wherever we are
 * @c:		the connection
 *
 * Shutting it down makes the loop see POLLHUP and close it there, so
 * that nothing is freed under a caller (an lwIP callback, a request).
 */
static void serve_kill(struct lw_conn *c)
{
	if (c->dead)
		return;
	c->dead = true;
	shutdown(c->fd, SHUT_RDWR);
}

/*
 * serve_reply() - send a reply
 * @c:		the connection
 * @m:		the reply (m->reply set by us)
 * @passfd:	the descriptor it carries, or -1
 *
 * Return: 0, or -errno (the connection is then being closed)
 */
int serve_reply(struct lw_conn *c, struct sp_msg *m, int passfd)
{
	unsigned char buf[SP_TEXT_MAX + 256];
	ssize_t n;

	if (c->dead)
		return -EPIPE;
	m->reply = 1;
	n = sp_encode(m, buf, sizeof(buf));
	if (n < 0) {
		lw_err("reply to %s: cannot encode: %s", sp_op_name(m->op),
		       strerror((int)-n));
		m->result = (int32_t)n;
		n = sp_encode(m, buf, sizeof(buf));
		passfd = -1;
		if (n < 0)
			return (int)n;
	}
	lw_debug("reply %s id %llu: %d", sp_op_name(m->op),
		 (unsigned long long)m->id, m->result);
	n = sp_send(c->fd, buf, (size_t)n, m->result >= 0 ? passfd : -1);
	if (n < 0) {
		lw_warn("client: reply %s: %s; closing the connection",
			sp_op_name(m->op), strerror((int)-n));
		serve_kill(c);
		return (int)n;
	}
	return 0;
}

/*
 * serve_reply_err() - send a reply with only a result
 * @c:		the connection
 * @op:		the request's op
 * @id:		the request's id
 * @error:	0 or a result without body, or -errno
 *
 * Return: as serve_reply()
 */
int serve_reply_err(struct lw_conn *c, uint16_t op, uint64_t id, int error)
{
	struct sp_msg m = { .op = op, .id = id, .result = error };

	return serve_reply(c, &m, -1);
}

/*
 * serve_pending_bucket() - the hash bucket of @id in @c's table
 * @c:		the connection (c->pbuckets is a power of two, not 0)
 * @id:		a request's id
 *
 * Return: the bucket's head pointer
 */
static struct lw_pending **serve_pending_bucket(struct lw_conn *c, uint64_t id)
{
	uint64_t h = id * 0x9e3779b97f4a7c15ULL;	/* Fibonacci hashing */

	return &c->ptab[(h >> 32) & (c->pbuckets - 1)];
}

/*
 * serve_pending_grow() - double the hash table when it is crowded
 * @c:		the connection
 *
 * Return: 0 or -ENOMEM (the table stays as it was, still correct)
 */
static int serve_pending_grow(struct lw_conn *c)
{
	unsigned int old = c->pbuckets, nb = old ? 2 * old : 64, i;
	struct lw_pending **tab = c->ptab, *p;

	if (old && c->npending < 2 * old)
		return 0;
	c->ptab = calloc(nb, sizeof(struct lw_pending *));
	if (!c->ptab) {
		c->ptab = tab;
		return old ? 0 : -ENOMEM;
	}
	c->pbuckets = nb;
	for (i = 0; i < old; i++)
		while ((p = tab[i])) {
			struct lw_pending **b = serve_pending_bucket(c, p->id);

			tab[i] = p->hnext;
			p->hnext = *b;
			*b = p;
		}
	free(tab);
	return 0;
}

/*
 * serve_pending_unlink() - take @p out of its bucket and its socket's list
 * @c:		the connection
 * @p:		a waiting request of @c
 */
static void serve_pending_unlink(struct lw_conn *c, struct lw_pending *p)
{
	struct lw_pending **pp;

	for (pp = serve_pending_bucket(c, p->id); *pp; pp = &(*pp)->hnext)
		if (*pp == p) {
			*pp = p->hnext;
			break;
		}
	*p->sprev = p->snext;
	if (p->snext)
		p->snext->sprev = p->sprev;
	else
		p->s->pending_tail = p->sprev;
	c->npending--;
}

/*
 * serve_pending_add() - keep a request that waits
 * @c:		the connection
 * @m:		the request
 * @s:		its socket
 *
 * Waiting requests are kept twice: hashed by id in the connection (CANCEL,
 * and the check that an id is not reused while it waits, on every request)
 * and in arrival order on their socket (the oldest is answered first).
 * Both are O(1); a connection keeps at most LW_PENDING_MAX of them.
 *
 * Return: 0, -ENOBUFS (too many waiting), -ENOMEM
 */
int serve_pending_add(struct lw_conn *c, const struct sp_msg *m, struct lw_sock *s)
{
	struct lw_pending *p, **b;

	if (c->npending >= LW_PENDING_MAX) {
		lw_debug("client: %u requests wait already: %s refused",
			 c->npending, sp_op_name(m->op));
		return -ENOBUFS;
	}
	if (serve_pending_grow(c) < 0 || !(p = calloc(1, sizeof(*p))))
		return -ENOMEM;
	p->id = m->id;
	p->op = m->op;
	p->s = s;
	b = serve_pending_bucket(c, p->id);
	p->hnext = *b;
	*b = p;
	if (!s->pending_tail)
		s->pending_tail = &s->pending;
	p->sprev = s->pending_tail;
	*s->pending_tail = p;
	s->pending_tail = &p->snext;
	c->npending++;
	return 0;
}

/* CLOCK_MONOTONIC in milliseconds */
static uint64_t serve_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/*
 * serve_deadlines() - lwIP timer: answer -EAGAIN to the waiting requests
 * whose deadline has passed
 * @arg:	the daemon
 *
 * Runs on lwIP's thread with the core lock held, as every lwIP callback.
 * One timer is armed per deadline set; each looks at all of them, which
 * are few (a blocking recvfrom with SO_RCVTIMEO each).
 */
static void serve_deadlines(void *arg)
{
	struct lw_daemon *d = arg;
	uint64_t now = serve_now_ms();
	struct lw_pending *p;
	struct lw_sock *s;
	struct lw_conn *c;

	for (c = d->conns; c; c = c->next) {
		if (c->dead)
			continue;
		for (s = c->socks; s; s = s->next) {
			uint64_t ids[16];
			unsigned int n, i;

			do {	/* by id: answering changes the list */
				n = 0;
				for (p = s->pending; p && n < 16; p = p->snext)
					if (p->deadline && p->deadline <= now)
						ids[n++] = p->id;
				for (i = 0; i < n; i++) {
					p = serve_pending_find(c, ids[i], true);
					if (!p)
						continue;
					serve_reply_err(c, p->op, p->id, -EAGAIN);
					free(p);
				}
			} while (n == 16);
		}
	}
}
/**
 * serve_pending_deadline() - a waiting request gives up after @ms
 * @c:		the connection
 * @id:		the request, just added
 * @ms:		milliseconds, > 0
 *
 * Called with the core lock held.
 */
void serve_pending_deadline(struct lw_conn *c, uint64_t id, int ms)
{
	struct lw_pending *p = serve_pending_find(c, id, false);

	if (!p)
		return;
	p->deadline = serve_now_ms() + (uint64_t)ms;
	sys_timeout((u32_t)ms, serve_deadlines, c->d);
}

/*
 * serve_pending_find() - the waiting request of @c with @id
 * @c:		the connection
 * @id:		the request's id
 * @unlink:	take it out (it is then the caller's to free)
 *
 * Return: the request, or NULL
 */
struct lw_pending *serve_pending_find(struct lw_conn *c, uint64_t id, bool unlink)
{
	struct lw_pending *p;

	if (!c->pbuckets)
		return NULL;
	for (p = *serve_pending_bucket(c, id); p; p = p->hnext)
		if (p->id == id) {
			if (unlink)
				serve_pending_unlink(c, p);
			return p;
		}
	return NULL;
}

/*
 * serve_pending_take() - take the oldest waiting request on @s
 * @s:		the socket
 * @op:		that op, or 0 for any
 *
 * A socket waits with one kind of request (ACCEPT on a listener, CONNECT,
 * DGRAMSRC), so this looks at the head of its list.
 *
 * Return: the request, now the caller's to free, or NULL
 */
struct lw_pending *serve_pending_take(struct lw_sock *s, uint16_t op)
{
	struct lw_pending *p;

	for (p = s->pending; p; p = p->snext)
		if (!op || p->op == op) {
			serve_pending_unlink(s->conn, p);
			return p;
		}
	return NULL;
}

/*
 * serve_pending_free_all() - forget every waiting request of @c, unanswered
 * @c:		the connection, being closed
 */
static void serve_pending_free_all(struct lw_conn *c)
{
	struct lw_pending *p;
	unsigned int i;

	for (i = 0; i < c->pbuckets; i++) {
		struct lw_pending *next;

		/* the whole chain at once: each is then taken off its socket */
		for (p = c->ptab[i], c->ptab[i] = NULL; p; p = next) {
			next = p->hnext;
			*p->sprev = p->snext;
			if (p->snext)
				p->snext->sprev = p->sprev;
			else
				p->s->pending_tail = p->sprev;
			c->npending--;
			free(p);
		}
	}
	free(c->ptab);
	c->ptab = NULL;
	c->pbuckets = 0;
}

/*
 * serve_pending_done() - answer the oldest waiting @op on @s with @result
 * @s:		the socket
 * @op:		SP_CONNECT
 * @result:	0 or -errno
 *
 * Return: true if a request was waiting
 */
bool serve_pending_done(struct lw_sock *s, uint16_t op, int result)
{
	struct lw_pending *p = serve_pending_take(s, op);

	if (!p)
		return false;
	serve_reply_err(s->conn, p->op, p->id, result);
	free(p);
	return true;
}

/*
 * serve_accept_ready() - a connection is queued: answer a waiting ACCEPT
 * @l:		the listener
 */
void serve_accept_ready(struct lw_sock *l)
{
	struct lw_pending *p;

	while (l->acceptq && (p = serve_pending_take(l, SP_ACCEPT))) {
		ops_accept_reply(l, p->id);
		free(p);
	}
}

/*
 * serve_dgramsrc_ready() - a datagram is queued: answer a waiting DGRAMSRC
 * @s:		the datagram socket
 */
void serve_dgramsrc_ready(struct lw_sock *s)
{
	struct lw_pending *p;

	while ((p = serve_pending_take(s, SP_DGRAMSRC))) {
		ops_dgramsrc_reply(s, p->id);
		free(p);
	}
}

/*
 * serve_conn_event() - a client connection is ready
 * @c:		the connection
 * @events:	from epoll
 *
 * Up to 64 requests per call, so that other sources get their turn.
 */
void serve_conn_event(struct lw_conn *c, uint32_t events)
{
	unsigned char *buf = c->d->msgbuf;
	ssize_t n;
	int i;

	for (i = 0; i < 64 && !c->dead && (events & EPOLLIN); i++) {
		n = sp_recv(c->fd, buf, SP_MSG_MAX, NULL);
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			if (n < 0)
				lw_warn("client: %s; closing the connection",
					n == -EMSGSIZE ? "message too long" :
					n == -EBADMSG ? "descriptors in a request" :
					strerror((int)-n));
			break;
		}
		ops_request(c, buf, (size_t)n);
	}
	if (i < 64 || c->dead)
		serve_conn_close(c);
}
