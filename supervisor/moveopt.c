// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * moveopt.c - the options a moved socket carries into its new stack
 *
 * A kernel socket's options are read with getsockopt(2) from netsup's copy
 * of it (move_opts_read(), the table below) and compared with those of a
 * fresh socket of the same kind in the old socket's namespace (made once
 * per namespace and kind, cached): only what the program changed is set
 * on the new socket, with the child's credentials, so that the kernel
 * checks the child's privilege for SO_MARK or IP_TRANSPARENT.  A
 * userspace socket's options were recorded as netsup forwarded its
 * setsockopt calls (moverec.c) and are set again as they were.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "log.h"
#include "move.h"
#include "moveint.h"
#include "../common/util.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif

/* How an option's value is copied. */
enum move_kind {
	MOVE_INT,
	MOVE_BUF,	/* SO_RCVBUF, SO_SNDBUF: read back doubled */
	MOVE_BYTES,	/* a structure or a string, compared as bytes */
};

/* The options a socket may carry into its new stack. */
static const struct move_opt {
	int level, name;
	enum move_kind kind;
	const char *text;
} move_opts[] = {
	{ SOL_SOCKET, SO_REUSEADDR, MOVE_INT, "SO_REUSEADDR" },
	{ SOL_SOCKET, SO_REUSEPORT, MOVE_INT, "SO_REUSEPORT" },
	{ SOL_SOCKET, SO_KEEPALIVE, MOVE_INT, "SO_KEEPALIVE" },
	{ SOL_SOCKET, SO_BROADCAST, MOVE_INT, "SO_BROADCAST" },
	{ SOL_SOCKET, SO_OOBINLINE, MOVE_INT, "SO_OOBINLINE" },
	{ SOL_SOCKET, SO_RCVBUF, MOVE_BUF, "SO_RCVBUF" },
	{ SOL_SOCKET, SO_SNDBUF, MOVE_BUF, "SO_SNDBUF" },
	{ SOL_SOCKET, SO_RCVLOWAT, MOVE_INT, "SO_RCVLOWAT" },
	{ SOL_SOCKET, SO_PRIORITY, MOVE_INT, "SO_PRIORITY" },
	{ SOL_SOCKET, SO_MARK, MOVE_INT, "SO_MARK" },
	{ SOL_SOCKET, SO_TIMESTAMP, MOVE_INT, "SO_TIMESTAMP" },
	{ SOL_SOCKET, SO_TIMESTAMPNS, MOVE_INT, "SO_TIMESTAMPNS" },
	{ SOL_SOCKET, SO_LINGER, MOVE_BYTES, "SO_LINGER" },
	{ SOL_SOCKET, SO_RCVTIMEO, MOVE_BYTES, "SO_RCVTIMEO" },
	{ SOL_SOCKET, SO_SNDTIMEO, MOVE_BYTES, "SO_SNDTIMEO" },
	{ IPPROTO_IP, IP_TOS, MOVE_INT, "IP_TOS" },
	{ IPPROTO_IP, IP_TTL, MOVE_INT, "IP_TTL" },
	{ IPPROTO_IP, IP_RECVERR, MOVE_INT, "IP_RECVERR" },
	{ IPPROTO_IP, IP_MTU_DISCOVER, MOVE_INT, "IP_MTU_DISCOVER" },
	{ IPPROTO_IP, IP_FREEBIND, MOVE_INT, "IP_FREEBIND" },
	{ IPPROTO_IP, IP_TRANSPARENT, MOVE_INT, "IP_TRANSPARENT" },
	{ IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, MOVE_INT, "IP_BIND_ADDRESS_NO_PORT" },
	{ IPPROTO_IP, IP_PKTINFO, MOVE_INT, "IP_PKTINFO" },
	{ IPPROTO_IP, IP_RECVTOS, MOVE_INT, "IP_RECVTOS" },
	{ IPPROTO_IP, IP_RECVTTL, MOVE_INT, "IP_RECVTTL" },
	{ IPPROTO_IPV6, IPV6_V6ONLY, MOVE_INT, "IPV6_V6ONLY" },
	{ IPPROTO_IPV6, IPV6_TCLASS, MOVE_INT, "IPV6_TCLASS" },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS, MOVE_INT, "IPV6_UNICAST_HOPS" },
	{ IPPROTO_IPV6, IPV6_RECVERR, MOVE_INT, "IPV6_RECVERR" },
	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER, MOVE_INT, "IPV6_MTU_DISCOVER" },
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO, MOVE_INT, "IPV6_RECVPKTINFO" },
	{ IPPROTO_TCP, TCP_NODELAY, MOVE_INT, "TCP_NODELAY" },
	{ IPPROTO_TCP, TCP_CORK, MOVE_INT, "TCP_CORK" },
	{ IPPROTO_TCP, TCP_MAXSEG, MOVE_INT, "TCP_MAXSEG" },
	{ IPPROTO_TCP, TCP_KEEPIDLE, MOVE_INT, "TCP_KEEPIDLE" },
	{ IPPROTO_TCP, TCP_KEEPINTVL, MOVE_INT, "TCP_KEEPINTVL" },
	{ IPPROTO_TCP, TCP_KEEPCNT, MOVE_INT, "TCP_KEEPCNT" },
	{ IPPROTO_TCP, TCP_SYNCNT, MOVE_INT, "TCP_SYNCNT" },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, MOVE_INT, "TCP_USER_TIMEOUT" },
	{ IPPROTO_TCP, TCP_WINDOW_CLAMP, MOVE_INT, "TCP_WINDOW_CLAMP" },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, MOVE_INT, "TCP_NOTSENT_LOWAT" },
	{ IPPROTO_TCP, TCP_FASTOPEN_CONNECT, MOVE_INT, "TCP_FASTOPEN_CONNECT" },
	{ IPPROTO_TCP, TCP_CONGESTION, MOVE_BYTES, "TCP_CONGESTION" },
	{ IPPROTO_UDP, UDP_CORK, MOVE_INT, "UDP_CORK" },
	{ IPPROTO_UDP, UDP_SEGMENT, MOVE_INT, "UDP_SEGMENT" },
};

_Static_assert(ARRAY_SIZE(move_opts) == MOVE_NOPTS, "MOVE_NOPTS is the table's size");

/* Does option @o apply to a socket of @domain and @type? */
static bool move_opt_applies(const struct move_opt *o, int domain, int type)
{
	switch (o->level) {
	case IPPROTO_IP:	return domain == AF_INET;
	case IPPROTO_IPV6:	return domain == AF_INET6;
	case IPPROTO_TCP:	return type == SOCK_STREAM;
	case IPPROTO_UDP:	return type == SOCK_DGRAM;
	default:		return true;
	}
}

/* Read every option of @fd that applies into @vals. */
void move_opts_read(int fd, int domain, int type, struct move_val *vals)
{
	size_t i;

	for (i = 0; i < MOVE_NOPTS; i++) {
		vals[i].len = sizeof(vals[i].v);
		memset(vals[i].v, 0, sizeof(vals[i].v));
		if (!move_opt_applies(&move_opts[i], domain, type) ||
		    getsockopt(fd, move_opts[i].level, move_opts[i].name, vals[i].v, &vals[i].len))
			vals[i].len = 0;
	}
}

/* A cache of the options of fresh sockets, per namespace and kind. */
#define MOVE_FRESH_MAX	16
static struct {
	pthread_mutex_t lock;
	size_t n, next;
	struct {
		dev_t dev;
		ino_t ino;
		int domain, type;
		struct move_val vals[MOVE_NOPTS];
	} e[MOVE_FRESH_MAX];
} move_fresh = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * The options of a fresh socket of the old socket's kind in its namespace:
 * what the program did not set.  The thread enters that namespace
 * (netsup's own credentials) and records so in w->stack; once per
 * namespace and kind.  Return: 0, or -errno (then the new socket's own
 * values stand for them).
 */
int move_fresh_opts(struct worker *w, const struct move_src *src, struct move_val *vals)
{
	size_t i;
	int fd, rc;

	pthread_mutex_lock(&move_fresh.lock);
	for (i = 0; i < move_fresh.n; i++)
		if (move_fresh.e[i].dev == src->ns_dev && move_fresh.e[i].ino == src->ns_ino &&
		    move_fresh.e[i].domain == src->domain && move_fresh.e[i].type == src->type) {
			memcpy(vals, move_fresh.e[i].vals, sizeof(move_fresh.e[i].vals));
			pthread_mutex_unlock(&move_fresh.lock);
			return 0;
		}
	pthread_mutex_unlock(&move_fresh.lock);
	rc = request_own(w);
	if (!rc && (w->stack.netns_dev != src->ns_dev || w->stack.netns_ino != src->ns_ino)) {
		struct stat here;
		/* netsup's own namespace needs no setns (nor a privilege) */
		bool there = !stat("/proc/thread-self/ns/net", &here) &&
			     here.st_dev == src->ns_dev && here.st_ino == src->ns_ino;

		if (!there && setns(src->nsfd, CLONE_NEWNET)) {
			rc = -errno;
		} else {
			w->stack.netns_dev = src->ns_dev;
			w->stack.netns_ino = src->ns_ino;
		}
	}
	if (rc)
		return rc;
	fd = socket(src->domain, src->type | SOCK_CLOEXEC, src->protocol);
	if (fd < 0)
		return -errno;
	move_opts_read(fd, src->domain, src->type, vals);
	close(fd);
	pthread_mutex_lock(&move_fresh.lock);
	i = move_fresh.n < MOVE_FRESH_MAX ? move_fresh.n++ : move_fresh.next++ % MOVE_FRESH_MAX;
	move_fresh.e[i].dev = src->ns_dev;
	move_fresh.e[i].ino = src->ns_ino;
	move_fresh.e[i].domain = src->domain;
	move_fresh.e[i].type = src->type;
	memcpy(move_fresh.e[i].vals, vals, sizeof(move_fresh.e[i].vals));
	pthread_mutex_unlock(&move_fresh.lock);
	return 0;
}

/**
 * move_opt_carried() - is an option one that a socket carries along?
 * @level:	setsockopt(2)'s
 * @name:
 *
 * Return: true if it is in the table: read back, compared, set again
 */
bool move_opt_carried(int level, int name)
{
	size_t i;

	for (i = 0; i < MOVE_NOPTS; i++)
		if (move_opts[i].level == level && move_opts[i].name == name)
			return true;
	return false;
}

/**
 * move_opts_changed() - the options a program set on a kernel socket
 * @w:		the handling thread (it may enter the socket's namespace)
 * @fd:		netsup's copy of the socket
 * @out:	receives them, as setsockopt(2) takes them
 * @max:	its room
 *
 * Return: how many, or -errno (the socket's kind or namespace unknown)
 */
int move_opts_changed(struct worker *w, int fd, struct move_set *out, int max)
{
	struct move_val fresh[MOVE_NOPTS] = { 0 };
	struct move_src src = { .cfd = fd, .nsfd = -1 };
	socklen_t len = sizeof(int);
	int n = 0, half;
	size_t i;

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &src.domain, &len) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &src.type, &len) ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &src.protocol, &len))
		return -errno;
	n = move_sock_ns(fd, 0, &src.nsfd, &src.ns_dev, &src.ns_ino);
	if (n)
		goto out;
	move_opts_read(fd, src.domain, src.type, src.vals);
	n = move_fresh_opts(w, &src, fresh);
	if (n)
		goto out;
	for (i = 0; i < MOVE_NOPTS && n < max; i++) {
		const struct move_val *v = &src.vals[i];

		if (!v->len || (fresh[i].len == v->len && !memcmp(fresh[i].v, v->v, v->len)))
			continue;
		out[n].level = move_opts[i].level;
		out[n].name = move_opts[i].name;
		out[n].len = v->len;
		memcpy(out[n].v, v->v, v->len);
		if (move_opts[i].kind == MOVE_BUF) {
			memcpy(&half, v->v, sizeof(half));
			half /= 2;
			memcpy(out[n].v, &half, sizeof(half));
			out[n].len = sizeof(half);
		}
		n++;
	}
out:
	if (src.nsfd >= 0)
		close(src.nsfd);
	return n;
}

/*
 * Set on @nfd what the program set on the old socket: for a kernel socket
 * the options that differ from @fresh (SO_RCVBUF and SO_SNDBUF read back
 * doubled, set halved), for a userspace one those recorded.  The caller
 * wears the child's credentials.  Return: 0, or -errno of the first
 * option of a kernel socket the new stack refused.
 */
int move_opts_apply(const struct move_src *src, const struct move_val *fresh, int nfd)
{
	size_t i;
	int k;

	if (src->user) {
		for (k = 0; k < src->rec.nopts; k++)
			if (setsockopt(nfd, src->rec.opts[k].level, src->rec.opts[k].name,
				       src->rec.opts[k].v, src->rec.opts[k].len))
				debug("moved socket: option %d/%d recorded from the userspace stack not taken: %s",
				      src->rec.opts[k].level, src->rec.opts[k].name, strerror(errno));
		return 0;
	}
	for (i = 0; i < MOVE_NOPTS; i++) {
		const struct move_val *v = &src->vals[i];
		int half;

		if (!v->len || (fresh[i].len == v->len && !memcmp(fresh[i].v, v->v, v->len)))
			continue;
		if (move_opts[i].kind == MOVE_BUF) {
			memcpy(&half, v->v, sizeof(half));
			half /= 2;
			if (!setsockopt(nfd, move_opts[i].level, move_opts[i].name, &half,
					sizeof(half)))
				continue;
		} else if (!setsockopt(nfd, move_opts[i].level, move_opts[i].name, v->v, v->len)) {
			continue;
		}
		warn("moved socket: %s cannot be set in the new stack: %s", move_opts[i].text,
		     strerror(errno));
		return -errno;
	}
	return 0;
}
