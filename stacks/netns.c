// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * netns.c - kernel stacks: sockets created inside a network namespace
 *
 * A network-namespace file is recognised by fstatfs() == NSFS_MAGIC and
 * ioctl(NS_GET_NSTYPE) == CLONE_NEWNET (Linux 4.11; the ioctl is only
 * issued on nsfs, where its number cannot mean anything else).  It is
 * re-opened O_RDONLY through /proc/self/fd, because setns(2) refuses O_PATH
 * descriptors; the re-open checks the file's permission again, with the
 * credentials of the calling thread.  ioctl(NS_GET_USERNS) (4.9) tells
 * which user namespace owns it: the kernel grants capabilities in it by
 * that owner, which decides how a socket can be made for a child as the
 * child really is (notify.c).
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
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>

#include "stack.h"
#include "userstack.h"
#include "../common/thread.h"
#include "../common/fileid.h"

static bool netns_entered(const struct stack *s, const struct stack_thread *t)
{
	return t->netns_dev == s->dev && t->netns_ino == s->ino;
}

/* Move the calling thread into @s, if it is not there yet. */
static int netns_enter(struct stack *s, struct stack_thread *t)
{
	if (netns_entered(s, t))
		return 0;
	if (setns(s->fd, CLONE_NEWNET))
		return -errno;
	t->netns_dev = s->dev;
	t->netns_ino = s->ino;
	return 0;
}

/* A socket in @s, with the calling thread's current credentials. */
static int netns_socket(struct stack *s, struct stack_thread *t,
			int domain, int type, int protocol)
{
	int rc, fd;

	/* which families a stack serves is the caller's to check */
	rc = netns_enter(s, t);
	if (rc)
		return rc;
	fd = socket(domain, type | SOCK_CLOEXEC, protocol);
	return fd < 0 ? -errno : fd;
}

static int netns_try_enter(void *arg)
{
	const struct stack *s = arg;

	return setns(s->fd, CLONE_NEWNET) ? -errno : 0;
}

/* Can this process enter @s?  Tried on a short-lived thread. */
static int netns_check(const struct stack *s)
{
	return thread_run(netns_try_enter, (void *)s);
}

/* Is the namespace @fd owned by another user namespace than ours? */
static bool netns_foreign_owner(int fd)
{
	struct stat own, st;
	bool foreign = true;	/* unknown: the careful answer */
	int user;

	user = ioctl(fd, NS_GET_USERNS);
	if (user < 0)
		return errno != EPERM;	/* EPERM: an ancestor of ours owns it */
	if (!fstat(user, &st) && !stat("/proc/self/ns/user", &own))
		foreign = !fileid_same(&st, &own);
	close(user);
	return foreign;
}

/* A file on nsfs: a namespace of some type (netns_open() checks which). */
static bool netns_probe(int fd, const struct stat *st, const struct statfs *sfs)
{
	(void)fd;
	(void)st;
	return sfs->f_type == NSFS_MAGIC;
}

/* A stack of a user namespace the user owns: netsup and the command join it. */
static int netns_join_owner(struct stack *s)
{
	int rc = userstack_join_owner(s->fd);

	if (rc > 0)
		s->foreign_owner = false;
	return rc;
}

/**
 * netns_open() - a kernel stack from a descriptor on an nsfs file
 * @fd:		descriptor on the file (any open mode; not consumed)
 * @st:		its fstat()
 * @path:	name for messages
 * @out:	receives a new stack with one reference
 *
 * Return: 0, -ENOTSUP if it is another kind of namespace, -errno of the
 *	   re-open (EACCES when the calling thread may not read the file)
 */
static int netns_open(int fd, const struct stat *st, const char *path, struct stack **out)
{
	struct stack *s;
	char proc[64];
	int nfd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	nfd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (nfd < 0)
		return -errno;
	if (ioctl(nfd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		close(nfd);
		return -ENOTSUP;
	}
	s = stack_alloc(&netns_kind, path);
	if (!s) {
		close(nfd);
		return -ENOMEM;
	}
	s->fd = nfd;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->families = FAM_MASK_ALL;
	s->foreign_owner = netns_foreign_owner(nfd);
	*out = s;
	return 0;
}

const struct stack_kind netns_kind = {
	.name		= "netns",
	.serving	= STACK_SERVED_HERE,
	.access		= R_OK,		/* setns() needs it open for reading */
	.any_domain	= true,
	.probe		= netns_probe,
	.open		= netns_open,
	.check		= netns_check,
	.join_owner	= netns_join_owner,
	.entered	= netns_entered,
	.enter		= netns_enter,
	.socket		= netns_socket,
};

/**
 * stack_thread_init() - record where the calling handling thread is
 * @t:		its state
 *
 * Return: 0 or -errno
 */
int stack_thread_init(struct stack_thread *t)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st))
		return -errno;
	t->netns_dev = st.st_dev;
	t->netns_ino = st.st_ino;
	return 0;
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
