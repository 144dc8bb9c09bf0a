// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlmsg.c - rtnetlink messages: decode requests, build answers
 *
 * A program's netlink socket on a userspace stack is a datagram
 * socketpair: whatever it sends reaches netlink.c as bytes, and nothing
 * here trusts them.  nlmsg_next() walks the messages of one datagram as
 * the kernel's netlink_rcv_skb() does (a header shorter than struct
 * nlmsghdr, or an nlmsg_len past the datagram, ends the walk silently),
 * and decodes the body of the three families of requests a stack answers
 * (rtnetlink(7)): links (struct ifinfomsg), addresses (struct ifaddrmsg)
 * and routes (struct rtmsg), with their attributes.  Every attribute
 * length is checked against what is left of its message and against the
 * size its type has (an IPv4 address is 4 bytes, a u32 is 4 bytes, a name
 * fits IFNAMSIZ): anything else is -EINVAL for that message, as the
 * kernel's strict validation (NETLINK_GET_STRICT_CHK, and always for new
 * requests) answers.  A dump request may be shorter than its structure
 * (glibc's getifaddrs(3) sends a struct rtgenmsg, one byte): then only
 * the family is read, as the kernel does without strict checking.
 *
 * The builder (nlb_*) writes answers into a buffer of fixed size; a
 * message that does not fit is taken back whole, so a dump can go on in
 * the next datagram.  Alignment is NLMSG_ALIGNTO and RTA_ALIGNTO (4).
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <sys/socket.h>

#include "nlmsg.h"

#define NLMSG_A4(n)	(((n) + 3U) & ~(size_t)3U)

/**
 * nlmsg_addr_len() - the size of an address of @family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 4, 16, or 0 for any other family
 */
int nlmsg_addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* The kind of body a message type has. */
static enum nlreq_kind nlmsg_kind(uint16_t type)
{
	if (type < NLMSG_MIN_TYPE)
		return NLREQ_CONTROL;
	if (type >= RTM_NEWLINK && type <= RTM_SETLINK)
		return NLREQ_LINK;
	if (type >= RTM_NEWADDR && type <= RTM_GETADDR)
		return NLREQ_ADDR;
	if (type >= RTM_NEWROUTE && type <= RTM_GETROUTE)
		return NLREQ_ROUTE;
	return NLREQ_OTHER;
}

/* The size of the fixed body of @kind. */
static size_t nlmsg_body_size(enum nlreq_kind kind)
{
	switch (kind) {
	case NLREQ_LINK:	return sizeof(struct ifinfomsg);
	case NLREQ_ADDR:	return sizeof(struct ifaddrmsg);
	case NLREQ_ROUTE:	return sizeof(struct rtmsg);
	case NLREQ_OTHER:	return 1;	/* the family, as struct rtgenmsg */
	default:		return 0;
	}
}

/* Is @type a request that only reads (a GET: rtnetlink's kind 2)? */
static bool nlmsg_is_get(uint16_t type)
{
	return type >= RTM_BASE && (type & 3) == 2;
}

/*
 * nlmsg_name() - a name attribute (IFLA_IFNAME, IFA_LABEL) into @out
 * @p:		the payload
 * @n:		its length (a trailing NUL may or may not be there)
 * @out:	NLMSG_IFNAME_MAX bytes, NUL-terminated on success
 *
 * Return: 0, or -EINVAL (empty, too long, a NUL inside)
 */
static int nlmsg_name(const unsigned char *p, size_t n, char *out)
{
	const unsigned char *nul = memchr(p, '\0', n);
	size_t len = nul ? (size_t)(nul - p) : n;

	if (nul && nul != p + n - 1)
		return -EINVAL;		/* bytes after the end of the name */
	if (!len || len >= NLMSG_IFNAME_MAX)
		return -EINVAL;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/*
 * nlmsg_u32() - a u32 attribute
 * @p:		the payload
 * @n:		its length: exactly 4
 * @v:		the value
 *
 * Return: 0 or -EINVAL
 */
static int nlmsg_u32(const unsigned char *p, size_t n, uint32_t *v)
{
	if (n != sizeof(*v))
		return -EINVAL;
	memcpy(v, p, sizeof(*v));
	return 0;
}

/*
 * nlmsg_ip() - an address attribute of the message's family
 * @r:		the request (its family)
 * @p:		the payload
 * @n:		its length: the family's address size
 * @out:	16 bytes
 * @has:	set
 *
 * Return: 0 or -EINVAL (another length, or a family without addresses)
 */
static int nlmsg_ip(const struct nlreq *r, const unsigned char *p, size_t n,
		    uint8_t *out, bool *has)
{
	int want = nlmsg_addr_len(r->family);

	if (!want || n != (size_t)want)
		return -EINVAL;
	memcpy(out, p, n);
	*has = true;
	return 0;
}

/*
 * nlmsg_attr() - one attribute of a link, address or route request
 * @r:		the request, filled in
 * @type:	the attribute's type, flags masked off
 * @p:		its payload
 * @n:		the payload's length
 *
 * Attributes a stack has no use for are skipped, as the kernel's
 * policies let them be.
 *
 * Return: 0 or -EINVAL
 */
static int nlmsg_attr(struct nlreq *r, uint16_t type, const unsigned char *p, size_t n)
{
	switch (r->kind) {
	case NLREQ_LINK:
		switch (type) {
		case IFLA_IFNAME:
			r->has_ifname = true;
			return nlmsg_name(p, n, r->ifname);
		case IFLA_MTU:
			r->has_mtu = true;
			return nlmsg_u32(p, n, &r->mtu);
		case IFLA_EXT_MASK:
			return nlmsg_u32(p, n, &r->ext_mask);
		}
		return 0;
	case NLREQ_ADDR:
		switch (type) {
		case IFA_ADDRESS:
			return nlmsg_ip(r, p, n, r->address, &r->has_address);
		case IFA_LOCAL:
			return nlmsg_ip(r, p, n, r->local, &r->has_local);
		case IFA_LABEL:
			r->has_label = true;
			return nlmsg_name(p, n, r->label);
		case IFA_FLAGS:
			r->has_ifa_flags32 = true;
			return nlmsg_u32(p, n, &r->ifa_flags32);
		}
		return 0;
	case NLREQ_ROUTE:
		switch (type) {
		case RTA_DST:
			return nlmsg_ip(r, p, n, r->dst, &r->has_dst);
		case RTA_SRC:
			return nlmsg_ip(r, p, n, r->src, &r->has_src);
		case RTA_GATEWAY:
			return nlmsg_ip(r, p, n, r->gateway, &r->has_gateway);
		case RTA_PREFSRC:
			return nlmsg_ip(r, p, n, r->prefsrc, &r->has_prefsrc);
		case RTA_OIF:
			r->has_oif = true;
			return nlmsg_u32(p, n, &r->oif);
		case RTA_PRIORITY:
			r->has_priority = true;
			return nlmsg_u32(p, n, &r->priority);
		case RTA_TABLE:
			r->has_table32 = true;
			return nlmsg_u32(p, n, &r->table32);
		case RTA_MULTIPATH: case RTA_VIA: case RTA_ENCAP: case RTA_NH_ID:
			return -EOPNOTSUPP;	/* nexthops a stack cannot keep */
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * nlmsg_body() - the fixed body of a request
 * @r:		the request: kind set, filled in
 * @p:		the body (after struct nlmsghdr)
 * @n:		its length, at least the structure's
 */
static void nlmsg_body(struct nlreq *r, const unsigned char *p, size_t n)
{
	switch (r->kind) {
	case NLREQ_LINK: {
		struct ifinfomsg ifi;

		memcpy(&ifi, p, sizeof(ifi));
		r->family = ifi.ifi_family;
		r->if_type = ifi.ifi_type;
		r->ifindex = ifi.ifi_index;
		r->ifflags = ifi.ifi_flags;
		r->ifchange = ifi.ifi_change;
		break;
	}
	case NLREQ_ADDR: {
		struct ifaddrmsg ifa;

		memcpy(&ifa, p, sizeof(ifa));
		r->family = ifa.ifa_family;
		r->prefixlen = ifa.ifa_prefixlen;
		r->ifa_flags = ifa.ifa_flags;
		r->scope = ifa.ifa_scope;
		r->ifa_index = ifa.ifa_index;
		break;
	}
	case NLREQ_ROUTE: {
		struct rtmsg rtm;

		memcpy(&rtm, p, sizeof(rtm));
		r->family = rtm.rtm_family;
		r->dst_len = rtm.rtm_dst_len;
		r->src_len = rtm.rtm_src_len;
		r->tos = rtm.rtm_tos;
		r->table = rtm.rtm_table;
		r->protocol = rtm.rtm_protocol;
		r->rt_scope = rtm.rtm_scope;
		r->rt_type = rtm.rtm_type;
		r->rt_flags = rtm.rtm_flags;
		break;
	}
	default:
		if (n)
			r->family = p[0];
		break;
	}
	(void)n;
}

/*
 * nlmsg_decode() - decode one message whose header has been checked
 * @r:		filled in; r->len, type, flags, seq, pid already set
 * @p:		the message, r->len bytes
 *
 * Return: 0, or -EINVAL / -EOPNOTSUPP (also left in r->error)
 */
static int nlmsg_decode(struct nlreq *r, const unsigned char *p)
{
	size_t body = r->len - NLMSG_HDRLEN, need = nlmsg_body_size(r->kind), off;
	const unsigned char *b = p + NLMSG_HDRLEN;
	int rc;

	if (r->kind == NLREQ_CONTROL)
		return 0;
	if (body < need) {
		/* a dump may be a struct rtgenmsg (the family alone) */
		if (!nlmsg_is_get(r->type)) {
			r->error = -EINVAL;
			return r->error;
		}
		r->short_body = true;
		if (body)
			r->family = b[0];
		return 0;
	}
	nlmsg_body(r, b, body);
	if (r->kind == NLREQ_OTHER)
		return 0;	/* its attributes mean nothing to us */
	/* Attributes, from the aligned end of the structure to nlmsg_len. */
	for (off = NLMSG_A4(need); off < body;) {
		struct rtattr a;
		size_t alen;

		if (body - off < sizeof(a)) {
			r->error = -EINVAL;	/* a stray tail */
			return r->error;
		}
		memcpy(&a, b + off, sizeof(a));
		alen = a.rta_len;
		if (alen < sizeof(a) || alen > body - off) {
			r->error = -EINVAL;
			return r->error;
		}
		rc = nlmsg_attr(r, a.rta_type & NLA_TYPE_MASK, b + off + sizeof(a),
				alen - sizeof(a));
		if (rc < 0) {
			r->error = rc;
			return rc;
		}
		off += NLMSG_A4(alen);
	}
	return 0;
}

/**
 * nlmsg_next() - the next message of a datagram
 * @buf:	the datagram as the program sent it
 * @len:	its length
 * @off:	where to read; moved past the message (start at 0)
 * @r:		the message, decoded; r->error says whether its body was good
 *
 * Return: 1 for a message (even a malformed one: answer r->error), 0 at
 * the end (also a truncated header or an nlmsg_len out of bounds: the
 * rest of the datagram is ignored, as the kernel ignores it)
 */
int nlmsg_next(const void *buf, size_t len, size_t *off, struct nlreq *r)
{
	const unsigned char *p;
	struct nlmsghdr h;
	size_t left;

	memset(r, 0, sizeof(*r));
	if (!buf || *off >= len)
		return 0;
	p = (const unsigned char *)buf + *off;
	left = len - *off;
	if (left < NLMSG_HDRLEN)
		return 0;
	memcpy(&h, p, sizeof(h));
	if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > left)
		return 0;
	r->len = h.nlmsg_len;
	r->type = h.nlmsg_type;
	r->flags = h.nlmsg_flags;
	r->seq = h.nlmsg_seq;
	r->pid = h.nlmsg_pid;
	r->msg = p;
	r->kind = nlmsg_kind(h.nlmsg_type);
	nlmsg_decode(r, p);
	left = NLMSG_A4(h.nlmsg_len);
	*off = left > len - *off ? len : *off + left;
	return 1;
}

/* --- the builder ---------------------------------------------------------- */

/**
 * nlb_init() - an empty builder over @buf
 * @b:		the builder
 * @buf:	where messages go
 * @cap:	its size
 */
void nlb_init(struct nlbuf *b, void *buf, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
}

/* Append @n bytes (zeros if @p is NULL), then pad to 4. */
static void nlb_put(struct nlbuf *b, const void *p, size_t n)
{
	size_t padded = NLMSG_A4(n);

	if (b->overflow || padded > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	if (p && n)
		memcpy(b->buf + b->len, p, n);
	else
		memset(b->buf + b->len, 0, n);
	memset(b->buf + b->len + n, 0, padded - n);
	b->len += padded;
}

/**
 * nlb_begin() - open a message
 * @b:		the builder (no message open)
 * @type:	nlmsg_type
 * @flags:	nlmsg_flags
 * @seq:	the request's sequence number
 * @pid:	the requesting socket's port id
 * @body:	the fixed body (struct ifinfomsg...), or NULL for zeros
 * @bodylen:	its size
 */
void nlb_begin(struct nlbuf *b, uint16_t type, uint16_t flags, uint32_t seq,
	       uint32_t pid, const void *body, size_t bodylen)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags,
			      .nlmsg_seq = seq, .nlmsg_pid = pid };

	b->msg = b->len;
	b->open = true;
	b->overflow = false;
	nlb_put(b, &h, sizeof(h));
	nlb_put(b, body, bodylen);
}

/**
 * nlb_attr() - append an attribute to the open message
 * @b:		the builder
 * @type:	rta_type
 * @data:	the payload
 * @len:	its length (at most 65531)
 */
void nlb_attr(struct nlbuf *b, uint16_t type, const void *data, size_t len)
{
	struct rtattr a = { .rta_type = type };

	if (len > 0xffff - sizeof(a)) {
		b->overflow = true;
		return;
	}
	a.rta_len = (unsigned short)(sizeof(a) + len);
	nlb_put(b, &a, sizeof(a));
	if (len)
		nlb_put(b, data, len);	/* after the 4-byte header, padded */
}

/** nlb_attr_u32() - a u32 attribute */
void nlb_attr_u32(struct nlbuf *b, uint16_t type, uint32_t v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

/** nlb_attr_u8() - a u8 attribute */
void nlb_attr_u8(struct nlbuf *b, uint16_t type, uint8_t v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

/** nlb_attr_str() - a string attribute, with its NUL */
void nlb_attr_str(struct nlbuf *b, uint16_t type, const char *s)
{
	nlb_attr(b, type, s, strlen(s) + 1);
}

/**
 * nlb_nest_begin() - open a nested attribute
 * @b:		the builder
 * @type:	its type (NLA_F_NESTED is added)
 *
 * Return: where it starts, for nlb_nest_end()
 */
size_t nlb_nest_begin(struct nlbuf *b, uint16_t type)
{
	size_t at = b->len;

	nlb_attr(b, type | NLA_F_NESTED, NULL, 0);
	return at;
}

/**
 * nlb_nest_end() - close a nested attribute: its length covers what follows
 * @b:		the builder
 * @at:		as nlb_nest_begin() returned
 */
void nlb_nest_end(struct nlbuf *b, size_t at)
{
	unsigned short l;

	if (b->overflow || b->len - at > 0xffff)
		return;
	l = (unsigned short)(b->len - at);
	memcpy(b->buf + at, &l, sizeof(l));
}

/**
 * nlb_end() - close the open message
 * @b:		the builder
 *
 * Return: 0, or -EMSGSIZE: it did not fit and was taken back whole
 */
int nlb_end(struct nlbuf *b)
{
	uint32_t l;

	b->open = false;
	if (b->overflow) {
		b->len = b->msg;
		b->overflow = false;
		return -EMSGSIZE;
	}
	l = (uint32_t)(b->len - b->msg);
	memcpy(b->buf + b->msg, &l, sizeof(l));
	return 0;
}

/**
 * nlb_error() - NLMSG_ERROR: an error, or the acknowledgement (@error 0)
 * @b:		the builder
 * @r:		the request answered (its header is echoed)
 * @portid:	the requesting socket's port id, the answer's nlmsg_pid
 * @error:	0 or -errno
 * @cap_ack:	NETLINK_CAP_ACK: never echo the request's payload
 * @ext_ack:	NETLINK_EXT_ACK: say @why in NLMSGERR_ATTR_MSG
 * @why:	a message for the user, or NULL
 *
 * As netlink_ack(): an error echoes the whole request unless capped; an
 * acknowledgement only its header.  A request too long to echo here is
 * echoed capped.
 *
 * Return: 0 or -EMSGSIZE
 */
int nlb_error(struct nlbuf *b, const struct nlreq *r, uint32_t portid, int error,
	      bool cap_ack, bool ext_ack, const char *why)
{
	struct nlmsgerr e = { .error = error };
	bool capped = cap_ack || !error;
	int rc;

	memcpy(&e.msg, r->msg, sizeof(e.msg));
	for (;;) {
		uint16_t flags = capped ? NLM_F_CAPPED : 0;
		bool tlv = ext_ack && why && error;

		if (tlv)
			flags |= NLM_F_ACK_TLVS;
		nlb_begin(b, NLMSG_ERROR, flags, r->seq, portid, &e, sizeof(e));
		if (!capped && r->len > NLMSG_HDRLEN)
			nlb_put(b, (const unsigned char *)r->msg + NLMSG_HDRLEN,
				r->len - NLMSG_HDRLEN);
		if (tlv)
			nlb_attr_str(b, NLMSGERR_ATTR_MSG, why);
		rc = nlb_end(b);
		if (rc == 0 || capped)
			return rc;
		capped = true;
	}
}

/**
 * nlb_done() - NLMSG_DONE, the end of a dump
 * @b:		the builder
 * @seq:	the dump request's sequence number
 * @pid:	the requester's port id
 *
 * Return: 0 or -EMSGSIZE
 */
int nlb_done(struct nlbuf *b, uint32_t seq, uint32_t pid)
{
	int zero = 0;

	nlb_begin(b, NLMSG_DONE, NLM_F_MULTI, seq, pid, &zero, sizeof(zero));
	return nlb_end(b);
}
