// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * movefd.c - the child's descriptor of a socket being moved, and the new
 * socket put in its place
 *
 * The descriptor is read from outside: its inode from the link
 * /proc/TID/fd/FD, a copy of it with pidfd_getfd(2) (request_child_fd(),
 * request.c), its O_CLOEXEC from /proc/TID/fdinfo/FD.  SECCOMP_IOCTL_NOTIF_ADDFD with
 * SECCOMP_ADDFD_FLAG_SETFD (5.9) puts the new socket under the same
 * number (the kernel's replace_fd(): atomic, the old file released).
 *
 * Where the address must be rewritten (--user-net's 10.0.2.2 is the
 * host's 127.0.0.1), netsup connects the new socket itself, non-blocking,
 * and replaces and answers when the connection is made: at once if it is
 * (often, on the host's loopback), else as a deferred request whose
 * source is an epoll instance watching the socket for EPOLLOUT; a
 * non-blocking caller gets EINPROGRESS, the connect going on in the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include "moveint.h"
#include "../common/nscookie.h"

#ifndef SECCOMP_ADDFD_FLAG_SETFD
#define SECCOMP_ADDFD_FLAG_SETFD	(1UL << 0)
#endif

#define MOVE_CONNECT_POLL_MS	1000	/* a deferred connect checks its caller */

/* --- the child's descriptor ------------------------------------------------------- */

static dev_t move_sockfs_dev;
static pthread_once_t move_sockfs_once = PTHREAD_ONCE_INIT;

static void move_sockfs_init(void)
{
	struct stat st;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && !fstat(fd, &st))
		move_sockfs_dev = st.st_dev;
	if (fd >= 0)
		close(fd);
}

/*
 * The inode of the socket the child's descriptor @fd is, from the link
 * /proc/TID/fd/FD ("socket:[INODE]"): one readlink, cheaper than a copy
 * of the descriptor.  Needs ptrace access: netsup's own credentials.
 */
int move_fd_inode(pid_t tid, int fd, dev_t *dev, ino_t *ino)
{
	char path[64], link[64], *end;
	unsigned long long n;
	ssize_t len;

	pthread_once(&move_sockfs_once, move_sockfs_init);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		return -errno;
	link[len] = '\0';
	if (strncmp(link, "socket:[", 8) != 0)
		return -ENOTSOCK;
	errno = 0;
	n = strtoull(link + 8, &end, 10);
	if (errno || end == link + 8 || strcmp(end, "]") != 0)
		return -ENOTSOCK;
	*dev = move_sockfs_dev;
	*ino = (ino_t)n;
	return 0;
}

/* Has the child's descriptor @fd O_CLOEXEC?  From /proc/TID/fdinfo/FD. */
int move_fd_cloexec(pid_t tid, int fd, bool *cloexec)
{
	char path[64], buf[256], *p, *end;
	unsigned long flags;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	p = strstr(buf, "flags:");
	if (!p)
		return -EIO;
	errno = 0;
	flags = strtoul(p + 6, &end, 8);
	if (errno || end == p + 6)
		return -EIO;
	*cloexec = flags & O_CLOEXEC;
	return 0;
}

/*
 * move_sock_ns() - the network namespace of the socket @fd
 * @fd:		netsup's copy of it
 * @cookie:	its SO_NETNS_COOKIE if known, else 0
 * @nsfd:	receives a descriptor on the namespace, or -1
 * @dev:	receives its identity
 * @ino:
 *
 * SIOCGSKNS (4.9) wants CAP_NET_ADMIN over the namespace: an
 * unprivileged netsup knows its own namespace by the socket's
 * SO_NETNS_COOKIE instead, and gets no descriptor for it (the thread is
 * there already: nothing to enter).  Such a thread never changes its
 * namespace (setns needs the privilege it lacks): its own is read once.
 *
 * Return: 0 or -errno
 */
int move_sock_ns(int fd, uint64_t cookie, int *nsfd, dev_t *dev, ino_t *ino)
{
	static __thread struct { uint64_t cookie; dev_t dev; ino_t ino; } mine;
	struct stat st;

	*nsfd = -1;
	/* known to be netsup's own (set below: a thread without the privilege) */
	if (cookie && mine.cookie && cookie == mine.cookie) {
		*dev = mine.dev;
		*ino = mine.ino;
		return 0;
	}
	*nsfd = ioctl(fd, SIOCGSKNS);
	if (*nsfd >= 0) {
		if (fstat(*nsfd, &st)) {
			close(*nsfd);
			*nsfd = -1;
			return -errno;
		}
		*dev = st.st_dev;
		*ino = st.st_ino;
		return 0;
	}
	if (errno != EPERM)
		return -errno;
	if (!mine.cookie && !stat("/proc/thread-self/ns/net", &st)) {
		mine.dev = st.st_dev;
		mine.ino = st.st_ino;
		mine.cookie = nscookie_here();
	}
	if (!mine.cookie || (cookie ? cookie : nscookie_of(fd)) != mine.cookie)
		return -EPERM;
	*dev = mine.dev;
	*ino = mine.ino;
	return 0;
}

/* Put @nfd in place of the child's descriptor @fd (SETFD). */
int move_replace(struct worker *w, __u64 id, int nfd, int fd, bool cloexec)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.flags = SECCOMP_ADDFD_FLAG_SETFD,
		.srcfd = (__u32)nfd,
		.newfd = (__u32)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};

	return ioctl(w->sv->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 ? -errno : 0;
}

/* A connect netsup makes itself (the address is rewritten), deferred. */
struct move_wait {
	struct deferred d;
	int nfd;		/* the new socket, connecting */
	int epfd;		/* EPOLLOUT of nfd: readable when it is done */
	int cfd;		/* the old socket, closed once replaced */
	int fd;			/* the child's number */
	bool cloexec, nonblock;
	int flflags;		/* in place: the child's file's flags, as they were */
	bool in_place;		/* nfd is the child's own socket (a copy):
				 * connected where it is, nothing replaced */
	dev_t old_dev;
	ino_t old_ino;
};

static void move_wait_free(struct move_wait *mw)
{
	/* the child's own file: blocking again, as it was, whatever came */
	if (mw->in_place && !mw->nonblock && mw->nfd >= 0)
		fcntl(mw->nfd, F_SETFL, mw->flflags & ~O_NONBLOCK);
	if (mw->nfd >= 0)
		close(mw->nfd);
	if (mw->epfd >= 0)
		close(mw->epfd);
	if (mw->cfd >= 0)
		close(mw->cfd);
	free(mw);
}

/*
 * The connection made by netsup is done (or failed): on success the
 * socket takes the old one's place, blocking again if it was, and the
 * call returns 0; on failure the old socket stays, unconnected, and the
 * call fails as connect(2) would.
 */
static int move_finish(struct worker *w, struct move_wait *mw)
{
	socklen_t len = sizeof(int);
	int soerr = 0, rc;

	if (getsockopt(mw->nfd, SOL_SOCKET, SO_ERROR, &soerr, &len))
		soerr = errno;
	if (soerr)
		return -soerr;
	if (mw->in_place)
		return 0;	/* blocking again in move_wait_free() */
	if (!mw->nonblock && fcntl(mw->nfd, F_SETFL, fcntl(mw->nfd, F_GETFL) & ~O_NONBLOCK))
		return -errno;
	rc = move_replace(w, mw->d.id, mw->nfd, mw->fd, mw->cloexec);
	if (!rc)
		move_rec_drop(mw->old_dev, mw->old_ino);
	return rc;
}

static void move_wait_done(struct deferred *d, struct worker *w, bool expired)
{
	struct move_wait *mw = (struct move_wait *)d;
	struct notify_reply r = { .what = NOTIFY_ZERO };
	struct epoll_event ev;
	int rc;

	w->req->id = d->id;
	w->req->pid = (__u32)d->tid;
	if (expired && epoll_wait(mw->epfd, &ev, 1, 0) <= 0) {
		/* still connecting: is anybody still waiting for it? */
		if (request_id_valid(w) && !supervisor_defer(w->sv, d, MOVE_CONNECT_POLL_MS))
			return;
		move_wait_free(mw);	/* a signal took the caller away */
		return;
	}
	rc = move_finish(w, mw);
	if (rc)
		request_fail(&r, rc);
	move_wait_free(mw);
	request_reply(w, &r);
}

/*
 * Connect @nfd to the rewritten address, then replace and answer: at once
 * if the connect is done or the child's socket is non-blocking
 * (EINPROGRESS: it goes on in the kernel), else when it is done.
 *
 * @in_place: @nfd is netsup's copy of the child's own socket, already in
 * the rule's stack (a socket that waited there: unborn.c): it connects
 * itself, and nothing is replaced.  It shares the child's open file: a
 * blocking one is made non-blocking for the connect (netsup never blocks
 * on a child's connect), and blocking again before the answer; another
 * thread of the child that looks at its flags meanwhile sees O_NONBLOCK.
 */
void move_connect_rewritten(struct worker *w, const struct creds *c,
			    const struct route *rt, struct move_src *src, int nfd,
			    bool in_place, struct sockaddr_storage *ss, socklen_t len,
			    struct notify_reply *r)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	struct move_wait *mw = calloc(1, sizeof(*mw));
	int rc = 0, crc = 0;

	if (!mw) {
		close(nfd);
		request_fail(r, -ENOMEM);
		return;
	}
	*mw = (struct move_wait){ .nfd = nfd, .epfd = -1, .cfd = -1, .fd = (int)w->req->data.args[0],
				  .cloexec = src->cloexec, .nonblock = src->nonblock,
				  .flflags = src->flflags,
				  .in_place = in_place, .old_dev = src->dev, .old_ino = src->ino };
	mw->d.id = w->req->id;
	mw->d.tid = (pid_t)w->req->pid;
	mw->d.uid = c->ruid;
	mw->d.kind = DEFER_STACK_CALL;
	mw->d.complete = move_wait_done;
	if (ss->ss_family == AF_INET)
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, rt->to, 4);
	else if (rt->family == AF_INET)	/* v4-mapped */
		memcpy(((struct sockaddr_in6 *)ss)->sin6_addr.s6_addr + 12, rt->to, 4);
	else
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, rt->to, 16);
	if (rt->to_port)	/* sin_port and sin6_port: the same place */
		((struct sockaddr_in *)ss)->sin_port = rt->to_port;
	/* the child's own file: its flags as read (move_connect()) */
	if (in_place && src->flflags < 0)
		rc = -EBADF;
	else if (!src->nonblock &&
		 fcntl(nfd, F_SETFL, (in_place ? src->flflags : fcntl(nfd, F_GETFL)) | O_NONBLOCK))
		rc = -errno;
	if (!rc) {
		crc = connect(nfd, (struct sockaddr *)ss, len) ? -errno : 0;
		if (crc && crc != -EINPROGRESS)
			rc = crc;
	}
	if (crc == -EINPROGRESS && !src->nonblock) {
		/* a blocking call: on the host's loopback the handshake is often done:
		 * no trip through the event loop then */
		struct pollfd pfd = { .fd = nfd, .events = POLLOUT };

		if (poll(&pfd, 1, 0) == 1)
			crc = 0;
	}
	if (!rc && (!crc || src->nonblock)) {
		/* done, or the child's to wait for (EINPROGRESS) */
		if (!crc) {
			rc = move_finish(w, mw);
		} else if (in_place) {
			rc = -EINPROGRESS;
		} else {
			rc = move_replace(w, w->req->id, nfd, mw->fd, mw->cloexec);
			if (!rc) {
				move_rec_drop(src->dev, src->ino);
				rc = -EINPROGRESS;
			}
		}
		move_wait_free(mw);
		if (rc)
			request_fail(r, rc);
		else
			r->what = NOTIFY_ZERO;
		return;
	}
	if (!rc) {
		mw->epfd = epoll_create1(EPOLL_CLOEXEC);
		if (mw->epfd < 0 || epoll_ctl(mw->epfd, EPOLL_CTL_ADD, nfd, &ev))
			rc = -errno;
	}
	if (!rc) {
		mw->d.fd = mw->epfd;
		rc = supervisor_defer(w->sv, &mw->d, MOVE_CONNECT_POLL_MS);
	}
	if (rc) {
		move_wait_free(mw);
		request_fail(r, rc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}
