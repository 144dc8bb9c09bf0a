/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * netsup-stack.h - what the parts of netsup-stack share: the command
 * table's row (netsup-stack.c), messages (netsup-stack-msg.c), what a
 * STACK names (netsup-stack-name.c), kernel stacks (netsup-stack-netns.c,
 * netsup-stack-del.c, netsup-stack-info.c), the commands for userspace
 * stacks (netsup-stack-lwip.c, netsup-stack-lwip-info.c,
 * netsup-stack-lwip-daemon.c; what they share among themselves is in
 * netsup-stack-lwip.h), and the stacks a normal user makes
 * (netsup-stack-user.c, netsup-stack-user-add.c, netsup-stack-user-open.c)
 */
#ifndef NETSUP_STACKTOOL_H
#define NETSUP_STACKTOOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "../../common/log.h"

#define STACKTOOL_PROG	"netsup-stack"
#define NS_DIR		"/dev/net"
/* ADDRESS/PREFIXLEN */
#define STACKTOOL_ADDRLEN	(INET6_ADDRSTRLEN + 16)

/* The exit status of a usage error. */
#define EXIT_USAGE	2

struct ifaddrs;
struct stack;
struct stacktool_opts;

/* A command of netsup-stack: one row of netsup-stack.c's table. */
struct stacktool_cmd {
	const char *name;	/* add, del, list, info, ps, identify */
	int (*run)(const struct stacktool_opts *o);
	const char *usage;	/* --help's synopsis, after the name; further
				 * lines of it (another form) are whole lines */
	int min, max;		/* operands */
	const char *operand;	/* what they are called in messages: STACK */
	const char *what;	/* and what they name: stack */
	bool json, force;	/* options it takes */
};

/* Work done inside a stack, on a thread of its own (stacktool_inside_run()). */
struct stacktool_inside {
	const char *path;	/* add: where to mount */
	int fd;			/* others: the namespace */
	int (*fn)(struct stacktool_inside *in);
	int result;		/* 0 or -errno */
	struct ifaddrs *ifa;	/* info, list: interfaces and addresses */
	int sockets;		/* del: sockets open in it */
};

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

/* The name a holder process gives itself (its /proc/PID/comm). */
#define STACKUSER_NAME		"netsup-holder"

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

/*
 * stacktool_usage_error() - say what was wrong with the command line
 * @fmt:	printf format of the reason (a string literal)
 * @...:	its arguments
 *
 * One line, as netsup(1) says it: the reason, then where the summary is,
 * through the common logger (escaped).
 * A macro rather than a variadic function, so that the format is checked
 * where it is written.
 *
 * Return: EXIT_USAGE
 */
#define stacktool_usage_error(fmt, ...)					\
	(log_msg(LOG_ERR, fmt "; see netsup-stack --help", ##__VA_ARGS__), EXIT_USAGE)

/* netsup-stack-msg.c */
int stacktool_usage(FILE *f, int status, const struct stacktool_cmd *cmds, size_t n);
int stacktool_fail(const char *path, const char *why);
const char *stacktool_why(int error);
int stacktool_errno(void);
void stacktool_print_text(FILE *f, const char *s, int width);

/* netsup-stack-name.c */
const char *stacktool_bad_name(const char *path);
void stacktool_warn_shadow(const char *name);
int stacktool_resolve(const char *spec, char *buf, size_t len);
int stacktool_entry_open(const char *path, struct stacktool_entry *e);
void stacktool_entry_close(struct stacktool_entry *e);

/* netsup-stack-netns.c */
int stacktool_inside_run(struct stacktool_inside *in);
struct stack *stacktool_open_netns(int fd, const char *path, int *error);
struct stack *stacktool_open_path(const char *path, int *error);
int stacktool_add(const char *spec, const struct stacklwip_opts *lw);

/* netsup-stack-del.c */
int stacktool_del(const char *spec, bool force);

/* netsup-stack-info.c */
void stacktool_list_error(const char *path, const char *why, bool json, int *shown);
int stacktool_info(const char *spec, bool json);
int stacktool_list(int argc, char **argv, bool json);
int stacktool_ps(const char *spec, bool json);

/* netsup-stack-kind.c: the commands of a kind other than a namespace */
struct stack_kind;
struct stacktool_kind {
	const struct stack_kind *kind;
	int (*del)(const char *path, bool force);
	int (*info)(const char *path, bool json);
	int (*list_entry)(const char *path, bool json, int *shown);
	int (*ps)(const char *path, bool json);
};

const struct stacktool_kind *stacktool_kind_of(const char *path);

/* netsup-stack-lwip.c */
struct stackps_match;
bool stacklwip_is(const char *path);
int stacklwip_match(const char *path, struct stackps_match *m);

/* netsup-stack-lwip-info.c */
int stacklwip_info(const char *path, bool json);
int stacklwip_list_entry(const char *path, bool json, int *shown);
int stacklwip_ps(const char *path, bool json);

/* netsup-stack-lwip-daemon.c */
int stacklwip_add(const char *path, const struct stacklwip_opts *o);
int stacklwip_del(const char *path, bool force);

/* netsup-stack-identify.c */
int stackid_run(const char *spec, bool json);

/* netsup-stack-user.c */
bool stackuser_unprivileged(void);
bool stackuser_wanted(void);
int stackuser_target(const char *name, char *buf, size_t len);
int stackuser_join_sibling(const char *dir);
void stackuser_join(const char *path);
void stackuser_join_fd(int nsfd);
void stackuser_join_dir(void);

/* netsup-stack-user-add.c */
int stackuser_add(const char *path);

/* netsup-stack-user-open.c */
int stackuser_open(const char *path, struct stackuser_stack *u);
void stackuser_close(struct stackuser_stack *u);
int stackuser_netns(const struct stackuser_stack *u);
int stackuser_del(const char *path, const struct stackuser_stack *u);

#endif /* NETSUP_STACKTOOL_H */
