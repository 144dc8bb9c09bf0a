// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * semantics - the kernel's socket semantics, checked in whatever stack
 * this program's sockets live in
 *
 * semantics LOCAL4 LOCAL6 PEER4 PEER6 PEERPORT
 *
 * LOCAL4/LOCAL6 are addresses of the stack the program runs in (its own
 * servers listen there; check_loopback() uses 127.0.0.1 and ::1), PEER4/PEER6
 * a kernel peer on the other side of the link, with a TCP and UDP echo on
 * PEERPORT and nothing on PEERPORT + 1.  PEER + 0x62 ("b") must be an
 * on-link address that nobody holds (a connect there stays in progress).
 * No route leaves the link: 198.51.100.1 and 2001:db8::1 are unreachable.
 *
 * One line per check: "ok NAME", "FAIL NAME: got X, want Y", or
 * "skip NAME: reason" for what cannot be checked the same way in every
 * stack.  Lines carry no ports or other values that differ from run to
 * run, so that two runs (a kernel namespace, lwIP) can be compared line
 * for line.  Exit status: the number of failures.
 *
 * Waits are bounded (WAIT_MS) but never timed: a check fails on the
 * wrong answer, not on a slow one.
 */
#include "progs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>

#define WAIT_MS		10000

/*
 * Addresses are struct sockaddr_storage, read and written as sockaddr_in
 * and sockaddr_in6 as the socket API does: not for type-based alias
 * analysis.
 */
#pragma GCC optimize("no-strict-aliasing")

static int failures;
static volatile sig_atomic_t sigpipes;

/* One address family's addresses, from the command line. */
struct fam {
	int af;
	const char *tag;		/* "4", "6" */
	struct sockaddr_storage local, peer, silent, unreach, foreign;
	socklen_t len;
	int peerport;
};

/* ---- reporting ---------------------------------------------------------- */

/* sem_ok() - print "ok NAME-TAG" */
static void sem_ok(const char *name, const char *tag)
{
	printf("ok %s%s\n", name, tag);
}

/* sem_fail() - print "FAIL NAME-TAG: got X, want Y" and count it */
static void sem_fail(const char *name, const char *tag, const char *got, const char *want)
{
	printf("FAIL %s%s: got %s, want %s\n", name, tag, got, want);
	failures++;
}

/* sem_skip() - print "skip NAME: why" */
static void sem_skip(const char *name, const char *why)
{
	printf("skip %s: %s\n", name, why);
}

/* sem_int() - check an integer */
static void sem_int(const char *name, const char *tag, long got, long want)
{
	char g[32], w[32];

	if (got == want) {
		sem_ok(name, tag);
		return;
	}
	snprintf(g, sizeof(g), "%ld", got);
	snprintf(w, sizeof(w), "%ld", want);
	sem_fail(name, tag, g, w);
}

/* errno's name, or "success" for 0 */
static const char *sem_errname(int e)
{
	const char *n;

	if (!e)
		return "success";
	n = strerrorname_np(e);
	return n ? n : "unknown errno";
}

/*
 * sem_err() - check that a call failed with @want (0: that it succeeded)
 * @rc:		the call's return value; errno is read when it is < 0
 */
static void sem_err(const char *name, const char *tag, long rc, int want)
{
	int e = rc < 0 ? errno : 0;

	if (e == want) {
		sem_ok(name, tag);
		return;
	}
	sem_fail(name, tag, sem_errname(e), sem_errname(want));
}

/* sem_err_val() - an errno value (SO_ERROR) against @want */
static void sem_err_val(const char *name, const char *tag, int e, int want)
{
	if (e == want)
		sem_ok(name, tag);
	else
		sem_fail(name, tag, sem_errname(e), sem_errname(want));
}

/* poll's bits as text */
static const char *sem_events(short ev, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", ev & POLLIN ? "IN " : "", ev & POLLOUT ? "OUT " : "",
		 ev & POLLHUP ? "HUP " : "", ev & POLLERR ? "ERR " : "");
	if (!*buf)
		snprintf(buf, len, "none");
	return buf;
}

/* sem_ev() - check readiness bits, masked with @mask */
static void sem_ev(const char *name, const char *tag, short got, short want, short mask)
{
	char g[32], w[32];

	got &= mask;
	if (got == want)
		sem_ok(name, tag);
	else
		sem_fail(name, tag, sem_events(got, g, sizeof(g)), sem_events(want, w, sizeof(w)));
}

/* ---- addresses ------------------------------------------------------------ */

/* sem_addr() - @text and @port into @ss (family @af); -1 if it does not parse */
static int sem_addr(int af, const char *text, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		return inet_pton(AF_INET, text, &sin->sin_addr) == 1 ? 0 : -1;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1 ? 0 : -1;
	}
}

/* the port of @ss */
static int sem_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* @ss with port @port */
static struct sockaddr_storage sem_with_port(const struct sockaddr_storage *ss, int port)
{
	struct sockaddr_storage r = *ss;

	if (r.ss_family == AF_INET)
		((struct sockaddr_in *)&r)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&r)->sin6_port = htons((uint16_t)port);
	return r;
}

/* ADDR:PORT (or "[ADDR]:PORT") of @ss, "?" for what is not IP */
static const char *sem_ntop(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%d", a, sem_port(ss));
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%d", a, sem_port(ss));
	} else {
		snprintf(buf, len, "family %d", ss->ss_family);
	}
	return buf;
}

/* same family, address and port (the scope of a link-local address aside) */
static bool sem_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family || sem_port(a) != sem_port(b))
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

/*
 * sem_addr_is() - check an address and its length; the lines carry no
 * ports, so a mismatch names both addresses
 */
static void sem_addr_is(const char *name, const char *tag, const struct sockaddr_storage *got,
			socklen_t glen, const struct sockaddr_storage *want)
{
	socklen_t wlen = want->ss_family == AF_INET ? sizeof(struct sockaddr_in)
						    : sizeof(struct sockaddr_in6);
	char g[80], w[80];

	if (glen == wlen && sem_same(got, want)) {
		sem_ok(name, tag);
		return;
	}
	sem_ntop(got, g, sizeof(g));
	if (glen != wlen)
		snprintf(g + strlen(g), sizeof(g) - strlen(g), " (length %u)", (unsigned)glen);
	sem_fail(name, tag, g, sem_ntop(want, w, sizeof(w)));
}

/* getsockname() or getpeername(), zeroed on failure */
static socklen_t sem_name(int fd, bool peer, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);
	int rc;

	memset(ss, 0, sizeof(*ss));
	rc = peer ? getpeername(fd, (struct sockaddr *)ss, &len)
		  : getsockname(fd, (struct sockaddr *)ss, &len);
	if (rc < 0) {
		memset(ss, 0, sizeof(*ss));
		return 0;
	}
	return len;
}

/* the v4-mapped IPv6 form of an IPv4 sockaddr */
static struct sockaddr_storage sem_mapped(const struct sockaddr_storage *v4)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)v4;
	struct sockaddr_storage r;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&r;

	memset(&r, 0, sizeof(r));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = sin->sin_port;
	sin6->sin6_addr.s6_addr[10] = 0xff;
	sin6->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&sin6->sin6_addr.s6_addr[12], &sin->sin_addr, 4);
	return r;
}

/* ---- sockets --------------------------------------------------------------- */

/* an int socket option, or -1000 - errno */
static int sem_getopt(int fd, int level, int name)
{
	int v = 0;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -1000 - errno;
	return v;
}

/* setsockopt of an int */
static int sem_setopt(int fd, int level, int name, int v)
{
	return setsockopt(fd, level, name, &v, sizeof(v));
}

/*
 * poll one descriptor until one of @events (or HUP/ERR), at most WAIT_MS;
 * @events 0 waits for POLLHUP or POLLERR alone (a reset: EOF is readable
 * already, and the reset may come later, as it does from lwIP)
 */
static short sem_wait(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (poll(&p, 1, WAIT_MS) <= 0)
		return 0;
	return p.revents;
}

/* poll one descriptor now */
static short sem_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, 0) <= 0)
		return 0;
	return p.revents;
}

/*
 * connect() again until the attempt in progress is over (EALREADY while it
 * lasts, at most WAIT_MS): its outcome, as a program that does not poll
 * learns it
 */
static int sem_connect_done(int fd, const struct sockaddr_storage *to, socklen_t len)
{
	int i, rc = -1;

	for (i = 0; i < WAIT_MS / 10; i++) {
		rc = connect(fd, (const struct sockaddr *)to, len);
		if (rc == 0 || errno != EALREADY)
			break;
		usleep(10000);
	}
	return rc;
}

/* a TCP listener on LOCAL:@port (0: any), with @backlog; -1 on failure */
static int sem_listener(const struct fam *f, int port, int backlog, bool reuse)
{
	struct sockaddr_storage a = sem_with_port(&f->local, port);
	int fd = socket(f->af, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if ((reuse && sem_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0) ||
	    bind(fd, (struct sockaddr *)&a, f->len) < 0 || listen(fd, backlog) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* the port a socket is bound to */
static int sem_local_port(int fd)
{
	struct sockaddr_storage ss;

	sem_name(fd, false, &ss);
	return sem_port(&ss);
}

/* a blocking TCP client connected to @to; -1 on failure */
static int sem_client(int af, const struct sockaddr_storage *to, socklen_t len)
{
	int fd = socket(af, SOCK_STREAM, 0);

	if (fd >= 0 && connect(fd, (const struct sockaddr *)to, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* a connected pair through a listener @l on LOCAL: client *c, accepted *a */
static int sem_pair(const struct fam *f, int l, int *c, int *a)
{
	struct sockaddr_storage to = sem_with_port(&f->local, sem_local_port(l));

	*c = sem_client(f->af, &to, f->len);
	*a = *c < 0 ? -1 : accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (*a < 0) {
		if (*c >= 0)
			close(*c);
		return -1;
	}
	return 0;
}

/* read exactly @len bytes, or fail */
static ssize_t sem_read(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, (char *)buf + done, len - done);
		if (n <= 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* a UDP socket bound to LOCAL:0 (or @any: the wildcard) */
static int sem_udp(const struct fam *f, bool any)
{
	struct sockaddr_storage a = sem_with_port(&f->local, 0);
	int fd = socket(f->af, SOCK_DGRAM, 0);

	if (any)
		sem_addr(f->af, f->af == AF_INET ? "0.0.0.0" : "::", 0, &a);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, f->len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- the checks ------------------------------------------------------------ */

/* SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN of fresh sockets */
static void check_types(const struct fam *f)
{
	int t = socket(f->af, SOCK_STREAM, 0), u = socket(f->af, SOCK_DGRAM, 0);
	char buf[1];

	sem_int("so-type-tcp", f->tag, sem_getopt(t, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	sem_int("so-domain-tcp", f->tag, sem_getopt(t, SOL_SOCKET, SO_DOMAIN), f->af);
	sem_int("so-protocol-tcp", f->tag, sem_getopt(t, SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP);
	sem_int("so-acceptconn-unbound", f->tag, sem_getopt(t, SOL_SOCKET, SO_ACCEPTCONN), 0);
	sem_int("so-type-udp", f->tag, sem_getopt(u, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	sem_int("so-domain-udp", f->tag, sem_getopt(u, SOL_SOCKET, SO_DOMAIN), f->af);
	sem_int("so-protocol-udp", f->tag, sem_getopt(u, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP);
	sem_err("getpeername-unconnected", f->tag,
		getpeername(t, (struct sockaddr *)&(struct sockaddr_storage){ 0 },
			    &(socklen_t){ sizeof(struct sockaddr_storage) }), ENOTCONN);
	sem_err("shutdown-unconnected", f->tag, shutdown(t, SHUT_WR), ENOTCONN);
	/* never connected: a socket of a stack is a kernel one till then */
	sem_err("recv-unconnected", f->tag, recv(t, buf, 1, MSG_DONTWAIT), ENOTCONN);
	sem_err("send-unconnected", f->tag, send(t, "x", 1, MSG_NOSIGNAL), EPIPE);
	sem_err("udp-send-no-destination", f->tag, send(u, "x", 1, 0), EDESTADDRREQ);
	close(t);
	close(u);
	sem_skip("recv-bound-unconnected",
		 "a TCP socket that bound and never connected is the daemon's socketpair, whose recv() says EAGAIN (the kernel: ENOTCONN)");
}

/* options: set, then read back */
static void check_options(const struct fam *f)
{
	int t = socket(f->af, SOCK_STREAM, 0);

	sem_int("tcp-nodelay-default", f->tag, sem_getopt(t, IPPROTO_TCP, TCP_NODELAY), 0);
	sem_setopt(t, IPPROTO_TCP, TCP_NODELAY, 1);
	sem_int("tcp-nodelay-set", f->tag, sem_getopt(t, IPPROTO_TCP, TCP_NODELAY), 1);
	sem_int("so-keepalive-default", f->tag, sem_getopt(t, SOL_SOCKET, SO_KEEPALIVE), 0);
	sem_setopt(t, SOL_SOCKET, SO_KEEPALIVE, 1);
	sem_int("so-keepalive-set", f->tag, sem_getopt(t, SOL_SOCKET, SO_KEEPALIVE), 1);
	sem_int("so-reuseaddr-default", f->tag, sem_getopt(t, SOL_SOCKET, SO_REUSEADDR), 0);
	sem_setopt(t, SOL_SOCKET, SO_REUSEADDR, 1);
	sem_int("so-reuseaddr-set", f->tag, sem_getopt(t, SOL_SOCKET, SO_REUSEADDR), 1);
	sem_int("so-reuseport-default", f->tag, sem_getopt(t, SOL_SOCKET, SO_REUSEPORT), 0);
	sem_setopt(t, SOL_SOCKET, SO_REUSEPORT, 1);
	sem_int("so-reuseport-set", f->tag, sem_getopt(t, SOL_SOCKET, SO_REUSEPORT), 1);
	sem_setopt(t, SOL_SOCKET, SO_RCVBUF, 65536);
	sem_int("so-rcvbuf-doubled", f->tag, sem_getopt(t, SOL_SOCKET, SO_RCVBUF), 131072);
	sem_setopt(t, SOL_SOCKET, SO_SNDBUF, 65536);
	sem_int("so-sndbuf-doubled", f->tag, sem_getopt(t, SOL_SOCKET, SO_SNDBUF), 131072);
	close(t);
}

/* listen, connect, accept4: names on both sides, the flags of new fds */
static void check_connect_accept(const struct fam *f)
{
	struct sockaddr_storage ln, cn, cp, an, ap, from, want;
	socklen_t fromlen = sizeof(from), l1, l2, l3, l4, l5;
	int l, c, a, n, fl;
	char buf[8];

	l = sem_listener(f, 0, 8, false);
	sem_int("listen", f->tag, l >= 0, 1);
	if (l < 0)
		return;
	l1 = sem_name(l, false, &ln);
	want = sem_with_port(&f->local, sem_port(&ln));
	sem_int("listener-port-chosen", f->tag, sem_port(&ln) != 0, 1);
	sem_addr_is("listener-name", f->tag, &ln, l1, &want);
	sem_int("so-acceptconn-listening", f->tag, sem_getopt(l, SOL_SOCKET, SO_ACCEPTCONN), 1);
	fcntl(l, F_SETFL, O_NONBLOCK);
	sem_err("accept-nonblock-empty", f->tag, accept4(l, NULL, NULL, 0), EAGAIN);
	fcntl(l, F_SETFL, 0);

	/* a blocking connect; accept4 without flags */
	c = sem_client(f->af, &ln, f->len);
	sem_int("connect-blocking", f->tag, c >= 0, 1);
	a = accept4(l, (struct sockaddr *)&from, &fromlen, 0);
	sem_int("accept4-plain", f->tag, a >= 0, 1);
	if (c < 0 || a < 0)
		goto out;
	fl = fcntl(a, F_GETFL);
	sem_int("accept4-plain-blocking", f->tag, !!(fl & O_NONBLOCK), 0);
	sem_int("accept4-plain-no-cloexec", f->tag, !!(fcntl(a, F_GETFD) & FD_CLOEXEC), 0);
	l2 = sem_name(c, false, &cn);
	l3 = sem_name(c, true, &cp);
	l4 = sem_name(a, false, &an);
	l5 = sem_name(a, true, &ap);
	sem_addr_is("client-peer-is-listener", f->tag, &cp, l3, &ln);
	sem_addr_is("accepted-name-is-listener", f->tag, &an, l4, &ln);
	sem_addr_is("accepted-peer-is-client", f->tag, &ap, l5, &cn);
	sem_addr_is("accept-address-is-client", f->tag, &from, fromlen, &cn);
	want = sem_with_port(&f->local, sem_port(&cn));
	sem_int("client-name-local", f->tag, l2 && sem_same(&cn, &want), 1);
	sem_int("so-acceptconn-accepted", f->tag, sem_getopt(a, SOL_SOCKET, SO_ACCEPTCONN), 0);
	sem_int("so-error-connected", f->tag, sem_getopt(c, SOL_SOCKET, SO_ERROR), 0);

	/* bytes both ways, FIONREAD */
	n = (int)write(c, "ping", 4);
	sem_int("write-client", f->tag, n, 4);
	sem_int("read-accepted", f->tag, sem_read(a, buf, 4) == 4 && !memcmp(buf, "ping", 4), 1);
	sem_int("write-accepted", f->tag, write(a, "pong!", 5), 5);
	sem_ev("readable-with-data", f->tag, sem_wait(c, POLLIN), POLLIN, POLLIN);
	n = -1;
	sem_err("fionread-tcp-call", f->tag, ioctl(c, FIONREAD, &n), 0);
	sem_int("fionread-tcp", f->tag, n, 5);
	sem_int("read-client", f->tag, sem_read(c, buf, 5) == 5 && !memcmp(buf, "pong!", 5), 1);
	n = -1;
	ioctl(c, FIONREAD, &n);
	sem_int("fionread-tcp-drained", f->tag, n, 0);
	sem_skip(f->af == AF_INET ? "siocoutq-tcp4" : "siocoutq-tcp6",
		 "SIOCOUTQ counts TCP's unacknowledged bytes in the kernel; a TCP "
		 "socket's ioctl reaches its socketpair end, which counts its own");
	sem_err("connect-again-isconn", f->tag, connect(c, (struct sockaddr *)&ln, f->len), EISCONN);
	/* SO_LINGER {1, 0}: close() resets the connection */
	sem_err("so-linger-zero", f->tag, setsockopt(c, SOL_SOCKET, SO_LINGER,
		&(struct linger){ .l_onoff = 1, .l_linger = 0 }, sizeof(struct linger)), 0);
	sem_int("so-linger-read-back", f->tag, ({
		struct linger lg = { 0 };
		socklen_t ll = sizeof(lg);
		getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &ll) ? -1 : lg.l_onoff * 10 + lg.l_linger;
	}), 10);
	close(c);
	sem_ev("so-linger-peer-readable", f->tag, sem_wait(a, POLLIN), POLLIN, POLLIN);
	/* a reset, not a FIN (read() itself: reset-read-econnreset below) */
	sem_err_val("so-linger-peer-reset", f->tag, sem_getopt(a, SOL_SOCKET, SO_ERROR),
		    ECONNRESET);
	close(a);

	/* a non-blocking connect; accept4 with both flags */
	c = socket(f->af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sem_err("connect-nonblock-inprogress", f->tag,
		connect(c, (struct sockaddr *)&ln, f->len), EINPROGRESS);
	sem_ev("connect-nonblock-writable", f->tag, sem_wait(c, POLLOUT), POLLOUT, POLLOUT | POLLERR);
	sem_int("connect-nonblock-so-error", f->tag, sem_getopt(c, SOL_SOCKET, SO_ERROR), 0);
	l3 = sem_name(c, true, &cp);
	sem_addr_is("connect-nonblock-peer", f->tag, &cp, l3, &ln);
	/* the connect() that asks after it is done says 0, the next EISCONN */
	sem_err("connect-nonblock-done", f->tag, connect(c, (struct sockaddr *)&ln, f->len), 0);
	sem_err("connect-nonblock-then-isconn", f->tag,
		connect(c, (struct sockaddr *)&ln, f->len), EISCONN);
	sem_ev("listener-readable-pending", f->tag, sem_wait(l, POLLIN), POLLIN, POLLIN | POLLOUT);
	sem_skip(f->af == AF_INET ? "fionread-listener4" : "fionread-listener6",
		 "FIONREAD on a listener fails with EINVAL in the kernel; netsup gives a "
		 "TCP socket's ioctl to its socketpair end, which counts the pending "
		 "connections' marker bytes");
	a = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	sem_int("accept4-flags", f->tag, a >= 0, 1);
	sem_int("accept4-flags-nonblock", f->tag, a >= 0 && (fcntl(a, F_GETFL) & O_NONBLOCK), 1);
	sem_int("accept4-flags-cloexec", f->tag, a >= 0 && (fcntl(a, F_GETFD) & FD_CLOEXEC), 1);
	sem_err("read-nonblock-empty", f->tag, read(a, buf, 1), EAGAIN);
	sem_ev("listener-not-readable", f->tag, sem_now(l), 0, POLLIN | POLLOUT);
	sem_err("accept4-bad-flags", f->tag, accept4(l, NULL, NULL, O_APPEND), EINVAL);
	close(c);
	if (a >= 0)
		close(a);
out:
	if (c >= 0 && a < 0)
		close(c);
	close(l);
}

/* listen(2)'s backlog: backlog 1 holds two established connections */
static void check_backlog(const struct fam *f)
{
	int l = sem_listener(f, 0, 1, false), c1, c2, a1, a2;
	struct sockaddr_storage to;

	if (l < 0) {
		sem_int("backlog-listen", f->tag, 0, 1);
		return;
	}
	to = sem_with_port(&f->local, sem_local_port(l));
	c1 = sem_client(f->af, &to, f->len);
	c2 = sem_client(f->af, &to, f->len);
	sem_int("backlog-1-holds-2", f->tag, c1 >= 0 && c2 >= 0, 1);
	a1 = accept(l, NULL, NULL);
	a2 = accept(l, NULL, NULL);
	sem_int("backlog-both-accepted", f->tag, a1 >= 0 && a2 >= 0, 1);
	sem_int("backlog-first-first", f->tag, a1 >= 0 && c1 >= 0 && write(c1, "1", 1) == 1 &&
		sem_read(a1, (char[1]){ 0 }, 1) == 1, 1);
	close(c1);
	close(c2);
	close(a1);
	close(a2);
	close(l);
	sem_skip(f->af == AF_INET ? "backlog-overflow4" : "backlog-overflow6",
		 "beyond backlog + 1 the kernel drops the SYN (the connect stays in "
		 "progress) while lwIP, which reports connections only once established, "
		 "resets them");
}

/* the errors: refused, unreachable, address in use, not available */
static void check_errors(const struct fam *f)
{
	struct sockaddr_storage closed = sem_with_port(&f->peer, f->peerport + 1);
	int l, c, fd;

	/* a port nobody listens on, locally and at the peer */
	l = sem_listener(f, 0, 1, false);
	{
		struct sockaddr_storage here = sem_with_port(&f->local, sem_local_port(l));

		close(l);
		c = socket(f->af, SOCK_STREAM, 0);
		sem_err("econnrefused-local", f->tag, connect(c, (struct sockaddr *)&here, f->len),
			ECONNREFUSED);
		close(c);
	}
	c = socket(f->af, SOCK_STREAM, 0);
	sem_err("econnrefused-peer", f->tag, connect(c, (struct sockaddr *)&closed, f->len),
		ECONNREFUSED);
	close(c);
	c = socket(f->af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sem_err("econnrefused-nonblock-inprogress", f->tag,
		connect(c, (struct sockaddr *)&closed, f->len), EINPROGRESS);
	sem_ev("econnrefused-nonblock-writable", f->tag, sem_wait(c, POLLOUT), POLLOUT, POLLOUT);
	sem_err_val("econnrefused-nonblock-so-error", f->tag,
		    sem_getopt(c, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
	sem_err_val("so-error-cleared", f->tag, sem_getopt(c, SOL_SOCKET, SO_ERROR), 0);
	/* connect() after the refusal: the error, ECONNABORTED once SO_ERROR
	 * took it (__inet_stream_connect()), then a new attempt */
	sem_err("econnrefused-then-connect-aborted", f->tag,
		connect(c, (struct sockaddr *)&closed, f->len), ECONNABORTED);
	sem_err("econnrefused-aborted-then-inprogress", f->tag,
		connect(c, (struct sockaddr *)&closed, f->len), EINPROGRESS);
	sem_err("econnrefused-aborted-again-refused", f->tag,
		sem_connect_done(c, &closed, f->len), ECONNREFUSED);
	close(c);
	c = socket(f->af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	connect(c, (struct sockaddr *)&closed, f->len);
	sem_wait(c, POLLOUT);
	sem_err("econnrefused-then-connect-refused", f->tag,
		connect(c, (struct sockaddr *)&closed, f->len), ECONNREFUSED);
	sem_err_val("econnrefused-connect-took-so-error", f->tag,
		    sem_getopt(c, SOL_SOCKET, SO_ERROR), 0);
	sem_err("econnrefused-refused-then-inprogress", f->tag,
		connect(c, (struct sockaddr *)&closed, f->len), EINPROGRESS);
	sem_err("econnrefused-again-refused", f->tag,
		sem_connect_done(c, &closed, f->len), ECONNREFUSED);
	close(c);
	sem_skip(f->af == AF_INET ? "econnrefused-nonblock-pollerr4" : "econnrefused-nonblock-pollerr6",
		 "a refused non-blocking connect polls IN|OUT|ERR|HUP in the kernel, OUT alone "
		 "through the socketpair: af_unix sets POLLERR and POLLHUP on the program's "
		 "end only when the daemon closes its own, and the socket may connect again");

	/* no route */
	c = socket(f->af, SOCK_STREAM, 0);
	sem_err("enetunreach-tcp", f->tag, connect(c, (struct sockaddr *)&f->unreach, f->len),
		ENETUNREACH);
	close(c);
	c = socket(f->af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sem_err("enetunreach-tcp-nonblock", f->tag,
		connect(c, (struct sockaddr *)&f->unreach, f->len), ENETUNREACH);
	close(c);
	fd = socket(f->af, SOCK_DGRAM, 0);
	sem_err("enetunreach-udp", f->tag, sendto(fd, "x", 1, 0, (struct sockaddr *)&f->unreach,
						  f->len), ENETUNREACH);
	close(fd);

	/* addresses in use, and not ours */
	l = sem_listener(f, 0, 1, true);
	{
		struct sockaddr_storage here = sem_with_port(&f->local, sem_local_port(l));

		fd = socket(f->af, SOCK_STREAM, 0);
		sem_err("eaddrinuse", f->tag, bind(fd, (struct sockaddr *)&here, f->len), EADDRINUSE);
		close(fd);
		fd = socket(f->af, SOCK_STREAM, 0);
		sem_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
		sem_err("eaddrinuse-reuseaddr-listener", f->tag,
			bind(fd, (struct sockaddr *)&here, f->len), EADDRINUSE);
		close(fd);
		fd = socket(f->af, SOCK_DGRAM, 0);
		sem_err("udp-port-own-namespace", f->tag, bind(fd, (struct sockaddr *)&here, f->len), 0);
		close(fd);
	}
	close(l);
	fd = socket(f->af, SOCK_DGRAM, 0);
	sem_err("eaddrnotavail", f->tag, bind(fd, (struct sockaddr *)&f->foreign, f->len),
		EADDRNOTAVAIL);
	close(fd);
	sem_skip(f->af == AF_INET ? "etimedout4" : "etimedout6",
		 "a SYN that is never answered takes minutes to time out in lwIP "
		 "(no TCP_SYNCNT); the kernel takes over two minutes by default");
}

/* SO_REUSEADDR: a port whose last connection is closing is free with it */
static void check_reuseaddr(const struct fam *f)
{
	int l = sem_listener(f, 0, 4, true), c, a, fd;
	struct sockaddr_storage here;
	char b;

	if (l < 0 || sem_pair(f, l, &c, &a) < 0) {
		sem_int("reuseaddr-setup", f->tag, 0, 1);
		return;
	}
	here = sem_with_port(&f->local, sem_local_port(l));
	close(l);
	close(a);			/* the server closes first: TIME_WAIT is its */
	sem_int("reuseaddr-peer-eof", f->tag, read(c, &b, 1), 0);
	close(c);
	fd = socket(f->af, SOCK_STREAM, 0);
	sem_err("reuseaddr-without", f->tag, bind(fd, (struct sockaddr *)&here, f->len), EADDRINUSE);
	close(fd);
	fd = socket(f->af, SOCK_STREAM, 0);
	sem_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	sem_err("reuseaddr-with", f->tag, bind(fd, (struct sockaddr *)&here, f->len), 0);
	sem_err("reuseaddr-listen", f->tag, listen(fd, 1), 0);
	close(fd);
}

/* close(2) frees a port at once: a listener's, a UDP socket's */
static void check_close_bind(const struct fam *f)
{
	int l = sem_listener(f, 0, 4, false), u = sem_udp(f, false), fd;
	struct sockaddr_storage a;

	if (l < 0 || u < 0) {
		sem_int("close-bind-setup", f->tag, 0, 1);
		return;
	}
	a = sem_with_port(&f->local, sem_local_port(l));
	close(l);
	fd = socket(f->af, SOCK_STREAM, 0);
	sem_err("close-then-bind-tcp", f->tag, bind(fd, (struct sockaddr *)&a, f->len), 0);
	sem_err("close-then-listen-tcp", f->tag, listen(fd, 1), 0);
	close(fd);
	a = sem_with_port(&f->local, sem_local_port(u));
	close(u);
	fd = socket(f->af, SOCK_DGRAM, 0);
	sem_err("close-then-bind-udp", f->tag, bind(fd, (struct sockaddr *)&a, f->len), 0);
	close(fd);
	sem_skip(f->af == AF_INET ? "so-reuseport-two-listeners4" : "so-reuseport-two-listeners6",
		 "two listeners with SO_REUSEPORT share a port in the kernel; lwIP has one "
		 "listener per port (the option is read back only)");
}

/* shutdown(2) both ways */
static void check_shutdown(const struct fam *f)
{
	int l = sem_listener(f, 0, 4, false), c, a;
	char buf[8];

	if (l < 0 || sem_pair(f, l, &c, &a) < 0) {
		sem_int("shutdown-setup", f->tag, 0, 1);
		return;
	}
	sem_err("shut-wr", f->tag, shutdown(c, SHUT_WR), 0);
	sem_int("shut-wr-peer-eof", f->tag, read(a, buf, sizeof(buf)), 0);
	sem_err("shut-wr-write-epipe", f->tag, send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	sem_int("shut-wr-other-way", f->tag, write(a, "back", 4) == 4 &&
		sem_read(c, buf, 4) == 4 && !memcmp(buf, "back", 4), 1);
	sem_err("shut-rd", f->tag, shutdown(a, SHUT_RD), 0);
	sem_ev("shut-rd-readable", f->tag, sem_now(a), POLLIN | POLLOUT, POLLIN | POLLOUT);
	sem_int("shut-rd-eof", f->tag, recv(a, buf, sizeof(buf), MSG_DONTWAIT), 0);
	sem_int("shut-rd-still-writes", f->tag, write(a, "more", 4) == 4 &&
		sem_read(c, buf, 4) == 4 && !memcmp(buf, "more", 4), 1);
	sem_err("shut-bad-how", f->tag, shutdown(a, 7), EINVAL);
	close(a);
	sem_int("close-peer-eof", f->tag, read(c, buf, sizeof(buf)), 0);
	close(c);
	close(l);
}

static void sem_on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* close from either side: EOF, a reset, EPIPE with and without SIGPIPE */
static void check_close(const struct fam *f)
{
	int l = sem_listener(f, 0, 4, false), c, a;
	char buf[16];

	if (l < 0 || sem_pair(f, l, &c, &a) < 0) {
		sem_int("close-setup", f->tag, 0, 1);
		return;
	}
	/* the server closes: EOF, then a write draws a reset, then EPIPE */
	close(a);
	sem_int("closed-peer-eof", f->tag, read(c, buf, sizeof(buf)), 0);
	sem_int("closed-peer-first-write", f->tag, write(c, "x", 1), 1);
	sem_ev("closed-peer-reset-hup", f->tag, sem_wait(c, 0), POLLHUP, POLLHUP);
	/* a reset after the peer's FIN (CLOSE_WAIT) is EPIPE (tcp_reset()) */
	sem_err_val("closed-peer-reset-so-error", f->tag, sem_getopt(c, SOL_SOCKET, SO_ERROR),
		    EPIPE);
	sigpipes = 0;
	sem_err("epipe-sigpipe-errno", f->tag, write(c, "y", 1), EPIPE);
	sem_int("epipe-sigpipe-signal", f->tag, sigpipes, 1);
	sem_err("epipe-nosignal-errno", f->tag, send(c, "z", 1, MSG_NOSIGNAL), EPIPE);
	sem_int("epipe-nosignal-no-signal", f->tag, sigpipes, 1);
	sem_skip(f->af == AF_INET ? "epipe-so-error-cleared4" : "epipe-so-error-cleared6",
		 "after a reset the kernel's first read or write takes the error and "
		 "SO_ERROR is 0 after it; the program's writes to its socketpair end fail "
		 "with EPIPE unseen by the daemon, whose SO_ERROR keeps the error until read");
	close(c);

	/* the server closes with bytes unread: a reset */
	if (sem_pair(f, l, &c, &a) < 0) {
		sem_int("reset-setup", f->tag, 0, 1);
		close(l);
		return;
	}
	sem_int("reset-write", f->tag, write(c, "unread", 6), 6);
	sem_ev("reset-arrived", f->tag, sem_wait(a, POLLIN), POLLIN, POLLIN);
	close(a);
	sem_ev("reset-hup", f->tag, sem_wait(c, 0), POLLHUP, POLLHUP);
	sem_err_val("reset-so-error", f->tag, sem_getopt(c, SOL_SOCKET, SO_ERROR), ECONNRESET);
	sem_int("reset-then-eof", f->tag, read(c, buf, sizeof(buf)), 0);
	sem_skip(f->af == AF_INET ? "reset-read-econnreset4" : "reset-read-econnreset6",
		 "read() right after a reset fails with ECONNRESET in the kernel; through "
		 "a socketpair the program reads EOF (SO_ERROR tells ECONNRESET, as checked)");

	sem_skip(f->af == AF_INET ? "tcp-msg-oob4" : "tcp-msg-oob6",
		 "send(MSG_OOB) is TCP urgent data in the kernel; a TCP socket's send() "
		 "reaches its socketpair end, where it is af_unix's out-of-band byte, "
		 "not TCP's urgent data");

	/* the client closes: the server reads EOF */
	if (sem_pair(f, l, &c, &a) == 0) {
		close(c);
		sem_int("client-closed-eof", f->tag, read(a, buf, sizeof(buf)), 0);
		close(a);
	}
	close(l);
}

/* a connect that stays in progress: to an on-link address nobody holds */
static int sem_stuck(const struct fam *f)
{
	int c = socket(f->af, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (connect(c, (struct sockaddr *)&f->silent, f->len) == 0 || errno != EINPROGRESS) {
		close(c);
		return -1;
	}
	return c;
}

/* userspace sockets and kernel fds in one poll, epoll and select set */
static void check_readiness(const struct fam *f)
{
	enum { PIPE_R, PIPE_W, EV_SET, EV_ZERO, TCP_DATA, TCP_IDLE, LISTEN_PENDING,
	       LISTEN_EMPTY, CONNECTING, UDP_DATA, UDP_IDLE, NFDS };
	static const char *const names[NFDS] = {
		"pipe-r", "pipe-w", "eventfd-set", "eventfd-zero", "tcp-data", "tcp-idle",
		"listener-pending", "listener-empty", "connecting", "udp-data", "udp-idle",
	};
	static const short want[NFDS] = {
		POLLIN, POLLOUT, POLLIN | POLLOUT, POLLOUT, POLLIN | POLLOUT, POLLOUT,
		POLLIN, 0, 0, POLLIN | POLLOUT, POLLOUT,
	};
	int fd[NFDS], p[2], l, l2, c, a, extra, ep, i, n, maxfd = 0;
	struct pollfd pf[NFDS];
	struct epoll_event ev[NFDS];
	short got[NFDS];
	fd_set rs, ws;
	struct sockaddr_storage to;
	char name[64];

	if (pipe(p) < 0 || write(p[1], "p", 1) != 1)
		return;
	fd[PIPE_R] = p[0];
	fd[PIPE_W] = p[1];
	fd[EV_SET] = eventfd(1, 0);
	fd[EV_ZERO] = eventfd(0, 0);
	l = sem_listener(f, 0, 4, false);
	l2 = sem_listener(f, 0, 4, false);
	if (sem_pair(f, l, &c, &a) < 0 || write(a, "d", 1) != 1) {
		sem_int("readiness-setup", f->tag, 0, 1);
		return;
	}
	sem_wait(c, POLLIN);
	fd[TCP_DATA] = c;
	fd[TCP_IDLE] = a;
	to = sem_with_port(&f->local, sem_local_port(l));
	extra = sem_client(f->af, &to, f->len);
	sem_wait(l, POLLIN);
	fd[LISTEN_PENDING] = l;
	fd[LISTEN_EMPTY] = l2;
	fd[CONNECTING] = sem_stuck(f);
	fd[UDP_DATA] = sem_udp(f, false);
	fd[UDP_IDLE] = sem_udp(f, false);
	to = sem_with_port(&f->local, sem_local_port(fd[UDP_DATA]));
	sendto(fd[UDP_IDLE], "u", 1, 0, (struct sockaddr *)&to, f->len);
	sem_wait(fd[UDP_DATA], POLLIN);
	for (i = 0; i < NFDS; i++) {
		if (fd[i] < 0) {
			snprintf(name, sizeof(name), "readiness-setup-%s", names[i]);
			sem_int(name, f->tag, fd[i], 0);
			return;
		}
		if (fd[i] > maxfd)
			maxfd = fd[i];
	}

	/* poll */
	for (i = 0; i < NFDS; i++)
		pf[i] = (struct pollfd){ .fd = fd[i], .events = POLLIN | POLLOUT };
	n = poll(pf, NFDS, 0);
	for (i = 0; i < NFDS; i++) {
		snprintf(name, sizeof(name), "poll-%s", names[i]);
		sem_ev(name, f->tag, pf[i].revents, want[i], POLLIN | POLLOUT);
	}
	sem_int("poll-count", f->tag, n, NFDS - 2);

	/* epoll, level-triggered */
	ep = epoll_create1(EPOLL_CLOEXEC);
	for (i = 0; i < NFDS; i++)
		epoll_ctl(ep, EPOLL_CTL_ADD, fd[i],
			  &(struct epoll_event){ .events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i });
	memset(got, 0, sizeof(got));
	n = epoll_wait(ep, ev, NFDS, 0);
	for (i = 0; i < n; i++)
		got[ev[i].data.u32] = (short)(((ev[i].events & EPOLLIN) ? POLLIN : 0) |
					      ((ev[i].events & EPOLLOUT) ? POLLOUT : 0));
	for (i = 0; i < NFDS; i++) {
		snprintf(name, sizeof(name), "epoll-%s", names[i]);
		sem_ev(name, f->tag, got[i], want[i], POLLIN | POLLOUT);
	}
	sem_int("epoll-count", f->tag, n, NFDS - 2);
	close(ep);

	/* select */
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	for (i = 0; i < NFDS; i++) {
		FD_SET(fd[i], &rs);
		FD_SET(fd[i], &ws);
	}
	n = select(maxfd + 1, &rs, &ws, NULL, &(struct timeval){ 0, 0 });
	for (i = 0; i < NFDS; i++) {
		snprintf(name, sizeof(name), "select-%s", names[i]);
		sem_ev(name, f->tag, (short)((FD_ISSET(fd[i], &rs) ? POLLIN : 0) |
					     (FD_ISSET(fd[i], &ws) ? POLLOUT : 0)),
		       want[i], POLLIN | POLLOUT);
	}
	sem_int("select-count", f->tag, n, 12);	/* bits set in both sets */

	/* a blocking poll wakes up when a userspace socket becomes ready */
	pf[0] = (struct pollfd){ .fd = fd[EV_ZERO], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = fd[TCP_IDLE], .events = POLLIN };
	if (write(c, "w", 1) == 1)
		n = poll(pf, 2, WAIT_MS);
	sem_int("poll-wakes", f->tag, n == 1 && pf[1].revents == POLLIN && !pf[0].revents, 1);
	for (i = 0; i < NFDS; i++)
		if (i != LISTEN_PENDING && i != TCP_DATA && i != TCP_IDLE)
			close(fd[i]);
	close(extra);
	close(c);
	close(a);
	close(l);
}

/* UDP: every datagram's source, recv and recvfrom mixed, FIONREAD */
static void check_udp(const struct fam *f)
{
	int r = sem_udp(f, false), s1 = sem_udp(f, false), s2 = sem_udp(f, false), n;
	struct sockaddr_storage rn, n1, n2, from, peer, want;
	socklen_t rl, fl;
	char buf[64];
	struct iovec iov;
	struct msghdr mh;

	if (r < 0 || s1 < 0 || s2 < 0) {
		sem_int("udp-setup", f->tag, 0, 1);
		return;
	}
	rl = sem_name(r, false, &rn);
	want = sem_with_port(&f->local, sem_port(&rn));
	sem_int("udp-port-chosen", f->tag, sem_port(&rn) != 0, 1);
	sem_addr_is("udp-name", f->tag, &rn, rl, &want);
	sem_name(s1, false, &n1);
	sem_name(s2, false, &n2);
	sem_int("udp-sendto", f->tag, sendto(s1, "a", 1, 0, (struct sockaddr *)&rn, f->len), 1);
	sem_wait(r, POLLIN);
	n = -1;
	ioctl(r, FIONREAD, &n);
	sem_int("udp-fionread-one", f->tag, n, 1);
	/* the datagrams' order across sockets is the order of the calls that
	 * carry an address (a datagram written to a socketpair goes out later) */
	sendto(s2, "bb", 2, 0, (struct sockaddr *)&rn, f->len);
	sendto(s1, "ccc", 3, 0, (struct sockaddr *)&rn, f->len);
	iov = (struct iovec){ "dddd", 4 };
	mh = (struct msghdr){ .msg_name = &rn, .msg_namelen = f->len, .msg_iov = &iov,
			      .msg_iovlen = 1 };
	sem_int("udp-sendmsg", f->tag, sendmsg(s2, &mh, 0), 4);
	sendto(s1, "eeeee", 5, 0, (struct sockaddr *)&rn, f->len);
	sendto(s2, "ffffff", 6, 0, (struct sockaddr *)&rn, f->len);
	n = -1;
	ioctl(r, FIONREAD, &n);
	sem_int("udp-fionread-next-only", f->tag, n, 1);

	fl = sizeof(from);
	n = (int)recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	sem_int("udp-recvfrom-1-data", f->tag, n == 1 && buf[0] == 'a', 1);
	sem_addr_is("udp-recvfrom-1-source", f->tag, &from, fl, &n1);
	n = (int)recv(r, buf, sizeof(buf), 0);
	sem_int("udp-recv-2-data", f->tag, n == 2 && buf[0] == 'b', 1);
	fl = sizeof(from);
	n = (int)recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	sem_int("udp-recvfrom-3-after-recv-data", f->tag, n == 3 && buf[0] == 'c', 1);
	sem_addr_is("udp-recvfrom-3-after-recv-source", f->tag, &from, fl, &n1);
	iov = (struct iovec){ buf, sizeof(buf) };
	mh = (struct msghdr){ .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			      .msg_iovlen = 1 };
	n = (int)recvmsg(r, &mh, 0);
	sem_int("udp-recvmsg-4-data", f->tag, n == 4 && buf[0] == 'd', 1);
	sem_addr_is("udp-recvmsg-4-source", f->tag, &from, mh.msg_namelen, &n2);
	n = (int)read(r, buf, sizeof(buf));
	sem_int("udp-read-5-data", f->tag, n == 5 && buf[0] == 'e', 1);
	fl = sizeof(from);
	n = (int)recvfrom(r, buf, 2, 0, (struct sockaddr *)&from, &fl);
	sem_int("udp-recvfrom-6-truncated", f->tag, n == 2 && buf[0] == 'f', 1);
	sem_addr_is("udp-recvfrom-6-source", f->tag, &from, fl, &n2);
	sem_err("udp-empty-nonblock", f->tag, recvfrom(r, buf, sizeof(buf), MSG_DONTWAIT,
						       (struct sockaddr *)&from, &fl), EAGAIN);

	/* sendmsg without an address: only with a default peer */
	{
		struct iovec iov0 = { "m", 1 };
		struct msghdr mh0 = { .msg_iov = &iov0, .msg_iovlen = 1 };

		sem_err("udp-sendmsg-no-peer", f->tag, sendmsg(s2, &mh0, 0), EDESTADDRREQ);
	}

	/* connected UDP: send and write without an address */
	sem_err("udp-connect", f->tag, connect(s2, (struct sockaddr *)&rn, f->len), 0);
	sem_int("udp-send-connected", f->tag, send(s2, "g", 1, 0), 1);
	fl = sizeof(from);
	n = (int)recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	sem_int("udp-send-connected-data", f->tag, n == 1 && buf[0] == 'g', 1);
	sem_addr_is("udp-send-connected-source", f->tag, &from, fl, &n2);
	{
		struct iovec iov0 = { "G", 1 };
		struct msghdr mh0 = { .msg_iov = &iov0, .msg_iovlen = 1 };

		sem_int("udp-sendmsg-connected", f->tag, sendmsg(s2, &mh0, 0), 1);
		n = (int)recv(r, buf, sizeof(buf), 0);
		sem_int("udp-sendmsg-connected-data", f->tag, n == 1 && buf[0] == 'G', 1);
	}
	sem_int("udp-write-connected", f->tag, write(s2, "hh", 2), 2);
	fl = sizeof(from);
	n = (int)recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	sem_int("udp-write-connected-data", f->tag, n == 2 && buf[0] == 'h', 1);
	sem_addr_is("udp-write-connected-source", f->tag, &from, fl, &n2);

	/* connected UDP: the peer's name; others' datagrams are not delivered */
	fl = sem_name(s2, true, &peer);
	sem_addr_is("udp-getpeername", f->tag, &peer, fl, &rn);
	sendto(s1, "x", 1, 0, (struct sockaddr *)&n2, f->len);
	sendto(r, "y", 1, 0, (struct sockaddr *)&n2, f->len);
	fl = sizeof(from);
	n = (int)recvfrom(s2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	sem_int("udp-connected-filters", f->tag, n == 1 && buf[0] == 'y', 1);
	sem_addr_is("udp-connected-source", f->tag, &from, fl, &rn);
	sem_err("udp-disconnect", f->tag, connect(s2, (struct sockaddr *)&(struct sockaddr){
		.sa_family = AF_UNSPEC }, sizeof(struct sockaddr)), 0);
	{
		struct iovec iov0 = { "m", 1 };
		struct msghdr mh0 = { .msg_iov = &iov0, .msg_iovlen = 1 };

		sem_err("udp-sendmsg-disconnected", f->tag, sendmsg(s2, &mh0, 0), EDESTADDRREQ);
	}
	sem_skip(f->af == AF_INET ? "udp-econnrefused4" : "udp-econnrefused6",
		 "a connected UDP socket learns ECONNREFUSED from an ICMP port "
		 "unreachable in the kernel; lwIP's UDP reports no ICMP errors");
	sem_skip(f->af == AF_INET ? "udp-send-no-peer4" : "udp-send-no-peer6",
		 "send() without an address on a UDP socket with no default peer fails "
		 "with EDESTADDRREQ in the kernel; through the socketpair it succeeds and "
		 "the datagram is dropped (SO_ERROR then says EDESTADDRREQ); sendmsg() "
		 "is checked");
	sem_err("udp-disconnected-getpeername", f->tag,
		getpeername(s2, (struct sockaddr *)&peer, &(socklen_t){ sizeof(peer) }), ENOTCONN);

	/* the kernel peer's echo, over the link */
	{
		struct sockaddr_storage echo = sem_with_port(&f->peer, f->peerport);

		sem_int("udp-peer-sendto", f->tag,
			sendto(s1, "echo", 4, 0, (struct sockaddr *)&echo, f->len), 4);
		fl = sizeof(from);
		n = sem_wait(s1, POLLIN) & POLLIN ?
			(int)recvfrom(s1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) : -1;
		sem_int("udp-peer-echo", f->tag, n == 4 && !memcmp(buf, "echo", 4), 1);
		sem_addr_is("udp-peer-source", f->tag, &from, fl, &echo);
	}

	/* a connected socket bound to no address takes the route's source as
	 * its name; a disconnect gives the wildcard back */
	{
		struct sockaddr_storage echo = sem_with_port(&f->peer, f->peerport), nm, any;
		int u = socket(f->af, SOCK_DGRAM, 0), w = sem_udp(f, true);

		sem_err("udp-connect-unbound", f->tag, connect(u, (struct sockaddr *)&echo, f->len), 0);
		fl = sem_name(u, false, &nm);
		nm = sem_with_port(&nm, 0);
		sem_addr_is("udp-connected-name", f->tag, &nm, fl, &f->local);
		close(u);
		sem_err("udp-connect-wildcard", f->tag, connect(w, (struct sockaddr *)&rn, f->len), 0);
		fl = sem_name(w, false, &nm);
		nm = sem_with_port(&nm, 0);
		sem_addr_is("udp-connected-wildcard-name", f->tag, &nm, fl, &f->local);
		connect(w, (struct sockaddr *)&(struct sockaddr){ .sa_family = AF_UNSPEC },
			sizeof(struct sockaddr));
		fl = sem_name(w, false, &nm);
		nm = sem_with_port(&nm, 0);
		sem_addr(f->af, f->af == AF_INET ? "0.0.0.0" : "::", 0, &any);
		sem_addr_is("udp-disconnected-wildcard-name", f->tag, &nm, fl, &any);
		close(w);
	}
	close(r);
	close(s1);
	close(s2);
}

/*
 * IP_RECVTTL / IPV6_RECVHOPLIMIT on UDP: read back, then each datagram's
 * TTL (hop limit) as its one control message, from this stack's own
 * address and from the kernel peer's echo over the link.
 */
static void check_udp_ttl(const struct fam *f)
{
	int level = f->af == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int opt = f->af == AF_INET ? IP_RECVTTL : IPV6_RECVHOPLIMIT;
	int type = f->af == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
	int r = sem_udp(f, false), s = sem_udp(f, false), one = 1, v = 0, i, n;
	struct sockaddr_storage rn, echo = sem_with_port(&f->peer, f->peerport);
	socklen_t vl = sizeof(v);

	if (r < 0 || s < 0) {
		sem_int("udp-ttl-setup", f->tag, 0, 1);
		return;
	}
	sem_name(r, false, &rn);
	sem_err("udp-recvttl-set", f->tag, setsockopt(r, level, opt, &one, sizeof(one)), 0);
	getsockopt(r, level, opt, &v, &vl);
	sem_int("udp-recvttl-get", f->tag, v, 1);
	setsockopt(s, level, opt, &one, sizeof(one));
	for (i = 0; i < 2; i++) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} cb;
		struct sockaddr_storage from;
		struct cmsghdr *cm;
		char data[8];
		struct iovec iov = { data, sizeof(data) };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
				     .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cb.buf, .msg_controllen = sizeof(cb.buf) };
		int fd = i ? s : r, ttl = -1;

		if (i)	/* the kernel peer's echo */
			sendto(s, "t", 1, 0, (struct sockaddr *)&echo, f->len);
		else
			sendto(s, "t", 1, 0, (struct sockaddr *)&rn, f->len);
		n = sem_wait(fd, POLLIN) & POLLIN ? (int)recvmsg(fd, &mh, 0) : -1;
		cm = n == 1 ? CMSG_FIRSTHDR(&mh) : NULL;
		if (cm && cm->cmsg_level == level && cm->cmsg_type == type &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)) && !CMSG_NXTHDR(&mh, cm))
			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
		sem_int(i ? "udp-recvttl-peer" : "udp-recvttl-local", f->tag,
			ttl >= 1 && ttl <= 255, 1);
	}
	close(r);
	close(s);
}

/* ---- ancillary data of UDP (check_udp_anc) ------------------------------------ */

/* What one recvmsg() gave: its control messages as "LEVEL/TYPE/LEN,...",
 * the values found, msg_flags and the msg_controllen given back. */
struct sem_anc {
	char list[160];
	int ttl, tos, ifindex;
	unsigned char addr[16];		/* PKTINFO's destination (IPv4: 4 bytes) */
	int flags;
	size_t clen;
	int n;				/* recvmsg's result */
	struct sockaddr_storage from;
};

/* sem_anc_recv() - recvmsg() on @fd with @room bytes of control buffer */
static void sem_anc_recv(int fd, size_t room, struct sem_anc *a)
{
	union {
		char buf[256];
		struct cmsghdr align;
	} cb;
	char data[8];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_name = &a->from, .msg_namelen = sizeof(a->from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cb.buf, .msg_controllen = room };
	struct cmsghdr *cm;

	memset(a, 0, sizeof(*a));
	a->ttl = a->tos = a->ifindex = -1;
	memset(cb.buf, 0xee, sizeof(cb.buf));
	a->n = sem_wait(fd, POLLIN) & POLLIN ? (int)recvmsg(fd, &mh, MSG_DONTWAIT) : -1;
	if (a->n < 0)
		return;
	a->flags = mh.msg_flags;
	a->clen = mh.msg_controllen;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t dl = cm->cmsg_len - CMSG_LEN(0), at = strlen(a->list);
		const unsigned char *d = CMSG_DATA(cm);

		snprintf(a->list + at, sizeof(a->list) - at, "%s%d/%d/%zu", at ? "," : "",
			 cm->cmsg_level, cm->cmsg_type, (size_t)cm->cmsg_len);
		if (cm->cmsg_level == IPPROTO_IP) {
			if (cm->cmsg_type == IP_TTL && dl == sizeof(int))
				memcpy(&a->ttl, d, sizeof(int));
			else if (cm->cmsg_type == IP_TOS && dl == 1)
				a->tos = d[0];
			else if (cm->cmsg_type == IP_PKTINFO && dl == sizeof(struct in_pktinfo)) {
				memcpy(&a->ifindex, d, sizeof(int));
				memcpy(a->addr, d + 8, 4);	/* ipi_addr */
			}
		} else if (cm->cmsg_level == IPPROTO_IPV6) {
			if (cm->cmsg_type == IPV6_HOPLIMIT && dl == sizeof(int))
				memcpy(&a->ttl, d, sizeof(int));
			else if (cm->cmsg_type == IPV6_TCLASS && dl == sizeof(int))
				memcpy(&a->tos, d, sizeof(int));
			else if (cm->cmsg_type == IPV6_PKTINFO && dl == sizeof(struct in6_pktinfo)) {
				memcpy(a->addr, d, 16);
				memcpy(&a->ifindex, d + 16, sizeof(int));
			}
		}
	}
}

/* sem_str() - check a string */
static void sem_str(const char *name, const char *tag, const char *got, const char *want)
{
	if (!strcmp(got, want))
		sem_ok(name, tag);
	else
		sem_fail(name, tag, *got ? got : "(none)", want);
}

/* a control message of @len data bytes, cmsg_len @cmlen, into @buf */
static size_t sem_cmsg(void *buf, int level, int type, const void *data, size_t len,
		       size_t cmlen)
{
	struct cmsghdr h = { .cmsg_len = cmlen, .cmsg_level = level, .cmsg_type = type };

	memset(buf, 0, CMSG_SPACE(len));
	memcpy(buf, &h, sizeof(h));
	memcpy((char *)buf + CMSG_LEN(0), data, len);
	return CMSG_SPACE(len);
}

/* sendmsg() of one byte to @to with @clen bytes of control data */
static long sem_anc_send(int fd, const struct sockaddr_storage *to, socklen_t tolen,
			 const void *ctl, size_t clen)
{
	struct iovec iov = { "a", 1 };
	struct msghdr mh = { .msg_name = (void *)to, .msg_namelen = tolen,
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = clen ? (void *)ctl : NULL, .msg_controllen = clen };

	return sendmsg(fd, &mh, 0);
}

/* the address bytes of @ss (4 or 16) */
static const void *sem_inaddr(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return &((const struct sockaddr_in *)ss)->sin_addr;
	return &((const struct sockaddr_in6 *)ss)->sin6_addr;
}

/*
 * IP_PKTINFO, IP_RECVTOS, IP_RECVTTL (IPV6_RECVPKTINFO, IPV6_RECVTCLASS,
 * IPV6_RECVHOPLIMIT) on UDP: read back, the control messages in the
 * kernel's order with the values sendmsg's own control messages asked
 * for, put_cmsg()'s truncation, and sendmsg's checks of its control
 * messages (lengths, values, a source address that is not ours).
 */
static void check_udp_anc(const struct fam *f)
{
	bool v6 = f->af == AF_INET6;
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	const int opts[3] = { v6 ? IPV6_RECVPKTINFO : IP_PKTINFO,
			      v6 ? IPV6_RECVHOPLIMIT : IP_RECVTTL,
			      v6 ? IPV6_RECVTCLASS : IP_RECVTOS };
	static const char *const optname[3] = { "pktinfo", "ttl", "tos" };
	size_t pkt = v6 ? sizeof(struct in6_pktinfo) : sizeof(struct in_pktinfo);
	int pkttype = v6 ? IPV6_PKTINFO : IP_PKTINFO;
	int ttltype = v6 ? IPV6_HOPLIMIT : IP_TTL, tostype = v6 ? IPV6_TCLASS : IP_TOS;
	int r = sem_udp(f, false), s = sem_udp(f, true), one = 1, i, v;
	size_t alen = v6 ? 16 : 4, full, room;
	struct sockaddr_storage rn, echo = sem_with_port(&f->peer, f->peerport);
	union {
		char buf[256];
		struct cmsghdr align;
	} c;
	char name[64], want[160];
	struct sem_anc a;
	socklen_t vl;

	if (r < 0 || s < 0) {
		sem_int("udp-anc-setup", f->tag, 0, 1);
		return;
	}
	sem_name(r, false, &rn);
	for (i = 0; i < 3; i++) {
		v = -1;
		vl = sizeof(v);
		getsockopt(r, level, opts[i], &v, &vl);
		snprintf(name, sizeof(name), "udp-anc-%s-default", optname[i]);
		sem_int(name, f->tag, v, 0);
		snprintf(name, sizeof(name), "udp-anc-%s-set", optname[i]);
		sem_err(name, f->tag, setsockopt(r, level, opts[i], &one, sizeof(one)), 0);
		v = -1;
		vl = sizeof(v);
		getsockopt(r, level, opts[i], &v, &vl);
		snprintf(name, sizeof(name), "udp-anc-%s-get", optname[i]);
		sem_int(name, f->tag, v, 1);
	}

	/* a TTL and a TOS asked for by sendmsg, seen by the receiver */
	{
		int ttl = 9, tos = 0x20;
		unsigned char tos8 = 0x20;
		size_t n = sem_cmsg(c.buf, level, ttltype, &ttl, sizeof(ttl), CMSG_LEN(sizeof(ttl)));

		n += v6 ? sem_cmsg(c.buf + n, level, tostype, &tos, sizeof(tos), CMSG_LEN(sizeof(tos)))
			: sem_cmsg(c.buf + n, level, tostype, &tos8, 1, CMSG_LEN(1));
		sem_int("udp-anc-send-ttl-tos", f->tag, sem_anc_send(s, &rn, f->len, c.buf, n), 1);
	}
	sem_anc_recv(r, 256, &a);
	full = CMSG_SPACE(pkt) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(v6 ? sizeof(int) : 1);
	snprintf(want, sizeof(want), "%d/%d/%zu,%d/%d/%zu,%d/%d/%zu", level, pkttype, CMSG_LEN(pkt),
		 level, ttltype, CMSG_LEN(sizeof(int)), level, tostype,
		 CMSG_LEN(v6 ? sizeof(int) : 1));
	sem_str("udp-anc-order", f->tag, a.list, want);
	sem_int("udp-anc-ttl", f->tag, a.ttl, 9);
	sem_int("udp-anc-tos", f->tag, a.tos, 0x20);
	sem_int("udp-anc-pktinfo-addr", f->tag, !memcmp(a.addr, sem_inaddr(&f->local), alen), 1);
	sem_int("udp-anc-pktinfo-ifindex", f->tag, a.ifindex > 0, 1);
	sem_int("udp-anc-flags", f->tag, a.flags, 0);
	sem_int("udp-anc-controllen", f->tag, (long)a.clen, (long)full);

	/* put_cmsg()'s truncation: less than a header left, a cut message,
	 * no room at all */
	{
		const size_t rooms[4] = { CMSG_SPACE(pkt) + 8, CMSG_LEN(0) + 1,
					  CMSG_SPACE(pkt) + CMSG_LEN(sizeof(int)) - 2, 0 };

		for (i = 0; i < 4; i++) {
			room = rooms[i];
			sem_anc_send(s, &rn, f->len, NULL, 0);
			sem_anc_recv(r, room, &a);
			snprintf(name, sizeof(name), "udp-anc-trunc%d-ctrunc", i);
			sem_int(name, f->tag, a.n == 1 && (a.flags & MSG_CTRUNC), 1);
			snprintf(name, sizeof(name), "udp-anc-trunc%d-controllen", i);
			sem_int(name, f->tag, (long)a.clen,
				i == 0 ? (long)CMSG_SPACE(pkt) : (long)room);
			snprintf(name, sizeof(name), "udp-anc-trunc%d-first", i);
			snprintf(want, sizeof(want), "%d/%d/%zu", level, pkttype,
				 i == 1 ? room : CMSG_LEN(pkt));
			if (i == 2)	/* the second one cut: its length says so */
				snprintf(want + strlen(want), sizeof(want) - strlen(want),
					 ",%d/%d/%zu", level, ttltype, CMSG_LEN(sizeof(int)) - 2);
			sem_str(name, f->tag, a.list, i == 3 ? "" : want);
		}
	}

	/* sendmsg's checks of its control messages */
	{
		int bad = v6 ? 256 : 0, big = v6 ? -2 : 256, x = 1;
		unsigned char b1 = 5;
		size_t n;

		sem_cmsg(c.buf, level, ttltype, &bad, sizeof(bad), CMSG_LEN(sizeof(bad)));
		sem_err("udp-anc-send-ttl-range", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int))), EINVAL);
		n = sem_cmsg(c.buf, level, ttltype, &b1, 1, CMSG_LEN(1));
		sem_err("udp-anc-send-ttl-short", f->tag, sem_anc_send(s, &rn, f->len, c.buf, n), EINVAL);
		sem_cmsg(c.buf, level, tostype, &big, sizeof(big), CMSG_LEN(sizeof(big)));
		sem_err("udp-anc-send-tos-range", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int))), EINVAL);
		sem_cmsg(c.buf, level, 99, &x, sizeof(x), CMSG_LEN(sizeof(x)));
		sem_err("udp-anc-send-unknown", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int))), EINVAL);
		sem_cmsg(c.buf, IPPROTO_TCP, 1, &x, sizeof(x), CMSG_LEN(sizeof(x)));
		sem_err("udp-anc-send-other-level", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int))), 0);
		sem_cmsg(c.buf, level, ttltype, &x, sizeof(x), CMSG_LEN(sizeof(x)) + 8);
		sem_err("udp-anc-send-len-past-end", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int))), EINVAL);
		sem_cmsg(c.buf, level, ttltype, &x, sizeof(x), 8);
		sem_err("udp-anc-send-len-short", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int))), EINVAL);
		sem_cmsg(c.buf, level, ttltype, &x, sizeof(x), CMSG_LEN(sizeof(x)));
		sem_err("udp-anc-send-short-tail", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(sizeof(int)) + 8), 0);
	}

	/* IP_PKTINFO / IPV6_PKTINFO on send: a source of ours, another's,
	 * an interface that does not exist, a wrong length */
	{
		unsigned char pi[sizeof(struct in6_pktinfo)] = { 0 };
		int noif = 9999;
		size_t ifoff = v6 ? 16 : 0, srcoff = v6 ? 0 : 4;

		struct sockaddr_storage lon;
		int lo = socket(f->af, SOCK_DGRAM, 0);

		/* to the loopback, from our link's address */
		sem_addr(f->af, v6 ? "::1" : "127.0.0.1", 0, &lon);
		bind(lo, (struct sockaddr *)&lon, f->len);
		sem_name(lo, false, &lon);
		memcpy(pi + srcoff, sem_inaddr(&f->local), alen);
		sem_cmsg(c.buf, level, pkttype, pi, pkt, CMSG_LEN(pkt));
		sem_int("udp-anc-send-pktinfo-local", f->tag,
			sem_anc_send(s, &lon, f->len, c.buf, CMSG_SPACE(pkt)), 1);
		memcpy(pi + srcoff, sem_inaddr(&f->foreign), alen);
		sem_cmsg(c.buf, level, pkttype, pi, pkt, CMSG_LEN(pkt));
		sem_err("udp-anc-send-pktinfo-foreign", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(pkt)), v6 ? EINVAL : ENETUNREACH);
		memset(pi, 0, sizeof(pi));
		memcpy(pi + ifoff, &noif, sizeof(noif));
		sem_cmsg(c.buf, level, pkttype, pi, pkt, CMSG_LEN(pkt));
		sem_err("udp-anc-send-pktinfo-noif", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(pkt)), ENODEV);
		sem_cmsg(c.buf, level, pkttype, pi, pkt - 4, CMSG_LEN(pkt - 4));
		sem_err("udp-anc-send-pktinfo-short", f->tag,
			sem_anc_send(s, &rn, f->len, c.buf, CMSG_SPACE(pkt)), EINVAL);
		sem_anc_recv(lo, 256, &a);
		sem_int("udp-anc-pktinfo-local-sent", f->tag, a.n, 1);
		sem_int("udp-anc-pktinfo-local-source", f->tag,
			!memcmp(sem_inaddr(&a.from), sem_inaddr(&f->local), alen), 1);
		close(lo);
	}
	while (recv(r, c.buf, sizeof(c.buf), MSG_DONTWAIT) >= 0)
		;	/* what the checks above sent */

	/* the kernel peer's echo: its TTL, TOS 0, our address */
	sendto(r, "e", 1, 0, (struct sockaddr *)&echo, f->len);
	sem_anc_recv(r, 256, &a);
	snprintf(want, sizeof(want), "%d/%d/%zu,%d/%d/%zu,%d/%d/%zu", level, pkttype, CMSG_LEN(pkt),
		 level, ttltype, CMSG_LEN(sizeof(int)), level, tostype,
		 CMSG_LEN(v6 ? sizeof(int) : 1));
	sem_str("udp-anc-peer-order", f->tag, a.list, want);
	sem_int("udp-anc-peer-ttl", f->tag, a.ttl >= 1 && a.ttl <= 255, 1);
	sem_int("udp-anc-peer-tos", f->tag, a.tos, 0);
	sem_int("udp-anc-peer-pktinfo-addr", f->tag,
		!memcmp(a.addr, sem_inaddr(&f->local), alen), 1);
	close(r);
	close(s);
}

/* UDP-Lite (RFC 3828): a datagram socket of its own protocol, to itself */
static void check_udplite(const struct fam *f)
{
	struct sockaddr_storage a = sem_with_port(&f->local, 0), from;
	int u = socket(f->af, SOCK_DGRAM, IPPROTO_UDPLITE);
	socklen_t fl = sizeof(from);
	char buf[8];
	int n;

	sem_int("udplite-socket", f->tag, u >= 0, 1);
	if (u < 0)
		return;
	sem_int("udplite-so-protocol", f->tag, sem_getopt(u, SOL_SOCKET, SO_PROTOCOL),
		IPPROTO_UDPLITE);
	sem_err("udplite-bind", f->tag, bind(u, (struct sockaddr *)&a, f->len), 0);
	sem_name(u, false, &a);
	sem_int("udplite-sendto", f->tag, sendto(u, "lite", 4, 0, (struct sockaddr *)&a, f->len), 4);
	n = sem_wait(u, POLLIN) & POLLIN ?
		(int)recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) : -1;
	sem_int("udplite-recv", f->tag, n == 4 && !memcmp(buf, "lite", 4), 1);
	sem_addr_is("udplite-source", f->tag, &from, fl, &a);
	close(u);
}

/* TCP to the kernel peer over the link */
static void check_peer_tcp(const struct fam *f)
{
	struct sockaddr_storage echo = sem_with_port(&f->peer, f->peerport), pn;
	int c = sem_client(f->af, &echo, f->len);
	char buf[8];
	socklen_t pl;

	sem_int("peer-connect", f->tag, c >= 0, 1);
	if (c < 0)
		return;
	pl = sem_name(c, true, &pn);
	sem_addr_is("peer-getpeername", f->tag, &pn, pl, &echo);
	sem_int("peer-echo", f->tag, write(c, "hello", 5) == 5 && sem_read(c, buf, 5) == 5 &&
		!memcmp(buf, "hello", 5), 1);
	shutdown(c, SHUT_WR);
	sem_int("peer-eof-after-shut-wr", f->tag, read(c, buf, sizeof(buf)), 0);
	close(c);
}

/* the loopback interface: 127.0.0.1 and ::1, within the stack */
static void check_loopback(const struct fam *f)
{
	struct fam lo = *f;
	struct sockaddr_storage to, cn, an, other, src;
	socklen_t cl, al, sl = sizeof(src);
	int l, c, a, u, v, port;
	char buf[8];

	sem_addr(f->af, f->af == AF_INET ? "127.0.0.1" : "::1", 0, &lo.local);
	l = sem_listener(&lo, 0, 4, false);
	sem_int("lo-listen", f->tag, l >= 0, 1);
	if (l < 0)
		return;
	port = sem_local_port(l);
	to = sem_with_port(&lo.local, port);
	sem_int("lo-connect-accept", f->tag, sem_pair(&lo, l, &c, &a), 0);
	if (c >= 0 && a >= 0) {
		cl = sem_name(c, false, &cn);
		cn = sem_with_port(&cn, 0);
		sem_addr_is("lo-client-name", f->tag, &cn, cl, &lo.local);
		al = sem_name(a, true, &an);
		an = sem_with_port(&an, 0);
		sem_addr_is("lo-accepted-peer", f->tag, &an, al, &lo.local);
		sem_int("lo-data", f->tag, write(c, "ping", 4) == 4 && sem_read(a, buf, 4) == 4 &&
			write(a, "pong", 4) == 4 && sem_read(c, buf, 4) == 4 &&
			!memcmp(buf, "pong", 4), 1);
		close(c);
		sem_int("lo-eof", f->tag, sem_read(a, buf, 1), 0);
		close(a);
	}
	close(l);
	/* nothing listens there any more */
	c = socket(f->af, SOCK_STREAM, 0);
	sem_err("lo-refused", f->tag, connect(c, (struct sockaddr *)&to, lo.len), ECONNREFUSED);
	close(c);
	/* a wildcard listener is reached through the loopback too */
	l = socket(f->af, SOCK_STREAM, 0);
	sem_addr(f->af, f->af == AF_INET ? "0.0.0.0" : "::", 0, &other);
	sem_int("lo-wildcard-listener", f->tag,
		bind(l, (struct sockaddr *)&other, lo.len) == 0 && listen(l, 4) == 0, 1);
	to = sem_with_port(&lo.local, sem_local_port(l));
	c = sem_client(f->af, &to, lo.len);
	sem_int("lo-wildcard-connect", f->tag, c >= 0, 1);
	if (c >= 0)
		close(c);
	/* the wildcard as a destination is the host itself: the loopback */
	other = sem_with_port(&other, sem_local_port(l));
	c = sem_client(f->af, &other, lo.len);
	sem_int("lo-connect-any", f->tag, c >= 0, 1);
	if (c >= 0) {
		cl = sem_name(c, true, &cn);
		sem_addr_is("lo-connect-any-peer", f->tag, &cn, cl, &to);
		close(c);
	}
	close(l);
	/* UDP: the datagram and its source */
	u = sem_udp(&lo, false);
	v = sem_udp(&lo, false);
	sem_int("lo-udp-bind", f->tag, u >= 0 && v >= 0, 1);
	if (u >= 0 && v >= 0) {
		to = sem_with_port(&lo.local, sem_local_port(u));
		sem_int("lo-udp-sendto", f->tag,
			sendto(v, "dgram", 5, 0, (struct sockaddr *)&to, lo.len), 5);
		sem_int("lo-udp-recvfrom", f->tag,
			sem_wait(u, POLLIN) & POLLIN &&
			recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&src, &sl) == 5, 1);
		sem_int("lo-udp-source-port", f->tag, sem_port(&src), sem_local_port(v));
		src = sem_with_port(&src, 0);
		sem_addr_is("lo-udp-source", f->tag, &src, sl, &lo.local);
		sem_addr(f->af, f->af == AF_INET ? "0.0.0.0" : "::", sem_local_port(u), &other);
		sl = sizeof(src);
		sem_int("lo-udp-sendto-any", f->tag,
			sendto(v, "any", 3, 0, (struct sockaddr *)&other, lo.len) == 3 &&
			sem_wait(u, POLLIN) & POLLIN &&
			recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&src, &sl) == 3 &&
			!memcmp(buf, "any", 3), 1);
	}
	if (u >= 0)
		close(u);
	if (v >= 0)
		close(v);
	/* connected to the loopback: the name is the loopback's address */
	u = socket(f->af, SOCK_DGRAM, 0);
	to = sem_with_port(&lo.local, port);
	sem_err("lo-udp-connect", f->tag, connect(u, (struct sockaddr *)&to, lo.len), 0);
	sl = sem_name(u, false, &src);
	src = sem_with_port(&src, 0);
	sem_addr_is("lo-udp-connected-name", f->tag, &src, sl, &lo.local);
	close(u);
	u = socket(f->af, SOCK_DGRAM, 0);
	sem_addr(f->af, f->af == AF_INET ? "0.0.0.0" : "::", port, &other);
	sem_err("lo-udp-connect-any", f->tag, connect(u, (struct sockaddr *)&other, lo.len), 0);
	sl = sem_name(u, true, &src);
	sem_addr_is("lo-udp-connect-any-peer", f->tag, &src, sl, &to);
	close(u);
	if (f->af == AF_INET) {
		/* 0.0.0.0 from a socket bound to an address is that address */
		l = sem_listener(f, 0, 4, false);
		c = socket(AF_INET, SOCK_STREAM, 0);
		other = sem_with_port(&f->local, 0);
		if (bind(c, (struct sockaddr *)&other, lo.len) < 0)
			sem_int("connect-any-bound-setup", f->tag, 0, 1);
		to = sem_with_port(&f->local, sem_local_port(l));
		sem_addr(AF_INET, "0.0.0.0", sem_local_port(l), &other);
		sem_err("connect-any-bound", f->tag, connect(c, (struct sockaddr *)&other, lo.len), 0);
		cl = sem_name(c, true, &cn);
		sem_addr_is("connect-any-bound-peer", f->tag, &cn, cl, &to);
		close(c);
		close(l);
	}
	if (f->af == AF_INET) {		/* all of 127.0.0.0/8 is the host's */
		u = socket(AF_INET, SOCK_DGRAM, 0);
		sem_addr(AF_INET, "127.0.0.2", 0, &other);
		sem_err("lo-bind-127.0.0.2", f->tag, bind(u, (struct sockaddr *)&other, lo.len), 0);
		close(u);
		sem_skip("lo-deliver-127.0.0.2", "all of 127.0.0.0/8 is delivered to in the "
			 "kernel; lwIP's loopback interface has one IPv4 address, 127.0.0.1: "
			 "127.0.0.2 may be bound and sent from, but nothing reaches it");
	}
}

/* IPv6 sockets that talk IPv4: v4-mapped addresses, IPV6_V6ONLY */
static void check_mapped(const struct fam *f4, const struct fam *f6)
{
	struct sockaddr_storage any6, here6, here4, cn, ap, from, mapped_to;
	socklen_t al, fl;
	int l, c, a, u, s, n;
	char buf[8];

	sem_addr(AF_INET6, "::", 0, &any6);
	l = socket(AF_INET6, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&any6, sizeof(struct sockaddr_in6)) < 0 ||
	    listen(l, 4) < 0) {
		sem_int("mapped-setup", "", 0, 1);
		return;
	}
	sem_int("v6only-default", "", sem_getopt(l, IPPROTO_IPV6, IPV6_V6ONLY), 0);
	here4 = sem_with_port(&f4->local, sem_local_port(l));
	here6 = sem_with_port(&f6->local, sem_local_port(l));
	c = sem_client(AF_INET, &here4, f4->len);
	sem_int("mapped-v4-client-connects", "", c >= 0, 1);
	fl = sizeof(from);
	a = accept(l, (struct sockaddr *)&from, &fl);
	sem_name(c, false, &cn);
	mapped_to = sem_mapped(&cn);
	sem_addr_is("mapped-accept-address", "", &from, fl, &mapped_to);
	al = sem_name(a, true, &ap);
	sem_addr_is("mapped-getpeername", "", &ap, al, &mapped_to);
	al = sem_name(a, false, &ap);
	mapped_to = sem_mapped(&here4);
	sem_addr_is("mapped-getsockname", "", &ap, al, &mapped_to);
	close(a);
	close(c);

	/* an IPv6 client to a v4-mapped address */
	c = sem_client(AF_INET6, &mapped_to, sizeof(struct sockaddr_in6));
	sem_int("mapped-v6-client-connects", "", c >= 0, 1);
	a = accept(l, NULL, NULL);
	al = sem_name(c, true, &ap);
	sem_addr_is("mapped-v6-client-peer", "", &ap, al, &mapped_to);
	sem_int("mapped-v6-client-data", "", write(c, "m", 1) == 1 && sem_read(a, buf, 1) == 1, 1);
	close(a);
	close(c);
	c = sem_client(AF_INET6, &here6, sizeof(struct sockaddr_in6));
	sem_int("dual-stack-v6-client", "", c >= 0 && (a = accept(l, NULL, NULL)) >= 0, 1);
	if (c >= 0) {
		close(c);
		close(a);
	}
	close(l);

	/* IPV6_V6ONLY: no IPv4 */
	l = socket(AF_INET6, SOCK_STREAM, 0);
	sem_err("v6only-set", "", sem_setopt(l, IPPROTO_IPV6, IPV6_V6ONLY, 1), 0);
	sem_int("v6only-get", "", sem_getopt(l, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	bind(l, (struct sockaddr *)&any6, sizeof(struct sockaddr_in6));
	listen(l, 4);
	here4 = sem_with_port(&f4->local, sem_local_port(l));
	c = socket(AF_INET, SOCK_STREAM, 0);
	sem_err("v6only-refuses-v4", "", connect(c, (struct sockaddr *)&here4, f4->len), ECONNREFUSED);
	close(c);
	close(l);
	/* ... nor v4-mapped addresses: bind EINVAL, connect and sendto
	 * ENETUNREACH (__inet6_bind(), tcp_v6_connect(), udpv6_sendmsg()) */
	mapped_to = sem_mapped(&f4->local);
	for (n = 0; n < 2; n++) {
		const char *tag = n ? "-udp" : "-tcp";

		s = socket(AF_INET6, n ? SOCK_DGRAM : SOCK_STREAM, 0);
		sem_setopt(s, IPPROTO_IPV6, IPV6_V6ONLY, 1);
		sem_err("v6only-bind-mapped", tag, bind(s, (struct sockaddr *)&mapped_to,
							  sizeof(struct sockaddr_in6)), EINVAL);
		close(s);
	}
	s = socket(AF_INET6, SOCK_STREAM, 0);
	sem_setopt(s, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	here4 = sem_mapped(&f4->peer);
	here4 = sem_with_port(&here4, f4->peerport);
	sem_err("v6only-connect-mapped", "", connect(s, (struct sockaddr *)&here4,
						     sizeof(struct sockaddr_in6)), ENETUNREACH);
	close(s);
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	sem_setopt(s, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	sem_err("v6only-sendto-mapped", "", sendto(s, "x", 1, 0, (struct sockaddr *)&here4,
						   sizeof(struct sockaddr_in6)), ENETUNREACH);
	close(s);

	/* Go's probe of the stack: ::1 on an IPv6-only socket, the mapped
	 * loopback on a dual-stack one, reached by an IPv4 client */
	s = socket(AF_INET6, SOCK_STREAM, 0);
	sem_setopt(s, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	sem_addr(AF_INET6, "::1", 0, &cn);
	sem_err("v6only-bind-loopback", "", bind(s, (struct sockaddr *)&cn,
						 sizeof(struct sockaddr_in6)), 0);
	close(s);
	s = socket(AF_INET6, SOCK_STREAM, 0);
	sem_addr(AF_INET6, "::ffff:127.0.0.1", 0, &cn);
	sem_err("mapped-bind-loopback", "", bind(s, (struct sockaddr *)&cn,
						 sizeof(struct sockaddr_in6)), 0);
	listen(s, 4);
	sem_addr(AF_INET, "127.0.0.1", sem_local_port(s), &cn);
	c = sem_client(AF_INET, &cn, sizeof(struct sockaddr_in));
	sem_int("mapped-loopback-v4-client", "", c >= 0, 1);
	if (c >= 0)
		close(c);
	close(s);

	/* UDP: a datagram from IPv4 to a dual-stack socket */
	u = socket(AF_INET6, SOCK_DGRAM, 0);
	bind(u, (struct sockaddr *)&any6, sizeof(struct sockaddr_in6));
	s = sem_udp(f4, false);
	here4 = sem_with_port(&f4->local, sem_local_port(u));
	sendto(s, "4", 1, 0, (struct sockaddr *)&here4, f4->len);
	fl = sizeof(from);
	n = (int)recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	sem_name(s, false, &cn);
	mapped_to = sem_mapped(&cn);
	sem_int("mapped-udp-data", "", n == 1 && buf[0] == '4', 1);
	sem_addr_is("mapped-udp-source", "", &from, fl, &mapped_to);
	sem_int("mapped-udp-reply", "", sendto(u, "r", 1, 0, (struct sockaddr *)&from, fl) == 1 &&
		recv(s, buf, sizeof(buf), 0) == 1 && buf[0] == 'r', 1);
	close(u);
	close(s);
	/* connected to a mapped address: the name is the mapped IPv4 source */
	u = socket(AF_INET6, SOCK_DGRAM, 0);
	mapped_to = sem_mapped(&f4->peer);
	mapped_to = sem_with_port(&mapped_to, f4->peerport);
	sem_err("mapped-udp-connect", "", connect(u, (struct sockaddr *)&mapped_to,
						  sizeof(struct sockaddr_in6)), 0);
	fl = sem_name(u, false, &cn);
	cn = sem_with_port(&cn, 0);
	mapped_to = sem_mapped(&f4->local);
	sem_addr_is("mapped-udp-connected-name", "", &cn, fl, &mapped_to);
	close(u);
}

/* fam_init() - one family's addresses from the command line */
static void fam_init(struct fam *f, int af, const char *local, const char *peer, int port)
{
	struct sockaddr_storage p;

	f->af = af;
	f->tag = af == AF_INET ? "4" : "6";
	f->len = af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	f->peerport = port;
	if (sem_addr(af, local, 0, &f->local) || sem_addr(af, peer, 0, &f->peer))
		fail("bad address: %s or %s", local, peer);
	/* the peer's address with the last byte 0x62: nobody has it */
	p = f->peer;
	if (af == AF_INET)
		((unsigned char *)&((struct sockaddr_in *)&p)->sin_addr)[3] = 0x62;
	else
		((struct sockaddr_in6 *)&p)->sin6_addr.s6_addr[15] = 0x62;
	f->silent = sem_with_port(&p, port);
	sem_addr(af, af == AF_INET ? "198.51.100.1" : "2001:db8::1", port, &f->unreach);
	sem_addr(af, af == AF_INET ? "198.51.100.2" : "2001:db8::2", 0, &f->foreign);
}

int main(int argc, char **argv)
{
	struct fam f4, f6;
	const struct fam *fams[2] = { &f4, &f6 };
	int i;

	if (argc != 6)
		fail("usage: semantics LOCAL4 LOCAL6 PEER4 PEER6 PEERPORT");
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, sem_on_sigpipe);
	fam_init(&f4, AF_INET, argv[1], argv[3], atoi(argv[5]));
	fam_init(&f6, AF_INET6, argv[2], argv[4], atoi(argv[5]));
	for (i = 0; i < 2; i++) {
		check_types(fams[i]);
		check_options(fams[i]);
		check_connect_accept(fams[i]);
		check_backlog(fams[i]);
		check_errors(fams[i]);
		check_reuseaddr(fams[i]);
		check_close_bind(fams[i]);
		check_shutdown(fams[i]);
		check_close(fams[i]);
		check_readiness(fams[i]);
		check_udp(fams[i]);
		check_udp_ttl(fams[i]);
		check_udp_anc(fams[i]);
		check_udplite(fams[i]);
		check_peer_tcp(fams[i]);
		check_loopback(fams[i]);
	}
	check_mapped(&f4, &f6);
	return failures > 125 ? 125 : failures;
}
