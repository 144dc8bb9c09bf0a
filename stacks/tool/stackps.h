/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * stackps.h - which processes use a stack (netsup-stack ps)
 */
#ifndef NETSUP_STACKPS_H
#define NETSUP_STACKPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* The families that sockets are counted by. */
enum stackps_family {
	STACKPS_INET,
	STACKPS_INET6,
	STACKPS_NETLINK,
	STACKPS_PACKET,
	STACKPS_UNIX,
	STACKPS_OTHER,
	STACKPS_USERSPACE,		/* ends of a userspace stack's socketpairs */
	STACKPS_FAMILIES,
};

/* One process that uses the stack, and how. */
struct stackps_proc {
	pid_t pid;
	pid_t ppid;
	uid_t uid;			/* effective */
	char comm[17];
	char *cmdline;			/* NUL-separated arguments, or NULL */
	size_t cmdline_len;
	bool lives;			/* its main thread is in the stack */
	bool daemon;			/* it serves the (userspace) stack */
	unsigned int threads;		/* other threads of it in the stack */
	unsigned int holds;		/* descriptors on the stack's file, or
					 * connections to its daemon */
	unsigned int sockets[STACKPS_FAMILIES];	/* sockets in the stack */
	unsigned int unchecked;		/* sockets whose stack was unreadable */
	/* a netsup supervisor: it holds a seccomp notification listener */
	bool supervisor;
	pid_t netsup;			/* supervisor: the netsup waiting, or 0 */
	pid_t command;			/* supervisor: its command, or 0 */
	char *command_line;		/* supervisor: the command's, or NULL */
	size_t command_line_len;
	unsigned int serves;		/* supervisor: processes shown as served
					 * by it (served_by) */
	pid_t served_by;		/* not a supervisor: the one serving it, or 0 */
	pid_t waits_for;		/* a netsup waiting for this command, or 0 */
};

struct stackps {
	struct stackps_proc *procs;	/* by pid */
	size_t n;
	unsigned int unreadable;	/* processes that could not be examined */
};

/*
 * What makes a process a user of the stack.  A kernel stack: its
 * namespace.  A userspace stack: its daemon, the sockets connected to the
 * daemon's socketpairs (the programs' sockets in the stack) and to the
 * daemon's accepted connections (its clients, netsup supervisors).
 */
struct stackps_match {
	dev_t dev;		/* kernel: the namespace's nsfs dev/inode */
	ino_t ino;
	pid_t daemon;		/* userspace: the daemon, else 0 */
	const ino_t *socks;	/* userspace: sorted socket inodes */
	size_t nsocks;
	const ino_t *conns;	/* userspace: sorted socket inodes */
	size_t nconns;
};

int stackps_scan(const struct stackps_match *m, struct stackps *ps);
void stackps_free(struct stackps *ps);
const char *stackps_family_name(int family);
void stackps_print_safe(FILE *f, const char *s, size_t len, int width);
void stackps_print(FILE *f, const struct stackps *ps);
void stackps_print_uses(FILE *f, const struct stackps_proc *p);
int stackps_examine_pid(pid_t pid, const struct stackps_match *m, struct stackps_proc *p);
void stackps_proc_free(struct stackps_proc *p);
void stackps_print_json(FILE *f, const struct stackps *ps, const char *path, ino_t ino);

#endif /* NETSUP_STACKPS_H */
