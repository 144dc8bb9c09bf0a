// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucall.c - the calls of a child on sockets of userspace stacks
 *
 * A socket of a userspace stack is, in the child, one end of a socketpair
 * whose other end the daemon holds: bytes flow natively.  What the pair
 * cannot mean (bind, connect, listen, accept, names, options, shutdown,
 * datagrams with addresses) is notified for every descriptor, because a
 * filter cannot tell one descriptor from another, and served here, each
 * call as its row of the table says (ucall_table.c):
 *
 * - pidfd_getfd(2) (Linux 5.6) on a pidfd of the calling thread
 *   (PIDFD_THREAD, 6.9) copies the child's descriptor; its inode tells a
 *   userspace socket (ustack.c) from anything else, which the kernel gets
 *   back at once (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  The copy shares the
 *   child's open file: its O_NONBLOCK is the child's, and reading from it
 *   consumes what the child would read (the listener's marker byte after
 *   an accept, a datagram after its source address is known);
 * - arguments are copied from the child once (process_vm_readv), the
 *   notification re-validated, then the request goes to the daemon and
 *   the notification is answered when the daemon replies (ustack.c), with
 *   results copied into the child first: through the caller's memory
 *   opened when the call arrived (request.c), never by TID, which after
 *   an exec by another thread names another program;
 * - what is written back is bounded by what the caller asked for and by
 *   what netsup holds: an option value by the caller's optlen, a datagram
 *   by the buffer it was received into (whatever the daemon claims);
 * - sendmsg and recvmsg of a datagram socket with control data, even
 *   without an address, are forwarded: their control messages are
 *   ucmsg.c's; a sendmsg with neither, on a socket whose connect() gave
 *   it no default peer, fails with EDESTADDRREQ here (ustack.c keeps
 *   whether it has one), where the pair would take the datagram;
 * - a blocking connect, accept or recvfrom waits in the daemon, not here;
 *   a signal that takes the thread out of the call is noticed, and the
 *   request cancelled (ustack.c).
 * This file holds what every call shares (the call in progress, the
 * lookup of the child's descriptor, the decoding, the answers) and
 * socket(); the calls themselves are in ucall_conn.c (connections, names,
 * options, ioctl) and ucall_dgram.c (datagrams with addresses).
 * Native x86-64 calls, and i386's whose arguments mean the same; x32's and
 * the other i386 calls on these sockets reach the socketpair unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>

#include "childmem.h"
#include "log.h"
#include "request.h"
#include "ucall.h"
#include "ucall_int.h"
#include "uiface.h"
#include "unborn.h"
#include "ustack.h"
#include "../common/util.h"

/* i386's multiplexer (arch/x86/entry/syscalls/syscall_32.tbl) */
#define I386_NR_SOCKETCALL	102

/* Free a call: our descriptors, its stack, its reference. */
void ucall_free(struct ucall *uc)
{
	if (uc->cfd >= 0)
		close(uc->cfd);
	if (uc->rq.fd >= 0)
		close(uc->rq.fd);
	stack_put(uc->us.s);
	request_ref_drop(&uc->ref);
	free(uc->iov);
	free(uc);
}

/*
 * A call in progress for the request @w holds, referenced with the
 * caller's memory if @mem (every call that writes into the caller).
 * Return: 0 or -errno (ENOMEM, ESRCH: the caller is gone)
 */
static int ucall_new(struct worker *w, const struct ucall_args *ca, bool mem,
		     struct ucall **out)
{
	struct ucall *uc = calloc(1, sizeof(*uc));
	int rc;

	if (!uc)
		return -ENOMEM;
	rc = request_ref_take(w, &uc->ref, mem);
	if (rc) {
		free(uc);
		return rc;
	}
	uc->cfd = -1;
	uc->rq.fd = -1;
	uc->rq.d.id = uc->ref.id;
	uc->rq.d.tid = uc->ref.tid;
	uc->row = ca->row;
	if (ca->row)
		ucall_table_args(ca->row, ca->a, &uc->av);
	*out = uc;
	return 0;
}

/*
 * Answer from a done() callback, on the loop thread.  Our copy of the
 * child's descriptor is closed first: once answered, the child may close
 * its own, and the socket must then have no other reference (a port
 * bound, closed and bound again, as in request_reply()).
 */
void ucall_reply(struct worker *w, struct ucall *uc, struct notify_reply *r)
{
	if (uc->cfd >= 0) {
		close(uc->cfd);
		uc->cfd = -1;
	}
	request_answer(w, &uc->ref, r);
	ucall_free(uc);
}

/* Answer from a done() callback with a value or -errno. */
void ucall_reply_result(struct worker *w, struct ucall *uc, long long v)
{
	struct notify_reply r = { .what = NOTIFY_VALUE, .val = v };

	if (v < 0)
		request_fail(&r, (int)v);
	ucall_reply(w, uc, &r);
}

/* Answer at once, with a value or -errno; @uc is freed. */
void ucall_now(struct ucall *uc, struct notify_reply *r, long long v)
{
	r->what = NOTIFY_VALUE;
	r->val = v;
	if (v < 0)
		request_fail(r, (int)v);
	ucall_free(uc);
}

/* Send @m for @uc; on failure @r says so and @uc is freed. */
void ucall_send(struct worker *w, struct ucall *uc, struct sp_msg *m,
		       void (*done)(struct ureq *, struct worker *), uid_t uid,
		       struct notify_reply *r)
{
	int rc;

	uc->rq.done = done;
	rc = ustack_send(w->sv, uc->us.s, m, &uc->rq, uid);
	if (rc) {
		request_fail(r, rc);
		ucall_free(uc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}

/* Write an address and its length to where the child asked (may be NULL). */
int ucall_put_name(struct ucall *uc, const void *addr, uint32_t addrlen)
{
	uint32_t room;
	int rc;

	if (!uc->name)
		return 0;
	rc = request_read(&uc->ref, uc->namelen, &room, sizeof(room));
	if (!rc && (int32_t)room < 0)
		rc = -EINVAL;
	if (!rc && addrlen)
		rc = request_write(&uc->ref, uc->name, addr, room < addrlen ? room : addrlen);
	if (!rc)
		rc = request_write(&uc->ref, uc->namelen, &addrlen, sizeof(addrlen));
	return rc;
}

/* --- socket() --------------------------------------------------------------- */

static void ucall_socket_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	struct notify_reply r = { .what = NOTIFY_FD, .errset = ERRSET_SOCKET };
	int rc = rq->result;

	if (rc >= 0 && rq->fd < 0)
		rc = -EPROTO;
	if (rc >= 0 && uc->nonblock && fcntl(rq->fd, F_SETFL, O_NONBLOCK))
		rc = -errno;
	if (rc >= 0)
		rc = ustack_sock_add(w->sv, uc->us.s, rq->fd, rq->handle, uc->us.domain,
				     uc->us.type);
	if (rc < 0) {
		request_fail(&r, rc);
	} else {
		r.fd = rq->fd;		/* request_reply() closes it */
		r.cloexec = uc->cloexec;
		rq->fd = -1;
	}
	ucall_reply(w, uc, &r);
}

/**
 * ucall_socket() - socket(2) in a userspace stack: asked of its daemon
 * @w:		the handling thread
 * @s:		the stack
 * @c:		the caller's credentials
 * @domain:	socket(2) arguments
 * @type:
 * @protocol:
 * @r:		the outcome (deferred, or an error)
 */
void ucall_socket(struct worker *w, struct stack *s, const struct creds *c,
		  int domain, int type, int protocol, struct notify_reply *r)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct sp_msg m = { .op = SP_SOCKET, .domain = domain, .type = base,
			    .protocol = protocol };
	const struct ucall_args ca = { .nr = SYS_socket };
	struct ucall *uc;
	int rc;

	if (base != SOCK_STREAM && base != SOCK_DGRAM &&
	    !(domain == AF_NETLINK && base == SOCK_RAW)) {
		request_fail(r, -ESOCKTNOSUPPORT);
		return;
	}
	if (domain == AF_NETLINK && uiface_net_admin(s, (pid_t)w->req->pid, c))
		m.sflags = SP_SOCK_NETADMIN;	/* may configure it: uiface.c */
	rc = ucall_new(w, &ca, false, &uc);	/* answered with a descriptor only */
	if (rc) {
		request_fail(r, rc);
		return;
	}
	/* a netlink socket's datagrams are served as a UDP socket's */
	uc->us = (struct usock){ .s = stack_get(s), .domain = domain,
				 .type = base == SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM };
	uc->cloexec = type & SOCK_CLOEXEC;
	uc->nonblock = type & SOCK_NONBLOCK;
	ucall_send(w, uc, &m, ucall_socket_done, c->ruid, r);
}

/* The handling thread's buffer for an option value or a datagram. */
unsigned char *ucall_data(void)
{
	static __thread unsigned char data[UCALL_DATA_SIZE];

	return data;
}

/* bind, connect, sendto: the address from the child */
int ucall_addr(struct ucall *uc, struct sp_msg *m, uint64_t addr, uint64_t len)
{
	static __thread unsigned char buf[SP_ADDR_MAX];

	if (len > SP_ADDR_MAX || (int64_t)len < 0)
		return -EINVAL;
	if (len && childmem_read(uc->rq.d.tid, addr, buf, len))
		return -EFAULT;
	m->addr = buf;
	m->addrlen = (uint32_t)len;
	return 0;
}

/* --- dispatch ----------------------------------------------------------------------- */

/*
 * The userspace socket the child's descriptor @fd is, if it is one
 * (@cfdp: our copy); -ENOENT if not, with our copy in @cfdp all the same.
 */
static int ucall_lookup(struct worker *w, int fd, struct usock *us, int *cfdp)
{
	struct stat st;
	int cfd;

	if (request_own(w))
		return -EPERM;
	/* pidfd_getfd needs ptrace access: netsup's own credentials */
	cfd = request_child_fd(w, fd);
	if (cfd < 0)
		return cfd;
	if (fstat(cfd, &st) || !ustack_sock_find(st.st_dev, st.st_ino, us)) {
		*cfdp = cfd;	/* maybe a socket that waits for its stack */
		return -ENOENT;
	}
	*cfdp = cfd;
	return 0;
}

/*
 * ucall_decode() - the call @w holds, as an x86-64 call
 * @w:		the handling thread
 * @ca:		receives the number and the arguments
 *
 * x86-64 calls are what they are; x32's are left alone (their structures
 * differ).  i386's direct socket calls and socketcall(2)'s operations
 * whose arguments mean the same on both (pointers zero-extended, the
 * same sockaddr, socklen_t and option layouts) are decoded; the calls
 * with a struct msghdr are not: netsup does not decode i386's layout of
 * it, so they reach the socketpair as they are, as x32's do.
 * socketcall's arguments are in the caller's memory: read once here,
 * used from the copy, the notification validated before any answer.
 * An i386 call left undecoded goes back to the kernel (CONTINUE): where
 * its descriptor is a kernel socket, that is the kernel's own answer.
 *
 * The row of the table says which calls are forwarded and, for i386,
 * which are decoded and how many arguments socketcall's operation has.
 *
 * Return: true if @ca is a forwarded call, its row in ca->row
 */
static bool ucall_decode(struct worker *w, struct ucall_args *ca)
{
	const struct seccomp_data *d = &w->req->data;
	uint32_t a32[6];
	unsigned int n, i;

	if (d->arch == AUDIT_ARCH_X86_64) {
		if (d->nr & X32_SYSCALL_BIT)
			return false;
		ca->nr = d->nr;
		memcpy(ca->a, d->args, sizeof(ca->a));
		ca->row = ucall_table_find(d->arch, d->nr, ca->a);
		return ca->row != NULL;
	}
	if (d->arch != AUDIT_ARCH_I386)
		return false;
	for (i = 0; i < 6; i++)
		ca->a[i] = (uint32_t)d->args[i];
	ca->row = ucall_table_find(d->arch, d->nr, ca->a);
	if (!ca->row || !ca->row->i386)
		return false;
	ca->nr = ca->row->nr;
	if (d->nr != I386_NR_SOCKETCALL)
		return true;
	/* only the arguments the operation has, as the kernel reads them */
	n = ucall_table_nargs(ca->row);
	if (request_own(w) || childmem_read((pid_t)w->req->pid, (uint32_t)d->args[1], a32,
					   n * sizeof(*a32)))
		return false;	/* the kernel answers EFAULT itself */
	memset(ca->a, 0, sizeof(ca->a));
	for (i = 0; i < n; i++)
		ca->a[i] = a32[i];
	return true;
}

/**
 * ucall_handle() - a call that may be about a userspace socket
 * @w:		the handling thread
 * @r:		the outcome: CONTINUE for anything else
 */
void ucall_handle(struct worker *w, struct notify_reply *r)
{
	struct ucall_args ca;
	const struct ucall_row *row;
	struct sp_msg m = { 0 };
	struct ucall *uc;
	struct usock us = { 0 };
	struct creds c;
	int cfd = -1;
	uid_t uid;
	int rc;

	r->what = NOTIFY_CONTINUE;
	if (!ustack_any() && !unborn_any(w->sv))
		return;
	if (!ucall_decode(w, &ca)) {
		unborn_undecoded(w, r);	/* never on a socket that waits */
		return;
	}
	row = ca.row;
	/* an option every kernel socket takes as it is, a socket that waits
	 * too (moveopt.c), while no socket of a daemon exists: the kernel's */
	if (ca.nr == SYS_setsockopt && !ustack_any() && unborn_option_kernel(&ca))
		return;
	/* a kernel descriptor, or none, goes back to the kernel before
	 * anything is allocated: that is the common case, on every call */
	rc = ucall_lookup(w, (int)ca.a[0], &us, &cfd);
	if (rc == -ENOENT) {
		unborn_call(w, &ca, &cfd, r);	/* unborn.c */
		if (cfd >= 0)
			close(cfd);
		return;
	}
	if (rc)
		return;
	rc = ucall_new(w, &ca, row->writes, &uc);
	if (rc) {
		stack_put(us.s);
		close(cfd);
		request_fail(r, rc);
		return;
	}
	uc->us = us;
	uc->cfd = cfd;
	uc->nonblock = fcntl(cfd, F_GETFL) & O_NONBLOCK;
	rc = request_creds(w, &c);	/* whom the request counts against */
	if (rc) {
		request_fail(r, rc);
		ucall_free(uc);
		return;
	}
	uid = uc->uid = c.ruid;
	m.op = row->op;
	m.handle = uc->us.handle;
	/* a blocking socket's call that waits in the daemon is cancelled
	 * if its caller goes (ustack.c); start() knows the exceptions */
	uc->rq.blocking = row->blocks && !uc->nonblock;
	rc = row->start(w, uc, &c, &m, r);
	if (rc == UCALL_ANSWERED)
		return;
	if (rc == UCALL_KERNEL) {
		ucall_free(uc);
		return;
	}
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	if (rc) {
		request_fail(r, rc);
		ucall_free(uc);
		return;
	}
	ucall_send(w, uc, &m, row->done, uid, r);
}
