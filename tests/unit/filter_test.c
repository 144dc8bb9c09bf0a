// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * filter_test - unit tests of the seccomp filter's rules (filter.c)
 *
 * An unprivileged process may install a seccomp filter once it has set
 * no_new_privs (filter_install() does so when the kernel asks for it),
 * and a user-notification listener comes with it (Linux 5.0).  So each
 * case forks a child that installs netsup's real filter, hands the
 * listener to the parent over a socketpair (SCM_RIGHTS), makes a table of
 * system calls and reports their results through a pipe.  The parent
 * answers every notification with EL2HLT, an errno no call here returns
 * by itself, and records its architecture and number.  A probe is then:
 * notified (EL2HLT), run by the kernel, or refused by the filter itself
 * with an errno.
 *
 * i386 calls are made with int $0x80 from this x86-64 program, x32 calls
 * with the x32 bit (0x40000000) on the number: seccomp sees them before
 * the kernel looks at the number, so they are checked even where the
 * kernel runs no x32 code.  No privilege, no namespace needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "filter.h"
#include "ucall_table.h"
#include "unit.h"

#define NOTIFIED_ERRNO	EL2HLT
#define X32_BIT		0x40000000L
#define MSOCKET_NR	(-5L)

/* i386 numbers, made with int $0x80 */
#define I386_SOCKETCALL	102
#define I386_SETUID32	213
#define I386_SOCKET	359
#define I386_IO_URING_SETUP	425
#define I386_GETPID	20

enum abi { ABI_NATIVE, ABI_X32, ABI_I386 };

enum outcome {
	NOTIFIED,	/* the supervisor was asked */
	RUNS,		/* the kernel ran it and it succeeded */
	NOT_NOTIFIED,	/* the kernel's answer, whatever it is */
	REFUSED,	/* the filter answered @err itself */
};

/* socketcall's argument array, filled in the child: below 4 GiB */
static unsigned int *args32;

struct probe {
	const char *name;
	long nr;
	long a[6];
	enum abi abi;
	enum outcome expect;
	int err;		/* REFUSED: the errno */
	bool socketcall;	/* a[1..3] go to args32, a[1] = args32 */
};

struct result {
	long ret;
	int err;
};

static long int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile ("int $0x80"
			  : "=a"(ret)
			  : "0"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			  : "memory");
	return ret;
}

/* Can this kernel run i386 system calls (ia32_emulation)? */
static bool has_ia32(void)
{
	pid_t pid = fork();
	int st;

	if (!pid) {
		signal(SIGSEGV, SIG_DFL);
		_exit(int80(I386_GETPID, 0, 0, 0, 0, 0) == getpid() ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       !WEXITSTATUS(st);
}

static struct result probe_run(const struct probe *p)
{
	struct result r = { 0, 0 };

	if (p->abi == ABI_I386) {
		long a = p->a[0], b = p->a[1], c = p->a[2];

		if (p->socketcall) {
			args32[0] = (unsigned int)p->a[1];
			args32[1] = (unsigned int)p->a[2];
			args32[2] = (unsigned int)p->a[3];
			b = (long)args32;
		}
		r.ret = int80(p->nr, a, b, c, p->socketcall ? 0 : p->a[3],
			      p->socketcall ? 0 : p->a[4]);
		if (r.ret < 0 && r.ret > -4096) {
			r.err = (int)-r.ret;
			r.ret = -1;
		}
		return r;
	}
	errno = 0;
	r.ret = syscall(p->abi == ABI_X32 ? p->nr | X32_BIT : p->nr,
			p->a[0], p->a[1], p->a[2], p->a[3], p->a[4], p->a[5]);
	r.err = r.ret < 0 ? errno : 0;
	if (r.ret >= 0 && r.ret < 1024 && p->nr != SYS_getpid && p->nr != I386_GETPID)
		close((int)r.ret);
	return r;
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* The child: install the filter, hand over the listener, run the probes. */
static void __attribute__((noreturn))
child(const struct filter_config *cfg0, const struct probe *probes, size_t n,
      int sock, int out)
{
	struct filter_config cfg = *cfg0;
	struct result r;
	int listener;
	size_t i;

	/* a session with userspace stacks notifies sendmsg, but on the
	 * descriptor that hands the listener over (as netsup's launch does) */
	if (cfg.handoff_fd > 0 && dup2(sock, cfg.handoff_fd) == cfg.handoff_fd) {
		close(sock);
		sock = cfg.handoff_fd;
	}
	listener = filter_install(&cfg);
	if (listener < 0 || send_fd(sock, listener))
		_exit(2);
	close(listener);
	close(sock);
	for (i = 0; i < n; i++) {
		r = probe_run(&probes[i]);
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(3);
	}
	/* a second listener: the kernel refuses it (netsup relies on it) */
	r.ret = filter_install(&cfg);
	r.err = r.ret < 0 ? (int)-r.ret : 0;
	if (write(out, &r, sizeof(r)) != sizeof(r))
		_exit(3);
	_exit(0);
}

struct seen {
	__u32 arch;
	int nr;
};

/*
 * Serve the listener until the child is gone: answer EL2HLT, note each
 * call.  Return: the number of notifications, or -1.
 */
static int serve(int listener, struct seen *seen, int max)
{
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int n = 0;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes))
		return -1;
	req = calloc(1, sizes.seccomp_notif);
	resp = calloc(1, sizes.seccomp_notif_resp);
	for (;;) {
		struct pollfd pfd = { listener, POLLIN, 0 };

		if (poll(&pfd, 1, 10000) <= 0)
			break;		/* 10 s without a word: give up */
		if (!(pfd.revents & POLLIN))
			break;		/* POLLHUP: no process uses the filter */
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req))
			continue;	/* the caller went away */
		if (n < max)
			seen[n] = (struct seen){ req->data.arch, req->data.nr };
		n++;
		memset(resp, 0, sizes.seccomp_notif_resp);
		resp->id = req->id;
		resp->error = -NOTIFIED_ERRNO;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
	free(req);
	free(resp);
	return n;
}

/*
 * Run @probes under the filter @cfg and check each outcome; the
 * notifications must be those of the NOTIFIED probes, in order, with
 * the architecture of their ABI.
 */
static void check_probes(const struct filter_config *cfg, const struct probe *probes,
			 size_t n)
{
	struct result *res = calloc(n + 1, sizeof(*res));
	struct seen seen[256];
	int sp[2], pp[2], listener, st, nseen, expected = 0, k = 0;
	pid_t pid;
	size_t i;

	if (!UNIT_CHECK(res && !socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) &&
			!pipe2(pp, O_CLOEXEC))) {
		free(res);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (!pid) {
		close(sp[0]);
		close(pp[0]);
		child(cfg, probes, n, sp[1], pp[1]);
	}
	close(sp[1]);
	close(pp[1]);
	listener = pid > 0 ? recv_fd(sp[0]) : -1;
	close(sp[0]);
	if (!UNIT_CHECK(listener >= 0)) {
		close(pp[0]);
		waitpid(pid, &st, 0);
		free(res);
		return;
	}
	nseen = serve(listener, seen, 256);
	close(listener);
	UNIT_EQ(waitpid(pid, &st, 0), pid);
	UNIT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	UNIT_EQ(read(pp[0], res, (n + 1) * sizeof(*res)), (n + 1) * sizeof(*res));
	close(pp[0]);

	for (i = 0; i < n; i++) {
		const struct probe *p = &probes[i];
		const struct result *r = &res[i];
		bool ok = false;

		switch (p->expect) {
		case NOTIFIED:
			ok = r->ret == -1 && r->err == NOTIFIED_ERRNO;
			break;
		case RUNS:
			ok = r->ret >= 0;
			break;
		case NOT_NOTIFIED:
			ok = r->err != NOTIFIED_ERRNO;
			break;
		case REFUSED:
			ok = r->ret == -1 && r->err == p->err;
			break;
		}
		if (!UNIT_CHECK(ok))
			printf("#   %s: returned %ld, errno %d (%s)\n", p->name, r->ret,
			       r->err, strerror(r->err));
		if (p->expect != NOTIFIED)
			continue;
		expected++;
		if (k < nseen && k < 256) {
			__u32 arch = p->abi == ABI_I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
			long nr = p->abi == ABI_X32 ? p->nr | X32_BIT : p->nr;

			if (!UNIT_CHECK(seen[k].arch == arch && seen[k].nr == (int)nr))
				printf("#   %s: notified as arch %#x nr %d\n", p->name,
				       seen[k].arch, seen[k].nr);
		}
		k++;
	}
	UNIT_EQ(nseen, expected);
	/* the second filter_install() */
	UNIT_EQ(res[n].err, EBUSY);
	free(res);
}

#define P(name_, abi_, nr_, a0, a1, a2, expect_) \
	{ .name = (name_), .abi = (abi_), .nr = (nr_), .a = { (a0), (a1), (a2), 0 }, \
	  .expect = (expect_) }
/* refused by the filter itself with @err_ */
#define R(name_, abi_, nr_, a0, err_) \
	{ .name = (name_), .abi = (abi_), .nr = (nr_), .a = { (a0), 0, 0, 0 }, \
	  .expect = REFUSED, .err = (err_) }

static const struct probe native_probes[] = {
	P("socket(AF_INET)", ABI_NATIVE, SYS_socket, AF_INET, SOCK_DGRAM, 0, NOTIFIED),
	P("socket(AF_INET6)", ABI_NATIVE, SYS_socket, AF_INET6, SOCK_STREAM, 0, NOTIFIED),
	P("socket(AF_NETLINK)", ABI_NATIVE, SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, NOTIFIED),
	P("socket(AF_PACKET)", ABI_NATIVE, SYS_socket, AF_PACKET, SOCK_DGRAM, 0, NOTIFIED),
	P("socket(AF_INET | SOCK_CLOEXEC)", ABI_NATIVE, SYS_socket, AF_INET,
	  SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, NOTIFIED),
	/* the kernel reads an int: garbage above it must not slip through */
	P("socket(AF_INET + 1 << 32)", ABI_NATIVE, SYS_socket, (1L << 32) | AF_INET,
	  SOCK_DGRAM, 0, NOTIFIED),
	P("socket(AF_UNIX, stream)", ABI_NATIVE, SYS_socket, AF_UNIX, SOCK_STREAM, 0, RUNS),
	P("socket(AF_UNIX, dgram)", ABI_NATIVE, SYS_socket, AF_UNIX, SOCK_DGRAM, 0, RUNS),
	P("socket(AF_ALG)", ABI_NATIVE, SYS_socket, 38 /* AF_ALG */, SOCK_SEQPACKET, 0,
	  NOT_NOTIFIED),
	P("socketpair(AF_UNIX)", ABI_NATIVE, SYS_socketpair, AF_UNIX, SOCK_STREAM, 0,
	  NOT_NOTIFIED),
	P("msocket (-5)", ABI_NATIVE, MSOCKET_NR, 0, AF_INET, SOCK_DGRAM, NOTIFIED),
	P("getpid", ABI_NATIVE, SYS_getpid, 0, 0, 0, RUNS),
	R("close(-1)", ABI_NATIVE, SYS_close, -1, EBADF),
	/* io_uring_setup(1, NULL) is EFAULT to the kernel, ENOSYS to the filter */
	R("io_uring_setup", ABI_NATIVE, SYS_io_uring_setup, 1, ENOSYS),
	/* calls that change credentials are told, so netsup forgets them */
	P("setuid", ABI_NATIVE, SYS_setuid, -1, 0, 0, NOTIFIED),
	P("setresgid", ABI_NATIVE, SYS_setresgid, -1, -1, -1, NOTIFIED),
	P("setgroups", ABI_NATIVE, SYS_setgroups, 0, 0, 0, NOTIFIED),
	P("capset", ABI_NATIVE, SYS_capset, 0, 0, 0, NOTIFIED),
	P("unshare", ABI_NATIVE, SYS_unshare, 0, 0, 0, NOTIFIED),
	P("setns", ABI_NATIVE, SYS_setns, -1, 0, 0, NOTIFIED),
	P("getuid", ABI_NATIVE, SYS_getuid, 0, 0, 0, RUNS),
	/* x32: the same rules */
	P("x32 socket(AF_INET)", ABI_X32, SYS_socket, AF_INET, SOCK_DGRAM, 0, NOTIFIED),
	P("x32 socket(AF_NETLINK)", ABI_X32, SYS_socket, AF_NETLINK, SOCK_RAW, 0, NOTIFIED),
	P("x32 socket(AF_UNIX)", ABI_X32, SYS_socket, AF_UNIX, SOCK_STREAM, 0, NOT_NOTIFIED),
	R("x32 io_uring_setup", ABI_X32, SYS_io_uring_setup, 1, ENOSYS),
};

static const struct probe i386_probes[] = {
	P("i386 socket(AF_INET)", ABI_I386, I386_SOCKET, AF_INET, SOCK_DGRAM, 0, NOTIFIED),
	P("i386 socket(AF_PACKET)", ABI_I386, I386_SOCKET, AF_PACKET, SOCK_DGRAM, 0, NOTIFIED),
	P("i386 socket(AF_UNIX)", ABI_I386, I386_SOCKET, AF_UNIX, SOCK_STREAM, 0, RUNS),
	{ .name = "i386 socketcall(SYS_SOCKET, AF_INET)", .abi = ABI_I386,
	  .nr = I386_SOCKETCALL, .a = { SYS_SOCKET, AF_INET, SOCK_DGRAM, 0 },
	  .expect = NOTIFIED, .socketcall = true },
	P("i386 setuid32", ABI_I386, I386_SETUID32, -1, 0, 0, NOTIFIED),
	P("i386 getpid", ABI_I386, I386_GETPID, 0, 0, 0, RUNS),
	R("i386 io_uring_setup", ABI_I386, I386_IO_URING_SETUP, 1, ENOSYS),
};

static void native_and_x32_rules(void)
{
	struct filter_config cfg = { .allow_io_uring = false };

	check_probes(&cfg, native_probes, UNIT_ARRAY_SIZE(native_probes));
}

static void i386_rules(void)
{
	struct filter_config cfg = { .allow_io_uring = false };

	if (!has_ia32()) {
		printf("# no i386 system calls on this kernel: nothing to check\n");
		return;
	}
	check_probes(&cfg, i386_probes, UNIT_ARRAY_SIZE(i386_probes));
}

static void allow_io_uring_opens_it(void)
{
	struct filter_config cfg = { .allow_io_uring = true };
	long native = syscall(SYS_io_uring_setup, 1, NULL);
	struct probe p[] = {
		R("io_uring_setup, --allow-io-uring", ABI_NATIVE, SYS_io_uring_setup,
		  1, native < 0 ? errno : 0),
		P("socket(AF_INET)", ABI_NATIVE, SYS_socket, AF_INET, SOCK_DGRAM, 0, NOTIFIED),
	};

	/* the kernel's own answer, whatever it is (EFAULT, or EPERM if disabled) */
	UNIT_CHECK(native < 0);
	check_probes(&cfg, p, UNIT_ARRAY_SIZE(p));
}


/* A descriptor no probe has open, and the handoff descriptor of the session. */
#define PROBE_FD	1000
#define HANDOFF_FD	999

/*
 * The probes of one forwarded call (ucall_table.c) on @abi: notified with
 * arguments its rule notifies, run by the kernel with those it does not.
 */
static size_t row_probes(const struct ucall_row *t, enum abi abi, long nr, bool socketcall,
			 struct probe *p, size_t room)
{
	static char names[512][64];
	static size_t used;
	const char *pre = abi == ABI_I386 ? (socketcall ? "i386 socketcall " : "i386 ") :
			  abi == ABI_X32 ? "x32 " : "";
	struct probe base = { .abi = abi, .nr = nr, .socketcall = socketcall,
			      .a = { PROBE_FD } };
	size_t n = 0;

	if (room < 2 || used + 2 > UNIT_ARRAY_SIZE(names))
		return 0;
	if (socketcall) {
		base.a[0] = (long)t->socketcall;
		base.a[1] = PROBE_FD;
	}
	if (t->rule == UR_REQUEST)
		base.a[socketcall ? 2 : 1] = t->req;
	if (t->rule == UR_ADDRESS && !socketcall)
		base.a[4] = 1;
	p[n] = base;
	p[n].expect = NOTIFIED;
	snprintf(names[used], sizeof(names[used]), "%s%s", pre, t->name);
	p[n++].name = names[used++];
	if (socketcall)
		return n;	/* socketcall's arguments are out of the filter's sight */
	p[n] = base;
	p[n].expect = NOT_NOTIFIED;
	switch (t->rule) {
	case UR_ALWAYS:
		return n;
	case UR_ADDRESS:
		p[n].a[4] = 0;
		snprintf(names[used], sizeof(names[used]), "%s%s without an address", pre,
			 t->name);
		break;
	case UR_NOT_HANDOFF:
		p[n].a[0] = HANDOFF_FD;
		snprintf(names[used], sizeof(names[used]), "%s%s on the handoff descriptor",
			 pre, t->name);
		break;
	case UR_REQUEST:
		p[n].a[1] = FIONBIO;
		snprintf(names[used], sizeof(names[used]), "%s%s(FIONBIO)", pre, t->name);
		break;
	}
	p[n++].name = names[used++];
	return n;
}

/* A session that can use userspace stacks notifies each forwarded call. */
static void userspace_rules(void)
{
	struct filter_config cfg = { .userspace = true, .handoff_fd = HANDOFF_FD };
	static struct probe p[256];
	bool ia32 = has_ia32();
	size_t i, n = 0;

	for (i = 0; i < ucall_table_len; i++) {
		const struct ucall_row *t = &ucall_table[i];
		int x32 = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, t->name);

		n += row_probes(t, ABI_NATIVE, t->nr, false, p + n, UNIT_ARRAY_SIZE(p) - n);
		if (x32 != __NR_SCMP_ERROR)
			n += row_probes(t, ABI_X32, x32 & ~X32_BIT, false, p + n,
					UNIT_ARRAY_SIZE(p) - n);
		if (ia32 && t->i386_nr)
			n += row_probes(t, ABI_I386, t->i386_nr, false, p + n,
					UNIT_ARRAY_SIZE(p) - n);
		/*
		 * socketcall's operations with an address rule are left out:
		 * libseccomp compares socketcall's own fifth register there,
		 * not the operation's fifth argument (in memory), so whether
		 * they are notified depends on what that register holds
		 */
		if (ia32 && t->socketcall && t->rule != UR_ADDRESS)
			n += row_probes(t, ABI_I386, I386_SOCKETCALL, true, p + n,
					UNIT_ARRAY_SIZE(p) - n);
	}
	if (!ia32)
		printf("# no i386 system calls on this kernel: x86-64 and x32 only\n");
	/* what a socketpair carries by itself stays native */
	p[n++] = (struct probe)P("read", ABI_NATIVE, SYS_read, PROBE_FD, 0, 0, NOT_NOTIFIED);
	p[n++] = (struct probe)P("write", ABI_NATIVE, SYS_write, PROBE_FD, 0, 0, NOT_NOTIFIED);
	p[n++] = (struct probe)P("socketpair(AF_UNIX)", ABI_NATIVE, SYS_socketpair, AF_UNIX,
				 SOCK_STREAM, 0, NOT_NOTIFIED);
	p[n++] = (struct probe)P("socket(AF_INET)", ABI_NATIVE, SYS_socket, AF_INET, SOCK_DGRAM,
				 0, NOTIFIED);
	check_probes(&cfg, p, n);
}

static const struct unit_case cases[] = {
	{ "filter: x86-64 and x32 calls notified, run or refused", native_and_x32_rules },
	{ "filter: i386 socket, socketcall and io_uring_setup", i386_rules },
	{ "filter: --allow-io-uring leaves io_uring_setup to the kernel", allow_io_uring_opens_it },
	{ "filter: with userspace stacks, each forwarded call notified under its rule",
	  userspace_rules },
};

int main(int argc, char **argv)
{
	args32 = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (args32 == MAP_FAILED) {
		printf("Bail out! mmap(MAP_32BIT): %s\n", strerror(errno));
		return 1;
	}
	return unit_main(cases, UNIT_ARRAY_SIZE(cases), argc, argv);
}
