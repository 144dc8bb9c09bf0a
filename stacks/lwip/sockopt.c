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

#define SOCKOPT_BUF_MAX		212992	/* net.core.rmem_max, wmem_max default */
#define SOCKOPT_BUF_MIN		2304	/* SOCK_MIN_RCVBUF, rounded */

/*
 * sockopt_init() - the defaults of a new socket, as Linux has them
 * @s:		the socket
 */
void sockopt_init(struct lw_sock *s)
{
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
	int v, rc = sockopt_int(val, len, &v);

	if (rc < 0)
		return rc;
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
		case SO_PROTOCOL:	*v = tcp ? IPPROTO_TCP : IPPROTO_UDP; return 0;
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
	} else if (level == IPPROTO_IPV6 && s->domain == AF_INET6 && name == IPV6_V6ONLY) {
		*v = s->v6only;
		return 0;
	}
	return -ENOPROTOOPT;
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
	int v, rc = sockopt_get_int(s, level, name, &v);

	if (rc < 0)
		return rc;
	if (*len > sizeof(v))
		*len = sizeof(v);
	memcpy(val, &v, *len);
	return 0;
}
