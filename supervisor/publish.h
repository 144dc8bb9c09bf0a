/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * publish.h - --publish: host ports forwarded into a --user-net stack
 */
#ifndef NETSUP_PUBLISH_H
#define NETSUP_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define PUBLISH_PORTS_MAX	256	/* ports of all --publish together */

/* One --publish: [IP:]HOSTPORT[-LAST]:PORT[-LAST][/tcp|/udp], IP as a.b.c.d or [v6] */
struct publish {
	bool udp;
	bool any;		/* no IP: every address of the host */
	int family;		/* of @host or @host6: AF_INET, AF_INET6 (0 if @any) */
	struct in_addr host;
	struct in6_addr host6;
	unsigned int host_port;	/* the first of the range */
	unsigned int port;	/* the command's, the first of the range */
	unsigned int count;	/* ports in the range, 1 for one port */
};

int publish_parse(const char *spec, struct publish *p);
int publish_url(const char *const *specs, int n, const char *guest, bool tcp_native,
		char *buf, size_t len);
int publish_check(const struct publish *p, unsigned int *port);
bool publish_match(const struct publish *p, bool udp, unsigned int port,
		   unsigned int *host_port);
int publish_host_addr(const struct publish *p, int domain, bool v6only, unsigned int host_port,
		      struct sockaddr_storage *ss, socklen_t *len);

#endif /* NETSUP_PUBLISH_H */
