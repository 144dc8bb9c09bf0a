// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netlink.c - rtnetlink for the stack: ip addr, ip link and ip route see
 * lwIP, and configure it
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
 * Names: the loopback interface is "lo", the others eth0, eth1... in the
 * order of their index; the index is lwIP's (netif_get_index()), the same
 * that sin6_scope_id carries.  lwIP keeps no IPv6 prefix length: the one
 * given to RTM_NEWADDR is remembered for display, else /64 (/128 for ::1).
 *
 * The answers' source address (recvmsg's msg_name) is the kernel's,
 * { AF_NETLINK, 0, 0 }: sock_from_ip() gives it to DGRAMSRC.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lwip/ip4.h"
#include "lwip/ip6.h"
#include "lwip/netif.h"

#include "lw.h"
#include "nlmsg.h"

#define NL_DGRAM_MAX	3776		/* NLMSG_GOODSIZE on 4 KiB pages */
#define NL_OUTQ_MAX	((size_t)256 * 1024)	/* answers waiting, per socket */
#define NL_ROUTES_MAX	128
#define NL_PORT_FIRST	0xfffff000U	/* autobind: the kernel's rover (-4096) */

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* One datagram of answers not yet written to the child's end. */
struct nl_out {
	struct nl_out *next;
	size_t len;
	unsigned char data[];
};

/* The netlink side of a socket. */
struct nl_sock {
	uint32_t portid;
	bool bound;
	uint64_t groups;		/* bit g-1 for group g (1..64) */
	bool admin;			/* may configure the stack */
	bool ext_ack, cap_ack, strict, no_enobufs, broadcast_error, listen_all;
	uint32_t dst_portid, dst_group;	/* connect(2) */
	struct nl_out *outq, **outq_tail;
	size_t outq_bytes;
};

/* An answer being built: datagrams of at most NL_DGRAM_MAX. */
struct nl_writer {
	struct lw_sock *s;
	struct nlbuf b;
	unsigned char buf[NL_DGRAM_MAX];
};

/* A route, as a dump shows it. */
struct nl_route {
	uint8_t family, dst_len, table, type, protocol, scope;
	uint8_t dst[16], gw[16], src[16];
	bool has_gw, has_src;
	uint32_t oif, priority, flags;
};

/* Prefix lengths of IPv6 addresses, by interface index and slot; 0: the default. */
static uint8_t nl_plen6[256][LWIP_IPV6_NUM_ADDRESSES];
static uint32_t nl_next_port = NL_PORT_FIRST;
static unsigned char nl_req[SP_MSG_MAX];	/* one request datagram */

/* --- interfaces ---------------------------------------------------------------- */

/* Is @n the loopback interface? */
static bool nl_is_loop(const struct netif *n)
{
	return n->name[0] == 'l' && n->name[1] == 'o';
}

/*
 * nl_ifname() - the Linux name of an lwIP interface
 * @n:		the interface
 * @out:	IFNAMSIZ bytes
 */
static void nl_ifname(const struct netif *n, char *out)
{
	const struct netif *m;
	int k = 0;

	if (nl_is_loop(n)) {
		snprintf(out, IFNAMSIZ, "lo");
		return;
	}
	NETIF_FOREACH(m)
		if (!nl_is_loop(m) && netif_get_index(m) < netif_get_index(n))
			k++;
	snprintf(out, IFNAMSIZ, "eth%d", k);
}

/* The interface named @name, or NULL. */
static struct netif *nl_by_name(const char *name)
{
	struct netif *n;
	char buf[IFNAMSIZ];

	NETIF_FOREACH(n) {
		nl_ifname(n, buf);
		if (!strcmp(buf, name))
			return n;
	}
	return NULL;
}

/* The interface of index @idx, or NULL. */
static struct netif *nl_by_index(uint32_t idx)
{
	return idx && idx < 256 ? netif_get_by_index((u8_t)idx) : NULL;
}

/* Every interface, in the order of its index (netif_list is newest first). */
#define NL_FOREACH(n, idx) \
	for ((idx) = 1; (idx) < 256; (idx)++) \
		if (((n) = netif_get_by_index((u8_t)(idx))) != NULL)

/* IFF_* of @n, as the kernel shows them. */
static uint32_t nl_ifflags(const struct netif *n)
{
	uint32_t f = nl_is_loop(n) ? IFF_LOOPBACK : IFF_BROADCAST | IFF_MULTICAST;

	if (netif_is_up(n)) {
		f |= IFF_UP;
		if (netif_is_link_up(n) || nl_is_loop(n))
			f |= IFF_RUNNING | IFF_LOWER_UP;
	}
	return f;
}

/* The MTU of @n (lwIP's loopback has none: the kernel's lo has 65536). */
static uint32_t nl_mtu(const struct netif *n)
{
	return n->mtu ? n->mtu : 65536;
}

/* Prefix length of a netmask. */
static uint8_t nl_plen4(const ip4_addr_t *mask)
{
	uint32_t m = lwip_ntohl(ip4_addr_get_u32(mask));
	uint8_t n = 0;

	while (m & 0x80000000U) {
		n++;
		m <<= 1;
	}
	return n;
}

/* Prefix length shown for IPv6 address slot @i of @n. */
static uint8_t nl_plen6_get(const struct netif *n, int i)
{
	uint8_t p = nl_plen6[netif_get_index(n)][i];

	if (p)
		return p;
	return ip6_addr_isloopback(netif_ip6_addr(n, i)) ? 128 : 64;
}

/* Keep the first @plen bits of a 16-byte address. */
static void nl_mask6(uint8_t *a, uint8_t plen)
{
	int i;

	for (i = 0; i < 16; i++) {
		int bits = plen > 8 * i ? plen - 8 * i : 0;

		if (bits < 8)
			a[i] &= (uint8_t)(0xff00U >> bits);
	}
}

/* Scope of an IPv4 address: host for 127/8, else universe. */
static uint8_t nl_scope4(const ip4_addr_t *a)
{
	return ip4_addr_isloopback(a) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
}

/* Scope of an IPv6 address. */
static uint8_t nl_scope6(const ip6_addr_t *a)
{
	if (ip6_addr_isloopback(a))
		return RT_SCOPE_HOST;
	return ip6_addr_islinklocal(a) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
}

/* --- the answers ----------------------------------------------------------------- */

/*
 * nl_queue() - keep one datagram of answers for the child
 * @s:		the netlink socket
 * @data:	the datagram
 * @len:	its length
 */
static void nl_queue(struct lw_sock *s, const void *data, size_t len)
{
	struct nl_sock *nl = s->nl;
	struct nl_out *o;

	if (!len)
		return;
	o = malloc(sizeof(*o) + len);
	if (!o) {
		s->so_error = ENOBUFS;	/* as a netlink socket that overran */
		return;
	}
	o->next = NULL;
	o->len = len;
	memcpy(o->data, data, len);
	*nl->outq_tail = o;
	nl->outq_tail = &o->next;
	nl->outq_bytes += len;
}

/*
 * nl_flush() - write what waits to the child's end, while it takes it
 * @s:		the netlink socket
 */
static void nl_flush(struct lw_sock *s)
{
	struct nl_sock *nl = s->nl;
	struct nl_out *o;
	int rc;

	while ((o = nl->outq)) {
		rc = udp_sock_deliver(s, o->data, o->len, NULL, 0, -1);
		if (rc == -EAGAIN)
			break;		/* EPOLLOUT: netlink_sock_writable() */
		nl->outq = o->next;
		if (!nl->outq)
			nl->outq_tail = &nl->outq;
		nl->outq_bytes -= o->len;
		free(o);
	}
}

/* Start a writer for @s. */
static void nlw_init(struct nl_writer *w, struct lw_sock *s)
{
	w->s = s;
	nlb_init(&w->b, w->buf, sizeof(w->buf));
}

/* The datagram being built is complete: queue it. */
static void nlw_flush(struct nl_writer *w)
{
	nl_queue(w->s, w->buf, w->b.len);
	nlb_init(&w->b, w->buf, sizeof(w->buf));
}

/*
 * A message builder: nlb_begin() ... attributes, for nlw_msg(), which
 * calls it again in a fresh datagram when the message did not fit.
 */
typedef void (*nl_build_fn)(struct nlbuf *b, const void *arg, uint16_t type,
			    uint16_t flags, uint32_t seq, uint32_t portid);

/* Append one message built by @fn; a new datagram if this one is full. */
static void nlw_msg(struct nl_writer *w, nl_build_fn fn, const void *arg, uint16_t type,
		    uint16_t flags, uint32_t seq)
{
	fn(&w->b, arg, type, flags, seq, w->s->nl->portid);
	if (nlb_end(&w->b) == 0 || !w->b.len)
		return;		/* done, or larger than any datagram: dropped */
	nlw_flush(w);
	fn(&w->b, arg, type, flags, seq, w->s->nl->portid);
	nlb_end(&w->b);
}

/* NLMSG_DONE, in the datagram being built if it fits. */
static void nlw_done(struct nl_writer *w, uint32_t seq)
{
	if (nlb_done(&w->b, seq, w->s->nl->portid) < 0) {
		nlw_flush(w);
		nlb_done(&w->b, seq, w->s->nl->portid);
	}
}

/* NLMSG_ERROR for @r: an error, or the acknowledgement. */
static void nlw_error(struct nl_writer *w, const struct nlreq *r, int error, const char *why)
{
	const struct nl_sock *nl = w->s->nl;

	if (nlb_error(&w->b, r, nl->portid, error, nl->cap_ack, nl->ext_ack, why) < 0) {
		nlw_flush(w);
		nlb_error(&w->b, r, nl->portid, error, nl->cap_ack, nl->ext_ack, why);
	}
}

/* RTM_NEWLINK for interface @arg. */
static void nl_build_link(struct nlbuf *b, const void *arg, uint16_t type,
			  uint16_t flags, uint32_t seq, uint32_t portid)
{
	const struct netif *n = arg;
	bool loop = nl_is_loop(n);
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_type = loop ? ARPHRD_LOOPBACK : ARPHRD_ETHER,
		.ifi_index = netif_get_index(n),
		.ifi_flags = nl_ifflags(n),
	};
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t oper = IF_OPER_DOWN;
	char name[IFNAMSIZ];

	if (ifi.ifi_flags & IFF_LOWER_UP)
		oper = loop ? IF_OPER_UNKNOWN : IF_OPER_UP;
	nl_ifname(n, name);
	nlb_begin(b, type, flags, seq, portid, &ifi, sizeof(ifi));
	nlb_attr_str(b, IFLA_IFNAME, name);
	nlb_attr_u32(b, IFLA_TXQLEN, 1000);
	nlb_attr_u8(b, IFLA_OPERSTATE, oper);
	nlb_attr_u8(b, IFLA_LINKMODE, 0);
	nlb_attr_u32(b, IFLA_MTU, nl_mtu(n));
	nlb_attr_u32(b, IFLA_GROUP, 0);
	nlb_attr_u32(b, IFLA_PROMISCUITY, 0);
	nlb_attr_u32(b, IFLA_NUM_TX_QUEUES, 1);
	nlb_attr_u32(b, IFLA_NUM_RX_QUEUES, 1);
	nlb_attr_u8(b, IFLA_CARRIER, (ifi.ifi_flags & IFF_LOWER_UP) != 0);
	nlb_attr_str(b, IFLA_QDISC, "noqueue");
	nlb_attr(b, IFLA_ADDRESS, loop ? zero : n->hwaddr, 6);
	nlb_attr(b, IFLA_BROADCAST, loop ? zero : bcast, 6);
}

/* An address to build: the interface and the slot (-1: IPv4). */
struct nl_addr_arg {
	const struct netif *n;
	int slot;
};

/* RTM_NEWADDR for one address. */
static void nl_build_addr(struct nlbuf *b, const void *arg, uint16_t type,
			  uint16_t flags, uint32_t seq, uint32_t portid)
{
	const struct nl_addr_arg *a = arg;
	const struct netif *n = a->n;
	struct ifa_cacheinfo ci = { 0xffffffffU, 0xffffffffU, 0, 0 };
	struct ifaddrmsg ifa = { .ifa_index = netif_get_index(n) };
	char name[IFNAMSIZ];
	uint32_t aflags = IFA_F_PERMANENT;

	nl_ifname(n, name);
	if (a->slot < 0) {
		const ip4_addr_t *ip = netif_ip4_addr(n), *mask = netif_ip4_netmask(n);
		uint32_t v = ip4_addr_get_u32(ip), bc = v | ~ip4_addr_get_u32(mask);

		ifa.ifa_family = AF_INET;
		ifa.ifa_prefixlen = nl_plen4(mask);
		ifa.ifa_flags = (uint8_t)aflags;
		ifa.ifa_scope = nl_scope4(ip);
		nlb_begin(b, type, flags, seq, portid, &ifa, sizeof(ifa));
		nlb_attr(b, IFA_ADDRESS, &v, 4);
		nlb_attr(b, IFA_LOCAL, &v, 4);
		if (!nl_is_loop(n) && ifa.ifa_prefixlen < 31)
			nlb_attr(b, IFA_BROADCAST, &bc, 4);
		nlb_attr_str(b, IFA_LABEL, name);
	} else {
		const ip6_addr_t *ip = netif_ip6_addr(n, a->slot);
		u8_t st = netif_ip6_addr_state(n, a->slot);

		if (ip6_addr_istentative(st))
			aflags |= IFA_F_TENTATIVE;
		if (ip6_addr_isdeprecated(st))
			aflags |= IFA_F_DEPRECATED;
		ifa.ifa_family = AF_INET6;
		ifa.ifa_prefixlen = nl_plen6_get(n, a->slot);
		ifa.ifa_flags = (uint8_t)aflags;
		ifa.ifa_scope = nl_scope6(ip);
		nlb_begin(b, type, flags, seq, portid, &ifa, sizeof(ifa));
		nlb_attr(b, IFA_ADDRESS, ip->addr, 16);
	}
	nlb_attr_u32(b, IFA_FLAGS, aflags);
	nlb_attr(b, IFA_CACHEINFO, &ci, sizeof(ci));
}

/* RTM_NEWROUTE for one route. */
static void nl_build_route(struct nlbuf *b, const void *arg, uint16_t type,
			   uint16_t flags, uint32_t seq, uint32_t portid)
{
	const struct nl_route *rt = arg;
	struct rtmsg rtm = {
		.rtm_family = rt->family, .rtm_dst_len = rt->dst_len,
		.rtm_table = rt->table, .rtm_protocol = rt->protocol,
		.rtm_scope = rt->scope, .rtm_type = rt->type, .rtm_flags = rt->flags,
	};
	int alen = nlmsg_addr_len(rt->family);

	nlb_begin(b, type, flags, seq, portid, &rtm, sizeof(rtm));
	nlb_attr_u32(b, RTA_TABLE, rt->table);
	if (rt->priority)
		nlb_attr_u32(b, RTA_PRIORITY, rt->priority);
	if (rt->dst_len)
		nlb_attr(b, RTA_DST, rt->dst, (size_t)alen);
	if (rt->has_src)
		nlb_attr(b, RTA_PREFSRC, rt->src, (size_t)alen);
	if (rt->has_gw)
		nlb_attr(b, RTA_GATEWAY, rt->gw, (size_t)alen);
	nlb_attr_u32(b, RTA_OIF, rt->oif);
}

/* --- routes ------------------------------------------------------------------------ */

/* Add a route to @v (if there is room), deduplicated. */
static void nl_route_add(struct nl_route *v, int *n, const struct nl_route *rt)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!memcmp(&v[i], rt, sizeof(*rt)))
			return;
	if (*n < NL_ROUTES_MAX)
		v[(*n)++] = *rt;
}

/* The IPv4 routes of @n: its subnet, its local address, the default. */
static void nl_routes4(const struct netif *n, struct nl_route *v, int *cnt)
{
	const ip4_addr_t *ip = netif_ip4_addr(n), *mask = netif_ip4_netmask(n);
	uint32_t a = ip4_addr_get_u32(ip), m = ip4_addr_get_u32(mask), net = a & m;
	struct nl_route rt;

	if (ip4_addr_isany(ip))
		return;
	memset(&rt, 0, sizeof(rt));
	rt.family = AF_INET;
	rt.oif = netif_get_index(n);
	rt.protocol = RTPROT_KERNEL;
	rt.has_src = true;
	memcpy(rt.src, &a, 4);
	rt.dst_len = nl_plen4(mask);
	memcpy(rt.dst, &net, 4);
	if (nl_is_loop(n)) {
		rt.table = RT_TABLE_LOCAL;
		rt.type = RTN_LOCAL;
		rt.scope = RT_SCOPE_HOST;
	} else {
		rt.table = RT_TABLE_MAIN;
		rt.type = RTN_UNICAST;
		rt.scope = RT_SCOPE_LINK;
	}
	nl_route_add(v, cnt, &rt);
	/* the address itself, in the local table */
	rt.table = RT_TABLE_LOCAL;
	rt.type = RTN_LOCAL;
	rt.scope = RT_SCOPE_HOST;
	rt.dst_len = 32;
	memcpy(rt.dst, &a, 4);
	nl_route_add(v, cnt, &rt);
	if (n == netif_default && !ip4_addr_isany(netif_ip4_gw(n))) {
		uint32_t gw = ip4_addr_get_u32(netif_ip4_gw(n));

		memset(&rt, 0, sizeof(rt));
		rt.family = AF_INET;
		rt.oif = netif_get_index(n);
		rt.table = RT_TABLE_MAIN;
		rt.type = RTN_UNICAST;
		rt.protocol = RTPROT_BOOT;
		rt.scope = RT_SCOPE_UNIVERSE;
		rt.has_gw = true;
		memcpy(rt.gw, &gw, 4);
		nl_route_add(v, cnt, &rt);
	}
}

/* The IPv6 routes of @n: one per prefix, one per local address. */
static void nl_routes6(const struct netif *n, struct nl_route *v, int *cnt)
{
	struct nl_route rt;
	int i;

	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
		const ip6_addr_t *ip = netif_ip6_addr(n, i);

		if (!ip6_addr_isvalid(netif_ip6_addr_state(n, i)))
			continue;
		memset(&rt, 0, sizeof(rt));
		rt.family = AF_INET6;
		rt.oif = netif_get_index(n);
		rt.protocol = RTPROT_KERNEL;
		rt.table = RT_TABLE_MAIN;
		rt.type = RTN_UNICAST;
		rt.scope = RT_SCOPE_UNIVERSE;
		rt.priority = 256;
		rt.dst_len = nl_plen6_get(n, i);
		memcpy(rt.dst, ip->addr, 16);
		nl_mask6(rt.dst, rt.dst_len);
		nl_route_add(v, cnt, &rt);
		rt.table = RT_TABLE_LOCAL;
		rt.type = RTN_LOCAL;
		rt.priority = 0;
		rt.dst_len = 128;
		memcpy(rt.dst, ip->addr, 16);
		nl_route_add(v, cnt, &rt);
	}
}

/* The kernel's order: by family, table, destination, then prefix length. */
static int nl_route_cmp(const void *a, const void *b)
{
	const struct nl_route *x = a, *y = b;
	int c;

	if (x->family != y->family)
		return x->family - y->family;
	if (x->table != y->table)
		return x->table - y->table;
	if (x->family == AF_INET6 && (!x->dst_len) != (!y->dst_len))
		return x->dst_len ? -1 : 1;	/* IPv6: the default last */
	c = memcmp(x->dst, y->dst, 16);
	return c ? c : x->dst_len - y->dst_len;
}

/*
 * nl_routes() - every route of the stack, as the kernel would list them
 * @d:		the daemon
 * @v:		NL_ROUTES_MAX entries
 *
 * Return: how many
 */
static int nl_routes(struct lw_daemon *d, struct nl_route *v)
{
	ip6_addr_t gw6[4];
	struct netif *n;
	int cnt = 0, i, k;

	NETIF_FOREACH(n) {
		if (!netif_is_up(n))
			continue;
		nl_routes4(n, v, &cnt);
		nl_routes6(n, v, &cnt);
	}
	k = netif_is_up(&d->netif) ? link_routers6(gw6, 4) : 0;
	for (i = 0; i < k; i++) {
		struct nl_route rt = {
			.family = AF_INET6, .table = RT_TABLE_MAIN, .type = RTN_UNICAST,
			.protocol = d->opt->gw6 ? RTPROT_BOOT : RTPROT_RA,
			.scope = RT_SCOPE_UNIVERSE, .has_gw = true, .priority = 1024,
			.oif = netif_get_index(&d->netif),
		};

		memcpy(rt.gw, gw6[i].addr, 16);
		nl_route_add(v, &cnt, &rt);
	}
	qsort(v, (size_t)cnt, sizeof(*v), nl_route_cmp);
	return cnt;
}

/* --- requests ------------------------------------------------------------------------ */

/* RTM_GETLINK: a dump, or one interface by index or name. */
static int nl_getlink(struct nl_writer *w, const struct nlreq *r)
{
	struct netif *n;
	int idx;

	if (r->flags & NLM_F_DUMP) {
		NL_FOREACH(n, idx)
			nlw_msg(w, nl_build_link, n, RTM_NEWLINK, NLM_F_MULTI, r->seq);
		nlw_done(w, r->seq);
		return 0;
	}
	n = r->ifindex > 0 ? nl_by_index((uint32_t)r->ifindex)
	    : r->has_ifname ? nl_by_name(r->ifname) : NULL;
	if (!n)
		return -ENODEV;
	nlw_msg(w, nl_build_link, n, RTM_NEWLINK, 0, r->seq);
	return 0;
}

/* RTM_GETADDR: a dump, of one family or all, of one interface with strict checks. */
static int nl_getaddr(struct nl_writer *w, const struct nlreq *r)
{
	struct nl_addr_arg a;
	struct netif *n;
	int i, idx;

	if (!(r->flags & NLM_F_DUMP))
		return -EOPNOTSUPP;
	NL_FOREACH(n, idx) {
		if (w->s->nl->strict && r->ifa_index && r->ifa_index != netif_get_index(n))
			continue;
		a.n = n;
		if ((r->family == AF_UNSPEC || r->family == AF_INET) &&
		    !ip4_addr_isany(netif_ip4_addr(n))) {
			a.slot = -1;
			nlw_msg(w, nl_build_addr, &a, RTM_NEWADDR, NLM_F_MULTI, r->seq);
		}
		if (r->family != AF_UNSPEC && r->family != AF_INET6)
			continue;
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
			u8_t st = netif_ip6_addr_state(n, i);

			if (!ip6_addr_isvalid(st) && !ip6_addr_istentative(st))
				continue;
			a.slot = i;
			nlw_msg(w, nl_build_addr, &a, RTM_NEWADDR, NLM_F_MULTI, r->seq);
		}
	}
	nlw_done(w, r->seq);
	return 0;
}

/*
 * nl_route_get() - RTM_GETROUTE without NLM_F_DUMP: where lwIP would send
 * a packet to RTA_DST (ip route get)
 * @w:		the writer
 * @r:		the request
 *
 * Return: 0, -EINVAL (no destination), -ENETUNREACH
 */
static int nl_route_get(struct nl_writer *w, const struct nlreq *r)
{
	struct nl_route rt = { .family = r->family, .table = RT_TABLE_MAIN,
			       .type = RTN_UNICAST, .scope = RT_SCOPE_UNIVERSE,
			       .protocol = RTPROT_UNSPEC, .flags = RTM_F_CLONED };
	struct netif *n;

	if (!r->has_dst)
		return -EINVAL;
	rt.dst_len = r->family == AF_INET ? 32 : 128;
	memcpy(rt.dst, r->dst, 16);
	if (r->family == AF_INET) {
		ip4_addr_t dst, src;

		memcpy(&dst.addr, r->dst, 4);
		n = ip4_route(&dst);
		if (!n || ip4_addr_isany(netif_ip4_addr(n)))
			return -ENETUNREACH;
		ip4_addr_copy(src, *netif_ip4_addr(n));
		if (ip4_addr_cmp(&dst, &src) || ip4_addr_isloopback(&dst)) {
			rt.type = RTN_LOCAL;
			rt.table = RT_TABLE_LOCAL;
			rt.scope = RT_SCOPE_HOST;
		} else if (!ip4_addr_netcmp(&dst, &src, netif_ip4_netmask(n)) &&
			   !ip4_addr_isany(netif_ip4_gw(n))) {
			rt.has_gw = true;
			memcpy(rt.gw, &netif_ip4_gw(n)->addr, 4);
		}
		rt.has_src = true;
		memcpy(rt.src, &src.addr, 4);
	} else {
		ip6_addr_t dst;
		const ip_addr_t *src;

		memcpy(dst.addr, r->dst, 16);
		ip6_addr_clear_zone(&dst);
		n = ip6_route(IP6_ADDR_ANY6, &dst);
		if (!n)
			return -ENETUNREACH;
		src = ip6_select_source_address(n, &dst);
		if (src) {
			rt.has_src = true;
			memcpy(rt.src, ip_2_ip6(src)->addr, 16);
		}
	}
	rt.oif = netif_get_index(n);
	nlw_msg(w, nl_build_route, &rt, RTM_NEWROUTE, 0, r->seq);
	return 0;
}

/* RTM_GETROUTE: a dump of both tables (ip route shows the main one), or a lookup. */
static int nl_getroute(struct nl_writer *w, const struct nlreq *r)
{
	static struct nl_route v[NL_ROUTES_MAX];
	uint32_t table = r->has_table32 ? r->table32 : r->table;
	int n, i;

	if (!(r->flags & NLM_F_DUMP))
		return nl_route_get(w, r);
	n = nl_routes(w->s->conn->d, v);
	for (i = 0; i < n; i++) {
		if (r->family != AF_UNSPEC && r->family != v[i].family)
			continue;
		if (w->s->nl->strict && table && table != v[i].table)
			continue;
		nlw_msg(w, nl_build_route, &v[i], RTM_NEWROUTE, NLM_F_MULTI, r->seq);
	}
	nlw_done(w, r->seq);
	return 0;
}

/* The interface a configuration request names, by index. */
static struct netif *nl_req_netif(uint32_t idx, const char **why)
{
	struct netif *n = nl_by_index(idx);

	if (!n)
		*why = "no interface of that index in this stack";
	return n;
}

/* RTM_NEWADDR, IPv4: lwIP keeps one address per interface. */
static int nl_newaddr4(struct netif *n, const struct nlreq *r, const uint8_t *local,
		       const char **why)
{
	static char msg[192];
	ip4_addr_t ip, mask;
	const ip4_addr_t *cur = netif_ip4_addr(n);

	if (r->prefixlen > 32) {
		*why = "an IPv4 prefix is at most 32 bits";
		return -EINVAL;
	}
	memcpy(&ip.addr, local, 4);
	ip4_addr_set_u32(&mask, r->prefixlen ? lwip_htonl(0xffffffffU << (32 - r->prefixlen)) : 0);
	if (ip4_addr_cmp(cur, &ip)) {
		if (r->flags & NLM_F_EXCL)
			return -EEXIST;
		netif_set_netmask(n, &mask);
		return 0;
	}
	if (!ip4_addr_isany(cur) && !(r->flags & NLM_F_REPLACE)) {
		char a[IP4ADDR_STRLEN_MAX];

		ip4addr_ntoa_r(cur, a, sizeof(a));
		snprintf(msg, sizeof(msg),
			 "lwIP keeps one IPv4 address per interface, and this one has %s/%u: delete it first (ip addr del), or use ip addr replace",
			 a, nl_plen4(netif_ip4_netmask(n)));
		*why = msg;
		return -EOPNOTSUPP;
	}
	netif_set_addr(n, &ip, &mask, netif_ip4_gw(n));
	return 0;
}

/* RTM_NEWADDR, IPv6: a free slot, duplicate address detection unless NODAD. */
static int nl_newaddr6(struct netif *n, const struct nlreq *r, const uint8_t *local,
		       const char **why)
{
	uint32_t flags = r->has_ifa_flags32 ? r->ifa_flags32 : r->ifa_flags;
	ip6_addr_t ip;
	s8_t idx;
	int i;

	if (!r->prefixlen || r->prefixlen > 128) {
		*why = "an IPv6 prefix is 1 to 128 bits here";
		return -EINVAL;
	}
	memset(&ip, 0, sizeof(ip));
	memcpy(ip.addr, local, 16);
	ip6_addr_assign_zone(&ip, IP6_UNICAST, n);
	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (!ip6_addr_isinvalid(netif_ip6_addr_state(n, i)) &&
		    ip6_addr_cmp_zoneless(netif_ip6_addr(n, i), &ip)) {
			if (r->flags & NLM_F_EXCL)
				return -EEXIST;
			nl_plen6[netif_get_index(n)][i] = r->prefixlen;
			return 0;
		}
	if (netif_add_ip6_address(n, &ip, &idx) != ERR_OK || idx < 0) {
		*why = "every IPv6 address slot of this lwIP interface is in use";
		return -ENOSPC;
	}
	nl_plen6[netif_get_index(n)][idx] = r->prefixlen;
	if (flags & IFA_F_NODAD)
		netif_ip6_addr_set_state(n, idx, IP6_ADDR_PREFERRED);
	return 0;
}

/* RTM_NEWADDR */
static int nl_newaddr(const struct nlreq *r, const char **why)
{
	const uint8_t *local = r->has_local ? r->local : r->has_address ? r->address : NULL;
	struct netif *n = nl_req_netif(r->ifa_index, why);

	if (!n)
		return -ENODEV;
	if (!local) {
		*why = "no address given";
		return -EINVAL;
	}
	if (r->family == AF_INET)
		return nl_newaddr4(n, r, local, why);
	if (r->family == AF_INET6)
		return nl_newaddr6(n, r, local, why);
	return -EAFNOSUPPORT;
}

/* RTM_DELADDR */
static int nl_deladdr(const struct nlreq *r, const char **why)
{
	const uint8_t *local = r->has_local ? r->local : r->has_address ? r->address : NULL;
	struct netif *n = nl_req_netif(r->ifa_index, why);
	int i;

	if (!n)
		return -ENODEV;
	if (r->family == AF_INET) {
		const ip4_addr_t *cur = netif_ip4_addr(n);

		if (ip4_addr_isany(cur) || (local && memcmp(&cur->addr, local, 4) != 0))
			return -EADDRNOTAVAIL;
		if (r->has_address && !r->has_local && r->prefixlen &&
		    r->prefixlen != nl_plen4(netif_ip4_netmask(n)))
			return -EADDRNOTAVAIL;
		netif_set_addr(n, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
		return 0;
	}
	if (r->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (!local)
		return -EADDRNOTAVAIL;
	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (!ip6_addr_isinvalid(netif_ip6_addr_state(n, i)) &&
		    !memcmp(netif_ip6_addr(n, i)->addr, local, 16)) {
			netif_ip6_addr_set_state(n, (s8_t)i, IP6_ADDR_INVALID);
			nl_plen6[netif_get_index(n)][i] = 0;
			return 0;
		}
	return -EADDRNOTAVAIL;
}

/*
 * nl_route_check() - what lwIP can keep of a route: a default route via
 * a gateway, in the main table
 * @r:		the request
 * @why:	the message of a refusal
 *
 * Return: 0, or -EOPNOTSUPP
 */
static int nl_route_check(const struct nlreq *r, const char **why)
{
	uint32_t table = r->has_table32 ? r->table32 : r->table;

	if (table != RT_TABLE_UNSPEC && table != RT_TABLE_MAIN) {
		*why = "lwIP has one routing table, the main one";
		return -EOPNOTSUPP;
	}
	if (r->rt_type != RTN_UNSPEC && r->rt_type != RTN_UNICAST) {
		*why = "lwIP keeps unicast routes only";
		return -EOPNOTSUPP;
	}
	if (r->dst_len) {
		*why = "lwIP routes by interface: a route of its own exists for each address, and only the default route (default via GATEWAY) can be set";
		return -EOPNOTSUPP;
	}
	return 0;
}

/* RTM_NEWROUTE: the default route, IPv4 or IPv6. */
static int nl_newroute(struct lw_daemon *d, const struct nlreq *r, const char **why)
{
	int rc = nl_route_check(r, why);
	struct netif *n = NULL, *m;

	if (rc < 0)
		return rc;
	if (!r->has_gateway) {
		*why = "a default route here needs a gateway (via)";
		return -EOPNOTSUPP;
	}
	if (r->has_oif && !(n = nl_req_netif(r->oif, why)))
		return -ENODEV;
	if (r->family == AF_INET) {
		ip4_addr_t gw;

		memcpy(&gw.addr, r->gateway, 4);
		NETIF_FOREACH(m)
			if (!n && !nl_is_loop(m) && !ip4_addr_isany(netif_ip4_addr(m)) &&
			    ip4_addr_netcmp(&gw, netif_ip4_addr(m), netif_ip4_netmask(m)))
				n = m;
		if (!n || !ip4_addr_netcmp(&gw, netif_ip4_addr(n), netif_ip4_netmask(n))) {
			*why = "Nexthop has invalid gateway";
			return -ENETUNREACH;
		}
		if (!ip4_addr_isany(netif_ip4_gw(netif_default ? netif_default : n)) &&
		    !(r->flags & NLM_F_REPLACE))
			return -EEXIST;
		netif_set_gw(n, &gw);
		netif_set_default(n);
		return 0;
	}
	if (r->family == AF_INET6) {
		ip6_addr_t gw, have[4];
		int i, k = link_routers6(have, 4);

		memset(&gw, 0, sizeof(gw));
		memcpy(gw.addr, r->gateway, 16);
		for (i = 0; i < k; i++)
			if (ip6_addr_cmp_zoneless(&have[i], &gw))
				return -EEXIST;
		if (k && !(r->flags & NLM_F_REPLACE))
			return -EEXIST;
		if (k)
			link_gw6_clear();
		if (link_gw6(&d->netif, &gw) < 0) {
			*why = "lwIP's router list is full";
			return -ENOSPC;
		}
		return 0;
	}
	return -EAFNOSUPPORT;
}

/* RTM_DELROUTE: the default route. */
static int nl_delroute(const struct nlreq *r, const char **why)
{
	ip6_addr_t have[4];
	struct netif *n = netif_default;

	if (r->dst_len) {
		*why = "the route of an address goes with the address (ip addr del)";
		return -EOPNOTSUPP;
	}
	if (r->family == AF_INET) {
		if (!n || ip4_addr_isany(netif_ip4_gw(n)) ||
		    (r->has_gateway && memcmp(&netif_ip4_gw(n)->addr, r->gateway, 4) != 0))
			return -ESRCH;
		netif_set_gw(n, IP4_ADDR_ANY4);
		return 0;
	}
	if (r->family == AF_INET6) {
		if (!link_routers6(have, 4))
			return -ESRCH;
		link_gw6_clear();
		return 0;
	}
	return -EAFNOSUPPORT;
}

/* RTM_NEWLINK and RTM_SETLINK on an existing interface: up, down, mtu. */
static int nl_setlink(const struct nlreq *r, const char **why)
{
	struct netif *n = r->ifindex > 0 ? nl_by_index((uint32_t)r->ifindex)
			  : r->has_ifname ? nl_by_name(r->ifname) : NULL;
	uint32_t change = r->ifchange ? r->ifchange : 0xffffffffU;

	if (!n) {
		if (r->type == RTM_NEWLINK && (r->flags & NLM_F_CREATE)) {
			*why = "lwIP's interfaces are its links: none can be created here";
			return -EOPNOTSUPP;
		}
		return -ENODEV;
	}
	if (r->has_mtu) {
		if (r->mtu < 68 || r->mtu > 65535 || nl_is_loop(n)) {
			*why = "the MTU of an lwIP interface is 68 to 65535, the loopback's fixed";
			return -EINVAL;
		}
		n->mtu = (u16_t)r->mtu;
		n->mtu6 = (u16_t)r->mtu;
	}
	if ((r->ifflags || r->ifchange) && (change & IFF_UP)) {
		if (r->ifflags & IFF_UP)
			netif_set_up(n);
		else
			netif_set_down(n);
	}
	return 0;
}

/*
 * nl_request() - serve one message of a datagram
 * @w:		the writer of the answers
 * @r:		the message
 */
static void nl_request(struct nl_writer *w, const struct nlreq *r)
{
	struct lw_daemon *d = w->s->conn->d;
	const char *why = NULL;
	int rc;

	if (r->kind == NLREQ_CONTROL || !(r->flags & NLM_F_REQUEST)) {
		if (r->flags & NLM_F_ACK)
			nlw_error(w, r, 0, NULL);
		return;
	}
	rc = r->error;
	if (rc)
		goto answer;
	switch (r->type) {
	case RTM_GETLINK:
		rc = nl_getlink(w, r);
		break;
	case RTM_GETADDR:
		rc = nl_getaddr(w, r);
		break;
	case RTM_GETROUTE:
		rc = nl_getroute(w, r);
		break;
	case RTM_GETNEIGH:
	case RTM_GETRULE:
		if (!(r->flags & NLM_F_DUMP)) {
			rc = -EOPNOTSUPP;
			break;
		}
		nlw_done(w, r->seq);	/* none kept, or none to show */
		rc = 0;
		break;
	case RTM_NEWADDR: case RTM_DELADDR: case RTM_NEWROUTE: case RTM_DELROUTE:
	case RTM_NEWLINK: case RTM_SETLINK: case RTM_DELLINK:
		if (!w->s->nl->admin) {
			rc = -EPERM;
			break;
		}
		if (r->type == RTM_NEWADDR)
			rc = nl_newaddr(r, &why);
		else if (r->type == RTM_DELADDR)
			rc = nl_deladdr(r, &why);
		else if (r->type == RTM_NEWROUTE)
			rc = nl_newroute(d, r, &why);
		else if (r->type == RTM_DELROUTE)
			rc = nl_delroute(r, &why);
		else if (r->type == RTM_DELLINK) {
			why = "lwIP's interfaces are its links: none can be deleted here";
			rc = -EOPNOTSUPP;
		} else
			rc = nl_setlink(r, &why);
		if (!rc)
			lw_info("netlink: %s done", r->type == RTM_NEWADDR ? "address added" :
				r->type == RTM_DELADDR ? "address deleted" :
				r->type == RTM_NEWROUTE ? "route added" :
				r->type == RTM_DELROUTE ? "route deleted" : "link changed");
		break;
	default:
		rc = -EOPNOTSUPP;
		break;
	}
answer:
	/* dumps end with NLMSG_DONE, not with an acknowledgement; NLM_F_DUMP
	 * means a dump in a GET only (in a NEW, 0x200 is NLM_F_EXCL) */
	if (rc || ((r->flags & NLM_F_ACK) &&
		   !((r->type & 3) == 2 && (r->flags & NLM_F_DUMP))))
		nlw_error(w, r, rc, why);
}

/* Autobind: the next free port id, as the kernel picks one. */
static uint32_t nl_autobind_port(struct lw_daemon *d);

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

/* --- the socket ---------------------------------------------------------------------- */

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

/* --- interface ioctls ------------------------------------------------------------------ */

/* SIOCGIFCONF: the interfaces with an IPv4 address, as struct ifreq. */
static int nl_ifconf(void *out, uint32_t *len)
{
	struct ifreq ifr;
	struct netif *n;
	uint32_t done = 0;

	NETIF_FOREACH(n) {
		struct sockaddr_in sin = { .sin_family = AF_INET };

		if (ip4_addr_isany(netif_ip4_addr(n)) || !netif_is_up(n))
			continue;
		if (done + sizeof(ifr) > SP_OPT_MAX)
			break;
		memset(&ifr, 0, sizeof(ifr));
		nl_ifname(n, ifr.ifr_name);
		sin.sin_addr.s_addr = ip4_addr_get_u32(netif_ip4_addr(n));
		memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
		memcpy((unsigned char *)out + done, &ifr, sizeof(ifr));
		done += sizeof(ifr);
	}
	*len = done;
	return 0;
}

/**
 * netlink_ifreq() - an interface ioctl (SIOCGIF*), answered from lwIP
 * @d:		the daemon
 * @req:	the request
 * @ifr:	the program's struct ifreq (SP_OPT_MAX bytes of room), the
 *		answer written over it; SIOCGIFCONF: the array of them
 * @len:	the request's length in, the answer's out
 *
 * Return: 0, -ENODEV (no such interface), -EADDRNOTAVAIL (no IPv4
 * address), -EINVAL (a short request), -ENOTTY (a request not served)
 */
int netlink_ifreq(struct lw_daemon *d, unsigned long req, void *ifr, uint32_t *len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct ifreq q;
	struct netif *n;

	(void)d;
	if (req == SIOCGIFCONF)
		return nl_ifconf(ifr, len);
	if (*len < sizeof(q))
		return -EINVAL;
	memcpy(&q, ifr, sizeof(q));
	q.ifr_name[IFNAMSIZ - 1] = '\0';
	n = req == SIOCGIFNAME ? nl_by_index((uint32_t)q.ifr_ifindex) : nl_by_name(q.ifr_name);
	if (!n)
		return -ENODEV;
	switch (req) {
	case SIOCGIFNAME:
		nl_ifname(n, q.ifr_name);
		break;
	case SIOCGIFINDEX:
		q.ifr_ifindex = netif_get_index(n);
		break;
	case SIOCGIFFLAGS:
		q.ifr_flags = (short)(nl_ifflags(n) & 0xffff);
		break;
	case SIOCGIFMTU:
		q.ifr_mtu = (int)nl_mtu(n);
		break;
	case SIOCGIFTXQLEN:
		q.ifr_qlen = 1000;
		break;
	case SIOCGIFMETRIC:
		q.ifr_metric = 0;
		break;
	case SIOCGIFMAP:
		memset(&q.ifr_map, 0, sizeof(q.ifr_map));
		break;
	case SIOCGIFHWADDR:
		memset(&q.ifr_hwaddr, 0, sizeof(q.ifr_hwaddr));
		q.ifr_hwaddr.sa_family = nl_is_loop(n) ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
		if (!nl_is_loop(n))
			memcpy(q.ifr_hwaddr.sa_data, n->hwaddr, 6);
		break;
	case SIOCGIFADDR: case SIOCGIFDSTADDR: case SIOCGIFNETMASK: case SIOCGIFBRDADDR: {
		uint32_t a = ip4_addr_get_u32(netif_ip4_addr(n));
		uint32_t m = ip4_addr_get_u32(netif_ip4_netmask(n));

		if (!a)
			return -EADDRNOTAVAIL;
		sin.sin_addr.s_addr = req == SIOCGIFNETMASK ? m
				      : req == SIOCGIFBRDADDR ? (nl_is_loop(n) ? 0 : a | ~m) : a;
		memcpy(&q.ifr_addr, &sin, sizeof(sin));
		break;
	}
	default:
		return -ENOTTY;
	}
	memcpy(ifr, &q, sizeof(q));
	*len = sizeof(q);
	return 0;
}
