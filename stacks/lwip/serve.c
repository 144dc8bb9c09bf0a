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
 * Requests that wait (a blocking CONNECT, ACCEPT, DGRAMSRC) are kept in
 * the connection's pending list, in arrival order, until answered once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lw.h"

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
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crl) == 0)
			lw_info("client connected: pid %d uid %u", (int)cr.pid, cr.uid);
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
	struct lw_pending *p;

	if (c->src.gone)
		return;
	c->dead = true;
	while ((p = c->pending)) {
		c->pending = p->next;
		free(p);
	}
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
 * serve_pending_add() - keep a request that waits
 * @c:		the connection
 * @m:		the request
 * @s:		its socket
 *
 * Return: 0 or -ENOMEM
 */
int serve_pending_add(struct lw_conn *c, const struct sp_msg *m, struct lw_sock *s)
{
	struct lw_pending *p = calloc(1, sizeof(*p)), **pp;

	if (!p)
		return -ENOMEM;
	p->id = m->id;
	p->op = m->op;
	p->s = s;
	for (pp = &c->pending; *pp; pp = &(*pp)->next)
		;
	*pp = p;
	return 0;
}

/*
 * serve_pending_find() - the waiting request of @c with @id
 * @c:		the connection
 * @id:		the request's id
 * @unlink:	take it out of the list
 *
 * Return: the request, or NULL
 */
struct lw_pending *serve_pending_find(struct lw_conn *c, uint64_t id, bool unlink)
{
	struct lw_pending **pp, *p;

	for (pp = &c->pending; (p = *pp); pp = &p->next)
		if (p->id == id) {
			if (unlink)
				*pp = p->next;
			return p;
		}
	return NULL;
}

/*
 * serve_pending_take() - take the oldest waiting request on @s
 * @s:		the socket
 * @op:		that op, or 0 for any
 *
 * Return: the request, now the caller's to free, or NULL
 */
struct lw_pending *serve_pending_take(struct lw_sock *s, uint16_t op)
{
	struct lw_pending **pp, *p;

	for (pp = &s->conn->pending; (p = *pp); pp = &p->next)
		if (p->s == s && (!op || p->op == op)) {
			*pp = p->next;
			return p;
		}
	return NULL;
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
