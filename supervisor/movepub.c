// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * movepub.c - --publish served by the host's own listeners (--user-net)
 *
 * A TCP socket of --user-net waits in netsup's namespace (unborn.c) until
 * its first call that needs the stack.  When that call is a bind() of a
 * published port, to an address that takes connections for the command
 * (the wildcard, 10.0.2.15, fd00::15), netsup binds the socket where it
 * is to the host's port of --publish instead: the command's own socket,
 * with the options it set, becomes the host's listener at its listen(),
 * and accept() gives native sockets, as bypass4netns does for rootless
 * containers.  slirp forwards no such port (publish_url()).
 *
 * The command keeps its view: getsockname() of the listener says what it
 * bound, that of an accepted socket 10.0.2.15 (fd00::15) and its own port
 * (move_pub_names()); the peer is the real one, as pasta shows it (a
 * client on the host's loopback is 127.0.0.1).  A connection from inside
 * to a port so published, at 10.0.2.15 or the command's loopback, goes
 * to the host's listener (move_pub_route()).
 *
 * Such a socket is bound in netsup's namespace: whatever it does next
 * must not reach what the command could not.  Its connect() goes through
 * the rules as a socket that waits (move.c), a Fast Open send, an i386
 * connect and any undecoded call on it are refused (unbornmake.c): each
 * asks move_pub_governed() first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "childmem.h"
#include "log.h"
#include "moveint.h"
#include "route.h"
#include "supervisor.h"
#include "unborn.h"
#include "ustack.h"
#include "../common/nscookie.h"

/* The command's TCP ports that are the host's listeners now: atomic bits. */
static uint64_t movepub_live[65536 / 64];
static bool movepub_any;	/* atomic: one was, once */

static void movepub_set_live(unsigned int port)
{
	__atomic_or_fetch(&movepub_live[port / 64], 1ULL << (port % 64), __ATOMIC_RELEASE);
	__atomic_store_n(&movepub_any, true, __ATOMIC_RELEASE);
}

static bool movepub_is_live(unsigned int port)
{
	return port < 65536 &&
	       (__atomic_load_n(&movepub_live[port / 64], __ATOMIC_ACQUIRE) >> (port % 64)) & 1;
}

/**
 * move_pub_active() - has any port of the command become the host's?
 *
 * Return: true once one has (until then nothing here costs anything)
 */
bool move_pub_active(void)
{
	return __atomic_load_n(&movepub_any, __ATOMIC_ACQUIRE);
}

/* The --publish of TCP port @port of the command, and the host's port. */
static const struct publish *movepub_find(const struct route_table *t, unsigned int port,
					  unsigned int *host_port)
{
	size_t i;

	for (i = 0; i < t->npub; i++)
		if (publish_match(&t->pub[i], false, port, host_port))
			return &t->pub[i];
	return NULL;
}

/* An address of the command for itself: 10.0.2.15, fd00::15, v4-mapped too. */
static bool movepub_self(const struct route_table *t, const struct sockaddr *sa, bool any,
			 bool loopback)
{
	if (sa->sa_family == AF_INET) {
		in_addr_t a = ((const struct sockaddr_in *)sa)->sin_addr.s_addr;

		return a == t->self4.s_addr || (any && a == htonl(INADDR_ANY)) ||
		       (loopback && (ntohl(a) >> 24) == 127);
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		in_addr_t v4;

		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(&v4, a->s6_addr + 12, 4);
			return v4 == t->self4.s_addr || (any && v4 == htonl(INADDR_ANY)) ||
			       (loopback && (ntohl(v4) >> 24) == 127);
		}
		return !memcmp(a, &t->self6, sizeof(*a)) || (any && IN6_IS_ADDR_UNSPECIFIED(a)) ||
		       (loopback && IN6_IS_ADDR_LOOPBACK(a));
	}
	return false;
}

static unsigned int movepub_port_of(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

/*
 * Is @cfd a TCP socket of netsup's namespace, bound, not connected, not
 * listening: one that bound a published port (or whose listener was shut
 * down), whose connect or Fast Open send the kernel would make from the
 * host as it is?
 */
static bool movepub_bound_here(const struct supervisor *sv, int cfd)
{
	struct sockaddr_storage ss = { .ss_family = AF_UNSPEC };
	socklen_t len = sizeof(int);
	struct tcp_info ti;
	int type;

	if (!unborn_in_host(sv, nscookie_of(cfd)) ||
	    getsockopt(cfd, SOL_SOCKET, SO_TYPE, &type, &len) || type != SOCK_STREAM)
		return false;
	len = sizeof(ti);
	if (getsockopt(cfd, IPPROTO_TCP, TCP_INFO, &ti, &len) || ti.tcpi_state != TCP_CLOSE)
		return false;
	len = sizeof(ss);
	return !getsockname(cfd, (struct sockaddr *)&ss, &len) &&
	       movepub_port_of((struct sockaddr *)&ss) != 0;
}

/**
 * move_pub_governed() - must calls on @cfd that could connect be refused?
 * @sv:		the supervisor
 * @cfd:	netsup's copy of a kernel socket of the child
 *
 * Return: true for a socket that bound a port of the host here
 */
bool move_pub_governed(const struct supervisor *sv, int cfd)
{
	return move_pub_active() && movepub_bound_here(sv, cfd);
}

/*
 * A socket of the private stack already (the stack's since an option
 * netsup does not carry, moveopt.c) binds a published port: slirp
 * forwards no such port, the host cannot reach it.  Said, not refused:
 * the command may listen inside only.
 */
static void movepub_warn_made(const struct route_table *t, int cfd, unsigned int port)
{
	struct usock us;
	struct stat st;

	if (fstat(cfd, &st) || !ustack_sock_find(st.st_dev, st.st_ino, &us))
		return;
	if (stack_same(us.s, t->user))
		warn("bind() of port %u, published: a socket of the private stack already (an option set before it that moves do not carry), which the host does not reach",
		     port);
	stack_put(us.s);
}

/**
 * move_pub_bind() - bind(fd, addr, len) of a published port: the host's
 * @w:		the handling thread
 * @r:		the outcome, if handled
 *
 * Return: true if handled (bound in netsup's namespace, or failed)
 */
bool move_pub_bind(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	const struct route_table *t = w->sv->routes;
	struct sockaddr_storage ss = { 0 }, hs;
	socklen_t len = (socklen_t)d->args[2], hlen, ilen = sizeof(int);
	const struct publish *p;
	unsigned int port, host_port = 0;
	struct stack *s = NULL;
	int cfd, domain, v6only = 0, rc;
	struct creds c;
	bool handled = false;

	if (!t->npub || !t->host || !t->user || !w->sv->unborn)
		return false;
	if (len < sizeof(sa_family_t) || len > sizeof(ss) || (int)d->args[2] < 0 ||
	    request_own(w) || childmem_read((pid_t)w->req->pid, d->args[1], &ss, len))
		return false;	/* the kernel's errors, or the stack's */
	if ((ss.ss_family == AF_INET && len < sizeof(struct sockaddr_in)) ||
	    (ss.ss_family == AF_INET6 && len < sizeof(struct sockaddr_in6)))
		return false;
	port = movepub_port_of((struct sockaddr *)&ss);
	if (!port || !movepub_self(t, (struct sockaddr *)&ss, true, false))
		return false;
	p = movepub_find(t, port, &host_port);
	if (!p)
		return false;
	cfd = request_child_fd(w, (int)d->args[0]);
	if (cfd < 0)
		return false;
	/* a socket that waits, for the stack whose port it is, in netsup's namespace */
	s = unborn_of(w, cfd);
	if (!s)
		movepub_warn_made(t, cfd, port);
	if (!s || !stack_same(s, t->user) || !unborn_in_host(w->sv, nscookie_of(cfd)) ||
	    getsockopt(cfd, SOL_SOCKET, SO_DOMAIN, &domain, &ilen) || domain != ss.ss_family)
		goto out;
	ilen = sizeof(v6only);
	if (domain == AF_INET6 && getsockopt(cfd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &ilen))
		goto out;
	if (publish_host_addr(p, domain, v6only, host_port, &hs, &hlen))
		goto out;	/* an address of the other family: the stack's */
	handled = true;
	rc = request_creds(w, &c);
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	/* as the caller: a port below ip_unprivileged_port_start is its privilege */
	if (!rc)
		rc = creds_wear(&w->creds, &c);
	if (rc == -ENOTRECOVERABLE) {
		w->broken = true;
		rc = -EPERM;
	}
	if (!rc && bind(cfd, (struct sockaddr *)&hs, hlen))
		rc = -errno;
	if (rc) {
		log_pid(LOG_WARN, (pid_t)w->req->pid,
			"bind() of port %u, published as port %u of the host: %s",
			port, host_port, strerror(-rc));
		request_fail(r, rc);
		goto out;
	}
	move_view_fixed(cfd, &ss, len);
	movepub_set_live(port);
	log_pid(LOG_INFO, c.tgid, "bind(%s stream) to port %u: the host's port %u (--publish)",
		domain == AF_INET ? "inet" : "inet6", port, host_port);
	r->what = NOTIFY_ZERO;
out:
	stack_put(s);
	close(cfd);
	return handled;
}

/**
 * move_pub_route() - the rule for a connection from inside to a port that
 *		      is the host's listener now
 * @t:		the rules
 * @sa:		the destination
 * @rt:		receives the rule
 *
 * 10.0.2.15 and the command's loopback reach its published listener as
 * they did in its stack: connected to the host's port, at the address the
 * host's listener has (its loopback for every address).
 *
 * Return: true if @rt applies
 */
bool move_pub_route(const struct route_table *t, const struct sockaddr *sa, struct route *rt)
{
	unsigned int port = movepub_port_of(sa), host_port = 0;
	const struct publish *p;
	bool mapped;

	if (!move_pub_active() || !t->host || !movepub_is_live(port) ||
	    !movepub_self(t, sa, false, true))
		return false;
	p = movepub_find(t, port, &host_port);
	if (!p)
		return false;
	memset(rt, 0, sizeof(*rt));
	mapped = sa->sa_family == AF_INET6 &&
		 IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	rt->family = sa->sa_family == AF_INET || mapped ? AF_INET : AF_INET6;
	rt->prefix = rt->family == AF_INET ? 32 : 128;
	if (rt->family == AF_INET)
		memcpy(rt->addr, mapped ? ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr + 12 :
			(const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr, 4);
	else
		memcpy(rt->addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	rt->action = ROUTE_STACK;
	rt->s = t->host;
	rt->trusted = rt->view = rt->rewrite = true;
	rt->to_port = htons((uint16_t)host_port);
	if (rt->family == AF_INET && p->family != AF_INET6) {
		in_addr_t to = p->family == AF_INET ? p->host.s_addr : htonl(INADDR_LOOPBACK);

		memcpy(rt->to, &to, 4);
	} else if (rt->family == AF_INET6 && p->family != AF_INET) {
		memcpy(rt->to, p->family == AF_INET6 ? &p->host6 : &in6addr_loopback, 16);
	} else {
		return false;	/* the host's listener is of the other family */
	}
	return true;
}

/**
 * move_pub_names() - getsockname() of a socket a published listener accepted
 * @w:		the handling thread
 * @r:		the outcome, if handled
 *
 * Its local address is the host's; the command's is 10.0.2.15 (fd00::15,
 * v4-mapped for an IPv4 connection) and the port it listens on.
 *
 * Return: true if handled
 */
bool move_pub_names(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	const struct route_table *t = w->sv->routes;
	struct sockaddr_storage real = { 0 }, view = { 0 };
	socklen_t len = sizeof(real), ilen = sizeof(int);
	unsigned int host_port, port = 0;
	int cfd, type, listening = 1;
	size_t i;

	if (!move_pub_active() || d->nr != SYS_getsockname || request_own(w))
		return false;
	cfd = request_child_fd(w, (int)d->args[0]);
	if (cfd < 0)
		return false;
	if (!unborn_in_host(w->sv, nscookie_of(cfd)) ||
	    getsockopt(cfd, SOL_SOCKET, SO_TYPE, &type, &ilen) || type != SOCK_STREAM ||
	    getsockopt(cfd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ilen) || listening ||
	    getsockname(cfd, (struct sockaddr *)&real, &len)) {
		close(cfd);
		return false;
	}
	close(cfd);
	host_port = movepub_port_of((struct sockaddr *)&real);
	for (i = 0; i < t->npub && !port; i++) {
		const struct publish *p = &t->pub[i];

		if (host_port >= p->host_port && host_port < p->host_port + p->count &&
		    movepub_is_live(p->port + (host_port - p->host_port)))
			port = p->port + (host_port - p->host_port);
	}
	if (!port)
		return false;
	if (real.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&view;

		sin->sin_family = AF_INET;
		sin->sin_addr = t->self4;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
	} else if (real.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&view;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&real)->sin6_addr)) {
			sin6->sin6_addr.s6_addr[10] = sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(sin6->sin6_addr.s6_addr + 12, &t->self4, 4);
		} else {
			sin6->sin6_addr = t->self6;
		}
		len = sizeof(*sin6);
	} else {
		return false;
	}
	move_names_answer(w, &view, len, r);
	return true;
}
