/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * notify.h - what the handlers of notifications share (notify.c, ucall*.c)
 */
#ifndef NETSUP_NOTIFY_H
#define NETSUP_NOTIFY_H

#include <limits.h>
#include <stdbool.h>
#include <linux/seccomp.h>

#include "errset.h"
#include "creds.h"
#include "supervisor.h"
#include "../stacks/stack.h"

#ifndef AUDIT_ARCH_X86_64
#define AUDIT_ARCH_X86_64	0xc000003e
#endif
#define X32_SYSCALL_BIT		0x40000000

/* One handling thread. */
struct worker {
	struct supervisor *sv;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct stack_thread stack;
	struct creds_thread creds;
	char path[PATH_MAX];	/* msocket's path, copied from the child */
	struct creds c;		/* credentials read for the request */
	bool creds_fresh;	/* read from /proc: keep them once valid */
	bool broken;		/* could not restore its credentials or view */
};

/* What a request comes to. */
enum notify_outcome {
	NOTIFY_ERROR,		/* fail the call with error */
	NOTIFY_ZERO,		/* return 0 (msocket SOCK_DEFAULT) */
	NOTIFY_VALUE,		/* return val */
	NOTIFY_FD,		/* inject fd, return its number */
	NOTIFY_CONTINUE,	/* let the call run in the child */
	NOTIFY_DEFERRED,	/* answered later, by the event loop */
};

struct notify_reply {
	enum notify_outcome what;
	enum errset errset;	/* which documented errnos may leave */
	int fd;			/* NOTIFY_FD: the socket, closed once sent */
	int error;		/* NOTIFY_ERROR: -errno */
	bool cloexec;		/* NOTIFY_FD: O_CLOEXEC in the child */
	long long val;		/* NOTIFY_VALUE */
};

int notify_own(struct worker *w);
bool notify_id_valid(struct worker *w);
int notify_creds(struct worker *w, struct creds *c);
void notify_fail(struct notify_reply *r, int error);
void notify_answer(struct worker *w, struct notify_reply *r);
void notify_create(struct worker *w, struct stack *s, const struct creds *c,
		   int domain, int type, int protocol, struct notify_reply *r);

#endif /* NETSUP_NOTIFY_H */
