// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockopt.c - setsockopt/getsockopt of the stack's sockets, with the
 * kernel's answers
 *
 * Options are kept in struct lw_sock (so that they survive pcb changes:
 * listen() replaces the pcb, accept() makes a new one that inherits them
 * as accept(2) does) and applied to the lwIP pcb by sockopt_apply():
 * so_options (SOF_REUSEADDR, SOF_KEEPALIVE, SOF_BROADCAST), tos, ttl, the
 * keep-alive timers in milliseconds, Nagle.  The read-only options answer
 * for TCP or UDP (SO_TYPE SOCK_STREAM, SO_PROTOCOL IPPROTO_TCP...), not
 * for the AF_UNIX socketpair that carries the data.
 *
 * Hints that change nothing lwIP does (TCP_CORK, TCP_QUICKACK, path MTU
 * discovery, error queues...) are accepted and read back as the kernel
 * does, rather than refused: programs set them as a matter of course.
 * The options that ask for ancillary data on a datagram socket's reads
 * (IP_PKTINFO, IP_RECVTOS, IP_RECVTTL and their IPv6 kin) are udpanc.c's:
 * the data travels with DGRAMSRC's answer.  TCP_INFO and TCP_CONGESTION ("reno": lwIP's congestion control)
 * answer from the pcb.
 *
 * SO_RCVBUF is the child's receive buffer: it becomes SO_SNDBUF of the
 * daemon's end (af_unix counts queued bytes against the sender), so a
 * program that shrinks it sees the flow control it asked for.  As in the
 * kernel, the value read back is twice the value set (socket(7)).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>	/* not netinet/tcp.h: its TCP_MSS is not lwIP's */

#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "lw.h"
#include "../../common/util.h"

#define SOCKOPT_BUF_MAX		212992	/* net.core.rmem_max, wmem_max default */
#define SOCKOPT_BUF_MIN		2304	/* SOCK_MIN_RCVBUF, rounded */
#define SOCKOPT_TICK_MS		500	/* lwIP's RTT unit: TCP_SLOW_INTERVAL (tcp_priv.h) */

/* Options accepted and kept, with no effect on lwIP, and their defaults. */
static const struct sockopt_plain {
	int level, name, def;
} sockopt_plain[] = {
	{ IPPROTO_TCP, TCP_CORK, 0 },		{ IPPROTO_TCP, TCP_QUICKACK, 1 },
	{ IPPROTO_TCP, TCP_DEFER_ACCEPT, 0 },	{ IPPROTO_TCP, TCP_USER_TIMEOUT, 0 },
	{ IPPROTO_TCP, TCP_FASTOPEN, 0 },	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, -1 },
	{ IPPROTO_TCP, TCP_WINDOW_CLAMP, 0 },	{ IPPROTO_TCP, TCP_SYNCNT, 6 },
	{ IPPROTO_TCP, TCP_LINGER2, 60 },
	{ IPPROTO_IP, IP_RECVERR, 0 },		{ IPPROTO_IP, IP_MTU_DISCOVER, 1 },
	{ IPPROTO_IP, IP_FREEBIND, 0 },		{ IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 0 },
	{ IPPROTO_IP, IP_MULTICAST_TTL, 1 },	{ IPPROTO_IP, IP_MULTICAST_LOOP, 1 },
	{ IPPROTO_IPV6, IPV6_RECVERR, 0 },	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER, 1 },
	{ IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 1 }, { IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 1 },
	/* one listener per port here, but programs set it and read it back */
	{ SOL_SOCKET, SO_REUSEPORT, 0 },
};
#define SOCKOPT_PLAIN_N	(ARRAY_SIZE(sockopt_plain))
_Static_assert(SOCKOPT_PLAIN_N <= sizeof(((struct lw_sock *)0)->plain) / sizeof(int),
	       "struct lw_sock: plain[] too small");

/*
 * sockopt_plain_find() - the index of a kept-only option
 * @s:		the socket (TCP options only for TCP, IPv6 ones for AF_INET6)
 * @level:	as setsockopt(2)
 * @name:	as setsockopt(2)
 *
 * Return: the index in sockopt_plain, or -1
 */
static int sockopt_plain_find(const struct lw_sock *s, int level, int name)
{
	unsigned int i;

	if ((level == IPPROTO_TCP && s->type != SOCK_STREAM) ||
	    (level == IPPROTO_IPV6 && s->domain != AF_INET6))
		return -1;
	for (i = 0; i < SOCKOPT_PLAIN_N; i++)
		if (sockopt_plain[i].level == level && sockopt_plain[i].name == name)
			return (int)i;
	return -1;
}

/*
 * sockopt_init() - the defaults of a new socket, as Linux has them
 * @s:		the socket
 */
void sockopt_init(struct lw_sock *s)
{
	unsigned int i;

	for (i = 0; i < SOCKOPT_PLAIN_N; i++)
		s->plain[i] = sockopt_plain[i].def;
	s->keepidle = 7200;
	s->keepintvl = 75;
	s->keepcnt = 9;
	s->ttl = 64;
}

/*
 * sockopt_apply() - put the kept options on the socket's pcb
 * @s:		the socket (TCP connected or not, or UDP); listeners keep theirs
 */
void sockopt_apply(struct lw_sock *s)
{
	u8_t so = (u8_t)((s->reuseaddr ? SOF_REUSEADDR : 0) |
			 (s->keepalive ? SOF_KEEPALIVE : 0) |
			 (s->broadcast ? SOF_BROADCAST : 0));

	if (s->type == SOCK_DGRAM) {
		struct udp_pcb *u = s->pcb.udp;

		if (!u)
			return;
		u->so_options = so;
		u->tos = (u8_t)s->tos;
		u->ttl = (u8_t)s->ttl;
		return;
	}
	if (!s->pcb.tcp)
		return;
	if (s->state == ST_LISTEN) {
		s->pcb.tcp->so_options = so;
		return;
	}
	s->pcb.tcp->so_options = so;
	s->pcb.tcp->tos = (u8_t)s->tos;
	s->pcb.tcp->ttl = (u8_t)s->ttl;
	s->pcb.tcp->keep_idle = (u32_t)s->keepidle * 1000;
	s->pcb.tcp->keep_intvl = (u32_t)s->keepintvl * 1000;
	s->pcb.tcp->keep_cnt = (u32_t)s->keepcnt;
	if (s->nodelay)
		tcp_nagle_disable(s->pcb.tcp);
	else
		tcp_nagle_enable(s->pcb.tcp);
}

/*
 * sockopt_int() - an int option value, as the kernel reads it
 * @val:	the bytes
 * @len:	their number; at least sizeof(int)
 * @out:	the value
 *
 * Return: 0 or -EINVAL
 */
static int sockopt_int(const void *val, uint32_t len, int *out)
{
	if (!val || len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

/*
 * sockopt_set_buf() - SO_RCVBUF or SO_SNDBUF
 * @s:		the socket
 * @name:	which
 * @v:		the value asked for, clamped as the kernel clamps it
 *
 * Return: 0
 */
static int sockopt_set_buf(struct lw_sock *s, int name, int v)
{
	if (v > SOCKOPT_BUF_MAX)
		v = SOCKOPT_BUF_MAX;
	if (v * 2 < SOCKOPT_BUF_MIN)
		v = SOCKOPT_BUF_MIN / 2;
	if (name == SO_SNDBUF) {
		s->sndbuf = v;
		return 0;
	}
	s->rcvbuf = v;
	if (s->fd >= 0)
		(void)setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	return 0;
}

/*
 * sockopt_set() - setsockopt(2) on a socket of the stack
 * @s:		the socket
 * @level:	SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6
 * @name:	the option
 * @val:	its bytes
 * @len:	their number
 *
 * Return: 0, -EINVAL, -ENOPROTOOPT
 */
int sockopt_set(struct lw_sock *s, int level, int name, const void *val, uint32_t len)
{
	int v, rc, i;

	if (level == IPPROTO_TCP && name == TCP_CONGESTION && s->type == SOCK_STREAM)
		return val && len >= 4 && !memcmp(val, "reno", 4) &&
		       (len == 4 || !((const char *)val)[4]) ? 0 : -ENOENT;
	if (level == SOL_SOCKET && name == SO_LINGER) {
		struct linger lg;

		if (!val || len < sizeof(lg))
			return -EINVAL;
		memcpy(&lg, val, sizeof(lg));
		s->linger_on = lg.l_onoff != 0;
		s->linger_secs = lg.l_linger;
		return 0;
	}
	rc = sockopt_int(val, len, &v);
	if (rc < 0)
		return rc;
	/* ping and UDP: the ancillary data travels with DGRAMSRC's answer */
	if (s->type == SOCK_DGRAM && s->domain != AF_NETLINK &&
	    udpanc_sockopt_set(s, level, name, v) == 0)
		return 0;
	i = sockopt_plain_find(s, level, name);
	if (i >= 0) {
		s->plain[i] = v;
		return 0;
	}
	switch (level) {
	case SOL_SOCKET:
		switch (name) {
		case SO_REUSEADDR:	s->reuseaddr = v != 0; break;
		case SO_KEEPALIVE:	s->keepalive = v != 0; break;
		case SO_BROADCAST:	s->broadcast = v != 0; break;
		case SO_RCVBUF: case SO_SNDBUF:
			return sockopt_set_buf(s, name, v);
		default:		return -ENOPROTOOPT;
		}
		break;
	case IPPROTO_TCP:
		if (s->type != SOCK_STREAM)
			return -ENOPROTOOPT;
		switch (name) {
		case TCP_NODELAY:	s->nodelay = v != 0; break;
		case TCP_KEEPIDLE:
			if (v < 1 || v > 32767)
				return -EINVAL;
			s->keepidle = v;
			break;
		case TCP_KEEPINTVL:
			if (v < 1 || v > 32767)
				return -EINVAL;
			s->keepintvl = v;
			break;
		case TCP_KEEPCNT:
			if (v < 1 || v > 127)
				return -EINVAL;
			s->keepcnt = v;
			break;
		/*
		 * Accepted, without effect in lwIP, as programs set them
		 * whatever stack they run on (BIND's dig: TCP_MAXSEG and
		 * TCP_USER_TIMEOUT; nginx: TCP_CORK, TCP_DEFER_ACCEPT):
		 * refused, they would fail where the kernel serves them.
		 */
		case TCP_MAXSEG:
			if (v < 88 || v > 32767)
				return -EINVAL;
			break;
		case TCP_USER_TIMEOUT:
			if (v < 0)
				return -EINVAL;
			break;
		case TCP_CORK: case TCP_QUICKACK: case TCP_DEFER_ACCEPT:
			break;
		default:		return -ENOPROTOOPT;
		}
		break;
	case IPPROTO_IP:
		switch (name) {
		case IP_TOS:		s->tos = v & 0xff; break;
		case IP_TTL:
			if (v == -1)
				v = 64;
			if (v < 1 || v > 255)
				return -EINVAL;
			s->ttl = v;
			break;
		default:		return -ENOPROTOOPT;
		}
		break;
	case IPPROTO_IPV6:
		if (s->domain == AF_INET6 && name == IPV6_UNICAST_HOPS) {
			if (v < -1 || v > 255)
				return -EINVAL;
			s->ttl = v == -1 ? 64 : v;
			break;
		}
		if (s->domain == AF_INET6 && name == IPV6_TCLASS) {
			if (v < -1 || v > 255)
				return -EINVAL;
			s->tos = v == -1 ? 0 : v;
			break;
		}
		if (s->domain != AF_INET6 || name != IPV6_V6ONLY)
			return -ENOPROTOOPT;
		if (s->bound || s->state != ST_NEW)
			return -EINVAL;
		s->v6only = v != 0;
		if (s->type == SOCK_STREAM && s->pcb.tcp) {
			IP_SET_TYPE_VAL(s->pcb.tcp->local_ip, s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY);
			IP_SET_TYPE_VAL(s->pcb.tcp->remote_ip, s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY);
		} else if (s->type == SOCK_DGRAM && s->pcb.udp) {
			IP_SET_TYPE_VAL(s->pcb.udp->local_ip, s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY);
			IP_SET_TYPE_VAL(s->pcb.udp->remote_ip, s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY);
		}
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	sockopt_apply(s);
	return 0;
}

/*
 * sockopt_get_int() - the int value of an option, or -ENOPROTOOPT
 * @s:		the socket
 * @level:	as getsockopt(2)
 * @name:	as getsockopt(2)
 * @v:		the value
 *
 * Return: 0 or -ENOPROTOOPT
 */
static int sockopt_get_int(struct lw_sock *s, int level, int name, int *v)
{
	bool tcp = s->type == SOCK_STREAM;
	int i = sockopt_plain_find(s, level, name);

	if (i >= 0) {
		*v = s->plain[i];
		return 0;
	}
	if (s->type == SOCK_DGRAM && s->domain != AF_NETLINK &&
	    udpanc_sockopt_get(s, level, name, v) == 0)
		return 0;

	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_REUSEADDR:	*v = s->reuseaddr; return 0;
		case SO_KEEPALIVE:	*v = s->keepalive; return 0;
		case SO_BROADCAST:	*v = s->broadcast; return 0;
		case SO_RCVBUF:
			*v = s->rcvbuf ? 2 * s->rcvbuf : tcp ? 131072 : 212992;
			return 0;
		case SO_SNDBUF:
			*v = s->sndbuf ? 2 * s->sndbuf : tcp ? 16384 : 212992;
			return 0;
		case SO_ERROR:		*v = s->so_error; s->so_error = 0; return 0;
		case SO_TYPE:		*v = s->type; return 0;
		case SO_DOMAIN:		*v = s->domain; return 0;
		case SO_PROTOCOL:	*v = s->protocol ? s->protocol : tcp ? IPPROTO_TCP : IPPROTO_UDP; return 0;
		case SO_ACCEPTCONN:	*v = s->state == ST_LISTEN; return 0;
		}
	} else if (level == IPPROTO_TCP && tcp) {
		switch (name) {
		case TCP_NODELAY:	*v = s->nodelay; return 0;
		case TCP_KEEPIDLE:	*v = s->keepidle; return 0;
		case TCP_KEEPINTVL:	*v = s->keepintvl; return 0;
		case TCP_KEEPCNT:	*v = s->keepcnt; return 0;
		case TCP_MAXSEG:
			*v = s->pcb.tcp && s->state == ST_CONNECTED ? s->pcb.tcp->mss : TCP_MSS;
			return 0;
		}
	} else if (level == IPPROTO_IP) {
		switch (name) {
		case IP_TOS:		*v = s->tos; return 0;
		case IP_TTL:		*v = s->ttl; return 0;
		}
	} else if (level == IPPROTO_IPV6 && s->domain == AF_INET6) {
		switch (name) {
		case IPV6_V6ONLY:	*v = s->v6only; return 0;
		case IPV6_UNICAST_HOPS:	*v = s->ttl; return 0;
		case IPV6_TCLASS:	*v = s->tos; return 0;
		}
	}
	return -ENOPROTOOPT;
}

/*
 * sockopt_tcp_state() - lwIP's TCP state as Linux numbers it (tcp_states.h)
 * @s:		the socket
 *
 * Return: TCP_ESTABLISHED (1) .. TCP_CLOSING (11)
 */
static uint8_t sockopt_tcp_state(const struct lw_sock *s)
{
	/* CLOSED LISTEN SYN_SENT SYN_RCVD ESTABLISHED FIN_WAIT_1 FIN_WAIT_2
	 * CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT */
	static const uint8_t linux_state[] = { 7, 10, 2, 3, 1, 4, 5, 8, 11, 9, 6 };
	unsigned int st;

	if (!s->pcb.tcp)
		return 7;
	st = (unsigned int)s->pcb.tcp->state;
	return st < sizeof(linux_state) ? linux_state[st] : 7;
}

/*
 * sockopt_get_tcp() - TCP_INFO and TCP_CONGESTION
 * @s:		the stream socket
 * @name:	which
 * @val:	the value, truncated to *@len
 * @len:	in: room; out: the length of the value
 *
 * TCP_INFO fills what lwIP knows: the state, the MSS both ways, the
 * congestion window and threshold in segments, the smoothed round-trip
 * time (lwIP counts it in 500 ms ticks), retransmissions.
 *
 * Return: 0
 */
static int sockopt_get_tcp(struct lw_sock *s, int name, void *val, uint32_t *len)
{
	struct tcp_info ti;
	char ca[16] = "reno";
	const void *src = ca;
	uint32_t n = sizeof(ca);

	if (name == TCP_INFO) {
		memset(&ti, 0, sizeof(ti));
		ti.tcpi_state = sockopt_tcp_state(s);
		ti.tcpi_rcv_mss = TCP_MSS;
		ti.tcpi_advmss = TCP_MSS;
		if (s->pcb.tcp && s->state == ST_CONNECTED) {
			const struct tcp_pcb *p = s->pcb.tcp;
			uint32_t mss = p->mss ? p->mss : TCP_MSS;

			ti.tcpi_snd_mss = mss;
			ti.tcpi_snd_cwnd = p->cwnd / mss;
			ti.tcpi_snd_ssthresh = p->ssthresh / mss;
			ti.tcpi_rtt = (uint32_t)(p->sa >> 3) * SOCKOPT_TICK_MS * 1000;
			ti.tcpi_rttvar = (uint32_t)(p->sv >> 2) * SOCKOPT_TICK_MS * 1000;
			ti.tcpi_retransmits = p->nrtx;
			ti.tcpi_rcv_space = p->rcv_wnd;
		}
		src = &ti;
		n = sizeof(ti);
	}
	if (*len > n)
		*len = n;
	memcpy(val, src, *len);
	return 0;
}

/*
 * sockopt_get() - getsockopt(2) on a socket of the stack
 * @s:		the socket
 * @level:	as getsockopt(2)
 * @name:	as getsockopt(2)
 * @val:	the value (an int), truncated to *@len as the kernel does
 * @len:	in: room; out: the length of the value
 *
 * Return: 0 or -ENOPROTOOPT
 */
int sockopt_get(struct lw_sock *s, int level, int name, void *val, uint32_t *len)
{
	int v, rc;

	if (level == IPPROTO_TCP && s->type == SOCK_STREAM &&
	    (name == TCP_INFO || name == TCP_CONGESTION))
		return sockopt_get_tcp(s, name, val, len);
	if (level == SOL_SOCKET && name == SO_LINGER) {
		struct linger lg = { .l_onoff = s->linger_on, .l_linger = s->linger_secs };

		if (*len > sizeof(lg))
			*len = sizeof(lg);
		memcpy(val, &lg, *len);
		return 0;
	}
	rc = sockopt_get_int(s, level, name, &v);
	if (rc < 0)
		return rc;
	if (*len > sizeof(v))
		*len = sizeof(v);
	memcpy(val, &v, *len);
	return 0;
}
