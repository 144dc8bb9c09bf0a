// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * route_test - unit tests of --route's parser and matcher (route.c)
 *
 * route_parse() on good and bad CIDR=STACK arguments, table-driven;
 * route_match() on a table of IPv4 and IPv6 rules: the most specific wins
 * whatever the order, IPv4-mapped IPv6 destinations match IPv4 rules,
 * anything not inet matches nothing.  No privilege needed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "route.h"
#include "usernet.h"
#include "unit.h"

static const struct {
	const char *spec;
	int rc;
	int family;
	unsigned int prefix;
	const char *stack;
} parse_cases[] = {
	{ "10.8.0.0/16=vpn", 0, AF_INET, 16, "vpn" },
	{ "10.8.1.2=b", 0, AF_INET, 32, "b" },
	{ "0.0.0.0/0=/run/netns/x", 0, AF_INET, 0, "/run/netns/x" },
	{ "fd00:1::/32=/run/netns/a=b", 0, AF_INET6, 32, "/run/netns/a=b" },
	{ "::/0=all", 0, AF_INET6, 0, "all" },
	{ "::1=lo", 0, AF_INET6, 128, "lo" },
	{ "10.8.1.0/16=b", -EINVAL, 0, 0, NULL },	/* bits past the length */
	{ "10.8.0.0/33=b", -EINVAL, 0, 0, NULL },
	{ "fd00::/129=b", -EINVAL, 0, 0, NULL },
	{ "10.8.0.0/=b", -EINVAL, 0, 0, NULL },
	{ "10.8.0.0/-1=b", -EINVAL, 0, 0, NULL },
	{ "10.8.0.0/+8=b", -EINVAL, 0, 0, NULL },
	{ "10.8.0.0/16x=b", -EINVAL, 0, 0, NULL },
	{ "10.8.0.0/16=", -EINVAL, 0, 0, NULL },
	{ "10.8.0.0/16", -EINVAL, 0, 0, NULL },
	{ "=b", -EINVAL, 0, 0, NULL },
	{ "1.2.3=b", -EINVAL, 0, 0, NULL },
	{ "999.1.1.1=b", -EINVAL, 0, 0, NULL },
	{ " 10.8.0.0/16=b", -EINVAL, 0, 0, NULL },
	{ "host.example=b", -EINVAL, 0, 0, NULL },
	{ "[fd00::]/8=b", -EINVAL, 0, 0, NULL },
};

static void route_parse_table(void)
{
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(parse_cases); i++) {
		const char *stack = NULL;
		struct route r;
		int rc = route_parse(parse_cases[i].spec, &r, &stack);

		if (!UNIT_CHECK(rc == parse_cases[i].rc))
			printf("#   %s: %d\n", parse_cases[i].spec, rc);
		if (rc)
			continue;
		UNIT_EQ(r.family, parse_cases[i].family);
		UNIT_EQ(r.prefix, parse_cases[i].prefix);
		UNIT_STREQ(stack, parse_cases[i].stack);
		UNIT_CHECK(r.action == ROUTE_STACK && r.keep_bind && !r.s);
	}
}

/* A table of rules whose stacks are tagged by their index. */
static void route_table_of(struct route_table *t, const char *const *specs, size_t n)
{
	const char *stack;
	struct route r;
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		UNIT_EQ(route_parse(specs[i], &r, &stack), 0);
		r.to[0] = (unsigned char)i;	/* which rule matched */
		UNIT_EQ(route_add(t, &r), 0);
	}
}

/* The index of the rule that matches @addr (IPv4 or IPv6 text), or -1. */
static int route_which(const struct route_table *t, const char *addr)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const struct route *r;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1)
		r = route_match(t, (struct sockaddr *)&sin, sizeof(sin));
	else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1)
		r = route_match(t, (struct sockaddr *)&sin6, sizeof(sin6));
	else
		return -2;
	return r ? r->to[0] : -1;
}

static void route_most_specific_wins(void)
{
	static const char *const specs[] = {
		"10.8.0.0/16=b", "10.8.1.0/24=c", "10.8.1.7=d", "0.0.0.0/0=e",
		"fd00::/8=f", "fd00:1::/32=g",
	};
	static const char *const reversed[] = {
		"fd00:1::/32=g", "fd00::/8=f", "0.0.0.0/0=e", "10.8.1.7=d",
		"10.8.1.0/24=c", "10.8.0.0/16=b",
	};
	struct route_table t, u;

	route_table_of(&t, specs, UNIT_ARRAY_SIZE(specs));
	UNIT_EQ(route_which(&t, "10.8.0.1"), 0);
	UNIT_EQ(route_which(&t, "10.8.255.255"), 0);
	UNIT_EQ(route_which(&t, "10.8.1.1"), 1);
	UNIT_EQ(route_which(&t, "10.8.1.7"), 2);
	UNIT_EQ(route_which(&t, "10.9.0.1"), 3);
	UNIT_EQ(route_which(&t, "fd00:1::5"), 5);
	UNIT_EQ(route_which(&t, "fd00:2::5"), 4);
	UNIT_EQ(route_which(&t, "fe80::1"), -1);	/* no ::/0 */
	UNIT_EQ(route_which(&t, "::ffff:10.8.1.7"), 2);	/* v4-mapped: IPv4 rules */
	UNIT_EQ(route_which(&t, "::ffff:192.0.2.1"), 3);
	/* the order given does not matter */
	route_table_of(&u, reversed, UNIT_ARRAY_SIZE(reversed));
	UNIT_EQ(route_which(&u, "10.8.1.1"), 4);
	UNIT_EQ(route_which(&u, "10.8.1.7"), 3);
	UNIT_EQ(route_which(&u, "10.8.0.1"), 5);
	UNIT_EQ(route_which(&u, "fd00:1::5"), 0);
}

static void route_prefix_edges(void)
{
	static const char *const specs[] = { "10.8.128.0/17=a", "10.8.0.0/23=b" };
	struct route_table t;

	route_table_of(&t, specs, UNIT_ARRAY_SIZE(specs));
	UNIT_EQ(route_which(&t, "10.8.127.255"), -1);
	UNIT_EQ(route_which(&t, "10.8.128.0"), 0);
	UNIT_EQ(route_which(&t, "10.8.1.255"), 1);
	UNIT_EQ(route_which(&t, "10.8.2.0"), -1);
}

static void route_not_inet(void)
{
	static const char *const specs[] = { "0.0.0.0/0=a", "::/0=b" };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr sa = { .sa_family = AF_UNIX };
	struct route_table t;

	route_table_of(&t, specs, UNIT_ARRAY_SIZE(specs));
	UNIT_CHECK(!route_match(&t, &sa, sizeof(sa)));
	UNIT_CHECK(!route_match(&t, (struct sockaddr *)&sin, sizeof(sin) - 1));
	UNIT_CHECK(!route_match(&t, (struct sockaddr *)&sin, 1));
	UNIT_CHECK(!route_match(NULL, (struct sockaddr *)&sin, sizeof(sin)));
	UNIT_CHECK(route_match(&t, (struct sockaddr *)&sin, sizeof(sin)) == &t.r[0]);
}

static void route_add_refuses(void)
{
	struct route_table t = { 0 };
	const char *stack;
	struct route r;
	char spec[32];
	int i;

	UNIT_EQ(route_parse("10.8.0.0/16=a", &r, &stack), 0);
	UNIT_EQ(route_add(&t, &r), 0);
	UNIT_EQ(route_add(&t, &r), -EEXIST);
	UNIT_EQ(route_parse("10.8.0.0/17=a", &r, &stack), 0);
	UNIT_EQ(route_add(&t, &r), 0);
	for (i = 2; i < ROUTE_MAX; i++) {
		snprintf(spec, sizeof(spec), "10.%d.0.0/16=a", 100 + i);
		UNIT_EQ(route_parse(spec, &r, &stack), 0);
		UNIT_EQ(route_add(&t, &r), 0);
	}
	UNIT_EQ(route_parse("10.9.0.0/16=a", &r, &stack), 0);
	UNIT_EQ(route_add(&t, &r), -E2BIG);
}

static void route_format_cidr(void)
{
	const char *stack;
	struct route r;
	char buf[64];

	UNIT_EQ(route_parse("fd00:1::/32=a", &r, &stack), 0);
	UNIT_EQ(route_format(&r, buf, sizeof(buf)), 0);
	UNIT_STREQ(buf, "fd00:1::/32");
	UNIT_EQ(route_parse("10.8.1.7=a", &r, &stack), 0);
	UNIT_EQ(route_format(&r, buf, sizeof(buf)), 0);
	UNIT_STREQ(buf, "10.8.1.7/32");
	UNIT_EQ(route_format(&r, buf, 5), -ENOSPC);
}

/* A resolv.conf with @text, at a new temporary path (@path, PATH_MAX) */
static void resolv_file(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/route_test.XXXXXX");
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			UNIT_CHECK(false);
		close(fd);
	}
}

static void usernet_resolver_first_ipv4(void)
{
	char path[64], ns[INET_ADDRSTRLEN];

	resolv_file(path, "# comment\nsearch example\nnameserver fe80::1\n"
			  "nameserver 192.0.2.53\nnameserver 198.51.100.1\n");
	UNIT_EQ(usernet_resolver(path, ns, sizeof(ns)), 1);
	UNIT_STREQ(ns, "192.0.2.53");
	unlink(path);
	resolv_file(path, "nameserver ::1\nnameserver 999.1.1.1\n");
	UNIT_EQ(usernet_resolver(path, ns, sizeof(ns)), 0);
	unlink(path);
	UNIT_EQ(usernet_resolver("/nonexistent/resolv.conf", ns, sizeof(ns)), 0);
}

/* Where usernet_routes() sends a connect to @addr:53: 1 moved, 0 stays, -1 refused */
static int usernet_dns_goes(const struct route_table *t, const char *addr, char *to)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	const struct route *r;

	inet_pton(AF_INET, addr, &sa.sin_addr);
	r = route_match(t, (struct sockaddr *)&sa, sizeof(sa));
	if (!r || r->action == ROUTE_STAY)
		return 0;
	if (r->action == ROUTE_REFUSE)
		return -1;
	if (r->rewrite)
		inet_ntop(AF_INET, r->to, to, INET_ADDRSTRLEN);
	return 1;
}

static void usernet_dns_is_the_hosts_resolver(void)
{
	char path[64], to[INET_ADDRSTRLEN] = "";
	struct route_table t;

	resolv_file(path, "nameserver 192.0.2.53\n");
	UNIT_EQ(usernet_routes(&t, NULL, false, path), 0);
	UNIT_EQ(usernet_dns_goes(&t, "10.0.2.3", to), 1);
	UNIT_STREQ(to, "192.0.2.53");
	UNIT_EQ(usernet_dns_goes(&t, "10.0.2.4", to), 0);	/* the private network */
	route_table_free(&t);
	unlink(path);
	/* on the host's loopback: only where 10.0.2.2 reaches it too */
	resolv_file(path, "nameserver 127.0.0.53\n");
	UNIT_EQ(usernet_routes(&t, NULL, true, path), 0);
	UNIT_EQ(usernet_dns_goes(&t, "10.0.2.3", to), 1);
	UNIT_STREQ(to, "127.0.0.53");
	route_table_free(&t);
	UNIT_EQ(usernet_routes(&t, NULL, false, path), 0);
	UNIT_EQ(usernet_dns_goes(&t, "10.0.2.3", to), 0);	/* slirp's proxy */
	UNIT_EQ(usernet_dns_goes(&t, "10.0.2.2", to), -1);
	route_table_free(&t);
	unlink(path);
}

static const struct unit_case cases[] = {
	{ "usernet: the first IPv4 nameserver of a resolv.conf", usernet_resolver_first_ipv4 },
	{ "usernet: 10.0.2.3 is connected as the host's resolver, a loopback one only with the host's loopback", usernet_dns_is_the_hosts_resolver },
	{ "route_parse_table", route_parse_table },
	{ "route_most_specific_wins", route_most_specific_wins },
	{ "route_prefix_edges", route_prefix_edges },
	{ "route_not_inet", route_not_inet },
	{ "route_add_refuses", route_add_refuses },
	{ "route_format_cidr", route_format_cidr },
};

UNIT_MAIN(cases)
