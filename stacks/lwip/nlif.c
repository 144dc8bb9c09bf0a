// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlif.c - rtnetlink for the stack: its interfaces, their Linux names,
 * RTM_GETLINK, RTM_NEWLINK/SETLINK, and the interface ioctls (SIOCGIF*)
 *
 * Names: the loopback interface is "lo", the others eth0, eth1... in the
 * order of their index; the index is lwIP's (netif_get_index()), the same
 * that sin6_scope_id carries.  A link can be set up or down and given an
 * MTU; none can be created or deleted (lwIP's interfaces are its links).
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

/* Is @n the loopback interface? */
bool nl_is_loop(const struct netif *n)
{
	return n->name[0] == 'l' && n->name[1] == 'o';
}

/*
 * nl_ifname() - the Linux name of an lwIP interface
 * @n:		the interface
 * @out:	IFNAMSIZ bytes
 */
void nl_ifname(const struct netif *n, char *out)
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
struct netif *nl_by_name(const char *name)
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
struct netif *nl_by_index(uint32_t idx)
{
	return idx && idx < 256 ? netif_get_by_index((u8_t)idx) : NULL;
}

/* IFF_* of @n, as the kernel shows them. */
uint32_t nl_ifflags(const struct netif *n)
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
uint32_t nl_mtu(const struct netif *n)
{
	return n->mtu ? n->mtu : 65536;
}

/* The interface a configuration request names, by index. */
struct netif *nl_req_netif(uint32_t idx, const char **why)
{
	struct netif *n = nl_by_index(idx);

	if (!n)
		*why = "no interface of that index in this stack";
	return n;
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

/* RTM_GETLINK: a dump, or one interface by index or name. */
int nl_getlink(struct nl_writer *w, const struct nlreq *r)
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

/* RTM_NEWLINK and RTM_SETLINK on an existing interface: up, down, mtu. */
int nl_setlink(const struct nlreq *r, const char **why)
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
