// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * msocket.c - libmsocket: msocket(3)
 *
 * Under netsup (or vuos) msocket is the system call -5, served by the
 * supervisor, which resolves the path in the caller's view and keeps the
 * per-process default stacks.  Without a supervisor the kernel answers
 * ENOSYS and the library does what one process can do alone:
 * - path NULL: socket(2) in the caller's own stack;
 * - a stack whose sockets a thread makes (a network-namespace file): a
 *   short-lived thread enters it (stack_enter(): setns(2), per thread for
 *   CLONE_NEWNET, needs CAP_SYS_ADMIN over the namespace) and creates the
 *   socket there; the caller's threads stay where they are;
 * - a stack served by a daemon (the socket of a userspace stack): ENOTSUP
 *   at once, from the file's kind, without connecting
 *   (serving it takes the supervisor, which forwards the calls whose
 *   meaning a socketpair cannot carry);
 * - SOCK_DEFAULT: ENOSYS, since nothing could redirect socket(2).
 * Under a supervisor that has died, the same calls fail with ENOSYS all
 * the same: the fallback's own socket(2) is refused by the filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "msocket.h"
#include "../stacks/stack.h"
#include "../common/thread.h"

#define MSOCKET_EXPORT __attribute__((visibility("default")))

struct msocket_local {
	struct stack *stack;
	int domain, type, protocol;
	int result;		/* fd or -errno */
};

/* On a thread of its own: entering a stack moves the calling thread. */
static int msocket_local_thread(void *arg)
{
	struct msocket_local *l = arg;
	struct stack_thread t;

	l->result = stack_thread_init(&t);
	if (!l->result)
		l->result = stack_enter(l->stack, &t);
	if (!l->result)
		l->result = stack_socket(l->stack, &t, l->domain,
					 l->type & ~SOCK_CLOEXEC, l->protocol);
	/* stack_socket() adds SOCK_CLOEXEC: the caller's choice wins */
	if (l->result >= 0 && !(l->type & SOCK_CLOEXEC) &&
	    fcntl(l->result, F_SETFD, 0)) {
		close(l->result);
		l->result = -errno;
	}
	return l->result;
}

/* A socket in the stack @path names, without a supervisor. */
static int msocket_local(const char *path, int domain, int type, int protocol)
{
	struct msocket_local l = { .domain = domain, .type = type, .protocol = protocol };
	const struct stack_kind *k;
	int fd, rc;

	/* as the supervisor: the family first; open(2) reports EFAULT,
	 * ENAMETOOLONG and ENOENT for the path */
	if (stack_family_index(domain) < 0)
		return -EAFNOSUPPORT;
	/* one open: the file whose kind is checked is the one opened */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	k = stack_kind_of(fd);
	if (k && k->serving != STACK_SERVED_HERE)
		rc = -ENOTSUP;	/* a daemon's: see the top of this file */
	else
		rc = stack_from_fd(fd, path, &l.stack);
	close(fd);
	if (rc)
		return rc;
	rc = thread_run(msocket_local_thread, &l);
	stack_put(l.stack);
	return rc;
}

/**
 * msocket() - create a socket in the stack @path names, or set a default
 * @path:	a stack file, or NULL for the caller's default for @domain
 * @domain:	AF_INET, AF_INET6, AF_NETLINK, AF_PACKET (AF_UNSPEC with
 *		SOCK_DEFAULT: every family the stack serves)
 * @type:	as for socket(2), or SOCK_DEFAULT to make @path the default
 * @protocol:	as for socket(2)
 *
 * Return: a descriptor (0 for SOCK_DEFAULT), or -1 with errno set
 */
MSOCKET_EXPORT int msocket(const char *path, int domain, int type, int protocol)
{
	long r;
	int rc;

	r = syscall(MSOCKET_SYSCALL, path, domain, type, protocol);
	if (r >= 0 || errno != ENOSYS)
		return (int)r;

	if (!(type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))) {
		errno = ENOSYS;		/* SOCK_DEFAULT needs a supervisor */
		return -1;
	}
	if (!path)
		return socket(domain, type, protocol);
	rc = msocket_local(path, domain, type, protocol);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}
