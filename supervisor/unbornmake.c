// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unbornmake.c - a waiting socket made in its userspace stack, at the
 * first call that needs the stack (unborn.c says which)
 *
 * In order, each step answered later by the daemon or done here:
 * 1. the options the program set on the kernel socket, those that differ
 *    from a fresh one's (moveopt.c), are read while the call waits;
 * 2. SP_SOCKET: the daemon's socket, one end of a socketpair, is made,
 *    O_NONBLOCK as the kernel socket was, and known by its inode
 *    (ustack.c) from then on;
 * 3. each option: SP_SETSOCKOPT where the stack serves it, else set on
 *    the socketpair's end (SO_RCVTIMEO, SO_LINGER...), as a forwarded
 *    setsockopt would; one the stack refuses is left out, as a move
 *    leaves out what the new stack lacks;
 * 4. ADDFD with SETFD puts it under the child's number (the kernel socket
 *    is released: netsup's copy is closed first), O_CLOEXEC as it was;
 * 5. the notification is handled again, as it came: it is now a call on
 *    a socket of the userspace stack, forwarded (or moved) as any.
 * A caller that goes meanwhile (a signal) cancels what is left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "childmem.h"
#include "create.h"
#include "log.h"
#include "move.h"
#include "moveint.h"
#include "ucall.h"
#include "ucall_int.h"
#include "unborn.h"
#include "ustack.h"

#ifndef AUDIT_ARCH_I386
#define AUDIT_ARCH_I386		0x40000003
#endif
#define I386_NR_SOCKETCALL	102	/* arch/x86/entry/syscalls/syscall_32.tbl */

struct unborn_make {
	struct ureq rq;			/* first: the daemon's requests */
	struct seccomp_notif req;	/* the call, handled again once made */
	struct stack *s;
	int pfd;			/* our copy of the kernel socket */
	int nfd;			/* the stack's socket, once made */
	int fd;				/* the child's number */
	int domain, type;
	bool cloexec, nonblock;
	uid_t uid;
	uint64_t handle;
	dev_t dev;			/* the stack's socket, as moves know it */
	ino_t ino;
	int nopts, next;
	struct move_set opts[MOVE_NOPTS];
};

static void unborn_make_free(struct unborn_make *um)
{
	if (um->pfd >= 0)
		close(um->pfd);
	if (um->nfd >= 0)
		close(um->nfd);
	if (um->rq.fd >= 0)
		close(um->rq.fd);
	stack_put(um->s);
	free(um);
}

/* The call fails with @error, or the caller is gone: answer, free. */
static void unborn_make_fail(struct worker *w, struct unborn_make *um, int error)
{
	struct notify_reply r = { .what = NOTIFY_ERROR };

	w->req->id = um->rq.d.id;
	w->req->pid = (__u32)um->rq.d.tid;
	request_fail(&r, error);
	unborn_make_free(um);
	request_reply(w, &r);
}

/* Step 4 and 5: in place, and the call handled again. */
static void unborn_make_place(struct worker *w, struct unborn_make *um)
{
	struct notify_reply r = { .what = NOTIFY_CONTINUE };
	int rc;

	close(um->pfd);		/* the child's is the kernel socket's last */
	um->pfd = -1;
	rc = move_replace(w, um->rq.d.id, um->nfd, um->fd, um->cloexec);
	if (rc) {
		unborn_make_fail(w, um, rc == -ENOENT ? -ESRCH : rc);
		return;
	}
	debug("pid %d: socket %d made in %s at its first call that needs it",
	      (int)um->rq.d.tid, um->fd, um->s->path);
	memcpy(w->req, &um->req, sizeof(um->req));
	unborn_make_free(um);
	if (!move_call(w, &r))
		ucall_handle(w, &r);
	request_reply(w, &r);
}

static void unborn_make_opt_done(struct ureq *rq, struct worker *w);

/* Step 3, from the next option on. */
static void unborn_make_opts(struct worker *w, struct unborn_make *um)
{
	while (um->next < um->nopts) {
		const struct move_set *o = &um->opts[um->next++];
		struct sp_msg m = { .op = SP_SETSOCKOPT, .handle = um->handle,
				    .level = o->level, .name = o->name,
				    .data = o->v, .datalen = o->len };
		int rc;

		/* a move to come carries it on (moverec.c) */
		move_rec_opt(um->dev, um->ino, o->level, o->name, o->v, o->len);
		if (!ucall_option_forwarded(o->level, o->name)) {
			if (setsockopt(um->nfd, o->level, o->name, o->v, o->len))
				debug("socket made in %s: option %d/%d left out: %s",
				      um->s->path, o->level, o->name, strerror(errno));
			continue;
		}
		um->rq.done = unborn_make_opt_done;
		um->rq.polls = 0;
		rc = ustack_send(w->sv, um->s, &m, &um->rq, um->uid);
		if (!rc)
			return;		/* goes on in unborn_make_opt_done() */
		unborn_make_fail(w, um, rc);
		return;
	}
	unborn_make_place(w, um);
}

static void unborn_make_opt_done(struct ureq *rq, struct worker *w)
{
	struct unborn_make *um = (struct unborn_make *)rq;

	if (rq->result == -EINTR) {	/* the caller is gone */
		unborn_make_fail(w, um, -EINTR);
		return;
	}
	if (rq->result < 0)
		debug("socket made in %s: option %d/%d left out: %s", um->s->path,
		      um->opts[um->next - 1].level, um->opts[um->next - 1].name,
		      strerror(-rq->result));
	unborn_make_opts(w, um);
}

/* Step 2 done: the daemon's socket, or why not. */
static void unborn_make_socket_done(struct ureq *rq, struct worker *w)
{
	struct unborn_make *um = (struct unborn_make *)rq;
	int rc = rq->result;
	struct stat st;

	if (rc >= 0 && rq->fd < 0)
		rc = -EPROTO;
	if (rc < 0) {
		unborn_make_fail(w, um, rc);
		return;
	}
	um->nfd = rq->fd;
	rq->fd = -1;
	um->handle = rq->handle;
	if (um->nonblock && fcntl(um->nfd, F_SETFL, O_NONBLOCK))
		rc = -errno;
	if (!rc && fstat(um->nfd, &st))
		rc = -errno;
	if (!rc) {
		um->dev = st.st_dev;
		um->ino = st.st_ino;
		rc = ustack_sock_add(w->sv, um->s, um->nfd, um->handle, um->domain, um->type);
	}
	if (rc) {
		unborn_make_fail(w, um, rc);
		return;
	}
	unborn_make_opts(w, um);
}

/* Does the call @ca on a waiting socket of @type need its stack? */
static bool unborn_needs_stack(const struct ucall_args *ca, int type)
{
	switch (ca->nr) {
	case SYS_bind:
	case SYS_listen:
	case SYS_connect:
		return true;
	case SYS_setsockopt:
		return !move_opt_carried((int)ca->a[1], (int)ca->a[2]);
	case SYS_sendto:
		/* a TCP destination matters only to a Fast Open */
		return type == SOCK_DGRAM || ((int)ca->a[3] & MSG_FASTOPEN);
	case SYS_sendmsg:
		return type == SOCK_DGRAM || ((int)ca->a[2] & MSG_FASTOPEN);
	case SYS_sendmmsg:
		return type == SOCK_DGRAM || ((int)ca->a[3] & MSG_FASTOPEN);
	default:
		return false;
	}
}

/* Step 1, and the request of step 2: @s is the caller's default (unborn_of()). */
static void unborn_make_start(struct worker *w, const struct ucall_args *ca, int *cfdp,
			      struct stack *s, int type, struct notify_reply *r)
{
	struct sp_msg m = { .op = SP_SOCKET, .type = type };
	struct unborn_make *um;
	socklen_t len = sizeof(int);
	struct creds c;
	int rc;

	um = calloc(1, sizeof(*um));
	if (!um) {
		stack_put(s);
		request_fail(r, -ENOMEM);
		return;
	}
	um->s = s;
	um->nfd = um->rq.fd = -1;
	um->pfd = *cfdp;
	*cfdp = -1;
	um->fd = (int)ca->a[0];
	um->type = type;
	um->rq.d.id = w->req->id;
	um->rq.d.tid = (pid_t)w->req->pid;
	um->rq.done = unborn_make_socket_done;
	memcpy(&um->req, w->req, sizeof(um->req));
	rc = getsockopt(um->pfd, SOL_SOCKET, SO_DOMAIN, &um->domain, &len) ? -errno : 0;
	if (!rc)
		rc = move_fd_cloexec(um->rq.d.tid, um->fd, &um->cloexec);
	if (!rc)
		rc = request_creds(w, &c);
	if (rc)
		goto fail;
	um->uid = c.ruid;
	um->nonblock = fcntl(um->pfd, F_GETFL) & O_NONBLOCK;
	um->nopts = move_opts_changed(w, um->pfd, um->opts, MOVE_NOPTS);
	if (um->nopts < 0)
		um->nopts = 0;	/* read what can be: a fresh socket's values */
	if (!request_id_valid(w)) {
		rc = -ESRCH;
		goto fail;
	}
	m.domain = um->domain;
	rc = ustack_send(w->sv, s, &m, &um->rq, um->uid);
	if (rc)
		goto fail;
	r->what = NOTIFY_DEFERRED;
	return;
fail:
	request_fail(r, rc);
	unborn_make_free(um);
}

/*
 * A socket the kernel made in netsup's namespace for a caller whose
 * default is another namespace @k (unborn_kernel_default()): made in @k
 * now, with the options and flags it has, put in its place (SETFD), and
 * the call goes on there (CONTINUE).
 */
static void unborn_make_kernel(struct worker *w, int cfd, int fd, struct stack *k,
			       struct notify_reply *r)
{
	struct notify_reply nr = { .what = NOTIFY_ERROR, .error = -EIO };
	struct move_set opts[MOVE_NOPTS];
	socklen_t len = sizeof(int);
	int n, fl, domain, rc, i;
	bool cloexec = false;
	struct creds c;

	n = move_opts_changed(w, cfd, opts, MOVE_NOPTS);
	fl = fcntl(cfd, F_GETFL);
	rc = n < 0 ? n : fl < 0 ? -errno : 0;
	if (!rc && getsockopt(cfd, SOL_SOCKET, SO_DOMAIN, &domain, &len))
		rc = -errno;
	if (!rc)
		rc = request_own(w);	/* /proc/TID/fdinfo: netsup's own access */
	if (!rc)
		rc = move_fd_cloexec((pid_t)w->req->pid, fd, &cloexec);
	if (!rc)
		rc = request_creds(w, &c);
	/* a stack whose socket a helper makes answers later, as socket():
	 * not for a call under way */
	if (!rc && create_needs_helper(k, &c))
		rc = -EOPNOTSUPP;
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	if (rc) {
		request_fail(r, rc);
		return;
	}
	create_socket(w, k, &c, domain, SOCK_STREAM | (fl & O_NONBLOCK ? SOCK_NONBLOCK : 0), 0,
		      &nr);
	if (nr.what != NOTIFY_FD) {
		request_fail(r, nr.what == NOTIFY_ERROR ? nr.error : -EIO);
		return;
	}
	for (i = 0, rc = 0; !rc && i < n; i++)
		if (setsockopt(nr.fd, opts[i].level, opts[i].name, opts[i].v, opts[i].len))
			rc = -errno;
	if (!rc)
		rc = move_replace(w, w->req->id, nr.fd, fd, cloexec);
	close(nr.fd);
	if (rc) {
		request_fail(r, rc);
		return;
	}
	log_pid(LOG_INFO, c.tgid, "socket(%s, stream): %s: made there at its first call that needs it",
		domain == AF_INET ? "inet" : "inet6", k->path);
	r->what = NOTIFY_CONTINUE;
}

/**
 * unborn_option_kernel() - is the setsockopt @ca one a waiting socket
 *			    takes as any kernel socket does?
 * @ca:		the call, decoded
 *
 * Such an option is read from it when it is made in its stack (moveopt.c).
 *
 * Return: true if the kernel answers it on a waiting socket too
 */
bool unborn_option_kernel(const struct ucall_args *ca)
{
	return !unborn_needs_stack(ca, SOCK_STREAM);
}

/**
 * unborn_call() - a forwarded call on a descriptor that is no socket of a
 *		   userspace stack: one that waits for its stack, maybe
 * @w:		the handling thread
 * @ca:		the call, decoded (x86-64 numbers)
 * @cfdp:	netsup's copy of the descriptor; taken (set to -1) if kept
 * @r:		the outcome: CONTINUE (the kernel's), or the stack's
 */
void unborn_call(struct worker *w, const struct ucall_args *ca, int *cfdp,
		 struct notify_reply *r)
{
	socklen_t len = sizeof(int);
	struct stack *s;
	int type;

	r->what = NOTIFY_CONTINUE;
	/* what the kernel answers costs no more: the caller is not asked
	 * about (its default) unless the call needs the stack */
	if (getsockopt(*cfdp, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    !unborn_needs_stack(ca, type))
		return;
	s = unborn_of(w, *cfdp);
	if (s) {
		unborn_make_start(w, ca, cfdp, s, type, r);
	} else if ((s = unborn_kernel_default(w, *cfdp)) != NULL) {
		unborn_make_kernel(w, *cfdp, (int)ca->a[0], s, r);
		stack_put(s);
	} else if (ca->nr != SYS_bind && ca->nr != SYS_listen && ca->nr != SYS_setsockopt &&
		   move_pub_governed(w->sv, *cfdp)) {
		/* a connect from the host's published port (i386's, or one
		 * move.c declined), a Fast Open send: never (movepub.c) */
		request_fail(r, ca->nr == SYS_connect ? -ENETUNREACH : -EOPNOTSUPP);
	}
}

/**
 * unborn_undecoded() - a forwarded call netsup does not decode (i386's
 *			calls with a struct msghdr, every x32 call)
 * @w:		the handling thread
 * @r:		CONTINUE, or the stack's socket first
 *
 * Such a call reaches the descriptor as it is.  On a socket that waits,
 * that would be the kernel socket of where it waits (netsup's own
 * namespace, for --user-net's TCP): so the socket is made in its stack
 * first, and the call then reaches the socketpair, as on any socket of
 * the stack.
 */
void unborn_undecoded(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	struct ucall_args ca = { .nr = -1 };
	socklen_t len = sizeof(int);
	uint32_t fd32;
	struct stack *s;
	int cfd, type;

	r->what = NOTIFY_CONTINUE;
	if (!unborn_any(w->sv) || request_own(w))
		return;
	if (d->arch == AUDIT_ARCH_I386 && d->nr == I386_NR_SOCKETCALL) {
		if (childmem_read((pid_t)w->req->pid, (uint32_t)d->args[1], &fd32, sizeof(fd32)))
			return;	/* the kernel's EFAULT */
		ca.a[0] = fd32;
	} else {
		ca.a[0] = (uint32_t)d->args[0];
	}
	cfd = request_child_fd(w, (int)ca.a[0]);
	if (cfd < 0)
		return;
	s = unborn_of(w, cfd);
	if (!s && move_pub_governed(w->sv, cfd))
		request_fail(r, -EOPNOTSUPP);	/* it could connect from the host */
	if (!s || getsockopt(cfd, SOL_SOCKET, SO_TYPE, &type, &len)) {
		stack_put(s);
		close(cfd);
		return;
	}
	unborn_make_start(w, &ca, &cfd, s, type, r);
	if (cfd >= 0)
		close(cfd);
}
