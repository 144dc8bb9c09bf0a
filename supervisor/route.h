/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * route.h - which stack a connection goes through, by its destination
 */
#ifndef NETSUP_ROUTE_H
#define NETSUP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "publish.h"
#include "../stacks/stack.h"

#define ROUTE_MAX	64

/* What a matching connect() comes to. */
enum route_action {
	ROUTE_STACK,	/* the socket moves to the route's stack */
	ROUTE_STAY,	/* it stays where it is (--user-net's own network) */
	ROUTE_REFUSE,	/* the connect fails (--user-net --no-host-loopback) */
};

/* One rule: a destination network and what becomes of connections to it. */
struct route {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];		/* the network, host bits zero */
	unsigned int prefix;		/* its length in bits */
	enum route_action action;
	struct stack *s;		/* ROUTE_STACK: the target (a reference) */
	bool trusted;			/* netsup's own rule: no policy check */
	bool keep_bind;			/* a bound address and port move along */
	bool view;			/* the command keeps its own names */
	bool rewrite;			/* connect to @to instead (same port) */
	unsigned char to[16];		/* of @family */
	in_port_t to_port;		/* and to this port (network order), if not 0 */
};

#define ROUTE_PUBLISH_MAX	32	/* --publish: options.c USERNET_PUBLISH_MAX */

struct route_table {
	size_t n;
	struct route r[ROUTE_MAX];
	struct in_addr self4;		/* a view: the command's own addresses */
	struct in6_addr self6;
	size_t npub;			/* --user-net's TCP --publish, served by */
	struct publish pub[ROUTE_PUBLISH_MAX];	/* the host's own listeners */
	struct stack *host;		/* (movepub.c) in this stack, or NULL, */
	struct stack *user;		/* for the ports of this one */
};

int route_parse(const char *spec, struct route *r, const char **stack);
int route_add(struct route_table *t, const struct route *r);
const struct route *route_match(const struct route_table *t, const struct sockaddr *sa,
				socklen_t len);
int route_format(const struct route *r, char *buf, size_t len);
void route_table_free(struct route_table *t);

#endif /* NETSUP_ROUTE_H */
