// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucmsg.c - control messages of datagrams on userspace-stack sockets
 *
 * recvmsg(2): the daemon tells, with a datagram's source, the ancillary
 * attributes its socket asked for (struct sp_anc, version 3 of the stack
 * protocol); ucmsg_build() lays them out as Linux does:
 * - in Linux's order: IP_PKTINFO, IP_TTL, IP_TOS (ip_cmsg_recv_offset());
 *   IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS (ip6_datagram_recv_common_ctl()
 *   then ..._specific_ctl());
 * - IP_TOS's data is one byte, the others' an int or the pktinfo structure;
 * - put_cmsg()'s truncation: with less room than a header left, nothing
 *   and MSG_CTRUNC; with less than the whole message, a header whose
 *   cmsg_len says what fits, the data cut there, MSG_CTRUNC; each message
 *   takes CMSG_SPACE() of the room, or what is left of it.  The padding
 *   is not written: the kernel leaves it as the caller had it.
 * Nothing is ever written past the caller's msg_controllen, whatever its
 * value, nor past UCMSG_RECV_MAX.
 *
 * sendmsg(2): the caller's control data is read once (at most
 * UCMSG_SEND_MAX bytes, ENOBUFS past that) and walked as the kernel walks
 * it (for_each_cmsghdr, CMSG_OK: a message shorter than its header or
 * longer than what is left is EINVAL; a tail shorter than a header is
 * ignored).  ucmsg_parse() checks each message as ip_cmsg_send() and
 * ip6_datagram_send_ctl() do, with their EINVALs, and keeps what the
 * daemon serves: a TTL or hop limit, a TOS or traffic class, a source
 * and an interface.  What it accepts and the daemon does not serve
 * (SO_MARK, timestamps, IPV6_DONTFRAG, flow labels) is checked and
 * dropped; IPv4 options and IPv6 extension headers are refused
 * (EOPNOTSUPP), not sent without them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "childmem.h"
#include "ucmsg.h"

/* linux/in.h and linux/in6.h, which clash with netinet/in.h */
#ifndef IP_PROTOCOL
#define IP_PROTOCOL		52
#endif
#ifndef IPV6_FLOWINFO
#define IPV6_FLOWINFO		11
#endif
#ifndef SO_TIMESTAMPING_NEW
#define SO_TIMESTAMPING_NEW	65
#endif

/*
 * ucmsg_put() - one control message, as put_cmsg() puts it
 * @out:	the messages so far
 * @room:	what is left of the caller's buffer (updated)
 * @level:	cmsg_level
 * @type:	cmsg_type
 * @data:	the data
 * @len:	its length
 */
static void ucmsg_put(struct ucmsg_out *out, uint64_t *room, int level, int type,
		      const void *data, size_t len)
{
	struct cmsghdr h = { .cmsg_level = level, .cmsg_type = type };
	size_t cmlen = CMSG_LEN(len), space = CMSG_SPACE(len);

	if (*room < sizeof(h) || out->nseg >= UCMSG_SEGS ||
	    out->used + space > sizeof(out->buf)) {
		out->flags |= MSG_CTRUNC;
		return;
	}
	if (*room < cmlen) {
		out->flags |= MSG_CTRUNC;
		cmlen = (size_t)*room;
	}
	h.cmsg_len = cmlen;
	memcpy(out->buf + out->used, &h, sizeof(h));
	memcpy(out->buf + out->used + sizeof(h), data, cmlen - sizeof(h));
	out->seg[out->nseg].off = out->used;
	out->seg[out->nseg].len = cmlen;
	out->nseg++;
	if (space > *room)
		space = (size_t)*room;
	out->used += space;
	*room -= space;
}

/**
 * ucmsg_build() - recvmsg's control messages for a datagram
 * @anc:	what the daemon told (present 0: nothing)
 * @domain:	the socket's family: AF_INET or AF_INET6 forms
 * @room:	the caller's msg_controllen (anything: it is only a bound)
 * @out:	the messages, what they take of @room, MSG_CTRUNC
 */
void ucmsg_build(const struct sp_anc *anc, int domain, uint64_t room, struct ucmsg_out *out)
{
	bool v6 = domain == AF_INET6;
	int v;

	memset(out, 0, sizeof(*out));
	if (anc->present & SP_ANC_PKTINFO) {
		if (v6) {
			struct in6_pktinfo pi = { .ipi6_ifindex = anc->ifindex };

			memcpy(&pi.ipi6_addr, anc->addr, sizeof(pi.ipi6_addr));
			ucmsg_put(out, &room, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
		} else {
			struct in_pktinfo pi = { .ipi_ifindex = (int)anc->ifindex };

			memcpy(&pi.ipi_addr, anc->addr + 12, sizeof(pi.ipi_addr));
			memcpy(&pi.ipi_spec_dst, anc->spec_dst, sizeof(pi.ipi_spec_dst));
			ucmsg_put(out, &room, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
		}
	}
	/* an IPv4 datagram on an AF_INET6 socket: PKTINFO only, as Linux */
	if (v6 && (anc->present & SP_ANC_V4))
		return;
	if (anc->present & SP_ANC_TTL) {
		v = anc->ttl;
		ucmsg_put(out, &room, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_HOPLIMIT : IP_TTL,
			  &v, sizeof(v));
	}
	if (anc->present & SP_ANC_TOS) {
		v = anc->tos;
		if (v6)
			ucmsg_put(out, &room, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v));
		else
			ucmsg_put(out, &room, IPPROTO_IP, IP_TOS, &anc->tos, 1);
	}
}

/* an int control message's value, if its length is exactly an int's */
static int ucmsg_int(const struct cmsghdr *h, const unsigned char *data, int *v)
{
	if (h->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EINVAL;
	memcpy(v, data, sizeof(*v));
	return 0;
}

/* SOL_SOCKET's, as __sock_cmsg_send() checks them: none is served */
static int ucmsg_parse_sol(const struct cmsghdr *h)
{
	switch (h->cmsg_type) {
	case SCM_RIGHTS: case SCM_CREDENTIALS:
		return 0;		/* SOL_UNIX's in truth: ignored */
	case SO_MARK: case SO_TIMESTAMPING_OLD: case SO_TIMESTAMPING_NEW: case SO_PRIORITY:
		return h->cmsg_len == CMSG_LEN(sizeof(uint32_t)) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* IPPROTO_IP's, as ip_cmsg_send() checks them */
static int ucmsg_parse_ip(const struct cmsghdr *h, const unsigned char *data,
			  struct sp_anc *anc)
{
	struct in_pktinfo pi;
	int v;

	switch (h->cmsg_type) {
	case IP_PKTINFO:
		if (h->cmsg_len != CMSG_LEN(sizeof(pi)))
			return -EINVAL;
		memcpy(&pi, data, sizeof(pi));
		anc->present |= SP_ANC_PKTINFO;
		anc->ifindex = (uint32_t)pi.ipi_ifindex;
		memset(anc->addr, 0, sizeof(anc->addr));
		anc->addr[10] = anc->addr[11] = 0xff;
		memcpy(anc->addr + 12, &pi.ipi_spec_dst, 4);	/* the source */
		return 0;
	case IP_TTL:
		if (ucmsg_int(h, data, &v) || v < 1 || v > 255)
			return -EINVAL;
		anc->present |= SP_ANC_TTL;
		anc->ttl = (uint8_t)v;
		return 0;
	case IP_TOS:
		if (h->cmsg_len == CMSG_LEN(1))
			v = data[0];
		else if (ucmsg_int(h, data, &v))
			return -EINVAL;
		if (v < 0 || v > 255)
			return -EINVAL;
		anc->present |= SP_ANC_TOS;
		anc->tos = (uint8_t)v;
		return 0;
	case IP_PROTOCOL:
		return ucmsg_int(h, data, &v) || v < 1 || v > 255 ? -EINVAL : 0;
	case IP_RETOPTS:	/* IP options: at most 40 bytes, not served */
		return h->cmsg_len - CMSG_LEN(0) > 40 ? -EINVAL : -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* IPPROTO_IPV6's, as ip6_datagram_send_ctl() checks them */
static int ucmsg_parse_ip6(const struct cmsghdr *h, const unsigned char *data,
			   struct sp_anc *anc)
{
	struct in6_pktinfo pi;
	int v;

	switch (h->cmsg_type) {
	case IPV6_PKTINFO: case IPV6_2292PKTINFO:
		if (h->cmsg_len < CMSG_LEN(sizeof(pi)))
			return -EINVAL;
		memcpy(&pi, data, sizeof(pi));
		anc->present |= SP_ANC_PKTINFO;
		anc->ifindex = (uint32_t)pi.ipi6_ifindex;
		memcpy(anc->addr, &pi.ipi6_addr, sizeof(anc->addr));
		return 0;
	case IPV6_HOPLIMIT: case IPV6_2292HOPLIMIT:
		if (ucmsg_int(h, data, &v) || v < -1 || v > 255)
			return -EINVAL;
		if (v >= 0) {		/* -1: the socket's own */
			anc->present |= SP_ANC_TTL;
			anc->ttl = (uint8_t)v;
		}
		return 0;
	case IPV6_TCLASS:
		if (ucmsg_int(h, data, &v) || v < -1 || v > 255)
			return -EINVAL;
		if (v >= 0) {
			anc->present |= SP_ANC_TOS;
			anc->tos = (uint8_t)v;
		}
		return 0;
	case IPV6_DONTFRAG:
		return ucmsg_int(h, data, &v) || v < -1 || v > 1 ? -EINVAL : 0;
	case IPV6_FLOWINFO:
		return h->cmsg_len < CMSG_LEN(sizeof(uint32_t)) ? -EINVAL : 0;
	case IPV6_2292HOPOPTS: case IPV6_HOPOPTS: case IPV6_2292DSTOPTS: case IPV6_DSTOPTS:
	case IPV6_RTHDRDSTOPTS: case IPV6_2292RTHDR: case IPV6_RTHDR:
		/* extension headers: at least their 2-byte header; not served */
		return h->cmsg_len < CMSG_LEN(2) ? -EINVAL : -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/**
 * ucmsg_parse() - sendmsg's control data, checked as Linux checks it
 * @ctl:	the caller's control data, read already
 * @len:	its length (msg_controllen)
 * @domain:	the socket's family: which level is the IP one
 * @anc:	filled in: what the daemon is to do for this datagram
 *
 * Return: 0, -EINVAL (a malformed message, a bad value, an unknown type
 * of the socket's IP level or of SOL_SOCKET), -EOPNOTSUPP (IP options,
 * IPv6 extension headers)
 */
int ucmsg_parse(const void *ctl, size_t len, int domain, struct sp_anc *anc)
{
	const unsigned char *p = ctl;
	int level = domain == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	size_t off = 0;
	int rc;

	memset(anc, 0, sizeof(*anc));
	while (len - off >= sizeof(struct cmsghdr)) {
		struct cmsghdr h;

		memcpy(&h, p + off, sizeof(h));
		if (h.cmsg_len < sizeof(h) || h.cmsg_len > len - off)
			return -EINVAL;		/* !CMSG_OK */
		if (h.cmsg_level == SOL_SOCKET)
			rc = ucmsg_parse_sol(&h);
		else if (h.cmsg_level != level)
			rc = 0;			/* another level's: skipped */
		else if (domain == AF_INET6)
			rc = ucmsg_parse_ip6(&h, p + off + CMSG_LEN(0), anc);
		else
			rc = ucmsg_parse_ip(&h, p + off + CMSG_LEN(0), anc);
		if (rc < 0)
			return rc;
		if (CMSG_ALIGN(h.cmsg_len) >= len - off)
			break;
		off += CMSG_ALIGN(h.cmsg_len);
	}
	if ((anc->present & SP_ANC_PKTINFO) && domain == AF_INET)
		anc->present |= SP_ANC_V4;
	return 0;
}

/**
 * ucmsg_recv_put() - write recvmsg's control messages and msg_controllen
 * @ref:	the caller and its memory
 * @msghdr:	where its struct msghdr is
 * @anc:	the datagram's attributes
 * @domain:	the socket's family
 * @mflags:	MSG_CTRUNC added when something did not fit
 *
 * A control buffer the caller cannot be written at (msg_control NULL,
 * or unmapped) takes nothing, as a kernel put_cmsg() that faults.
 *
 * Return: 0, or -EFAULT / -ESRCH (the struct msghdr itself)
 */
int ucmsg_recv_put(const struct request_ref *ref, uint64_t msghdr, const struct sp_anc *anc,
		   int domain, int *mflags)
{
	struct ucmsg_out out;
	struct msghdr mh;
	size_t used = 0;
	unsigned int i;
	int rc;

	if (request_read(ref, msghdr, &mh, sizeof(mh)))
		return -EFAULT;
	ucmsg_build(anc, domain, mh.msg_controllen, &out);
	*mflags |= out.flags;
	for (i = 0; i < out.nseg; i++) {
		rc = mh.msg_control ? request_write(ref, (uint64_t)(uintptr_t)mh.msg_control +
						   out.seg[i].off, out.buf + out.seg[i].off,
						   out.seg[i].len) : -EFAULT;
		if (rc == -ESRCH)
			return rc;
		if (rc)
			break;
		used = i + 1 < out.nseg ? out.seg[i + 1].off : out.used;
	}
	return request_write(ref, msghdr + offsetof(struct msghdr, msg_controllen), &used,
			     sizeof(used));
}

/**
 * ucmsg_send_read() - read and parse sendmsg's control data
 * @tid:	the caller
 * @control:	msg_control
 * @controllen:	msg_controllen, untrusted
 * @domain:	the socket's family
 * @anc:	filled in
 *
 * Return: 0, -ENOBUFS (more than UCMSG_SEND_MAX), -ENOMEM, -EFAULT, or
 * ucmsg_parse()'s errors
 */
int ucmsg_send_read(pid_t tid, uint64_t control, uint64_t controllen, int domain,
		    struct sp_anc *anc)
{
	static __thread unsigned char small[256];
	unsigned char *buf = small;
	int rc;

	memset(anc, 0, sizeof(*anc));
	if (!controllen)
		return 0;
	if (controllen >= UCMSG_SEND_MAX)
		return -ENOBUFS;
	if (controllen > sizeof(small)) {
		buf = malloc(controllen);
		if (!buf)
			return -ENOMEM;
	}
	rc = childmem_read(tid, control, buf, (size_t)controllen) ? -EFAULT : 0;
	if (!rc)
		rc = ucmsg_parse(buf, (size_t)controllen, domain, anc);
	if (buf != small)
		free(buf);
	return rc;
}
