/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * nlmsg.h - rtnetlink messages: a strict decoder of requests and a
 * bounded builder of answers, with no lwIP in them (unit-tested alone)
 */
#ifndef NETSUP_NLMSG_H
#define NETSUP_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NLMSG_IFNAME_MAX	16	/* IFNAMSIZ, the NUL included */

/* Which body a request has. */
enum nlreq_kind {
	NLREQ_CONTROL,		/* NLMSG_NOOP, DONE, ERROR, OVERRUN: no body */
	NLREQ_LINK,		/* RTM_{NEW,DEL,GET,SET}LINK: struct ifinfomsg */
	NLREQ_ADDR,		/* RTM_{NEW,DEL,GET}ADDR: struct ifaddrmsg */
	NLREQ_ROUTE,		/* RTM_{NEW,DEL,GET}ROUTE: struct rtmsg */
	NLREQ_OTHER,		/* any other type: only the family is read */
};

/*
 * One request, decoded.  Every field the message does not carry is zero;
 * the has_* flags say which attributes were there.  Addresses are kept
 * in network order, 4 bytes for AF_INET, 16 for AF_INET6.
 */
struct nlreq {
	/* the header */
	uint32_t len;		/* nlmsg_len */
	uint16_t type, flags;
	uint32_t seq, pid;
	const void *msg;	/* the whole message, inside the datagram */
	enum nlreq_kind kind;
	int error;		/* 0, or -EINVAL: the body is malformed */
	bool short_body;	/* a dump request shorter than its structure
				 * (struct rtgenmsg, as glibc sends) */
	uint8_t family;
	/* link */
	uint16_t if_type;
	int32_t ifindex;
	uint32_t ifflags, ifchange;
	char ifname[NLMSG_IFNAME_MAX];
	bool has_ifname;
	uint32_t mtu;
	bool has_mtu;
	uint32_t ext_mask;	/* IFLA_EXT_MASK */
	/* address */
	uint8_t prefixlen, ifa_flags, scope;
	uint32_t ifa_index;
	uint8_t address[16], local[16];
	bool has_address, has_local;
	char label[NLMSG_IFNAME_MAX];
	bool has_label;
	uint32_t ifa_flags32;	/* IFA_FLAGS */
	bool has_ifa_flags32;
	/* route */
	uint8_t dst_len, src_len, tos, table, protocol, rt_scope, rt_type;
	uint32_t rt_flags;
	uint8_t dst[16], src[16], gateway[16], prefsrc[16];
	bool has_dst, has_src, has_gateway, has_prefsrc;
	uint32_t oif, priority, table32;
	bool has_oif, has_priority, has_table32;
};

int nlmsg_next(const void *buf, size_t len, size_t *off, struct nlreq *r);
int nlmsg_addr_len(uint8_t family);

/*
 * A builder of answers into a bounded buffer.  A message that does not
 * fit is taken back whole (nlb_end() fails); the buffer never overflows.
 */
struct nlbuf {
	unsigned char *buf;
	size_t cap, len;
	size_t msg;		/* where the open message starts */
	bool open, overflow;
};

void nlb_init(struct nlbuf *b, void *buf, size_t cap);
void nlb_begin(struct nlbuf *b, uint16_t type, uint16_t flags, uint32_t seq,
	       uint32_t pid, const void *body, size_t bodylen);
void nlb_attr(struct nlbuf *b, uint16_t type, const void *data, size_t len);
void nlb_attr_u32(struct nlbuf *b, uint16_t type, uint32_t v);
void nlb_attr_u8(struct nlbuf *b, uint16_t type, uint8_t v);
void nlb_attr_str(struct nlbuf *b, uint16_t type, const char *s);
size_t nlb_nest_begin(struct nlbuf *b, uint16_t type);
void nlb_nest_end(struct nlbuf *b, size_t at);
int nlb_end(struct nlbuf *b);
int nlb_error(struct nlbuf *b, const struct nlreq *r, uint32_t portid, int error,
	      bool cap_ack, bool ext_ack, const char *why);
int nlb_done(struct nlbuf *b, uint32_t seq, uint32_t pid);

#endif /* NETSUP_NLMSG_H */
