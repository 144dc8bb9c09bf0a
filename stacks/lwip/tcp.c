// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp.c - TCP sockets: lwIP raw API pcbs joined to stream socketpairs
 *
 * Why the raw API: Debian builds lwIP with NO_SYS=0 and
 * LWIP_TCPIP_CORE_LOCKING=1, so lwIP's own thread (tcpip_init) runs the
 * timers and the raw API may be called from any thread that holds the
 * core lock.  The daemon's one event loop takes that lock for each batch
 * of events and calls tcp_write()/tcp_recved() directly; lwIP's thread
 * calls our callbacks with the lock held.  The netconn and socket APIs
 * would add a thread hand-off and a copy per call, and a blocking call per
 * socket, to what one loop over non-blocking descriptors does directly.
 *
 * Data path, both ways with flow control:
 *  - peer -> child: tcp_recv delivers pbufs; they are written with
 *    writev(2) to the daemon's end of the socketpair as far as it takes
 *    them; tcp_recved() opens lwIP's window only by what was written, so at
 *    most one window (TCP_WND, 64 KiB in Debian's build) waits per socket
 *    and a slow reader slows the peer, as in the kernel;
 *  - child -> peer: the daemon reads from its end only while
 *    tcp_sndbuf() has room, at most that much, and hands it to tcp_write()
 *    (copied: the buffer is reused); lwIP's tcp_sent callback reopens
 *    reading.  What tcp_write() refuses for lack of segments (ERR_MEM) is
 *    stashed and sent first.
 *  - FIN from the peer: shutdown(SHUT_WR) on the daemon's end after the
 *    last byte; EOF from the child: tcp_shutdown() after its last byte.
 *  - a reset or a timeout: sock_zombify() (sock.c).
 *  - ACKs: lwIP delays an ACK until a second segment or its 250 ms timer;
 *    the kernel acknowledges at once in quick-ACK mode and when the
 *    program reads, and delays 40 ms at most otherwise.  The daemon asks
 *    lwIP for the ACK as soon as the data has reached the program's end,
 *    so that a request/response exchange never waits for the timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"	/* tcp_ack_now() */

#include "lw.h"

#define TCP_IOV_MAX	64

static err_t tcp_cb_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err);
static err_t tcp_cb_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static void tcp_cb_err(void *arg, err_t err);

/*
 * tcp_sock_attach() - make @pcb the socket's, with our callbacks
 * @s:		the socket
 * @pcb:	a pcb that is not listening
 */
static void tcp_sock_attach(struct lw_sock *s, struct tcp_pcb *pcb)
{
	s->pcb.tcp = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, tcp_cb_recv);
	tcp_sent(pcb, tcp_cb_sent);
	tcp_err(pcb, tcp_cb_err);
}

/*
 * tcp_sock_names() - copy the pcb's addresses into the socket
 * @s:		the socket (the names outlive the pcb, for getpeername after
 *		a reset)
 */
void tcp_sock_names(struct lw_sock *s)
{
	struct tcp_pcb *pcb = s->pcb.tcp;

	if (!pcb)
		return;
	ip_addr_copy(s->local_ip, pcb->local_ip);
	s->local_port = pcb->local_port;
	if (s->state == ST_CONNECTED || s->state == ST_CONNECTING) {
		ip_addr_copy(s->remote_ip, pcb->remote_ip);
		s->remote_port = pcb->remote_port;
		s->has_peer = s->state == ST_CONNECTED;
	}
}

/*
 * tcp_sock_open() - a new pcb for a stream socket
 * @s:		the socket: AF_INET gets an IPv4 pcb, AF_INET6 a dual-stack
 *		one (IPV6_V6ONLY narrows it)
 *
 * Return: 0 or -ENOMEM
 */
int tcp_sock_open(struct lw_sock *s)
{
	u8_t t = s->domain == AF_INET ? IPADDR_TYPE_V4
		 : s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;
	struct tcp_pcb *pcb = tcp_new_ip_type(t);

	if (!pcb)
		return -ENOMEM;
	tcp_sock_attach(s, pcb);
	sockopt_apply(s);
	return 0;
}

/*
 * tcp_listener_holds() - does a listener of this daemon hold @ip:@port?
 * @s:		the socket that binds
 * @ip:		the address it asks for
 * @port:	its port, not 0
 *
 * lwIP lets a socket with SO_REUSEADDR bind to the address of a listener
 * that has it too (and refuses only its listen()); the kernel refuses the
 * bind with EADDRINUSE: SO_REUSEADDR never shares a port with a listener.
 * An IPv4 and an IPv6-only address do not overlap; the wildcard of a
 * dual-stack socket overlaps both.
 *
 * Return: true if the bind must fail
 */
static bool tcp_listener_holds(const struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	const struct lw_conn *c;
	const struct lw_sock *o;

	for (c = s->conn->d->conns; c; c = c->next)
		for (o = c->socks; o; o = o->next) {
			if (o == s || o->type != SOCK_STREAM || o->state != ST_LISTEN ||
			    o->local_port != port)
				continue;
			if ((IP_IS_V4_VAL(*ip) && IP_IS_V6_VAL(o->local_ip)) ||
			    (IP_IS_V6_VAL(*ip) && IP_IS_V4_VAL(o->local_ip)))
				continue;
			if (ip_addr_isany(ip) || ip_addr_isany(&o->local_ip) ||
			    ip_addr_cmp(ip, &o->local_ip))
				return true;
		}
	return false;
}

/*
 * tcp_sock_bind() - bind(2)
 * @s:		the socket
 * @ip:		an address of the interface or the wildcard
 * @port:	0 for any
 *
 * Return: 0, -EINVAL (bound already), -EADDRNOTAVAIL, -EADDRINUSE
 */
int tcp_sock_bind(struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	int rc;
	err_t e;

	if (s->bound || s->state != ST_NEW || !s->pcb.tcp)
		return -EINVAL;
	rc = sock_check_local(s, ip);
	if (rc < 0)
		return rc;
	if (port && s->reuseaddr && tcp_listener_holds(s, ip, port))
		return -EADDRINUSE;
	sockopt_apply(s);
	e = tcp_bind(s->pcb.tcp, ip, port);
	if (e != ERR_OK)
		return -lw_errno(e);
	s->bound = true;
	tcp_sock_names(s);
	return 0;
}

/*
 * tcp_cb_accept() - lwIP: a connection to a listener is established
 * @arg:	the listening socket
 * @newpcb:	the connection
 * @err:	ERR_OK, or ERR_MEM when lwIP had no memory for it
 *
 * The new socket waits in the listener's queue, its child end held by the
 * daemon, and one marker byte on the listener's socketpair makes the
 * child's end readable.  Beyond backlog + 1 waiting connections (the
 * kernel's limit), a new one is reset.
 *
 * Return: ERR_OK, or ERR_ABRT after tcp_abort()
 */
static err_t tcp_cb_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
	struct lw_sock *l = arg, *s;
	static const char marker;

	if (err != ERR_OK || !newpcb)
		return ERR_VAL;
	if (!l || l->nqueued > (unsigned int)l->backlog ||
	    sock_new(l->conn, l->domain, SOCK_STREAM, 0, true, &s) < 0) {
		tcp_abort(newpcb);
		return ERR_ABRT;
	}
	s->state = ST_CONNECTED;
	s->v6only = l->v6only;
	s->reuseaddr = l->reuseaddr;
	s->keepalive = l->keepalive;
	s->nodelay = l->nodelay;
	s->keepidle = l->keepidle;
	s->keepintvl = l->keepintvl;
	s->keepcnt = l->keepcnt;
	s->tos = l->tos;
	s->ttl = l->ttl;
	s->sndbuf = l->sndbuf;
	memcpy(s->plain, l->plain, sizeof(s->plain));
	if (l->rcvbuf)
		sockopt_set(s, SOL_SOCKET, SO_RCVBUF, &l->rcvbuf, sizeof(l->rcvbuf));
	tcp_sock_attach(s, newpcb);
	sockopt_apply(s);
	s->bound = true;
	tcp_sock_names(s);
	s->listener = l;
	*l->acceptq_tail = s;
	l->acceptq_tail = &s->acceptq;	/* acceptq doubles as the queue link */
	s->acceptq = NULL;
	l->nqueued++;
	if (send(l->fd, &marker, 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		lw_debug("listener %llu: marker: %s", (unsigned long long)l->handle,
			 strerror(errno));
	sock_update(s);
	serve_accept_ready(l);
	return ERR_OK;
}

/*
 * tcp_sock_listen() - listen(2)
 * @s:		the socket; bound to the wildcard and a free port if unbound
 * @backlog:	clamped to 1..255 (lwIP keeps it in 8 bits)
 *
 * lwIP replaces the pcb with a smaller listening one.
 *
 * Return: 0, -EINVAL (connected), -EADDRINUSE, -ENOMEM
 */
int tcp_sock_listen(struct lw_sock *s, int backlog)
{
	struct tcp_pcb *lpcb;
	err_t e = ERR_OK;

	if (backlog < 1)
		backlog = 1;
	if (backlog > 255)
		backlog = 255;
	if (s->state == ST_LISTEN) {
		s->backlog = backlog;
		return 0;
	}
	if (s->state != ST_NEW || !s->pcb.tcp)
		return -EINVAL;
	if (!s->bound) {
		e = tcp_bind(s->pcb.tcp, s->domain == AF_INET ? IP4_ADDR_ANY :
			     s->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE, 0);
		if (e != ERR_OK)
			return -lw_errno(e);
		s->bound = true;
	}
	lpcb = tcp_listen_with_backlog_and_err(s->pcb.tcp, (u8_t)backlog, &e);
	if (!lpcb)
		return -lw_errno(e);
	s->pcb.tcp = lpcb;
	s->state = ST_LISTEN;
	s->backlog = backlog;
	tcp_arg(lpcb, s);
	tcp_accept(lpcb, tcp_cb_accept);
	tcp_sock_names(s);
	return 0;
}

/*
 * tcp_sock_accept() - take the oldest connection of a listener's queue
 * @l:		the listener
 *
 * Return: the socket (its child_fd to be handed over), or NULL
 */
struct lw_sock *tcp_sock_accept(struct lw_sock *l)
{
	struct lw_sock *s = l->acceptq;

	if (!s)
		return NULL;
	l->acceptq = s->acceptq;
	if (!l->acceptq)
		l->acceptq_tail = &l->acceptq;
	s->acceptq = NULL;
	s->acceptq_tail = &s->acceptq;
	s->listener = NULL;
	l->nqueued--;
	return s;
}

/*
 * tcp_cb_connected() - lwIP: our SYN was answered
 * @arg:	the socket
 * @pcb:	its pcb
 * @err:	ERR_OK
 *
 * The filler goes: the child's end becomes writable, which is how a
 * non-blocking connect(2) learns it is done.
 *
 * Return: ERR_OK
 */
static err_t tcp_cb_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct lw_sock *s = arg;

	(void)pcb;
	(void)err;
	if (!s)
		return ERR_OK;
	s->state = ST_CONNECTED;
	tcp_sock_names(s);
	sock_drop_filler(s);
	lw_debug("socket %llu: connected", (unsigned long long)s->handle);
	serve_pending_done(s, SP_CONNECT, 0);
	sock_update(s);
	return ERR_OK;
}

/*
 * tcp_sock_connect() - start connect(2)
 * @s:		the socket
 * @ip:		the peer
 * @port:	its port
 *
 * A socket whose earlier attempt failed gets a new pcb (lwIP freed the
 * old one), bound again where it was bound.
 *
 * Return: 0 (started: tcp_cb_connected or tcp_cb_err follow), -EALREADY,
 * -EISCONN, -ENETUNREACH, -ENOMEM...
 */
int tcp_sock_connect(struct lw_sock *s, const ip_addr_t *ip, uint16_t port)
{
	err_t e;
	int rc;

	if (s->state == ST_CONNECTING)
		return -EALREADY;
	if (s->state != ST_NEW)
		return -EISCONN;
	rc = sock_route_check(s, ip);
	if (rc < 0)
		return rc;
	if (!s->pcb.tcp) {
		rc = tcp_sock_open(s);
		if (rc < 0)
			return rc;
		if (s->bound && tcp_bind(s->pcb.tcp, &s->local_ip, s->local_port) != ERR_OK)
			s->bound = false;
	}
	sockopt_apply(s);
	e = tcp_connect(s->pcb.tcp, ip, port, tcp_cb_connected);
	if (e != ERR_OK)
		return -lw_errno(e);
	s->state = ST_CONNECTING;
	s->bound = true;
	tcp_sock_names(s);
	return 0;
}

/*
 * tcp_cb_err() - lwIP: the pcb is gone (reset, timeout, out of memory)
 * @arg:	the socket
 * @err:	ERR_RST, ERR_ABRT...
 *
 * While connecting: ECONNREFUSED (a reset answered our SYN) or ETIMEDOUT;
 * the socket may connect again.  Once connected: ECONNRESET (EPIPE after
 * the peer's FIN) or ETIMEDOUT, and the socket becomes a zombie.
 */
static void tcp_cb_err(void *arg, err_t err)
{
	struct lw_sock *s = arg;
	int e;

	if (!s)
		return;
	s->pcb.tcp = NULL;
	e = lw_errno(err);
	if (s->state == ST_CONNECTING) {
		e = err == ERR_RST ? ECONNREFUSED : err == ERR_ABRT ? ETIMEDOUT : e;
		s->state = ST_NEW;
		s->has_peer = false;
		sock_drop_filler(s);
		lw_debug("socket %llu: connect: %s", (unsigned long long)s->handle,
			 strerror(e));
		/* a blocking connect gets the error; else SO_ERROR keeps it */
		if (!serve_pending_done(s, SP_CONNECT, -e))
			s->so_error = e;
		sock_update(s);
		return;
	}
	/* the kernel's tcp_reset(): a reset after the peer's FIN, ours not yet
	 * sent (CLOSE_WAIT), is EPIPE, as the next write would say */
	if (err == ERR_RST && s->peer_fin && !s->fd_eof && !s->shut_wr)
		e = EPIPE;
	s->state = ST_DONE;
	s->so_error = e;
	/* the kernel's TCP_CLOSE: getpeername() says ENOTCONN (Python's ssl
	 * then sees the data a peer sent before it reset) */
	s->has_peer = false;
	lw_debug("socket %llu: %s", (unsigned long long)s->handle, strerror(e));
	if (s->hup && !s->listener) {
		sock_release(s);	/* the child's end is gone: nobody to tell */
		return;
	}
	tcp_sock_writable(s);	/* what can still be delivered */
	sock_zombify(s);
}

/*
 * tcp_sock_rx_drop() - forget data from the peer that was not written
 * @s:		the socket
 */
void tcp_sock_rx_drop(struct lw_sock *s)
{
	unsigned int i;

	for (i = 0; i < s->rxn; i++)
		pbuf_free(s->rxv[i]);
	free(s->rxv);
	s->rxv = NULL;
	s->rxn = s->rxcap = 0;
	s->rx_off = 0;
}

/*
 * tcp_sock_rx_later() - write the peer's data once the batch is read
 * @s:		the socket
 *
 * During a batch of the loop (frames from the link), data for a socket is
 * only queued, and written with one writev(2) per socket when the batch
 * ends (tcp_flush_all): one system call for up to 64 segments rather than
 * one per segment.  Outside a batch (lwIP's thread: timers, loopback), at
 * once.
 */
static void tcp_sock_rx_later(struct lw_sock *s)
{
	struct lw_daemon *d = s->conn->d;

	if (!d->batch) {
		tcp_sock_writable(s);
		return;
	}
	if (s->rx_pending)
		return;
	s->rx_pending = true;
	s->rx_next = d->rx_dirty;
	d->rx_dirty = s;
}

/*
 * tcp_flush_all() - write what the batch queued for each socket
 * @d:		the daemon
 */
void tcp_flush_all(struct lw_daemon *d)
{
	struct lw_sock *s;

	while ((s = d->rx_dirty)) {
		d->rx_dirty = s->rx_next;
		s->rx_pending = false;
		if (!s->src.gone)
			tcp_sock_writable(s);
	}
}

/*
 * tcp_cb_recv() - lwIP: data (or FIN: @p NULL) from the peer
 * @arg:	the socket
 * @pcb:	its pcb
 * @p:		the data, ours now
 * @err:	ERR_OK
 *
 * Return: ERR_OK, or ERR_MEM to have lwIP deliver @p again later
 */
static err_t tcp_cb_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct lw_sock *s = arg;
	struct pbuf **v;

	(void)err;
	if (!s) {
		if (p) {
			tcp_recved(pcb, p->tot_len);
			pbuf_free(p);
		}
		return ERR_OK;
	}
	if (!p) {
		s->peer_fin = true;
		tcp_sock_rx_later(s);
		return ERR_OK;
	}
	if (s->shut_rd || s->fd < 0) {
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	if (s->rxn == s->rxcap) {
		unsigned int cap = s->rxcap ? 2 * s->rxcap : 16;

		v = realloc(s->rxv, cap * sizeof(struct pbuf *));
		if (!v)
			return ERR_MEM;
		s->rxv = v;
		s->rxcap = cap;
	}
	s->rxv[s->rxn++] = p;
	tcp_sock_rx_later(s);
	return ERR_OK;
}

/*
 * tcp_rx_iov() - iovecs over the data waiting for the child
 * @s:		the socket
 * @iov:	TCP_IOV_MAX entries
 *
 * Return: the number of entries filled
 */
static int tcp_rx_iov(const struct lw_sock *s, struct iovec *iov)
{
	size_t skip = s->rx_off;
	unsigned int i;
	int n = 0;

	for (i = 0; i < s->rxn && n < TCP_IOV_MAX; i++) {
		const struct pbuf *q;

		for (q = s->rxv[i]; q && n < TCP_IOV_MAX; q = q->next) {
			if (skip >= q->len) {
				skip -= q->len;
				continue;
			}
			iov[n].iov_base = (char *)q->payload + skip;
			iov[n].iov_len = q->len - skip;
			skip = 0;
			n++;
		}
	}
	return n;
}

/*
 * tcp_rx_consume() - @n bytes reached the child: free them, open the window
 * @s:		the socket
 * @n:		bytes written
 */
static void tcp_rx_consume(struct lw_sock *s, size_t n)
{
	size_t left = n, chunk;

	while (left && s->rxn) {
		size_t rest = s->rxv[0]->tot_len - s->rx_off;

		if (left < rest) {
			s->rx_off += left;
			break;
		}
		left -= rest;
		pbuf_free(s->rxv[0]);
		memmove(s->rxv, s->rxv + 1, (s->rxn - 1) * sizeof(struct pbuf *));
		s->rxn--;
		s->rx_off = 0;
	}
	while (n && s->pcb.tcp) {
		chunk = n > 0xffff ? 0xffff : n;
		tcp_recved(s->pcb.tcp, (u16_t)chunk);
		n -= chunk;
	}
	/* the program has the bytes: acknowledge them now, not at lwIP's
	 * next 250 ms tick (a peer with Nagle's algorithm holds its next
	 * small segment until then); inside lwIP's input the flag is acted
	 * on when the segment is done, elsewhere tcp_output() sends it */
	if (s->pcb.tcp && (s->pcb.tcp->flags & TF_ACK_DELAY)) {
		tcp_ack_now(s->pcb.tcp);
		tcp_output(s->pcb.tcp);
	}
}

/*
 * tcp_sock_writable() - write waiting peer data to the daemon's end
 * @s:		the socket
 *
 * Called when data arrives and when the daemon's end has room again.
 * After the last byte of a connection whose peer sent FIN, the daemon's
 * end is shut for writing: the child reads EOF.
 */
void tcp_sock_writable(struct lw_sock *s)
{
	struct iovec iov[TCP_IOV_MAX];
	ssize_t n;
	int cnt;

	while (s->rxn && s->fd >= 0) {
		cnt = tcp_rx_iov(s, iov);
		n = writev(s->fd, iov, cnt);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				tcp_sock_rx_drop(s);	/* the child's end is gone */
			break;
		}
		tcp_rx_consume(s, (size_t)n);
	}
	if (!s->rxn && s->peer_fin && s->fd >= 0)
		shutdown(s->fd, SHUT_WR);
	sock_update(s);
}

/*
 * tcp_push_stash() - give lwIP what it refused before
 * @s:		the socket
 *
 * Return: true when nothing is left in the stash
 */
static bool tcp_push_stash(struct lw_sock *s)
{
	size_t left = s->stash_len - s->stash_off, n;
	struct tcp_pcb *pcb = s->pcb.tcp;

	while (left && pcb) {
		n = tcp_sndbuf(pcb);
		if (n > left)
			n = left;
		if (!n || tcp_write(pcb, s->stash + s->stash_off, (u16_t)n,
				    TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		s->stash_off += n;
		left -= n;
	}
	if (left)
		return false;
	free(s->stash);
	s->stash = NULL;
	s->stash_len = s->stash_off = 0;
	return true;
}

/*
 * tcp_sock_resets() - does closing @s reset the connection?
 * @s:		the socket
 * @reset:	the caller asks for it (SO_LINGER {1, 0})
 *
 * As the kernel's tcp_close(): also when data from the peer never reached
 * the program, in the daemon (rxn) or unread in the child's end
 * (child_reset).
 *
 * Return: true for a reset, false for FIN after the queued data
 */
static bool tcp_sock_resets(const struct lw_sock *s, bool reset)
{
	return reset || s->rxn || s->child_reset;
}

/*
 * tcp_sock_eof() - the child will write no more: FIN after its data
 * @s:		the socket
 *
 * A close that resets sends the reset alone (tcp_sock_close()), as the
 * kernel does: a FIN first would show the peer an orderly end, and make
 * its error EPIPE rather than ECONNRESET (tcp_reset() in CLOSE_WAIT).
 */
static void tcp_sock_eof(struct lw_sock *s)
{
	s->fd_eof = true;
	if (sock_child_gone(s) && tcp_sock_resets(s, s->linger_on && !s->linger_secs))
		return;
	if (!s->stash_len && s->pcb.tcp)
		tcp_shutdown(s->pcb.tcp, 0, 1);
}

/*
 * tcp_sock_readable() - move the child's bytes into lwIP, as far as lwIP
 * has room
 * @s:		the socket (connected)
 */
void tcp_sock_readable(struct lw_sock *s)
{
	unsigned char *buf = s->conn->d->iobuf;
	struct tcp_pcb *pcb = s->pcb.tcp;
	size_t room;
	ssize_t n;
	err_t e;

	while (pcb && s->fd >= 0 && !s->fd_eof && !s->stash_len) {
		room = tcp_sndbuf(pcb);
		if (room > SP_MSG_MAX)
			room = SP_MSG_MAX;
		if (!room || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN - 4)
			break;
		n = read(s->fd, buf, room);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			tcp_sock_eof(s);
			break;
		}
		if (n < 0)
			break;
		e = tcp_write(pcb, buf, (u16_t)n, TCP_WRITE_FLAG_COPY);
		if (e != ERR_OK) {
			s->stash = malloc((size_t)n);
			if (!s->stash) {
				s->so_error = ENOMEM;
				break;
			}
			memcpy(s->stash, buf, (size_t)n);
			s->stash_len = (size_t)n;
			s->stash_off = 0;
			tcp_push_stash(s);
			break;
		}
	}
	if (pcb)
		tcp_output(pcb);
	sock_update(s);
}

/*
 * tcp_cb_sent() - lwIP: the peer acknowledged data; there is room again
 * @arg:	the socket
 * @pcb:	its pcb
 * @len:	bytes acknowledged
 *
 * Return: ERR_OK
 */
static err_t tcp_cb_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct lw_sock *s = arg;

	(void)len;
	if (!s)
		return ERR_OK;
	if (s->stash_len && tcp_push_stash(s) && s->fd_eof)
		tcp_shutdown(pcb, 0, 1);
	tcp_output(pcb);
	sock_update(s);
	return ERR_OK;
}

/*
 * tcp_sock_shutdown() - shutdown(2), carried out on the daemon's end
 * @s:		the socket
 * @how:	SHUT_RD, SHUT_WR, SHUT_RDWR
 *
 * SHUT_RD: the daemon's end is shut for writing (the child reads EOF) and
 * later data from the peer is dropped.  SHUT_WR: the daemon's end is shut
 * for reading (the child's writes fail with EPIPE); what was queued is
 * still read and sent, then FIN.
 *
 * Return: 0, -EINVAL, -ENOTCONN
 */
int tcp_sock_shutdown(struct lw_sock *s, int how)
{
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	if (s->state != ST_CONNECTED)
		return -ENOTCONN;
	if (how != SHUT_WR && !s->shut_rd) {
		s->shut_rd = true;
		tcp_sock_rx_drop(s);
		shutdown(s->fd, SHUT_WR);
	}
	if (how != SHUT_RD && !s->shut_wr) {
		s->shut_wr = true;
		shutdown(s->fd, SHUT_RD);
	}
	sock_update(s);
	return 0;
}

/*
 * tcp_sock_close() - let go of the pcb, as close(2) does
 * @s:		the socket
 * @reset:	abort (RST) rather than close (FIN after queued data)
 *
 * A listener also resets the connections nobody accepted.  A connection
 * with data from the peer that the child never got (in the daemon, or left
 * unread in the child's end: sock_child_reset()) is reset, as the kernel
 * resets it.
 */
void tcp_sock_close(struct lw_sock *s, bool reset)
{
	struct tcp_pcb *pcb = s->pcb.tcp;
	struct lw_sock *q;

	if (s->state == ST_LISTEN) {
		while ((q = tcp_sock_accept(s))) {
			tcp_sock_close(q, true);
			sock_release(q);
		}
		if (pcb) {
			tcp_arg(pcb, NULL);
			tcp_accept(pcb, NULL);
			tcp_close(pcb);
		}
		s->pcb.tcp = NULL;
		return;
	}
	if (s->listener) {
		/* still queued: leave the queue */
		struct lw_sock **pp;

		for (pp = &s->listener->acceptq; *pp; pp = &(*pp)->acceptq)
			if (*pp == s) {
				*pp = s->acceptq;
				break;
			}
		s->listener->acceptq_tail = &s->listener->acceptq;
		while (*s->listener->acceptq_tail)
			s->listener->acceptq_tail = &(*s->listener->acceptq_tail)->acceptq;
		s->listener->nqueued--;
		s->listener = NULL;
	}
	if (pcb) {
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
		if (tcp_sock_resets(s, reset) || tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	s->pcb.tcp = NULL;
	tcp_sock_rx_drop(s);
}
