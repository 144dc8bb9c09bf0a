// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nladdr.c - rtnetlink for the stack: addresses (RTM_GETADDR dumps,
 * RTM_NEWADDR, RTM_DELADDR)
 *
 * lwIP keeps one IPv4 address per interface, with its netmask, and
 * LWIP_IPV6_NUM_ADDRESSES IPv6 slots without a prefix length: the one
 * given to RTM_NEWADDR is remembered here for display (nl_plen6), else
 * /64 (/128 for ::1).  A second IPv4 address is refused with a message
 * that says how to replace the first.
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

/* Prefix lengths of IPv6 addresses, by interface index and slot; 0: the default. */
static uint8_t nl_plen6[256][LWIP_IPV6_NUM_ADDRESSES];

/* Prefix length of a netmask. */
uint8_t nl_plen4(const ip4_addr_t *mask)
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
uint8_t nl_plen6_get(const struct netif *n, int i)
{
	uint8_t p = nl_plen6[netif_get_index(n)][i];

	if (p)
		return p;
	return ip6_addr_isloopback(netif_ip6_addr(n, i)) ? 128 : 64;
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

/* RTM_GETADDR: a dump, of one family or all, of one interface with strict checks. */
int nl_getaddr(struct nl_writer *w, const struct nlreq *r)
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
int nl_newaddr(const struct nlreq *r, const char **why)
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
int nl_deladdr(const struct nlreq *r, const char **why)
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
