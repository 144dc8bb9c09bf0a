// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loif.c - the stack's loopback interface: 127.0.0.1/8 and ::1, up from
 * the start, as in every kernel network namespace
 *
 * Debian's lwIP (lwipopts.h) is built with LWIP_NETIF_LOOPBACK=1 and
 * LWIP_HAVE_LOOPIF=0: lwIP can loop packets back (netif_loop_output()),
 * and a packet to an interface's own address is looped, but there is no
 * loopback interface of its own ("we provide our own").  This is ours: a
 * netif named "lo" without a link layer, whose output for IPv4 and IPv6
 * is netif_loop_output().  With LWIP_NETIF_LOOPBACK_MULTITHREADING (the
 * default when NO_SYS=0) a looped packet is queued and lwIP's own thread
 * feeds it to ip_input() (netif_poll), with the core lock held.
 *
 * lwIP routes by interface: 127.0.0.0/8 matches this netif's network, ::1
 * its /64 (lwIP compares 64 bits), before anything reaches the link.  lwIP
 * accepts an incoming packet for any interface's address on any interface
 * (ip4_input, ip6_input, with this build's options), so that frames from
 * the link that name a loopback address are dropped before lwIP sees them
 * (loif_martian()), as the kernel drops them: a program that listens on
 * 127.0.0.1 is reachable from inside the stack only.
 *
 * lwIP gives an interface one IPv4 address: 127.0.0.1 receives; other
 * addresses of 127.0.0.0/8 may be bound (as in the kernel) and send, but
 * nothing is delivered to them.
 */
#include <errno.h>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/prot/ethernet.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"

#include "lw.h"

#define LOIF_MTU	65535	/* the kernel's is 65536; lwIP keeps 16 bits */

/*
 * loif_output4() - netif->output: an IPv4 packet back into the stack
 * @netif:	the loopback interface
 * @p:		the packet
 * @dst:	unused (every packet goes back in)
 *
 * Return: as netif_loop_output()
 */
static err_t loif_output4(struct netif *netif, struct pbuf *p, const ip4_addr_t *dst)
{
	(void)dst;
	return netif_loop_output(netif, p);
}

/*
 * loif_output6() - netif->output_ip6: an IPv6 packet back into the stack
 * @netif:	the loopback interface
 * @p:		the packet
 * @dst:	unused
 *
 * Return: as netif_loop_output()
 */
static err_t loif_output6(struct netif *netif, struct pbuf *p, const ip6_addr_t *dst)
{
	(void)dst;
	return netif_loop_output(netif, p);
}

/*
 * loif_init() - netif init callback: no link layer, no ARP, no ND
 * @netif:	being added
 *
 * Return: ERR_OK
 */
static err_t loif_init(struct netif *netif)
{
	netif->name[0] = 'l';
	netif->name[1] = 'o';
	netif->mtu = LOIF_MTU;
	netif->mtu6 = LOIF_MTU;
	netif->flags = 0;
	netif->output = loif_output4;
	netif->output_ip6 = loif_output6;
	return ERR_OK;
}

/*
 * loif_setup() - add the loopback interface, up, with its addresses
 * @d:		the daemon; called with the core lock held, after the link's
 *		interface (which stays lwIP's default)
 *
 * Return: 0 or -EIO
 */
int loif_setup(struct lw_daemon *d)
{
	ip4_addr_t ip, mask, gw;
	ip6_addr_t ip6;
	s8_t idx;

	IP4_ADDR(&ip, 127, 0, 0, 1);
	IP4_ADDR(&mask, 255, 0, 0, 0);
	ip4_addr_set_zero(&gw);
	if (!netif_add(&d->loif, &ip, &mask, &gw, d, loif_init, ip_input)) {
		lw_err("loopback: lwIP refused the interface");
		return -EIO;
	}
	ip6_addr_set_loopback(&ip6);
	if (netif_add_ip6_address(&d->loif, &ip6, &idx) != ERR_OK) {
		lw_err("loopback: lwIP refused ::1");
		return -EIO;
	}
	netif_ip6_addr_set_state(&d->loif, idx, IP6_ADDR_PREFERRED);
	netif_set_link_up(&d->loif);
	netif_set_up(&d->loif);
	d->loif.rs_count = 0;	/* no router solicitations on lo */
	return 0;
}

/*
 * loif_remove() - take the loopback interface out (before exit)
 * @d:		the daemon; called with the core lock held
 */
void loif_remove(struct lw_daemon *d)
{
	netif_remove(&d->loif);
}

/*
 * loif_is_loopback() - is @ip a loopback address (127.0.0.0/8, ::1)?
 * @ip:		an lwIP address
 *
 * Return: true if it is
 */
bool loif_is_loopback(const ip_addr_t *ip)
{
	if (IP_IS_V4(ip))
		return ip4_addr_isloopback(ip_2_ip4(ip));
	return ip6_addr_isloopback(ip_2_ip6(ip));
}

/*
 * loif_martian() - does a frame from the link name a loopback address?
 * @frame:	an Ethernet frame
 * @len:	its length
 *
 * The kernel drops such packets ("martians"); lwIP would deliver them to
 * the loopback interface's sockets.
 *
 * Return: true if it must be dropped
 */
bool loif_martian(const unsigned char *frame, size_t len)
{
	static const unsigned char lo6[16] = { [15] = 1 };
	uint16_t type;

	if (len < SIZEOF_ETH_HDR)
		return false;
	type = (uint16_t)(frame[12] << 8 | frame[13]);
	frame += SIZEOF_ETH_HDR;
	len -= SIZEOF_ETH_HDR;
	if (type == ETHTYPE_IP && len >= IP_HLEN)
		/* source at 12, destination at 16: first byte 127 */
		return frame[12] == 127 || frame[16] == 127;
	if (type == ETHTYPE_IPV6 && len >= IP6_HLEN)
		return !memcmp(frame + 8, lo6, 16) || !memcmp(frame + 24, lo6, 16);
	return false;
}
