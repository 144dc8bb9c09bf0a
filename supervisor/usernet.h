/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * usernet.h - --user-net: a private userspace stack on slirp
 */
#ifndef NETSUP_USERNET_H
#define NETSUP_USERNET_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "route.h"
#include "../stacks/stack.h"

#define USERNET_PUBLISH_MAX	ROUTE_PUBLISH_MAX
#define USERNET_URL_MAX		12288	/* slirp:// and 256 forwardings */

/* The addresses of the command in a --user-net stack, slirp's usual. */
#define USERNET_IP	"10.0.2.15"
#define USERNET_IP6	"fd00::15"
#define USERNET_DNS	"10.0.2.3"	/* slirp's DNS proxy */

struct usernet {
	char dir[PATH_MAX];	/* private directory of the stack file */
	char path[PATH_MAX];	/* the stack file */
	int pidfd;		/* the netsup-lwip daemon, or -1 */
	bool no_host_loopback;	/* --disable-host-loopback: no 10.0.2.2 */
	bool tcp_native;	/* TCP --publish: the host's own listeners, not slirp's */
};

int usernet_start(struct usernet *un, const char *const *publish, int n,
		  int verbose, struct stack **out);
void usernet_stop(struct usernet *un);
int usernet_resolver(const char *path, char *buf, size_t len);
int usernet_routes(struct route_table *t, const struct route_table *user, bool host_loopback,
		   const char *resolv);
int usernet_routes_publish(struct route_table *t, struct stack *user, const char *const *publish,
			   int n);

#endif /* NETSUP_USERNET_H */
