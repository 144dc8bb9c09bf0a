// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucall_conn.c - the forwarded calls of connections, names and options
 *
 * bind, connect, listen, shutdown, accept and accept4, getsockname and
 * getpeername, getsockopt and setsockopt on a userspace stack's socket
 * become the daemon's requests (stackproto.h); ioctl(FIONREAD) of a
 * datagram socket is answered here.  Each is a row of ucall_table.c: its
 * start() builds the request from the arguments the row decoded (or
 * answers at once), its done() answers when the daemon replied, writing
 * into the caller only through its memory opened at the call (request.c).
 *
 * - accept's new socket comes with the daemon's reply (SCM_RIGHTS); the
 *   listener's end of the pair carries a marker byte per connection
 *   (READINESS in netsup-stack-protocol(7)), consumed here on our copy of
 *   the child's descriptor, which shares its open file;
 * - ioctl(FIONREAD) of a datagram socket is the size of the next
 *   datagram, as UDP answers (recv(MSG_PEEK | MSG_TRUNC) on our copy),
 *   where the SEQPACKET pair would count all of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/capability.h>
#include <linux/netlink.h>

#include "childmem.h"
#include "log.h"
#include "request.h"
#include "ucall.h"
#include "ucall_int.h"
#include "ustack.h"

/* --- calls answered with the result alone -------------------------------------- */

/* bind, connect, listen, shutdown, setsockopt, sendto, sendmsg */
void ucall_result_done(struct ureq *rq, struct worker *w)
{
	ucall_reply_result(w, (struct ucall *)rq, rq->result);
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

/* bind: the address; a port below 1024 as the kernel would allow it */
int ucall_bind_start(struct worker *w, struct ucall *uc, const struct creds *c,
		     struct sp_msg *m, struct notify_reply *r)
{
	int rc = ucall_addr(uc, m, uc->av.addr, uc->av.addrlen);

	(void)w;
	(void)r;
	if (!rc && !ucall_may_bind(c, uc->us.s, m))
		rc = -EACCES;
	return rc;
}

/* connect: the address; a stream socket's waits in the daemon if it blocks */
/* connect done: a datagram socket's default peer, set or removed (ucall_msghdr()) */
void ucall_connect_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;

	if (rq->result == 0 && uc->us.type == SOCK_DGRAM)
		ustack_sock_set_peer(uc->cfd, uc->flags != AF_UNSPEC);
	ucall_reply_result(w, uc, rq->result);
}

int ucall_connect_start(struct worker *w, struct ucall *uc, const struct creds *c,
			struct sp_msg *m, struct notify_reply *r)
{
	int rc = ucall_addr(uc, m, uc->av.addr, uc->av.addrlen);

	(void)w;
	(void)c;
	(void)r;
	if (!rc && m->addrlen >= sizeof(sa_family_t)) {
		sa_family_t fam;	/* AF_UNSPEC: no default peer any more */

		memcpy(&fam, m->addr, sizeof(fam));
		uc->flags = fam;
	}
	if (uc->us.type == SOCK_STREAM)
		m->flags = uc->nonblock ? SP_NONBLOCK : 0;
	else
		uc->rq.blocking = false;	/* a datagram socket's is at once */
	return rc;
}

/* listen's backlog, shutdown's how */
int ucall_int_start(struct worker *w, struct ucall *uc, const struct creds *c,
		    struct sp_msg *m, struct notify_reply *r)
{
	(void)w;
	(void)c;
	(void)r;
	m->arg = uc->av.arg;
	return 0;
}

/* --- accept ----------------------------------------------------------------------- */

/* accept, accept4: the flags, where the peer's address goes */
int ucall_accept_start(struct worker *w, struct ucall *uc, const struct creds *c,
		       struct sp_msg *m, struct notify_reply *r)
{
	(void)w;
	(void)c;
	(void)r;
	uc->flags = uc->av.flags;	/* accept: none */
	uc->name = uc->av.name;
	uc->namelen = uc->av.namelen;
	m->flags = uc->nonblock ? SP_NONBLOCK : 0;
	if (uc->flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	return 0;
}

void ucall_accept_done(struct ureq *rq, struct worker *w)
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
		request_fail(&r, rc);
	} else {
		r.fd = rq->fd;
		r.cloexec = uc->flags & SOCK_CLOEXEC;
		rq->fd = -1;
	}
	ucall_reply(w, uc, &r);
}

/* --- names ------------------------------------------------------------------------ */

/* getsockname, getpeername: where the address goes */
int ucall_name_start(struct worker *w, struct ucall *uc, const struct creds *c,
		     struct sp_msg *m, struct notify_reply *r)
{
	(void)w;
	(void)c;
	(void)m;
	(void)r;
	uc->name = uc->av.name;
	uc->namelen = uc->av.namelen;
	if (!uc->name || !uc->namelen)
		return -EFAULT;
	return 0;
}

void ucall_name_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	int rc = rq->result;

	if (rc >= 0)
		rc = ucall_put_name(uc, rq->addr, rq->addrlen);
	ucall_reply_result(w, uc, rc < 0 ? rc : 0);
}

/* --- options ---------------------------------------------------------------------- */

/*
 * Options the daemon serves (SO_LINGER too: {1, 0} makes its close a
 * reset); the others (timeouts, SO_PEEK_OFF, SO_PASSCRED...) are about the
 * descriptor the child holds and go to the socketpair as they are.  SO_REUSEPORT, which many programs set whatever
 * they do (BIND's dig, libuv), is accepted and means nothing (one listener
 * per port in a userspace stack) but read back; AF_UNIX would refuse it.
 */
bool ucall_option_forwarded(int level, int name)
{
	if (level == IPPROTO_TCP || level == IPPROTO_IP || level == IPPROTO_IPV6 ||
	    level == SOL_NETLINK)
		return true;
	if (level != SOL_SOCKET)
		return false;
	switch (name) {
	case SO_REUSEADDR: case SO_KEEPALIVE: case SO_RCVBUF: case SO_SNDBUF:
	case SO_BROADCAST: case SO_ERROR: case SO_TYPE: case SO_DOMAIN:
	case SO_PROTOCOL: case SO_ACCEPTCONN: case SO_REUSEPORT: case SO_LINGER:
		return true;
	default:
		return false;
	}
}

/* getsockopt: the room the caller gives, at most SP_OPT_MAX */
int ucall_getsockopt_start(struct worker *w, struct ucall *uc, const struct creds *c,
			   struct sp_msg *m, struct notify_reply *r)
{
	int32_t len = 0;
	int rc;

	(void)c;
	(void)r;
	if (!ucall_option_forwarded(uc->av.level, uc->av.optname))
		return UCALL_KERNEL;	/* about the descriptor: the pair's */
	m->level = (int32_t)uc->av.level;
	m->name = (int32_t)uc->av.optname;
	rc = childmem_read((pid_t)w->req->pid, uc->av.optlen, &len, sizeof(len));
	if (!rc && len < 0)
		rc = -EINVAL;
	m->optlen = (uint32_t)len < SP_OPT_MAX ? (uint32_t)len : SP_OPT_MAX;
	uc->want = m->optlen;	/* the most that goes back */
	return rc;
}

/* setsockopt: the value, at most SP_OPT_MAX */
int ucall_setsockopt_start(struct worker *w, struct ucall *uc, const struct creds *c,
			   struct sp_msg *m, struct notify_reply *r)
{
	unsigned char *data = ucall_data();
	int32_t len;
	int rc = 0;

	(void)c;
	(void)r;
	if (!ucall_option_forwarded(uc->av.level, uc->av.optname))
		return UCALL_KERNEL;	/* about the descriptor: the pair's */
	m->level = (int32_t)uc->av.level;
	m->name = (int32_t)uc->av.optname;
	len = (int32_t)uc->av.optlen;
	if (len < 0 || len > SP_OPT_MAX)
		rc = -EINVAL;
	else if (len)
		rc = childmem_read((pid_t)w->req->pid, uc->av.optval, data, (size_t)len);
	m->data = data;
	m->datalen = (uint32_t)len;
	return rc;
}

void ucall_getsockopt_done(struct ureq *rq, struct worker *w)
{
	struct ucall *uc = (struct ucall *)rq;
	int rc = rq->result;
	/* the daemon's value, cut to the room the caller gave (as the
	 * kernel does): a longer reply must not run over the caller's buffer */
	uint32_t len = rq->optlen < uc->want ? rq->optlen : (uint32_t)uc->want;

	if (rc >= 0 && len)
		rc = request_write(&uc->ref, uc->av.optval, rq->opt, len);
	if (rc >= 0)
		rc = request_write(&uc->ref, uc->av.optlen, &len, sizeof(len));
	ucall_reply_result(w, uc, rc < 0 ? rc : 0);
}

/* --- ioctl ------------------------------------------------------------------------ */

/*
 * FIONREAD: a stream pair's count is TCP's; a datagram pair (SEQPACKET)
 * counts every datagram, UDP only the next one: answered here
 */
int ucall_ioctl_start(struct worker *w, struct ucall *uc, const struct creds *c,
		      struct sp_msg *m, struct notify_reply *r)
{
	int next, rc;
	long n;

	(void)c;
	(void)m;
	if (uc->us.type != SOCK_DGRAM || uc->av.req != FIONREAD)
		return UCALL_KERNEL;
	n = recv(uc->cfd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0 && errno != EAGAIN) {
		ucall_now(uc, r, -errno);
		return UCALL_ANSWERED;
	}
	next = n < 0 ? 0 : (int)n;
	rc = request_write(&uc->ref, uc->av.argp, &next, sizeof(next));
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	ucall_now(uc, r, rc);
	return UCALL_ANSWERED;
}
