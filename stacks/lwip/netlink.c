// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netlink.c - rtnetlink for the stack: ip addr, ip link and ip route see
 * lwIP, and configure it; here, the netlink socket itself (its port id,
 * groups, options, and the requests it reads)
 *
 * The rest is in files of their own: the answers and the dispatch of a
 * request (nlreq.c), links and the interface ioctls (nlif.c), addresses
 * (nladdr.c), routes (nlroute.c), their shared structures in nl.h.
 *
 * A program's AF_NETLINK socket (NETLINK_ROUTE) in a userspace stack is,
 * like a UDP socket, a SEQPACKET socketpair whose daemon end is here
 * (sock.c).  What the program writes to its end is a netlink request to
 * the kernel (port id 0), decoded by nlmsg.c; the answers are built from
 * lwIP's interface list (netif_list) and written back as datagrams, each
 * at most NLMSG_GOODSIZE (3776 bytes, as the kernel sizes dump buffers:
 * glibc's getifaddrs(3) reads with a page-sized buffer and refuses a
 * truncated one).  Answers that do not fit the child's queue wait here and
 * go on when its end is writable; while more than NL_OUTQ_MAX bytes wait,
 * no request is read (the program's sends then block, as a slow reader's
 * netlink socket holds its dump).
 *
 * Served: RTM_GETLINK, RTM_GETADDR and RTM_GETROUTE (dumps, and a single
 * link by index or name, and a route lookup), the empty dumps of
 * RTM_GETNEIGH and RTM_GETRULE; and, for a socket whose creator has
 * CAP_NET_ADMIN over the stack (SP_SOCK_NETADMIN from a client allowed
 * to say so, netlink_conn_may_admin()), RTM_NEWADDR/DELADDR,
 * RTM_NEWROUTE/DELROUTE (the default routes) and RTM_NEWLINK/SETLINK on
 * an existing interface (up, down, mtu).  What lwIP cannot keep is
 * refused with EOPNOTSUPP and a message (NLMSGERR_ATTR_MSG, which `ip`
 * prints when NETLINK_EXT_ACK is on): a second IPv4 address on an
 * interface, routes other than the default ones, new interfaces.
 * Multicast groups are accepted and kept, but no notification is sent.
 *
 * The answers' source address (recvmsg's msg_name) is the kernel's,
 * { AF_NETLINK, 0, 0 }: sock_from_ip() gives it to DGRAMSRC.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "nl.h"

#define NL_PORT_FIRST	0xfffff000U	/* autobind: the kernel's rover (-4096) */

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

static uint32_t nl_next_port = NL_PORT_FIRST;
static unsigned char nl_req[SP_MSG_MAX];	/* one request datagram */

/* Is @port taken by a netlink socket of the daemon? */
static bool nl_port_used(struct lw_daemon *d, uint32_t port)
{
	struct lw_conn *c;
	struct lw_sock *s;

	for (c = d->conns; c; c = c->next)
		for (s = c->socks; s; s = s->next)
			if (s->nl && s->nl->bound && s->nl->portid == port)
				return true;
	return false;
}

/* Autobind: the next free port id, as the kernel picks one. */
static uint32_t nl_autobind_port(struct lw_daemon *d)
{
	uint32_t p;
	int i;

	for (i = 0; i < 65536; i++) {
		p = nl_next_port--;
		if (nl_next_port < 0x80000000U)
			nl_next_port = NL_PORT_FIRST;
		if (!nl_port_used(d, p))
			return p;
	}
	return p;
}

/*
 * nl_input() - serve one datagram the program sent to the kernel
 * @s:		the netlink socket
 * @buf:	the datagram
 * @len:	its length
 */
static void nl_input(struct lw_sock *s, const void *buf, size_t len)
{
	static struct nl_writer w;
	struct nlreq r;
	size_t off = 0;

	if (!s->nl->bound) {
		s->nl->portid = nl_autobind_port(s->conn->d);
		s->nl->bound = true;
	}
	nlw_init(&w, s);
	while (nlmsg_next(buf, len, &off, &r) == 1)
		nl_request(&w, &r);
	nlw_flush(&w);
	nl_flush(s);
}

/**
 * netlink_conn_may_admin() - may this client give its sockets
 * CAP_NET_ADMIN over the stack?
 * @c:		the connection
 *
 * A client that runs as root or as the daemon's own user could do
 * anything to the daemon anyway; any other user who may open the stack
 * file only uses it.
 *
 * Return: true for such a client (SO_PEERCRED)
 */
bool netlink_conn_may_admin(const struct lw_conn *c)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0)
		return false;
	return uc.uid == 0 || uc.uid == geteuid();
}

/**
 * netlink_sock_open() - the netlink side of a new socket
 * @s:		the socket (AF_NETLINK, its socketpair made)
 * @admin:	its creator may configure the stack
 *
 * Return: 0 or -ENOMEM
 */
int netlink_sock_open(struct lw_sock *s, bool admin)
{
	struct nl_sock *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return -ENOMEM;
	nl->admin = admin;
	nl->outq_tail = &nl->outq;
	s->nl = nl;
	return 0;
}

/**
 * netlink_sock_close() - free the netlink side of a socket
 * @s:		the socket
 */
void netlink_sock_close(struct lw_sock *s)
{
	struct nl_sock *nl = s->nl;
	struct nl_out *o;

	if (!nl)
		return;
	while ((o = nl->outq)) {
		nl->outq = o->next;
		free(o);
	}
	free(nl);
	s->nl = NULL;
}

/**
 * netlink_sock_events() - what the daemon's end waits for
 * @s:		the netlink socket
 *
 * Return: EPOLLIN unless too many answers wait, EPOLLOUT while some do
 */
uint32_t netlink_sock_events(const struct lw_sock *s)
{
	uint32_t ev = 0;

	if (!s->nl || s->nl->outq_bytes <= NL_OUTQ_MAX)
		ev |= EPOLLIN;
	if (s->nl && s->nl->outq)
		ev |= EPOLLOUT;
	return ev;
}

/**
 * netlink_sock_readable() - serve the requests the program wrote
 * @s:		the netlink socket
 *
 * After POLLHUP, a zero-length read is the end, not an empty datagram.
 */
void netlink_sock_readable(struct lw_sock *s)
{
	ssize_t n;
	int i;

	for (i = 0; i < 64 && s->fd >= 0 && s->nl && s->nl->outq_bytes <= NL_OUTQ_MAX; i++) {
		n = recv(s->fd, nl_req, sizeof(nl_req), MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 || (n == 0 && s->hup))
			return;
		if ((size_t)n > sizeof(nl_req))
			continue;	/* larger than any request: dropped */
		nl_input(s, nl_req, (size_t)n);
	}
}

/**
 * netlink_sock_writable() - the child's end takes answers again
 * @s:		the netlink socket
 */
void netlink_sock_writable(struct lw_sock *s)
{
	nl_flush(s);
}

/* sockaddr_nl of @portid, @groups into @ss; its length. */
static uint32_t nl_name(struct sockaddr_storage *ss, uint32_t portid, uint32_t groups)
{
	struct sockaddr_nl *sn = (struct sockaddr_nl *)ss;

	memset(ss, 0, sizeof(*ss));
	sn->nl_family = AF_NETLINK;
	sn->nl_pid = portid;
	sn->nl_groups = groups;
	return sizeof(*sn);
}

/* bind(2): a port id (0: one is picked) and groups. */
static int nl_bind(struct lw_sock *s, const struct sp_msg *m)
{
	struct nl_sock *nl = s->nl;
	struct sockaddr_nl sn;
	int rc = sp_check_addr(AF_NETLINK, m->addr, m->addrlen);

	if (rc < 0)
		return rc;
	memcpy(&sn, m->addr, sizeof(sn));
	if (nl->bound) {
		if (sn.nl_pid && sn.nl_pid != nl->portid)
			return -EINVAL;
	} else if (sn.nl_pid) {
		if (nl_port_used(s->conn->d, sn.nl_pid))
			return -EADDRINUSE;
		nl->portid = sn.nl_pid;
		nl->bound = true;
	} else {
		nl->portid = nl_autobind_port(s->conn->d);
		nl->bound = true;
	}
	nl->groups = (nl->groups & ~0xffffffffULL) | sn.nl_groups;
	return 0;
}

/* sendto(2) with an address: the kernel (port 0) answers; others refuse. */
static int nl_sendto(struct lw_sock *s, const struct sp_msg *m)
{
	struct sockaddr_nl sn = { .nl_family = AF_NETLINK };
	int rc;

	if (m->addrlen) {
		rc = sp_check_addr(AF_NETLINK, m->addr, m->addrlen);
		if (rc < 0)
			return rc;
		memcpy(&sn, m->addr, sizeof(sn));
	} else {
		sn.nl_pid = s->nl->dst_portid;
		sn.nl_groups = s->nl->dst_group;
	}
	if (sn.nl_groups && !s->nl->admin)
		return -EPERM;
	if (sn.nl_pid)
		return -ECONNREFUSED;	/* no other socket is reachable */
	/* what the program wrote to its end before comes first */
	netlink_sock_readable(s);
	nl_input(s, m->data, m->datalen);
	sock_update(s);
	return (int)m->datalen;
}

/* setsockopt(SOL_NETLINK) */
static int nl_setsockopt(struct lw_sock *s, const struct sp_msg *m)
{
	struct nl_sock *nl = s->nl;
	int v;

	if (m->datalen < sizeof(int))
		return -EINVAL;
	memcpy(&v, m->data, sizeof(v));
	switch (m->name) {
	case NETLINK_ADD_MEMBERSHIP:
	case NETLINK_DROP_MEMBERSHIP:
		if (v < 1 || v > 64)
			return -EINVAL;
		if (m->name == NETLINK_ADD_MEMBERSHIP)
			nl->groups |= 1ULL << (v - 1);
		else
			nl->groups &= ~(1ULL << (v - 1));
		return 0;
	case NETLINK_EXT_ACK:		nl->ext_ack = v; return 0;
	case NETLINK_CAP_ACK:		nl->cap_ack = v; return 0;
	case NETLINK_GET_STRICT_CHK:	nl->strict = v; return 0;
	case NETLINK_NO_ENOBUFS:	nl->no_enobufs = v; return 0;
	case NETLINK_BROADCAST_ERROR:	nl->broadcast_error = v; return 0;
	case NETLINK_LISTEN_ALL_NSID:	nl->listen_all = v; return 0;
	default:
		return -ENOPROTOOPT;	/* NETLINK_PKTINFO: no ancillary data */
	}
}

/* getsockopt(SOL_NETLINK), and what SOL_SOCKET says of a netlink socket */
static int nl_getsockopt(struct lw_conn *c, struct lw_sock *s, const struct sp_msg *m)
{
	struct sp_msg r = { .op = SP_GETSOCKOPT, .id = m->id };
	const struct nl_sock *nl = s->nl;
	uint32_t groups[2] = { (uint32_t)nl->groups, (uint32_t)(nl->groups >> 32) };
	int v;

	if (m->level == SOL_SOCKET && m->name == SO_PROTOCOL)
		v = NETLINK_ROUTE;
	else if (m->level == SOL_SOCKET && m->name == SO_TYPE)
		v = s->so_type;
	else if (m->level == SOL_SOCKET)
		return LW_OP_GENERIC;
	else if (m->name == NETLINK_LIST_MEMBERSHIPS) {
		r.data = groups;
		r.datalen = m->optlen < sizeof(groups) ? m->optlen : sizeof(groups);
		serve_reply(c, &r, -1);
		return LW_OP_REPLIED;
	} else {
		switch (m->name) {
		case NETLINK_EXT_ACK:		v = nl->ext_ack; break;
		case NETLINK_CAP_ACK:		v = nl->cap_ack; break;
		case NETLINK_GET_STRICT_CHK:	v = nl->strict; break;
		case NETLINK_NO_ENOBUFS:	v = nl->no_enobufs; break;
		case NETLINK_BROADCAST_ERROR:	v = nl->broadcast_error; break;
		case NETLINK_LISTEN_ALL_NSID:	v = nl->listen_all; break;
		case NETLINK_PKTINFO:		v = 0; break;
		default:			return -ENOPROTOOPT;
		}
	}
	if (m->optlen < sizeof(int))
		return -EINVAL;
	r.data = &v;
	r.datalen = sizeof(v);
	serve_reply(c, &r, -1);
	return LW_OP_REPLIED;
}

/**
 * netlink_op() - a request of the stack protocol on a netlink socket
 * @c:		the connection
 * @m:		the request
 * @s:		the socket (AF_NETLINK)
 *
 * Return: 0 or -errno (reply without body), LW_OP_REPLIED, or
 * LW_OP_GENERIC: serve it as for any datagram socket (DGRAMSRC, CLOSE,
 * SOL_SOCKET options)
 */
int netlink_op(struct lw_conn *c, struct sp_msg *m, struct lw_sock *s)
{
	struct sp_msg r = { .op = m->op, .id = m->id };
	struct sockaddr_storage ss;
	sa_family_t fam;

	switch (m->op) {
	case SP_BIND:
		return nl_bind(s, m);
	case SP_CONNECT:
		memcpy(&fam, m->addr, sizeof(fam));
		if (fam == AF_UNSPEC) {
			s->nl->dst_portid = s->nl->dst_group = 0;
			return 0;
		}
		if (sp_check_addr(AF_NETLINK, m->addr, m->addrlen) < 0)
			return -EINVAL;
		{
			struct sockaddr_nl sn;

			memcpy(&sn, m->addr, sizeof(sn));
			if (sn.nl_groups && !s->nl->admin)
				return -EPERM;
			s->nl->dst_portid = sn.nl_pid;
			s->nl->dst_group = sn.nl_groups;
		}
		if (!s->nl->bound) {
			s->nl->portid = nl_autobind_port(c->d);
			s->nl->bound = true;
		}
		return 0;
	case SP_GETSOCKNAME:
		r.addrlen = nl_name(&ss, s->nl->portid, (uint32_t)s->nl->groups);
		r.addr = &ss;
		serve_reply(c, &r, -1);
		return LW_OP_REPLIED;
	case SP_GETPEERNAME:
		r.addrlen = nl_name(&ss, s->nl->dst_portid, s->nl->dst_group);
		r.addr = &ss;
		serve_reply(c, &r, -1);
		return LW_OP_REPLIED;
	case SP_SENDTO:
		return nl_sendto(s, m);
	case SP_LISTEN: case SP_ACCEPT: case SP_SHUTDOWN:
		return -EOPNOTSUPP;
	case SP_SETSOCKOPT:
		return m->level == SOL_NETLINK ? nl_setsockopt(s, m) : LW_OP_GENERIC;
	case SP_GETSOCKOPT:
		return nl_getsockopt(c, s, m);
	default:
		return LW_OP_GENERIC;
	}
}
