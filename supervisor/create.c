// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * create.c - a socket made in a stack for the caller of a notification
 *
 * The socket of socket(2), msocket(3) and of a socket moved at connect()
 * (move.c) is made here: in the calling thread, inside the stack
 * (stack_enter(), with netsup's own CAP_SYS_ADMIN) and wearing the
 * caller's credentials (creds_wear(): the kernel checks CAP_NET_RAW and
 * records the owner at creation); by the daemon of a stack served by one
 * (ucall_socket(), answered later); or by a helper inside the caller's
 * user namespace, where wearing its ids from ours would give it more than
 * it has (create_needs_helper()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "create.h"
#include "log.h"
#include "ucall.h"
#include "unborn.h"

static const char *create_type_name(int type)
{
	switch (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
	case SOCK_STREAM:	return "stream";
	case SOCK_DGRAM:	return "dgram";
	case SOCK_RAW:		return "raw";
	case SOCK_SEQPACKET:	return "seqpacket";
	case SOCK_RDM:		return "rdm";
	case SOCK_PACKET:	return "packet";
	default:		return "?";
	}
}

/*
 * The kernel gives the owner of a user namespace every capability in it.
 * Worn from netsup's user namespace, a child's euid owns the namespaces it
 * made, even where the child itself, inside a namespace of its own, has no
 * such power.  So for a child in another user namespace, a socket in a
 * stack owned by another user namespace than netsup's is made by a helper
 * inside the child's namespace, as the child really is (pathres.c).
 */
bool create_needs_helper(const struct stack *s, const struct creds *c)
{
	return c->foreign_user && s->foreign_owner;
}

/**
 * create_log() - the line -v promises for each decision about a socket
 * @w:		the handling thread
 * @c:		the caller's credentials, or NULL (its pid is the request's)
 * @call:	"socket", "msocket"
 * @domain:	socket(2)'s
 * @type:
 * @s:		the stack, or NULL for the caller's own
 * @r:		the outcome
 */
void create_log(struct worker *w, const struct creds *c, const char *call,
		int domain, int type, const struct stack *s, const struct notify_reply *r)
{
	int idx = stack_family_index(domain);
	pid_t pid = c ? c->tgid : (pid_t)w->req->pid;
	char fam[16];

	if (log_get_level() < LOG_INFO || r->what == NOTIFY_DEFERRED)
		return;
	if (idx >= 0)
		snprintf(fam, sizeof(fam), "%s", stack_family_name(idx));
	else
		snprintf(fam, sizeof(fam), "%d", domain);
	if (r->what == NOTIFY_CONTINUE)
		log_pid(LOG_INFO, pid, "%s(%s, %s): own stack", call, fam,
			create_type_name(type));
	else if (r->what == NOTIFY_FD)
		log_pid(LOG_INFO, pid, "%s(%s, %s): %s: created", call, fam,
			create_type_name(type), s ? s->path : "own stack");
	else
		log_pid(LOG_INFO, pid, "%s(%s, %s): %s: %s", call, fam,
			create_type_name(type), s ? s->path : "-",
			strerror(-r->error));
}

struct create_wait {
	struct request_helper hw;
	struct stack *s;
	int domain, type, protocol;
};

/* The helper made the socket, or failed: answer. */
static void create_resume(struct deferred *d, struct worker *w, bool expired)
{
	struct create_wait *sw = (struct create_wait *)d;
	struct notify_reply r = { .what = NOTIFY_FD, .errset = ERRSET_SOCKET };
	int fd = pathres_finish(&sw->hw.job, expired);

	w->req->id = d->id;
	w->req->pid = (__u32)d->tid;
	if (fd < 0) {
		request_fail(&r, fd == -ETIMEDOUT ? -EIO : fd);
	} else {
		r.fd = fd;
		r.cloexec = sw->type & SOCK_CLOEXEC;
	}
	create_log(w, &sw->hw.c, "socket", sw->domain, sw->type, sw->s, &r);
	request_reply(w, &r);
	stack_put(sw->s);
	free(sw->hw.c.groups);
	free(sw);
}

/* Make the socket in a helper inside the child's user namespace. */
static void create_by_helper(struct worker *w, struct stack *s, const struct creds *c,
			     int domain, int type, int protocol, struct notify_reply *r)
{
	struct pathres_req rq = {
		.op = PATHRES_SOCKET, .netns = s->fd,
		.domain = domain, .type = type & ~SOCK_CLOEXEC, .protocol = protocol,
	};
	struct create_wait *sw = calloc(1, sizeof(*sw));
	int rc;

	if (!sw) {
		request_fail(r, -ENOMEM);
		return;
	}
	sw->s = stack_get(s);
	sw->domain = domain;
	sw->type = type;
	sw->protocol = protocol;
	rc = request_helper_start(w, c, &rq, &sw->hw, create_resume);
	if (rc) {
		stack_put(sw->s);
		free(sw);
		request_fail(r, rc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}

/**
 * create_socket() - a socket in @s for the thread of the current request,
 *		     made wearing its credentials (which it then still wears)
 * @w:		the handling thread
 * @s:		the stack
 * @c:		the thread's credentials, read and re-validated by the caller
 * @domain:	socket(2) arguments
 * @type:
 * @protocol:
 * @r:		the outcome: NOTIFY_FD, NOTIFY_ERROR, or NOTIFY_DEFERRED (a
 *		userspace stack, a helper: answered later as socket())
 */
void create_socket(struct worker *w, struct stack *s, const struct creds *c,
		   int domain, int type, int protocol, struct notify_reply *r)
{
	int rc = 0;

	if (__atomic_load_n(&s->removed, __ATOMIC_ACQUIRE)) {
		request_fail(r, -ENETDOWN);	/* see sv_mounts_changed() */
		return;
	}
	/* a namespace serves every family (AF_UNIX of i386's socketcall
	 * too), a userspace stack those it said */
	if (!stack_serves(s, domain)) {
		request_fail(r, -EAFNOSUPPORT);
		return;
	}
	if (stack_served_by_daemon(s)) {
		/* a kernel socket until it needs the stack (unborn.c) */
		struct stack *hold = unborn_hold(w, s, c, domain, type, protocol);

		if (hold) {
			create_socket(w, hold, c, domain, type, protocol, r);
			if (r->what == NOTIFY_FD)
				return;
			debug("socket of %s: none where it would wait (%s): asked of its daemon",
			      s->path, r->what == NOTIFY_ERROR ? strerror(-r->error) : "deferred");
		}
		ucall_socket(w, s, c, domain, type, protocol, r);
		return;
	}
	if (create_needs_helper(s, c)) {
		create_by_helper(w, s, c, domain, type, protocol, r);
		return;
	}
	/* setns needs netsup's own CAP_SYS_ADMIN: only when moving */
	if (!stack_entered(s, &w->stack)) {
		rc = request_own(w);
		if (!rc)
			rc = stack_enter(s, &w->stack);
	}
	if (!rc)
		rc = creds_wear(&w->creds, c);
	if (rc == -ENOTRECOVERABLE) {
		err("cannot restore the credentials of a handling thread");
		w->broken = true;
		rc = -EPERM;
	}
	if (!rc)
		rc = stack_socket(s, &w->stack, domain, type, protocol);
	if (rc < 0) {
		request_fail(r, rc);
		return;
	}
	r->what = NOTIFY_FD;
	r->fd = rc;
	r->cloexec = type & SOCK_CLOEXEC;
}

