// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * request.c - a request: the worker serving a notification, its answer,
 * its caller's credentials, a helper acting as its caller
 *
 * Every handler (notify.c, create.c, ucall*.c, move*.c) serves the
 * notification its worker received with these: request_creds() (the
 * caller's credentials, cached by TID), request_id_valid() after reading
 * anything about the caller, request_own() before a privileged step, and
 * one answer, request_reply() now or request_answer() after a wait.
 *
 * A call answered after a wait (a userspace stack's daemon, a path
 * helper) is answered by the loop thread, whose worker served something
 * else meanwhile: the answer names its notification explicitly (struct
 * request_ref), it does not rely on what the worker received last.
 *
 * What goes into the caller's memory after the wait goes to the memory of
 * the process that made the call.  A TID is not that: if another thread
 * of the caller execs meanwhile, the execing thread takes over the
 * leader's TID in a new program, perhaps set-user-ID of another user, and
 * a process_vm_writev(2) by TID would write into it.  So the reference
 * opens /proc/TID/mem (childmem_open()) while the notification is valid,
 * and checks it with SECCOMP_IOCTL_NOTIF_ID_VALID after the open: the
 * open file stays bound to the caller's mm, and after an exec or an exit
 * it reads and writes nothing.  Every write of a forwarded call, before
 * or after a wait, goes through it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "childmem.h"
#include "credcache.h"
#include "log.h"
#include "proc.h"
#include "request.h"
#include "stray.h"
#include "supervisor.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL		/* linux/pidfd.h, 6.9 */
#endif

/* Back to netsup's own credentials, for a privileged step. */
int request_own(struct worker *w)
{
	if (!creds_own(&w->creds))
		return 0;
	err("cannot restore the credentials of a handling thread");
	w->broken = true;
	return -EPERM;
}

/*
 * Is the thread of the request still waiting in it?  Anything read about
 * it before is then known to be about the right thread; credentials read
 * from /proc are kept for its next calls.
 */
bool request_id_valid(struct worker *w)
{
	/*
	 * Kept before the check, forgotten if it fails: kept after it, a
	 * thread killed in between, its id reused and the events drained
	 * meanwhile would leave the dead thread's credentials under the id.
	 */
	if (w->creds_fresh)
		credcache_put(&w->sv->cache, (pid_t)w->req->pid, &w->c);
	if (ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &w->req->id)) {
		if (w->creds_fresh)
			credcache_forget(&w->sv->cache, (pid_t)w->req->pid);
		w->creds_fresh = false;
		w->creds_id = 0;
		return false;
	}
	w->creds_fresh = false;
	return true;
}

/* The credentials of the requesting thread, kept or read from /proc. */
int request_creds(struct worker *w, struct creds *c)
{
	int rc;

	/* asked again for the same call (a move, a socket that waits): the
	 * thread is stopped in it, its credentials cannot have changed */
	if (w->creds_id && w->creds_id == w->req->id) {
		*c = w->c;
		return 0;
	}
	w->creds_id = 0;
	/* forks, execs and exits up to now: no stale entry is left */
	proc_events_sync(&w->sv->procs);
	w->creds_fresh = false;
	if (credcache_get(&w->sv->cache, (pid_t)w->req->pid, c, w->creds.child_groups)) {
		w->c = *c;
		w->creds_id = w->req->id;
		return 0;
	}
	/* /proc/TID/ns needs ptrace access: netsup's own credentials */
	rc = request_own(w);
	if (!rc)
		rc = creds_read(&w->creds, (pid_t)w->req->pid, c);
	if (!rc) {
		w->c = *c;
		w->creds_fresh = true;
		w->creds_id = w->req->id;
	}
	return rc;
}

/**
 * request_default() - the caller's default stack of a family
 * @w:		the handling thread
 * @c:		the caller's credentials, from request_creds() for this call
 * @fam:	enum stack_family
 *
 * request_creds() applied the process events queued up to this call: the
 * caller is stopped in it, so no later event can be about its ancestry,
 * and the table is not drained again (a system call per lookup).
 *
 * Return: the stack, referenced, or NULL for none
 */
struct stack *request_default(struct worker *w, const struct creds *c, int fam)
{
	if (w->creds_id && w->creds_id == w->req->id)
		return proc_default_synced(&w->sv->procs, c->tgid, c->ppid, fam);
	return proc_default(&w->sv->procs, c->tgid, c->ppid, fam);
}

/*
 * request_child_fd() - a copy of the caller's descriptor @fd
 *
 * pidfd_getfd(2) (Linux 5.6) on a pidfd of the calling thread
 * (PIDFD_THREAD, 6.9).  The pidfd is kept from call to call: most calls
 * come from the thread of the one before.  A kept pidfd names the thread
 * it was opened for, not its TID: once that thread is gone, pidfd_getfd
 * says ESRCH and a pidfd is opened for the TID as it is now, as it would
 * have been without keeping.  The access check (ptrace's, with netsup's
 * own credentials) is made by every pidfd_getfd.
 *
 * Return: the copy, or -errno
 */
int request_child_fd(struct worker *w, int fd)
{
	pid_t tid = (pid_t)w->req->pid;
	int cfd, tries;

	for (tries = 0; tries < 2; tries++) {
		if (w->pidfd < 0 || w->pidfd_tid != tid) {
			request_pidfd_drop(w);
			w->pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
			if (w->pidfd < 0)
				return -errno;
			w->pidfd_tid = tid;
			tries++;	/* a new pidfd: its answer stands */
		}
		cfd = (int)syscall(SYS_pidfd_getfd, w->pidfd, fd, 0);
		if (cfd >= 0)
			return cfd;
		if (errno != ESRCH)
			return -errno;
		request_pidfd_drop(w);
	}
	return -ESRCH;
}

/* Close the kept pidfd of request_child_fd(). */
void request_pidfd_drop(struct worker *w)
{
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->pidfd = -1;
}

/* Fail the call with @error (-errno). */
void request_fail(struct notify_reply *r, int error)
{
	r->what = NOTIFY_ERROR;
	r->error = error;
}

/*
 * request_inject() - install @fd in the thread of notification @id
 *
 * SECCOMP_IOCTL_NOTIF_ADDFD without SECCOMP_ADDFD_FLAG_SEND: the child
 * installs the descriptor and goes on waiting; the ioctl returns its
 * number.  The caller closes its copy and only then answers with SEND, so
 * that when the child runs again the socket has no second reference here
 * (with FLAG_SEND the child ran on at once, and a close(), a bind() of the
 * same port or a connect to a closed listener raced with our close).
 *
 * Return: the child's descriptor number, or -errno (ENOENT: the call is
 * gone; EMFILE and such: the child's own limits)
 */
static int request_inject(struct worker *w, int fd, bool cloexec, int setfd)
{
	struct seccomp_notif_addfd addfd = {
		.id = w->req->id,
		.srcfd = (__u32)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int rc;

	if (setfd >= 0) {	/* in a stray's place (stray.c) */
		addfd.flags = SECCOMP_ADDFD_FLAG_SETFD;
		addfd.newfd = (__u32)setfd;
	}
	rc = ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	return rc < 0 ? -errno : rc;
}

/*
 * A stray this thread was left by an interrupted call, still there, for
 * the answer's descriptor to take its place; false if none (stray.c).
 */
static bool request_stray_slot(struct worker *w, struct stray *st)
{
	if (!w->sv->interruptible ||
	    !stray_take(&w->sv->strays, (pid_t)w->req->pid, st) || request_own(w))
		return false;
	if (stray_is_there(st)) {
		debug("[pid %u] stray fd %d takes the answer", w->req->pid, st->nfd);
		return true;
	}
	debug("[pid %u] stray fd %d is gone", w->req->pid, st->nfd);
	return false;
}

/**
 * request_reply() - send the reply; the injected socket, if any, is closed
 * @w:		the handling thread, whose w->req names the notification
 * @r:		the outcome
 *
 * An fd is answered in three steps, ADDFD, close(), SEND, and the order is
 * the point: see request_inject().  It is also the fast order.  SEND wakes
 * the child with complete_on_current_cpu() when the listener has
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (kernel/seccomp.c,
 * seccomp_notify_send()), so the child runs on this CPU while this thread
 * blocks again in RECV; ADDFD|FLAG_SEND is answered from the child's side
 * (seccomp_handle_addfd() marks the notification replied and wakes us
 * with a plain complete()), so child and supervisor wake each other across
 * CPUs.  make bench has both against the bare mechanism (floorsup).
 *
 * Between ADDFD and SEND no signal can end the call where the filter has
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (sessions of kernel stacks).  A
 * userspace session's filter lacks it (its forwarded calls must be
 * interruptible): a signal landing in those few microseconds makes the
 * kernel restart or end the call with the descriptor already installed,
 * which SEND's ENOENT then tells; the descriptor is noted, and the
 * thread's next descriptor takes its place (stray.c).
 */
void request_reply(struct worker *w, struct notify_reply *r)
{
	struct seccomp_notif_resp *resp = w->resp;
	bool installed = false;	/* ADDFD put a descriptor in the child */
	struct stat st = { 0 };
	int rc;

	if (r->what == NOTIFY_DEFERRED)
		return;
	if (w->broken) {
		/* Fail closed: a thread with unknown credentials serves no one. */
		if (r->what == NOTIFY_FD)
			close(r->fd);
		request_fail(r, -EPERM);
		err("a handling thread lost its credentials: failing closed");
	}
	if (r->what == NOTIFY_FD) {
		struct stray old;
		bool replace = request_stray_slot(w, &old);

		if (w->sv->interruptible && fstat(r->fd, &st))
			st.st_ino = 0;
		rc = request_inject(w, r->fd, r->cloexec, replace ? old.nfd : -1);
		close(r->fd);
		if (rc < 0 && replace)
			stray_note(&w->sv->strays, &old);	/* still there */
		/*
		 * ENOENT: the call had ended before ADDFD.  ESRCH: it ended
		 * while ADDFD was queued, before the child took it (the
		 * kernel's "interrupted" path fails pending ADDFDs so).
		 * Either way nothing was installed and no one is waiting.
		 */
		if (rc == -ENOENT || rc == -ESRCH)
			return;
		if (rc < 0) {
			request_fail(r, rc);	/* EMFILE and such */
		} else {
			installed = true;
			r->what = NOTIFY_VALUE;
			r->val = rc;
		}
	}

	memset(resp, 0, w->sv->sizes.seccomp_notif_resp);
	resp->id = w->req->id;
	if (r->what == NOTIFY_CONTINUE)
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (r->what == NOTIFY_ERROR)
		resp->error = errset_filter(r->errset, r->error ? r->error : -ENOSYS);
	else if (r->what == NOTIFY_VALUE)
		resp->val = r->val;
	if (!ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_SEND, resp))
		return;
	if (errno != ENOENT)
		warn("[pid %u] cannot answer the notification: %s",
		     w->req->pid, strerror(errno));
	else if (installed && w->sv->interruptible && st.st_ino) {
		struct stray stray = { .tid = (pid_t)w->req->pid, .nfd = (int)r->val,
				       .dev = st.st_dev, .ino = st.st_ino };

		/* a signal ended the call after ADDFD: see stray.c */
		stray_note(&w->sv->strays, &stray);
		debug("[pid %u] interrupted after fd %lld was installed",
		      w->req->pid, r->val);
	}
}

/* Copy @c, its groups included, for a deferred request; NULL if no memory. */
static gid_t *request_creds_copy(struct creds *dst, const struct creds *c)
{
	gid_t *groups = malloc(sizeof(gid_t) * ((size_t)c->ngroups + 1));

	if (!groups)
		return NULL;
	*dst = *c;
	memcpy(groups, c->groups, sizeof(gid_t) * (size_t)c->ngroups);
	dst->groups = groups;
	return groups;
}

/*
 * Start a helper acting as the caller for the current request, and defer
 * the request until it answers (then @complete runs, on the loop thread).
 * @hw is zeroed, at the start of the caller's allocation; on success it
 * belongs to the loop, on failure its parts are undone but not it.
 */
int request_helper_start(struct worker *w, const struct creds *c,
			 const struct pathres_req *rq, struct request_helper *hw,
			 void (*complete)(struct deferred *, struct worker *, bool))
{
	struct pathres_view v;
	int rc;

	rc = request_own(w);
	if (!rc)
		rc = pathres_view_open((pid_t)w->req->pid, &v);
	if (rc)
		return rc;
	if (!request_id_valid(w)) {
		pathres_view_close(&v);
		return -ESRCH;
	}
	if (!request_creds_copy(&hw->c, c)) {
		pathres_view_close(&v);
		return -ENOMEM;
	}
	rc = pathres_start(&v, c, rq, &hw->job);
	pathres_view_close(&v);
	if (!rc) {
		hw->d.id = w->req->id;
		hw->d.tid = (pid_t)w->req->pid;
		hw->d.uid = c->ruid;
		hw->d.fd = hw->job.sock;
		hw->d.complete = complete;
		rc = supervisor_defer(w->sv, &hw->d, REQUEST_HELPER_TIMEOUT_MS);
		if (rc)
			pathres_finish(&hw->job, true);
	}
	if (rc) {
		free(hw->c.groups);
		hw->c.groups = NULL;
	}
	return rc;
}

/**
 * request_ref_take() - a reference to the notification @w holds now
 * @w:		the handling thread, with the request it received
 * @ref:	receives the reference
 * @mem:	also open the caller's memory, for writes (costs an open(2)
 *		and an ioctl: only for calls that write into the caller)
 *
 * The memory is opened with netsup's own credentials (ptrace access), then
 * the notification is validated: the file is the caller's memory.
 *
 * Return: 0, -ESRCH (the caller is gone), -EPERM (the thread cannot
 *	   restore its credentials), other -errno; on failure @ref holds
 *	   nothing to drop
 */
int request_ref_take(struct worker *w, struct request_ref *ref, bool mem)
{
	int rc;

	ref->id = w->req->id;
	ref->tid = (pid_t)w->req->pid;
	ref->mem = -1;
	if (!mem)
		return 0;
	rc = request_own(w);
	if (rc)
		return rc;
	ref->mem = childmem_open(ref->tid);
	if (ref->mem < 0) {
		rc = ref->mem;
		ref->mem = -1;
		return rc;
	}
	if (!request_valid(w->sv, ref)) {
		request_ref_drop(ref);
		return -ESRCH;
	}
	return 0;
}

/**
 * request_ref_drop() - let go of what a reference holds
 * @ref:	the reference (taken, or zeroed with mem -1)
 */
void request_ref_drop(struct request_ref *ref)
{
	if (ref->mem >= 0)
		close(ref->mem);
	ref->mem = -1;
}

/**
 * request_valid() - is the thread of @ref still waiting in its call?
 * @sv:		the supervisor
 * @ref:	the reference
 *
 * Return: true while the notification can be answered
 */
bool request_valid(const struct supervisor *sv, const struct request_ref *ref)
{
	__u64 id = ref->id;

	return !ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id);
}

/**
 * request_read() - copy exactly @len bytes from the caller's memory
 * @ref:	a reference taken with its memory
 * @addr:	address in the caller
 * @buf:	destination
 * @len:	bytes
 *
 * Return: 0, -EFAULT, -ESRCH (that memory is gone), -EBADF (no memory
 *	   was opened), other -errno
 */
int request_read(const struct request_ref *ref, uint64_t addr, void *buf, size_t len)
{
	if (ref->mem < 0)
		return -EBADF;
	return childmem_pread(ref->mem, addr, buf, len);
}

/**
 * request_write() - copy exactly @len bytes into the caller's memory
 * @ref:	a reference taken with its memory
 * @addr:	address in the caller
 * @buf:	source
 * @len:	bytes
 *
 * Return: 0, -EFAULT, -ESRCH (that memory is gone: nothing written),
 *	   -EBADF (no memory was opened), other -errno
 */
int request_write(const struct request_ref *ref, uint64_t addr, const void *buf, size_t len)
{
	if (ref->mem < 0)
		return -EBADF;
	return childmem_pwrite(ref->mem, addr, buf, len);
}

/**
 * request_answer() - answer the notification @ref names
 * @w:		the thread that answers (the loop's, for a late answer)
 * @ref:	the notification
 * @r:		the outcome (an fd in it is closed)
 */
void request_answer(struct worker *w, const struct request_ref *ref, struct notify_reply *r)
{
	/* request_reply() answers what w->req names */
	w->req->id = ref->id;
	w->req->pid = (__u32)ref->tid;
	request_reply(w, r);
}

/**
 * request_result() - answer with a value, or an error if it is negative
 * @w:		the thread that answers
 * @ref:	the notification
 * @v:		the call's return value, or -errno
 */
void request_result(struct worker *w, const struct request_ref *ref, long long v)
{
	struct notify_reply r = { .what = NOTIFY_VALUE, .val = v };

	if (v < 0)
		request_fail(&r, (int)v);
	request_answer(w, ref, &r);
}
