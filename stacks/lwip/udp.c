// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udp.c - UDP sockets: lwIP raw API pcbs joined to SEQPACKET socketpairs
 *
 * A datagram from the peer is written to the daemon's end as one message
 * (send(2), MSG_DONTWAIT: when the child's queue is full it is dropped,
 * as a full kernel receive buffer drops it).  A message the child writes
 * without an address goes to the default peer (udp_send); with an
 * address it came by SENDTO.
 *
 * Source addresses (DGRAMSRC): the daemon records, per datagram written,
 * its size, its source and what ioctl(SIOCOUTQ) on the daemon's end rose
 * by.  SIOCOUTQ (af_unix: sk_wmem_alloc of the sender) falls by exactly
 * that amount when the child consumes the datagram, by read, recv or
 * recvfrom alike, and MSG_PEEK leaves it alone; so the records whose
 * amounts exceed the current SIOCOUTQ, oldest first, are gone, and the
 * first one left is the datagram at the head of the child's queue.  The
 * amount depends only on the size (the skb's truesize: its head, kmalloc
 * rounded, and whole pages past SKB_MAX_ALLOC), never on the socket, so
 * it is measured once per size on a SEQPACKET pair that only the daemon
 * holds (udp_amount()): measured on the child's own pair, a child that
 * reads while the daemon measures would make the daemon record a wrong
 * amount, and with it every client's answers for that size.  Nothing a
 * client does reaches the private pair.
 *
 * Ping sockets (SOCK_DGRAM, IPPROTO_ICMP and IPPROTO_ICMPV6) are datagram
 * sockets of the same kind with a raw pcb: each entry point below hands
 * them to icmp.c, and icmp.c delivers its datagrams, as netlink.c does,
 * through udp_sock_deliver(), so that DGRAMSRC serves them all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "lwip/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/udp.h"

#include "lw.h"

#define UDP_DQ_MAX	4096		/* datagrams recorded per socket */

static void udp_cb_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			const ip_addr_t *addr, u16_t port);

/*
 * udp_outq() - SIOCOUTQ of the daemon's end
 * @s:		the socket
 *
 * Return: bytes accounted to datagrams not yet consumed, or -1
 */
static long udp_outq(const struct lw_sock *s)
{
	int q;

	if (s->fd < 0 || ioctl(s->fd, SIOCOUTQ, &q) < 0)
		return -1;
	return q;
}

/*
 * udp_probe_open() - the private pair on which datagram amounts are measured
 * @d:		the daemon; d->udp_probe and d->udp_amount set
 *
 * Return: 0 or -errno
 */
int udp_probe_open(struct lw_daemon *d)
{
	int big = 4 << 20;

	d->udp_amount = calloc(SP_DATA_MAX + 1, sizeof(*d->udp_amount));
	if (!d->udp_amount)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0,
		       d->udp_probe) < 0) {
		d->udp_probe[0] = d->udp_probe[1] = -1;
		return -errno;
	}
	/* room for the largest datagram, whatever wmem_default is */
	if (setsockopt(d->udp_probe[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		(void)setsockopt(d->udp_probe[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	return 0;
}

/*
 * udp_probe_close() - close what udp_probe_open() opened
 * @d:		the daemon
 */
void udp_probe_close(struct lw_daemon *d)
{
	if (d->udp_probe[0] >= 0)
		close(d->udp_probe[0]);
	if (d->udp_probe[1] >= 0)
		close(d->udp_probe[1]);
	d->udp_probe[0] = d->udp_probe[1] = -1;
	free(d->udp_amount);
	d->udp_amount = NULL;
}

/*
 * udp_amount() - what SIOCOUTQ rises by for a datagram of @len bytes
 * @d:		the daemon
 * @buf:	@len bytes (their value does not matter)
 * @len:	the datagram's size, at most SP_DATA_MAX
 *
 * Measured on the private pair the first time a size is seen: one
 * datagram sent, SIOCOUTQ read, the datagram received and dropped.  Only
 * the daemon holds both ends, so nothing changes SIOCOUTQ in between.
 *
 * Return: the amount, or 0 if it could not be measured
 */
static uint32_t udp_amount(struct lw_daemon *d, const void *buf, uint32_t len)
{
	int q0, q1;

	if (d->udp_amount[len])
		return d->udp_amount[len];
	if (ioctl(d->udp_probe[0], SIOCOUTQ, &q0) < 0 ||
	    send(d->udp_probe[0], buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)len)
		return 0;
	if (ioctl(d->udp_probe[0], SIOCOUTQ, &q1) < 0)
		q1 = q0;
	while (recv(d->udp_probe[1], NULL, 0, MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	if (q1 <= q0)
		return 0;
	d->udp_amount[len] = (uint32_t)(q1 - q0);
	return d->udp_amount[len];
}

/*
 * udp_sock_names() - copy the pcb's addresses into the socket
 * @s:		the socket
 *
 * A socket with a default peer and no address of its own is named by the
 * source its datagrams leave with, the address of the interface lwIP
 * routes the peer by (as udp_sendto() picks it): the kernel's
 * ip4_datagram_connect() and ip6_datagram_connect() set that source at
 * connect(2), and a disconnect takes it back (__udp_disconnect()).  The
 * pcb stays bound to the wildcard.
 */
static void udp_sock_names(struct lw_sock *s)
{
	struct udp_pcb *u = s->pcb.udp;
	const ip_addr_t *src;
	struct netif *n;

	if (!u)
		return;
	ip_addr_copy(s->local_ip, u->local_ip);
	s->local_port = u->local_port;
	ip_addr_copy(s->remote_ip, u->remote_ip);
	s->remote_port = u->remote_port;
	s->bound = u->local_port != 0;
	if (!s->has_peer || !ip_addr_isany(&u->local_ip))
		return;
	n = ip_route(&u->local_ip, &u->remote_ip);
	src = n ? ip_netif_get_local_ip(n, &u->remote_ip) : NULL;
	if (src && !ip_addr_isany(src))
		ip_addr_copy(s->local_ip, *src);
}

/*
 * udp_sock_open() - a new pcb for a datagram socket
 * @s:		the socket
 *
 * Return: 0 or -ENOMEM
 */
int udp_sock_open(struct lw_sock *s)
{
	u8_t t = s->domain == AF_INET ? IPADDR_TYPE_V4
		 : s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;
	struct udp_pcb *u;

	if (lw_is_ping(s))
		return icmp_sock_open(s);
	u = udp_new_ip_type(t);
	if (!u)
		return -ENOMEM;
	s->pcb.udp = u;
	if (s->protocol == IPPROTO_UDPLITE)	/* coverage 0: the whole datagram */
		udp_setflags(u, udp_flags(u) | UDP_FLAGS_UDPLITE);
	udp_recv(u, udp_cb_recv, s);
	sockopt_apply(s);
	return 0;
}

/*
 * udp_sock_bind() - bind(2)
 * @s:		the socket
 * @ip:		an address of the interface or the wildcard
 * @port:	0 for any
 *
 * Return: 0, -EINVAL, -EADDRNOTAVAIL, -EADDRINUSE
 */
int udp_sock_bind(struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	int rc;
	err_t e;

	if (s->bound)
		return -EINVAL;
	rc = sock_check_local(s, ip);
	if (rc < 0)
		return rc;
	if (lw_is_ping(s))
		return icmp_sock_bind(s, ip, port);
	sockopt_apply(s);
	e = udp_bind(s->pcb.udp, ip, port);
	if (e != ERR_OK)
		return -lw_errno(e);
	udp_sock_names(s);
	return 0;
}

/*
 * udp_sock_connect() - connect(2): the default peer
 * @s:		the socket (bound to a free port if it was not)
 * @ip:		the peer
 * @port:	its port
 *
 * Return: 0 or -errno
 */
int udp_sock_connect(struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	int rc = sock_route_check(s, ip);
	err_t e;

	if (rc < 0)
		return rc;
	if (lw_is_ping(s))
		return icmp_sock_connect(s, ip, port);
	e = udp_connect(s->pcb.udp, ip, port);
	if (e != ERR_OK)
		return -lw_errno(e);
	s->has_peer = true;
	udp_sock_names(s);
	return 0;
}

/*
 * udp_sock_disconnect() - connect(2) with AF_UNSPEC: no default peer
 * @s:		the socket
 *
 * Return: 0
 */
int udp_sock_disconnect(struct lw_sock *s)
{
	if (lw_is_ping(s))
		return icmp_sock_disconnect(s);
	udp_disconnect(s->pcb.udp);
	s->has_peer = false;
	udp_sock_names(s);
	return 0;
}

/*
 * udp_sock_sendto() - send one datagram
 * @s:		the socket
 * @ip:		the destination, or NULL for the default peer
 * @port:	its port
 * @data:	the payload
 * @len:	its size
 * @anc:	what the control messages ask for this one (TTL, TOS, source:
 *		udpanc.c), or NULL
 *
 * Return: @len, or -EDESTADDRREQ, -EMSGSIZE, -EACCES (broadcast without
 * SO_BROADCAST), -ENETUNREACH, -ENOBUFS, udpanc_route()'s errors...
 */
int udp_sock_sendto(struct lw_sock *s, const ip_addr_t *ip, uint16_t port,
		    const void *data, size_t len, const struct sp_anc *anc)
{
	struct netif *n = &s->conn->d->netif, *via = NULL;
	const ip_addr_t *dst;
	ip_addr_t src;
	struct pbuf *p;
	u8_t ttl, tos;
	err_t e;
	int rc;

	if (!ip && !s->has_peer)
		return -EDESTADDRREQ;
	if (lw_is_ping(s))
		return icmp_sock_sendto(s, ip, data, len);
	dst = ip ? ip : &s->pcb.udp->remote_ip;
	if (len > (IP_IS_V4(dst) ? 65507U : 65527U))
		return -EMSGSIZE;
	if (ip && sock_route_check(s, ip) < 0)
		return -ENETUNREACH;
	if (IP_IS_V4(dst) && !s->broadcast &&
	    (ip4_addr_isbroadcast(ip_2_ip4(dst), n) ||
	     ip4_addr_get_u32(ip_2_ip4(dst)) == IPADDR_BROADCAST))
		return -EACCES;
	ip_addr_set_zero(&src);
	if (anc) {
		rc = udpanc_route(s, anc, dst, &src, &via);
		if (rc < 0)
			return rc;
	}
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	if (len)
		memcpy(p->payload, data, len);
	/* this datagram's TTL and TOS, the socket's again after it */
	ttl = s->pcb.udp->ttl;
	tos = s->pcb.udp->tos;
	if (anc && (anc->present & SP_ANC_TTL))
		s->pcb.udp->ttl = anc->ttl;
	if (anc && (anc->present & SP_ANC_TOS))
		s->pcb.udp->tos = anc->tos;
	if (!ip)
		port = s->pcb.udp->remote_port;
	if (via && !ip_addr_isany(&src))
		e = udp_sendto_if_src(s->pcb.udp, p, dst, port, via, &src);
	else if (via)
		e = udp_sendto_if(s->pcb.udp, p, dst, port, via);
	else
		e = (err_t)(ip ? udp_sendto(s->pcb.udp, p, ip, port) : udp_send(s->pcb.udp, p));
	s->pcb.udp->ttl = ttl;
	s->pcb.udp->tos = tos;
	pbuf_free(p);
	udp_sock_names(s);
	if (e != ERR_OK)
		return -lw_errno(e);
	return (int)len;
}

/*
 * udp_dq_reconcile() - forget the datagrams the child has consumed
 * @s:		the socket
 */
static void udp_dq_reconcile(struct lw_sock *s)
{
	long q = udp_outq(s), sum = 0;
	unsigned int i;

	for (i = 0; i < s->dq_len; i++)
		sum += s->dq[(s->dq_head + i) % s->dq_cap].amount;
	while (s->dq_len && (q <= 0 || sum > q)) {
		sum -= s->dq[s->dq_head].amount;
		s->dq_head = (s->dq_head + 1) % s->dq_cap;
		s->dq_len--;
	}
}

/*
 * udp_dq_push() - record a datagram written to the child's queue
 * @s:		the socket
 * @rec:	its record
 *
 * Return: 0 or -ENOBUFS
 */
static int udp_dq_push(struct lw_sock *s, const struct lw_dgram *rec)
{
	if (s->dq_len == s->dq_cap) {
		unsigned int cap = s->dq_cap ? 2 * s->dq_cap : 16, i;
		struct lw_dgram *q;

		if (cap > UDP_DQ_MAX)
			return -ENOBUFS;
		q = malloc(cap * sizeof(*q));
		if (!q)
			return -ENOBUFS;
		for (i = 0; i < s->dq_len; i++)
			q[i] = s->dq[(s->dq_head + i) % s->dq_cap];
		free(s->dq);
		s->dq = q;
		s->dq_cap = cap;
		s->dq_head = 0;
	}
	s->dq[(s->dq_head + s->dq_len) % s->dq_cap] = *rec;
	s->dq_len++;
	return 0;
}

/*
 * udp_cb_recv() - lwIP: a datagram for this socket
 * @arg:	the socket
 * @pcb:	its pcb
 * @p:		the datagram, ours
 * @addr:	its source
 * @port:	its source port
 */
static void udp_cb_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			const ip_addr_t *addr, u16_t port)
{
	struct lw_sock *s = arg;
	struct lw_dgram info;
	unsigned char *buf;
	u16_t len;

	(void)pcb;
	if (!s || s->fd < 0 || s->shut_rd) {
		pbuf_free(p);
		return;
	}
	buf = s->conn->d->iobuf;
	len = pbuf_copy_partial(p, buf, p->tot_len, 0);
	pbuf_free(p);
	udpanc_current(&info);	/* the header's TTL, TOS, destination */
	/* the child's queue is full: dropped */
	udp_sock_deliver(s, buf, len, addr, port, &info);
}

/**
 * udp_sock_deliver() - write one datagram to the child's end, recorded
 * for DGRAMSRC
 * @s:		a datagram socket (UDP, ping, netlink)
 * @buf:	the datagram
 * @len:	its size, at most SP_DATA_MAX
 * @addr:	its source, or NULL (netlink: the kernel)
 * @port:	its source port
 * @ipinfo:	its IP header's TTL, TOS, destination and interface
 *		(udpanc_current()), or NULL: none
 *
 * Return: 0, -EAGAIN (the child's queue is full, or too many records),
 * -EMSGSIZE, other -errno of send(2)
 */
int udp_sock_deliver(struct lw_sock *s, const void *buf, size_t len,
		     const ip_addr_t *addr, uint16_t port, const struct lw_dgram *ipinfo)
{
	struct lw_dgram rec;
	long before = -1, after;
	ssize_t n;

	if (s->fd < 0)
		return -EBADF;
	if (len > SP_DATA_MAX)
		return -EMSGSIZE;
	if (s->dq_len >= UDP_DQ_MAX)
		return -EAGAIN;
	rec.len = (uint32_t)len;
	rec.amount = udp_amount(s->conn->d, buf, rec.len);
	udp_dq_reconcile(s);
	if (!rec.amount)	/* not measured: this socket's own rise, this once */
		before = udp_outq(s);
	n = send(s->fd, buf, rec.len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	if (!rec.amount) {
		after = udp_outq(s);
		rec.amount = before >= 0 && after > before ? (uint32_t)(after - before) : 0;
	}
	if (addr)
		ip_addr_copy(rec.addr, *addr);
	else
		ip_addr_set_zero(&rec.addr);
	rec.port = port;
	rec.ttl = -1;
	rec.tos = 0;
	rec.ifindex = 0;
	rec.v4 = true;
	ip_addr_set_zero(&rec.dst);
	if (ipinfo) {
		rec.ttl = ipinfo->ttl;
		rec.tos = ipinfo->tos;
		rec.ifindex = ipinfo->ifindex;
		rec.v4 = ipinfo->v4;
		ip_addr_copy(rec.dst, ipinfo->dst);
	}
	if (udp_dq_push(s, &rec) < 0)
		lw_debug("socket %llu: too many datagrams queued to record",
			 (unsigned long long)s->handle);
	serve_dgramsrc_ready(s);
	return 0;
}

/*
 * udp_sock_head() - the datagram at the head of the child's queue
 * @s:		the socket
 * @out:	its record
 *
 * Return: 0, or -EAGAIN when the queue is empty
 */
int udp_sock_head(struct lw_sock *s, struct lw_dgram *out)
{
	udp_dq_reconcile(s);
	if (!s->dq_len)
		return -EAGAIN;
	*out = s->dq[s->dq_head];
	return 0;
}

/*
 * udp_sock_readable() - send the datagrams the child wrote without address
 * @s:		the socket
 *
 * Without a default peer they are dropped and SO_ERROR says EDESTADDRREQ.
 * After POLLHUP, a zero-length read is the end, not an empty datagram.
 */
void udp_sock_readable(struct lw_sock *s)
{
	unsigned char *buf = s->conn->d->iobuf;
	ssize_t n;
	int i, rc;

	for (i = 0; i < 64 && s->fd >= 0; i++) {
		n = recv(s->fd, buf, SP_DATA_MAX, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 || (n == 0 && s->hup))
			return;
		if (s->shut_wr)
			continue;
		if (n > SP_DATA_MAX) {
			s->so_error = EMSGSIZE;
			continue;
		}
		rc = udp_sock_sendto(s, NULL, 0, buf, (size_t)n, NULL);
		if (rc < 0)
			s->so_error = -rc;
	}
}

/*
 * udp_sock_close() - remove the pcb and the records
 * @s:		the socket
 */
void udp_sock_close(struct lw_sock *s)
{
	if (lw_is_ping(s)) {
		icmp_sock_close(s);
	} else if (s->pcb.udp) {
		udp_recv(s->pcb.udp, NULL, NULL);
		udp_remove(s->pcb.udp);
	}
	s->pcb.udp = NULL;
	free(s->dq);
	s->dq = NULL;
	s->dq_len = s->dq_cap = s->dq_head = 0;
}
