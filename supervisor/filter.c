// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * filter.c - the seccomp filter the supervised command runs under
 *
 * Built with libseccomp, then loaded by hand:
 *
 * - socket(2) of AF_INET, AF_INET6, AF_NETLINK and AF_PACKET returns
 *   SECCOMP_RET_USER_NOTIF (Linux 5.0); AF_UNIX and every other call run
 *   at full speed.  The family is compared on its low 32 bits only, as the
 *   kernel reads an int: a family with garbage in the upper half must not
 *   slip past the filter.
 * - Every architecture the kernel runs for the child is covered: on
 *   x86-64 also i386 (socket and socketcall(SYS_SOCKET), whose arguments
 *   are in memory; libseccomp generates both from one rule) and x32.
 * - set*id, setgroups, capset, unshare and setns are notified too, only
 *   so that netsup forgets the credentials it keeps (credcache.c);
 * - io_uring_setup fails with ENOSYS: IORING_OP_SOCKET (Linux 5.19)
 *   creates sockets without a socket system call.
 * - clone(2) with CLONE_PARENT is notified: the new process's parent is
 *   then its creator's parent, whose stacks it would take (notify.c
 *   decides); with CLONE_NEWNET too, as are unshare and setns: a process
 *   that changes its network namespace takes charge of its networking.
 * - connect(2), for every descriptor, in a session with rules (--route,
 *   --user-net): a socket may move to another stack then (move.c); a
 *   session that can use userspace stacks notifies every call of the
 *   table of forwarded calls (ucall_table.c), each under its row's rule
 *   (sendto and recvfrom with an address, ioctl with its request...).
 * - ioctl(2) of the interface requests (SIOCGIF*), answered from the stack.
 * - clone3(2) (5.3) keeps its flags in memory, out of the filter's sight,
 *   so it fails with ENOSYS, and glibc falls back to clone(2), as under
 *   the default profiles of container runtimes.
 * - The msocket system call is number -5 (as in vuos).  libseccomp refuses
 *   negative numbers, so its program is exported and four instructions
 *   that send -5 of the native architecture to the supervisor are put in
 *   front of it.  They come before libseccomp's architecture and x32
 *   checks, which would otherwise reject -5 (it has the x32 bit set).
 *
 * It is loaded with seccomp(SECCOMP_SET_MODE_FILTER) and
 * SECCOMP_FILTER_FLAG_NEW_LISTENER (5.0), which returns the listener fd,
 * and SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19) when the kernel has it:
 * a notification that netsup has received is no longer interrupted by a
 * non-fatal signal, so the child cannot restart the call while netsup is
 * injecting its socket (no leaked or doubled fd with SIGALRM storms).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "filter.h"
#include "ucall_table.h"
#include "../shim/msocket.h"
#include "../common/util.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif

static const int filter_domains[] = { AF_INET, AF_INET6, AF_NETLINK, AF_PACKET };

/*
 * Calls that change the credentials of the calling thread: netsup is told
 * (and lets them run) so that it can forget what it keeps about them
 * (credcache.c).  execve is reported by the process events connector.
 */
static const char *const filter_creds_calls[] = {
	"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
	"setfsuid", "setfsgid", "setgroups", "capset", "unshare", "setns",
	"setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
	"setresgid32", "setfsuid32", "setfsgid32", "setgroups32",
};

/*
 * The interface ioctls that the kernel answers from the namespace of the
 * socket they are made on: on an AF_UNIX socket (glibc's if_nametoindex
 * and if_indextoname), that is the child's own namespace, not its stack.
 * They are notified so that netsup answers them from the stack (notify.c).
 */
static const unsigned long filter_ifreqs[] = {
	SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR,
	SIOCGIFBRDADDR, SIOCGIFNETMASK, SIOCGIFMETRIC, SIOCGIFMTU,
	SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFTXQLEN, SIOCGIFMAP,
};

/*
 * What each notified call is, by name; resolved into numbers once.  The
 * calls forwarded to userspace stacks are the rows of ucall_table.c
 * (FILTER_CALL_USOCK), but ioctl, which is these calls' too.
 */
static const struct {
	const char *name;
	enum filter_call kind;
} filter_calls[] = {
	{ "unshare", FILTER_CALL_UNSHARE },
	{ "setns", FILTER_CALL_SETNS },
	{ "clone", FILTER_CALL_CLONE },
	{ "ioctl", FILTER_CALL_IOCTL },
};

#define FILTER_ARCHS	3
#define FILTER_NCREDS	(ARRAY_SIZE(filter_creds_calls))
#define FILTER_NOWN	(FILTER_NCREDS + ARRAY_SIZE(filter_calls))
#define FILTER_NCALLS	(FILTER_NOWN + UCALL_TABLE_MAX)

static struct {
	uint32_t arch;
	int nr[FILTER_NCALLS];		/* -1: none on that architecture */
	enum filter_call kind[FILTER_NCALLS];
} filter_numbers[FILTER_ARCHS];
static pthread_once_t filter_numbers_once = PTHREAD_ONCE_INIT;

/* The name of the @i-th notified call, and its kind by default. */
static const char *filter_call_name(size_t i, enum filter_call *kind)
{
	if (i < FILTER_NCREDS) {
		*kind = FILTER_CALL_CREDS;
		return filter_creds_calls[i];
	}
	if (i < FILTER_NOWN) {
		*kind = filter_calls[i - FILTER_NCREDS].kind;
		return filter_calls[i - FILTER_NCREDS].name;
	}
	if (i - FILTER_NOWN >= ucall_table_len) {
		*kind = FILTER_CALL_OTHER;	/* room for more rows */
		return NULL;
	}
	*kind = FILTER_CALL_USOCK;
	return ucall_table[i - FILTER_NOWN].name;
}

static void filter_resolve_numbers(void)
{
	static const uint32_t archs[FILTER_ARCHS] = {
		SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32,
	};
	enum filter_call kind;
	const char *name;
	size_t a, i, k;
	int nr;

	for (a = 0; a < FILTER_ARCHS; a++) {
		filter_numbers[a].arch = archs[a];
		for (i = 0; i < FILTER_NCALLS; i++) {
			name = filter_call_name(i, &kind);
			nr = name ? seccomp_syscall_resolve_name_arch(archs[a], name) : -1;
			filter_numbers[a].nr[i] = nr == __NR_SCMP_ERROR ? -1 : nr;
			filter_numbers[a].kind[i] = kind;
			/* unshare and setns are creds calls too, ioctl a
			 * forwarded call: the more specific wins */
			for (k = 0; name && k < ARRAY_SIZE(filter_calls); k++)
				if (!strcmp(name, filter_calls[k].name))
					filter_numbers[a].kind[i] = filter_calls[k].kind;
		}
	}
}

/* The rule of a forwarded call (ucall_table.c), in a userspace session. */
static int filter_forward(scmp_filter_ctx ctx, const struct filter_config *cfg,
			  const struct ucall_row *row)
{
	switch (row->rule) {
	case UR_ALWAYS:
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)row->nr, 0);
	case UR_ADDRESS:
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)row->nr, 1,
					SCMP_A4(SCMP_CMP_NE, 0));
	case UR_NOT_HANDOFF:
		/* the listener itself is handed over with sendmsg on handoff_fd */
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)row->nr, 1,
					SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)(cfg->handoff_fd > 0 ?
									    cfg->handoff_fd : -1)));
	case UR_REQUEST:
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)row->nr, 1,
					SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, row->req));
	}
	return -EINVAL;
}

static scmp_filter_ctx filter_build(const struct filter_config *cfg)
{
	scmp_filter_ctx ctx;
	size_t i;
	int rc = 0;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return NULL;
	/* A call of an architecture the filter does not know is refused. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
#if defined(__x86_64__)
	if (!rc)
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (!rc)
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X32);
#endif
	for (i = 0; !rc && i < ARRAY_SIZE(filter_domains); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffU,
					      (scmp_datum_t)filter_domains[i]));
	for (i = 0; !rc && i < ARRAY_SIZE(filter_creds_calls); i++) {
		int nr = seccomp_syscall_resolve_name(filter_creds_calls[i]);

		/* the *32 calls exist on i386 only: skip where unknown */
		if (nr == __NR_SCMP_ERROR)
			continue;
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
		if (rc == -EDOM || rc == -EINVAL)
			rc = 0;
	}
	if (!rc && !cfg->allow_io_uring)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				      SCMP_SYS(io_uring_setup), 0);
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_PARENT, CLONE_PARENT));
	if (!rc)
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWNET, CLONE_NEWNET));
	/* sockets move at connect() (move.c): only that, where no
	 * userspace stack needs the rest */
	if (!rc && cfg->routes && !cfg->userspace)
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(connect), 0);
	/* the calls a socketpair cannot carry: one rule per row */
	for (i = 0; !rc && cfg->userspace && i < ucall_table_len; i++)
		rc = filter_forward(ctx, cfg, &ucall_table[i]);
	for (i = 0; !rc && i < ARRAY_SIZE(filter_ifreqs); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU,
					      (scmp_datum_t)filter_ifreqs[i]));
	if (rc) {
		seccomp_release(ctx);
		errno = -rc;
		return NULL;
	}
	return ctx;
}

/* The low 32 bits of argument @i: what an int argument is to the kernel. */
#define FILTER_ARG_LO(i)	(offsetof(struct seccomp_data, args) + (i) * sizeof(__u64))

/*
 * The program's head: the msocket (-5) check, which libseccomp cannot
 * express, and with cfg->tcp_native, an x86-64 socket() of TCP
 * (AF_INET or AF_INET6, SOCK_STREAM with any of SOCK_NONBLOCK and
 * SOCK_CLOEXEC, protocol 0 or IPPROTO_TCP) that runs without a
 * notification: under --user-net such a socket waits in netsup's own
 * namespace, where the command runs (unborn.c), so the kernel makes it
 * in the caller as netsup would (the socket's int arguments are their
 * low 32 bits: SYSCALL_DEFINE3(socket, int, int, int)).  Every jump to
 * @n is to libseccomp's program, which follows.
 */
static size_t filter_head(const struct filter_config *cfg, struct sock_filter *h)
{
	const __u32 flags = SOCK_NONBLOCK | SOCK_CLOEXEC;
	size_t n = cfg->tcp_native ? 16 : 5, i = 0;

#define TO_END(at)	((__u8)(n - (at) - 1))
	h[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	h[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0,
					    TO_END(i));
	i++;
	h[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	h[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)MSOCKET_SYSCALL,
					      0, 1);
	h[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	if (!cfg->tcp_native)
		return i;
	h[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, TO_END(i));
	i++;
	h[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, FILTER_ARG_LO(0));
	h[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 1, 0);
	h[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, TO_END(i));
	i++;
	h[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, FILTER_ARG_LO(1));
	h[i++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~flags);
	h[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 0, TO_END(i));
	i++;
	h[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, FILTER_ARG_LO(2));
	h[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
	h[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, TO_END(i));
	i++;
	h[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
#undef TO_END
	return i;
}

/* Export libseccomp's program and put filter_head() in front. */
static int filter_program(const struct filter_config *cfg, struct sock_fprog *prog)
{
	struct sock_filter prefix[16];
	const size_t nprefix = filter_head(cfg, prefix);
	struct sock_filter *insns = NULL;
	scmp_filter_ctx ctx;
	ssize_t len = 0, n;
	size_t cap = 0;
	int fd, rc = 0;

	ctx = filter_build(cfg);
	if (!ctx)
		return -errno;
	fd = memfd_create("netsup-filter", MFD_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc)
		goto out;
	cap = (size_t)lseek(fd, 0, SEEK_END);
	if (!cap || cap % sizeof(struct sock_filter)) {
		rc = -EINVAL;
		goto out;
	}
	insns = malloc(nprefix * sizeof(*insns) + cap);
	if (!insns) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(insns, prefix, nprefix * sizeof(*prefix));
	while ((size_t)len < cap) {
		n = pread(fd, (char *)(insns + nprefix) + len, cap - (size_t)len, len);
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			goto out;
		}
		len += n;
	}
	prog->len = (unsigned short)(nprefix + cap / sizeof(*insns));
	prog->filter = insns;
	insns = NULL;
out:
	free(insns);
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return rc;
}

/**
 * filter_install() - load the filter on the calling (single-threaded)
 *		      process, before it executes the command
 * @cfg:	what the filter lets through; cfg->killable is set if the
 *		kernel took SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
 *
 * Without CAP_SYS_ADMIN the kernel wants no_new_privs first; with it,
 * no_new_privs is left alone so that set-user-ID programs keep working.
 *
 * Return: the listener descriptor, or -errno
 */
int filter_install(struct filter_config *cfg)
{
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER |
			      SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;

	/*
	 * A call that waits in a userspace stack (accept, connect, recvfrom)
	 * must be interruptible by a signal, as in the kernel: without
	 * WAIT_KILLABLE_RECV the wait for an answer is, and ucall.c cancels
	 * the request when the notification goes.  The price: a signal in
	 * the microseconds between ADDFD and SEND of an answer with a
	 * descriptor ends the call with the descriptor installed (see
	 * request_reply()); kernel sessions keep the flag, and with it no
	 * signal can come between.
	 */
	if (cfg->userspace)
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	struct sock_fprog prog;
	int rc, fd;

	rc = filter_program(cfg, &prog);
	if (rc)
		return rc;
	for (;;) {
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
		if (fd >= 0)
			break;
		if (errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
			flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
			continue;	/* kernel older than 5.19 */
		}
		if (errno == EACCES && !prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) &&
		    !prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			continue;
		break;
	}
	rc = fd < 0 ? -errno : fd;
	free(prog.filter);
	cfg->killable = fd >= 0 && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	return rc;
}

/**
 * filter_call_kind() - what a notified call other than socket is
 * @arch:	AUDIT_ARCH_* of the notification
 * @nr:		system call number
 *
 * Return: the kind, FILTER_CALL_OTHER for a call not notified
 */
enum filter_call filter_call_kind(uint32_t arch, int nr)
{
	size_t a, i;

	pthread_once(&filter_numbers_once, filter_resolve_numbers);
	/* x32 calls come with the x86-64 audit arch and the x32 bit set */
	if (arch == SCMP_ARCH_X86_64 && (nr & 0x40000000))
		arch = SCMP_ARCH_X32;
	for (a = 0; a < FILTER_ARCHS; a++) {
		if (filter_numbers[a].arch != arch)
			continue;
		for (i = 0; i < FILTER_NCALLS; i++)
			if (filter_numbers[a].nr[i] == nr)
				return filter_numbers[a].kind[i];
	}
	return FILTER_CALL_OTHER;
}

/**
 * filter_is_creds_call() - does this call change the thread's credentials?
 * @arch:	AUDIT_ARCH_* of the notification
 * @nr:		system call number
 *
 * Return: true for the calls of filter_creds_calls
 */
bool filter_is_creds_call(uint32_t arch, int nr)
{
	enum filter_call k = filter_call_kind(arch, nr);

	return k == FILTER_CALL_CREDS || k == FILTER_CALL_UNSHARE || k == FILTER_CALL_SETNS;
}

/**
 * filter_dump() - write the filter in libseccomp's readable form (-vv)
 * @cfg:	what the filter lets through
 * @fd:		where to write it
 *
 * Return: 0 or -errno
 */
int filter_dump(const struct filter_config *cfg, int fd)
{
	scmp_filter_ctx ctx = filter_build(cfg);
	int rc;

	if (!ctx)
		return -errno;
	rc = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return rc;
}
