/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * netsup-stack.h - what the parts of netsup-stack share: messages, the
 * commands for userspace stacks (netsup-stack-lwip.c), and the stacks a
 * normal user makes (netsup-stack-user.c)
 */
#ifndef NETSUP_STACKTOOL_H
#define NETSUP_STACKTOOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
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
	const char *log;	/* --log FILE: the daemon's diagnostics */
	int verbose;		/* -v, given so many times */
	const char *pidfile;	/* not an option: NULL for the one in
				 * /run/netsup, else a user's own */
};

/* A stack's file and its directory, opened once: what del removes, it
 * removes there (stacktool_entry_open()) */
struct stacktool_entry {
	int dir;		/* the directory, O_DIRECTORY, or -1 */
	struct stat st;		/* its fstat() */
	const char *name;	/* the file's name in it (into the path given) */
};

/* What a holder's stack is, as stackuser_open() found it. */
enum stackuser_state {
	STACKUSER_NONE,		/* not a holder's stack */
	STACKUSER_LIVE,		/* its holder lives: pidfd on it */
	STACKUSER_GONE,		/* its holder is gone: only the names are left */
};

struct stackuser_stack {
	struct stacktool_entry e;	/* the link's directory */
	enum stackuser_state state;
	pid_t pid;			/* the holder its record names */
	int pidfd;			/* STACKUSER_LIVE: on the holder, else -1 */
	char why[NAME_MAX + 160];	/* -EPERM: why its record is not believed */
};

int stacktool_fail(const char *path, const char *why);
const char *stacktool_why(int error);
int stacktool_entry_open(const char *path, struct stacktool_entry *e);
void stacktool_entry_close(struct stacktool_entry *e);
void stacktool_print_text(FILE *f, const char *s, int width);
void stacktool_list_error(const char *path, const char *why, bool json, int *shown);

bool stacklwip_is(const char *path);
int stacklwip_add(const char *path, const struct stacklwip_opts *o);
int stacklwip_del(const char *path, bool force);
int stacklwip_info(const char *path, bool json);
int stacklwip_list_entry(const char *path, bool json, int *shown);
int stacklwip_ps(const char *path, bool json);
struct stackps_match;
int stacklwip_match(const char *path, struct stackps_match *m);

int stackid_run(const char *spec, bool json);

bool stackuser_unprivileged(void);
bool stackuser_wanted(void);
int stackuser_target(const char *name, char *buf, size_t len);
int stackuser_add(const char *path);
int stackuser_open(const char *path, struct stackuser_stack *u);
void stackuser_close(struct stackuser_stack *u);
int stackuser_netns(const struct stackuser_stack *u);
void stackuser_join(const char *path);
void stackuser_join_fd(int nsfd);
void stackuser_join_dir(void);
int stackuser_del(const char *path, const struct stackuser_stack *u);

#endif /* NETSUP_STACKTOOL_H */
