// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucall_dgram.c - the forwarded calls of datagrams with addresses
 *
 * sendto, recvfrom, sendmsg, recvmsg, sendmmsg and recvmmsg with an
 * address, on a userspace stack's socket (rows of ucall_table.c):
 *
 * - a datagram that goes to an address is copied from the child
 *   (gathered from its iovecs) and sent to the daemon (SENDTO);
 * - a datagram that comes with its source: the daemon is asked whose
 *   datagram is at the head of the child's end of the pair (DGRAMSRC,
 *   which waits there while the socket blocks, bounded by the child's
 *   SO_RCVTIMEO), then the datagram is taken from our copy of the
 *   child's descriptor, which shares its open file, and written with its
 *   address into the caller's memory opened at the call (request.c);
 *   another thread of the child may take it first: the daemon is asked
 *   again;
 * - on a stream socket the address means nothing (as in the kernel's
 *   TCP): sendto sends on the pair, recvfrom reads what is there, and the
 *   other calls go to the pair as they are;
 * - sendmmsg and recvmmsg move the first message only, and return 1,
 *   which both calls allow (the program calls again for the rest); a
 *   struct mmsghdr starts with its msghdr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include "childmem.h"
#include "request.h"
#include "ucall_int.h"
#include "ucmsg.h"
#include "ustack.h"

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
void ucall_recv_done(struct ureq *rq, struct worker *w)
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
		rc = request_write(&uc->ref, uc->av.buf, buf,
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

/* The request that asks the daemon whose datagram is at the head of the queue. */
static void ucall_dgramsrc_msg(struct ucall *uc, struct sp_msg *m)
{
	struct timeval tv = { 0 };
	socklen_t tvlen = sizeof(tv);

	*m = (struct sp_msg){ .op = SP_DGRAMSRC, .handle = uc->us.handle };
	if (uc->nonblock || (uc->flags & MSG_DONTWAIT))
		m->flags = SP_NONBLOCK;
	/* the child's SO_RCVTIMEO (set on its end) bounds the wait (version 2) */
	if (!m->flags && uc->us.s && uc->us.s->version >= 2 &&
	    !getsockopt(uc->cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, &tvlen) &&
	    (tv.tv_sec || tv.tv_usec))
		m->arg = tv.tv_sec >= INT32_MAX / 1000 ? INT32_MAX
			: (int32_t)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
	uc->rq.blocking = !m->flags;
	uc->rq.polls = 0;
}

/* Ask the daemon whose datagram is at the head of the queue. */
static void ucall_dgramsrc(struct worker *w, struct ucall *uc, struct notify_reply *r)
{
	struct sp_msg m;

	ucall_dgramsrc_msg(uc, &m);
	ucall_send(w, uc, &m, ucall_recv_done, uc->uid, r);
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
void ucall_mmsg_sent_done(struct ureq *rq, struct worker *w)
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
 * control messages, ucmsg.c, to a daemon of version 3) */
static int ucall_sendto(struct ucall *uc, struct sp_msg *m, const unsigned char *data,
			size_t len, uint64_t addr, uint64_t alen, int flags,
			const struct sp_anc *anc)
{
	m->flags = (uint32_t)flags;
	m->data = data;
	m->datalen = (uint32_t)len;
	if (anc && anc->present && uc->us.s && uc->us.s->version >= 3) {
		m->op = SP_SENDMSG;
		m->anc = *anc;
	}
	return ucall_addr(uc, m, addr, alen);
}

/* sendto with an address: on a stream socket the pair's, at once */
int ucall_sendto_start(struct worker *w, struct ucall *uc, const struct creds *c,
		       struct sp_msg *m, struct notify_reply *r)
{
	unsigned char *data = ucall_data();
	const struct ucall_argv *a = &uc->av;
	long n;
	int rc;

	(void)c;
	if (uc->us.type == SOCK_STREAM) {
		/* the kernel's TCP ignores the address: send on the pair */
		size_t len = a->len < UCALL_DATA_SIZE ? a->len : UCALL_DATA_SIZE;

		rc = childmem_read((pid_t)w->req->pid, a->buf, data, len);
		if (!rc && !request_id_valid(w))
			rc = -ESRCH;
		n = rc ? rc : send(uc->cfd, data, len, a->flags | MSG_DONTWAIT | MSG_NOSIGNAL);
		ucall_now(uc, r, n < 0 && !rc ? -errno : n);
		return UCALL_ANSWERED;
	}
	if (a->len > SP_DATA_MAX)
		return -EMSGSIZE;
	rc = childmem_read((pid_t)w->req->pid, a->buf, data, a->len);
	if (rc)
		return -EFAULT;
	return ucall_sendto(uc, m, data, a->len, a->addr, a->addrlen, a->flags, NULL);
}

/* recvfrom with an address: on a stream socket what the pair has now */
int ucall_recvfrom_start(struct worker *w, struct ucall *uc, const struct creds *c,
			 struct sp_msg *m, struct notify_reply *r)
{
	long n;

	(void)w;
	(void)c;
	uc->flags = uc->av.flags;
	uc->name = uc->av.name;
	uc->namelen = uc->av.namelen;
	uc->want = uc->av.len;
	if (uc->us.type == SOCK_STREAM) {
		n = ucall_stream_recv(uc, uc->av.buf, uc->av.len, uc->flags);
		if (n == -EAGAIN && !uc->nonblock && !(uc->flags & MSG_DONTWAIT))
			return UCALL_KERNEL;	/* blocking: the pair waits, its address is unset */
		ucall_now(uc, r, n);
		return UCALL_ANSWERED;
	}
	if (uc->flags & MSG_ERRQUEUE)
		return -EAGAIN;	/* no error queue: no ICMP errors kept */
	ucall_dgramsrc_msg(uc, m);
	return 0;
}

/*
 * sendmsg, recvmsg, sendmmsg and recvmmsg: the child's struct msghdr, if
 * the call is the daemon's (a datagram socket's, with an address or
 * control data); a send with neither, on a socket whose connect() gave it
 * no default peer, is EDESTADDRREQ here: the pair would take it and drop it
 */
static int ucall_msghdr(struct worker *w, struct ucall *uc, struct msghdr *mh, bool send)
{
	int rc;

	uc->mmsg = uc->row->args[1] == UA_MMSG;
	uc->msghdr = uc->av.msg;
	if (uc->mmsg && !uc->av.vlen)
		return UCALL_KERNEL;	/* no message: the kernel's answer */
	rc = childmem_read((pid_t)w->req->pid, uc->av.msg, mh, sizeof(*mh));
	if (rc)
		return rc;
	if (uc->us.type == SOCK_STREAM)
		return UCALL_KERNEL;	/* the pair carries it */
	if (!mh->msg_name && !(mh->msg_control && mh->msg_controllen)) {
		if (send && uc->us.type == SOCK_DGRAM && !uc->us.peer)
			return -EDESTADDRREQ;
		return UCALL_KERNEL;	/* no address, no control data: the pair's */
	}
	return 0;
}

/* sendmsg, sendmmsg with an address: the datagram gathered */
int ucall_sendmsg_start(struct worker *w, struct ucall *uc, const struct creds *c,
			struct sp_msg *m, struct notify_reply *r)
{
	unsigned char *data = ucall_data();
	struct sp_anc anc;
	struct msghdr mh;
	long n;
	int rc = ucall_msghdr(w, uc, &mh, true);

	(void)c;
	(void)r;
	if (rc)
		return rc;
	n = ucall_gather((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_iov,
			 mh.msg_iovlen, data, SP_DATA_MAX);
	if (n < 0)
		return (int)n;
	rc = ucmsg_send_read((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_control,
			     mh.msg_controllen, uc->us.domain, &anc);
	if (rc)
		return rc;
	return ucall_sendto(uc, m, data, (size_t)n, (uint64_t)(uintptr_t)mh.msg_name,
			    mh.msg_namelen, uc->av.flags, &anc);
}

/* recvmsg, recvmmsg with an address: the child's iovecs, then DGRAMSRC */
int ucall_recvmsg_start(struct worker *w, struct ucall *uc, const struct creds *c,
			struct sp_msg *m, struct notify_reply *r)
{
	struct msghdr mh;
	int rc = ucall_msghdr(w, uc, &mh, false);

	(void)c;
	(void)r;
	if (rc)
		return rc;
	if (mh.msg_iovlen > UCALL_IOV_MAX)
		return -EMSGSIZE;
	uc->iovcnt = mh.msg_iovlen;
	uc->iov = calloc(uc->iovcnt + 1, sizeof(*uc->iov));
	if (!uc->iov)
		return -ENOMEM;
	if (uc->iovcnt && childmem_read((pid_t)w->req->pid, (uint64_t)(uintptr_t)mh.msg_iov,
					uc->iov, uc->iovcnt * sizeof(*uc->iov)))
		return -EFAULT;
	for (size_t i = 0; i < uc->iovcnt; i++)
		uc->want += uc->iov[i].iov_len;
	uc->flags = uc->av.flags;
	uc->name = (uint64_t)(uintptr_t)mh.msg_name;
	uc->namelen = uc->av.msg + offsetof(struct msghdr, msg_namelen);
	if (uc->flags & MSG_ERRQUEUE)
		return -EAGAIN;	/* no error queue: no ICMP errors kept */
	ucall_dgramsrc_msg(uc, m);
	return 0;
}
