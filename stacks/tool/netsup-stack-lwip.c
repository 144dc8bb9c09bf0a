// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-lwip.c - asking a userspace stack's daemon what it is and
 * who is connected to it
 *
 * A userspace stack is a daemon listening on a UNIX socket, the stack
 * file.  Everything netsup-stack tells of it is asked of the daemon
 * itself, with the stack protocol's HELLO (userspace.c,
 * netsup-stack-protocol(7)), whose reply carries the daemon's pid, the
 * link's MTU and a key=value description: stack, link, ipv4, ipv6, gw,
 * gw6.  No state of netsup-stack's own can disagree with it.  The
 * daemon is started and stopped by netsup-stack-lwip-daemon.c; what it
 * says is printed by netsup-stack-lwip-info.c.
 *
 * Who uses the stack: the daemon's descriptors (/proc/PID/fd) name its
 * sockets; one sock_diag dump (unixdiag.c) gives each one's peer.  The
 * daemon's sockets accepted from the stack file are client connections,
 * whose peers netsup supervisors hold; its unnamed ones are socketpairs,
 * whose other ends are the programs' sockets.  stackps.c then finds the
 * processes holding those peers.
 *
 * A stack file may be a user's, and its daemon a user's fake: the daemon
 * is the process that listens on the socket (SO_PEERCRED, SO_PEERPIDFD),
 * never the pid its HELLO gives; connects never block (a full backlog
 * would hold root's netsup-stack for as long as the listener wants).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "netsup-stack-lwip.h"
#include "../stack.h"
#include "../stackproto.h"
#include "stackps.h"
#include "unixdiag.h"

#define STACKLWIP_CONNECT_MS	500	/* a full backlog: connect retried so long */
#define STACKLWIP_RETRY_MS	10

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD		77	/* Linux 6.5 */
#endif

/**
 * stacklwip_is() - is @path a userspace stack's file (a UNIX socket)?
 * @path:	the stack's path
 *
 * Return: true if it is of the kind this file's commands serve
 */
bool stacklwip_is(const char *path)
{
	return stack_kind_of_path(path) == &userspace_kind;
}

/**
 * stacklwip_why() - a reason for messages, for what connecting said
 * @error:	negative errno from stacklwip_hello()
 *
 * Return: static string
 */
const char *stacklwip_why(int error)
{
	switch (-error) {
	case ECONNREFUSED:	return "no daemon serves it";
	case EAGAIN:		return "its daemon accepts no connection (its listen backlog is full)";
	case ETIMEDOUT:		return "its daemon did not answer HELLO within a second";
	case EPROTO:		return "its daemon does not speak the stack protocol";
	case ESRCH:		return "the process that listens on it cannot be seen from here";
	default:		return stacktool_why(error);
	}
}

/**
 * stacklwip_connect() - connect to the socket that @fd names, never waiting
 * @fd:		O_PATH descriptor on the socket file (not consumed)
 *
 * connect(2) through /proc/self/fd/N reaches the socket inode that @fd
 * holds, whatever its path names by now.  A blocking connect to a
 * listener whose backlog is full waits for as long as the listener
 * wants (a user's socket could so keep root's netsup-stack waiting):
 * the socket is non-blocking, and EAGAIN is retried for
 * STACKLWIP_CONNECT_MS at most.
 *
 * Return: the connection (SOCK_SEQPACKET, non-blocking, close-on-exec),
 *	   -ECONNREFUSED (nobody listens), -EAGAIN (the backlog stayed
 *	   full), -EPROTO (not SOCK_SEQPACKET), -EACCES, -errno
 */
static int stacklwip_connect(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int conn, rc, waited;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", fd);
	conn = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (conn < 0)
		return -errno;
	for (waited = 0;; waited += STACKLWIP_RETRY_MS) {
		if (!connect(conn, (struct sockaddr *)&sun, sizeof(sun)))
			return conn;
		rc = errno == EPROTOTYPE ? -EPROTO : -errno;
		if (rc != -EAGAIN || waited >= STACKLWIP_CONNECT_MS)
			break;
		usleep(STACKLWIP_RETRY_MS * 1000);
	}
	close(conn);
	return rc;
}

/**
 * stacklwip_peer() - who listens on the socket a connection reached
 * @conn:	the connection
 * @pid:	receives the listener's pid (SO_PEERCRED: the process that
 *		called listen(2)), never what its HELLO says
 * @pidfd:	receives a pidfd on it, or NULL if none is wanted
 *
 * SO_PEERPIDFD (Linux 6.5) gives a pidfd on that very process, even if
 * its pid has been reused since.  Before 6.5, pidfd_open(2) of the pid,
 * still the listener's if its user IDs are still the ones SO_PEERCRED
 * gave (a reused pid of another user's is refused).
 *
 * Return: 0, -ESRCH (it is gone, or not visible in our pid namespace),
 *	   -errno
 */
static int stacklwip_peer(int conn, pid_t *pid, int *pidfd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char path[64], buf[2048], *line, *end;
	unsigned long uid[2];
	int fd = -1, pfd;
	ssize_t n;

	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return -errno;
	if (cred.pid <= 0)
		return -ESRCH;
	*pid = cred.pid;
	if (!pidfd)
		return 0;
	len = sizeof(fd);
	if (!getsockopt(conn, SOL_SOCKET, SO_PEERPIDFD, &fd, &len)) {
		*pidfd = fd;
		return 0;
	}
	if (errno != ENOPROTOOPT)
		return errno == EINVAL || errno == ENODATA || errno == ESRCH ? -ESRCH : -errno;
	fd = (int)syscall(SYS_pidfd_open, cred.pid, 0);
	if (fd < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)cred.pid);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	n = pfd < 0 ? -1 : read(pfd, buf, sizeof(buf) - 1);
	if (pfd >= 0)
		close(pfd);
	buf[n > 0 ? n : 0] = '\0';
	line = strstr(buf, "\nUid:");
	if (line) {	/* real, then effective */
		uid[0] = strtoul(line + 5, &end, 10);
		uid[1] = strtoul(end, NULL, 10);
	}
	if (!line || (uid[0] != cred.uid && uid[1] != cred.uid)) {
		close(fd);
		return -ESRCH;
	}
	*pidfd = fd;
	return 0;
}

/**
 * stacklwip_hello_fd() - connect to the daemon, ask for its HELLO
 * @fd:		O_PATH descriptor on the stack file (not consumed)
 * @h:		receives what the daemon says, and its pid (stacklwip_peer())
 * @pidfd:	receives a pidfd on the daemon, or NULL
 *
 * Nothing here waits long: the connect never blocks, the answer is
 * waited for USERSPACE_HELLO_MS (userspace_greet()).
 *
 * Return: 0, -ENOTSUP (not a socket), -ECONNREFUSED (nobody serves it),
 *	   -EAGAIN (its backlog is full), -EPROTO (not the stack protocol),
 *	   -ETIMEDOUT, -ESRCH, -EACCES, other -errno
 */
int stacklwip_hello_fd(int fd, struct stacklwip_hello *h, int *pidfd)
{
	static char buf[SP_MSG_MAX];
	struct sp_msg m;
	int conn, rc;

	memset(h, 0, sizeof(*h));
	if (pidfd)
		*pidfd = -1;
	if (stack_kind_of(fd) != &userspace_kind)
		return -ENOTSUP;
	conn = stacklwip_connect(fd);
	if (conn < 0)
		return conn;
	rc = userspace_greet(conn, buf, sizeof(buf), &m);
	if (!rc)
		rc = stacklwip_peer(conn, &h->pid, pidfd);
	close(conn);
	if (rc)
		return rc == -EBADMSG || rc == -ENOSYS || rc == -EINVAL ? -EPROTO : rc;
	h->mtu = m.mtu;
	h->families = m.families;
	memcpy(h->text, m.data, m.datalen < SP_TEXT_MAX ? m.datalen : SP_TEXT_MAX);
	return 0;
}

/**
 * stacklwip_hello() - stacklwip_hello_fd() of the socket at @path
 * @path:	the stack file (symbolic links followed)
 * @h:		receives what the daemon says
 *
 * Return: as stacklwip_hello_fd()
 */
int stacklwip_hello(const char *path, struct stacklwip_hello *h)
{
	int fd = open(path, O_PATH | O_CLOEXEC), rc;

	memset(h, 0, sizeof(*h));
	if (fd < 0)
		return -errno;
	rc = stacklwip_hello_fd(fd, h, NULL);
	close(fd);
	return rc;
}

/**
 * stacklwip_value() - the @nth value of @key in a HELLO description
 * @h:		the description
 * @key:	"link", "ipv4"...
 * @nth:	0 for the first line with that key
 * @buf:	receives the value
 * @len:	size of @buf
 *
 * Return: true if there is one
 */
bool stacklwip_value(const struct stacklwip_hello *h, const char *key, int nth,
		     char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *line, *end;

	for (line = h->text; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if ((size_t)(end - line) <= klen || strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		if (nth-- > 0)
			continue;
		snprintf(buf, len, "%.*s", (int)(end - line - klen - 1), line + klen + 1);
		return true;
	}
	return false;
}

/**
 * stacklwip_inode_cmp() - qsort and bsearch order of inodes
 * @a:		an ino_t
 * @b:		another
 *
 * Return: <0, 0, >0
 */
static int stacklwip_inode_cmp(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return (x > y) - (x < y);
}

/**
 * stacklwip_daemon_sockets() - the socket inodes a process holds, sorted
 * @pid:	the daemon
 * @out:	receives them (malloc)
 * @n:		receives how many
 *
 * Return: 0, or -errno (-ESRCH: gone, -EACCES)
 */
static int stacklwip_daemon_sockets(pid_t pid, ino_t **out, size_t *n)
{
	char path[64], link[64];
	size_t cap = 0;
	struct dirent *d;
	ino_t *more;
	ssize_t len;
	DIR *dir;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((d = readdir(dir))) {
		len = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "socket:[", 8) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			more = realloc(*out, cap * sizeof(**out));
			if (!more) {
				closedir(dir);
				free(*out);
				*out = NULL;
				return -ENOMEM;
			}
			*out = more;
		}
		(*out)[(*n)++] = (ino_t)strtoull(link + 8, NULL, 10);
	}
	closedir(dir);
	if (*n)
		qsort(*out, *n, sizeof(**out), stacklwip_inode_cmp);
	return 0;
}

/**
 * stacklwip_peers() - the peers of a daemon's sockets, by kind
 * @pid:	the daemon
 * @m:		receives socks (the programs' ends of its socketpairs) and
 *		conns (the clients' ends of its connections), sorted
 *		(malloc: free both)
 *
 * Return: 0, or -errno
 */
int stacklwip_peers(pid_t pid, struct stackps_match *m)
{
	struct unixdiag_sock *all;
	ino_t *own, *socks = NULL, *conns = NULL;
	size_t nall, nown, i, ns = 0, nc = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	m->daemon = pid;
	rc = stacklwip_daemon_sockets(pid, &own, &nown);
	if (rc)
		return rc;
	rc = unixdiag_dump(&all, &nall);
	if (rc) {
		free(own);
		return rc;
	}
	socks = calloc(nall + 1, sizeof(*socks));
	conns = calloc(nall + 1, sizeof(*conns));
	if (!socks || !conns)
		rc = -ENOMEM;
	for (i = 0; !rc && i < nall; i++) {
		if (!own || !all[i].peer || all[i].state == 10 /* TCP_LISTEN */ ||
		    !bsearch(&all[i].ino, own, nown, sizeof(*own), stacklwip_inode_cmp))
			continue;
		if (all[i].named)
			conns[nc++] = all[i].peer;
		else
			socks[ns++] = all[i].peer;
	}
	free(all);
	free(own);
	if (rc) {
		free(socks);
		free(conns);
		return rc;
	}
	qsort(socks, ns, sizeof(*socks), stacklwip_inode_cmp);
	qsort(conns, nc, sizeof(*conns), stacklwip_inode_cmp);
	m->socks = socks;
	m->nsocks = ns;
	m->conns = conns;
	m->nconns = nc;
	return 0;
}

/**
 * stacklwip_match() - what makes a process a user of the stack at @path
 * @path:	a userspace stack's socket
 * @m:		receives its daemon and the inodes of its sockets' and its
 *		clients' ends; free m->socks and m->conns
 *
 * Return: 0, or -errno (the daemon does not answer, its descriptors
 *	   cannot be read)
 */
int stacklwip_match(const char *path, struct stackps_match *m)
{
	struct stacklwip_hello h;
	int rc = stacklwip_hello(path, &h);

	return rc ? rc : stacklwip_peers(h.pid, m);
}
