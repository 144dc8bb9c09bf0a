// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucmsg_test - recvmsg's control messages built, sendmsg's parsed, for
 * userspace-stack sockets: Linux's order, put_cmsg()'s truncation, the
 * kernel's checks, and bounds whatever the caller's lengths say
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "unit.h"
#include "ucmsg.h"

/* every attribute, for an IPv4 (@v4) or IPv6 datagram */
static struct sp_anc full_anc(bool v4)
{
	struct sp_anc a = { .present = SP_ANC_TTL | SP_ANC_TOS | SP_ANC_PKTINFO,
			    .ttl = 9, .tos = 0x20, .ifindex = 3 };

	if (v4) {
		a.present |= SP_ANC_V4;
		a.addr[10] = a.addr[11] = 0xff;
		a.addr[12] = 10;
		a.addr[15] = 2;
		a.spec_dst[0] = 10;
		a.spec_dst[3] = 2;
	} else {
		a.addr[0] = 0xfd;
		a.addr[15] = 2;
	}
	return a;
}

/* the header of segment @i */
static struct cmsghdr seg_hdr(const struct ucmsg_out *o, unsigned int i)
{
	struct cmsghdr h;

	memcpy(&h, o->buf + o->seg[i].off, sizeof(h));
	return h;
}

static void recv_v4_order_and_sizes(void)
{
	struct sp_anc a = full_anc(true);
	struct ucmsg_out o;
	struct in_pktinfo pi;
	struct cmsghdr h;
	int ttl;

	ucmsg_build(&a, AF_INET, 256, &o);
	UNIT_EQ(o.nseg, 3);
	UNIT_EQ(o.flags, 0);
	UNIT_EQ(o.used, CMSG_SPACE(sizeof(pi)) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(1));
	h = seg_hdr(&o, 0);
	UNIT_EQ(h.cmsg_level, IPPROTO_IP);
	UNIT_EQ(h.cmsg_type, IP_PKTINFO);
	UNIT_EQ(h.cmsg_len, CMSG_LEN(sizeof(pi)));
	memcpy(&pi, o.buf + o.seg[0].off + CMSG_LEN(0), sizeof(pi));
	UNIT_EQ(pi.ipi_ifindex, 3);
	UNIT_EQ(pi.ipi_addr.s_addr, htonl(0x0a000002));
	UNIT_EQ(pi.ipi_spec_dst.s_addr, htonl(0x0a000002));
	h = seg_hdr(&o, 1);
	UNIT_EQ(h.cmsg_type, IP_TTL);
	UNIT_EQ(o.seg[1].off, CMSG_SPACE(sizeof(pi)));
	memcpy(&ttl, o.buf + o.seg[1].off + CMSG_LEN(0), sizeof(ttl));
	UNIT_EQ(ttl, 9);
	h = seg_hdr(&o, 2);
	UNIT_EQ(h.cmsg_type, IP_TOS);
	UNIT_EQ(h.cmsg_len, CMSG_LEN(1));	/* one byte, as Linux */
	UNIT_EQ(o.buf[o.seg[2].off + CMSG_LEN(0)], 0x20);
}

static void recv_v6_order_and_mapped(void)
{
	struct sp_anc a = full_anc(false);
	struct ucmsg_out o;
	int types[3], i;

	ucmsg_build(&a, AF_INET6, 256, &o);
	UNIT_EQ(o.nseg, 3);
	for (i = 0; i < 3; i++) {
		struct cmsghdr h = seg_hdr(&o, (unsigned int)i);

		UNIT_EQ(h.cmsg_level, IPPROTO_IPV6);
		types[i] = h.cmsg_type;
	}
	UNIT_EQ(types[0], IPV6_PKTINFO);
	UNIT_EQ(types[1], IPV6_HOPLIMIT);
	UNIT_EQ(types[2], IPV6_TCLASS);
	/* an IPv4 datagram on an AF_INET6 socket: the mapped PKTINFO only */
	a = full_anc(true);
	ucmsg_build(&a, AF_INET6, 256, &o);
	UNIT_EQ(o.nseg, 1);
	UNIT_EQ(seg_hdr(&o, 0).cmsg_len, CMSG_LEN(sizeof(struct in6_pktinfo)));
	UNIT_EQ(o.buf[CMSG_LEN(0) + 10], 0xff);
}

static void recv_nothing_takes_nothing(void)
{
	struct sp_anc a = { 0 };
	struct ucmsg_out o;

	ucmsg_build(&a, AF_INET, 0, &o);
	UNIT_EQ(o.nseg, 0);
	UNIT_EQ(o.used, 0);
	UNIT_EQ(o.flags, 0);	/* nothing was cut: no MSG_CTRUNC */
}

/* put_cmsg(): the cases of CPython's testSingleCmsgTrunc* and Linux's */
static void recv_truncation_as_put_cmsg(void)
{
	struct sp_anc a = full_anc(true);
	size_t pkt = CMSG_SPACE(sizeof(struct in_pktinfo));
	struct ucmsg_out o;

	ucmsg_build(&a, AF_INET, sizeof(struct cmsghdr) - 1, &o);	/* no header fits */
	UNIT_EQ(o.nseg, 0);
	UNIT_EQ(o.used, 0);
	UNIT_EQ(o.flags, MSG_CTRUNC);
	ucmsg_build(&a, AF_INET, CMSG_LEN(0) + 1, &o);		/* one byte of data */
	UNIT_EQ(o.nseg, 1);
	UNIT_EQ(seg_hdr(&o, 0).cmsg_len, CMSG_LEN(0) + 1);
	UNIT_EQ(o.seg[0].len, CMSG_LEN(0) + 1);
	UNIT_EQ(o.used, CMSG_LEN(0) + 1);
	UNIT_EQ(o.flags, MSG_CTRUNC);
	ucmsg_build(&a, AF_INET, pkt + 8, &o);			/* less than a header left */
	UNIT_EQ(o.nseg, 1);
	UNIT_EQ(o.used, pkt);
	UNIT_EQ(o.flags, MSG_CTRUNC);
	ucmsg_build(&a, AF_INET, pkt + CMSG_LEN(sizeof(int)) - 2, &o);	/* the second cut */
	UNIT_EQ(o.nseg, 2);
	UNIT_EQ(seg_hdr(&o, 1).cmsg_len, CMSG_LEN(sizeof(int)) - 2);
	UNIT_EQ(o.used, pkt + CMSG_LEN(sizeof(int)) - 2);
	UNIT_EQ(o.flags, MSG_CTRUNC);
	ucmsg_build(&a, AF_INET, pkt + CMSG_LEN(sizeof(int)), &o);	/* exact, no padding */
	UNIT_EQ(o.nseg, 2);
	UNIT_EQ(o.used, pkt + CMSG_LEN(sizeof(int)));
	UNIT_EQ(o.flags, MSG_CTRUNC);		/* the third did not fit */
}

/* whatever msg_controllen says, nothing goes past it or past the buffer */
static void recv_bounded_by_any_room(void)
{
	const uint64_t hostile[] = { UINT64_MAX, (uint64_t)INT64_MAX + 1, UINT32_MAX, 1ULL << 40 };
	struct sp_anc a = full_anc(false);
	struct ucmsg_out o;
	uint64_t room;
	size_t i;
	unsigned int s;

	for (room = 0; room < 200; room++) {
		ucmsg_build(&a, AF_INET6, room, &o);
		UNIT_CHECK(o.used <= room);
		UNIT_CHECK(o.used <= sizeof(o.buf));
		for (s = 0; s < o.nseg; s++)
			UNIT_CHECK(o.seg[s].off + o.seg[s].len <= o.used);
		/* the last one needs no padding: 40 + 24 + 20 */
		UNIT_EQ(!!(o.flags & MSG_CTRUNC), room < 84);
	}
	for (i = 0; i < UNIT_ARRAY_SIZE(hostile); i++) {
		ucmsg_build(&a, AF_INET6, hostile[i], &o);
		UNIT_EQ(o.used, 88);
		UNIT_EQ(o.flags, 0);
	}
}

/* a control message into @buf at @off; cmsg_len @cmlen */
static size_t put(unsigned char *buf, size_t off, int level, int type, const void *data,
		  size_t len, size_t cmlen)
{
	struct cmsghdr h = { .cmsg_len = cmlen, .cmsg_level = level, .cmsg_type = type };

	memcpy(buf + off, &h, sizeof(h));
	memcpy(buf + off + CMSG_LEN(0), data, len);
	return off + CMSG_SPACE(len);
}

static void send_values_kept(void)
{
	unsigned char buf[256] = { 0 };
	struct in_pktinfo pi = { .ipi_ifindex = 4 };
	struct sp_anc a;
	int ttl = 7;
	unsigned char tos = 0x10;
	size_t n;

	pi.ipi_spec_dst.s_addr = htonl(0x7f000001);
	n = put(buf, 0, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl), CMSG_LEN(sizeof(ttl)));
	n = put(buf, n, IPPROTO_IP, IP_TOS, &tos, 1, CMSG_LEN(1));
	n = put(buf, n, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi), CMSG_LEN(sizeof(pi)));
	n = put(buf, n, IPPROTO_IPV6, IPV6_TCLASS, &ttl, sizeof(ttl), CMSG_LEN(sizeof(ttl)));
	UNIT_EQ(ucmsg_parse(buf, n, AF_INET, &a), 0);
	UNIT_EQ(a.present, SP_ANC_TTL | SP_ANC_TOS | SP_ANC_PKTINFO | SP_ANC_V4);
	UNIT_EQ(a.ttl, 7);
	UNIT_EQ(a.tos, 0x10);
	UNIT_EQ(a.ifindex, 4);
	UNIT_EQ(a.addr[11], 0xff);
	UNIT_EQ(a.addr[12], 127);
	UNIT_EQ(a.addr[15], 1);
	UNIT_EQ(ucmsg_parse(buf, 0, AF_INET, &a), 0);
	UNIT_EQ(a.present, 0);
}

static void send_ipv6_default_values(void)
{
	unsigned char buf[64] = { 0 };
	struct sp_anc a;
	int v = -1;
	size_t n = put(buf, 0, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v), CMSG_LEN(sizeof(v)));

	n = put(buf, n, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, n, AF_INET6, &a), 0);
	UNIT_EQ(a.present, 0);		/* -1: the socket's own */
	v = 256;
	put(buf, 0, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET6, &a), -EINVAL);
}

/* CPython's testOddCmsgSize and the kernel's CMSG_OK */
static void send_odd_lengths(void)
{
	unsigned char buf[64] = { 0 };
	struct sp_anc a;
	int v = 5;
	unsigned char b = 5;

	put(buf, 0, IPPROTO_IP, IP_TTL, &v, sizeof(v), CMSG_LEN(sizeof(v)) + 1);
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), -EINVAL);
	put(buf, 0, IPPROTO_IP, IP_TTL, &v, sizeof(v), CMSG_LEN(sizeof(v)) + 9);
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), -EINVAL);	/* past the end */
	put(buf, 0, IPPROTO_IP, IP_TTL, &v, sizeof(v), sizeof(struct cmsghdr) - 1);
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), -EINVAL);	/* shorter than a header */
	put(buf, 0, IPPROTO_IP, IP_TTL, &b, 1, CMSG_LEN(1));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(1), AF_INET, &a), -EINVAL);		/* IP_TTL is an int */
	put(buf, 0, IPPROTO_IP, IP_TOS, &v, 2, CMSG_LEN(2));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(2), AF_INET, &a), -EINVAL);
	put(buf, 0, IPPROTO_IP, IP_TTL, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, CMSG_LEN(sizeof(v)), AF_INET, &a), 0);	/* no padding at the end */
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)) + 15, AF_INET, &a), 0);	/* a tail: ignored */
	UNIT_EQ(ucmsg_parse(buf, sizeof(struct cmsghdr) - 1, AF_INET, &a), 0);	/* no header: nothing */
	v = 0;
	put(buf, 0, IPPROTO_IP, IP_TTL, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), -EINVAL);
	put(buf, 0, IPPROTO_IP, 99, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), -EINVAL);
	put(buf, 0, SOL_SOCKET, 99, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), -EINVAL);
	put(buf, 0, IPPROTO_TCP, 1, &v, sizeof(v), CMSG_LEN(sizeof(v)));
	UNIT_EQ(ucmsg_parse(buf, CMSG_SPACE(sizeof(v)), AF_INET, &a), 0);	/* another level */
}

/* a cmsg_len whose alignment would wrap, random bytes: no read past @len */
static void send_hostile_bytes(void)
{
	unsigned char *buf;
	struct cmsghdr h = { .cmsg_len = SIZE_MAX, .cmsg_level = IPPROTO_IP, .cmsg_type = IP_TTL };
	struct sp_anc a;
	unsigned int seed = 1;
	int i, rc;
	size_t len, j;

	UNIT_EQ(ucmsg_parse(&h, sizeof(h), AF_INET, &a), -EINVAL);
	h.cmsg_len = SIZE_MAX - 3;
	UNIT_EQ(ucmsg_parse(&h, sizeof(h), AF_INET6, &a), -EINVAL);
	for (i = 0; i < 20000; i++) {
		len = (size_t)rand_r(&seed) % 97;
		buf = malloc(len ? len : 1);	/* exact size: ASan sees any overread */
		if (!buf)
			return;
		for (j = 0; j < len; j++)
			buf[j] = (unsigned char)rand_r(&seed);
		if (len >= sizeof(h) && rand_r(&seed) % 2) {
			h.cmsg_len = (size_t)rand_r(&seed) % (len + 8);
			h.cmsg_level = rand_r(&seed) % 2 ? IPPROTO_IP : IPPROTO_IPV6;
			h.cmsg_type = rand_r(&seed) % 70;
			memcpy(buf, &h, sizeof(h));
		}
		rc = ucmsg_parse(buf, len, i % 2 ? AF_INET : AF_INET6, &a);
		UNIT_CHECK(rc == 0 || rc == -EINVAL || rc == -EOPNOTSUPP);
		UNIT_CHECK(!(a.present & ~(uint32_t)SP_ANC_ALL));
		free(buf);
	}
}

static void send_too_much_control_data(void)
{
	struct sp_anc a;

	UNIT_EQ(ucmsg_send_read(getpid(), 0, UCMSG_SEND_MAX, AF_INET, &a), -ENOBUFS);
	UNIT_EQ(ucmsg_send_read(getpid(), 0, UINT64_MAX, AF_INET, &a), -ENOBUFS);
	UNIT_EQ(ucmsg_send_read(getpid(), 0, 0, AF_INET, &a), 0);
	UNIT_EQ(a.present, 0);
}

int main(int argc, char **argv)
{
	static const struct unit_case cases[] = {
		{ "recv_v4_order_and_sizes", recv_v4_order_and_sizes },
		{ "recv_v6_order_and_mapped", recv_v6_order_and_mapped },
		{ "recv_nothing_takes_nothing", recv_nothing_takes_nothing },
		{ "recv_truncation_as_put_cmsg", recv_truncation_as_put_cmsg },
		{ "recv_bounded_by_any_room", recv_bounded_by_any_room },
		{ "send_values_kept", send_values_kept },
		{ "send_ipv6_default_values", send_ipv6_default_values },
		{ "send_odd_lengths", send_odd_lengths },
		{ "send_hostile_bytes", send_hostile_bytes },
		{ "send_too_much_control_data", send_too_much_control_data },
	};

	return unit_main(cases, UNIT_ARRAY_SIZE(cases), argc, argv);
}
