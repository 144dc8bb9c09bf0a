// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * userspace.c - userspace stacks: a daemon serving sockets over a UNIX socket
 *
 * A stack file that is a UNIX socket (S_ISSOCK) is the stack file of a
 * userspace stack daemon such as netsup-lwip.  The stack object holds one
 * SOCK_SEQPACKET connection to it, made through /proc/self/fd/N of the
 * O_PATH descriptor that named it (connect(2) follows the magic link to the
 * socket inode, and checks write permission on it with the credentials of
 * the calling thread: the file's permissions are the access control), and
 * greets the daemon with HELLO (netsup-stack-protocol(7)), bounded by
 * USERSPACE_HELLO_MS: the daemon tells which families it serves.  Sockets
 * made in the stack are the daemon's, per connection: the connection must
 * live as long as they do (the supervisor keeps one per daemon).
 *
 * Creating a socket is a request to the daemon, answered later: the kind
 * has no synchronous socket(); the supervisor's client (supervisor/ustack.c)
 * does the asking.
 *
 * Connecting never waits for the daemon without a bound.  A UNIX listener
 * whose backlog is full (anyone who can connect can fill it) makes a
 * blocking connect(2) wait for as long as it stays full; so connections
 * are made with SOCK_NONBLOCK, where a full backlog is EAGAIN at once:
 * userspace_connect() tries again for up to USERSPACE_HELLO_MS (start-up,
 * the netsup-stack tool), the supervisor's loop never waits and tries
 * again later itself (userspace_connect_start(), and the HELLO split into
 * userspace_hello_send() and userspace_hello_parse()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "stack.h"
#include "stackproto.h"

#define USERSPACE_HELLO_MS	1000
#define USERSPACE_RETRY_MS	10	/* a full backlog, tried again */

/**
 * userspace_hello_send() - say HELLO on a new connection
 * @fd:		a connection to the daemon, not greeted yet
 * @buf:	room to encode it
 * @cap:	its size (SP_MSG_MAX)
 *
 * Return: 0 or -errno
 */
int userspace_hello_send(int fd, void *buf, size_t cap)
{
	struct sp_msg m = { .op = SP_HELLO, .id = 1, .version_min = SP_VERSION_MIN,
			    .version_max = SP_VERSION };
	ssize_t n;

	n = sp_encode(&m, buf, cap);
	if (n < 0)
		return (int)n;
	n = sp_send(fd, buf, (size_t)n, -1);
	return n < 0 ? (int)n : 0;
}

/**
 * userspace_hello_parse() - the daemon's answer to HELLO
 * @buf:	the message received
 * @len:	its length
 * @m:		receives it, decoded (its text points into @buf)
 *
 * Return: 0, the daemon's -errno, -EPROTO (not a HELLO reply), or a
 *	   decoding error
 */
int userspace_hello_parse(const void *buf, size_t len, struct sp_msg *m)
{
	int rc = sp_decode(buf, len, m);

	if (rc)
		return rc;
	if (!m->reply || m->op != SP_HELLO || m->id != 1)
		return -EPROTO;
	if (m->result >= 0 && (m->version < SP_VERSION_MIN || m->version > SP_VERSION))
		return -EPROTO;
	return m->result < 0 ? m->result : 0;
}

/**
 * userspace_families() - the families a HELLO reply says the daemon serves
 * @m:		the reply, parsed
 * @families:	receives the mask of 1 << enum stack_family
 *
 * Return: 0, or -EPROTO if it serves none netsup knows
 */
int userspace_families(const struct sp_msg *m, unsigned int *families)
{
	*families = 0;
	if (m->families & SP_FAM_INET)
		*families |= 1U << FAM_INET;
	if (m->families & SP_FAM_INET6)
		*families |= 1U << FAM_INET6;
	if ((m->families & SP_FAM_NETLINK) && m->version >= 2)
		*families |= 1U << FAM_NETLINK;
	return *families ? 0 : -EPROTO;
}

/**
 * userspace_greet() - say HELLO, and read the answer within USERSPACE_HELLO_MS
 * @fd:		a connection to the daemon, not greeted yet
 * @buf:	room for the reply
 * @cap:	its size (SP_MSG_MAX)
 * @m:		receives the reply, decoded (its text points into @buf)
 *
 * Return: 0, the daemon's -errno, -EPROTO (not a HELLO reply),
 *	   -ETIMEDOUT, -ECONNRESET, or a decoding error
 */
int userspace_greet(int fd, void *buf, size_t cap, struct sp_msg *m)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = userspace_hello_send(fd, buf, cap);
	if (rc)
		return rc;
	rc = poll(&pfd, 1, USERSPACE_HELLO_MS);
	if (rc <= 0)
		return rc ? -errno : -ETIMEDOUT;
	n = sp_recv(fd, buf, cap, NULL);
	if (n == -EAGAIN)
		return -ETIMEDOUT;
	if (n <= 0)
		return n ? (int)n : -ECONNRESET;
	return userspace_hello_parse(buf, (size_t)n, m);
}

/* HELLO, and its answer: the families served, the version spoken. */
static int userspace_hello(int fd, unsigned int *families, uint32_t *version)
{
	static char buf[SP_MSG_MAX];	/* callers are serialised: start-up,
					 * or the netsup-stack tool */
	struct sp_msg m;
	int rc;

	rc = userspace_greet(fd, buf, sizeof(buf), &m);
	if (rc)
		return rc;
	*version = m.version;
	return userspace_families(&m, families);
}

/**
 * userspace_connect_start() - one attempt to connect, never waiting
 * @fd:		descriptor on the socket file (any open mode; not consumed)
 *
 * connect(2) through /proc/self/fd/N follows the magic link to the
 * socket inode and checks write permission on it as the calling thread.
 * The connection is SOCK_NONBLOCK: a listener whose backlog is full
 * answers EAGAIN at once, instead of keeping the caller until it drains.
 *
 * Return: the connection (SOCK_SEQPACKET, non-blocking, close-on-exec), or
 *	   -EAGAIN (the backlog is full: try again later), -EACCES,
 *	   -ECONNREFUSED (nobody listens), -EPROTO (not a SOCK_SEQPACKET
 *	   socket), other -errno
 */
int userspace_connect_start(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int conn, rc;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", fd);
	conn = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (conn < 0)
		return -errno;
	if (connect(conn, (struct sockaddr *)&sun, sizeof(sun))) {
		rc = errno == EPROTOTYPE ? -EPROTO : errno == EINPROGRESS ? -EAGAIN : -errno;
		close(conn);
		return rc;
	}
	return conn;
}

/**
 * userspace_connect() - a connection to the daemon whose socket @fd names
 * @fd:		descriptor on the socket file (any open mode; not consumed)
 *
 * As userspace_connect_start(), tried again every USERSPACE_RETRY_MS while
 * the listener's backlog is full, for up to USERSPACE_HELLO_MS: for the
 * callers that may wait (start-up, the netsup-stack tool), never forever.
 *
 * Return: the connection (SOCK_SEQPACKET, blocking, close-on-exec), or
 *	   -ETIMEDOUT (the backlog stayed full), -EACCES, -ECONNREFUSED
 *	   (nobody listens), -EPROTO (not a SOCK_SEQPACKET socket), other
 *	   -errno
 */
int userspace_connect(int fd)
{
	int conn, i;

	for (i = 0; i <= USERSPACE_HELLO_MS / USERSPACE_RETRY_MS; i++) {
		conn = userspace_connect_start(fd);
		if (conn != -EAGAIN)
			break;
		poll(NULL, 0, USERSPACE_RETRY_MS);
	}
	if (conn == -EAGAIN)
		return -ETIMEDOUT;
	if (conn >= 0 && fcntl(conn, F_SETFL, 0)) {
		close(conn);
		return -errno;
	}
	return conn;
}

/**
 * userspace_from_conn() - a userspace stack from a greeted connection
 * @conn:	the connection (consumed, also on failure)
 * @st:		fstat() of the stack file
 * @path:	name for messages
 * @families:	what its HELLO said it serves
 * @out:	receives a new stack with one reference
 *
 * Return: 0 or -ENOMEM
 */
int userspace_from_conn(int conn, const struct stat *st, const char *path,
			unsigned int families, struct stack **out)
{
	struct stack *s = stack_alloc(&userspace_kind, path);

	if (!s) {
		close(conn);
		return -ENOMEM;
	}
	s->fd = conn;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->families = families;
	*out = s;
	return 0;
}

/**
 * userspace_open() - a userspace stack from a descriptor on its socket
 * @fd:		descriptor on the socket file (any open mode; not consumed)
 * @st:		its fstat()
 * @path:	name for messages
 * @out:	receives a new stack with one reference
 *
 * Return: 0, -EACCES (no write permission on the socket), -ECONNREFUSED
 *	   (nobody listens), -EPROTO (the daemon does not speak the
 *	   protocol), -ETIMEDOUT (it did not answer), other -errno
 */
static int userspace_open(int fd, const struct stat *st, const char *path, struct stack **out)
{
	unsigned int families = 0;
	uint32_t version = 0;
	int conn, rc;

	conn = userspace_connect(fd);
	if (conn < 0)
		return conn;
	rc = userspace_hello(conn, &families, &version);
	if (rc) {
		close(conn);
		return rc == -EBADMSG || rc == -ENOSYS || rc == -EINVAL ? -EPROTO : rc;
	}
	rc = userspace_from_conn(conn, st, path, families, out);
	if (!rc)
		(*out)->version = version;
	return rc;
}

/* A UNIX socket: a daemon's, whose HELLO tells (userspace_open()). */
static bool userspace_probe(int fd, const struct stat *st, const struct statfs *sfs)
{
	(void)fd;
	(void)sfs;
	return S_ISSOCK(st->st_mode);
}

/* rtnetlink is the stack's; sock_diag, generic netlink, audit and
 * uevents stay with netsup's namespace */
static bool userspace_serves_protocol(int domain, int protocol)
{
	return domain != AF_NETLINK || protocol == NETLINK_ROUTE;
}

const struct stack_kind userspace_kind = {
	.name		= "userspace",
	.serving	= STACK_SERVED_BY_DAEMON,
	.access		= W_OK,		/* connect(2) needs it writable */
	.netlink_follows = true,
	.probe		= userspace_probe,
	.open		= userspace_open,
	.serves_protocol = userspace_serves_protocol,
	/* connected and greeted when opened: nothing to check; sockets are
	 * the daemon's: no entered/enter/socket */
};
