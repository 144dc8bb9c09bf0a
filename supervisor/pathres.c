// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathres.c - act as a supervised process would, in a helper process
 *
 * msocket() names a stack by a path of the child: relative to its working
 * directory, inside its root (chroot), opened with its permissions.  And a
 * child in a user namespace of its own must get a socket only as it could
 * make it itself.  Both run in a short-lived helper process, not in
 * netsup:
 *
 * - inside netsup, /proc/self and /proc/thread-self would be netsup: its
 *   open descriptors (/proc/self/fd/N: every stack it holds), its root,
 *   the namespace a handling thread sits in.  The kernel lets a process
 *   follow its own /proc links whatever credentials it wears.  The helper
 *   is a process of its own, with no descriptor left but its socket, in
 *   the child's network namespace: /proc/self there names nothing the
 *   child could not reach itself;
 * - it takes the child's root and cwd (/proc/TID/root and cwd, chroot(2)
 *   and fchdir(2)), so ".." and absolute symbolic links stop at the
 *   child's root, and the child's mounts under it are seen;
 * - it wears the child's effective and fs ids, groups and capabilities,
 *   so every permission and ptrace check (/proc/PID/ns/net) is the
 *   child's; its real and saved user ids stay netsup's, so that the child
 *   may not signal or stop it (kill(2) compares the sender's ids with the
 *   target's real and saved ids), and it is not dumpable (no ptrace);
 * - a child in another user namespace than netsup's is acted for inside
 *   that namespace (setns(CLONE_NEWUSER), Linux 3.8, single-threaded
 *   callers only: the helper is one), with the capabilities the child has
 *   there.  Worn from netsup's namespace instead, the child's euid would
 *   own every user namespace the child made, and the kernel gives a
 *   namespace's owner every capability in it, even where the child itself
 *   has none (a sibling namespace's /proc/PID/ns/net, CAP_NET_RAW).  Root
 *   of its own namespace, the child may signal the helper there: that is
 *   bounded like everything else below;
 * - it answers with a descriptor (SCM_RIGHTS) or an errno.  netsup does not
 *   wait for it: the request is deferred (supervisor.c) and answered when
 *   the helper's answer arrives, or when the helper has taken longer than
 *   PATHRES_TIMEOUT_MS (a FUSE or NFS mount that never answers); then it
 *   is killed through its pidfd, which cannot name a reused pid.  The
 *   supervisor ignores SIGCHLD, so helpers are reaped by the kernel.
 * Only system calls run in the helper between clone(2) and _exit(2): the
 * supervisor has threads, so nothing that could wait on their locks.
 *
 * The caller re-validates the notification after pathres_view_open(): the
 * view is then known to be that of the thread that asked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "pathres.h"
#include "../stacks/stack.h"
#include "../common/fdpass.h"
#include "../common/util.h"
#include "../common/fileid.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD	0x00001000
#endif

static void pathres_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/**
 * pathres_view_open() - open the root, cwd and namespaces of a thread
 * @tid:	the thread
 * @v:		receives them
 *
 * Return: 0, -ESRCH if the thread is gone, other -errno
 */
int pathres_view_open(pid_t tid, struct pathres_view *v)
{
	static const char *const what[] = { "root", "cwd", "ns/net", "ns/user" };
	int *fds[] = { &v->root, &v->cwd, &v->net, &v->user };
	char path[64];
	size_t i;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)tid, what[i]);
		*fds[i] = open(path, (i < 2 ? O_PATH | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
		if (*fds[i] < 0 && !rc)
			rc = errno == ENOENT ? -ESRCH : -errno;
	}
	if (rc)
		pathres_view_close(v);
	return rc;
}

/**
 * pathres_view_close() - close a view
 * @v:		the view
 */
void pathres_view_close(struct pathres_view *v)
{
	pathres_close(&v->root);
	pathres_close(&v->cwd);
	pathres_close(&v->net);
	pathres_close(&v->user);
}

/* Close every descriptor but the @n kept (sorted in place). */
static void pathres_close_others(int *keep, int n)
{
	int i, j, lo = 0;

	for (i = 0; i < n; i++)		/* a handful: insertion sort */
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (keep[i] < lo)
			continue;	/* -1, or a duplicate */
		if (keep[i] > lo)
			syscall(SYS_close_range, lo, keep[i] - 1, 0);
		lo = keep[i] + 1;
	}
	syscall(SYS_close_range, lo, ~0U, 0);
}

/* Send an errno (positive) or, with @fd, a descriptor; then exit. */
static void __attribute__((noreturn)) pathres_answer(int sock, int error, int fd)
{
	fdpass_send(sock, &error, sizeof(error), error ? -1 : fd);
	_exit(0);
}

/* Everything the helper needs, prepared before the clone. */
struct pathres_helper_args {
	int sock;
	const struct pathres_view *v;
	const struct creds *c;
	const struct pathres_req *rq;
	struct __user_cap_data_struct caps[2];	/* to wear at the end */
	bool enter_user;			/* the child's user namespace */
	bool enter_net;				/* its network namespace: not ours */
	bool enter_root;			/* its root: not ours */
	bool set_groups;			/* its groups: not ours */
};

/*
 * Wear the child's ids: effective and fs only, real and saved stay.  What
 * is already the helper's is not changed: an unprivileged netsup serving
 * its own user's child may not call setgroups at all.
 */
static int pathres_wear_ids(const struct creds *c, bool set_groups)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if ((set_groups && syscall(SYS_setgroups, (size_t)c->ngroups, c->groups)) ||
	    syscall(SYS_setresgid, c->egid, c->egid, c->egid) ||
	    syscall(SYS_setfsgid, c->fsgid) < 0 ||
	    syscall(SYS_setresuid, -1, c->euid, -1))
		return EPERM;
	/* an effective uid off 0 cleared the effective set: back, for fsuid
	 * and setns; the permitted set was kept (ruid and suid are still 0) */
	if (syscall(SYS_capget, &hdr, data))
		return EPERM;
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) || syscall(SYS_setfsuid, c->fsuid) < 0 ||
	    syscall(SYS_setfsuid, -1) != (long)c->fsuid ||
	    syscall(SYS_setfsgid, -1) != (long)c->fsgid)
		return EPERM;
	return 0;
}

/* The helper: system calls only. */
static int __attribute__((noreturn)) pathres_helper(struct pathres_helper_args *a)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	const struct pathres_view *v = a->v;
	const struct pathres_req *rq = a->rq;
	int keep[6] = { a->sock, v->root, v->cwd, v->net, v->user, rq->netns };
	int sock = a->sock, fd, error;
	const struct stack_kind *kind;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	pathres_close_others(keep, 6);
	if (rq->op == PATHRES_OPEN) {
		if ((a->enter_net && setns(v->net, CLONE_NEWNET)) ||
		    (a->enter_root && (fchdir(v->root) || chroot("."))) ||
		    fchdir(v->cwd))
			pathres_answer(sock, errno, -1);
	} else if (setns(rq->netns, CLONE_NEWNET)) {
		pathres_answer(sock, errno, -1);
	}
	error = pathres_wear_ids(a->c, a->set_groups);
	if (error)
		pathres_answer(sock, error, -1);
	if (a->enter_user && setns(v->user, CLONE_NEWUSER))
		pathres_answer(sock, errno == EINVAL ? EPERM : errno, -1);
	/* the child's capabilities, as effective and permitted: no way up */
	if (syscall(SYS_capset, &hdr, a->caps))
		pathres_answer(sock, EPERM, -1);

	if (rq->op == PATHRES_SOCKET) {
		fd = socket(rq->domain, rq->type | SOCK_CLOEXEC, rq->protocol);
		pathres_answer(sock, fd < 0 ? errno : 0, fd);
	}
	fd = open(rq->path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		pathres_answer(sock, errno, -1);
	/* what its kind takes: a namespace file is read, a daemon's socket
	 * written to; not a stack at all, read (stack_from_fd() says ENOTSUP).
	 * stack_kind_of() is fstat(2), fstatfs(2) and comparisons: no lock */
	kind = stack_kind_of(fd);
	if (faccessat(fd, "", kind ? kind->access : R_OK, AT_EMPTY_PATH | AT_EACCESS))
		pathres_answer(sock, errno, -1);
	pathres_answer(sock, 0, fd);
}

/* Is @fd another file than @own (a namespace, a root) of netsup's? */
static bool pathres_differs(int fd, const char *own)
{
	struct stat mine, st;

	if (fstat(fd, &st) || stat(own, &mine))
		return true;
	return !fileid_same(&st, &mine);
}

/* Are @c's groups other than the calling thread's? */
static bool pathres_other_groups(const struct creds *c)
{
	gid_t own[256];
	int n = getgroups(256, own);

	return n < 0 || n != c->ngroups ||
	       memcmp(own, c->groups, sizeof(gid_t) * (size_t)n) != 0;
}

/**
 * pathres_start() - start a helper acting as the child
 * @v:		the child's view, from pathres_view_open()
 * @c:		the child's credentials
 * @rq:		what to do
 * @job:	receives the helper's socket and pidfd
 *
 * Needs netsup's own credentials (setns, chroot, setting ids).  The
 * answer is collected by pathres_finish() once @job->sock is readable.
 *
 * Return: 0 or -errno
 */
int pathres_start(const struct pathres_view *v, const struct creds *c,
		  const struct pathres_req *rq, struct pathres_job *job)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct pathres_helper_args a = { .v = v, .c = c, .rq = rq };
	int sp[2], pidfd = -1, rc;
	uint64_t eff;
	long pid;

	/* everything the helper needs is prepared here, before the clone */
	a.enter_user = pathres_differs(v->user, "/proc/self/ns/user");
	a.enter_net = pathres_differs(v->net, "/proc/thread-self/ns/net");
	a.enter_root = pathres_differs(v->root, "/");
	a.set_groups = pathres_other_groups(c);
	if (syscall(SYS_capget, &hdr, a.caps))
		return -errno;
	/* in its own namespace, the child's set; in ours, what we have of it */
	eff = a.enter_user ? c->cap_eff_ns : c->cap_eff;
	a.caps[0].effective = (uint32_t)eff;
	a.caps[1].effective = (uint32_t)(eff >> 32);
	if (!a.enter_user) {
		a.caps[0].effective &= a.caps[0].permitted;
		a.caps[1].effective &= a.caps[1].permitted;
	}
	a.caps[0].permitted = a.caps[0].effective;
	a.caps[1].permitted = a.caps[1].effective;
	a.caps[0].inheritable = a.caps[1].inheritable = 0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp))
		return -errno;
	a.sock = sp[1];
	/* a pidfd from the clone itself: a helper reaped at once (SIGCHLD is
	 * ignored) leaves no pid that a later kill could hit elsewhere */
	pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
	if (pid < 0) {
		rc = -errno;
		close(sp[0]);
		close(sp[1]);
		return rc;
	}
	if (!pid)
		pathres_helper(&a);
	close(sp[1]);
	job->sock = sp[0];
	job->pidfd = pidfd;
	return 0;
}

/**
 * pathres_finish() - collect a helper's answer, and end it
 * @job:	the helper; closed here
 * @give_up:	its time is up: kill it, answer -ETIMEDOUT
 *
 * Return: a descriptor, or -errno (-ETIMEDOUT: the helper hung; -EIO:
 *	   it died without an answer)
 */
int pathres_finish(struct pathres_job *job, bool give_up)
{
	int error = EIO, fd = -1, rc = -ETIMEDOUT;
	ssize_t n;

	if (!give_up) {
		n = fdpass_recv(job->sock, &error, sizeof(error), &fd, MSG_DONTWAIT);
		if (n != (ssize_t)sizeof(error) || (error && fd >= 0) ||
		    (!error && fd < 0) || error < 0) {
			rc = -EIO;
			if (fd >= 0)
				close(fd);
		} else {
			rc = error ? -error : fd;
		}
	}
	/* stopped after answering, or never answering: it ends now */
	if (job->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, job->pidfd, SIGKILL, NULL, 0);
	pathres_close(&job->sock);
	pathres_close(&job->pidfd);
	return rc;
}
