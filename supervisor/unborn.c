// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unborn.c - a socket of a userspace stack is a kernel socket until the
 * first call that needs the stack
 *
 * Asking a daemon for every socket(2) costs a round trip through another
 * process (four wake-ups across CPUs: 30 to 100 µs, where the kernel takes
 * 2), and what the daemon gives back, one end of a socketpair, acts
 * connected from the start: recv() of a TCP socket that never connected
 * says EAGAIN where the kernel says ENOTCONN, send() queues bytes where the
 * kernel says EPIPE, and a UDP send() with no destination vanishes where
 * the kernel says EDESTADDRREQ.  So socket() in such a stack gives the
 * child a kernel socket of the same kind, made where it can do no harm:
 *
 * - in an empty network namespace of netsup's (made once, with netsup's
 *   own CAP_SYS_ADMIN: no interface is up, nothing can be reached), or,
 *   for --user-net's TCP, in netsup's own namespace: where the rule for
 *   everything outside the command's network would move it at connect()
 *   anyway (move.c), so that such a connection needs no move at all;
 * - known again by where it is (SO_NETNS_COOKIE, Linux 5.14), whatever
 *   descriptor names it (dup, fork, SCM_RIGHTS), with no table that could
 *   outlive it: every socket of the empty namespace waits; in netsup's own
 *   namespace, every fresh TCP socket of a process whose default is a
 *   userspace stack, since socket() gives such a process no other.  The
 *   stack it waits for is the caller's default: a process that names
 *   another stack with msocket(3), or none, gets the daemon's socket at
 *   once.  (A locked socket filter, SO_LOCK_FILTER, would mark each
 *   socket, but Linux 6.18 refuses one on a TCP socket to an unprivileged
 *   user, as --user-net's netsup is);
 * - and only while it is fresh: a TCP socket in TCP_CLOSE, a UDP socket
 *   with no peer, neither bound (but by a failed send()).  A socket
 *   connected where it is (in the host, as a moved socket would be) is a
 *   kernel socket from then on.
 *
 * The kernel answers what it can answer as the stack would: recv, send,
 * shutdown, getsockopt, getsockname and getpeername of a fresh socket,
 * setsockopt of an option that moveopt.c carries to another stack.  The
 * first call that needs the stack (bind, listen, connect, a datagram sent
 * to an address, an option netsup does not carry) makes the socket there:
 * the daemon's socket is asked for (deferred), given the options set so
 * far and O_NONBLOCK, put in place of the kernel socket under the same
 * number (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SETFD, 5.9,
 * O_CLOEXEC as it was), and then the call is handled again, as the
 * forwarded call on the stack's socket that it now is (ucall.c).
 *
 * Only x86-64 callers get such a socket: i386 and x32 calls with a struct
 * msghdr reach the descriptor undecoded.  Descriptors dup()ed before the
 * first such call keep the kernel socket, as after a move.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "route.h"
#include "unborn.h"
#include "ustack.h"
#include "../common/nscookie.h"
#include "../common/thread.h"
#include "../common/util.h"

#ifndef AUDIT_ARCH_X86_64
#define AUDIT_ARCH_X86_64	0xc000003e
#endif
#ifndef X32_SYSCALL_BIT
#define X32_SYSCALL_BIT		0x40000000
#endif

struct unborn {
	struct stack *empty;		/* netsup's empty namespace, or NULL */
	struct stack *host[2];		/* --user-net: TCP of inet, inet6 */
	uint64_t empty_cookie;		/* SO_NETNS_COOKIE of each, or 0 */
	uint64_t host_cookie;
	bool made;			/* atomic: a socket waits, or waited */
};

/**
 * unborn_any() - has any socket been made to wait?
 * @sv:		the supervisor
 *
 * Until then no call is asked about (a session that never uses a
 * userspace stack pays nothing for this).
 *
 * Return: true once one has
 */
bool unborn_any(const struct supervisor *sv)
{
	return sv->unborn && __atomic_load_n(&sv->unborn->made, __ATOMIC_ACQUIRE);
}

struct unborn_empty {
	int fd;
	uint64_t cookie;
};

/* On a thread of its own: a new network namespace, its descriptor, its cookie. */
static int unborn_make_empty(void *arg)
{
	struct unborn_empty *e = arg;

	if (unshare(CLONE_NEWNET))
		return -errno;
	e->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (e->fd < 0)
		return -errno;
	e->cookie = nscookie_here();
	return e->cookie ? 0 : -ENOTSUP;
}

/* The rule of everything outside, if it is netsup's own to a kernel stack. */
static struct stack *unborn_host_of(const struct route_table *t, int family)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	const struct route *rt;

	if (!t || !t->n)
		return NULL;
	rt = route_match(t, (struct sockaddr *)&ss,
			 family == AF_INET ? sizeof(struct sockaddr_in) :
					     sizeof(struct sockaddr_in6));
	if (!rt || rt->action != ROUTE_STACK || !rt->trusted || rt->rewrite ||
	    !stack_served_here(rt->s))
		return NULL;
	return stack_get(rt->s);
}

/**
 * unborn_init() - where the sockets of userspace stacks wait
 * @sv:		the supervisor, before its loop runs (its routes set), on
 *		its own first thread (in netsup's namespace)
 *
 * Without an empty namespace (no CAP_SYS_ADMIN) and without --user-net,
 * sockets are made by their daemon at socket(), as before.
 * NETSUP_NO_UNBORN=1 asks for that too (benchmarks compare the two).
 *
 * Return: 0, or -ENOMEM
 */
int unborn_init(struct supervisor *sv)
{
	struct unborn_empty e = { .fd = -1 };
	struct unborn *ub;
	int rc;

	sv->unborn = NULL;
	if (!sv->userspace || getenv("NETSUP_NO_UNBORN"))
		return 0;
	ub = calloc(1, sizeof(*ub));
	if (!ub)
		return -ENOMEM;
	rc = thread_run(unborn_make_empty, &e);
	if (!rc)
		rc = stack_from_fd(e.fd, "(a socket not yet in its stack)", &ub->empty);
	if (rc)
		debug("no empty namespace for sockets not yet in their stack: %s",
		      strerror(-rc));
	else
		ub->empty_cookie = e.cookie;
	if (e.fd >= 0)
		close(e.fd);
	ub->host_cookie = nscookie_here();
	if (ub->host_cookie && ub->host_cookie != ub->empty_cookie) {
		ub->host[0] = unborn_host_of(sv->routes, AF_INET);
		ub->host[1] = unborn_host_of(sv->routes, AF_INET6);
	}
	sv->unborn = ub;
	if (sv->tcp_native) {
		/* the command's TCP sockets are made without us: they must be
		 * known as waiting ones, or nothing would hold them */
		if (!ub->host[0] || !ub->host[1]) {
			err("--user-net: its TCP sockets cannot wait in netsup's namespace");
			unborn_fini(sv);
			return -ENOTRECOVERABLE;
		}
		__atomic_store_n(&ub->made, true, __ATOMIC_RELEASE);
	}
	if (!ub->empty && !ub->host[0] && !ub->host[1])
		unborn_fini(sv);
	return 0;
}

void unborn_fini(struct supervisor *sv)
{
	struct unborn *ub = sv->unborn;

	if (!ub)
		return;
	stack_put(ub->empty);
	stack_put(ub->host[0]);
	stack_put(ub->host[1]);
	free(ub);
	sv->unborn = NULL;
}

/* The caller's default stack of @domain, if a daemon serves it. */
static struct stack *unborn_default(struct worker *w, const struct creds *c, int domain)
{
	struct stack *def = request_default(w, c, stack_family_index(domain));

	if (def && !stack_served_by_daemon(def)) {
		stack_put(def);
		def = NULL;
	}
	return def;
}

/**
 * unborn_hold() - where socket(2) in a userspace stack makes a kernel
 *		   socket that waits for the stack
 * @w:		the handling thread
 * @s:		the userspace stack
 * @c:		the caller's credentials
 * @domain:	socket(2) arguments
 * @type:
 * @protocol:
 *
 * Return: the stack to make it in (create_socket()), or NULL to ask the
 *	   daemon at once
 */
struct stack *unborn_hold(struct worker *w, struct stack *s, const struct creds *c,
			  int domain, int type, int protocol)
{
	const struct seccomp_data *d = &w->req->data;
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct unborn *ub = w->sv->unborn;
	struct stack *hold, *def;
	bool mine;

	if (!ub || (domain != AF_INET && domain != AF_INET6) ||
	    d->arch != AUDIT_ARCH_X86_64 || (d->nr & X32_SYSCALL_BIT))
		return NULL;
	if (base == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP))
		hold = ub->host[domain == AF_INET6] ? ub->host[domain == AF_INET6] : ub->empty;
	else if (base == SOCK_DGRAM && (protocol == 0 || protocol == IPPROTO_UDP))
		hold = ub->empty;
	else
		return NULL;
	/* it is known again as the caller's default's: only that waits */
	def = unborn_default(w, c, domain);
	mine = def && stack_same(def, s);
	stack_put(def);
	if (!mine)
		return NULL;
	__atomic_store_n(&ub->made, true, __ATOMIC_RELEASE);
	return hold;
}

/*
 * Is the kernel socket @fd as socket() made it: unconnected, unbound?  A
 * bind is always the stack's, never the kernel's: a UDP socket bound to
 * the wildcard was bound by a send() that failed (inet_autobind(), before
 * EDESTADDRREQ), with a port that means nothing where it waits.
 */
static bool unborn_fresh(int fd)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(int);
	struct tcp_info ti;
	int type;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len))
		return false;
	if (type == SOCK_STREAM) {
		len = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) || ti.tcpi_state != TCP_CLOSE)
			return false;
	} else {
		len = sizeof(ss);
		if (!getpeername(fd, (struct sockaddr *)&ss, &len) || errno != ENOTCONN)
			return false;
	}
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return false;
	if (ss.ss_family == AF_INET)
		return (type == SOCK_DGRAM || !((struct sockaddr_in *)&ss)->sin_port) &&
		       ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY);
	if (ss.ss_family == AF_INET6)
		return (type == SOCK_DGRAM || !((struct sockaddr_in6 *)&ss)->sin6_port) &&
		       IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr);
	return false;
}

/**
 * unborn_in_host() - is @cookie netsup's namespace, where --user-net's TCP waits?
 * @sv:		the supervisor
 * @cookie:	a socket's SO_NETNS_COOKIE
 *
 * Return: true if it is
 */
bool unborn_in_host(const struct supervisor *sv, uint64_t cookie)
{
	return sv->unborn && sv->unborn->host_cookie && cookie == sv->unborn->host_cookie;
}

/* Is a kernel socket of these one of those that wait (not yet if fresh)? */
static bool unborn_kind(const struct unborn *ub, uint64_t cookie, int domain, int type)
{
	if (!cookie || (cookie != ub->empty_cookie && cookie != ub->host_cookie))
		return false;
	if (domain != AF_INET && domain != AF_INET6)
		return false;
	/* netsup's namespace: TCP only, and only where such sockets wait */
	return cookie == ub->empty_cookie || (type == SOCK_STREAM && ub->host[domain == AF_INET6]);
}

/**
 * unborn_of_known() - unborn_of() of a socket whose kind the caller read
 * @w:		the handling thread (of a call on it)
 * @cookie:	its namespace's SO_NETNS_COOKIE
 * @domain:	its SO_DOMAIN and SO_TYPE
 * @type:
 * @fresh:	unconnected and unbound (a UDP socket: bound to the wildcard)
 *
 * Return: the stack, referenced, or NULL
 */
struct stack *unborn_of_known(struct worker *w, uint64_t cookie, int domain, int type,
			      bool fresh)
{
	struct creds c;

	if (!unborn_any(w->sv) || !fresh || !unborn_kind(w->sv->unborn, cookie, domain, type) ||
	    request_creds(w, &c))
		return NULL;
	return unborn_default(w, &c, domain);
}

/**
 * unborn_kernel_default() - the kernel stack a socket made in the command
 *			     without us belongs to
 * @w:		the handling thread (of a call on it)
 * @fd:		netsup's copy of the child's descriptor
 *
 * With sv->tcp_native the kernel makes every TCP socket of the command in
 * netsup's namespace, whatever the caller's default: one whose caller made
 * a namespace other than netsup's its default (msocket(3) SOCK_DEFAULT)
 * belongs there, and is made there at its first call that needs a stack
 * (unbornmake.c).
 *
 * Return: that stack, referenced, or NULL (any other socket)
 */
struct stack *unborn_kernel_default(struct worker *w, int fd)
{
	struct unborn *ub = w->sv->unborn;
	socklen_t len = sizeof(int);
	struct stack *def;
	int domain, type;
	struct creds c;

	if (!w->sv->tcp_native || !ub || !unborn_in_host(w->sv, nscookie_of(fd)) ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    !unborn_kind(ub, ub->host_cookie, domain, type) || !unborn_fresh(fd) ||
	    request_creds(w, &c))
		return NULL;
	def = request_default(w, &c, stack_family_index(domain));
	if (!def || stack_served_by_daemon(def) || !stack_served_here(def) ||
	    stack_same(def, ub->host[domain == AF_INET6])) {
		stack_put(def);
		return NULL;
	}
	return def;
}

/**
 * unborn_of() - the userspace stack a kernel socket waits for
 * @w:		the handling thread (of a call on it)
 * @fd:		netsup's copy of the child's descriptor
 *
 * Return: the stack, referenced, or NULL if @fd is no such socket (any
 *	   other descriptor, or one that is fresh no more)
 */
struct stack *unborn_of(struct worker *w, int fd)
{
	socklen_t len = sizeof(int);
	uint64_t cookie;
	int domain, type;

	if (!unborn_any(w->sv))
		return NULL;
	cookie = nscookie_of(fd);
	if (!cookie || (cookie != w->sv->unborn->empty_cookie &&
			cookie != w->sv->unborn->host_cookie))
		return NULL;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len))
		return NULL;
	return unborn_of_known(w, cookie, domain, type,
			       unborn_kind(w->sv->unborn, cookie, domain, type) && unborn_fresh(fd));
}
