// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucall.c - the calls of a child on sockets of userspace stacks
 *
 * A socket of a userspace stack is, in the child, one end of a socketpair
 * whose other end the daemon holds: bytes flow natively.  What the pair
 * cannot mean (bind, connect, listen, accept, names, options, shutdown,
 * datagrams with addresses) is notified for every descriptor, because a
 * filter cannot tell one descriptor from another, and served here:
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
 *   results copied into the child (process_vm_writev) first;
 * - ioctl(FIONREAD) of a datagram socket is answered here: the size of
 *   the next datagram (MSG_PEEK | MSG_TRUNC on our copy), as UDP answers,
 *   where the SEQPACKET pair would count all of them;
 * - a blocking connect, accept or recvfrom waits in the daemon, not here;
 *   a signal that takes the thread out of the call is noticed, and the
 *   request cancelled (ustack.c).
 * Native x86-64 calls only: x32 and i386 calls on these sockets reach the
 * socketpair unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "childmem.h"
#include "log.h"
#include "ucall.h"
#include "ustack.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

#define UCALL_IOV_MAX	1024

/* One call in progress. */
struct ucall {
	struct ureq rq;
	struct usock us;	/* the socket (socket(): the stack) */
	int cfd;		/* our copy of the child's descriptor, or -1 */
	long nr;		/* the system call */
	uint64_t args[6];
	int flags;		/* accept4's, recvfrom's */
	bool cloexec;		/* socket(), accept4 */
	bool nonblock;
	uint64_t name, namelen;	/* where an address goes in the child */
	struct iovec *iov;	/* recvmsg: the child's buffers */
	size_t iovcnt;
	uint64_t msghdr;	/* recvmsg: the child's struct msghdr */
	size_t want;		/* recvfrom: the child's buffer size */
	bool mmsg;		/* sendmmsg/recvmmsg: msg_len, and 1 message */
	int tries;		/* recvfrom: the datagram went elsewhere */
	uid_t uid;		/* whom it counts against */
};

static void ucall_free(struct ucall *uc)
{
	if (uc->cfd >= 0)
		close(uc->cfd);
	if (uc->rq.fd >= 0)
		close(uc->rq.fd);
	if (uc->us.s && !uc->us.handle)
		stack_put(uc->us.s);	/* socket(): a reference of ours */
	free(uc->iov);
	free(uc);
}

static struct ucall *ucall_new(struct worker *w)
{
	struct ucall *uc = calloc(1, sizeof(*uc));

	if (!uc)
		return NULL;
	uc->cfd = -1;
	uc->rq.fd = -1;
	uc->rq.d.id = w->req->id;
	uc->rq.d.tid = (pid_t)w->req->pid;
	uc->nr = w->req->data.nr;
	memcpy(uc->args, w->req->data.args, sizeof(uc->args));
	return uc;
}

/*
 * Answer from a done() callback, on the loop thread.  Our copy of the
 * child's descriptor is closed first: once answered, the child may close
 * its own, and the socket must then have no other reference (a port
 * bound, closed and bound again, as in notify_answer()).
 */
static void ucall_reply(struct worker *w, struct ucall *uc, struct notify_reply *r)
{
	if (uc->cfd >= 0) {
		close(uc->cfd);
		uc->cfd = -1;
	}
	w->req->id = uc->rq.d.id;
	w->req->pid = (__u32)uc->rq.d.tid;
	notify_answer(w, r);
	ucall_free(uc);
}

static void ucall_reply_result(struct worker *w, struct ucall *uc, long long v)
{
	struct notify_reply r = { .what = NOTIFY_VALUE, .val = v };

	if (v < 0)
		notify_fail(&r, (int)v);
	ucall_reply(w, uc, &r);
}

/* Answer at once, with a value or -errno; @uc is freed. */
static void ucall_now(struct ucall *uc, struct notify_reply *r, long long v)
{
	r->what = NOTIFY_VALUE;
	r->val = v;
	if (v < 0)
		notify_fail(r, (int)v);
	ucall_free(uc);
}

/* Send @m for @uc; on failure @r says so and @uc is freed. */
static void ucall_send(struct worker *w, struct ucall *uc, struct sp_msg *m,
		       void (*done)(struct ureq *, struct worker *), uid_t uid,
		       struct notify_reply *r)
{
	int rc;

	uc->rq.done = done;
	rc = ustack_send(w->sv, uc->us.s, m, &uc->rq, uid);
	if (rc) {
		notify_fail(r, rc);
		ucall_free(uc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}

/* Write an address and its length to where the child asked (may be NULL). */
static int ucall_put_name(struct ucall *uc, const void *addr, uint32_t addrlen)
{
	uint32_t room;
	int rc;

	if (!uc->name)
		return 0;
	rc = childmem_read(uc->rq.d.tid, uc->namelen, &room, sizeof(room));
	if (!rc && (int32_t)room < 0)
		rc = -EINVAL;
	if (!rc && addrlen)
		rc = childmem_write(uc->rq.d.tid, uc->name, addr, room < addrlen ? room : addrlen);
	if (!rc)
		rc = childmem_write(uc->rq.d.tid, uc->namelen, &addrlen, sizeof(addrlen));
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
		notify_fail(&r, rc);
	} else {
		r.fd = rq->fd;		/* notify_answer() closes it */
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
	struct ucall *uc;

	if (base != SOCK_STREAM && base != SOCK_DGRAM) {
		notify_fail(r, -ESOCKTNOSUPPORT);
		return;
	}
	uc = ucall_new(w);
	if (!uc) {
		notify_fail(r, -ENOMEM);
		return;
	}
	uc->us = (struct usock){ .s = stack_get(s), .domain = domain, .type = base };
	uc->cloexec = type & SOCK_CLOEXEC;
	uc->nonblock = type & SOCK_NONBLOCK;
	ucall_send(w, uc, &m, ucall_socket_done, c->ruid, r);
}

/* --- calls answered with the result alone -------------------------------------- */

static void ucall_result_done(struct ureq *rq, struct worker *w)
{
	ucall_reply_result(w, (struct ucall *)rq, rq->result);
}

/* bind, connect: the address from the child */
static int ucall_addr(struct ucall *uc, struct sp_msg *m, uint64_t addr, uint64_t len)
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

/* --- accept ----------------------------------------------------------------------- */

static void ucall_accept_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	struct notify_reply r = { .what = NOTIFY_FD };
	int rc = rq->result;
	char marker;

	notify_own(w);
	if (rc >= 0 && rq->fd < 0)
		rc = -EPROTO;
	if (rc >= 0) {
		/* the listener's marker for this connection (READINESS) */
		if (recv(uc->cfd, &marker, 1, MSG_DONTWAIT) != 1)
			debug("accept: no marker byte on the listener");
		if (uc->flags & SOCK_NONBLOCK && fcntl(rq->fd, F_SETFL, O_NONBLOCK))
			rc = -errno;
	}
	if (rc >= 0)
		rc = ustack_sock_add(w->sv, uc->us.s, rq->fd, rq->handle, uc->us.domain,
				     SOCK_STREAM);
	if (rc >= 0)
		rc = ucall_put_name(uc, rq->addr, rq->addrlen);
	if (rc < 0) {
		notify_fail(&r, rc);
	} else {
		r.fd = rq->fd;
		r.cloexec = uc->flags & SOCK_CLOEXEC;
		rq->fd = -1;
	}
	ucall_reply(w, uc, &r);
}

/* --- names ------------------------------------------------------------------------ */

static void ucall_name_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	int rc = rq->result;

	notify_own(w);
	if (rc >= 0)
		rc = ucall_put_name(uc, rq->addr, rq->addrlen);
	ucall_reply_result(w, uc, rc < 0 ? rc : 0);
}

/* --- options ---------------------------------------------------------------------- */

/*
 * Options the daemon serves; the others (timeouts, SO_LINGER, SO_PEEK_OFF,
 * SO_PASSCRED...) are about the descriptor the child holds and go to the
 * socketpair as they are.  SO_REUSEPORT, which many programs set whatever
 * they do (BIND's dig, libuv), is accepted and means nothing (one listener
 * per port in a userspace stack); AF_UNIX would refuse it.
 */
static bool ucall_option_forwarded(int level, int name)
{
	if (level == IPPROTO_TCP || level == IPPROTO_IP || level == IPPROTO_IPV6)
		return true;
	if (level != SOL_SOCKET)
		return false;
	switch (name) {
	case SO_REUSEADDR: case SO_KEEPALIVE: case SO_RCVBUF: case SO_SNDBUF:
	case SO_BROADCAST: case SO_ERROR: case SO_TYPE: case SO_DOMAIN:
	case SO_PROTOCOL: case SO_ACCEPTCONN:
		return true;
	default:
		return false;
	}
}

static void ucall_getsockopt_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	int rc = rq->result;

	notify_own(w);
	if (rc >= 0 && rq->optlen)
		rc = childmem_write(rq->d.tid, uc->args[3], rq->opt, rq->optlen);
	if (rc >= 0)
		rc = childmem_write(rq->d.tid, uc->args[4], &rq->optlen, sizeof(rq->optlen));
	ucall_reply_result(w, uc, rc < 0 ? rc : 0);
}

/* --- datagrams with addresses ----------------------------------------------------- */

/* Gather the child's iovecs into @buf (at most @cap bytes); -errno or bytes. */
static long ucall_gather(pid_t tid, uint64_t uiov, size_t cnt, unsigned char *buf, size_t cap)
{
	struct iovec iov[64];
	size_t i, done = 0;

	if (cnt > UCALL_IOV_MAX)
		return -EMSGSIZE;
	while (cnt) {
		size_t n = cnt < 64 ? cnt : 64;

		if (childmem_read(tid, uiov, iov, n * sizeof(*iov)))
			return -EFAULT;
		for (i = 0; i < n; i++) {
			size_t len = iov[i].iov_len;

			if (len > cap - done)
				return -EMSGSIZE;
			if (len && childmem_read(tid, (uint64_t)(uintptr_t)iov[i].iov_base,
						 buf + done, len))
				return -EFAULT;
			done += len;
		}
		uiov += n * sizeof(*iov);
		cnt -= n;
	}
	return (long)done;
}

/* Scatter @len bytes of @buf into the child's iovecs. */
static int ucall_scatter(pid_t tid, const struct iovec *iov, size_t cnt,
			 const unsigned char *buf, size_t len)
{
	size_t i, done = 0;

	for (i = 0; i < cnt && done < len; i++) {
		size_t n = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;

		if (n && childmem_write(tid, (uint64_t)(uintptr_t)iov[i].iov_base, buf + done, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

static void ucall_dgramsrc(struct worker *w, struct ucall *uc, struct notify_reply *r);

/* The source of the head datagram is known: take the datagram. */
static void ucall_recv_done(struct ureq *rq, struct worker *w)
{
	static unsigned char buf[SP_DATA_MAX + 1];
	struct ucall *uc = (struct ucall *)rq;
	int flags = (uc->flags & (MSG_PEEK | MSG_TRUNC)) | MSG_DONTWAIT;
	struct notify_reply r;
	long long rc = rq->result;
	ssize_t n = 0;

	notify_own(w);
	if (rc >= 0) {
		n = recv(uc->cfd, buf, sizeof(buf), flags);
		if (n < 0 && errno == EAGAIN && !uc->nonblock && uc->tries++ < 100) {
			/* another thread took it: ask again (uc is gone if
			 * that fails) */
			__u64 id = rq->d.id;
			pid_t tid = rq->d.tid;

			r.what = NOTIFY_ERROR;
			ucall_dgramsrc(w, uc, &r);
			if (r.what != NOTIFY_DEFERRED) {
				w->req->id = id;
				w->req->pid = (__u32)tid;
				notify_answer(w, &r);
			}
			return;
		}
		rc = n < 0 ? -errno : 0;
	}
	if (!rc && uc->iov)
		rc = ucall_scatter(rq->d.tid, uc->iov, uc->iovcnt, buf, (size_t)n);
	else if (!rc)
		rc = childmem_write(rq->d.tid, uc->args[1], buf,
				    (size_t)n < uc->want ? (size_t)n : uc->want);
	if (!rc)
		rc = ucall_put_name(uc, rq->addr, rq->addrlen);
	if (!rc && uc->msghdr) {
		/* no control data; MSG_TRUNC if the buffer was short */
		int mflags = (size_t)n > uc->want ? MSG_TRUNC : 0;
		size_t zero = 0;

		rc = childmem_write(rq->d.tid, uc->msghdr + offsetof(struct msghdr, msg_controllen),
				    &zero, sizeof(zero));
		if (!rc)
			rc = childmem_write(rq->d.tid, uc->msghdr + offsetof(struct msghdr, msg_flags),
					    &mflags, sizeof(mflags));
	}
	if (!rc && !(uc->flags & MSG_TRUNC) && (size_t)n > uc->want)
		n = (ssize_t)uc->want;
	if (!rc && uc->mmsg) {
		unsigned int len = (unsigned int)n;

		rc = childmem_write(rq->d.tid, uc->msghdr + sizeof(struct msghdr), &len,
				    sizeof(len));
		n = 1;		/* one message */
	}
	ucall_reply_result(w, uc, rc ? rc : n);
}

/* Ask the daemon whose datagram is at the head of the queue. */
static void ucall_dgramsrc(struct worker *w, struct ucall *uc, struct notify_reply *r)
{
	struct sp_msg m = { .op = SP_DGRAMSRC, .handle = uc->us.handle };

	if (uc->nonblock || (uc->flags & MSG_DONTWAIT))
		m.flags = SP_NONBLOCK;
	uc->rq.blocking = !m.flags;
	uc->rq.polls = 0;
	ucall_send(w, uc, &m, ucall_recv_done, uc->uid, r);
}

/* --- dispatch ----------------------------------------------------------------------- */

/* The userspace socket the child's descriptor @fd is, if it is one. */
static int ucall_lookup(struct worker *w, int fd, struct usock *us, int *cfdp)
{
	struct stat st;
	int pidfd, cfd;

	if (notify_own(w))
		return -EPERM;
	/* pidfd_getfd needs ptrace access: netsup's own credentials */
	pidfd = (int)syscall(SYS_pidfd_open, w->req->pid, PIDFD_THREAD);
	if (pidfd < 0)
		return -errno;
	cfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (cfd < 0)
		return -errno;
	if (fstat(cfd, &st) || !ustack_sock_find(st.st_dev, st.st_ino, us)) {
		close(cfd);
		return -ENOENT;
	}
	*cfdp = cfd;
	return 0;
}

/* recvfrom/recvmsg with an address on a stream socket: no address, data
 * now or EAGAIN (a blocking one waits on the pair, natively, next time) */
static long ucall_stream_recv(struct ucall *uc, uint64_t buf, size_t len, int flags)
{
	static __thread unsigned char data[65536];
	ssize_t n;
	uint32_t zero = 0;

	n = recv(uc->cfd, data, len < sizeof(data) ? len : sizeof(data), flags | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (n && childmem_write(uc->rq.d.tid, buf, data, (size_t)n))
		return -EFAULT;
	if (uc->namelen && childmem_write(uc->rq.d.tid, uc->namelen, &zero, sizeof(zero)))
		return -EFAULT;
	return n;
}

/* sendmmsg: the first message went; its msg_len, and 1 */
static void ucall_mmsg_sent_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	unsigned int len = (unsigned int)rq->result;
	long long rc = rq->result;

	notify_own(w);
	if (rc >= 0)
		rc = childmem_write(rq->d.tid, uc->msghdr + sizeof(struct msghdr), &len,
				    sizeof(len));
	ucall_reply_result(w, uc, rc < 0 ? rc : 1);
}

/* sendto/sendmsg/sendmmsg with an address, datagram: SENDTO */
static void ucall_sendto(struct worker *w, struct ucall *uc, const unsigned char *data,
			 size_t len, uint64_t addr, uint64_t alen, int flags, uid_t uid,
			 struct notify_reply *r)
{
	struct sp_msg m = { .op = SP_SENDTO, .handle = uc->us.handle, .flags = (uint32_t)flags,
			    .data = data, .datalen = (uint32_t)len };
	int rc = ucall_addr(uc, &m, addr, alen);

	if (!rc && !notify_id_valid(w))
		rc = -ESRCH;
	if (rc) {
		notify_fail(r, rc);
		ucall_free(uc);
		return;
	}
	ucall_send(w, uc, &m, uc->mmsg ? ucall_mmsg_sent_done : ucall_result_done, uid, r);
}

/**
 * ucall_handle() - a call that may be about a userspace socket
 * @w:		the handling thread
 * @r:		the outcome: CONTINUE for anything else
 */
void ucall_handle(struct worker *w, struct notify_reply *r)
{
	static __thread unsigned char data[SP_DATA_MAX + 1];
	const struct seccomp_data *d = &w->req->data;
	struct sp_msg m = { 0 };
	struct ucall *uc;
	struct msghdr mh;
	struct usock us;
	struct creds c;
	int cfd = -1;
	uid_t uid;
	long n;
	int rc;

	r->what = NOTIFY_CONTINUE;
	if (d->arch != AUDIT_ARCH_X86_64 || (d->nr & X32_SYSCALL_BIT) || !ustack_any())
		return;
	/* a kernel descriptor, or none, goes back to the kernel before
	 * anything is allocated: that is the common case, on every call */
	if (ucall_lookup(w, (int)d->args[0], &us, &cfd))
		return;
	uc = ucall_new(w);
	if (!uc) {
		close(cfd);
		notify_fail(r, -ENOMEM);
		return;
	}
	uc->us = us;
	uc->cfd = cfd;
	uc->nonblock = fcntl(cfd, F_GETFL) & O_NONBLOCK;
	rc = notify_creds(w, &c);	/* whom the request counts against */
	if (rc) {
		notify_fail(r, rc);
		ucall_free(uc);
		return;
	}
	uid = uc->uid = c.ruid;
	m.handle = uc->us.handle;
	rc = 0;
	switch (d->nr) {
	case SYS_bind:
	case SYS_connect:
		m.op = d->nr == SYS_bind ? SP_BIND : SP_CONNECT;
		rc = ucall_addr(uc, &m, d->args[1], d->args[2]);
		if (m.op == SP_CONNECT && uc->us.type == SOCK_STREAM) {
			m.flags = uc->nonblock ? SP_NONBLOCK : 0;
			uc->rq.blocking = !uc->nonblock;
		}
		break;
	case SYS_listen:
		m.op = SP_LISTEN;
		m.arg = (int32_t)d->args[1];
		break;
	case SYS_shutdown:
		m.op = SP_SHUTDOWN;
		m.arg = (int32_t)d->args[1];
		break;
	case SYS_accept:
	case SYS_accept4:
		m.op = SP_ACCEPT;
		uc->flags = d->nr == SYS_accept4 ? (int)d->args[3] : 0;
		if (uc->flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
			rc = -EINVAL;
		uc->name = d->args[1];
		uc->namelen = d->args[2];
		m.flags = uc->nonblock ? SP_NONBLOCK : 0;
		uc->rq.blocking = !uc->nonblock;
		break;
	case SYS_getsockname:
	case SYS_getpeername:
		m.op = d->nr == SYS_getsockname ? SP_GETSOCKNAME : SP_GETPEERNAME;
		uc->name = d->args[1];
		uc->namelen = d->args[2];
		if (!uc->name || !uc->namelen)
			rc = -EFAULT;
		break;
	case SYS_getsockopt:
	case SYS_setsockopt: {
		int32_t len = 0;

		if ((int)d->args[1] == SOL_SOCKET && (int)d->args[2] == SO_REUSEPORT &&
		    d->nr == SYS_setsockopt) {
			r->what = NOTIFY_ZERO;
			ucall_free(uc);
			return;
		}
		if (!ucall_option_forwarded((int)d->args[1], (int)d->args[2])) {
			ucall_free(uc);
			return;		/* about the descriptor: the pair's */
		}
		m.op = d->nr == SYS_getsockopt ? SP_GETSOCKOPT : SP_SETSOCKOPT;
		m.level = (int32_t)d->args[1];
		m.name = (int32_t)d->args[2];
		if (m.op == SP_GETSOCKOPT) {
			rc = childmem_read((pid_t)w->req->pid, d->args[4], &len, sizeof(len));
			if (!rc && len < 0)
				rc = -EINVAL;
			m.optlen = (uint32_t)len < SP_OPT_MAX ? (uint32_t)len : SP_OPT_MAX;
		} else {
			len = (int32_t)d->args[4];
			if (len < 0 || len > SP_OPT_MAX)
				rc = -EINVAL;
			else if (len)
				rc = childmem_read((pid_t)w->req->pid, d->args[3], data, (size_t)len);
			m.data = data;
			m.datalen = (uint32_t)len;
		}
		break;
	}
	case SYS_ioctl: {
		/* FIONREAD: a stream pair's count is TCP's; a datagram pair
		 * (SEQPACKET) counts every datagram, UDP only the next one */
		int next;

		if (uc->us.type != SOCK_DGRAM || (uint32_t)d->args[1] != FIONREAD) {
			ucall_free(uc);
			return;
		}
		n = recv(uc->cfd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN) {
			ucall_now(uc, r, -errno);
			return;
		}
		next = n < 0 ? 0 : (int)n;
		rc = childmem_write((pid_t)w->req->pid, d->args[2], &next, sizeof(next));
		if (!rc && !notify_id_valid(w))
			rc = -ESRCH;
		ucall_now(uc, r, rc);
		return;
	}
	case SYS_sendto:
		if (uc->us.type == SOCK_STREAM) {
			/* the kernel's TCP ignores the address: send on the pair */
			size_t len = d->args[2] < sizeof(data) ? d->args[2] : sizeof(data);

			rc = childmem_read((pid_t)w->req->pid, d->args[1], data, len);
			if (!rc && !notify_id_valid(w))
				rc = -ESRCH;
			n = rc ? rc : send(uc->cfd, data, len, (int)d->args[3] | MSG_DONTWAIT | MSG_NOSIGNAL);
			ucall_now(uc, r, n < 0 && !rc ? -errno : n);
			return;
		}
		if (d->args[2] > SP_DATA_MAX) {
			rc = -EMSGSIZE;
			break;
		}
		rc = childmem_read((pid_t)w->req->pid, d->args[1], data, d->args[2]);
		if (rc) {
			rc = -EFAULT;
			break;
		}
		ucall_sendto(w, uc, data, d->args[2], d->args[4], d->args[5],
			     (int)d->args[3], uid, r);
		return;
	case SYS_recvfrom:
		uc->flags = (int)d->args[3];
		uc->name = d->args[4];
		uc->namelen = d->args[5];
		uc->want = d->args[2];
		if (uc->us.type == SOCK_STREAM) {
			n = ucall_stream_recv(uc, d->args[1], d->args[2], uc->flags);
			if (n == -EAGAIN && !uc->nonblock && !(uc->flags & MSG_DONTWAIT)) {
				ucall_free(uc);
				return;	/* blocking: the pair waits, its address is unset */
			}
			ucall_now(uc, r, n);
			return;
		}
		if (!notify_id_valid(w)) {
			rc = -ESRCH;
			break;
		}
		ucall_dgramsrc(w, uc, r);
		return;
	case SYS_sendmmsg:
	case SYS_recvmmsg:
	case SYS_sendmsg:
	case SYS_recvmsg:
		/*
		 * sendmmsg and recvmmsg with addresses: the first message only,
		 * and 1 returned, which both calls allow (the program calls
		 * again for the rest); a struct mmsghdr starts with its msghdr.
		 */
		uc->mmsg = d->nr == SYS_sendmmsg || d->nr == SYS_recvmmsg;
		uc->msghdr = d->args[1];
		if (uc->mmsg && !d->args[2]) {
			ucall_free(uc);
			return;	/* no message: the kernel's answer */
		}
		rc = childmem_read((pid_t)w->req->pid, d->args[1], &mh, sizeof(mh));
		if (rc)
			break;
		if (!mh.msg_name || uc->us.type == SOCK_STREAM) {
			ucall_free(uc);
			return;	/* no address: the pair carries it */
		}
		if (d->nr == SYS_sendmsg || d->nr == SYS_sendmmsg) {
			n = ucall_gather((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_iov,
					 mh.msg_iovlen, data, SP_DATA_MAX);
			if (n < 0) {
				rc = (int)n;
				break;
			}
			ucall_sendto(w, uc, data, (size_t)n, (uint64_t)(uintptr_t)mh.msg_name,
				     mh.msg_namelen, (int)d->args[uc->mmsg ? 3 : 2], uid, r);
			return;
		}
		if (mh.msg_iovlen > UCALL_IOV_MAX) {
			rc = -EMSGSIZE;
			break;
		}
		uc->iovcnt = mh.msg_iovlen;
		uc->iov = calloc(uc->iovcnt + 1, sizeof(*uc->iov));
		if (!uc->iov) {
			rc = -ENOMEM;
			break;
		}
		if (uc->iovcnt && childmem_read((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_iov,
						uc->iov, uc->iovcnt * sizeof(*uc->iov))) {
			rc = -EFAULT;
			break;
		}
		for (size_t i = 0; i < uc->iovcnt; i++)
			uc->want += uc->iov[i].iov_len;
		uc->flags = (int)d->args[uc->mmsg ? 3 : 2];
		uc->name = (uint64_t)(uintptr_t)mh.msg_name;
		uc->namelen = d->args[1] + offsetof(struct msghdr, msg_namelen);
		if (!notify_id_valid(w)) {
			rc = -ESRCH;
			break;
		}
		ucall_dgramsrc(w, uc, r);
		return;
	default:
		ucall_free(uc);
		return;
	}
	if (!rc && !notify_id_valid(w))
		rc = -ESRCH;
	if (rc) {
		notify_fail(r, rc);
		ucall_free(uc);
		return;
	}
	switch (m.op) {
	case SP_ACCEPT:
		ucall_send(w, uc, &m, ucall_accept_done, uid, r);
		break;
	case SP_GETSOCKNAME:
	case SP_GETPEERNAME:
		ucall_send(w, uc, &m, ucall_name_done, uid, r);
		break;
	case SP_GETSOCKOPT:
		ucall_send(w, uc, &m, ucall_getsockopt_done, uid, r);
		break;
	default:
		ucall_send(w, uc, &m, ucall_result_done, uid, r);
		break;
	}
}
