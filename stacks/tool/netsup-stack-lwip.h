/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * netsup-stack-lwip.h - what the parts of netsup-stack that serve
 * userspace stacks share: asking the daemon (netsup-stack-lwip.c), for
 * starting and stopping it (netsup-stack-lwip-daemon.c) and for info,
 * list and ps (netsup-stack-lwip-info.c)
 */
#ifndef NETSUP_STACKLWIP_H
#define NETSUP_STACKLWIP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../stackproto.h"

struct stackps_match;

/* What a daemon says of itself in its HELLO reply, and who it is. */
struct stacklwip_hello {
	pid_t pid;			/* the listener's, from SO_PEERCRED */
	unsigned int mtu;
	unsigned int families;		/* SP_FAM_* */
	char text[SP_TEXT_MAX + 1];	/* key=value lines */
};

/* netsup-stack-lwip.c */
const char *stacklwip_why(int error);
int stacklwip_hello_fd(int fd, struct stacklwip_hello *h, int *pidfd);
int stacklwip_hello(const char *path, struct stacklwip_hello *h);
bool stacklwip_value(const struct stacklwip_hello *h, const char *key, int nth,
		     char *buf, size_t len);
int stacklwip_peers(pid_t pid, struct stackps_match *m);

#endif /* NETSUP_STACKLWIP_H */
