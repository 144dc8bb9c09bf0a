/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * netsup-stack.h - what the parts of netsup-stack share: messages, the
 * commands for userspace stacks (netsup-stack-lwip.c), and the stacks a
 * normal user makes (netsup-stack-user.c)
 */
#ifndef NETSUP_STACKTOOL_H
#define NETSUP_STACKTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define NS_DIR		"/dev/net"
/* ADDRESS/PREFIXLEN */
#define STACKTOOL_ADDRLEN	(INET6_ADDRSTRLEN + 16)

/* add --lwip: the options passed on to netsup-lwip; NULL when not given */
struct stacklwip_opts {
	const char *link;	/* --link URL, required */
	const char *ip, *gw;	/* --ip ADDR/LEN, --gw ADDR */
	const char *ip6, *gw6;	/* --ip6 ADDR/LEN, --gw6 ADDR */
	const char *mtu;	/* --mtu N */
	const char *netns;	/* --netns PATH: where the TAP is opened */
};

int stacktool_fail(const char *path, const char *why);
const char *stacktool_why(int error);

bool stacklwip_is(const char *path);
int stacklwip_add(const char *path, const struct stacklwip_opts *o);
int stacklwip_del(const char *path, bool force);
int stacklwip_info(const char *path, bool json);
int stacklwip_list_entry(const char *path, bool json, int *shown);
int stacklwip_ps(const char *path, bool json);

bool stackuser_unprivileged(void);
bool stackuser_wanted(void);
int stackuser_target(const char *name, char *buf, size_t len);
int stackuser_add(const char *path);
int stackuser_holder_of(const char *path, pid_t *pid);
void stackuser_join(const char *path);
void stackuser_join_dir(void);
void stackuser_list_stale(const char *path, bool json, int *shown);
int stackuser_del(const char *path);

#endif /* NETSUP_STACKTOOL_H */
