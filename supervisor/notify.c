// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notify.c - a notification: what it asks for, and who serves it
 *
 * The kernel interfaces, all on the listener fd of the filter:
 * - SECCOMP_IOCTL_NOTIF_RECV (5.0) takes one notification: the calling
 *   thread's id, the architecture, the system call and its six arguments;
 * - SECCOMP_IOCTL_NOTIF_ID_VALID (5.0) tells whether that thread is still
 *   waiting in that call: asked after reading anything about it from
 *   /proc or its memory, because only then is its TID known not to have
 *   been reused;
 * - SECCOMP_IOCTL_NOTIF_ADDFD (5.9) installs our socket in the child's
 *   fd table, with O_CLOEXEC if the child asked for SOCK_CLOEXEC, and
 *   returns its number; we close our copy, then answer with SEND (never
 *   SECCOMP_ADDFD_FLAG_SEND: see request_reply());
 * - SECCOMP_IOCTL_NOTIF_SEND (5.0) answers with a value, an errno, or with
 *   SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5) lets the call run in the child:
 *   used only for socket() of a family without a default stack, whose
 *   arguments are registers the child can no longer change.
 * The answering (ADDFD, close, SEND) is request.c's, the making of a
 * socket create.c's, msocket (system call -5) msockcall.c's, the calls
 * forwarded to userspace stacks ucall*.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include "childmem.h"
#include "create.h"
#include "credcache.h"
#include "creds.h"
#include "errset.h"
#include "filter.h"
#include "ifioctl.h"
#include "uiface.h"
#include "move.h"
#include "msockcall.h"
#include "log.h"
#include "pathres.h"
#include "notify.h"
#include "supervisor.h"
#include "ucall.h"
#include "ucall_table.h"
#include "ustack.h"
#include "../shim/msocket.h"

#ifndef AUDIT_ARCH_I386
#define AUDIT_ARCH_I386		0x40000003
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif
#define I386_NR_SOCKETCALL	102
#define I386_NR_SOCKET		359

/* What a notification asks for. */
enum notify_call {
	CALL_OTHER,
	CALL_SOCKET,		/* socket(2), arguments in registers */
	CALL_SOCKETCALL,	/* i386 socketcall(SYS_SOCKET, args) */
	CALL_MSOCKET,		/* msocket, system call -5 */
	CALL_CREDS,		/* set*id, capset...: forget the thread's creds */
	CALL_NSCHANGE,		/* unshare, setns: creds, and the namespace */
	CALL_CLONE,		/* clone(CLONE_PARENT or CLONE_NEWNET) */
	CALL_IFIOCTL,		/* ioctl(SIOCGIF*) */
	CALL_USOCK,		/* bind, connect...: maybe a userspace socket */
};


static enum notify_call notify_classify(const struct seccomp_notif *req)
{
	int nr = req->data.nr;
	uint64_t args[6];

	switch (req->data.arch) {
	case AUDIT_ARCH_X86_64:
		if (nr == MSOCKET_SYSCALL)
			return CALL_MSOCKET;
		if ((nr & ~X32_SYSCALL_BIT) == SYS_socket)
			return CALL_SOCKET;
		break;
	case AUDIT_ARCH_I386:
		if (nr == I386_NR_SOCKET)
			return CALL_SOCKET;
		if (nr == I386_NR_SOCKETCALL &&
		    (uint32_t)req->data.args[0] == SYS_SOCKET)
			return CALL_SOCKETCALL;
		/* bind, connect...: socketcall's, and the direct calls of
		 * the table of forwarded calls (libseccomp names those by
		 * socketcall's pseudo numbers, so filter_call_kind() does
		 * not know them): ucall.c */
		if (nr == I386_NR_SOCKETCALL)
			return CALL_USOCK;
		memcpy(args, req->data.args, sizeof(args));
		if (ucall_table_find(AUDIT_ARCH_I386, nr, args))
			return CALL_USOCK;
		break;
	}
	switch (filter_call_kind(req->data.arch, nr)) {
	case FILTER_CALL_CREDS:
		return CALL_CREDS;
	case FILTER_CALL_UNSHARE:
	case FILTER_CALL_SETNS:
		return CALL_NSCHANGE;
	case FILTER_CALL_CLONE:
		return CALL_CLONE;
	case FILTER_CALL_IOCTL:
		/* FIONREAD...: notified in sessions with userspace stacks */
		if (ucall_table_ioctl((uint32_t)req->data.args[1]))
			return CALL_USOCK;
		return CALL_IFIOCTL;
	case FILTER_CALL_USOCK:
		return CALL_USOCK;
	case FILTER_CALL_OTHER:
		break;
	}
	return CALL_OTHER;
}

/*
 * A thread that moved to another network namespace by itself (setns,
 * unshare(CLONE_NEWNET), clone(CLONE_NEWNET)) has taken charge of its
 * networking: its sockets, and those of the processes it starts, are made
 * where it is, as without netsup (ip netns exec, unshare -n, nsenter).
 * The first such call records the namespace the tree started in; from
 * then on socket() compares the thread's namespace with it.  Sessions
 * where nobody moves pay nothing.
 */
static void notify_note_move(struct worker *w)
{
	struct supervisor *sv = w->sv;
	char path[64];
	struct stat st;

	if (__atomic_load_n(&sv->moved, __ATOMIC_ACQUIRE) || request_own(w))
		return;
	snprintf(path, sizeof(path), "/proc/%u/ns/net", w->req->pid);
	if (stat(path, &st))
		return;
	pthread_mutex_lock(&sv->dlock);
	if (!sv->moved) {
		sv->base_dev = st.st_dev;
		sv->base_ino = st.st_ino;
		__atomic_store_n(&sv->moved, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&sv->dlock);
}

/* Has the requesting thread left the namespace the tree started in? */
static bool notify_moved(struct worker *w)
{
	const struct supervisor *sv = w->sv;
	char path[64];
	struct stat st;

	if (!__atomic_load_n(&sv->moved, __ATOMIC_ACQUIRE) || request_own(w))
		return false;
	snprintf(path, sizeof(path), "/proc/%u/ns/net", w->req->pid);
	if (stat(path, &st))
		return false;
	return st.st_dev != sv->base_dev || st.st_ino != sv->base_ino;
}

/* socket(2), and socketcall(SYS_SOCKET) once its arguments are copied. */
static void notify_socket(struct worker *w, int domain, int type, int protocol,
			  bool from_memory, struct notify_reply *r)
{
	struct proctab *procs = &w->sv->procs;
	int idx = stack_family_index(domain);
	struct stack *s = NULL, *own = NULL;
	bool have_creds = false;
	struct creds c;
	char path[64];
	int rc = 0;

	if (idx >= 0 && notify_moved(w)) {
		/* its own namespace, by its own choice: no default applies */
	} else if (idx >= 0 && !proc_count(procs)) {
		/* No process has defaults of its own: no need to know which. */
		s = stack_get(procs->root[idx]);
	} else if (idx >= 0) {
		rc = request_creds(w, &c);
		if (rc)
			goto out;
		have_creds = true;
		s = proc_default(procs, c.tgid, c.ppid, idx);
	}
	if (s && !stack_serves_protocol(s, domain, protocol)) {
		/* e.g. a userspace stack's rtnetlink: its sock_diag, generic
		 * netlink, audit and uevents stay with netsup's namespace */
		stack_put(s);
		s = NULL;
	}
	if (!s && !from_memory) {
		/* The registers cannot change: the child may run it itself. */
		r->what = NOTIFY_CONTINUE;
		create_log(w, have_creds ? &c : NULL, "socket", domain, type, NULL, r);
		return;
	}

	if (!have_creds) {
		rc = request_creds(w, &c);
		have_creds = !rc;
	}
	if (!rc && !s) {
		/*
		 * Arguments read from memory could be rewritten between our
		 * read and the kernel's: never let such a call run, create it
		 * in the child's own stack instead.
		 */
		snprintf(path, sizeof(path), "/proc/%u/ns/net", w->req->pid);
		rc = request_own(w);
		if (!rc)
			rc = stack_open(path, &own);
		if (rc == -ENOTSUP)
			rc = -EAFNOSUPPORT;
	}
	/*
	 * Only what was read about the thread needs the check: with kept
	 * credentials and register arguments, nothing was, and ADDFD itself
	 * fails on a notification that is gone.
	 */
	if (!rc && (w->creds_fresh || from_memory || own) && !request_id_valid(w))
		rc = -ESRCH;
	if (!rc)
		create_socket(w, s ? s : own, &c, domain, type, protocol, r);
	else
		request_fail(r, rc);
	create_log(w, have_creds || !rc ? &c : NULL, "socket", domain, type, s, r);
	rc = 0;
out:
	if (rc)
		request_fail(r, rc);
	stack_put(s);
	stack_put(own);
}

static void notify_socketcall(struct worker *w, struct notify_reply *r)
{
	uint32_t args[3];
	int rc;

	rc = request_own(w);	/* process_vm_readv needs ptrace access */
	if (rc) {
		request_fail(r, rc);
		return;
	}
	rc = childmem_read((pid_t)w->req->pid, (uint32_t)w->req->data.args[1],
			   args, sizeof(args));
	if (rc) {
		request_fail(r, rc == -ESRCH ? -ESRCH : -EFAULT);
		return;
	}
	notify_socket(w, (int)args[0], (int)args[1], (int)args[2], true, r);
}

/*
 * clone(CLONE_PARENT): the new process's parent is its creator's parent,
 * and the process events connector reports it so, without the creator:
 * it would take its grandparent's default stacks.  A process whose own
 * stacks differ from its parent's may not escape them so; everybody else
 * clones as usual.  The flags are in a register: what is checked is what
 * runs.
 */
static void notify_clone(struct worker *w, struct notify_reply *r)
{
	struct proctab *procs = &w->sv->procs;
	bool same = true;
	struct creds c;
	int i, rc;

	if (w->req->data.args[0] & CLONE_NEWNET)
		notify_note_move(w);
	if (!(w->req->data.args[0] & CLONE_PARENT) || (w->req->data.args[0] & CLONE_THREAD)) {
		r->what = NOTIFY_CONTINUE;	/* a thread: the same process */
		return;
	}
	if (!proc_count(procs)) {
		r->what = NOTIFY_CONTINUE;	/* everybody has the same */
		return;
	}
	rc = request_creds(w, &c);
	if (rc) {
		request_fail(r, rc);
		return;
	}
	for (i = 0; i < FAM_COUNT; i++) {
		struct stack *mine = proc_default(procs, c.tgid, c.ppid, i);
		struct stack *theirs = proc_default(procs, c.ppid, 0, i);

		if (mine != theirs && (!mine || !theirs || !stack_same(mine, theirs)))
			same = false;
		stack_put(mine);
		stack_put(theirs);
	}
	if (same) {
		r->what = NOTIFY_CONTINUE;
		return;
	}
	if (log_get_level() >= LOG_INFO)
		log_pid(LOG_INFO, c.tgid,
			"clone(CLONE_PARENT) refused: the child would take its grandparent's stacks");
	request_fail(r, -EPERM);
}

/*
 * ioctl(fd, SIOCGIF*, arg): on a socket of the child's own namespace (an
 * AF_UNIX one, as glibc's if_nametoindex uses), answered from the stack
 * of its inet default (inet6 if it has only that): ifioctl.c.  A socket
 * in that stack already, a thread that moved by itself, a process
 * without such a default, another architecture: the kernel answers.
 */
static void notify_ifioctl(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	struct proctab *procs = &w->sv->procs;
	int fd = -1, ns = -1, sock = -1, rc, domain = AF_INET;
	struct stack *s = NULL;
	struct creds c;
	struct stat st;

	r->what = NOTIFY_CONTINUE;
	if (d->arch != AUDIT_ARCH_X86_64 || (d->nr & X32_SYSCALL_BIT) || notify_moved(w))
		return;
	if (request_creds(w, &c))
		return;
	s = proc_default(procs, c.tgid, c.ppid, FAM_INET);
	if (!s) {
		s = proc_default(procs, c.tgid, c.ppid, FAM_INET6);
		domain = AF_INET6;
	}
	if (s && stack_served_by_daemon(s)) {
		uiface_ioctl(w, s, c.ruid, r);	/* asked of its daemon: uiface.c */
		goto out;
	}
	if (!s || request_own(w))
		goto out;
	/* pidfd_getfd (5.6) needs ptrace access: netsup's own credentials */
	fd = request_child_fd(w, (int)d->args[0]);
	if (fd >= 0)
		ns = ioctl(fd, SIOCGSKNS);
	if (ns < 0 || fstat(ns, &st) || (st.st_dev == s->dev && st.st_ino == s->ino))
		goto out;	/* not a socket, or one in the stack already */
	if (!request_id_valid(w)) {
		request_fail(r, -ESRCH);
		goto out;
	}
	rc = 0;
	if (!stack_entered(s, &w->stack))
		rc = stack_enter(s, &w->stack);
	if (!rc)
		rc = creds_wear(&w->creds, &c);
	if (rc == -ENOTRECOVERABLE) {
		w->broken = true;
		rc = -EPERM;
	}
	if (!rc)
		rc = sock = stack_socket(s, &w->stack, domain, SOCK_DGRAM, 0);
	if (rc >= 0)
		rc = ifioctl_emulate((pid_t)w->req->pid, sock, (unsigned long)(uint32_t)d->args[1],
				     d->args[2]);
	if (rc < 0)
		request_fail(r, rc);
	else
		r->what = NOTIFY_ZERO;
out:
	if (sock >= 0)
		close(sock);
	if (ns >= 0)
		close(ns);
	if (fd >= 0)
		close(fd);
	stack_put(s);
}

/**
 * notify_handle() - serve the notification in @w->req and answer it
 * @w:		the handling thread
 */
void notify_handle(struct worker *w)
{
	const struct seccomp_data *d = &w->req->data;
	struct notify_reply r = { .what = NOTIFY_ERROR, .error = -ENOSYS };

	enum notify_call call = notify_classify(w->req);

	/* a thread waits in one call at a time: what it deferred is stale */
	supervisor_caller_moved_on(w->sv, (pid_t)w->req->pid);
	if (call == CALL_SOCKET || call == CALL_SOCKETCALL || call == CALL_MSOCKET)
		r.errset = ERRSET_SOCKET;
	switch (call) {
	case CALL_SOCKET:
		notify_socket(w, (int)d->args[0], (int)d->args[1],
			      (int)d->args[2], false, &r);
		break;
	case CALL_SOCKETCALL:
		notify_socketcall(w, &r);
		break;
	case CALL_MSOCKET:
		msockcall_handle(w, &r);
		break;
	case CALL_CREDS:
		/* The call runs after this answer: the thread waits till then. */
		credcache_forget(&w->sv->cache, (pid_t)w->req->pid);
		r.what = NOTIFY_CONTINUE;
		break;
	case CALL_NSCHANGE:
		credcache_forget(&w->sv->cache, (pid_t)w->req->pid);
		/* unshare(flags), setns(fd, nstype): 0 may be any type */
		if (filter_call_kind(d->arch, d->nr) == FILTER_CALL_UNSHARE ?
		    (d->args[0] & CLONE_NEWNET) != 0 :
		    (!(uint32_t)d->args[1] || (uint32_t)d->args[1] == CLONE_NEWNET))
			notify_note_move(w);
		r.what = NOTIFY_CONTINUE;
		break;
	case CALL_CLONE:
		notify_clone(w, &r);
		break;
	case CALL_IFIOCTL:
		notify_ifioctl(w, &r);
		break;
	case CALL_USOCK:
		if (!move_call(w, &r))	/* --route, --user-net: move.c */
			ucall_handle(w, &r);
		break;
	case CALL_OTHER:
		break;
	}
	request_reply(w, &r);
}

/**
 * notify_recv() - receive the next notification into @w->req
 * @w:		the handling thread
 *
 * Return: 0, or -errno (ENOENT: it went away, or no process uses the
 *	   filter; EINTR)
 */
int notify_recv(struct worker *w)
{
	memset(w->req, 0, w->sv->sizes.seccomp_notif);
	if (ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_RECV, w->req))
		return -errno;
	return 0;
}

/**
 * notify_worker_new() - the state of one thread that handles requests
 * @sv:		the supervisor
 *
 * Return: the worker, or NULL
 */
struct worker *notify_worker_new(struct supervisor *sv)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->sv = sv;
	w->pidfd = -1;
	w->req = calloc(1, sv->sizes.seccomp_notif);
	w->resp = calloc(1, sv->sizes.seccomp_notif_resp);
	if (!w->req || !w->resp || stack_thread_init(&w->stack) ||
	    creds_thread_init(&w->creds)) {
		free(w->req);
		free(w->resp);
		free(w);
		return NULL;
	}
	return w;
}

/**
 * notify_worker_free() - free a worker
 * @w:		the worker, or NULL
 */
void notify_worker_free(struct worker *w)
{
	if (!w)
		return;
	creds_thread_fini(&w->creds);
	request_pidfd_drop(w);
	free(w->req);
	free(w->resp);
	free(w);
}

/**
 * notify_fast_paths() - set the listener's flags for the fastest answers
 * @sv:		the supervisor
 *
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): the child hands its CPU
 * to the handling thread blocked in RECV, and SEND hands it back, instead
 * of waking the other up elsewhere.  Every answer ends with a SEND (an fd
 * too: ADDFD, close, SEND), so every answer takes the fast wake-up;
 * make bench measures it on and off.
 * NETSUP_NO_SYNC_WAKEUP=1 leaves it off, for comparison.
 */
void notify_fast_paths(struct supervisor *sv)
{
	__u64 flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;

	sv->sync_wakeup = !getenv("NETSUP_NO_SYNC_WAKEUP") &&
		!ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
	debug("synchronous wake-up: %s", sv->sync_wakeup ? "on" : "off");
}
