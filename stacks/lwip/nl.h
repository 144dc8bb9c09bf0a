/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * nl.h - the daemon's rtnetlink, inside: the netlink side of a socket,
 * the writer of answers, and what the files of each kind of message
 * (nlif.c, nladdr.c, nlroute.c) give the dispatch (nlreq.c)
 */
#ifndef NETSUP_LWIP_NL_H
#define NETSUP_LWIP_NL_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip4.h"
#include "lwip/netif.h"

#include "lw.h"
#include "nlmsg.h"

#define NL_DGRAM_MAX	3776		/* NLMSG_GOODSIZE on 4 KiB pages */
#define NL_OUTQ_MAX	((size_t)256 * 1024)	/* answers waiting, per socket */

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

/*
 * A message builder: nlb_begin() ... attributes, for nlw_msg(), which
 * calls it again in a fresh datagram when the message did not fit.
 */
typedef void (*nl_build_fn)(struct nlbuf *b, const void *arg, uint16_t type,
			    uint16_t flags, uint32_t seq, uint32_t portid);

/* Every interface, in the order of its index (netif_list is newest first). */
#define NL_FOREACH(n, idx) \
	for ((idx) = 1; (idx) < 256; (idx)++) \
		if (((n) = netif_get_by_index((u8_t)(idx))) != NULL)

/* nlreq.c: the answers, and the dispatch of a request */
void nl_flush(struct lw_sock *s);
void nlw_init(struct nl_writer *w, struct lw_sock *s);
void nlw_flush(struct nl_writer *w);
void nlw_msg(struct nl_writer *w, nl_build_fn fn, const void *arg, uint16_t type,
	     uint16_t flags, uint32_t seq);
void nlw_done(struct nl_writer *w, uint32_t seq);
void nlw_error(struct nl_writer *w, const struct nlreq *r, int error, const char *why);
void nl_request(struct nl_writer *w, const struct nlreq *r);

/* nlif.c: interfaces, their names, RTM_*LINK, the interface ioctls */
bool nl_is_loop(const struct netif *n);
void nl_ifname(const struct netif *n, char *out);
struct netif *nl_by_name(const char *name);
struct netif *nl_by_index(uint32_t idx);
uint32_t nl_ifflags(const struct netif *n);
uint32_t nl_mtu(const struct netif *n);
struct netif *nl_req_netif(uint32_t idx, const char **why);
int nl_getlink(struct nl_writer *w, const struct nlreq *r);
int nl_setlink(const struct nlreq *r, const char **why);

/* nladdr.c: addresses, RTM_*ADDR */
uint8_t nl_plen4(const ip4_addr_t *mask);
uint8_t nl_plen6_get(const struct netif *n, int i);
int nl_getaddr(struct nl_writer *w, const struct nlreq *r);
int nl_newaddr(const struct nlreq *r, const char **why);
int nl_deladdr(const struct nlreq *r, const char **why);

/* nlroute.c: routes, RTM_*ROUTE */
int nl_getroute(struct nl_writer *w, const struct nlreq *r);
int nl_newroute(struct lw_daemon *d, const struct nlreq *r, const char **why);
int nl_delroute(const struct nlreq *r, const char **why);

#endif /* NETSUP_LWIP_NL_H */
