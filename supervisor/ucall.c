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
 *   results copied into the child first: through the caller's memory
 *   opened when the call arrived (request.c), never by TID, which after
 *   an exec by another thread names another program;
 * - what is written back is bounded by what the caller asked for and by
 *   what netsup holds: an option value by the caller's optlen, a datagram
 *   by the buffer it was received into (whatever the daemon claims);
 * - ioctl(FIONREAD) of a datagram socket is answered here: the size of
 *   the next datagram (MSG_PEEK | MSG_TRUNC on our copy), as UDP answers,
 *   where the SEQPACKET pair would count all of them;
 * - sendmsg and recvmsg of a datagram socket with control data, even
 *   without an address, are forwarded: their control messages are
 *   ucmsg.c's; a sendmsg with neither, on a socket whose connect() gave
 *   it no default peer, fails with EDESTADDRREQ here (ustack.c keeps
 *   whether it has one), where the pair would take the datagram;
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
#include <linux/audit.h>
#include <linux/net.h>
#include <linux/netlink.h>

#include "childmem.h"
#include "log.h"
#include "request.h"
#include "ucall.h"
#include "ucmsg.h"
#include "uiface.h"
#include "ustack.h"
#include "../common/util.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

#define UCALL_IOV_MAX	1024

/*
 * A call, decoded: its x86-64 number and arguments, whatever the
 * architecture it came from (i386 socketcall's are copied from memory).
 */
struct ucall_args {
	long nr;
	uint64_t a[6];
};

/* One call in progress. */
struct ucall {
	struct ureq rq;
	struct request_ref ref;	/* the caller, and its memory */
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
	size_t want;		/* recvfrom: the child's buffer size;
				 * getsockopt: its optlen */
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
	uc->nr = ca->nr;
	memcpy(uc->args, ca->a, sizeof(uc->args));
	*out = uc;
	return 0;
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
	request_answer(w, &uc->ref, r);
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
	const struct ucall_args ca = { .nr = SYS_socket };
	struct ucall *uc;
	int rc;

	if (base != SOCK_STREAM && base != SOCK_DGRAM &&
	    !(domain == AF_NETLINK && base == SOCK_RAW)) {
		notify_fail(r, -ESOCKTNOSUPPORT);
		return;
	}
	if (domain == AF_NETLINK && uiface_net_admin(s, (pid_t)w->req->pid, c))
		m.sflags = SP_SOCK_NETADMIN;	/* may configure it: uiface.c */
	rc = ucall_new(w, &ca, false, &uc);	/* answered with a descriptor only */
	if (rc) {
		notify_fail(r, rc);
		return;
	}
	/* a netlink socket's datagrams are served as a UDP socket's */
	uc->us = (struct usock){ .s = stack_get(s), .domain = domain,
				 .type = base == SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM };
	uc->cloexec = type & SOCK_CLOEXEC;
	uc->nonblock = type & SOCK_NONBLOCK;
	ucall_send(w, uc, &m, ucall_socket_done, c->ruid, r);
}

/* --- calls answered with the result alone -------------------------------------- */

static void ucall_result_done(struct ureq *rq, struct worker *w)
{
	ucall_reply_result(w, (struct ucall *)rq, rq->result);
}

/* connect of a datagram socket: its default peer, set or removed */
static void ucall_dgram_connect_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;

	if (rq->result == 0)
		ustack_sock_set_peer(uc->cfd, uc->flags != AF_UNSPEC);
	ucall_reply_result(w, uc, rq->result);
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

/*
 * A port below 1024 (the kernel's ip_unprivileged_port_start; a userspace
 * stack has no such setting) is bound only by a caller with
 * CAP_NET_BIND_SERVICE in netsup's user namespace (a namespace stack of
 * the same owner would refuse anyone else: the kernel checks the
 * capability in the user namespace that owns the stack), or by the user
 * the stack's daemon runs as: its own stack, as a namespace's owner has
 * every capability in it.
 */
static bool ucall_may_bind(const struct creds *c, const struct stack *s,
			   const struct sp_msg *m)
{
	const unsigned char *sa = m->addr;
	unsigned int port;
	sa_family_t fam;

	if (m->addrlen < 4)
		return true;	/* the daemon refuses it */
	memcpy(&fam, sa, sizeof(fam));
	if (fam != AF_INET && fam != AF_INET6)
		return true;
	port = (unsigned int)sa[2] << 8 | sa[3];	/* network order */
	if (!port || port >= 1024)
		return true;
	if (c->cap_eff & (1ULL << CAP_NET_BIND_SERVICE))
		return true;
	return c->euid == ustack_owner(s);
}

/* --- accept ----------------------------------------------------------------------- */

static void ucall_accept_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	struct notify_reply r = { .what = NOTIFY_FD };
	int rc = rq->result;
	char marker;

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
 * per port in a userspace stack) but read back; AF_UNIX would refuse it.
 */
static bool ucall_option_forwarded(int level, int name)
{
	if (level == IPPROTO_TCP || level == IPPROTO_IP || level == IPPROTO_IPV6 ||
	    level == SOL_NETLINK)
		return true;
	if (level != SOL_SOCKET)
		return false;
	switch (name) {
	case SO_REUSEADDR: case SO_KEEPALIVE: case SO_RCVBUF: case SO_SNDBUF:
	case SO_BROADCAST: case SO_ERROR: case SO_TYPE: case SO_DOMAIN:
	case SO_PROTOCOL: case SO_ACCEPTCONN: case SO_REUSEPORT:
		return true;
	default:
		return false;
	}
}

static void ucall_getsockopt_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	int rc = rq->result;
	/* the daemon's value, cut to the room the caller gave (as the
	 * kernel does): a longer reply must not run over the caller's buffer */
	uint32_t len = rq->optlen < uc->want ? rq->optlen : (uint32_t)uc->want;

	if (rc >= 0 && len)
		rc = request_write(&uc->ref, uc->args[3], rq->opt, len);
	if (rc >= 0)
		rc = request_write(&uc->ref, uc->args[4], &len, sizeof(len));
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
static int ucall_scatter(const struct request_ref *ref, const struct iovec *iov, size_t cnt,
			 const unsigned char *buf, size_t len)
{
	size_t i, done = 0;
	int rc;

	for (i = 0; i < cnt && done < len; i++) {
		size_t n = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;

		rc = n ? request_write(ref, (uint64_t)(uintptr_t)iov[i].iov_base, buf + done, n) : 0;
		if (rc)
			return rc == -ESRCH ? rc : -EFAULT;
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

	if (rc >= 0) {
		n = recv(uc->cfd, buf, sizeof(buf), flags);
		if (n < 0 && errno == EAGAIN && !uc->nonblock && uc->tries++ < 100) {
			/* another thread took it: ask again (uc is gone if
			 * that fails: answer by a copy of its reference) */
			struct request_ref ref = { .id = uc->ref.id, .tid = uc->ref.tid,
						   .mem = -1 };

			r.what = NOTIFY_ERROR;
			ucall_dgramsrc(w, uc, &r);
			if (r.what != NOTIFY_DEFERRED)
				request_answer(w, &ref, &r);
			return;
		}
		rc = n < 0 ? -errno : 0;
	}
	/*
	 * With MSG_TRUNC, recv() tells the datagram's whole length, which a
	 * daemon can make longer than @buf (a SEQPACKET message is not a UDP
	 * datagram): no more than was received is ever copied or told.
	 */
	if (n > (ssize_t)sizeof(buf))
		n = (ssize_t)sizeof(buf);
	if (!rc && uc->iov)
		rc = ucall_scatter(&uc->ref, uc->iov, uc->iovcnt, buf, (size_t)n);
	else if (!rc)
		rc = request_write(&uc->ref, uc->args[1], buf,
				   (size_t)n < uc->want ? (size_t)n : uc->want);
	if (!rc)
		rc = ucall_put_name(uc, rq->addr, rq->addrlen);
	if (!rc && uc->msghdr) {
		/* control data (ucmsg.c); MSG_TRUNC if the buffer was short */
		int mflags = (size_t)n > uc->want ? MSG_TRUNC : 0;

		rc = ucmsg_recv_put(&uc->ref, uc->msghdr, &rq->anc, uc->us.domain, &mflags);
		if (!rc)
			rc = request_write(&uc->ref, uc->msghdr + offsetof(struct msghdr, msg_flags),
					   &mflags, sizeof(mflags));
	}
	if (!rc && !(uc->flags & MSG_TRUNC) && (size_t)n > uc->want)
		n = (ssize_t)uc->want;
	if (!rc && uc->mmsg) {
		unsigned int len = (unsigned int)n;

		rc = request_write(&uc->ref, uc->msghdr + sizeof(struct msghdr), &len,
				   sizeof(len));
		n = 1;		/* one message */
	}
	ucall_reply_result(w, uc, rc ? rc : n);
}

/* Ask the daemon whose datagram is at the head of the queue. */
static void ucall_dgramsrc(struct worker *w, struct ucall *uc, struct notify_reply *r)
{
	struct sp_msg m = { .op = SP_DGRAMSRC, .handle = uc->us.handle };
	struct timeval tv = { 0 };
	socklen_t tvlen = sizeof(tv);

	if (uc->nonblock || (uc->flags & MSG_DONTWAIT))
		m.flags = SP_NONBLOCK;
	/* the child's SO_RCVTIMEO (set on its end) bounds the wait (version 2) */
	if (!m.flags && uc->us.s && uc->us.s->version >= 2 &&
	    !getsockopt(uc->cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, &tvlen) &&
	    (tv.tv_sec || tv.tv_usec))
		m.arg = tv.tv_sec >= INT32_MAX / 1000 ? INT32_MAX
			: (int32_t)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
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
	if (n && request_write(&uc->ref, buf, data, (size_t)n))
		return -EFAULT;
	if (uc->namelen && request_write(&uc->ref, uc->namelen, &zero, sizeof(zero)))
		return -EFAULT;
	return n;
}

/* sendmmsg: the first message went; its msg_len, and 1 */
static void ucall_mmsg_sent_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	unsigned int len = (unsigned int)rq->result;
	long long rc = rq->result;

	if (rc >= 0)
		rc = request_write(&uc->ref, uc->msghdr + sizeof(struct msghdr), &len,
				   sizeof(len));
	ucall_reply_result(w, uc, rc < 0 ? rc : 1);
}

/* sendto/sendmsg/sendmmsg with an address, datagram: SENDTO (SENDMSG with
 * control messages, ucmsg.c) */
static void ucall_sendto(struct worker *w, struct ucall *uc, const unsigned char *data,
			 size_t len, uint64_t addr, uint64_t alen, int flags, uid_t uid,
			 const struct sp_anc *anc, struct notify_reply *r)
{
	struct sp_msg m = { .op = SP_SENDTO, .handle = uc->us.handle, .flags = (uint32_t)flags,
			    .data = data, .datalen = (uint32_t)len };
	int rc = ucall_addr(uc, &m, addr, alen);

	/* control messages (ucmsg.c): SENDMSG, version 3 */
	if (anc && anc->present && uc->us.s && uc->us.s->version >= 3) {
		m.op = SP_SENDMSG;
		m.anc = *anc;
	}

	if (!rc && !notify_id_valid(w))
		rc = -ESRCH;
	if (rc) {
		notify_fail(r, rc);
		ucall_free(uc);
		return;
	}
	ucall_send(w, uc, &m, uc->mmsg ? ucall_mmsg_sent_done : ucall_result_done, uid, r);
}

/* i386 system calls of sockets (arch/x86/entry/syscalls/syscall_32.tbl) */
#define I386_NR_IOCTL		54
#define I386_NR_SOCKETCALL	102
#define I386_NR_BIND		361

/*
 * The x86-64 numbers of i386's socket calls: the direct ones (Linux 4.3),
 * bind (361) to shutdown (373) in this order, and socketcall(2)'s
 * operations (linux/net.h SYS_*), with how many arguments each has.
 * 0: not forwarded (socket, socketpair, send and recv, which carry no
 * address; sendmsg, recvmsg, sendmmsg and recvmmsg, whose structures
 * differ on i386).
 */
static const long ucall_i386_direct[] = {
	SYS_bind, SYS_connect, SYS_listen, SYS_accept4, SYS_getsockopt, SYS_setsockopt,
	SYS_getsockname, SYS_getpeername, SYS_sendto, 0, SYS_recvfrom, 0, SYS_shutdown,
};
static const struct {
	long nr;
	unsigned int nargs;
} ucall_socketcall[] = {
	[SYS_BIND] = { SYS_bind, 3 },		[SYS_CONNECT] = { SYS_connect, 3 },
	[SYS_LISTEN] = { SYS_listen, 2 },	[SYS_ACCEPT] = { SYS_accept, 3 },
	[SYS_GETSOCKNAME] = { SYS_getsockname, 3 },
	[SYS_GETPEERNAME] = { SYS_getpeername, 3 },
	[SYS_SENDTO] = { SYS_sendto, 6 },	[SYS_RECVFROM] = { SYS_recvfrom, 6 },
	[SYS_SHUTDOWN] = { SYS_shutdown, 2 },	[SYS_SETSOCKOPT] = { SYS_setsockopt, 5 },
	[SYS_GETSOCKOPT] = { SYS_getsockopt, 5 },
	[SYS_ACCEPT4] = { SYS_accept4, 4 },
};

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
 * Return: true if @ca may be a forwarded call
 */
static bool ucall_decode(struct worker *w, struct ucall_args *ca)
{
	const struct seccomp_data *d = &w->req->data;
	uint32_t a32[6];
	unsigned int op, i;

	if (d->arch == AUDIT_ARCH_X86_64) {
		if (d->nr & X32_SYSCALL_BIT)
			return false;
		ca->nr = d->nr;
		memcpy(ca->a, d->args, sizeof(ca->a));
		return true;
	}
	if (d->arch != AUDIT_ARCH_I386)
		return false;
	for (i = 0; i < 6; i++)
		ca->a[i] = (uint32_t)d->args[i];
	if (d->nr == I386_NR_IOCTL) {
		ca->nr = SYS_ioctl;
		return true;
	}
	if (d->nr >= I386_NR_BIND &&
	    d->nr < I386_NR_BIND + (int)(ARRAY_SIZE(ucall_i386_direct))) {
		ca->nr = ucall_i386_direct[d->nr - I386_NR_BIND];
		return ca->nr != 0;
	}
	if (d->nr != I386_NR_SOCKETCALL)
		return false;
	op = (uint32_t)d->args[0];
	if (op >= ARRAY_SIZE(ucall_socketcall) ||
	    !ucall_socketcall[op].nargs)
		return false;
	/* only the arguments the operation has, as the kernel reads them */
	if (notify_own(w) || childmem_read((pid_t)w->req->pid, (uint32_t)d->args[1], a32,
					   ucall_socketcall[op].nargs * sizeof(*a32)))
		return false;	/* the kernel answers EFAULT itself */
	ca->nr = ucall_socketcall[op].nr;
	memset(ca->a, 0, sizeof(ca->a));
	for (i = 0; i < ucall_socketcall[op].nargs; i++)
		ca->a[i] = a32[i];
	return true;
}

/* Does the call write into the caller?  Then its memory is opened. */
static bool ucall_writes(long nr)
{
	switch (nr) {
	case SYS_bind: case SYS_connect: case SYS_listen: case SYS_shutdown:
	case SYS_setsockopt: case SYS_sendto: case SYS_sendmsg:
		return false;
	default:
		return true;
	}
}

/**
 * ucall_handle() - a call that may be about a userspace socket
 * @w:		the handling thread
 * @r:		the outcome: CONTINUE for anything else
 */
void ucall_handle(struct worker *w, struct notify_reply *r)
{
	static __thread unsigned char data[SP_DATA_MAX + 1];
	struct ucall_args ca;
	const uint64_t *a = ca.a;
	struct sp_msg m = { 0 };
	struct ucall *uc;
	struct msghdr mh;
	struct usock us = { 0 };
	struct creds c;
	int cfd = -1;
	uid_t uid;
	long n, nr;
	int rc;

	r->what = NOTIFY_CONTINUE;
	if (!ustack_any() || !ucall_decode(w, &ca))
		return;
	nr = ca.nr;
	/* a kernel descriptor, or none, goes back to the kernel before
	 * anything is allocated: that is the common case, on every call */
	if (ucall_lookup(w, (int)a[0], &us, &cfd))
		return;
	rc = ucall_new(w, &ca, ucall_writes(nr), &uc);
	if (rc) {
		stack_put(us.s);
		close(cfd);
		notify_fail(r, rc);
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
	switch (nr) {
	case SYS_bind:
	case SYS_connect:
		m.op = nr == SYS_bind ? SP_BIND : SP_CONNECT;
		rc = ucall_addr(uc, &m, a[1], a[2]);
		if (!rc && m.op == SP_BIND && !ucall_may_bind(&c, uc->us.s, &m))
			rc = -EACCES;
		if (m.op == SP_CONNECT && m.addrlen >= sizeof(sa_family_t)) {
			sa_family_t fam;	/* AF_UNSPEC: no peer any more */

			memcpy(&fam, m.addr, sizeof(fam));
			uc->flags = fam;
		}
		if (m.op == SP_CONNECT && uc->us.type == SOCK_STREAM) {
			m.flags = uc->nonblock ? SP_NONBLOCK : 0;
			uc->rq.blocking = !uc->nonblock;
		}
		break;
	case SYS_listen:
		m.op = SP_LISTEN;
		m.arg = (int32_t)a[1];
		break;
	case SYS_shutdown:
		m.op = SP_SHUTDOWN;
		m.arg = (int32_t)a[1];
		break;
	case SYS_accept:
	case SYS_accept4:
		m.op = SP_ACCEPT;
		uc->flags = nr == SYS_accept4 ? (int)a[3] : 0;
		if (uc->flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
			rc = -EINVAL;
		uc->name = a[1];
		uc->namelen = a[2];
		m.flags = uc->nonblock ? SP_NONBLOCK : 0;
		uc->rq.blocking = !uc->nonblock;
		break;
	case SYS_getsockname:
	case SYS_getpeername:
		m.op = nr == SYS_getsockname ? SP_GETSOCKNAME : SP_GETPEERNAME;
		uc->name = a[1];
		uc->namelen = a[2];
		if (!uc->name || !uc->namelen)
			rc = -EFAULT;
		break;
	case SYS_getsockopt:
	case SYS_setsockopt: {
		int32_t len = 0;

		if (!ucall_option_forwarded((int)a[1], (int)a[2])) {
			ucall_free(uc);
			return;		/* about the descriptor: the pair's */
		}
		m.op = nr == SYS_getsockopt ? SP_GETSOCKOPT : SP_SETSOCKOPT;
		m.level = (int32_t)a[1];
		m.name = (int32_t)a[2];
		if (m.op == SP_GETSOCKOPT) {
			rc = childmem_read((pid_t)w->req->pid, a[4], &len, sizeof(len));
			if (!rc && len < 0)
				rc = -EINVAL;
			m.optlen = (uint32_t)len < SP_OPT_MAX ? (uint32_t)len : SP_OPT_MAX;
			uc->want = m.optlen;	/* the most that goes back */
		} else {
			len = (int32_t)a[4];
			if (len < 0 || len > SP_OPT_MAX)
				rc = -EINVAL;
			else if (len)
				rc = childmem_read((pid_t)w->req->pid, a[3], data, (size_t)len);
			m.data = data;
			m.datalen = (uint32_t)len;
		}
		break;
	}
	case SYS_ioctl: {
		/* FIONREAD: a stream pair's count is TCP's; a datagram pair
		 * (SEQPACKET) counts every datagram, UDP only the next one */
		int next;

		if (uc->us.type != SOCK_DGRAM || (uint32_t)a[1] != FIONREAD) {
			ucall_free(uc);
			return;
		}
		n = recv(uc->cfd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN) {
			ucall_now(uc, r, -errno);
			return;
		}
		next = n < 0 ? 0 : (int)n;
		rc = request_write(&uc->ref, a[2], &next, sizeof(next));
		if (!rc && !notify_id_valid(w))
			rc = -ESRCH;
		ucall_now(uc, r, rc);
		return;
	}
	case SYS_sendto:
		if (uc->us.type == SOCK_STREAM) {
			/* the kernel's TCP ignores the address: send on the pair */
			size_t len = a[2] < sizeof(data) ? a[2] : sizeof(data);

			rc = childmem_read((pid_t)w->req->pid, a[1], data, len);
			if (!rc && !notify_id_valid(w))
				rc = -ESRCH;
			n = rc ? rc : send(uc->cfd, data, len, (int)a[3] | MSG_DONTWAIT | MSG_NOSIGNAL);
			ucall_now(uc, r, n < 0 && !rc ? -errno : n);
			return;
		}
		if (a[2] > SP_DATA_MAX) {
			rc = -EMSGSIZE;
			break;
		}
		rc = childmem_read((pid_t)w->req->pid, a[1], data, a[2]);
		if (rc) {
			rc = -EFAULT;
			break;
		}
		ucall_sendto(w, uc, data, a[2], a[4], a[5],
			     (int)a[3], uid, NULL, r);
		return;
	case SYS_recvfrom:
		uc->flags = (int)a[3];
		uc->name = a[4];
		uc->namelen = a[5];
		uc->want = a[2];
		if (uc->us.type == SOCK_STREAM) {
			n = ucall_stream_recv(uc, a[1], a[2], uc->flags);
			if (n == -EAGAIN && !uc->nonblock && !(uc->flags & MSG_DONTWAIT)) {
				ucall_free(uc);
				return;	/* blocking: the pair waits, its address is unset */
			}
			ucall_now(uc, r, n);
			return;
		}
		if (uc->flags & MSG_ERRQUEUE) {
			rc = -EAGAIN;	/* no error queue: no ICMP errors kept */
			break;
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
		uc->mmsg = nr == SYS_sendmmsg || nr == SYS_recvmmsg;
		uc->msghdr = a[1];
		if (uc->mmsg && !a[2]) {
			ucall_free(uc);
			return;	/* no message: the kernel's answer */
		}
		rc = childmem_read((pid_t)w->req->pid, a[1], &mh, sizeof(mh));
		if (rc)
			break;
		if ((!mh.msg_name && !(mh.msg_control && mh.msg_controllen)) ||
		    uc->us.type == SOCK_STREAM) {
			if ((nr == SYS_sendmsg || nr == SYS_sendmmsg) &&
			    uc->us.type == SOCK_DGRAM && !uc->us.peer) {
				ucall_now(uc, r, -EDESTADDRREQ);
				return;	/* the pair would take it and drop it */
			}
			ucall_free(uc);
			return;	/* no address, no control data: the pair's */
		}
		if (nr == SYS_sendmsg || nr == SYS_sendmmsg) {
			struct sp_anc anc;

			n = ucall_gather((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_iov,
					 mh.msg_iovlen, data, SP_DATA_MAX);
			rc = n < 0 ? (int)n
			     : ucmsg_send_read((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_control,
					       mh.msg_controllen, uc->us.domain, &anc);
			if (rc)
				break;
			ucall_sendto(w, uc, data, (size_t)n, (uint64_t)(uintptr_t)mh.msg_name,
				     mh.msg_namelen, (int)a[uc->mmsg ? 3 : 2], uid, &anc, r);
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
		uc->flags = (int)a[uc->mmsg ? 3 : 2];
		uc->name = (uint64_t)(uintptr_t)mh.msg_name;
		uc->namelen = a[1] + offsetof(struct msghdr, msg_namelen);
		if (uc->flags & MSG_ERRQUEUE) {
			rc = -EAGAIN;	/* no error queue: no ICMP errors kept */
			break;
		}
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
		ucall_send(w, uc, &m, m.op == SP_CONNECT && uc->us.type == SOCK_DGRAM ?
			   ucall_dgram_connect_done : ucall_result_done, uid, r);
		break;
	}
}
