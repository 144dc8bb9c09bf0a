// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fdpass.c - a message with at most one descriptor over a UNIX socket
 *
 * SCM_RIGHTS (unix(7)) moves an open file between processes: the
 * supervisor's listener from the command, a stack file from the path
 * helper, a socket from a stack daemon.  The receiving side trusts
 * nothing: MSG_CMSG_CLOEXEC so that no descriptor leaks into a later
 * exec, a truncated message or control part is an error (MSG_TRUNC,
 * MSG_CTRUNC), and any descriptor beyond the one expected is closed.
 * Only system calls: fdpass_send() runs in forked helpers of a threaded
 * process, where nothing that takes a lock may run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"

/* Room for a few descriptors: a hostile sender's extras are closed. */
#define FDPASS_MAX	8

/**
 * fdpass_send() - send @buf, with @fd attached unless it is negative
 * @sock:	connected UNIX socket
 * @buf:	the message
 * @len:	its length (at least 1 for a stream socket)
 * @fd:		descriptor to pass, or -1
 *
 * Return: bytes sent, or -errno
 */
ssize_t fdpass_send(int sock, const void *buf, size_t len, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] __attribute__((aligned(8))) = { 0 };
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t n;

	if (fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/**
 * fdpass_recv() - receive one message and at most one descriptor
 * @sock:	connected UNIX socket
 * @buf:	room for the message
 * @len:	its size
 * @fd:		receives the descriptor (O_CLOEXEC), or -1 if none came
 * @flags:	recvmsg(2) flags, e.g. MSG_DONTWAIT
 *
 * Return: bytes received (0: end of file), or -errno: -EMSGSIZE if the
 *	   message or its control part did not fit, -EBADMSG if more than
 *	   one descriptor or anything but SCM_RIGHTS came (all closed)
 */
ssize_t fdpass_recv(int sock, void *buf, size_t len, int *fd, int flags)
{
	char cbuf[CMSG_SPACE(FDPASS_MAX * sizeof(int))] __attribute__((aligned(8)));
	struct iovec iov = { buf, len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int fds[FDPASS_MAX], nfds = 0, i, bad = 0;
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	do
		n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) {
			bad = 1;
			continue;
		}
		for (k = 0; CMSG_LEN((k + 1) * sizeof(int)) <= cm->cmsg_len &&
			    nfds < FDPASS_MAX; k++)
			memcpy(&fds[nfds++], CMSG_DATA(cm) + k * sizeof(int), sizeof(int));
	}
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC) || nfds > 1 || bad) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		return msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC) ? -EMSGSIZE : -EBADMSG;
	}
	if (nfds)
		*fd = fds[0];
	return n;
}
