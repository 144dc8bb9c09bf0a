// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * msocket.c - libmsocket: msocket(3)
 *
 * Under netsup (or vuos) msocket is the system call -5, served by the
 * supervisor, which resolves the path in the caller's view and keeps the
 * per-process default stacks.  Without a supervisor the kernel answers
 * ENOSYS and the library does what one process can do alone:
 * - path NULL: socket(2) in the caller's own stack;
 * - a network-namespace file: a short-lived thread enters it with
 *   setns(2) (per thread for CLONE_NEWNET; needs CAP_SYS_ADMIN over the
 *   namespace) and creates the socket there; the caller's threads stay
 *   where they are;
 * - the socket of a userspace stack: ENOTSUP at once, without connecting
 *   (serving it takes the supervisor, which forwards the calls whose
 *   meaning a socketpair cannot carry);
 * - SOCK_DEFAULT: ENOSYS, since nothing could redirect socket(2).
 * Under a supervisor that has died, the same calls fail with ENOSYS all
 * the same: the fallback's own socket(2) is refused by the filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "msocket.h"
#include "../stacks/stack.h"

#define MSOCKET_EXPORT __attribute__((visibility("default")))

struct msocket_local {
	struct stack *stack;
	int domain, type, protocol;
	int result;		/* fd or -errno */
};

static void *msocket_local_thread(void *arg)
{
	struct msocket_local *l = arg;
	int fd;

	if (setns(l->stack->fd, CLONE_NEWNET)) {
		l->result = -errno;
		return NULL;
	}
	fd = socket(l->domain, l->type, l->protocol);
	l->result = fd < 0 ? -errno : fd;
	return NULL;
}

/* A socket in the namespace @path names, without a supervisor. */
static int msocket_local(const char *path, int domain, int type, int protocol)
{
	struct msocket_local l = { .domain = domain, .type = type, .protocol = protocol };
	struct stat st;
	pthread_t t;
	int rc;

	/* as the supervisor: the family first; open(2) reports EFAULT,
	 * ENAMETOOLONG and ENOENT for the path */
	if (stack_family_index(domain) < 0)
		return -EAFNOSUPPORT;
	if (!stat(path, &st) && S_ISSOCK(st.st_mode))
		return -ENOTSUP;	/* a daemon's: see the top of this file */
	rc = stack_open(path, &l.stack);
	if (rc)
		return rc;
	rc = pthread_create(&t, NULL, msocket_local_thread, &l);
	if (rc) {
		rc = -rc;
		goto out;
	}
	pthread_join(t, NULL);
	rc = l.result;
out:
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
