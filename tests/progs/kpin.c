// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kpin - pin the kernel behaviours netsup relies on, as the kernel's own
 * seccomp selftests do (tools/testing/selftests/seccomp/seccomp_bpf.c)
 *
 * kpin CASE: runs one case, prints "CASE: ok" and exits 0, or names what
 * the kernel did otherwise and exits 1; "CASE: skip REASON" exits 77 where
 * the kernel is older than the behaviour.  No root needed: the filter is
 * installed under no_new_privs, in a child of this program.
 *
 *   addfd-waits     ADDFD without FLAG_SEND returns the child's descriptor
 *                   number while the child still waits in its call, and
 *                   the descriptor is installed; SEND then returns that
 *                   number from the call (request.c, request_reply())
 *   id-valid        NOTIF_ID_VALID fails with ENOENT once the thread of a
 *                   notification is killed (every re-validation)
 *   recv-enoent     RECV fails with ENOENT, and poll() gives POLLHUP, once
 *                   no process uses the filter (6.6 / 5.8: the end of the
 *                   receiving loop, notify_orphaned())
 *   killable        with WAIT_KILLABLE_RECV (5.19), a signal after RECV does
 *                   not end the call: the answer sent after it is the
 *                   call's result (why kernel sessions may ADDFD then SEND)
 *   interruptible   without it, the same signal ends the call, and SEND
 *                   then fails with ENOENT (userspace sessions' forwarded
 *                   calls can be interrupted; see filter.c)
 *   sync-wakeup     SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP is accepted (6.6)
 *   outq-dgram      on an AF_UNIX datagram socketpair, SIOCOUTQ rises by a
 *                   fixed amount per datagram, falls by exactly that amount
 *                   when it is read, and MSG_PEEK changes nothing
 *                   (DESIGN.md, UDP source addresses)
 */
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "progs.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif

#define KPIN_NR		SYS_getppid	/* the notified call: no arguments */
#define KPIN_SKIP	77

static const char *kpin_case;

#define kpin_fail(...) do { printf("%s: ", kpin_case); printf(__VA_ARGS__); \
	putchar('\n'); exit(1); } while (0)

/* A filter that notifies getppid() and allows the rest; its listener. */
static int kpin_filter(unsigned long flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KPIN_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER | flags, &prog);
}

static void kpin_send_fd(int sock, int fd)
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

static int kpin_recv_fd(int sock)
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

static void kpin_on_signal(int sig)
{
	(void)sig;
}

/*
 * A child under the filter that calls getppid() once and reports its
 * result (or -errno) on @report; *listener receives the filter's listener.
 * With SA_RESTART off, an interrupted call returns EINTR.
 */
static pid_t kpin_child(unsigned long flags, int *listener, int *report)
{
	int sp[2], rp[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) || pipe(rp))
		kpin_fail("socketpair: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		kpin_fail("fork: %s", strerror(errno));
	if (!pid) {
		struct sigaction sa = { .sa_handler = kpin_on_signal };
		long rc;
		int l;

		sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
		close(sp[0]);
		close(rp[0]);
		l = kpin_filter(flags);
		if (l < 0)
			_exit(KPIN_SKIP);
		kpin_send_fd(sp[1], l);
		close(l);
		rc = syscall(KPIN_NR);
		if (rc < 0)
			rc = -errno;
		if (write(rp[1], &rc, sizeof(rc)) != sizeof(rc))
			_exit(125);
		pause();
		_exit(0);
	}
	close(sp[1]);
	close(rp[1]);
	*listener = kpin_recv_fd(sp[0]);
	close(sp[0]);
	*report = rp[0];
	if (*listener < 0) {
		int status;

		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == KPIN_SKIP) {
			printf("%s: skip the kernel refused the filter's flags\n", kpin_case);
			exit(KPIN_SKIP);
		}
		kpin_fail("no listener");
	}
	return pid;
}

static void kpin_recv(int listener, struct seccomp_notif *req)
{
	memset(req, 0, sizeof(*req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req))
		kpin_fail("RECV: %s", strerror(errno));
}

static int kpin_send(int listener, __u64 id, long long val)
{
	struct seccomp_notif_resp resp = { .id = id, .val = val };

	return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) ? -errno : 0;
}

/* The state letter of @pid's /proc stat: S or D (killable) while it waits. */
static char kpin_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static long kpin_result(int report)
{
	long rc;

	if (read(report, &rc, sizeof(rc)) != sizeof(rc))
		kpin_fail("the child did not report");
	return rc;
}

static void kpin_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int kpin_addfd_waits(void)
{
	struct seccomp_notif req;
	struct pollfd p;
	int listener, report, fd, nfd, got;
	char path[64];
	pid_t pid = kpin_child(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &listener, &report);

	kpin_recv(listener, &req);
	fd = open("/dev/null", O_RDONLY);
	struct seccomp_notif_addfd addfd = { .id = req.id, .srcfd = (__u32)fd };

	nfd = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	if (nfd < 0)
		kpin_fail("ADDFD: %s", strerror(errno));
	close(fd);
	p = (struct pollfd){ .fd = report, .events = POLLIN };
	if (poll(&p, 1, 100) != 0 || !strchr("SD", kpin_state(pid)))
		kpin_fail("the child ran on after ADDFD without FLAG_SEND");
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, nfd);
	if (access(path, F_OK))
		kpin_fail("fd %d not installed in the child", nfd);
	if (kpin_send(listener, req.id, nfd))
		kpin_fail("SEND: %s", strerror(errno));
	got = (int)kpin_result(report);
	if (got != nfd)
		kpin_fail("the call returned %d, ADDFD said %d", got, nfd);
	kpin_reap(pid);
	return 0;
}

static int kpin_id_valid(void)
{
	struct seccomp_notif req;
	int listener, report;
	pid_t pid = kpin_child(0, &listener, &report);

	kpin_recv(listener, &req);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id))
		kpin_fail("ID_VALID of a waiting thread: %s", strerror(errno));
	kpin_reap(pid);
	if (!ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) || errno != ENOENT)
		kpin_fail("ID_VALID of a killed thread did not fail with ENOENT");
	return 0;
}

static int kpin_recv_enoent(void)
{
	struct seccomp_notif req;
	struct pollfd p;
	int listener, report;
	pid_t pid = kpin_child(0, &listener, &report);

	kpin_recv(listener, &req);
	kpin_reap(pid);
	p = (struct pollfd){ .fd = listener, .events = POLLIN };
	if (poll(&p, 1, 1000) != 1 || !(p.revents & POLLHUP))
		kpin_fail("no POLLHUP on the listener of a filter nobody uses");
	memset(&req, 0, sizeof(req));
	if (!ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) || errno != ENOENT)
		kpin_fail("RECV did not fail with ENOENT (%s)", strerror(errno));
	return 0;
}

/* A signal after RECV: with @killable, the answer still lands. */
static int kpin_signal_after_recv(bool killable)
{
	struct seccomp_notif req;
	struct pollfd p;
	int listener, report, rc;
	long got;
	pid_t pid = kpin_child(killable ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0,
			       &listener, &report);

	kpin_recv(listener, &req);
	kill(pid, SIGUSR1);
	p = (struct pollfd){ .fd = report, .events = POLLIN };
	poll(&p, 1, 200);	/* time for the signal to land, if it ends the call */
	rc = kpin_send(listener, req.id, 4242);
	got = kpin_result(report);
	kpin_reap(pid);
	if (killable && (rc || got != 4242))
		kpin_fail("the signal ended the call (SEND %d, result %ld)", rc, got);
	if (!killable && (rc != -ENOENT || got != -EINTR))
		kpin_fail("the signal did not end the call (SEND %d, result %ld)", rc, got);
	return 0;
}

static int kpin_sync_wakeup(void)
{
	struct seccomp_notif req;
	int listener, report;
	pid_t pid = kpin_child(0, &listener, &report);

	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP)) {
		kpin_reap(pid);
		printf("%s: skip SET_FLAGS: %s\n", kpin_case, strerror(errno));
		return KPIN_SKIP;
	}
	kpin_recv(listener, &req);
	if (kpin_send(listener, req.id, 7) || kpin_result(report) != 7)
		kpin_fail("SEND with the synchronous wake-up");
	kpin_reap(pid);
	return 0;
}

static int kpin_outq(int fd)
{
	int q;

	if (ioctl(fd, SIOCOUTQ, &q))
		kpin_fail("SIOCOUTQ: %s", strerror(errno));
	return q;
}

static int kpin_outq_dgram(void)
{
	static char buf[1000];
	size_t sizes[] = { 10, 100, 1000 };
	int sp[2], before, after1, step, i;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp))
		kpin_fail("socketpair: %s", strerror(errno));
	for (i = 0; i < 3; i++) {
		before = kpin_outq(sp[0]);
		send(sp[0], buf, sizes[i], 0);
		after1 = kpin_outq(sp[0]);
		step = after1 - before;
		send(sp[0], buf, sizes[i], 0);
		if (kpin_outq(sp[0]) - after1 != step || step <= 0)
			kpin_fail("two datagrams of %zu bytes: %d then %d", sizes[i], step,
				  kpin_outq(sp[0]) - after1);
		recv(sp[1], buf, sizeof(buf), MSG_PEEK);
		if (kpin_outq(sp[0]) != before + 2 * step)
			kpin_fail("MSG_PEEK changed SIOCOUTQ");
		recv(sp[1], buf, sizeof(buf), 0);
		if (kpin_outq(sp[0]) != before + step)
			kpin_fail("reading one datagram of %zu: SIOCOUTQ %d, not %d", sizes[i],
				  kpin_outq(sp[0]), before + step);
		recvfrom(sp[1], buf, sizeof(buf), 0, NULL, NULL);
		if (kpin_outq(sp[0]) != before)
			kpin_fail("recvfrom of the other did not give its amount back");
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} cases[] = {
		{ "addfd-waits", kpin_addfd_waits },
		{ "id-valid", kpin_id_valid },
		{ "recv-enoent", kpin_recv_enoent },
		{ "sync-wakeup", kpin_sync_wakeup },
		{ "outq-dgram", kpin_outq_dgram },
	};
	size_t i;
	int rc;

	if (argc != 2)
		fail("usage: kpin CASE");
	kpin_case = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(argv[1], "killable") || !strcmp(argv[1], "interruptible")) {
		rc = kpin_signal_after_recv(!strcmp(argv[1], "killable"));
		printf("%s: ok\n", argv[1]);
		return rc;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name))
			continue;
		rc = cases[i].fn();
		if (!rc)
			printf("%s: ok\n", argv[1]);
		return rc;
	}
	fail("kpin: no case %s", argv[1]);
}
