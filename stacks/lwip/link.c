// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * link.c - the daemon's one network interface: a libvdeplug link under lwIP
 *
 * Every link is a libvdeplug (VDE 4) URL, opened with vde_open(): tap://NAME
 * (an existing TAP, or one the plugin creates when we may: CAP_NET_ADMIN),
 * vde:///path (a VDE switch), slirp:// (user-mode NAT, no privilege),
 * vxvde://, ptp://.  One library for every link; no TAP code of our own.
 * Frames come in on vde_datafd() (the loop reads them, up to 64 per
 * wake-up, and hands them to ethernet_input() under the core lock) and go
 * out through vde_send() from netif->linkoutput, whichever thread lwIP runs
 * in; a frame the link cannot take now is dropped, as a NIC drops it (TCP
 * retransmits).
 *
 * --netns PATH: the link is opened inside that network namespace with
 * setns(2) (CLONE_NEWNET, Linux 3.0) on the main thread before any other
 * thread exists, then the thread returns to its own namespace: a TAP
 * descriptor stays bound to the namespace it was created in, so the kernel
 * peer can live anywhere.
 *
 * Addresses: --ip/--gw (IPv4), --ip6 (IPv6, marked preferred at once: we
 * skip duplicate address detection, the address is the user's choice); a
 * link-local IPv6 address always; without --ip6, SLAAC from router
 * advertisements (Debian's lwIP has LWIP_IPV6_AUTOCONFIG and sends router
 * solicitations).  lwIP keeps no IPv6 prefix length: addresses in the same
 * /64 are on-link.  --gw6 installs a default router entry in lwIP's
 * neighbour tables (lwIP 2.1 has no API for a static IPv6 router).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvdeplug.h>

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/init.h"
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"
#include "lwip/pbuf.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"

#include "lw.h"

/*
 * link_in_netns() - vde_open() inside another network namespace
 * @d:		the daemon; d->opt->netns names the namespace
 * @url:	the link URL (libvdeplug wants it writable)
 *
 * Return: 0 or -errno; d->vde set on success
 */
static int link_in_netns(struct lw_daemon *d, char *url)
{
	int self, target, rc = 0;

	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		rc = -errno;
		lw_err("own network namespace: %s", strerror(errno));
		return rc;
	}
	target = open(d->opt->netns, O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		rc = -errno;
		lw_err("--netns %s: %s", d->opt->netns, strerror(errno));
		goto out;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		rc = -errno;
		lw_err("--netns %s: setns: %s", d->opt->netns, strerror(errno));
		goto out;
	}
	d->vde = vde_open(url, "netsup-lwip", NULL);
	if (!d->vde)
		rc = errno ? -errno : -EIO;
	if (setns(self, CLONE_NEWNET) < 0) {
		/* We would serve from the wrong namespace: refuse to go on. */
		rc = -errno;
		lw_err("back to own namespace: setns: %s", strerror(errno));
		if (d->vde)
			vde_close(d->vde);
		d->vde = NULL;
	}
out:
	if (target >= 0)
		close(target);
	close(self);
	return rc;
}

/*
 * link_open() - open the link named by --link, in --netns if given
 * @d:		the daemon
 *
 * Called before any thread exists (setns is per thread, libvdeplug may
 * start threads of its own).  The data descriptor is made non-blocking so
 * that the loop can read frames until there are none.
 *
 * Return: 0 or -errno
 */
int link_open(struct lw_daemon *d)
{
	char *url = strdup(d->opt->link);
	int rc = 0, fl;

	if (!url)
		return -ENOMEM;
	errno = 0;
	if (d->opt->netns)
		rc = link_in_netns(d, url);
	else if (!(d->vde = vde_open(url, "netsup-lwip", NULL)))
		rc = errno ? -errno : -EIO;
	free(url);
	if (rc < 0 || !d->vde) {
		lw_err("--link %s: cannot open: %s", d->opt->link,
		       strerror(rc < 0 ? -rc : EIO));
		return rc < 0 ? rc : -EIO;
	}
	d->link_fd = vde_datafd(d->vde);
	fl = fcntl(d->link_fd, F_GETFL);
	if (fl < 0 || fcntl(d->link_fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		rc = -errno;
		lw_err("--link %s: O_NONBLOCK: %s", d->opt->link, strerror(errno));
		return rc;
	}
	return 0;
}

/*
 * link_output() - netif->linkoutput: one Ethernet frame to the link
 * @netif:	our interface
 * @p:		the frame (one pbuf with LWIP_NETIF_TX_SINGLE_PBUF, else copied)
 *
 * Return: ERR_OK (a frame the link refuses is dropped)
 */
static err_t link_output(struct netif *netif, struct pbuf *p)
{
	static unsigned char frame[VDE_ETHBUFSIZE];
	struct lw_daemon *d = netif->state;
	const void *data = p->payload;

	if (p->tot_len > sizeof(frame))
		return ERR_OK;
	if (p->len != p->tot_len) {
		pbuf_copy_partial(p, frame, p->tot_len, 0);
		data = frame;
	}
	if (vde_send(d->vde, data, p->tot_len, 0) < 0)
		lw_debug("link: frame of %u bytes dropped: %s", p->tot_len,
			 strerror(errno));
	return ERR_OK;
}

/*
 * link_netif_init() - netif init callback: an Ethernet interface
 * @netif:	being added
 *
 * The MAC address is random (getrandom(2)) and locally administered.
 *
 * Return: ERR_OK
 */
static err_t link_netif_init(struct netif *netif)
{
	struct lw_daemon *d = netif->state;

	netif->name[0] = 'v';
	netif->name[1] = 'd';
	netif->mtu = (u16_t)d->opt->mtu;
	netif->mtu6 = (u16_t)d->opt->mtu;
	netif->hwaddr_len = 6;
	if (getrandom(netif->hwaddr, 6, 0) != 6)
		memcpy(netif->hwaddr, "\x02\x00\x5e\x00\x00\x01", 6);
	netif->hwaddr[0] = (u8_t)((netif->hwaddr[0] & 0xfe) | 0x02);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = link_output;
	return ERR_OK;
}

/*
 * link_parse4() - "ADDR/LEN" into an address and its netmask
 * @spec:	the option's value
 * @ip:		the address
 * @mask:	the netmask (/24 when LEN is missing)
 *
 * Return: 0 or -EINVAL
 */
static int link_parse4(const char *spec, ip4_addr_t *ip, ip4_addr_t *mask)
{
	char buf[64], *slash, *end;
	long len = 24;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		len = strtol(slash, &end, 10);
		if (*slash == '\0' || *end || len < 0 || len > 32)
			return -EINVAL;
	}
	if (!ip4addr_aton(buf, ip))
		return -EINVAL;
	ip4_addr_set_u32(mask, len ? lwip_htonl(0xffffffffU << (32 - len)) : 0);
	return 0;
}

/*
 * link_parse6() - "ADDR[/LEN]" into an IPv6 address (LEN is only checked)
 * @spec:	the option's value
 * @ip:		the address
 *
 * Return: 0 or -EINVAL
 */
static int link_parse6(const char *spec, ip6_addr_t *ip)
{
	char buf[80], *slash, *end;
	long len;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		len = strtol(slash, &end, 10);
		if (*slash == '\0' || *end || len < 1 || len > 128)
			return -EINVAL;
	}
	return ip6addr_aton(buf, ip) ? 0 : -EINVAL;
}

/*
 * link_gw6() - make @gw lwIP's default IPv6 router
 * @netif:	our interface
 * @gw:		the router's address (on-link)
 *
 * lwIP 2.1 learns routers from advertisements only; this fills the same
 * tables an advertisement would (nd6_priv.h): a neighbour entry, resolved
 * by neighbour solicitation, marked as a router, and a
 * default router entry that never expires.
 *
 * Return: 0 or -ENOSPC
 */
int link_gw6(struct netif *netif, const ip6_addr_t *gw)
{
	int i, r;

	for (i = 0; i < LWIP_ND6_NUM_NEIGHBORS; i++)
		if (neighbor_cache[i].state == ND6_NO_ENTRY)
			break;
	for (r = 0; r < LWIP_ND6_NUM_ROUTERS; r++)
		if (!default_router_list[r].neighbor_entry)
			break;
	if (i == LWIP_ND6_NUM_NEIGHBORS || r == LWIP_ND6_NUM_ROUTERS)
		return -ENOSPC;
	memset(&neighbor_cache[i], 0, sizeof(neighbor_cache[i]));
	ip6_addr_set(&neighbor_cache[i].next_hop_address, gw);
	ip6_addr_assign_zone(&neighbor_cache[i].next_hop_address, IP6_UNICAST, netif);
	neighbor_cache[i].netif = netif;
	neighbor_cache[i].state = ND6_INCOMPLETE;
	neighbor_cache[i].isrouter = 1;
	neighbor_cache[i].counter.probes_sent = 0;
	default_router_list[r].neighbor_entry = &neighbor_cache[i];
	default_router_list[r].invalidation_timer = 0xffffffffU;
	default_router_list[r].flags = 0;
	return 0;
}

/*
 * link_routers6() - the IPv6 default routers lwIP knows
 * @out:	receives their addresses
 * @max:	room in @out
 *
 * Called with the core lock held.
 *
 * Return: how many were written
 */
int link_routers6(ip6_addr_t *out, int max)
{
	int r, n = 0;

	for (r = 0; r < LWIP_ND6_NUM_ROUTERS && n < max; r++)
		if (default_router_list[r].neighbor_entry) {
			/* ip6_addr_copy() names its first argument often */
			ip6_addr_copy(out[n], default_router_list[r].neighbor_entry->next_hop_address);
			n++;
		}
	return n;
}

/*
 * link_gw6_clear() - forget every IPv6 default router (ip -6 route del
 * default); a later advertisement teaches lwIP one again
 *
 * Called with the core lock held.
 */
void link_gw6_clear(void)
{
	int r;

	for (r = 0; r < LWIP_ND6_NUM_ROUTERS; r++) {
		if (default_router_list[r].neighbor_entry)
			default_router_list[r].neighbor_entry->isrouter = 0;
		memset(&default_router_list[r], 0, sizeof(default_router_list[r]));
	}
}

/*
 * link_router6() - does lwIP know an IPv6 default router (--gw6, or one
 * that advertised itself)?
 * @d:		the daemon; called with the core lock held
 *
 * Return: true if the default router list has an entry
 */
bool link_router6(const struct lw_daemon *d)
{
	int r;

	(void)d;	/* lwIP keeps one router list for all interfaces */
	for (r = 0; r < LWIP_ND6_NUM_ROUTERS; r++)
		if (default_router_list[r].neighbor_entry)
			return true;
	return false;
}

/*
 * link_setup() - the lwIP interface on the link, with its addresses
 * @d:		the daemon; called with the core lock held
 *
 * Return: 0 or -EINVAL (a bad address, named in the message)
 */
int link_setup(struct lw_daemon *d)
{
	const struct lw_options *o = d->opt;
	ip4_addr_t ip, mask, gw;
	ip6_addr_t ip6;
	s8_t idx;

	ip4_addr_set_zero(&ip);
	ip4_addr_set_zero(&mask);
	ip4_addr_set_zero(&gw);
	if (o->ip && link_parse4(o->ip, &ip, &mask) < 0) {
		lw_err("--ip %s: not an IPv4 ADDR/LEN", o->ip);
		return -EINVAL;
	}
	if (o->gw && !ip4addr_aton(o->gw, &gw)) {
		lw_err("--gw %s: not an IPv4 address", o->gw);
		return -EINVAL;
	}
	if (!netif_add(&d->netif, &ip, &mask, &gw, d, link_netif_init, ethernet_input)) {
		lw_err("--link %s: lwIP refused the interface", o->link);
		return -EIO;
	}
	netif_set_default(&d->netif);
	netif_create_ip6_linklocal_address(&d->netif, 1);
	netif_ip6_addr_set_state(&d->netif, 0, IP6_ADDR_PREFERRED);
	if (o->ip6) {
		if (link_parse6(o->ip6, &ip6) < 0) {
			lw_err("--ip6 %s: not an IPv6 ADDR/LEN", o->ip6);
			return -EINVAL;
		}
		if (netif_add_ip6_address(&d->netif, &ip6, &idx) != ERR_OK) {
			lw_err("--ip6 %s: lwIP refused the address", o->ip6);
			return -EINVAL;
		}
		netif_ip6_addr_set_state(&d->netif, idx, IP6_ADDR_PREFERRED);
	} else {
		netif_set_ip6_autoconfig_enabled(&d->netif, 1);
	}
	if (o->gw6) {
		if (!ip6addr_aton(o->gw6, &ip6)) {
			lw_err("--gw6 %s: not an IPv6 address", o->gw6);
			return -EINVAL;
		}
		if (link_gw6(&d->netif, &ip6) < 0) {
			lw_err("--gw6 %s: lwIP's router table is full", o->gw6);
			return -ENOSPC;
		}
	}
	netif_set_link_up(&d->netif);
	netif_set_up(&d->netif);
	return loif_setup(d);
}

/*
 * link_input() - read the frames waiting on the link into lwIP
 * @d:		the daemon; called with the core lock held
 *
 * At most 64 frames per call, so that sockets get their turn.  Frames go
 * into PBUF_RAM pbufs: Debian's liblwip 2.1.3 sizes its PBUF_POOL blocks
 * (616 bytes, memp_pools[MEMP_PBUF_POOL]) smaller than what its pbuf_alloc()
 * writes into them (PBUF_POOL_BUFSIZE 1536), seen with valgrind.
 */
void link_input(struct lw_daemon *d)
{
	static unsigned char frame[VDE_ETHBUFSIZE];
	struct pbuf *p;
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {
		n = vde_recv(d->vde, frame, sizeof(frame), 0);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				lw_debug("link: read: %s", strerror(errno));
			return;
		}
		if (n < 14)
			continue;	/* not a frame (0: a control packet) */
		if (loif_martian(frame, (size_t)n))
			continue;	/* to or from a loopback address */
		p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_RAM);
		if (!p)
			return;
		pbuf_take(p, frame, (u16_t)n);
		if (d->netif.input(p, &d->netif) != ERR_OK)
			pbuf_free(p);
	}
}

/*
 * link_close() - close the link
 * @d:		the daemon
 */
void link_close(struct lw_daemon *d)
{
	if (d->vde)
		vde_close(d->vde);
	d->vde = NULL;
}

/*
 * link_lower() - lowercase an address in place (lwIP prints "FD00::1")
 * @s:		the string
 */
static void link_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'F')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * link_describe() - the HELLO description: link and addresses, key=value
 * @d:		the daemon; called with the core lock held
 * @buf:	where
 * @len:	its size
 *
 * Return: the length written (truncated to @len - 1)
 */
int link_describe(const struct lw_daemon *d, char *buf, size_t len)
{
	const struct netif *n = &d->netif;
	char a[IP6ADDR_STRLEN_MAX], m[IP4ADDR_STRLEN_MAX];
	size_t off;
	int i;

	off = (size_t)snprintf(buf, len, "stack=lwip %s\nlink=%s\n",
			       LWIP_VERSION_STRING, d->opt->link);
	if (off < len && !ip4_addr_isany_val(*netif_ip4_addr(n))) {
		ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "ipv4=%s/%d\n", a,
					__builtin_popcount(ip4_addr_get_u32(netif_ip4_netmask(n))));
		if (off < len && !ip4_addr_isany_val(*netif_ip4_gw(n))) {
			ip4addr_ntoa_r(netif_ip4_gw(n), m, sizeof(m));
			off += (size_t)snprintf(buf + off, len - off, "gw=%s\n", m);
		}
	}
	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES && off < len; i++) {
		if (!ip6_addr_isvalid(netif_ip6_addr_state(n, i)))
			continue;
		ip6addr_ntoa_r(netif_ip6_addr(n, i), a, sizeof(a));
		link_lower(a);		/* as ip(8) prints them */
		off += (size_t)snprintf(buf + off, len - off, "ipv6=%s/64\n", a);
	}
	if (off < len && d->opt->gw6)
		off += (size_t)snprintf(buf + off, len - off, "gw6=%s\n", d->opt->gw6);
	return (int)(off < len ? off : len - 1);
}
