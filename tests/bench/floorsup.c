// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floorsup - the least a supervisor can do: the floor netsup is measured
 * against
 *
 * floorsup [--addfd-send] NETNS CMD [ARG]...
 * Runs CMD under a seccomp filter that notifies socket(AF_INET, ...) and
 * nothing else, and serves each notification the cheapest *correct* way
 * the kernel allows: socket() in NETNS (entered once), then
 * SECCOMP_IOCTL_NOTIF_ADDFD without SEND, close() of our copy, and
 * SECCOMP_IOCTL_NOTIF_SEND with the child's number, with
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP set as netsup sets it.  The filter
 * has SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19), so no signal can end
 * the call between ADDFD and SEND.  No
 * credentials, no policy, no defaults per process.
 *
 * --addfd-send answers with one ADDFD|SECCOMP_ADDFD_FLAG_SEND instead and
 * closes our copy afterwards: what netsup did before, incorrect (the child
 * runs on while our reference keeps its socket alive), kept as a row of
 * make bench to show the cost of the wake-up it takes.
 *
 * floorsup --continue - CMD [ARG]...
 * notifies connect() and setsockopt() instead, socket() not, and answers
 * each with SECCOMP_USER_NOTIF_FLAG_CONTINUE at once: the floor of a
 * --user-net session's connection to the host, whose socket() runs
 * unnotified and whose connect() and setsockopt() are notified (as every
 * call a userspace stack forwards is).  NETNS "-" is none: as a user.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif

/*
 * The filter: x86-64 only; with @cont connect() and setsockopt() are
 * notified, else socket(AF_INET, ...); the rest runs.  no_new_privs
 * first, as a user needs it (and root does not mind).
 */
static int floor_filter(bool cont)
{
	const __u32 a = cont ? SYS_connect : SYS_socket;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* cont: connect or setsockopt; else socket with args[0] AF_INET */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a, cont ? 3 : 0, cont ? 0 : 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, cont ? SYS_setsockopt : (__u32)-1, 2, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, cont ? (__u32)-1 : AF_INET, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER |
			    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
}

static void floor_send_fd(int sock, int fd)
{
	char c = 0, cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &m, 0) != 1)
		_exit(125);
}

static int floor_recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	int fd = -1;

	if (recvmsg(sock, &m, 0) == 1 && CMSG_FIRSTHDR(&m))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	return fd;
}

int main(int argc, char **argv)
{
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int sp[2], ns, listener, status;
	bool addfd_send = false, cont = false;
	pid_t child;

	if (argc > 1 && !strcmp(argv[1], "--addfd-send")) {
		addfd_send = true;
		argv++;
		argc--;
	} else if (argc > 1 && !strcmp(argv[1], "--continue")) {
		cont = true;
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: floorsup [--addfd-send|--continue] NETNS|- CMD [ARG]...\n");
		return 2;
	}
	if (strcmp(argv[1], "-")) {
		ns = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (ns < 0 || setns(ns, CLONE_NEWNET)) {
			perror(argv[1]);
			return 125;
		}
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp)) {
		perror("socketpair");
		return 125;
	}
	child = fork();
	if (!child) {
		close(sp[0]);
		listener = floor_filter(cont);
		if (listener < 0)
			_exit(125);
		floor_send_fd(sp[1], listener);
		close(listener);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	close(sp[1]);
	listener = floor_recv_fd(sp[0]);
	if (listener < 0 || syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz))
		return 125;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	req = calloc(1, sz.seccomp_notif);
	resp = calloc(1, sz.seccomp_notif_resp);
	for (;;) {
		struct seccomp_notif_addfd addfd = { 0 };
		int fd, nfd;

		memset(req, 0, sz.seccomp_notif);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req)) {
			if (errno == EINTR)
				continue;
			break;		/* ENOENT: the child is gone */
		}
		if (cont) {
			memset(resp, 0, sz.seccomp_notif_resp);
			resp->id = req->id;
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
			continue;
		}
		fd = socket((int)req->data.args[0], (int)req->data.args[1] | SOCK_CLOEXEC,
			    (int)req->data.args[2]);
		if (fd < 0) {
			memset(resp, 0, sz.seccomp_notif_resp);
			resp->id = req->id;
			resp->error = -errno;
			ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
			continue;
		}
		addfd.id = req->id;
		addfd.srcfd = (__u32)fd;
		addfd.newfd_flags = (req->data.args[1] & SOCK_CLOEXEC) ? O_CLOEXEC : 0;
		if (addfd_send) {
			addfd.flags = SECCOMP_ADDFD_FLAG_SEND;
			ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
			close(fd);
			continue;
		}
		nfd = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
		close(fd);
		memset(resp, 0, sz.seccomp_notif_resp);
		resp->id = req->id;
		if (nfd < 0)
			resp->error = -errno;
		else
			resp->val = nfd;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
