// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlmsg_test - the rtnetlink decoder and builder of netsup-lwip
 * (stacks/lwip/nlmsg.c), built into this program: it has no lwIP in it.
 *
 * The requests are laid out as iproute2 and glibc send them; hostile ones
 * are cut, lengthened and corrupted byte by byte, and every one of them
 * must be refused or decoded within its datagram (run under ASan by make
 * fuzz as well: tests/fuzz/fuzz_nlmsg.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>

#include "unit.h"
#include "../../stacks/lwip/nlmsg.c"

/* A request under construction: header, body, attributes. */
struct req {
	unsigned char buf[512];
	size_t len;
};

static void req_begin(struct req *q, uint16_t type, uint16_t flags, const void *body, size_t n)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = 7,
			      .nlmsg_pid = 0 };

	memset(q, 0, sizeof(*q));
	memcpy(q->buf, &h, sizeof(h));
	memcpy(q->buf + sizeof(h), body, n);
	q->len = NLMSG_ALIGN(sizeof(h) + n);
}

static void req_attr(struct req *q, uint16_t type, const void *data, size_t n)
{
	struct rtattr a = { .rta_len = (unsigned short)(sizeof(a) + n), .rta_type = type };

	memcpy(q->buf + q->len, &a, sizeof(a));
	memcpy(q->buf + q->len + sizeof(a), data, n);
	q->len += RTA_ALIGN(sizeof(a) + n);
}

static void req_end(struct req *q)
{
	uint32_t l = (uint32_t)q->len;

	memcpy(q->buf, &l, sizeof(l));
}

/* ip -4 addr add 10.1.2.3/24 dev 2: decoded field by field */
static void test_newaddr(void)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 2 };
	uint32_t a = inet_addr("10.1.2.3");
	struct nlreq r;
	struct req q;
	size_t off = 0;

	req_begin(&q, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		  &ifa, sizeof(ifa));
	req_attr(&q, IFA_LOCAL, &a, 4);
	req_attr(&q, IFA_ADDRESS, &a, 4);
	req_attr(&q, IFA_LABEL, "eth0", 5);
	req_end(&q);
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, 0);
	UNIT_EQ(r.kind, NLREQ_ADDR);
	UNIT_EQ(r.family, AF_INET);
	UNIT_EQ(r.prefixlen, 24);
	UNIT_EQ(r.ifa_index, 2);
	UNIT_CHECK(r.has_local && !memcmp(r.local, &a, 4));
	UNIT_STREQ(r.label, "eth0");
	UNIT_EQ(r.seq, 7);
	UNIT_EQ(off, q.len);
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 0);
}

/* an IPv4 address of 16 bytes, a u32 of 2, a name of 16 characters: EINVAL */
static void test_bad_attr_sizes(void)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 2 };
	struct rtmsg rtm = { .rtm_family = AF_INET6 };
	struct ifinfomsg ifi = { .ifi_index = 1 };
	unsigned char big[16] = { 1 };
	struct nlreq r;
	struct req q;
	size_t off;

	req_begin(&q, RTM_NEWADDR, NLM_F_REQUEST, &ifa, sizeof(ifa));
	req_attr(&q, IFA_LOCAL, big, 16);
	req_end(&q);
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);

	req_begin(&q, RTM_NEWROUTE, NLM_F_REQUEST, &rtm, sizeof(rtm));
	req_attr(&q, RTA_OIF, big, 2);
	req_end(&q);
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);

	req_begin(&q, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	req_attr(&q, IFLA_IFNAME, "abcdefghijklmnop", 16);	/* no room for the NUL */
	req_end(&q);
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);

	req_begin(&q, RTM_GETLINK, NLM_F_REQUEST, &ifi, sizeof(ifi));
	req_attr(&q, IFLA_IFNAME, "lo\0x", 4);	/* bytes after the NUL */
	req_end(&q);
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);

	req_begin(&q, RTM_NEWROUTE, NLM_F_REQUEST, &rtm, sizeof(rtm));
	req_attr(&q, RTA_MULTIPATH, big, 8);	/* nexthops lwIP cannot keep */
	req_end(&q);
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EOPNOTSUPP);
}

/* glibc's getifaddrs: a struct rtgenmsg, one byte, for a dump */
static void test_rtgenmsg_dump(void)
{
	struct rtgenmsg g = { .rtgen_family = AF_PACKET };
	struct nlreq r;
	struct req q;
	size_t off = 0;

	req_begin(&q, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &g, sizeof(g));
	q.len = NLMSG_LENGTH(sizeof(g));	/* 17, as glibc says */
	req_end(&q);
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, 0);
	UNIT_CHECK(r.short_body);
	UNIT_EQ(r.family, AF_PACKET);
	/* the same short body in a NEW: malformed */
	req_begin(&q, RTM_NEWADDR, NLM_F_REQUEST, &g, sizeof(g));
	q.len = NLMSG_LENGTH(sizeof(g));
	req_end(&q);
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);
}

/* two messages in a datagram, then a stray tail that is ignored */
static void test_batch_and_tail(void)
{
	struct ifinfomsg ifi = { 0 };
	unsigned char dg[256];
	struct nlreq r;
	struct req q;
	size_t off = 0, n;

	req_begin(&q, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, &ifi, sizeof(ifi));
	req_end(&q);
	n = q.len;
	memcpy(dg, q.buf, n);
	memcpy(dg + n, q.buf, n);
	memcpy(dg + 2 * n, q.buf, 10);		/* a truncated third header */
	UNIT_EQ(nlmsg_next(dg, 2 * n + 10, &off, &r), 1);
	UNIT_EQ(nlmsg_next(dg, 2 * n + 10, &off, &r), 1);
	UNIT_EQ(nlmsg_next(dg, 2 * n + 10, &off, &r), 0);
	/* an nlmsg_len past the datagram: nothing */
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len - 1, &off, &r), 0);
	/* an nlmsg_len below the header: nothing, and no loop */
	memset(dg, 0, 16);
	off = 0;
	UNIT_EQ(nlmsg_next(dg, 64, &off, &r), 0);
}

/* an attribute whose rta_len runs past its message */
static void test_attr_overrun(void)
{
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct rtattr a = { .rta_len = 200, .rta_type = RTA_DST };
	struct nlreq r;
	struct req q;
	size_t off = 0;

	req_begin(&q, RTM_NEWROUTE, NLM_F_REQUEST, &rtm, sizeof(rtm));
	memcpy(q.buf + q.len, &a, sizeof(a));
	q.len += 8;
	req_end(&q);
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);
	/* and one of length 2, which would never advance */
	a.rta_len = 2;
	memcpy(q.buf + q.len - 8, &a, sizeof(a));
	off = 0;
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	UNIT_EQ(r.error, -EINVAL);
}

/* every cut and every single-byte corruption of a good request decodes
 * within the buffer, or is refused (ASan in the fuzz target says more) */
static void test_hostile_bytes(void)
{
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = 0, .rtm_table = RT_TABLE_MAIN };
	uint32_t gw = inet_addr("10.0.0.1"), oif = 2;
	unsigned char *copy;
	struct nlreq r;
	struct req q;
	size_t cut, i, off;
	int v, msgs;

	req_begin(&q, RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK, &rtm, sizeof(rtm));
	req_attr(&q, RTA_GATEWAY, &gw, 4);
	req_attr(&q, RTA_OIF, &oif, 4);
	req_end(&q);
	for (cut = 0; cut <= q.len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, q.buf, cut);
		off = 0;
		msgs = 0;
		while (nlmsg_next(copy, cut, &off, &r) == 1 && msgs < 100) {
			UNIT_CHECK(off <= cut);
			msgs++;
		}
		UNIT_CHECK(msgs <= 1);
		free(copy);
	}
	for (i = 0; i < q.len; i++)
		for (v = 0; v < 256; v += 17) {
			unsigned char c[sizeof(q.buf)];

			memcpy(c, q.buf, q.len);
			c[i] = (unsigned char)v;
			off = 0;
			msgs = 0;
			while (nlmsg_next(c, q.len, &off, &r) == 1 && msgs < 100) {
				UNIT_CHECK(off <= q.len);
				UNIT_CHECK(r.len <= q.len);
				msgs++;
			}
			UNIT_CHECK(msgs <= 1);
		}
}

/* the builder: a message that does not fit is taken back whole */
static void test_builder_rollback(void)
{
	unsigned char buf[64];
	struct ifinfomsg ifi = { .ifi_index = 1 };
	struct nlbuf b;
	struct nlmsghdr h;

	nlb_init(&b, buf, sizeof(buf));
	nlb_begin(&b, RTM_NEWLINK, NLM_F_MULTI, 1, 99, &ifi, sizeof(ifi));
	nlb_attr_str(&b, IFLA_IFNAME, "lo");
	UNIT_EQ(nlb_end(&b), 0);
	UNIT_EQ(b.len, 16 + 16 + 8);
	memcpy(&h, buf, sizeof(h));
	UNIT_EQ(h.nlmsg_len, 40);
	UNIT_EQ(h.nlmsg_pid, 99);
	nlb_begin(&b, RTM_NEWLINK, NLM_F_MULTI, 1, 99, &ifi, sizeof(ifi));
	nlb_attr_str(&b, IFLA_IFNAME, "a-name-too-long-for-what-is-left");
	UNIT_EQ(nlb_end(&b), -EMSGSIZE);
	UNIT_EQ(b.len, 40);
	UNIT_EQ(nlb_done(&b, 1, 99), 0);
	UNIT_EQ(b.len, 60);
}

/* NLMSG_ERROR: the request echoed, capped for an acknowledgement, and
 * the message of an extended ack */
static void test_error_reply(void)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 2 };
	uint32_t a = inet_addr("10.1.2.3");
	unsigned char buf[512];
	struct nlmsgerr e;
	struct nlmsghdr h;
	struct nlbuf b;
	struct nlreq r;
	struct req q;
	size_t off = 0;

	req_begin(&q, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK, &ifa, sizeof(ifa));
	req_attr(&q, IFA_LOCAL, &a, 4);
	req_end(&q);
	UNIT_EQ(nlmsg_next(q.buf, q.len, &off, &r), 1);
	nlb_init(&b, buf, sizeof(buf));
	UNIT_EQ(nlb_error(&b, &r, 5, 0, false, true, "why"), 0);
	memcpy(&h, buf, sizeof(h));
	memcpy(&e, buf + sizeof(h), sizeof(e));
	UNIT_EQ(h.nlmsg_type, NLMSG_ERROR);
	UNIT_EQ(h.nlmsg_flags, NLM_F_CAPPED);
	UNIT_EQ(h.nlmsg_len, 16 + sizeof(e));
	UNIT_EQ(e.error, 0);
	UNIT_EQ(e.msg.nlmsg_seq, 7);
	nlb_init(&b, buf, sizeof(buf));
	UNIT_EQ(nlb_error(&b, &r, 5, -EPERM, false, true, "why"), 0);
	memcpy(&h, buf, sizeof(h));
	UNIT_EQ(h.nlmsg_flags, NLM_F_ACK_TLVS);
	UNIT_EQ(h.nlmsg_len, 16 + sizeof(e) + (q.len - 16) + 8);
	UNIT_CHECK(!memcmp(buf + h.nlmsg_len - 4, "why", 4));
	/* no room to echo the request: capped */
	nlb_init(&b, buf, 40);
	UNIT_EQ(nlb_error(&b, &r, 5, -EPERM, false, false, NULL), 0);
	memcpy(&h, buf, sizeof(h));
	UNIT_EQ(h.nlmsg_flags, NLM_F_CAPPED);
}

int main(int argc, char **argv)
{
	static const struct unit_case cases[] = {
		{ "nlmsg: ip addr add, decoded", test_newaddr },
		{ "nlmsg: attributes of the wrong size are EINVAL", test_bad_attr_sizes },
		{ "nlmsg: a one-byte rtgenmsg dump is read, a short NEW refused", test_rtgenmsg_dump },
		{ "nlmsg: several messages a datagram, a stray tail ignored", test_batch_and_tail },
		{ "nlmsg: an attribute past its message is EINVAL", test_attr_overrun },
		{ "nlmsg: cut and corrupted requests stay within their datagram", test_hostile_bytes },
		{ "nlmsg: a message that does not fit is taken back whole", test_builder_rollback },
		{ "nlmsg: errors echo the request, acks only its header", test_error_reply },
	};

	return unit_main(cases, UNIT_ARRAY_SIZE(cases), argc, argv);
}
