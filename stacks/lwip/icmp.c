// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * icmp.c - ping sockets: SOCK_DGRAM with IPPROTO_ICMP or IPPROTO_ICMPV6
 *
 * As the kernel's ping sockets (net/ipv4/ping.c, icmp(7)): a program sends
 * an ICMP echo request (type 8, or 128 for ICMPv6: the header and its
 * payload, no IP header), the stack puts the socket's identifier in its id
 * field and computes its checksum; it receives the echo replies that carry
 * that identifier, again without IP header, from their source (port 0).
 * The identifier is the socket's "port": bind(2) may choose it (sin_port),
 * else the first send picks a free one; getsockname(2) shows it.  Whoever
 * may use the stack may make ping sockets, as a kernel whose
 * net.ipv4.ping_group_range is "0 2147483647" (systemd's setting) allows.
 *
 * Each socket is an lwIP raw pcb of its protocol (LWIP_RAW).  lwIP hands a
 * raw pcb every packet of that protocol before its own ICMP code sees it
 * (raw_input() in ip4_input() and ip6_input(), the payload at the IP
 * header): the callback takes an echo reply with its identifier and
 * leaves everything else to lwIP, which still answers echo requests to
 * the stack itself and reads neighbour discovery.  ICMPv6's checksum
 * covers a pseudo-header that only lwIP knows (the source address), so
 * lwIP computes it (chksum_reqd, at offset 2); ICMPv4's is computed here.
 * The datagrams reach the child's end through udp_sock_deliver(), so that
 * recvfrom(2) and recvmsg(2) learn their source by DGRAMSRC.
 *
 * IP_RECVTTL and IPV6_RECVHOPLIMIT: the TTL (hop limit) read from the
 * reply's IP header is recorded with it and sent with DGRAMSRC's answer
 * (udpanc.c).  Not served: ICMP errors about the echo requests
 * (IP_RECVERR's error queue), the other ancillary data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/inet_chksum.h"
#include "lwip/pbuf.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/icmp6.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/raw.h"

#include "lw.h"

#define ICMP_HDR	8		/* type, code, checksum, id, sequence */

static uint16_t icmp_next_ident = 0x4000;

/* The echo types of the socket's protocol. */
static uint8_t icmp_request_type(const struct lw_sock *s)
{
	return s->protocol == IPPROTO_ICMPV6 ? ICMP6_TYPE_EREQ : ICMP_ECHO;
}

static uint8_t icmp_reply_type(const struct lw_sock *s)
{
	return s->protocol == IPPROTO_ICMPV6 ? ICMP6_TYPE_EREP : ICMP_ER;
}

/* Is @ident taken by another ping socket of the same protocol? */
static bool icmp_ident_used(const struct lw_sock *me, uint16_t ident)
{
	const struct lw_conn *c;
	const struct lw_sock *s;

	for (c = me->conn->d->conns; c; c = c->next)
		for (s = c->socks; s; s = s->next)
			if (s != me && lw_is_ping(s) && s->protocol == me->protocol &&
			    s->bound && s->local_port == ident)
				return true;
	return false;
}

/* Bind to a free identifier, as the first send does (ping_get_port()). */
static int icmp_autobind(struct lw_sock *s)
{
	int i;

	if (s->bound)
		return 0;
	for (i = 0; i < 65536; i++) {
		uint16_t id = icmp_next_ident++;

		if (id && !icmp_ident_used(s, id)) {
			s->local_port = id;
			s->bound = true;
			return 0;
		}
	}
	return -EAGAIN;
}

/*
 * icmp_cb_recv() - lwIP: a packet of the socket's protocol
 * @arg:	the socket
 * @pcb:	its raw pcb
 * @p:		the packet, from its IP header
 * @addr:	its source
 *
 * Return: 1 when it was an echo reply for this socket (taken), else 0
 */
static u8_t icmp_cb_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
			 const ip_addr_t *addr)
{
	struct lw_sock *s = arg;
	struct lw_dgram info;
	unsigned char *buf;
	uint16_t hlen, len, id;
	uint8_t first, ttl = 0;

	(void)pcb;
	if (!s || s->fd < 0 || !s->bound || p->tot_len < 1)
		return 0;
	pbuf_copy_partial(p, &first, 1, 0);
	if ((first >> 4) == 6) {
		hlen = IP6_HLEN;
		pbuf_copy_partial(p, &ttl, 1, 7);	/* the hop limit */
	} else {
		hlen = (uint16_t)((first & 0x0f) * 4);
		pbuf_copy_partial(p, &ttl, 1, 8);	/* the TTL */
	}
	if (hlen < IP_HLEN || p->tot_len < hlen + ICMP_HDR)
		return 0;
	buf = s->conn->d->iobuf;
	len = pbuf_copy_partial(p, buf, (u16_t)(p->tot_len - hlen), hlen);
	if (len < ICMP_HDR || buf[0] != icmp_reply_type(s) || buf[1] != 0)
		return 0;
	memcpy(&id, buf + 4, 2);
	if (lwip_ntohs(id) != s->local_port)
		return 0;
	pbuf_free(p);
	udpanc_current(&info);
	info.ttl = ttl;
	if (!s->shut_rd)
		udp_sock_deliver(s, buf, len, addr, 0, &info);
	return 1;
}

/**
 * icmp_sock_open() - a raw pcb for a ping socket
 * @s:		the socket (protocol IPPROTO_ICMP or IPPROTO_ICMPV6)
 *
 * Return: 0, -EPROTONOSUPPORT (ICMPv6 on AF_INET, ICMP on AF_INET6), -ENOMEM
 */
int icmp_sock_open(struct lw_sock *s)
{
	struct raw_pcb *r;

	if ((s->domain == AF_INET) != (s->protocol == IPPROTO_ICMP))
		return -EPROTONOSUPPORT;
	r = s->domain == AF_INET ? raw_new_ip_type(IPADDR_TYPE_V4, IP_PROTO_ICMP)
				 : raw_new_ip_type(IPADDR_TYPE_V6, IP6_NEXTH_ICMP6);
	if (!r)
		return -ENOMEM;
	if (s->domain == AF_INET6) {
		r->chksum_reqd = 1;
		r->chksum_offset = 2;
	}
	r->ttl = 64;		/* the kernel's default; lwIP's is 255 */
	raw_recv(r, icmp_cb_recv, s);
	s->pcb.raw = r;
	return 0;
}

/**
 * icmp_sock_bind() - bind(2): an address of the stack, and the identifier
 * @s:		the ping socket, not bound
 * @ip:		checked by the caller (sock_check_local())
 * @port:	the identifier, 0 for a free one
 *
 * Return: 0, -EADDRINUSE, -EAGAIN
 */
int icmp_sock_bind(struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	if (port && icmp_ident_used(s, port))
		return -EADDRINUSE;
	if (raw_bind(s->pcb.raw, ip) != ERR_OK)
		return -EADDRNOTAVAIL;
	ip_addr_copy(s->local_ip, *ip);
	if (port) {
		s->local_port = port;
		s->bound = true;
		return 0;
	}
	return icmp_autobind(s);
}

/**
 * icmp_sock_connect() - connect(2): the default peer, and only its replies
 * @s:		the ping or UDP socket
 * @ip:		the peer (checked routable by the caller)
 * @port:	ignored, as the kernel ignores it
 *
 * Return: 0 or -errno
 */
int icmp_sock_connect(struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	int rc = icmp_autobind(s);

	(void)port;
	if (rc < 0)
		return rc;
	if (raw_connect(s->pcb.raw, ip) != ERR_OK)
		return -EINVAL;
	ip_addr_copy(s->remote_ip, *ip);
	s->remote_port = 0;
	s->has_peer = true;
	return 0;
}

/**
 * icmp_sock_disconnect() - connect(2) with AF_UNSPEC
 * @s:		the ping or UDP socket
 *
 * Return: 0
 */
int icmp_sock_disconnect(struct lw_sock *s)
{
	raw_disconnect(s->pcb.raw);
	ip_addr_set_zero(&s->remote_ip);
	s->has_peer = false;
	return 0;
}

/**
 * icmp_sock_sendto() - send one echo request
 * @s:		the ping or UDP socket
 * @ip:		the destination, or NULL for the default peer
 * @data:	the ICMP message: header and payload
 * @len:	its size
 *
 * Return: @len, or -EINVAL (not an echo request, an IPv4 destination of an
 * ICMPv6 socket), -EMSGSIZE, -ENETUNREACH, -ENOBUFS
 */
int icmp_sock_sendto(struct lw_sock *s, const ip_addr_t *ip, const void *data, size_t len)
{
	const ip_addr_t *dst = ip ? ip : &s->remote_ip;
	uint16_t id = 0, sum = 0;
	struct pbuf *p;
	unsigned char *b;
	int rc;
	err_t e;

	if (len < ICMP_HDR || ((const unsigned char *)data)[0] != icmp_request_type(s) ||
	    ((const unsigned char *)data)[1] != 0)
		return -EINVAL;
	if (IP_IS_V6(dst) != (s->domain == AF_INET6))
		return -EINVAL;
	if (len > (IP_IS_V4(dst) ? 65507U : 65527U))
		return -EMSGSIZE;
	if (ip && sock_route_check(s, ip) < 0)
		return -ENETUNREACH;
	rc = icmp_autobind(s);
	if (rc < 0)
		return rc;
	p = pbuf_alloc(PBUF_IP, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	b = p->payload;
	memcpy(b, data, len);
	id = lwip_htons(s->local_port);
	memcpy(b + 4, &id, 2);
	memcpy(b + 2, &sum, 2);
	if (s->domain == AF_INET) {
		sum = inet_chksum(b, (u16_t)len);
		memcpy(b + 2, &sum, 2);
	}
	if (s->ttl > 0)
		s->pcb.raw->ttl = (u8_t)s->ttl;
	e = raw_sendto(s->pcb.raw, p, dst);
	pbuf_free(p);
	if (e != ERR_OK)
		return -lw_errno(e);
	return (int)len;
}

/**
 * icmp_sock_close() - remove the raw pcb
 * @s:		the ping or UDP socket
 */
void icmp_sock_close(struct lw_sock *s)
{
	if (s->pcb.raw) {
		raw_recv(s->pcb.raw, NULL, NULL);
		raw_remove(s->pcb.raw);
	}
	s->pcb.raw = NULL;
}
