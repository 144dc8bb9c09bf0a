// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stackproto.c - encode, decode, send and receive stack protocol messages
 *
 * The layouts are in stackproto.h and netsup-stack-protocol(7).  Both the
 * client (netsup) and the daemons use this file, and neither trusts the
 * other: sp_decode() checks the record length against the header, every
 * variable length against what is left, every padding field, every flag
 * and every descriptor count, and returns
 *   -EBADMSG  the header itself is bad: the receiver closes the connection
 *   -ENOSYS   an unknown operation (the id is decoded, so it can be answered)
 *   -EINVAL   a bad body (the id is decoded, so it can be answered)
 * sp_encode() applies the same rules, so it never produces what sp_decode()
 * would refuse (the fuzz target checks the round trip).
 *
 * Transport: sendmsg/recvmsg on a SOCK_SEQPACKET UNIX socket (one record
 * is one message), SCM_RIGHTS for the one descriptor a reply may carry,
 * MSG_CMSG_CLOEXEC so that a received descriptor never leaks into a
 * program we start, MSG_NOSIGNAL so that a vanished peer is EPIPE and not
 * SIGPIPE.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/fdpass.h"
#include "stackproto.h"

#define HDR	sizeof(struct sp_hdr)
#define RHDR	sizeof(struct sp_rhdr)

/* Linux: an errno is 1..4095 */
#define SP_ERRNO_MAX	4095

/*
 * sp_op_name() - the name of an operation, for messages
 * @op:		enum sp_op, with or without SP_REPLY
 *
 * Return: a static string, "?" for an unknown operation
 */
const char *sp_op_name(unsigned int op)
{
	static const char *const names[] = {
		[SP_HELLO] = "HELLO", [SP_SOCKET] = "SOCKET", [SP_BIND] = "BIND",
		[SP_LISTEN] = "LISTEN", [SP_CONNECT] = "CONNECT",
		[SP_ACCEPT] = "ACCEPT", [SP_CANCEL] = "CANCEL",
		[SP_GETSOCKNAME] = "GETSOCKNAME", [SP_GETPEERNAME] = "GETPEERNAME",
		[SP_SETSOCKOPT] = "SETSOCKOPT", [SP_GETSOCKOPT] = "GETSOCKOPT",
		[SP_SHUTDOWN] = "SHUTDOWN", [SP_SENDTO] = "SENDTO",
		[SP_DGRAMSRC] = "DGRAMSRC", [SP_CLOSE] = "CLOSE",
		[SP_IFREQ] = "IFREQ", [SP_SENDMSG] = "SENDMSG",
	};

	op &= ~(unsigned int)SP_REPLY;
	if (op == 0 || op > SP_OP_MAX)
		return "?";
	return names[op];
}

/*
 * sp_check_addr() - check an address as the kernel checks it for a socket
 * @domain:	the socket's family, AF_INET, AF_INET6 or AF_NETLINK
 * @addr:	the address bytes
 * @addrlen:	their number
 *
 * Return: 0, -EINVAL (too short or too long; netlink: another family, as
 * netlink_bind() says), -EAFNOSUPPORT (another family)
 */
int sp_check_addr(int domain, const void *addr, uint32_t addrlen)
{
	sa_family_t family;
	uint32_t need = domain == AF_INET6 ? sizeof(struct sockaddr_in6)
		      : domain == AF_NETLINK ? 12	/* struct sockaddr_nl */
		      : sizeof(struct sockaddr_in);

	if (!addr || addrlen > SP_ADDR_MAX || addrlen < need)
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	if (family != domain)
		return domain == AF_NETLINK ? -EINVAL : -EAFNOSUPPORT;
	return 0;
}

/* Which request body each operation has. */
enum sp_layout { L_NONE, L_HELLO, L_SOCKET, L_HANDLE, L_ADDR, L_SOCKOPT };

static enum sp_layout sp_req_layout(unsigned int op)
{
	switch (op) {
	case SP_HELLO:		return L_HELLO;
	case SP_SOCKET:		return L_SOCKET;
	case SP_BIND: case SP_CONNECT: case SP_SENDTO: case SP_SENDMSG:
		return L_ADDR;
	case SP_SETSOCKOPT: case SP_GETSOCKOPT: case SP_IFREQ:
		return L_SOCKOPT;
	case SP_LISTEN: case SP_ACCEPT: case SP_CANCEL: case SP_GETSOCKNAME:
	case SP_GETPEERNAME: case SP_SHUTDOWN: case SP_DGRAMSRC: case SP_CLOSE:
		return L_HANDLE;
	default:
		return L_NONE;
	}
}

/*
 * sp_check_handle_req() - the rules on arg and flags of a handle request
 * @m:		the decoded (or to be encoded) message
 *
 * Return: 0 or -EINVAL
 */
static int sp_check_handle_req(const struct sp_msg *m)
{
	switch (m->op) {
	case SP_LISTEN: case SP_SHUTDOWN:
		return m->flags ? -EINVAL : 0;
	case SP_ACCEPT:
		return (m->arg || (m->flags & ~(uint32_t)SP_NONBLOCK)) ? -EINVAL : 0;
	case SP_DGRAMSRC:	/* arg: a timeout in ms (version 2) */
		return (m->arg < 0 || (m->flags & ~(uint32_t)SP_NONBLOCK)) ? -EINVAL : 0;
	default:
		return (m->arg || m->flags) ? -EINVAL : 0;
	}
}

/*
 * sp_check_anc() - the rules on a struct sp_anc
 * @a:		the attributes
 *
 * The values themselves (a TTL of 0 to send, an interface that does not
 * exist) are the daemon's to refuse, with the kernel's errors.
 *
 * Return: 0 or -EINVAL (unknown bits, padding)
 */
static int sp_check_anc(const struct sp_anc *a)
{
	return (a->present & ~(uint32_t)SP_ANC_ALL) || a->zero ? -EINVAL : 0;
}

/*
 * sp_check_addr_req() - the rules on flags and lengths of an address request
 * @m:		the message
 *
 * Return: 0 or -EINVAL
 */
static int sp_check_addr_req(const struct sp_msg *m)
{
	if (m->addrlen > SP_ADDR_MAX)
		return -EINVAL;
	switch (m->op) {
	case SP_BIND:
		return (m->flags || m->addrlen < sizeof(sa_family_t) || m->datalen)
			? -EINVAL : 0;
	case SP_CONNECT:
		return ((m->flags & ~(uint32_t)SP_NONBLOCK) ||
			m->addrlen < sizeof(sa_family_t) || m->datalen) ? -EINVAL : 0;
	default:	/* SENDTO */
		return ((m->addrlen && m->addrlen < sizeof(sa_family_t)) ||
			m->datalen > SP_DATA_MAX) ? -EINVAL : 0;
	}
}

/*
 * sp_decode_req() - decode a request body
 * @p:		the body, after the header
 * @n:		its length
 * @m:		filled in
 *
 * Return: 0, -ENOSYS, -EINVAL
 */
static int sp_decode_req(const unsigned char *p, size_t n, struct sp_msg *m)
{
	switch (sp_req_layout(m->op)) {
	case L_HELLO: {
		struct sp_hello_req r;

		if (n != sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->version_min = r.version_min;
		m->version_max = r.version_max;
		return r.version_min > r.version_max ? -EINVAL : 0;
	}
	case L_SOCKET: {
		struct sp_socket_req r;

		if (n != sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->domain = r.domain;
		m->type = r.type;
		m->protocol = r.protocol;
		m->sflags = r.flags;
		return (r.flags & ~(uint32_t)SP_SOCK_NETADMIN) ? -EINVAL : 0;
	}
	case L_HANDLE: {
		struct sp_handle_req r;

		if (n != sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->handle = r.handle;
		m->arg = r.arg;
		m->flags = r.flags;
		return sp_check_handle_req(m);
	}
	case L_ADDR: {
		struct sp_addr_req r;

		if (n < sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->handle = r.handle;
		m->flags = r.flags;
		if (r.addrlen > n - sizeof(r))
			return -EINVAL;
		m->addrlen = r.addrlen;
		m->addr = r.addrlen ? p + sizeof(r) : NULL;
		n -= sizeof(r) + r.addrlen;
		p += sizeof(r) + r.addrlen;
		if (m->op == SP_SENDMSG) {
			if (n < sizeof(m->anc))
				return -EINVAL;
			memcpy(&m->anc, p, sizeof(m->anc));
			n -= sizeof(m->anc);
			p += sizeof(m->anc);
			if (sp_check_anc(&m->anc))
				return -EINVAL;
		}
		m->datalen = (uint32_t)n;
		m->data = m->datalen ? p : NULL;
		return sp_check_addr_req(m);
	}
	case L_SOCKOPT: {
		struct sp_sockopt_req r;

		if (n < sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->handle = r.handle;
		m->level = r.level;
		m->name = r.name;
		if (r.zero || r.optlen > SP_OPT_MAX)
			return -EINVAL;
		if (m->op == SP_IFREQ && (r.handle || r.level))
			return -EINVAL;
		if (m->op == SP_GETSOCKOPT) {
			m->optlen = r.optlen;
			return n == sizeof(r) ? 0 : -EINVAL;
		}
		if (n - sizeof(r) != r.optlen)
			return -EINVAL;
		m->datalen = r.optlen;
		m->data = r.optlen ? p + sizeof(r) : NULL;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

/*
 * sp_text_ok() - may this be a HELLO description?
 * @p:		the text
 * @n:		its length
 *
 * Return: 1 if it has no NUL byte and fits SP_TEXT_MAX, else 0
 */
static int sp_text_ok(const void *p, size_t n)
{
	return n <= SP_TEXT_MAX && (n == 0 || !memchr(p, '\0', n));
}

/*
 * sp_decode_rep() - decode a reply body
 * @p:		the body, after struct sp_rhdr
 * @n:		its length
 * @m:		filled in; result and nfds already set
 *
 * Return: 0, -ENOSYS, -EINVAL
 */
static int sp_decode_rep(const unsigned char *p, size_t n, struct sp_msg *m)
{
	unsigned int want_fds = 0;

	if (m->op == 0 || m->op > SP_OP_MAX)
		return -ENOSYS;
	if (m->result < -SP_ERRNO_MAX)
		return -EINVAL;
	if (m->result < 0)
		return (n || m->nfds) ? -EINVAL : 0;
	if (m->result > 0 && ((m->op != SP_SENDTO && m->op != SP_SENDMSG) || m->result > SP_DATA_MAX))
		return -EINVAL;

	switch (m->op) {
	case SP_HELLO: {
		struct sp_hello_rep r;

		if (n < sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->version = r.version;
		m->families = r.families;
		m->pid = r.pid;
		m->mtu = r.mtu;
		m->datalen = (uint32_t)(n - sizeof(r));
		m->data = m->datalen ? p + sizeof(r) : NULL;
		if (!sp_text_ok(m->data, m->datalen) ||
		    (r.families & ~(uint32_t)(SP_FAM_INET | SP_FAM_INET6 | SP_FAM_NETLINK)))
			return -EINVAL;
		break;
	}
	case SP_SOCKET: {
		struct sp_handle_rep r;

		if (n != sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		m->handle = r.handle;
		want_fds = 1;
		if (!r.handle)
			return -EINVAL;
		break;
	}
	case SP_ACCEPT: case SP_GETSOCKNAME: case SP_GETPEERNAME: case SP_DGRAMSRC: {
		struct sp_addr_rep r;
		size_t rest;

		if (n < sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		if (r.addrlen > SP_ADDR_MAX || r.addrlen > n - sizeof(r))
			return -EINVAL;
		rest = n - sizeof(r) - r.addrlen;
		m->handle = r.handle;
		m->datalen_hint = r.datalen;
		m->addrlen = r.addrlen;
		m->addr = r.addrlen ? p + sizeof(r) : NULL;
		want_fds = m->op == SP_ACCEPT;
		if (rest && (m->op != SP_DGRAMSRC || rest != sizeof(m->anc) || r.handle))
			return -EINVAL;
		if (rest) {		/* version 3: never an empty one */
			memcpy(&m->anc, p + sizeof(r) + r.addrlen, sizeof(m->anc));
			if (sp_check_anc(&m->anc) || !m->anc.present)
				return -EINVAL;
		}
		if (m->op == SP_DGRAMSRC) {
			/* version 2's TTL, told as version 3 tells it too (the
			 * handle stays: the message encodes as it came) */
			if (r.handle && (r.handle & ~(uint64_t)0xff) != SP_DGRAM_TTL)
				return -EINVAL;
			if (r.handle) {
				m->anc.present = SP_ANC_TTL;
				m->anc.ttl = (uint8_t)r.handle;
			}
		} else if ((m->op == SP_ACCEPT) != (r.handle != 0)) {
			return -EINVAL;
		}
		if (m->op != SP_DGRAMSRC && r.datalen)
			return -EINVAL;
		if (r.datalen > SP_DATA_MAX)
			return -EINVAL;
		break;
	}
	case SP_GETSOCKOPT: case SP_IFREQ: {
		struct sp_sockopt_rep r;

		if (n < sizeof(r))
			return -EINVAL;
		memcpy(&r, p, sizeof(r));
		if (r.zero || r.optlen > SP_OPT_MAX || r.optlen != n - sizeof(r))
			return -EINVAL;
		m->datalen = r.optlen;
		m->data = r.optlen ? p + sizeof(r) : NULL;
		break;
	}
	default:
		if (n)
			return -EINVAL;
	}
	return m->nfds == want_fds ? 0 : -EINVAL;
}

/*
 * sp_decode() - decode one received message
 * @buf:	the record as received
 * @len:	its length
 * @m:		filled in (zeroed first); pointers point into @buf
 *
 * Return: 0; -EBADMSG when the header is bad (close the connection);
 * -ENOSYS (unknown op) or -EINVAL (bad body), with m->id and m->op set
 */
int sp_decode(const void *buf, size_t len, struct sp_msg *m)
{
	const unsigned char *p = buf;
	struct sp_hdr h;

	memset(m, 0, sizeof(*m));
	if (!buf || len < HDR || len > SP_MSG_MAX)
		return -EBADMSG;
	memcpy(&h, p, sizeof(h));
	if (h.len != len || h.zero)
		return -EBADMSG;
	m->id = h.id;
	m->reply = !!(h.op & SP_REPLY);
	m->op = h.op & (uint16_t)~SP_REPLY;
	if (!m->reply)
		return sp_decode_req(p + HDR, len - HDR, m);

	{
		struct sp_rhdr r;

		if (len < RHDR)
			return -EBADMSG;
		memcpy(&r, p, sizeof(r));
		m->result = r.result;
		m->nfds = r.nfds;
		if (r.nfds > 1)
			return -EINVAL;
		return sp_decode_rep(p + RHDR, len - RHDR, m);
	}
}

/* A writer that appends to a bounded buffer; overflow is remembered. */
struct sp_out {
	unsigned char *buf;
	size_t cap, len;
	int overflow;
};

static void sp_put(struct sp_out *o, const void *p, size_t n)
{
	if (!n)
		return;
	if (!p || o->overflow || n > o->cap - o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/*
 * sp_encode_req() - append a request body
 * @m:		the message
 * @o:		the output
 *
 * Return: 0, -EINVAL (a field the decoder would refuse), -ENOSYS
 */
static int sp_encode_req(const struct sp_msg *m, struct sp_out *o)
{
	switch (sp_req_layout(m->op)) {
	case L_HELLO: {
		struct sp_hello_req r = { m->version_min, m->version_max };

		sp_put(o, &r, sizeof(r));
		return r.version_min > r.version_max ? -EINVAL : 0;
	}
	case L_SOCKET: {
		struct sp_socket_req r = { m->domain, m->type, m->protocol, m->sflags };

		sp_put(o, &r, sizeof(r));
		return (m->sflags & ~(uint32_t)SP_SOCK_NETADMIN) ? -EINVAL : 0;
	}
	case L_HANDLE: {
		struct sp_handle_req r = { m->handle, m->arg, m->flags };

		sp_put(o, &r, sizeof(r));
		return sp_check_handle_req(m);
	}
	case L_ADDR: {
		struct sp_addr_req r = { m->handle, m->flags, m->addrlen };
		int rc = sp_check_addr_req(m);

		if (rc < 0)
			return rc;
		if (m->op == SP_SENDMSG && sp_check_anc(&m->anc))
			return -EINVAL;
		sp_put(o, &r, sizeof(r));
		sp_put(o, m->addr, m->addrlen);
		if (m->op == SP_SENDMSG)
			sp_put(o, &m->anc, sizeof(m->anc));
		if (m->op == SP_SENDTO || m->op == SP_SENDMSG)
			sp_put(o, m->data, m->datalen);
		return 0;
	}
	case L_SOCKOPT: {
		int get = m->op == SP_GETSOCKOPT;
		struct sp_sockopt_req r = { m->handle, m->level, m->name,
					    get ? m->optlen : m->datalen, 0 };

		if (r.optlen > SP_OPT_MAX || (m->op == SP_IFREQ && (m->handle || m->level)))
			return -EINVAL;
		sp_put(o, &r, sizeof(r));
		if (!get)
			sp_put(o, m->data, m->datalen);
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

/*
 * sp_encode_rep() - append a reply body (nothing when result < 0)
 * @m:		the message
 * @o:		the output
 *
 * Return: 0, -EINVAL, -ENOSYS
 */
static int sp_encode_rep(const struct sp_msg *m, struct sp_out *o)
{
	if (m->result < 0)
		return 0;
	switch (m->op) {
	case SP_HELLO: {
		struct sp_hello_rep r = { m->version, m->families, m->pid, m->mtu };

		if (!sp_text_ok(m->data, m->datalen))
			return -EINVAL;
		sp_put(o, &r, sizeof(r));
		sp_put(o, m->data, m->datalen);
		return 0;
	}
	case SP_SOCKET: {
		struct sp_handle_rep r = { m->handle };

		sp_put(o, &r, sizeof(r));
		return 0;
	}
	case SP_ACCEPT: case SP_GETSOCKNAME: case SP_GETPEERNAME: case SP_DGRAMSRC: {
		struct sp_addr_rep r = { m->handle, m->datalen_hint, m->addrlen };
		/* DGRAMSRC: version 2's TTL in the handle, or version 3's
		 * struct after the address */
		int v2ttl = m->op == SP_DGRAMSRC && m->handle;

		if (m->addrlen > SP_ADDR_MAX)
			return -EINVAL;

		if (m->anc.present && (m->op != SP_DGRAMSRC || sp_check_anc(&m->anc)))
			return -EINVAL;
		sp_put(o, &r, sizeof(r));
		sp_put(o, m->addr, m->addrlen);
		if (m->anc.present && !v2ttl)
			sp_put(o, &m->anc, sizeof(m->anc));
		return 0;
	}
	case SP_GETSOCKOPT: case SP_IFREQ: {
		struct sp_sockopt_rep r = { m->datalen, 0 };

		if (m->datalen > SP_OPT_MAX)
			return -EINVAL;
		sp_put(o, &r, sizeof(r));
		sp_put(o, m->data, m->datalen);
		return 0;
	}
	default:
		return (m->op == 0 || m->op > SP_OP_MAX) ? -ENOSYS : 0;
	}
}

/*
 * sp_encode() - lay out a message
 * @m:		what to send: op, reply, id and the op's fields
 * @buf:	where
 * @cap:	its size
 *
 * A reply's nfds is derived from the op and result (1 for a successful
 * SOCKET or ACCEPT); the caller attaches that descriptor with sp_send().
 *
 * Return: the length, -EMSGSIZE (does not fit @cap or SP_MSG_MAX),
 * -EINVAL or -ENOSYS (a message the decoder would refuse)
 */
ssize_t sp_encode(const struct sp_msg *m, void *buf, size_t cap)
{
	struct sp_out o = { buf, cap, 0, 0 };
	struct sp_hdr h = { 0, m->op, 0, m->id };
	int rc;

	if (m->reply) {
		struct sp_rhdr r;

		if (m->result < -SP_ERRNO_MAX)
			return -EINVAL;
		h.op |= SP_REPLY;
		r.h = h;
		r.result = m->result;
		r.nfds = m->result >= 0 && (m->op == SP_SOCKET || m->op == SP_ACCEPT);
		sp_put(&o, &r, sizeof(r));
		rc = sp_encode_rep(m, &o);
	} else {
		sp_put(&o, &h, sizeof(h));
		rc = sp_encode_req(m, &o);
	}
	if (rc < 0)
		return rc;
	if (o.overflow || o.len > SP_MSG_MAX)
		return -EMSGSIZE;
	h.len = (uint32_t)o.len;
	memcpy(o.buf, &h.len, sizeof(h.len));
	return (ssize_t)o.len;
}

/*
 * sp_send() - send one message, with a descriptor if @passfd >= 0
 * @fd:		the connection
 * @buf:	the encoded message
 * @len:	its length
 * @passfd:	a descriptor to pass by SCM_RIGHTS, or -1
 *
 * A non-blocking connection gives -EAGAIN when its peer does not read.
 *
 * Return: @len, or -errno of sendmsg()
 */
ssize_t sp_send(int fd, const void *buf, size_t len, int passfd)
{
	ssize_t n = fdpass_send(fd, buf, len, passfd);

	if (n < 0)
		return n;
	return n == (ssize_t)len ? n : -EMSGSIZE;
}

/*
 * sp_recv() - receive one message and at most one descriptor
 * @fd:		the connection
 * @buf:	where (SP_MSG_MAX bytes are always enough)
 * @cap:	its size
 * @fd_out:	the descriptor received, or -1; NULL: descriptors are refused
 *
 * Return: the length (0: the peer closed), -EMSGSIZE (truncated record),
 * -EBADMSG (descriptors that were not wanted or too many: all closed), or
 * -errno of recvmsg()
 */
ssize_t sp_recv(int fd, void *buf, size_t cap, int *fd_out)
{
	ssize_t n;
	int got;

	if (fd_out)
		*fd_out = -1;
	n = fdpass_recv(fd, buf, cap, &got, 0);
	if (n >= 0 && got >= 0 && !fd_out) {
		close(got);
		return -EBADMSG;	/* a descriptor where none belongs */
	}
	if (n >= 0 && fd_out)
		*fd_out = got;
	return n;
}
