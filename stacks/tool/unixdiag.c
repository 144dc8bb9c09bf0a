// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unixdiag.c - the system's UNIX sockets and their peers (sock_diag)
 *
 * One NETLINK_SOCK_DIAG dump (SOCK_DIAG_BY_FAMILY, AF_UNIX, every state,
 * UDIAG_SHOW_PEER | UDIAG_SHOW_NAME; Linux 3.3) lists every UNIX socket of
 * the caller's network namespace with its inode, its peer's inode and
 * whether it has an address.  A socket accepted from a bound listener
 * shares the listener's address, so it shows as named; the ends of a
 * socketpair(2) are unnamed.  This is how netsup-stack tells, among a
 * stack daemon's sockets, its client connections from the socketpairs
 * whose other ends programs hold (what ss -x shows, read the same way).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unixdiag.h"

#define UNIXDIAG_BUF	32768

/**
 * unixdiag_parse() - one unix_diag_msg into a record
 * @m:		the message's payload
 * @len:	its length
 * @s:		receives the socket
 *
 * Return: 0, or -EPROTO for a message too short
 */
static int unixdiag_parse(const struct unix_diag_msg *m, size_t len, struct unixdiag_sock *s)
{
	const struct nlattr *a;
	size_t off = NLMSG_ALIGN(sizeof(*m));

	if (len < sizeof(*m))
		return -EPROTO;
	memset(s, 0, sizeof(*s));
	s->ino = m->udiag_ino;
	s->state = m->udiag_state;
	while (off + sizeof(*a) <= len) {
		a = (const struct nlattr *)((const char *)m + off);
		if (a->nla_len < sizeof(*a) || off + a->nla_len > len)
			break;
		if (a->nla_type == UNIX_DIAG_PEER && a->nla_len >= sizeof(*a) + sizeof(__u32)) {
			__u32 peer;

			memcpy(&peer, (const char *)a + NLA_HDRLEN, sizeof(peer));
			s->peer = peer;
		} else if (a->nla_type == UNIX_DIAG_NAME && a->nla_len > NLA_HDRLEN) {
			s->named = true;
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

/**
 * unixdiag_add() - append a socket to the result
 * @out:	the array, grown
 * @n:		its length, updated
 * @cap:	its capacity, updated
 * @s:		the socket
 *
 * Return: 0, or -ENOMEM
 */
static int unixdiag_add(struct unixdiag_sock **out, size_t *n, size_t *cap,
			const struct unixdiag_sock *s)
{
	struct unixdiag_sock *more;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		more = realloc(*out, *cap * sizeof(**out));
		if (!more)
			return -ENOMEM;
		*out = more;
	}
	(*out)[(*n)++] = *s;
	return 0;
}

/**
 * unixdiag_dump() - every UNIX socket of this namespace, with its peer
 * @out:	receives the array (malloc; free() it), NULL when empty
 * @n:		receives its length
 *
 * Return: 0, or -errno (-EPROTO for a malformed answer)
 */
int unixdiag_dump(struct unixdiag_sock **out, size_t *n)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.r = { .sdiag_family = AF_UNIX, .udiag_states = ~0U,
		       .udiag_show = UDIAG_SHOW_PEER | UDIAG_SHOW_NAME },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct unixdiag_sock s;
	size_t cap = 0;
	char *buf;
	int fd, rc = 0;
	bool done = false;

	*out = NULL;
	*n = 0;
	buf = malloc(UNIXDIAG_BUF);
	if (!buf)
		return -ENOMEM;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		rc = -errno;
	while (!rc && !done) {
		ssize_t got = recv(fd, buf, UNIXDIAG_BUF, 0);
		size_t len = got > 0 ? (size_t)got : 0;
		struct nlmsghdr *h;

		if (got < 0) {
			rc = errno == EINTR ? 0 : -errno;
			continue;
		}
		if (got == 0) {
			rc = -EPROTO;	/* the dump ended without NLMSG_DONE */
			continue;
		}
		for (h = (struct nlmsghdr *)buf; !rc && NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				rc = h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error ? e->error : -EPROTO;
				break;
			}
			rc = unixdiag_parse(NLMSG_DATA(h), h->nlmsg_len - NLMSG_LENGTH(0), &s);
			if (!rc)
				rc = unixdiag_add(out, n, &cap, &s);
		}
	}
	close(fd);
	free(buf);
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
