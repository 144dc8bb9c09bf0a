// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathres.c - open a path as a supervised process would
 *
 * msocket() names a stack by a path of the child: relative to its working
 * directory, inside its root (chroot), opened with its permissions.  The
 * lookup runs in a short-lived helper process, not in netsup:
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
 * - it wears the child's credentials whole: real, effective and fs ids,
 *   groups, and the child's effective capabilities as its only ones, so
 *   every permission and ptrace check (/proc/PID/ns/net) and the owner
 *   checks of user namespaces are the child's;
 * - it answers with the O_PATH descriptor (SCM_RIGHTS) or an errno, and
 *   is killed if it takes longer than PATHRES_TIMEOUT_MS (a FUSE mount of
 *   the child that never answers).
 * Only system calls run in the helper between fork(2) and _exit(2): the
 * supervisor has threads, so nothing that could wait on their locks.
 *
 * The caller re-validates the notification after pathres_view_open(): the
 * view is then known to be that of the thread that asked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "pathres.h"

#define PATHRES_TIMEOUT_MS	2000

/**
 * pathres_view_open() - open the root, cwd and network namespace of a thread
 * @tid:	the thread
 * @v:		receives them
 *
 * Return: 0, -ESRCH if the thread is gone, other -errno
 */
int pathres_view_open(pid_t tid, struct pathres_view *v)
{
	char path[64];
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)tid);
	v->root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)tid);
	v->cwd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)tid);
	v->net = open(path, O_RDONLY | O_CLOEXEC);
	if (v->root < 0 || v->cwd < 0 || v->net < 0) {
		rc = errno == ENOENT ? -ESRCH : -errno;
		pathres_view_close(v);
	}
	return rc;
}

/**
 * pathres_view_close() - close a view
 * @v:		the view
 */
void pathres_view_close(struct pathres_view *v)
{
	if (v->root >= 0)
		close(v->root);
	if (v->cwd >= 0)
		close(v->cwd);
	if (v->net >= 0)
		close(v->net);
	v->root = v->cwd = v->net = -1;
}

/* Close every descriptor but the four kept (sorted copy in @keep). */
static void pathres_close_others(int keep[4])
{
	int i, j, lo = 0;

	for (i = 0; i < 4; i++)		/* four items: insertion sort */
		for (j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (i = 0; i < 4; i++) {
		if (keep[i] > lo)
			syscall(SYS_close_range, lo, keep[i] - 1, 0);
		lo = keep[i] + 1;
	}
	syscall(SYS_close_range, lo, ~0U, 0);
}

/* Send an errno (positive) or, with @fd, a descriptor; then exit. */
static void __attribute__((noreturn)) pathres_answer(int sock, int error, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &error, sizeof(error) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	sendmsg(sock, &msg, MSG_NOSIGNAL);
	_exit(0);
}

/* The helper: system calls only. */
static void __attribute__((noreturn))
pathres_helper(int sock, const struct pathres_view *v, const struct creds *c,
	       const char *path, const struct __user_cap_data_struct *caps)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int keep[4] = { sock, v->root, v->cwd, v->net }, fd;

	pathres_close_others(keep);
	if (setns(v->net, CLONE_NEWNET) || fchdir(v->root) || chroot(".") ||
	    fchdir(v->cwd))
		pathres_answer(sock, errno, -1);
	close(v->root);
	close(v->cwd);
	close(v->net);

	/* ids first (they need CAP_SETUID/SETGID), capabilities last */
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (syscall(SYS_setgroups, (size_t)c->ngroups, c->groups) ||
	    syscall(SYS_setresgid, c->egid, c->egid, c->egid) ||
	    syscall(SYS_setfsgid, c->fsgid) < 0 ||
	    syscall(SYS_setresuid, c->euid, c->euid, c->euid))
		pathres_answer(sock, EPERM, -1);
	/* setfsuid to other than the euid needs CAP_SETUID back a moment */
	memcpy(data, caps, sizeof(data));
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) || syscall(SYS_setfsuid, c->fsuid) < 0 ||
	    syscall(SYS_setfsuid, -1) != (long)c->fsuid ||
	    syscall(SYS_setfsgid, -1) != (long)c->fsgid)
		pathres_answer(sock, EPERM, -1);
	/* the child's effective set, as effective and permitted: no way up */
	memcpy(data, caps, sizeof(data));
	data[0].permitted = data[0].effective;
	data[1].permitted = data[1].effective;
	data[0].inheritable = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data))
		pathres_answer(sock, EPERM, -1);

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		pathres_answer(sock, errno, -1);
	if (faccessat(fd, "", R_OK, AT_EMPTY_PATH | AT_EACCESS))
		pathres_answer(sock, errno, -1);
	pathres_answer(sock, 0, fd);
}

/* Wait for the helper's answer: a descriptor, or -errno. */
static int pathres_receive(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	int error = EIO, fd = -1;
	struct iovec iov = { &error, sizeof(error) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	if (poll(&pfd, 1, PATHRES_TIMEOUT_MS) <= 0)
		return -ETIMEDOUT;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n != sizeof(error))
		return -EIO;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (error) {
		if (fd >= 0)
			close(fd);
		return -error;
	}
	return fd >= 0 ? fd : -EIO;
}

/**
 * pathres_open() - open @path as the child would, in a helper process
 * @v:		the child's view, from pathres_view_open()
 * @c:		the child's credentials
 * @path:	the path, as the child gave it
 *
 * Needs netsup's own credentials (setns, chroot, setting ids).
 *
 * Return: an O_PATH descriptor, or -errno (-ETIMEDOUT: the lookup hung)
 */
int pathres_open(const struct pathres_view *v, const struct creds *c,
		 const char *path)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2];
	int sp[2], rc;
	pid_t pid;

	/* everything the helper needs is prepared here, before the fork */
	if (syscall(SYS_capget, &hdr, caps))
		return -errno;
	caps[0].effective = (uint32_t)c->cap_eff & caps[0].permitted;
	caps[1].effective = (uint32_t)(c->cap_eff >> 32) & caps[1].permitted;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp))
		return -errno;
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(sp[0]);
		close(sp[1]);
		return rc;
	}
	if (!pid)
		pathres_helper(sp[1], v, c, path, caps);
	close(sp[1]);
	rc = pathres_receive(sp[0]);
	close(sp[0]);
	if (rc == -ETIMEDOUT)
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return rc;
}
