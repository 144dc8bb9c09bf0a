// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * route.c - which stack a connection goes through, by its destination
 *
 * `--route CIDR=STACK` sends connections to CIDR through STACK (move.c
 * replaces the socket at connect()).  A table holds the rules of a
 * session, IPv4 and IPv6 apart; the rule with the longest prefix that
 * holds the destination wins, as in a routing table.  An IPv4-mapped IPv6
 * destination (::ffff:10.8.0.1, an AF_INET6 socket reaching an IPv4 host)
 * is matched against the IPv4 rules.  --user-net adds rules of its own
 * (usernet.c): its private network stays in lwIP, the rest goes to the
 * host.  Pure functions: the parser and the matcher are unit-tested
 * (tests/unit/route_test.c).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

/* Are the bits of @a past @prefix all zero? */
static bool route_host_bits_zero(const unsigned char *a, size_t alen, unsigned int prefix)
{
	size_t i;

	for (i = prefix / 8; i < alen; i++) {
		unsigned char mask = i == prefix / 8 ? (unsigned char)(0xff >> (prefix % 8)) : 0xff;

		if (a[i] & mask)
			return false;
	}
	return true;
}

/* Do the first @prefix bits of @a and @b agree? */
static bool route_prefix_eq(const unsigned char *a, const unsigned char *b, unsigned int prefix)
{
	unsigned int whole = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return !rest || !((a[whole] ^ b[whole]) & (unsigned char)(0xff << (8 - rest)));
}

/**
 * route_parse() - one --route argument
 * @spec:	"CIDR=STACK": 10.8.0.0/16=vpn, fd00:1::/32=/run/netns/x; an
 *		address without /LEN is one host (/32, /128)
 * @r:		receives the network (action ROUTE_STACK, no stack yet)
 * @stack:	receives the STACK part, pointing into @spec
 *
 * Return: 0, or -EINVAL (no '=', an empty STACK, not an address, a length
 *	   past 32 or 128, bits set past the length: 10.8.1.0/16)
 */
int route_parse(const char *spec, struct route *r, const char **stack)
{
	const char *eq = strchr(spec, '=');
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long prefix;
	size_t alen;

	memset(r, 0, sizeof(*r));
	if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, spec, (size_t)(eq - spec));
	buf[eq - spec] = '\0';
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, r->addr) == 1) {
		r->family = AF_INET;
		alen = 4;
	} else if (inet_pton(AF_INET6, buf, r->addr) == 1) {
		r->family = AF_INET6;
		alen = 16;
	} else {
		return -EINVAL;
	}
	prefix = alen * 8;
	if (slash) {
		if (*slash < '0' || *slash > '9')
			return -EINVAL;
		errno = 0;
		prefix = strtoul(slash, &end, 10);
		if (errno || *end || prefix > alen * 8)
			return -EINVAL;
	}
	r->prefix = (unsigned int)prefix;
	if (!route_host_bits_zero(r->addr, alen, r->prefix))
		return -EINVAL;
	r->action = ROUTE_STACK;
	r->keep_bind = true;
	*stack = eq + 1;
	return 0;
}

/**
 * route_add() - add a rule to a table
 * @t:		the table
 * @r:		the rule, copied (its stack reference goes to the table)
 *
 * Return: 0, -EEXIST (the same network twice), -E2BIG (past ROUTE_MAX)
 */
int route_add(struct route_table *t, const struct route *r)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->r[i].family == r->family && t->r[i].prefix == r->prefix &&
		    !memcmp(t->r[i].addr, r->addr, sizeof(r->addr)))
			return -EEXIST;
	if (t->n >= ROUTE_MAX)
		return -E2BIG;
	t->r[t->n++] = *r;
	return 0;
}

/**
 * route_match() - the rule for a destination: the most specific one
 * @t:		the table, or NULL
 * @sa:		the address connect() was given
 * @len:	its length
 *
 * Return: the rule, or NULL (no rule holds it, not an inet address, too
 *	   short)
 */
const struct route *route_match(const struct route_table *t, const struct sockaddr *sa,
				socklen_t len)
{
	const struct route *best = NULL;
	const unsigned char *a;
	int family;
	size_t i;

	if (!t || len < sizeof(sa_family_t))
		return NULL;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		family = AF_INET;
		a = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		family = IN6_IS_ADDR_V4MAPPED(a6) ? AF_INET : AF_INET6;
		a = family == AF_INET ? a6->s6_addr + 12 : a6->s6_addr;
	} else {
		return NULL;
	}
	for (i = 0; i < t->n; i++) {
		const struct route *r = &t->r[i];

		if (r->family == family && (!best || r->prefix > best->prefix) &&
		    route_prefix_eq(r->addr, a, r->prefix))
			best = r;
	}
	return best;
}

/**
 * route_format() - a rule's network as CIDR, for messages
 * @r:		the rule
 * @buf:	receives "10.8.0.0/16"
 * @len:	its size
 *
 * Return: 0 or -ENOSPC
 */
int route_format(const struct route *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int n;

	if (!inet_ntop(r->family, r->addr, a, sizeof(a)))
		return -ENOSPC;
	n = snprintf(buf, len, "%s/%u", a, r->prefix);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/**
 * route_table_free() - drop the stacks of a table's rules, empty it
 * @t:		the table, or NULL
 */
void route_table_free(struct route_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		stack_put(t->r[i].s);
	t->n = 0;
	stack_put(t->host);
	stack_put(t->user);
	t->host = t->user = NULL;
	t->npub = 0;
}
