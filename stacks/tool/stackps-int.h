/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * stackps-int.h - what the parts of netsup-stack ps share: reading /proc
 * (stackps-proc.c), and the supervisors found (stackps-sup.c), for the
 * walk of /proc (stackps.c)
 */
#ifndef NETSUP_STACKPS_INT_H
#define NETSUP_STACKPS_INT_H

#include <stddef.h>
#include <sys/types.h>

struct stackps;
struct stackps_proc;

/* A supervisor anywhere on the system, whether it uses the stack or not. */
struct stackps_sup {
	pid_t pid;
	pid_t netsup;		/* the netsup waiting for its command, or 0 */
	pid_t command;		/* 0 when unknown */
};

/* stackps-proc.c */
long stackps_number(const char *s, char **end);
ssize_t stackps_read(const char *path, char *buf, size_t len);
int stackps_status(pid_t pid, pid_t *ppid, uid_t *uid);
int stackps_cmdline(pid_t pid, char **out, size_t *len);

/* stackps-sup.c */
int stackps_netsup(struct stackps_proc *p);
void stackps_link(struct stackps_proc *p, const struct stackps_sup *sups, size_t n);
void stackps_orphans(struct stackps *ps);

#endif /* NETSUP_STACKPS_INT_H */
