// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * closerace - does close(2) free a socket at once?
 *
 * closerace rebind|listen ADDR N [STACK]
 *	STACK: the socket under test is made by msocket(STACK, ...), the
 *	system call -5, instead of socket(2).
 * closerace rebind ADDR N
 *	N times: a TCP socket binds ADDR on a port, is closed, and another
 *	socket binds the same port at once (no SO_REUSEADDR).  The kernel
 *	frees the port in close(): no bind may fail.
 * closerace listen ADDR N
 *	N times: a TCP listener on ADDR is closed, then a client connects to
 *	its port at once.  The kernel refuses: no connect may succeed.
 *
 * The second socket is made first, so that nothing but the calls under
 * test runs between the first socket()'s return and the check: a
 * supervisor that closes its copy of an injected socket only after the
 * program runs on is caught in that window.
 *
 * Prints "tries=N failures=K" (K: binds refused, connects that found a
 * listener) and
 * exits 0 if K is 0.  A socket that outlives its close(), because its
 * supervisor still holds a reference when the program runs on, fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "progs.h"

static socklen_t closerace_addr(const char *text, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		return sizeof(*in);
	}
	if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		return sizeof(*in6);
	}
	fail("%s: not an address", text);
}

static const char *closerace_stack;	/* msocket()'s path, or NULL */

/* A TCP socket bound to @ss (port 0: any), its port written back. */
static int closerace_bound(struct sockaddr_storage *ss, socklen_t len)
{
	int fd = closerace_stack ?
		 (int)syscall(-5, closerace_stack, ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0) :
		 socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)ss, len))
		fail("bind: %s", strerror(errno));
	if (getsockname(fd, (struct sockaddr *)ss, &len))
		fail("getsockname: %s", strerror(errno));
	return fd;
}

static void closerace_port0(struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = 0;
	else
		((struct sockaddr_in6 *)ss)->sin6_port = 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	long n, i, failures = 0;
	int fd;

	if (argc < 4 || argc > 5 || (strcmp(argv[1], "rebind") && strcmp(argv[1], "listen")))
		fail("usage: closerace rebind|listen ADDR N [STACK]");
	closerace_stack = argc == 5 ? argv[4] : NULL;
	len = closerace_addr(argv[2], &ss);
	n = atol(argv[3]);
	for (i = 0; i < n; i++) {
		int other = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (other < 0)
			fail("socket: %s", strerror(errno));
		closerace_port0(&ss);
		fd = closerace_bound(&ss, len);
		if (!strcmp(argv[1], "rebind")) {
			close(fd);
			if (bind(other, (struct sockaddr *)&ss, len)) {
				if (errno != EADDRINUSE)
					fail("bind: %s", strerror(errno));
				failures++;
			}
			close(other);
			continue;
		}
		if (listen(fd, 16))
			fail("listen: %s", strerror(errno));
		close(fd);
		/* ECONNRESET too: the SYN found a listener, closed since */
		if (!connect(other, (struct sockaddr *)&ss, len) || errno == ECONNRESET)
			failures++;
		else if (errno != ECONNREFUSED)
			fail("connect: %s", strerror(errno));
		close(other);
	}
	printf("tries=%ld failures=%ld\n", n, failures);
	return failures ? 1 : 0;
}
