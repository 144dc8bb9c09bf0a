// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nsrelay - a TCP relay between two networking stacks
 *
 * nsrelay [-1] LISTEN_STACK LISTEN_ADDR:PORT CONNECT_STACK CONNECT_ADDR:PORT
 *
 * Listens in one stack and, for each client, connects in the other, then
 * copies bytes both ways: one process, two stacks, two msocket() calls.
 * A STACK of "-" is the process's default stack.  IPv6 addresses are
 * written in brackets: [fd00::1]:80.  With -1 it serves one client and
 * exits.  Runs under netsup, or alone as root (see msocket(3)).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <msocket.h>

/* Parse ADDR:PORT or [ADDR6]:PORT. */
static int parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	size_t hlen;
	long port;

	if (!colon || (hlen = (size_t)(colon - s)) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535)
		return -1;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
		host[hlen - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
		return inet_pton(AF_INET6, host + 1, &in6->sin6_addr) == 1 ? 0 : -1;
	}
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	*len = sizeof(*in);
	return inet_pton(AF_INET, host, &in->sin_addr) == 1 ? 0 : -1;
}

static const char *stack_arg(const char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

/* Copy both ways until both directions are closed. */
static void relay(int a, int b)
{
	struct pollfd p[2] = { { .fd = a, .events = POLLIN }, { .fd = b, .events = POLLIN } };
	const int fds[2] = { a, b };
	char buf[65536];
	int open_dirs = 2, i;

	while (open_dirs) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (i = 0; i < 2; i++) {
			ssize_t n, off = 0;

			if (!p[i].revents)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				shutdown(fds[!i], SHUT_WR);
				p[i].fd = -1;	/* poll() skips it from now on */
				open_dirs--;
				continue;
			}
			while (off < n) {
				ssize_t w = write(fds[!i], buf + off, (size_t)(n - off));
				if (w <= 0)
					return;
				off += w;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_storage laddr, caddr;
	socklen_t llen, clen;
	int once = 0, lfd, one = 1;

	if (argc > 1 && !strcmp(argv[1], "-1")) {
		once = 1;
		argv++;
		argc--;
	}
	if (argc != 5 || parse_addr(argv[2], &laddr, &llen) ||
	    parse_addr(argv[4], &caddr, &clen)) {
		fprintf(stderr, "usage: nsrelay [-1] LISTEN_STACK ADDR:PORT CONNECT_STACK ADDR:PORT\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);	/* no zombies from the per-client children */

	lfd = msocket(stack_arg(argv[1]), laddr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		fprintf(stderr, "nsrelay: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&laddr, llen) || listen(lfd, 64)) {
		fprintf(stderr, "nsrelay: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fprintf(stderr, "nsrelay: listening on %s in %s\n", argv[2], argv[1]);

	for (;;) {
		int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), sfd;
		pid_t pid;

		if (cfd < 0) {
			if (errno == EINTR)
				continue;
			perror("nsrelay: accept");
			return 1;
		}
		pid = once ? 0 : fork();
		if (pid > 0 || pid < 0) {
			close(cfd);
			continue;
		}
		sfd = msocket(stack_arg(argv[3]), caddr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (sfd < 0 || connect(sfd, (struct sockaddr *)&caddr, clen)) {
			fprintf(stderr, "nsrelay: %s in %s: %s\n", argv[4], argv[3], strerror(errno));
			_exit(1);
		}
		relay(cfd, sfd);
		if (once)
			return 0;
		_exit(0);
	}
}
