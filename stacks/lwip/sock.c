// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock.c - sockets of the stack: the socketpair, names, options, errors
 *
 * Each socket is an lwIP pcb (tcp.c, udp.c) and a socketpair(2) of
 * AF_UNIX: SOCK_STREAM for TCP, SOCK_SEQPACKET for UDP.  SEQPACKET keeps
 * datagram boundaries like SOCK_DGRAM and, unlike it, shows POLLHUP on the
 * daemon's end when the child's end is closed (a datagram socketpair
 * tells nothing), and ioctl(SIOCOUTQ) on its sending end accounts every
 * message as on a datagram socketpair (same code path in af_unix.c).
 *
 * The child's end of an unconnected stream socket is made unwritable
 * before it is handed over: the daemon writes a filler from the child's
 * end into its own until poll(2) reports no POLLOUT (af_unix: writable
 * while the queued bytes are at most a quarter of the sender's buffer),
 * and discards exactly that much once the connection exists or fails.
 *
 * The daemon's end is non-blocking (O_NONBLOCK on its own file; the
 * child's end is another file) and sits in the loop's epoll set; the
 * events it waits for follow the data path (sock_update()).
 *
 * Descriptors a program sends over its socket (SCM_RIGHTS) arrive on the
 * daemon's end; af_unix drops them when the bytes they came with are
 * read without room for control data.  Were they never read, a socket
 * sent into itself would hold its own child end open after close(2): no
 * POLLHUP, and the daemon's end would be kept forever.  The data path reads
 * every connected socket; the ends that carry no data are read too and
 * what they hold thrown away (sock_drain()): a listener's always, a
 * socket that never connected once the program has written more than the
 * filler (the kernel refuses such writes with EPIPE; here they are lost).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sockios.h>

#include "lwip/err.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "lw.h"

#define SOCK_ZOMBIES_MAX	256	/* per connection, see sock_release() */
#define SOCK_FILL_CHUNK		8192
#define SOCK_SCM_MAX		253	/* SCM_MAX_FD: descriptors in one message */

/*
 * lw_errno() - the errno the kernel gives where lwIP gives @lwip_err
 * @lwip_err:	an err_t
 *
 * Return: a positive errno (0 for ERR_OK)
 */
int lw_errno(int lwip_err)
{
	switch (lwip_err) {
	case ERR_OK:		return 0;
	case ERR_MEM:		return ENOMEM;
	case ERR_BUF:		return ENOBUFS;
	case ERR_TIMEOUT:	return ETIMEDOUT;
	case ERR_RTE:		return ENETUNREACH;
	case ERR_INPROGRESS:	return EINPROGRESS;
	case ERR_VAL:		return EINVAL;
	case ERR_WOULDBLOCK:	return EAGAIN;
	case ERR_USE:		return EADDRINUSE;
	case ERR_ALREADY:	return EALREADY;
	case ERR_ISCONN:	return EISCONN;
	case ERR_CONN:		return ENOTCONN;
	case ERR_IF:		return ENETDOWN;
	case ERR_ABRT:		return ETIMEDOUT;	/* lwIP aborts on its own only on timeouts */
	case ERR_RST:		return ECONNRESET;
	case ERR_CLSD:		return ENOTCONN;
	default:		return EIO;
	}
}

/*
 * sock_fill() - make the child's end of a stream socketpair unwritable
 * @s:		the socket; s->child_fd and s->fd are the two ends
 *
 * Return: 0 or -errno
 */
static int sock_fill(struct lw_sock *s)
{
	static const char zeros[SOCK_FILL_CHUNK];
	struct pollfd p = { .fd = s->child_fd, .events = POLLOUT };
	ssize_t n;
	int i;

	for (i = 0; i < 256; i++) {
		if (poll(&p, 1, 0) < 0)
			return -errno;
		if (!(p.revents & POLLOUT))
			return 0;
		n = send(s->child_fd, zeros, sizeof(zeros), MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		s->filler += (size_t)n;
	}
	return -ENOBUFS;
}

/*
 * sock_drop_filler() - discard the filler: the child's end becomes writable
 * @s:		the stream socket
 */
void sock_drop_filler(struct lw_sock *s)
{
	unsigned char *buf = s->conn->d->iobuf;
	ssize_t n;

	while (s->filler && s->fd >= 0) {
		n = read(s->fd, buf, s->filler < SP_MSG_MAX ? s->filler : SP_MSG_MAX);
		if (n <= 0)
			break;
		s->filler -= (size_t)n;
	}
	s->filler = 0;
}

/*
 * sock_new() - a socket: socketpair, pcb, epoll registration
 * @c:		the client connection it belongs to
 * @domain:	AF_INET, AF_INET6 or AF_NETLINK
 * @type:	SOCK_STREAM or SOCK_DGRAM (netlink: its datagrams)
 * @protocol:	IPPROTO_ICMP or IPPROTO_ICMPV6 for a ping socket,
 *		IPPROTO_UDPLITE, else 0
 * @connected:	an accepted TCP connection: no pcb yet, no filler
 * @out:	the socket; s->child_fd is the child's end until handed over
 *
 * A netlink socket gets its netlink side from the caller
 * (netlink_sock_open()), before it is handed over.
 *
 * Return: 0 or -errno
 */
int sock_new(struct lw_conn *c, int domain, int type, int protocol, bool connected,
	     struct lw_sock **out)
{
	int sv[2], rc, ptype = type == SOCK_STREAM ? SOCK_STREAM : SOCK_SEQPACKET;
	struct lw_sock *s;

	rc = serve_sock_charge(c);
	if (rc < 0)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s) {
		serve_sock_uncharge(c);
		return -ENOMEM;
	}
	s->counted = true;
	s->src.type = SRC_SOCK;
	s->conn = c;
	s->domain = domain;
	s->type = type;
	s->so_type = type;
	s->protocol = protocol;
	s->fd = s->child_fd = -1;
	s->acceptq_tail = &s->acceptq;
	sockopt_init(s);
	if (socketpair(AF_UNIX, ptype | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = -errno;
		serve_sock_uncharge(c);
		free(s);
		return rc;
	}
	s->fd = sv[0];
	s->child_fd = sv[1];
	if (fcntl(s->fd, F_SETFL, O_NONBLOCK) < 0) {
		rc = -errno;
		goto fail;
	}
	if (type == SOCK_STREAM && !connected && (rc = sock_fill(s)) < 0)
		goto fail;
	if (connected || domain == AF_NETLINK)
		rc = 0;
	else if (type == SOCK_STREAM)
		rc = tcp_sock_open(s);
	else
		rc = udp_sock_open(s);
	if (rc < 0)
		goto fail;
	rc = loop_add(c->d, s->fd, 0, &s->src);
	if (rc < 0) {
		if (type == SOCK_STREAM)
			tcp_sock_close(s, true);
		else
			udp_sock_close(s);
		goto fail;
	}
	s->in_epoll = true;
	s->handle = ++c->next_handle;
	s->next = c->socks;
	c->socks = s;
	sock_update(s);
	*out = s;
	return 0;
fail:
	close(sv[0]);
	close(sv[1]);
	serve_sock_uncharge(c);
	free(s);
	return rc;
}

/*
 * sock_find() - the live socket of @c with @handle
 * @c:		the connection
 * @handle:	as given by SOCKET or ACCEPT
 *
 * Return: the socket, or NULL
 */
struct lw_sock *sock_find(struct lw_conn *c, uint64_t handle)
{
	struct lw_sock *s;

	for (s = c->socks; s; s = s->next)
		if (s->handle == handle)
			return s;
	return NULL;
}

/*
 * sock_update() - wait for the events the data path needs now
 * @s:		the socket
 *
 * EPOLLIN on the daemon's end when lwIP can take data (TCP) or always
 * (UDP), EPOLLOUT while data from lwIP waits.  POLLHUP is always
 * reported; once it has been seen, a socket that waits for nothing is
 * taken out of the set so that it does not spin.
 */
void sock_update(struct lw_sock *s)
{
	uint32_t ev = 0;

	if (s->fd < 0)
		return;
	if (s->domain == AF_NETLINK) {
		ev = netlink_sock_events(s);
	} else if (s->type == SOCK_DGRAM || s->state == ST_LISTEN) {
		ev = EPOLLIN;
	} else if (s->state == ST_NEW) {
		/* the filler keeps it readable: each new write is an edge */
		ev = s->filler ? EPOLLIN | EPOLLET : EPOLLIN;
	} else if (s->state == ST_CONNECTED) {
		if (!s->fd_eof && !s->stash_len && s->pcb.tcp &&
		    tcp_sndbuf(s->pcb.tcp) > 0)
			ev |= EPOLLIN;
		if (s->rxn)
			ev |= EPOLLOUT;
	}
	if (s->hup && !ev) {
		if (s->in_epoll)
			loop_del(s->conn->d, s->fd);
		s->in_epoll = false;
		s->events = 0;
		return;
	}
	if (!s->in_epoll) {
		if (loop_add(s->conn->d, s->fd, ev, &s->src) == 0)
			s->in_epoll = true;
	} else if (ev != s->events) {
		loop_mod(s->conn->d, s->fd, ev, &s->src);
	}
	s->events = ev;
}

/*
 * sock_drain() - read and discard what the child wrote to an end that
 * carries no data, closing the descriptors that came with it
 * @s:		a listener, or a stream socket that is not connected
 *
 * A socket that never connected keeps its filler as long as nothing
 * else is queued behind it (SIOCINQ: the bytes queued on a stream end):
 * it is what makes the child's end unwritable until a connect is done.
 */
static void sock_drain(struct lw_sock *s)
{
	union {
		char buf[CMSG_SPACE(SOCK_SCM_MAX * sizeof(int))];
		struct cmsghdr align;
	} cb;
	unsigned char *buf = s->conn->d->iobuf;
	struct cmsghdr *cm;
	struct msghdr mh;
	struct iovec iov;
	int i, q, n, fds[SOCK_SCM_MAX];
	ssize_t got;

	if (s->filler && (ioctl(s->fd, SIOCINQ, &q) < 0 || (size_t)q <= s->filler))
		return;
	for (i = 0; i < 64; i++) {
		iov.iov_base = buf;
		iov.iov_len = SP_MSG_MAX;
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cb.buf;
		mh.msg_controllen = sizeof(cb.buf);
		got = recvmsg(s->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (got <= 0)
			break;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
				continue;
			n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			if (n > SOCK_SCM_MAX)
				n = SOCK_SCM_MAX;
			memcpy(fds, CMSG_DATA(cm), (size_t)n * sizeof(int));
			while (n--)
				close(fds[n]);
		}
	}
	if (s->filler)
		lw_debug("socket %llu: written to before any connect: dropped",
			 (unsigned long long)s->handle);
	s->filler = 0;
}

/*
 * sock_child_reset() - did the child close its end with bytes unread?
 * @s:		a stream socket whose daemon's end reports EPOLLERR
 *
 * af_unix sets ECONNRESET on the daemon's end when the child's end is
 * closed with data still in its receive queue (unix_release_sock()): the
 * program closed a connection without reading all it got, and the kernel
 * answers that with a reset rather than a FIN (tcp_close()).  SO_ERROR
 * reads it and clears it, so that later reads see the end.
 */
static void sock_child_reset(struct lw_sock *s)
{
	socklen_t len = sizeof(int);
	int e = 0;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e == ECONNRESET)
		s->child_reset = true;
}

/*
 * sock_child_gone() - has the child closed its end, not only shut it?
 * @s:		a stream socket whose daemon's end read EOF
 *
 * EOF is a close(2) of the child's end or its shutdown(SHUT_WR); only a
 * close shows POLLHUP on the daemon's end (af_unix: both directions
 * shut), and POLLERR when bytes were left unread.  The epoll event that
 * brought the EOF may be older than the close: poll(2) looks now.
 *
 * Return: true if the child's end is gone (s->hup, s->child_reset set)
 */
bool sock_child_gone(struct lw_sock *s)
{
	struct pollfd p = { .fd = s->fd, .events = 0 };

	if (s->hup || s->fd < 0)
		return s->hup;
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR))) {
		s->hup = true;
		if (p.revents & POLLERR)
			sock_child_reset(s);
	}
	return s->hup;
}

/*
 * sock_event() - the daemon's end of @s is ready
 * @s:		the socket
 * @events:	from epoll
 */
void sock_event(struct lw_sock *s, uint32_t events)
{
	if (s->fd < 0)
		return;
	if (events & (EPOLLHUP | EPOLLERR))
		s->hup = true;
	if ((events & EPOLLERR) && s->type == SOCK_STREAM)
		sock_child_reset(s);
	if (s->domain == AF_NETLINK) {
		if (events & EPOLLOUT)
			netlink_sock_writable(s);
		if (events & EPOLLIN)
			netlink_sock_readable(s);
		if (s->hup) {
			sock_release(s);
			return;
		}
		sock_update(s);
		return;
	}
	if (s->type == SOCK_DGRAM) {
		if (events & EPOLLIN)
			udp_sock_readable(s);
		if (s->hup) {
			sock_release(s);
			return;
		}
		return;
	}
	if (events & EPOLLOUT)
		tcp_sock_writable(s);
	if ((events & EPOLLIN) && s->state == ST_CONNECTED)
		tcp_sock_readable(s);
	if ((events & EPOLLIN) && (s->state == ST_LISTEN || s->state == ST_NEW))
		sock_drain(s);
	if (s->hup && (s->state != ST_CONNECTED || s->fd_eof || s->child_reset)) {
		sock_release(s);
		return;
	}
	sock_update(s);
}

/**
 * sock_reap_closed() - release the sockets whose program closed them
 * @d:		the daemon
 * @listeners:	only listeners (before a connect), or every socket (before
 *		a bind is refused: the port may be held by a closed one)
 *
 * close(2) of a kernel socket is immediate: a connect() right after it is
 * refused, a bind() of the same port succeeds.  Here the daemon learns of
 * the close from POLLHUP on its end, in its own time; before it starts a
 * TCP connection, or refuses a bind, it looks at the ends (poll(2) with no
 * wait), so that neither sees a socket its program has closed.
 */
void sock_reap_closed(struct lw_daemon *d, bool listeners)
{
	struct lw_conn *c;
	struct lw_sock *s;
	bool again = true;

	/* a release may unlink more than one socket: scan again after one */
	while (again) {
		again = false;
		for (c = d->conns; c && !again; c = c->next)
			for (s = c->socks; s && !again; s = s->next) {
				struct pollfd p = { .fd = s->fd, .events = 0 };

				if ((listeners && s->state != ST_LISTEN) || s->fd < 0 || s->hup)
					continue;
				if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR))) {
					sock_event(s, EPOLLHUP);
					again = true;
				}
			}
	}
}

/*
 * sock_unlink() - take a socket out of its connection's list and hand it
 * to the loop, which frees it after the current batch of events
 * @s:		the socket; its pcb and descriptors are gone
 *
 * An epoll event fetched before the socket left the set may still name
 * it: src.gone tells the loop to skip it.
 */
static void sock_unlink(struct lw_sock *s)
{
	struct lw_daemon *d = s->conn->d;
	struct lw_sock **pp;

	for (pp = &s->conn->socks; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	if (s->zombie)
		s->conn->zombies--;
	if (s->counted)
		serve_sock_uncharge(s->conn);
	s->counted = false;
	s->src.gone = true;
	s->next = d->dead_socks;
	d->dead_socks = s;
}

/*
 * sock_close_fds() - close both ends that the daemon holds
 * @s:		the socket
 */
static void sock_close_fds(struct lw_sock *s)
{
	if (s->fd >= 0) {
		if (s->in_epoll)
			loop_del(s->conn->d, s->fd);
		close(s->fd);
	}
	if (s->child_fd >= 0)
		close(s->child_fd);
	s->fd = s->child_fd = -1;
	s->in_epoll = false;
}

/*
 * sock_release() - the end of a socket: CLOSE, the child's end closed, or
 * its connection closed
 * @s:		the socket; freed (by the loop, after this batch)
 *
 * Waiting requests on it are answered EBADF; a listener resets the
 * connections nobody accepted; a TCP connection is closed as close(2)
 * closes it (queued data, then FIN; a reset if data from the peer was
 * never read).
 */
void sock_release(struct lw_sock *s)
{
	struct lw_pending *p;

	while ((p = serve_pending_take(s, 0))) {
		serve_reply_err(s->conn, p->op, p->id, -EBADF);
		free(p);
	}
	/* SO_LINGER {1, 0}: close(2) resets, as the kernel's tcp_close() */
	if (s->type == SOCK_STREAM)
		tcp_sock_close(s, s->linger_on && !s->linger_secs);
	else
		udp_sock_close(s);
	netlink_sock_close(s);
	sock_close_fds(s);
	sock_unlink(s);
}

/*
 * sock_zombie_trim() - free the oldest zombies beyond SOCK_ZOMBIES_MAX
 * @c:		the connection
 */
static void sock_zombie_trim(struct lw_conn *c)
{
	struct lw_sock *s, *last;

	while (c->zombies > SOCK_ZOMBIES_MAX) {
		last = NULL;
		for (s = c->socks; s; s = s->next)
			if (s->zombie)
				last = s;	/* the list is newest first */
		if (!last)
			return;
		sock_unlink(last);
	}
}

/*
 * sock_zombify() - a TCP connection was reset or timed out: close the
 * daemon's end, keep the socket for the calls still to come
 * @s:		the socket; its pcb is gone already
 *
 * Closing the daemon's end shows the child EOF, or ECONNRESET if the
 * daemon had not read all that the child wrote (af_unix sets it then);
 * later writes fail with EPIPE.  The zombie keeps its names and SO_ERROR
 * until CLOSE, the end of the client connection, or until more than
 * SOCK_ZOMBIES_MAX zombies exist (the client may never send CLOSE: it
 * does not see the child's close(2)).  A socket still in a listener's
 * accept queue keeps its child end, to be handed over by ACCEPT.
 */
void sock_zombify(struct lw_sock *s)
{
	struct lw_pending *p;

	while ((p = serve_pending_take(s, 0))) {
		serve_reply_err(s->conn, p->op, p->id, -s->so_error);
		free(p);
	}
	tcp_sock_rx_drop(s);
	if (s->fd >= 0) {
		if (s->in_epoll)
			loop_del(s->conn->d, s->fd);
		close(s->fd);
		s->fd = -1;
		s->in_epoll = false;
	}
	if (s->listener || s->zombie)
		return;
	if (s->counted)		/* no descriptor left: SOCK_ZOMBIES_MAX bounds it */
		serve_sock_uncharge(s->conn);
	s->counted = false;
	s->zombie = true;
	s->conn->zombies++;
	sock_zombie_trim(s->conn);
}

/*
 * sock_to_ip() - a sockaddr from the client into an lwIP address and port
 * @s:		the socket (its family and IPV6_V6ONLY decide)
 * @addr:	the address bytes
 * @len:	their number
 * @ip:		lwIP's address: IPv4 for AF_INET and v4-mapped IPv6, IPv6,
 *		or the dual-stack wildcard for :: on a socket that is not v6only
 * @port:	host order
 *
 * Return: 0, -EINVAL, -EAFNOSUPPORT, -ENETUNREACH (a v4-mapped address on
 * an IPV6_V6ONLY socket)
 */
int sock_to_ip(const struct lw_sock *s, const void *addr, uint32_t len,
	       ip_addr_t *ip, uint16_t *port)
{
	int rc = sp_check_addr(s->domain, addr, len);

	if (rc < 0)
		return rc;
	if (s->domain == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, addr, sizeof(sin));
		ip_addr_set_ip4_u32_val(*ip, sin.sin_addr.s_addr);
		*port = ntohs(sin.sin_port);
		return 0;
	}
	{
		struct sockaddr_in6 sin6;
		ip6_addr_t a;

		memcpy(&sin6, addr, sizeof(sin6));
		*port = ntohs(sin6.sin6_port);
		IP6_ADDR(&a, 0, 0, 0, 0);
		memcpy(a.addr, &sin6.sin6_addr, 16);
		if (ip6_addr_isipv4mappedipv6(&a)) {
			if (s->v6only)
				return -ENETUNREACH;
			ip_addr_set_ip4_u32_val(*ip, a.addr[3]);
			return 0;
		}
		if (ip6_addr_isany(&a) && !s->v6only) {
			ip_addr_copy(*ip, *IP_ANY_TYPE);
			return 0;
		}
		ip_addr_copy_from_ip6(*ip, a);
		ip6_addr_clear_zone(ip_2_ip6(ip));
		if (ip6_addr_has_scope(ip_2_ip6(ip), IP6_UNKNOWN))
			ip6_addr_assign_zone(ip_2_ip6(ip), IP6_UNKNOWN, &s->conn->d->netif);
		return 0;
	}
}

/*
 * sock_dest_any() - the wildcard as a destination: the host itself
 * @s:		the socket that connects or sends
 * @ip:		the destination; the wildcard is replaced
 *
 * As in the kernel: 0.0.0.0 is the socket's own IPv4 address if it is
 * bound to one, else 127.0.0.1 (ip_route_output_key_hash_rcu()), and ::
 * is ::1, or 127.0.0.1 for a socket bound to a v4-mapped address
 * (tcp_v6_connect(), ip6_datagram_connect(), udpv6_sendmsg()).  lwIP
 * would send it to the link, or refuse it.
 */
void sock_dest_any(const struct lw_sock *s, ip_addr_t *ip)
{
	bool own4 = s->bound && IP_IS_V4_VAL(s->local_ip) && !ip_addr_isany(&s->local_ip);

	if (!ip_addr_isany(ip))
		return;
	if (IP_IS_V4_VAL(*ip) && own4) {
		ip_addr_copy(*ip, s->local_ip);
	} else if (IP_IS_V4_VAL(*ip) || own4) {
		ip_addr_set_ip4_u32_val(*ip, PP_HTONL(IPADDR_LOOPBACK));
	} else {
		ip_addr_copy(*ip, *IP6_ADDR_ANY);
		ip6_addr_set_loopback(ip_2_ip6(ip));
	}
}

/*
 * sock_from_ip() - an lwIP address and port into the socket's sockaddr
 * @s:		the socket: AF_INET gives sockaddr_in, AF_INET6 sockaddr_in6
 *		(IPv4 peers as v4-mapped addresses)
 * @ip:		lwIP's address, NULL for the wildcard
 * @port:	host order
 * @ss:		filled in
 *
 * Return: the length of the sockaddr
 */
uint32_t sock_from_ip(const struct lw_sock *s, const ip_addr_t *ip,
		      uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (s->domain == AF_NETLINK) {
		/* the source of every datagram it gets: the kernel */
		ss->ss_family = AF_NETLINK;
		return sizeof(struct sockaddr_nl);
	}
	if (s->domain == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (ip && IP_IS_V4(ip))
			sin->sin_addr.s_addr = ip4_addr_get_u32(ip_2_ip4(ip));
		return sizeof(*sin);
	}
	{
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (ip && IP_IS_V4_VAL(*ip) && !ip4_addr_isany(ip_2_ip4(ip))) {
			uint32_t v4 = ip4_addr_get_u32(ip_2_ip4(ip));

			sin6->sin6_addr.s6_addr[10] = 0xff;
			sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6->sin6_addr.s6_addr[12], &v4, 4);
		} else if (ip && IP_IS_V6_VAL(*ip)) {
			memcpy(&sin6->sin6_addr, ip_2_ip6(ip)->addr, 16);
			if (ip6_addr_islinklocal(ip_2_ip6(ip)))
				sin6->sin6_scope_id = netif_get_index(&s->conn->d->netif);
		}
		return sizeof(*sin6);
	}
}

/*
 * sock_route_check() - can an IPv4 destination be reached at all?
 * @s:		the socket
 * @ip:		the destination
 *
 * lwIP sends everything through its default interface and only fails
 * later (no ARP answer, an IPv6 packet with no router to go to dropped by
 * nd6 while tcp_connect() reports success: ETIMEDOUT minutes later); the
 * kernel says ENETUNREACH at once when the destination is off-link and
 * there is no gateway (IPv6: no default router; on-link is the /64 of one
 * of our addresses, link-local, multicast).
 *
 * Return: 0 or -ENETUNREACH
 */
int sock_route_check(const struct lw_sock *s, const ip_addr_t *ip)
{
	const struct netif *n = &s->conn->d->netif;
	const ip4_addr_t *a;
	int i;

	if (loif_is_loopback(ip))
		return 0;		/* the loopback interface is always up */
	if (IP_IS_V6(ip)) {
		const ip6_addr_t *a6 = ip_2_ip6(ip);

		if (ip6_addr_islinklocal(a6) || ip6_addr_ismulticast(a6))
			return 0;
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) &&
			    ip6_addr_netcmp_zoneless(a6, netif_ip6_addr(n, i)))
				return 0;
		return link_router6(s->conn->d) ? 0 : -ENETUNREACH;
	}
	a = ip_2_ip4(ip);
	if (ip4_addr_isany_val(*netif_ip4_addr(n)))
		return -ENETUNREACH;
	if (ip4_addr_netcmp(a, netif_ip4_addr(n), netif_ip4_netmask(n)) ||
	    ip4_addr_ismulticast(a) || ip4_addr_get_u32(a) == IPADDR_BROADCAST)
		return 0;
	return ip4_addr_isany_val(*netif_ip4_gw(n)) ? -ENETUNREACH : 0;
}

/*
 * sock_check_local() - may a socket bind to @ip?
 * @s:		the socket
 * @ip:		the wildcard, an address of the interface, or a loopback
 *		address (all of 127.0.0.0/8, as in the kernel)
 *
 * Return: 0 or -EADDRNOTAVAIL
 */
int sock_check_local(const struct lw_sock *s, const ip_addr_t *ip)
{
	const struct netif *n = &s->conn->d->netif;
	int i;

	if (ip_addr_isany(ip) || loif_is_loopback(ip))
		return 0;
	if (IP_IS_V4(ip))
		return ip4_addr_cmp(ip_2_ip4(ip), netif_ip4_addr(n)) ? 0 : -EADDRNOTAVAIL;
	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) &&
		    ip6_addr_cmp_zoneless(ip_2_ip6(ip), netif_ip6_addr(n, i)))
			return 0;
	return -EADDRNOTAVAIL;
}
