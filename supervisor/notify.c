// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notify.c - the notification loop: receive, decide, create, inject, answer
 *
 * The kernel interfaces, all on the listener fd of the filter:
 * - SECCOMP_IOCTL_NOTIF_RECV (5.0) takes one notification: the calling
 *   thread's id, the architecture, the system call and its six arguments;
 * - SECCOMP_IOCTL_NOTIF_ID_VALID (5.0) tells whether that thread is still
 *   waiting in that call: asked after reading anything about it from
 *   /proc or its memory, because only then is its TID known not to have
 *   been reused;
 * - SECCOMP_IOCTL_NOTIF_ADDFD (5.9) installs our socket in the child's
 *   fd table, with O_CLOEXEC if the child asked for SOCK_CLOEXEC; with
 *   SECCOMP_ADDFD_FLAG_SEND (5.14) the same ioctl also answers the call
 *   with the new fd number, atomically;
 * - SECCOMP_IOCTL_NOTIF_SEND (5.0) answers with an errno, or with
 *   SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5) lets the call run in the child:
 *   used only for socket() of a family without a default stack, whose
 *   arguments are registers the child can no longer change.
 * msocket (system call -5) names a stack by a path in the child's memory:
 * it is copied once (bounded by PATH_MAX), opened as the child would open
 * it (its root and cwd, its credentials: pathres.c, creds.c) and only then
 * used, with the notification re-validated after every read.
 *
 * poll() on the listener reports POLLHUP once no task uses the filter any
 * more (5.8): then the whole supervised tree is gone and the loop ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/net.h>
#include <linux/seccomp.h>

#include "childmem.h"
#include "credcache.h"
#include "creds.h"
#include "filter.h"
#include "log.h"
#include "pathres.h"
#include "supervisor.h"
#include "../shim/msocket.h"

#ifndef AUDIT_ARCH_X86_64
#define AUDIT_ARCH_X86_64	0xc000003e
#endif
#ifndef AUDIT_ARCH_I386
#define AUDIT_ARCH_I386		0x40000003
#endif
#define X32_SYSCALL_BIT		0x40000000
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif
#define I386_NR_SOCKETCALL	102
#define I386_NR_SOCKET		359

/* Threads receiving notifications (see the bench before changing it). */
#define NOTIFY_WORKERS	1

/* What a notification asks for. */
enum notify_call {
	CALL_OTHER,
	CALL_SOCKET,		/* socket(2), arguments in registers */
	CALL_SOCKETCALL,	/* i386 socketcall(SYS_SOCKET, args) */
	CALL_MSOCKET,		/* msocket, system call -5 */
	CALL_CREDS,		/* set*id, capset...: forget the thread's creds */
};

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

/* The outcome of a request, before it is sent. */
struct notify_reply {
	int fd;			/* socket to inject, or -1 */
	int error;		/* -errno for the child, when fd < 0 */
	bool ok;		/* answer 0 (msocket SOCK_DEFAULT) */
	bool cont;		/* let the call run in the child */
	bool cloexec;
};

static enum notify_call notify_classify(const struct seccomp_notif *req)
{
	int nr = req->data.nr;

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
		break;
	}
	if (filter_is_creds_call(req->data.arch, nr))
		return CALL_CREDS;
	return CALL_OTHER;
}

/* Back to netsup's own credentials, for a privileged step. */
static int notify_own(struct worker *w)
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
static bool notify_id_valid(struct worker *w)
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
		return false;
	}
	w->creds_fresh = false;
	return true;
}

/* The credentials of the requesting thread, kept or read from /proc. */
static int notify_creds(struct worker *w, struct creds *c)
{
	int rc;

	/* forks, execs and exits up to now: no stale entry is left */
	proc_events_sync(&w->sv->procs);
	w->creds_fresh = false;
	if (credcache_get(&w->sv->cache, (pid_t)w->req->pid, c, w->creds.child_groups))
		return 0;
	/* /proc/TID/ns needs ptrace access: netsup's own credentials */
	rc = notify_own(w);
	if (!rc)
		rc = creds_read(&w->creds, (pid_t)w->req->pid, c);
	if (!rc) {
		w->c = *c;
		w->creds_fresh = true;
	}
	return rc;
}

static const char *notify_type_name(int type)
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
 * Create a socket in @s for the thread of the current request, wearing its
 * credentials.  @c has been read and re-validated by the caller.
 */
static void notify_create(struct worker *w, struct stack *s, const struct creds *c,
			  int domain, int type, int protocol, struct notify_reply *r)
{
	int rc = 0;

	if (__atomic_load_n(&s->removed, __ATOMIC_ACQUIRE)) {
		r->error = -ENETDOWN;	/* see notify_mounts_changed() */
		return;
	}
	/* setns needs netsup's own CAP_SYS_ADMIN: only when moving */
	if (!stack_entered(s, &w->stack)) {
		rc = notify_own(w);
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
		r->error = rc;
		return;
	}
	r->fd = rc;
	r->cloexec = type & SOCK_CLOEXEC;
}

static void notify_log(struct worker *w, const struct creds *c, const char *call,
		       int domain, int type, const struct stack *s,
		       const struct notify_reply *r)
{
	int idx = stack_family_index(domain);
	char fam[16];

	if (log_get_level() < LOG_INFO)
		return;
	if (idx >= 0)
		snprintf(fam, sizeof(fam), "%s", stack_family_name(idx));
	else
		snprintf(fam, sizeof(fam), "%d", domain);
	if (r->cont)
		log_pid(LOG_INFO, c ? c->tgid : (pid_t)w->req->pid,
			"%s(%s, %s): own stack", call, fam, notify_type_name(type));
	else if (r->fd >= 0 && c)
		log_pid(LOG_INFO, c->tgid, "%s(%s, %s): %s: created",
			call, fam, notify_type_name(type), s ? s->path : "own stack");
	else
		log_pid(LOG_INFO, c ? c->tgid : (pid_t)w->req->pid,
			"%s(%s, %s): %s: %s", call, fam, notify_type_name(type),
			s ? s->path : "-", strerror(-r->error));
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

	if (idx >= 0 && !proc_count(procs)) {
		/* No process has defaults of its own: no need to know which. */
		s = stack_get(procs->root[idx]);
	} else if (idx >= 0) {
		rc = notify_creds(w, &c);
		if (rc)
			goto out;
		have_creds = true;
		s = proc_default(procs, c.tgid, c.ppid, idx);
	}
	if (!s && !from_memory) {
		/* The registers cannot change: the child may run it itself. */
		r->cont = true;
		notify_log(w, have_creds ? &c : NULL, "socket", domain, type, NULL, r);
		return;
	}

	if (!have_creds) {
		rc = notify_creds(w, &c);
		have_creds = !rc;
	}
	if (!rc && !s) {
		/*
		 * Arguments read from memory could be rewritten between our
		 * read and the kernel's: never let such a call run, create it
		 * in the child's own stack instead.
		 */
		snprintf(path, sizeof(path), "/proc/%u/ns/net", w->req->pid);
		rc = notify_own(w);
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
	if (!rc && (w->creds_fresh || from_memory || own) && !notify_id_valid(w))
		rc = -ESRCH;
	if (!rc)
		notify_create(w, s ? s : own, &c, domain, type, protocol, r);
	else
		r->error = rc;
	notify_log(w, have_creds || !rc ? &c : NULL, "socket", domain, type, s, r);
	rc = 0;
out:
	if (rc)
		r->error = rc;
	stack_put(s);
	stack_put(own);
}

static void notify_socketcall(struct worker *w, struct notify_reply *r)
{
	uint32_t args[3];
	int rc;

	rc = notify_own(w);	/* process_vm_readv needs ptrace access */
	if (rc) {
		r->error = rc;
		return;
	}
	rc = childmem_read((pid_t)w->req->pid, (uint32_t)w->req->data.args[1],
			   args, sizeof(args));
	if (rc) {
		r->error = rc == -ESRCH ? -ESRCH : -EFAULT;
		return;
	}
	notify_socket(w, (int)args[0], (int)args[1], (int)args[2], true, r);
}

/*
 * Open the stack @path names, as the child would: in its root and cwd,
 * with its credentials, in a helper process (pathres.c), so that it gets
 * only a stack file it could open itself.  The notification is
 * re-validated once the child's view is open.
 */
static int notify_open_stack(struct worker *w, const struct creds *c,
			     const char *path, struct stack **out)
{
	struct pathres_view v;
	int rc, fd;

	rc = pathres_view_open((pid_t)w->req->pid, &v);
	if (rc)
		return rc;
	if (!notify_id_valid(w)) {
		pathres_view_close(&v);
		return -ESRCH;
	}
	fd = pathres_open(&v, c, path);
	pathres_view_close(&v);
	if (fd < 0)
		return fd == -ETIMEDOUT ? -EIO : fd;
	rc = stack_from_fd(fd, path, out);
	close(fd);
	return rc;
}

/* msocket(path, domain, type, protocol): system call -5. */
static void notify_msocket(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	uint64_t upath = d->args[0];
	int domain = (int)d->args[1], type = (int)d->args[2], protocol = (int)d->args[3];
	bool set_default = !(type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC));
	struct proctab *procs = &w->sv->procs;
	int idx = stack_family_index(domain), rc, i;
	unsigned int families = 0;
	struct stack *s = NULL;
	struct creds c;

	if (set_default && (type != SOCK_DEFAULT || protocol)) {
		r->error = -EINVAL;
		return;
	}
	if (set_default && domain == AF_UNSPEC)
		families = FAM_MASK_ALL;
	else if (idx >= 0)
		families = 1U << idx;
	else {
		r->error = -EAFNOSUPPORT;
		return;
	}

	rc = notify_own(w);	/* reads the child's memory and /proc */
	if (!rc)
		rc = notify_creds(w, &c);
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
	if (!rc && !notify_id_valid(w))
		rc = -ESRCH;
	if (rc)
		goto out;

	if (upath) {
		rc = notify_open_stack(w, &c, w->path, &s);
		if (!rc)
			rc = policy_check(&w->sv->policy, s);
	} else {
		/* NULL: the default; for AF_UNSPEC any family's will do */
		for (i = 0; i < FAM_COUNT && !s; i++)
			if (families & (1U << i))
				s = proc_default(procs, c.tgid, c.ppid, i);
		if (!s)
			rc = -ENOENT;
	}
	if (rc)
		goto out;
	if (!(s->families & families)) {
		rc = -EAFNOSUPPORT;
		goto out;
	}
	if (set_default && !upath) {
		/* the default made the default: nothing changes */
		r->ok = true;
		goto out;
	}

	if (set_default) {
		rc = proc_set_default(procs, c.tgid, c.ppid, families & s->families, s);
		if (!rc)
			r->ok = true;
		if (log_get_level() >= LOG_INFO)
			log_pid(LOG_INFO, c.tgid, "msocket(%s, SOCK_DEFAULT): %s",
				domain == AF_UNSPEC ? "unspec" : stack_family_name(idx),
				rc ? strerror(-rc) : s->path);
	} else {
		notify_create(w, s, &c, domain, type, protocol, r);
		notify_log(w, &c, "msocket", domain, type, s, r);
	}
out:
	if (rc)
		r->error = rc;
	stack_put(s);
}

/* Send the reply; the injected socket, if any, is closed here. */
static void notify_answer(struct worker *w, struct notify_reply *r)
{
	struct seccomp_notif_resp *resp = w->resp;
	int rc;

	if (r->fd >= 0) {
		struct seccomp_notif_addfd addfd = {
			.id = w->req->id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.srcfd = (__u32)r->fd,
			.newfd_flags = r->cloexec ? O_CLOEXEC : 0,
		};

		rc = ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
		close(r->fd);
		if (rc >= 0 || errno == ENOENT)
			return;		/* answered, or the child is gone */
		r->error = -errno;	/* EMFILE and such: the child's own */
	}

	memset(resp, 0, w->sv->sizes.seccomp_notif_resp);
	resp->id = w->req->id;
	if (r->cont)
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (!r->ok)
		resp->error = r->error ? r->error : -ENOSYS;
	if (ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_SEND, resp) && errno != ENOENT)
		warn("[pid %u] cannot answer the notification: %s",
		     w->req->pid, strerror(errno));
}

static void notify_handle(struct worker *w)
{
	const struct seccomp_data *d = &w->req->data;
	struct notify_reply r = { .fd = -1 };

	switch (notify_classify(w->req)) {
	case CALL_SOCKET:
		notify_socket(w, (int)d->args[0], (int)d->args[1],
			      (int)d->args[2], false, &r);
		break;
	case CALL_SOCKETCALL:
		notify_socketcall(w, &r);
		break;
	case CALL_MSOCKET:
		notify_msocket(w, &r);
		break;
	case CALL_CREDS:
		/* The call runs after this answer: the thread waits till then. */
		credcache_forget(&w->sv->cache, (pid_t)w->req->pid);
		r.cont = true;
		break;
	case CALL_OTHER:
		r.error = -ENOSYS;
		break;
	}
	if (w->broken) {
		/* Fail closed: a thread with unknown credentials serves no one. */
		if (r.fd >= 0)
			close(r.fd);
		r = (struct notify_reply){ .fd = -1, .error = -EPERM };
		err("a handling thread lost its credentials: failing closed");
	}
	notify_answer(w, &r);
}

static int notify_recv(struct worker *w)
{
	memset(w->req, 0, w->sv->sizes.seccomp_notif);
	if (ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_RECV, w->req))
		return -errno;
	return 0;
}

/* The netsup that waits for the command has exited: let go of its stdio. */
static void notify_detach(struct supervisor *sv)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	close(sv->parent_pidfd);
	sv->parent_pidfd = -1;
}

static int worker_init(struct worker *w, struct supervisor *sv)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->sv = sv;
	w->req = calloc(1, sv->sizes.seccomp_notif);
	w->resp = calloc(1, sv->sizes.seccomp_notif_resp);
	if (!w->req || !w->resp)
		return -ENOMEM;
	rc = stack_thread_init(&w->stack);
	if (!rc)
		rc = creds_thread_init(&w->creds);
	return rc;
}

static void worker_fini(struct worker *w)
{
	creds_thread_fini(&w->creds);
	free(w->req);
	free(w->resp);
}

/*
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): the child hands its CPU to
 * the handling thread blocked in RECV, and SEND hands it back, instead of
 * waking the other up elsewhere.  Measured (make bench): a call answered
 * with CONTINUE costs a third less.  ADDFD_FLAG_SEND wakes the child the
 * ordinary way; splitting it into ADDFD then SEND (safe with
 * WAIT_KILLABLE_RECV) was measured slower: ADDFD is a round trip of its
 * own, since the child installs the descriptor itself.  So the flag is
 * set, and answers with a socket stay one ADDFD_FLAG_SEND.
 * NETSUP_NO_SYNC_WAKEUP=1 leaves it off, for comparison.
 */
static void notify_fast_paths(struct supervisor *sv)
{
	__u64 flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;

	sv->sync_wakeup = !getenv("NETSUP_NO_SYNC_WAKEUP") &&
		!ioctl(sv->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags);
	debug("synchronous wake-up: %s", sv->sync_wakeup ? "on" : "off");
}

/*
 * The mount table changed (POLLPRI on /proc/self/mountinfo): a stack file
 * of --default may have been unmounted or removed (ip netns del,
 * netsup-stack del).  Sockets already made in it keep working; new ones
 * get ENETDOWN.  Stacks named through msocket() are held by the processes
 * that chose them and are not checked.
 */
static void notify_mounts_changed(struct supervisor *sv)
{
	char buf[4096];
	int i;

	lseek(sv->mounts_fd, 0, SEEK_SET);
	while (read(sv->mounts_fd, buf, sizeof(buf)) > 0)
		;	/* read to the end: that re-arms POLLPRI */
	for (i = 0; i < FAM_COUNT; i++) {
		struct stack *s = sv->procs.root[i];

		if (s && !__atomic_load_n(&s->removed, __ATOMIC_ACQUIRE) &&
		    stack_check_removed(s))
			warn("%s was removed: new %s sockets get ENETDOWN",
			     s->path, stack_family_name(i));
	}
}

/* No process uses the filter any more (POLLHUP on the listener, 5.8)? */
static bool notify_orphaned(const struct supervisor *sv)
{
	struct pollfd pfd = { .fd = sv->listener };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/*
 * A handling thread: blocks in SECCOMP_IOCTL_NOTIF_RECV, where the
 * synchronous wake-up reaches it directly.  From Linux 6.6 RECV returns
 * ENOENT once no process uses the filter; before, the main thread
 * interrupts it with a signal.
 */
static void *notify_worker(void *arg)
{
	struct worker *w = arg;
	int rc;

	while (!__atomic_load_n(&w->sv->stop, __ATOMIC_ACQUIRE)) {
		rc = notify_recv(w);
		if (!rc)
			notify_handle(w);
		else if (rc == -ENOENT && notify_orphaned(w->sv))
			break;
		else if (rc != -ENOENT && rc != -EINTR) {
			err("cannot receive notifications: %s", strerror(-rc));
			break;
		}
	}
	/* fail closed: the main thread exits, the listener closes, ENOSYS */
	__atomic_store_n(&w->sv->stop, true, __ATOMIC_RELEASE);
	if (eventfd_write(w->sv->stop_fd, 1)) {
		/* the main thread sees stop at its next wake-up */
	}
	return NULL;
}

static void notify_wakeup_signal(int sig)
{
	(void)sig;	/* only there to interrupt RECV */
}

/**
 * supervisor_run() - serve notifications until no process uses the filter
 * @sv:		the supervisor, with its listener and defaults
 *
 * NOTIFY_WORKERS threads receive and serve notifications; this thread
 * watches the process events, the netsup that waits for the command, and
 * the listener's POLLHUP.
 *
 * Return: 0 when the supervised tree is gone, or -errno
 */
int supervisor_run(struct supervisor *sv)
{
	struct sigaction sa = { .sa_handler = notify_wakeup_signal };
	struct worker w[NOTIFY_WORKERS];
	pthread_t threads[NOTIFY_WORKERS];
	int i, n = 0, rc;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sv->sizes))
		return -errno;
	sv->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (sv->stop_fd < 0)
		return -errno;
	sv->mounts_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (sv->mounts_fd >= 0)
		notify_mounts_changed(sv);	/* arms POLLPRI */
	notify_fast_paths(sv);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: RECV returns EINTR */

	for (i = 0; i < NOTIFY_WORKERS; i++) {
		rc = worker_init(&w[i], sv);
		if (rc)
			break;
		rc = pthread_create(&threads[i], NULL, notify_worker, &w[i]);
		if (rc) {
			rc = -rc;
			break;
		}
		n++;
	}
	if (!n) {
		if (i < NOTIFY_WORKERS)
			worker_fini(&w[i]);
		return rc;
	}
	if (i < NOTIFY_WORKERS)
		worker_fini(&w[i]);
	rc = 0;

	while (!__atomic_load_n(&sv->stop, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd[5] = {
			{ .fd = sv->listener, .events = 0 },	/* POLLHUP only */
			{ .fd = sv->procs.cn_fd, .events = POLLIN },
			{ .fd = sv->parent_pidfd, .events = POLLIN },
			{ .fd = sv->stop_fd, .events = POLLIN },
			{ .fd = sv->mounts_fd, .events = POLLPRI },
		};

		if (poll(pfd, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (pfd[1].revents)
			proc_events_drain(&sv->procs);
		if (pfd[2].revents)
			notify_detach(sv);
		if (pfd[4].revents)
			notify_mounts_changed(sv);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
	}
	__atomic_store_n(&sv->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++) {
		pthread_kill(threads[i], SIGUSR1);
		pthread_join(threads[i], NULL);
		worker_fini(&w[i]);
	}
	close(sv->stop_fd);
	if (sv->mounts_fd >= 0)
		close(sv->mounts_fd);
	return rc;
}
