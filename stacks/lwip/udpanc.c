// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udpanc.c - ancillary data of datagrams: what a received one carries to
 * recvmsg(2), what a sent one's control messages ask for
 *
 * Receiving: while lwIP runs a pcb's receive callback (udp_input(),
 * raw_input() for ping sockets), ip_data describes the packet: its IP
 * header (ip4_current_header(), ip6_current_header()), its destination
 * (ip_current_dest_addr()) and the interface it came in by
 * (ip_current_input_netif()).  udpanc_current() copies what recvmsg may
 * need into the datagram's record; when the client asks whose datagram is
 * at the head (DGRAMSRC, version 3), udpanc_reply() turns the record into
 * the struct sp_anc of what the socket asked for, as Linux chooses it:
 * an AF_INET socket gets IP_PKTINFO, IP_TTL, IP_TOS; an AF_INET6 socket
 * IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS for IPv6 datagrams and only
 * IPV6_PKTINFO (a mapped address) for IPv4 ones (udpv6_recvmsg() gives
 * those the IPv4-level options only, which are not served here).  The
 * client lays the control messages out (the order and the truncation are
 * its business).
 *
 * Sending: SENDMSG's struct sp_anc carries a TTL, a TOS and a source
 * (IP_PKTINFO, IPV6_PKTINFO), which the client has checked for form; the
 * values are checked here, with the kernel's errors: an interface index
 * that names no interface ENODEV, a source address that is not ours
 * ENETUNREACH for IPv4 (the route lookup fails) and EINVAL for IPv6
 * (ip6_datagram_send_ctl()).
 */
#include <errno.h>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"

#include "lw.h"

/*
 * udpanc_current() - what lwIP knows of the datagram being received
 * @rec:	its record: ttl, tos, ifindex, v4, dst
 *
 * Call from a receive callback only: ip_data is current there.
 */
void udpanc_current(struct lw_dgram *rec)
{
	const struct netif *in = ip_current_input_netif();

	rec->ttl = -1;
	rec->tos = 0;
	rec->v4 = true;
	rec->ifindex = in ? netif_get_index(in) : 0;
	ip_addr_set_zero(&rec->dst);
	if (ip_current_dest_addr())
		ip_addr_copy(rec->dst, *ip_current_dest_addr());
#if LWIP_IPV6
	if (ip_current_is_v6()) {
		const struct ip6_hdr *h = ip6_current_header();

		rec->v4 = false;
		if (h) {
			rec->ttl = IP6H_HOPLIM(h);
			rec->tos = (uint8_t)IP6H_TC(h);
		}
		return;
	}
#endif
	if (ip4_current_header()) {
		rec->ttl = IPH_TTL(ip4_current_header());
		rec->tos = IPH_TOS(ip4_current_header());
	}
}

/* @ip as struct sp_anc has addresses: IPv6, or IPv4 mapped */
static void udpanc_put_addr(uint8_t out[16], const ip_addr_t *ip)
{
	memset(out, 0, 16);
	if (IP_IS_V6(ip)) {
		memcpy(out, ip_2_ip6(ip)->addr, 16);
		return;
	}
	out[10] = out[11] = 0xff;
	memcpy(out + 12, &ip_2_ip4(ip)->addr, 4);
}

/*
 * udpanc_reply() - the ancillary data of a datagram, as its socket asked
 * @s:		the socket (its IP_RECV* options)
 * @d:		the datagram's record
 * @out:	filled in; present 0 when there is nothing to give
 */
void udpanc_reply(const struct lw_sock *s, const struct lw_dgram *d, struct sp_anc *out)
{
	bool v6own = s->domain == AF_INET6 && !d->v4;

	memset(out, 0, sizeof(*out));
	if (s->domain != AF_INET && s->domain != AF_INET6)
		return;
	if (s->recv_pktinfo && d->ifindex) {
		out->present |= SP_ANC_PKTINFO;
		out->ifindex = d->ifindex;
		udpanc_put_addr(out->addr, &d->dst);
		if (d->v4) {
			const struct netif *n = netif_get_by_index(d->ifindex);
			const ip4_addr_t *dst = ip_2_ip4(&d->dst);
			ip4_addr_t spec = *dst;

			/* a broadcast or multicast one is answered from the
			 * interface's own address (fib_compute_spec_dst()) */
			if (n && (ip4_addr_ismulticast(dst) || ip4_addr_isbroadcast(dst, n)))
				spec = *netif_ip4_addr(n);
			memcpy(out->spec_dst, &spec.addr, 4);
		}
	}
	if (s->domain == AF_INET || v6own) {
		if (s->recv_ttl && d->ttl >= 0) {
			out->present |= SP_ANC_TTL;
			out->ttl = (uint8_t)d->ttl;
		}
		if (s->recv_tos) {
			out->present |= SP_ANC_TOS;
			out->tos = d->tos;
		}
	}
	if (out->present && d->v4)
		out->present |= SP_ANC_V4;
}

/*
 * udpanc_option() - which flag of @s an option that asks for ancillary
 * data is
 * @s:		a ping or UDP socket
 * @level:	IPPROTO_IP (AF_INET), IPPROTO_IPV6 (AF_INET6)
 * @name:	the option
 *
 * Return: the flag, or NULL when it is not one of them
 */
static bool *udpanc_option(struct lw_sock *s, int level, int name)
{
	if (s->domain == AF_INET && level == IPPROTO_IP) {
		switch (name) {
		case IP_RECVTTL:	return &s->recv_ttl;
		case IP_RECVTOS:	return &s->recv_tos;
		case IP_PKTINFO:	return &s->recv_pktinfo;
		}
	} else if (s->domain == AF_INET6 && level == IPPROTO_IPV6) {
		switch (name) {
		case IPV6_RECVHOPLIMIT:	return &s->recv_ttl;
		case IPV6_RECVTCLASS:	return &s->recv_tos;
		case IPV6_RECVPKTINFO:	return &s->recv_pktinfo;
		}
	}
	return NULL;
}

/*
 * udpanc_sockopt_set() - IP_RECVTTL, IP_RECVTOS, IP_PKTINFO and the IPv6
 * ones, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, IPV6_RECVPKTINFO
 * @s:		a ping or UDP socket
 * @level:	as setsockopt(2)
 * @name:	as setsockopt(2)
 * @v:		the value: non-zero asks for the data
 *
 * Return: 0, or -ENOPROTOOPT (not one of them: the caller goes on)
 */
int udpanc_sockopt_set(struct lw_sock *s, int level, int name, int v)
{
	bool *flag = udpanc_option(s, level, name);

	if (!flag)
		return -ENOPROTOOPT;
	*flag = v != 0;
	return 0;
}

/*
 * udpanc_sockopt_get() - read one of those options back
 * @s:		a ping or UDP socket
 * @level:	as getsockopt(2)
 * @name:	as getsockopt(2)
 * @v:		0 or 1
 *
 * Return: 0 or -ENOPROTOOPT
 */
int udpanc_sockopt_get(const struct lw_sock *s, int level, int name, int *v)
{
	const bool *flag = udpanc_option((struct lw_sock *)s, level, name);

	if (!flag)
		return -ENOPROTOOPT;
	*v = *flag;
	return 0;
}

/*
 * udpanc_route() - the source and interface a SENDMSG's IP_PKTINFO or
 * IPV6_PKTINFO asks for
 * @s:		the UDP socket
 * @anc:	the attributes (SP_ANC_PKTINFO)
 * @dst:	the destination
 * @src:	the source asked for, or the zero address for lwIP's choice
 * @out:	the interface to send by, or NULL for lwIP's route
 *
 * Return: 0, -ENODEV (no interface of that index), -ENETUNREACH (IPv4)
 * or -EINVAL (IPv6, or an IPv6 source for an IPv4 destination): a source
 * that is not an address of this stack
 */
int udpanc_route(const struct lw_sock *s, const struct sp_anc *anc, const ip_addr_t *dst,
		 ip_addr_t *src, struct netif **out)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t any[16];
	struct netif *n = NULL;
	bool is_any;
	int rc;

	*out = NULL;
	ip_addr_set_zero(src);
	if (!(anc->present & SP_ANC_PKTINFO))
		return 0;
	if (anc->ifindex) {
		n = anc->ifindex < 256 ? netif_get_by_index((u8_t)anc->ifindex) : NULL;
		if (!n)
			return -ENODEV;
	}
	is_any = memcmp(anc->addr, any, 16) == 0 ||
		 (memcmp(anc->addr, mapped, 12) == 0 && memcmp(anc->addr + 12, any, 4) == 0);
	if (!is_any) {
		if (IP_IS_V4(dst)) {
			ip4_addr_t a;

			if (memcmp(anc->addr, mapped, 12) != 0)
				return -EINVAL;
			memcpy(&a.addr, anc->addr + 12, 4);
			ip_addr_copy_from_ip4(*src, a);
		} else {
			ip6_addr_t a;

			memcpy(a.addr, anc->addr, 16);
			ip6_addr_clear_zone(&a);
			ip_addr_copy_from_ip6(*src, a);
		}
		rc = sock_check_local(s, src);
		if (rc < 0)
			return IP_IS_V4(dst) ? -ENETUNREACH : -EINVAL;
	}
	if (!n && !ip_addr_isany(src))
		n = ip_route(src, dst);
	*out = n;
	return 0;
}
