/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * publish.h - --publish: host ports forwarded into a --user-net stack
 */
#ifndef NETSUP_PUBLISH_H
#define NETSUP_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#define PUBLISH_PORTS_MAX	256	/* ports of all --publish together */

/* One --publish: [IP:]HOSTPORT[-LAST]:PORT[-LAST][/tcp|/udp] */
struct publish {
	bool udp;
	bool any;		/* no IP: every address of the host */
	struct in_addr host;
	unsigned int host_port;	/* the first of the range */
	unsigned int port;	/* the command's, the first of the range */
	unsigned int count;	/* ports in the range, 1 for one port */
};

int publish_parse(const char *spec, struct publish *p);
int publish_url(const char *const *specs, int n, const char *guest, char *buf, size_t len);
int publish_check(const struct publish *p, unsigned int *port);

#endif /* NETSUP_PUBLISH_H */
