// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * request.c - a notification referenced for a late answer
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
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "childmem.h"
#include "request.h"

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
	rc = notify_own(w);
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
	/* notify_answer() answers what w->req names */
	w->req->id = ref->id;
	w->req->pid = (__u32)ref->tid;
	notify_answer(w, r);
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
		notify_fail(&r, (int)v);
	request_answer(w, ref, &r);
}
