/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * request.h - a request: the worker that serves a notification, its
 * answer (now or after a wait), its caller's credentials (request.c)
 */
#ifndef NETSUP_REQUEST_H
#define NETSUP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <linux/types.h>

#include "creds.h"
#include "defer.h"
#include "errset.h"
#include "pathres.h"
#include "../stacks/stack.h"

struct supervisor;

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
	__u64 creds_id;		/* the notification @c is of, or 0 */
	int pidfd;		/* of thread @pidfd_tid (request_child_fd), or -1 */
	pid_t pidfd_tid;
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


/*
 * A notification, as a request that may be answered after a wait: its
 * id, its thread, and the memory of the process that made the call,
 * bound when the reference was taken (not whatever holds the TID later).
 */
struct request_ref {
	__u64 id;		/* the notification */
	pid_t tid;		/* the thread that made the call */
	int mem;		/* /proc/TID/mem of the caller, or -1 */
};

/* Helpers get this long to look a path up (a FUSE mount that hangs). */
#define REQUEST_HELPER_TIMEOUT_MS	2000

/* A request waiting for a helper (pathres.c), at the start of each kind's. */
struct request_helper {
	struct deferred d;
	struct pathres_job job;
	struct creds c;		/* the caller's, groups copied */
};

int request_own(struct worker *w);
bool request_id_valid(struct worker *w);
int request_creds(struct worker *w, struct creds *c);
struct stack *request_default(struct worker *w, const struct creds *c, int fam);
int request_child_fd(struct worker *w, int fd);
void request_pidfd_drop(struct worker *w);
void request_fail(struct notify_reply *r, int error);
void request_reply(struct worker *w, struct notify_reply *r);
int request_helper_start(struct worker *w, const struct creds *c,
			 const struct pathres_req *rq, struct request_helper *hw,
			 void (*complete)(struct deferred *, struct worker *, bool));

int request_ref_take(struct worker *w, struct request_ref *ref, bool mem);
void request_ref_drop(struct request_ref *ref);
bool request_valid(const struct supervisor *sv, const struct request_ref *ref);
int request_read(const struct request_ref *ref, uint64_t addr, void *buf, size_t len);
int request_write(const struct request_ref *ref, uint64_t addr, const void *buf, size_t len);
void request_answer(struct worker *w, const struct request_ref *ref, struct notify_reply *r);
void request_result(struct worker *w, const struct request_ref *ref, long long v);

#endif /* NETSUP_REQUEST_H */
