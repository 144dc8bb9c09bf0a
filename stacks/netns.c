// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netns.c - kernel stacks: sockets created inside a network namespace
 *
 * setns(fd, CLONE_NEWNET) (Linux 3.0) moves only the calling thread into
 * the namespace, so each handling thread of the supervisor can sit in a
 * different stack.  The move is sticky: a thread stays in the namespace of
 * its last socket, and a run of sockets for one stack costs one setns().
 * socket(2) binds the new socket to the namespace of the calling thread
 * for its whole life (sock->sk->sk_net); nothing later depends on where
 * the thread goes next.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stack.h"

/**
 * stack_cursor_init() - record the namespace the calling thread is in
 * @cur:	cursor of the calling thread
 *
 * Return: 0 or -errno
 */
int stack_cursor_init(struct stack_cursor *cur)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st))
		return -errno;
	cur->dev = st.st_dev;
	cur->ino = st.st_ino;
	return 0;
}

/**
 * stack_enter() - move the calling thread into a kernel stack, if needed
 * @s:		the stack
 * @cur:	cursor of the calling thread
 *
 * Return: 0 or -errno of setns(2)
 */
int stack_enter(struct stack *s, struct stack_cursor *cur)
{
	if (stack_is_current(s, cur))
		return 0;
	if (setns(s->fd, CLONE_NEWNET))
		return -errno;
	cur->dev = s->dev;
	cur->ino = s->ino;
	return 0;
}

/**
 * stack_socket() - create a socket in a stack, with the calling thread's
 *		    current credentials
 * @s:		the stack
 * @cur:	cursor of the calling thread
 * @domain:	socket(2) arguments; SOCK_CLOEXEC is added, the caller
 * @type:	decides the flag of the descriptor it hands on
 * @protocol:
 *
 * Return: the new descriptor, or -errno
 */
int stack_socket(struct stack *s, struct stack_cursor *cur,
		 int domain, int type, int protocol)
{
	int rc, fd;

	/* which families a stack serves is the caller's to check */
	rc = stack_enter(s, cur);
	if (rc)
		return rc;
	fd = socket(domain, type | SOCK_CLOEXEC, protocol);
	return fd < 0 ? -errno : fd;
}

/**
 * stack_lo_up() - bring up lo in the calling thread's network namespace
 *
 * A new namespace has lo down: nothing, not even 127.0.0.1, would work.
 *
 * Return: 0 or -errno
 */
int stack_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		rc = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!rc && ioctl(fd, SIOCSIFFLAGS, &ifr))
		rc = -errno;
	close(fd);
	return rc;
}

static void *netns_try_enter(void *arg)
{
	const struct stack *s = arg;

	return (void *)(long)(setns(s->fd, CLONE_NEWNET) ? errno : 0);
}

/**
 * stack_check_enter() - can this process enter the stack at all?
 * @s:		the stack
 *
 * Tried on a short-lived thread, so that the caller stays where it is.
 *
 * Return: 0 or -errno of setns(2)
 */
int stack_check_enter(const struct stack *s)
{
	pthread_t t;
	void *res;
	int rc;

	rc = pthread_create(&t, NULL, netns_try_enter, (void *)s);
	if (rc)
		return -rc;
	pthread_join(t, &res);
	return -(int)(long)res;
}
