// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlroute.c - rtnetlink for the stack: routes (RTM_GETROUTE dumps and
 * lookups, RTM_NEWROUTE, RTM_DELROUTE)
 *
 * lwIP routes by interface: a dump lists what the kernel would for the
 * same addresses (each subnet, each local address in the local table,
 * the default routes), in the kernel's order; a lookup (ip route get)
 * asks ip4_route()/ip6_route() and ip6_select_source_address().  Only
 * the default routes can be set or deleted: IPv4's is the default
 * interface's gateway, IPv6's lwIP's router list (link.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "lwip/ip4.h"
#include "lwip/ip6.h"
#include "lwip/netif.h"

#include "nl.h"

#define NL_ROUTES_MAX	128

/* A route, as a dump shows it. */
struct nl_route {
	uint8_t family, dst_len, table, type, protocol, scope;
	uint8_t dst[16], gw[16], src[16];
	bool has_gw, has_src;
	uint32_t oif, priority, flags;
};

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
int nl_getroute(struct nl_writer *w, const struct nlreq *r)
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
int nl_newroute(struct lw_daemon *d, const struct nlreq *r, const char **why)
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
int nl_delroute(const struct nlreq *r, const char **why)
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
