// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ops.c - the operations of the stack protocol, served by lwIP
 *
 * ops_request() decodes one request (stackproto.c checks every length and
 * field), refuses what the protocol refuses, and calls the operation's
 * handler from a table indexed by op.  A handler returns the result to
 * send without a body (0 or -errno), OPS_REPLIED when it sent its reply
 * itself (a body, a descriptor), or OPS_WAIT when the request waits for
 * lwIP (a blocking CONNECT, ACCEPT, DGRAMSRC: serve.c keeps it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "lw.h"

#define OPS_REPLIED	LW_OP_REPLIED	/* not a count, not an -errno */
#define OPS_WAIT	LW_OP_WAIT

typedef int (*ops_fn)(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s);

/*
 * ops_hello() - HELLO: the version, the families, the description
 * @c:		the connection
 * @m:		the request
 * @s:		unused
 *
 * The highest version both speak; netlink (version 2) only for a client
 * that speaks it.
 *
 * Return: OPS_REPLIED, or -EISCONN (a second HELLO)
 */
static int ops_hello(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	char text[SP_TEXT_MAX];
	struct sp_msg r = { .op = SP_HELLO, .id = m->id };

	(void)s;
	if (c->hello)
		return -EISCONN;
	if (m->version_min > SP_VERSION || m->version_max < SP_VERSION_MIN) {
		serve_reply_err(c, SP_HELLO, m->id, -EPROTONOSUPPORT);
		lw_warn("client speaks versions %u..%u, not %u..%u: closing",
			m->version_min, m->version_max, SP_VERSION_MIN, SP_VERSION);
		shutdown(c->fd, SHUT_RDWR);
		c->dead = true;
		return OPS_REPLIED;
	}
	c->hello = true;
	c->version = m->version_max < SP_VERSION ? m->version_max : SP_VERSION;
	r.version = c->version;
	r.families = SP_FAM_INET | SP_FAM_INET6;
	if (c->version >= 2)
		r.families |= SP_FAM_NETLINK;
	r.pid = (uint32_t)getpid();
	r.mtu = c->d->netif.mtu;
	r.datalen = (uint32_t)link_describe(c->d, text, sizeof(text));
	r.data = text;
	serve_reply(c, &r, -1);
	return OPS_REPLIED;
}

/*
 * ops_socket_kind() - is this a socket the stack makes?
 * @c:		the connection (its version)
 * @m:		domain, type, protocol
 * @ping:	set for a ping socket (SOCK_DGRAM, IPPROTO_ICMP/ICMPV6)
 *
 * UDP-Lite (SOCK_DGRAM, IPPROTO_UDPLITE) is a UDP socket whose pcb lwIP
 * sends and checks as UDP-Lite, its checksum covering the whole datagram
 * (Linux's default; UDPLITE_SEND_CSCOV and UDPLITE_RECV_CSCOV are not
 * served).
 *
 * Return: 0, -EAFNOSUPPORT, -ESOCKTNOSUPPORT, -EPROTONOSUPPORT
 */
static int ops_socket_kind(const struct lw_conn *c, const struct sp_msg *m, bool *ping)
{
	int type = m->type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);

	*ping = false;
	if (m->domain == AF_NETLINK && c->version >= 2) {
		if (type != SOCK_RAW && type != SOCK_DGRAM)
			return -ESOCKTNOSUPPORT;
		return m->protocol == NETLINK_ROUTE ? 0 : -EPROTONOSUPPORT;
	}
	if (m->domain != AF_INET && m->domain != AF_INET6)
		return -EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (type == SOCK_DGRAM && c->version >= 2 &&
	    m->protocol == (m->domain == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) {
		*ping = true;
		return 0;
	}
	if (type == SOCK_DGRAM && m->protocol == IPPROTO_UDPLITE)
		return 0;	/* lwIP's UDP-Lite (RFC 3828), a UDP socket otherwise */
	if (m->protocol && m->protocol != (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP))
		return -EPROTONOSUPPORT;
	return 0;
}

/*
 * ops_socket() - SOCKET: a new socket, its child end passed
 * @c:		the connection
 * @m:		domain, type, protocol, flags
 * @s:		unused
 *
 * Return: OPS_REPLIED, -EAFNOSUPPORT, -ESOCKTNOSUPPORT, -EPROTONOSUPPORT,
 * -EMFILE...
 */
static int ops_socket(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	int type = m->type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), rc;
	struct sp_msg r = { .op = SP_SOCKET, .id = m->id };
	bool ping;

	rc = ops_socket_kind(c, m, &ping);
	if (rc < 0)
		return rc;
	rc = sock_new(c, m->domain, m->domain == AF_NETLINK ? SOCK_DGRAM : type,
		      ping || m->protocol == IPPROTO_UDPLITE ? m->protocol : 0, false, &s);
	if (rc < 0)
		return rc;
	s->so_type = type;
	if (m->domain == AF_NETLINK) {
		rc = netlink_sock_open(s, (m->sflags & SP_SOCK_NETADMIN) &&
				       netlink_conn_may_admin(c));
		if (rc < 0) {
			sock_release(s);
			return rc;
		}
	}
	r.handle = s->handle;
	if (serve_reply(c, &r, s->child_fd) < 0) {
		sock_release(s);
		return OPS_REPLIED;
	}
	close(s->child_fd);
	s->child_fd = -1;
	lw_debug("socket %llu: %s %s", (unsigned long long)s->handle,
		 m->domain == AF_INET ? "inet" : m->domain == AF_INET6 ? "inet6" : "netlink",
		 type == SOCK_STREAM ? "stream" : ping ? "ping" : "dgram");
	return OPS_REPLIED;
}

/*
 * ops_bind() - BIND
 * @c:		the connection
 * @m:		the address
 * @s:		the socket
 *
 * Return: 0 or -errno
 */
static int ops_bind(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	ip_addr_t ip;
	uint16_t port;
	int rc = sock_to_ip(s, m->addr, m->addrlen, &ip, &port);

	/* a v4-mapped address on an IPV6_V6ONLY socket: connect and send
	 * say ENETUNREACH, bind EINVAL (the kernel's __inet6_bind()) */
	if (rc == -ENETUNREACH)
		return -EINVAL;
	if (rc < 0)
		return rc;
	rc = s->type == SOCK_STREAM ? tcp_sock_bind(s, &ip, port)
				    : udp_sock_bind(s, &ip, port);
	if (rc != -EADDRINUSE || !port)
		return rc;
	/* the port may be held by a socket closed a moment ago */
	sock_reap_closed(c->d, false);
	return s->type == SOCK_STREAM ? tcp_sock_bind(s, &ip, port)
				      : udp_sock_bind(s, &ip, port);
}

/*
 * ops_listen() - LISTEN
 * @c:		the connection
 * @m:		the backlog
 * @s:		the socket
 *
 * Return: 0 or -errno
 */
static int ops_listen(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	(void)c;
	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	return tcp_sock_listen(s, m->arg);
}

/*
 * ops_connect() - CONNECT
 * @c:		the connection
 * @m:		the address, SP_NONBLOCK
 * @s:		the socket
 *
 * Return: 0, -EINPROGRESS, OPS_WAIT, or -errno
 */
static int ops_connect(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	sa_family_t fam;
	ip_addr_t ip;
	uint16_t port;
	int rc;

	memcpy(&fam, m->addr, sizeof(fam));
	if (s->type == SOCK_DGRAM && fam == AF_UNSPEC)
		return udp_sock_disconnect(s);
	rc = sock_to_ip(s, m->addr, m->addrlen, &ip, &port);
	if (rc < 0)
		return rc;
	sock_dest_any(s, &ip);
	if (s->type == SOCK_DGRAM)
		return udp_sock_connect(s, &ip, port);
	/* as the kernel: once a non-blocking connect is done, the connect()
	 * that asks says 0, and only the next ones EISCONN */
	if (s->state == ST_CONNECTED && s->connect_unseen) {
		s->connect_unseen = false;
		return 0;
	}
	/* ... and once it failed, that connect() gets the error, or
	 * ECONNABORTED if SO_ERROR took it (__inet_stream_connect(), its
	 * SS_CONNECTING socket in TCP_CLOSE); the next one starts anew */
	if (s->state == ST_NEW && s->connect_unseen) {
		rc = s->so_error ? -s->so_error : -ECONNABORTED;
		s->connect_unseen = false;
		s->so_error = 0;
		return rc;
	}
	if (!(m->flags & SP_NONBLOCK) && c->npending >= LW_PENDING_MAX)
		return -ENOBUFS;	/* before anything starts */
	sock_reap_closed(c->d, true);
	rc = tcp_sock_connect(s, &ip, port);
	if (rc < 0)
		return rc;
	s->connect_unseen = m->flags & SP_NONBLOCK;
	if (m->flags & SP_NONBLOCK)
		return -EINPROGRESS;
	rc = serve_pending_add(c, m, s);
	return rc < 0 ? rc : OPS_WAIT;
}

/*
 * ops_accept_reply() - answer an ACCEPT with the oldest queued connection
 * @l:		the listener; its queue is not empty
 * @id:		the request's id
 */
void ops_accept_reply(struct lw_sock *l, uint64_t id)
{
	struct sp_msg r = { .op = SP_ACCEPT, .id = id };
	struct sockaddr_storage ss;
	struct lw_sock *s = tcp_sock_accept(l);

	if (!s)
		return;
	r.handle = s->handle;
	r.addrlen = sock_from_ip(s, &s->remote_ip, s->remote_port, &ss);
	r.addr = &ss;
	if (serve_reply(l->conn, &r, s->child_fd) < 0) {
		sock_release(s);
		return;
	}
	close(s->child_fd);
	s->child_fd = -1;
	if (s->state == ST_DONE)
		sock_zombify(s);	/* reset while it waited in the queue */
	lw_debug("socket %llu: accepted on %llu", (unsigned long long)s->handle,
		 (unsigned long long)l->handle);
}

/*
 * ops_accept() - ACCEPT
 * @c:		the connection
 * @m:		SP_NONBLOCK
 * @s:		the listener
 *
 * Return: OPS_REPLIED, OPS_WAIT, -EAGAIN, -EINVAL, -EOPNOTSUPP, -ENOBUFS
 */
static int ops_accept(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	int rc;

	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (s->state != ST_LISTEN)
		return -EINVAL;
	if (s->acceptq) {
		ops_accept_reply(s, m->id);
		return OPS_REPLIED;
	}
	if (m->flags & SP_NONBLOCK)
		return -EAGAIN;
	rc = serve_pending_add(c, m, s);
	return rc < 0 ? rc : OPS_WAIT;
}

/*
 * ops_cancel() - CANCEL: the waiting request gets EINTR
 * @c:		the connection
 * @m:		handle: the id of the request
 * @s:		unused
 *
 * Return: 0 or -ENOENT
 */
static int ops_cancel(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	struct lw_pending *p = serve_pending_find(c, m->handle, true);

	(void)s;
	if (!p)
		return -ENOENT;
	serve_reply_err(c, p->op, p->id, -EINTR);
	free(p);
	return 0;
}

/*
 * ops_name() - GETSOCKNAME, GETPEERNAME
 * @c:		the connection
 * @m:		the request
 * @s:		the socket
 *
 * Return: OPS_REPLIED or -ENOTCONN
 */
static int ops_name(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	struct sp_msg r = { .op = m->op, .id = m->id };
	struct sockaddr_storage ss;

	if (m->op == SP_GETPEERNAME) {
		if (!s->has_peer)
			return -ENOTCONN;
		r.addrlen = sock_from_ip(s, &s->remote_ip, s->remote_port, &ss);
	} else {
		r.addrlen = sock_from_ip(s, s->bound ? &s->local_ip : NULL,
					 s->local_port, &ss);
	}
	r.addr = &ss;
	serve_reply(c, &r, -1);
	return OPS_REPLIED;
}

/*
 * ops_setsockopt() - SETSOCKOPT
 * @c:		the connection
 * @m:		level, name, value
 * @s:		the socket
 *
 * Return: 0 or -errno
 */
static int ops_setsockopt(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	(void)c;
	return sockopt_set(s, m->level, m->name, m->data, m->datalen);
}

/*
 * ops_getsockopt() - GETSOCKOPT
 * @c:		the connection
 * @m:		level, name, room
 * @s:		the socket
 *
 * Return: OPS_REPLIED or -errno
 */
static int ops_getsockopt(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	struct sp_msg r = { .op = SP_GETSOCKOPT, .id = m->id };
	unsigned char val[SP_OPT_MAX];
	uint32_t len = m->optlen;
	int rc = sockopt_get(s, m->level, m->name, val, &len);

	if (rc < 0)
		return rc;
	r.data = val;
	r.datalen = len;
	serve_reply(c, &r, -1);
	return OPS_REPLIED;
}

/*
 * ops_shutdown() - SHUTDOWN
 * @c:		the connection
 * @m:		how
 * @s:		the socket
 *
 * Return: 0 or -errno
 */
static int ops_shutdown(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	(void)c;
	if (s->type == SOCK_STREAM)
		return tcp_sock_shutdown(s, m->arg);
	if (m->arg != SHUT_RD && m->arg != SHUT_WR && m->arg != SHUT_RDWR)
		return -EINVAL;
	if (!s->has_peer)
		return -ENOTCONN;
	s->shut_rd |= m->arg != SHUT_WR;
	s->shut_wr |= m->arg != SHUT_RD;
	return 0;
}

/*
 * ops_sendto() - SENDTO, SENDMSG: one datagram, to an address or the
 * default peer, SENDMSG with its ancillary data
 * @c:		the connection
 * @m:		address, flags, payload
 * @s:		the socket
 *
 * Return: the bytes sent, or -errno
 */
static int ops_sendto(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	ip_addr_t ip;
	uint16_t port = 0;
	int rc;

	if (m->op == SP_SENDMSG && c->version < 3)
		return -ENOSYS;
	if (s->type != SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (s->shut_wr)
		return -EPIPE;
	if (m->addrlen) {
		rc = sock_to_ip(s, m->addr, m->addrlen, &ip, &port);
		if (rc < 0)
			return rc;
		sock_dest_any(s, &ip);
	}
	return udp_sock_sendto(s, m->addrlen ? &ip : NULL, port, m->data, m->datalen,
			       m->op == SP_SENDMSG ? &m->anc : NULL);
}

/*
 * ops_dgramsrc_reply() - answer DGRAMSRC with the head datagram's source
 * @s:		the datagram socket; its queue is not empty
 * @id:		the request's id
 */
void ops_dgramsrc_reply(struct lw_sock *s, uint64_t id)
{
	struct sp_msg r = { .op = SP_DGRAMSRC, .id = id };
	struct sockaddr_storage ss;
	struct lw_dgram d;

	if (udp_sock_head(s, &d) < 0) {
		serve_reply_err(s->conn, SP_DGRAMSRC, id, -EAGAIN);
		return;
	}
	r.datalen_hint = d.len;
	/* version 3: what the socket asked for (udpanc.c); version 2: the
	 * TTL, for IP_RECVTTL and IPV6_RECVHOPLIMIT */
	if (s->conn->version >= 3)
		udpanc_reply(s, &d, &r.anc);
	else if (s->recv_ttl && d.ttl >= 0 && s->conn->version >= 2)
		r.handle = SP_DGRAM_TTL | (uint64_t)d.ttl;
	r.addrlen = sock_from_ip(s, &d.addr, d.port, &ss);
	r.addr = &ss;
	serve_reply(s->conn, &r, -1);
}

/*
 * ops_dgramsrc() - DGRAMSRC
 * @c:		the connection
 * @m:		SP_NONBLOCK
 * @s:		the socket
 *
 * Return: OPS_REPLIED, OPS_WAIT, -EAGAIN, -EOPNOTSUPP
 */
static int ops_dgramsrc(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	struct lw_dgram d;
	int rc;

	if (s->type != SOCK_DGRAM)
		return -EOPNOTSUPP;
	if (udp_sock_head(s, &d) == 0) {
		ops_dgramsrc_reply(s, m->id);
		return OPS_REPLIED;
	}
	if (m->flags & SP_NONBLOCK)
		return -EAGAIN;
	rc = serve_pending_add(c, m, s);
	if (rc < 0)
		return rc;
	if (m->arg > 0)		/* SO_RCVTIMEO of the child's end */
		serve_pending_deadline(c, m->id, m->arg);
	return OPS_WAIT;
}

/*
 * ops_ifreq() - IFREQ: an interface ioctl, answered from lwIP's interfaces
 * @c:		the connection
 * @m:		the request (name), the struct ifreq
 * @s:		unused
 *
 * Return: OPS_REPLIED or -errno
 */
static int ops_ifreq(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	struct sp_msg r = { .op = SP_IFREQ, .id = m->id };
	unsigned char buf[SP_OPT_MAX] = { 0 };
	uint32_t len = m->datalen;
	int rc;

	(void)s;
	if (len)
		memcpy(buf, m->data, len);
	rc = netlink_ifreq(c->d, (unsigned long)(uint32_t)m->name, buf, &len);
	if (rc < 0)
		return rc;
	r.data = buf;
	r.datalen = len;
	serve_reply(c, &r, -1);
	return OPS_REPLIED;
}

/*
 * ops_close() - CLOSE
 * @c:		the connection
 * @m:		unused
 * @s:		the socket
 *
 * Return: 0
 */
static int ops_close(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	(void)c;
	(void)m;
	sock_release(s);
	return 0;
}

static const ops_fn ops_table[SP_OP_MAX + 1] = {
	[SP_HELLO] = ops_hello,		[SP_SOCKET] = ops_socket,
	[SP_BIND] = ops_bind,		[SP_LISTEN] = ops_listen,
	[SP_CONNECT] = ops_connect,	[SP_ACCEPT] = ops_accept,
	[SP_CANCEL] = ops_cancel,	[SP_GETSOCKNAME] = ops_name,
	[SP_GETPEERNAME] = ops_name,	[SP_SETSOCKOPT] = ops_setsockopt,
	[SP_GETSOCKOPT] = ops_getsockopt, [SP_SHUTDOWN] = ops_shutdown,
	[SP_SENDTO] = ops_sendto,	[SP_DGRAMSRC] = ops_dgramsrc,
	[SP_CLOSE] = ops_close,		[SP_IFREQ] = ops_ifreq,
	[SP_SENDMSG] = ops_sendto,
};

/*
 * ops_handles() - does @op name a socket in its handle field?
 * @op:		the operation
 *
 * Return: true for all but HELLO, SOCKET and CANCEL
 */
static bool ops_handles(unsigned int op)
{
	return op != SP_HELLO && op != SP_SOCKET && op != SP_CANCEL && op != SP_IFREQ;
}

/*
 * ops_request() - serve one request
 * @c:		the connection
 * @buf:	the record
 * @len:	its length
 *
 * A bad header, a reply where a request belongs: the connection is
 * closed.  Everything else is answered.
 */
void ops_request(struct lw_conn *c, const void *buf, size_t len)
{
	struct lw_sock *s = NULL;
	struct sp_msg m;
	int rc = sp_decode(buf, len, &m);

	if (rc == -EBADMSG || m.reply) {
		lw_warn("client: %s; closing the connection",
			rc == -EBADMSG ? "malformed message" : "a reply for a request");
		shutdown(c->fd, SHUT_RDWR);
		c->dead = true;
		return;
	}
	lw_debug("request %s id %llu", sp_op_name(m.op), (unsigned long long)m.id);
	if (rc < 0)
		goto reply;
	if (!c->hello && m.op != SP_HELLO) {
		rc = -EPROTO;
		goto reply;
	}
	if (serve_pending_find(c, m.id, false)) {
		rc = -EEXIST;
		goto reply;
	}
	if (ops_handles(m.op)) {
		s = sock_find(c, m.handle);
		if (!s) {
			rc = -EBADF;
			goto reply;
		}
		if (s->zombie && m.op != SP_CLOSE && m.op != SP_GETSOCKNAME &&
		    m.op != SP_GETPEERNAME && m.op != SP_GETSOCKOPT) {
			rc = m.op == SP_SHUTDOWN ? -ENOTCONN : -EINVAL;
			goto reply;
		}
	}
	rc = LW_OP_GENERIC;
	if (s && s->domain == AF_NETLINK)
		rc = netlink_op(c, &m, s);	/* its addresses, its options */
	if (rc == LW_OP_GENERIC)
		rc = ops_table[m.op](c, &m, s);
	if (rc == OPS_REPLIED || rc == OPS_WAIT)
		return;
reply:
	serve_reply_err(c, m.op, m.id, rc);
}
