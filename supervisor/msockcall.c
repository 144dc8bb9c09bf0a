// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * msockcall.c - msocket(2), system call -5: a socket in a stack named by a
 * path, or a new default stack of the caller (SOCK_DEFAULT)
 *
 * The path is copied from the child once (bounded by PATH_MAX), opened as
 * the child would open it (its root and cwd, its credentials) by a helper
 * process (pathres.c, request_helper_start()) and only then used, with the
 * notification re-validated after every read.  The helper may be slow (a
 * hung mount): the request is deferred and the thread goes on serving
 * others.  A daemon's stack file is checked against the policy before
 * anything is sent to it, and connected without blocking the loop
 * (ustack.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "childmem.h"
#include "create.h"
#include "log.h"
#include "msockcall.h"
#include "pathres.h"
#include "policy.h"
#include "proc.h"
#include "supervisor.h"
#include "ustack.h"
#include "../shim/msocket.h"

/* An msocket() call, as decoded from its arguments. */
struct msockcall_args {
	int domain, type, protocol;
	int idx;		/* stack_family_index(domain) */
	unsigned int families;	/* the families it is about */
	bool set_default;	/* type SOCK_DEFAULT */
	bool named;		/* a path was given */
};

/* Use stack @s (a reference is the caller's) for msocket. */
static void msockcall_use(struct worker *w, const struct creds *c,
			       const struct msockcall_args *m, struct stack *s,
			       struct notify_reply *r)
{
	int rc;

	if (!(s->families & m->families)) {
		request_fail(r, -EAFNOSUPPORT);
		return;
	}
	if (stack_served_by_daemon(s) && !w->sv->userspace) {
		/* its bind, connect... would reach the socketpair: EINVAL */
		log_pid(LOG_WARN, c->tgid, "msocket: %s is a userspace stack, which this session cannot serve: ENOTSUP (start netsup with --userspace)",
			s->path);
		request_fail(r, -ENOTSUP);
		return;
	}
	/*
	 * NULL for one family: its default made its default, nothing
	 * changes.  NULL with AF_UNSPEC: the first family's default becomes
	 * that of every family it serves (as in vuos).
	 */
	if (m->set_default && !m->named && m->domain != AF_UNSPEC) {
		r->what = NOTIFY_ZERO;
		return;
	}
	if (m->set_default) {
		rc = proc_set_default(&w->sv->procs, c->tgid, c->ppid, c->ruid,
				      m->families & s->families, s);
		if (rc)
			request_fail(r, rc);
		else
			r->what = NOTIFY_ZERO;
		if (log_get_level() >= LOG_INFO)
			log_pid(LOG_INFO, c->tgid, "msocket(%s, SOCK_DEFAULT): %s",
				m->domain == AF_UNSPEC ? "unspec" :
				stack_family_name(m->idx),
				rc ? strerror(-rc) : s->path);
		return;
	}
	create_socket(w, s, c, m->domain, m->type, m->protocol, r);
	create_log(w, c, "msocket", m->domain, m->type, s, r);
}

struct msockcall_wait {
	struct request_helper hw;
	struct ustack_greeting g;	/* a daemon's stack: its connection */
	struct msockcall_args m;
	char path[];
};

/* The stack is open, or could not be: answer, and free @mw. */
static void msockcall_finish(struct worker *w, struct msockcall_wait *mw,
				  struct stack *s, int rc)
{
	struct notify_reply r = { .what = NOTIFY_ERROR, .errset = ERRSET_SOCKET };

	w->req->id = mw->hw.d.id;
	w->req->pid = (__u32)mw->hw.d.tid;
	w->creds_fresh = false;
	if (!rc)
		rc = policy_check(&w->sv->policy, s);
	/* the helper took its time: is the caller still there to be served? */
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	if (rc)
		request_fail(&r, rc);
	else
		msockcall_use(w, &mw->hw.c, &mw->m, s, &r);
	if (rc && log_get_level() >= LOG_INFO)
		log_pid(LOG_INFO, mw->hw.c.tgid, "msocket(%s): %s", mw->path, strerror(-rc));
	request_reply(w, &r);
	stack_put(s);
	free(mw->hw.c.groups);
	free(mw);
}

/* A daemon's stack is connected and greeted, or could not be. */
static void msockcall_greeted(struct ustack_greeting *g, struct worker *w,
				   struct stack *s, int rc)
{
	struct msockcall_wait *mw = (struct msockcall_wait *)
		((char *)g - offsetof(struct msockcall_wait, g));

	msockcall_finish(w, mw, s, rc);
}

/*
 * The helper opened the path, or failed: go on with the call.  A daemon's
 * stack file is checked against the policy before anything is sent to
 * it, and connected without blocking the loop (ustack.c), whatever the
 * daemon (or a child that plays one) does.
 */
static void msockcall_resume(struct deferred *d, struct worker *w, bool expired)
{
	struct msockcall_wait *mw = (struct msockcall_wait *)d;
	const struct stack_kind *k;
	struct stack *s = NULL;
	struct stat st;
	int fd, rc;

	fd = pathres_finish(&mw->hw.job, expired);
	rc = fd < 0 ? (fd == -ETIMEDOUT ? -EIO : fd) : request_own(w);
	if (!rc && fstat(fd, &st))
		rc = -errno;
	if (!rc && (k = stack_kind_of(fd)) && k->serving == STACK_SERVED_BY_DAEMON) {
		const struct stack id = { .dev = st.st_dev, .ino = st.st_ino };

		rc = policy_check(&w->sv->policy, &id);
		if (!rc) {
			mw->g.path = mw->path;
			mw->g.done = msockcall_greeted;
			mw->g.d.id = d->id;
			mw->g.d.tid = d->tid;
			rc = ustack_open(w->sv, &mw->g, fd, &st, mw->hw.c.ruid, &s);
		}
		if (rc == USTACK_PENDING) {
			close(fd);
			return;		/* msockcall_greeted() goes on */
		}
	} else if (!rc) {
		rc = stack_from_fd(fd, mw->path, &s);
	}
	if (fd >= 0)
		close(fd);
	msockcall_finish(w, mw, s, rc);
}

/*
 * Open the stack @path names, as the child would: in its root and cwd,
 * with its credentials, in a helper process (pathres.c), so that it gets
 * only a stack file it could open itself.  The notification is
 * re-validated once the child's view is open; the call is answered by
 * msockcall_resume().
 */
static void msockcall_open(struct worker *w, const struct creds *c,
				const struct msockcall_args *m,
				struct notify_reply *r)
{
	struct pathres_req rq = { .op = PATHRES_OPEN, .netns = -1 };
	size_t plen = strlen(w->path);
	struct msockcall_wait *mw = calloc(1, sizeof(*mw) + plen + 1);
	int rc;

	if (!mw) {
		request_fail(r, -ENOMEM);
		return;
	}
	memcpy(mw->path, w->path, plen + 1);
	mw->m = *m;
	rq.path = mw->path;
	rc = request_helper_start(w, c, &rq, &mw->hw, msockcall_resume);
	if (rc) {
		free(mw);
		request_fail(r, rc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}

/* msocket(path, domain, type, protocol): system call -5. */
/**
 * msockcall_handle() - msocket(path, domain, type, protocol): system call -5
 * @w:		the handling thread, with the notification
 * @r:		the outcome (NOTIFY_DEFERRED while a helper opens the path)
 */
void msockcall_handle(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	uint64_t upath = d->args[0];
	struct msockcall_args m = {
		.domain = (int)d->args[1], .type = (int)d->args[2],
		.protocol = (int)d->args[3], .named = upath != 0,
	};
	struct proctab *procs = &w->sv->procs;
	struct stack *s = NULL;
	struct creds c;
	int rc, i;

	m.idx = stack_family_index(m.domain);
	m.set_default = !(m.type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC));
	if (m.set_default && (m.type != SOCK_DEFAULT || m.protocol)) {
		request_fail(r, -EINVAL);
		return;
	}
	if (m.set_default && m.domain == AF_UNSPEC) {
		m.families = FAM_MASK_ALL;
	} else if (m.idx >= 0) {
		m.families = 1U << m.idx;
	} else {
		request_fail(r, -EAFNOSUPPORT);
		return;
	}

	rc = request_own(w);	/* reads the child's memory and /proc */
	if (!rc)
		rc = request_creds(w, &c);
	if (!rc && upath) {
		rc = childmem_read_string((pid_t)w->req->pid, upath, w->path,
					  sizeof(w->path));
		if (rc == 0)
			rc = -ENOENT;		/* "" as open(2) has it */
		else if (rc > 0)
			rc = 0;
		else if (rc != -ENAMETOOLONG && rc != -ESRCH)
			rc = -EFAULT;
	}
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	if (rc) {
		request_fail(r, rc);
		return;
	}
	if (upath) {
		msockcall_open(w, &c, &m, r);
		return;
	}
	/* NULL: the default; for AF_UNSPEC any family's will do */
	for (i = 0; i < FAM_COUNT && !s; i++)
		if (m.families & (1U << i))
			s = proc_default(procs, c.tgid, c.ppid, i);
	if (s)
		msockcall_use(w, &c, &m, s, r);
	else
		request_fail(r, -ENOENT);
	stack_put(s);
}

