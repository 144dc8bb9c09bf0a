// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stackcli - a client of the stack protocol, for the tests of netsup-lwip
 *
 *   stackcli STACKFILE hello
 *   stackcli STACKFILE connect HOST PORT       relay stdin/stdout over TCP
 *   stackcli STACKFILE nbconnect HOST PORT     non-blocking connect: POLLOUT, SO_ERROR
 *   stackcli STACKFILE listen HOST PORT        accept one TCP connection, relay
 *   stackcli STACKFILE udp-echo HOST PORT N    answer N datagrams to their source
 *   stackcli STACKFILE udp-send HOST PORT DST DPORT MSG
 *                                              SENDTO, then the reply and its source
 *   stackcli STACKFILE sockopts                what getsockopt answers
 *   stackcli STACKFILE cancel                  a blocking ACCEPT, cancelled
 *   stackcli STACKFILE errors HOST PEER6       bind and connect errors
 *   stackcli STACKFILE reset HOST PORT         a peer that resets: read, SO_ERROR
 *   stackcli STACKFILE many                    sockets until an error, kept until stdin ends
 *   stackcli STACKFILE send HOST PORT FILE     write FILE and close(2) the socket, as a
 *                                              program that exits does; stay until stdin ends
 *   stackcli STACKFILE garbage                 hostile messages
 *   stackcli STACKFILE udp-drain HOST PORT BURST
 *                                              read datagrams in bursts, once BURST
 *                                              bytes are queued, until one says "end"
 *   stackcli STACKFILE udp-sources HOST PORT BYTES N
 *                                              once BYTES are queued, N datagrams
 *                                              with their sources (DGRAMSRC)
 *   stackcli STACKFILE fdself KIND N           N sockets (KIND: new, listen, udp)
 *                                              each sent into itself by SCM_RIGHTS
 *                                              and closed; stay until stdin ends
 *   stackcli STACKFILE pending N               N blocking DGRAMSRC at once, then
 *                                              count the refused ones and CANCEL
 *                                              the rest
 *
 * It speaks the protocol directly (stacks/stackproto.c), as netsup does,
 * one request at a time.  HOST is numeric, IPv6 if it has a ':'.  Errors
 * are printed with their errno name ("connect: ECONNREFUSED") and exit 1.
 */
#include "progs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/un.h>

#include "../../stacks/stackproto.h"

static int conn = -1;
static struct sp_msg hello;		/* the HELLO reply */
static char hello_text[SP_TEXT_MAX + 1];
static uint64_t next_id = 1;
static unsigned char rbuf[SP_MSG_MAX];

/* rpc() - send @m as a request, wait for its reply into @r (and its fd) */
static int rpc(struct sp_msg *m, struct sp_msg *r, int *fd)
{
	unsigned char out[SP_MSG_MAX];
	ssize_t n;
	int got;

	m->id = next_id++;
	n = sp_encode(m, out, sizeof(out));
	if (n < 0 || sp_send(conn, out, (size_t)n, -1) < 0)
		fail("send %s: %s", sp_op_name(m->op), strerrorname_np((int)-n));
	for (;;) {
		n = sp_recv(conn, rbuf, sizeof(rbuf), &got);
		if (n <= 0)
			fail("%s: connection closed (%s)", sp_op_name(m->op),
			     n ? strerrorname_np((int)-n) : "EOF");
		if (sp_decode(rbuf, (size_t)n, r) < 0 || !r->reply)
			fail("%s: bad reply", sp_op_name(m->op));
		if (r->id == m->id)
			break;
		if (got >= 0)
			close(got);
	}
	if ((got >= 0) != (r->result >= 0 && r->nfds == 1))
		fail("%s: descriptor and nfds disagree", sp_op_name(m->op));
	if (fd)
		*fd = got;
	else if (got >= 0)
		close(got);
	return r->result;
}

static void check(const char *what, int rc)
{
	if (rc < 0) {
		printf("%s: %s\n", what, strerrorname_np(-rc));
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", what, strerrorname_np(-rc));
		exit(1);
	}
}

static void stack_open(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sp_msg m = { .op = SP_HELLO, .version_min = 1, .version_max = SP_VERSION }, r;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	conn = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (conn < 0 || connect(conn, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		fail("%s: %s", path, strerror(errno));
	check("hello", rpc(&m, &r, NULL));
	if (r.version != SP_VERSION)
		fail("hello: version %u", r.version);
	hello = r;
	memcpy(hello_text, r.data, r.datalen);
	hello_text[r.datalen] = '\0';
}

/* addr() - HOST PORT into a sockaddr of the right family */
static uint32_t addr(const char *host, const char *port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(host, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			fail("%s: not an IPv6 address", host);
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			fail("%s: not an IPv4 address", host);
		return sizeof(*s4);
	}
}

/* show() - "ADDR PORT" of a sockaddr */
static const char *show(const void *a, uint32_t len)
{
	static char buf[INET6_ADDRSTRLEN + 16];
	char h[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss = { 0 };

	memcpy(&ss, a, len < sizeof(ss) ? len : sizeof(ss));
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, h, sizeof(h));
		snprintf(buf, sizeof(buf), "%s %u", h, ntohs(s6->sin6_port));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, h, sizeof(h));
		snprintf(buf, sizeof(buf), "%s %u", h, ntohs(s4->sin_port));
	}
	return buf;
}

static uint64_t sock_new(int domain, int type, int *fd)
{
	struct sp_msg m = { .op = SP_SOCKET, .domain = domain, .type = type }, r;

	check("socket", rpc(&m, &r, fd));
	return r.handle;
}

static int simple(uint16_t op, uint64_t h, int arg, uint32_t flags)
{
	struct sp_msg m = { .op = op, .handle = h, .arg = arg, .flags = flags }, r;

	return rpc(&m, &r, NULL);
}

static int with_addr(uint16_t op, uint64_t h, uint32_t flags, const void *a, uint32_t len)
{
	struct sp_msg m = { .op = op, .handle = h, .flags = flags, .addr = a, .addrlen = len }, r;

	return rpc(&m, &r, NULL);
}

static void print_name(const char *what, uint16_t op, uint64_t h)
{
	struct sp_msg m = { .op = op, .handle = h }, r;

	check(what, rpc(&m, &r, NULL));
	printf("%s %s\n", what, show(r.addr, r.addrlen));
	fflush(stdout);
}

static int getopt_int(uint64_t h, int level, int name)
{
	struct sp_msg m = { .op = SP_GETSOCKOPT, .handle = h, .level = level,
			    .name = name, .optlen = sizeof(int) }, r;
	int v = -1;

	check("getsockopt", rpc(&m, &r, NULL));
	if (r.datalen != sizeof(int))
		fail("getsockopt: %u bytes", r.datalen);
	memcpy(&v, r.data, sizeof(v));
	return v;
}

static int setopt_int(uint64_t h, int level, int name, int v)
{
	struct sp_msg m = { .op = SP_SETSOCKOPT, .handle = h, .level = level,
			    .name = name, .data = &v, .datalen = sizeof(v) }, r;

	return rpc(&m, &r, NULL);
}

/* relay() - stdin to the socket, the socket to stdout, until its EOF */
static void relay(uint64_t h, int fd)
{
	static char buf[65536];
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN }, { .fd = fd, .events = POLLIN } };
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0)
			fail("poll: %s", strerror(errno));
		if (p[0].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				check("shutdown", simple(SP_SHUTDOWN, h, SHUT_WR, 0));
				p[0].fd = -1;
			} else if (write(fd, buf, (size_t)n) != n) {
				fail("write: %s", strerrorname_np(errno));
			}
		}
		if (p[1].revents) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0)
				fail("read: %s", strerrorname_np(errno));
			if (n == 0)
				return;
			if (write(1, buf, (size_t)n) != n)
				fail("stdout: %s", strerror(errno));
		}
	}
}

static int cmd_connect(char **a, bool nonblock)
{
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	int fd, rc;
	uint64_t h = sock_new(ss.ss_family, SOCK_STREAM, &fd);
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (!nonblock) {
		check("connect", with_addr(SP_CONNECT, h, 0, &ss, len));
		relay(h, fd);
		return 0;
	}
	rc = with_addr(SP_CONNECT, h, SP_NONBLOCK, &ss, len);
	printf("connect %s\n", rc ? strerrorname_np(-rc) : "0");
	if (poll(&p, 1, 30000) != 1)
		fail("connect: never writable");
	rc = getopt_int(h, SOL_SOCKET, SO_ERROR);
	printf("so_error %s\n", rc ? strerrorname_np(rc) : "0");
	if (!rc) {
		struct sp_msg m = { .op = SP_GETSOCKOPT, .handle = h, .level = IPPROTO_TCP,
				    .name = TCP_INFO, .optlen = 8 }, r;

		print_name("peer", SP_GETPEERNAME, h);
		check("tcp_info", rpc(&m, &r, NULL));
		printf("tcp_state %u\n", ((const unsigned char *)r.data)[0]);
	}
	return 0;
}

static int cmd_listen(char **a)
{
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	struct sp_msg m = { .op = SP_ACCEPT }, r;
	int lfd, fd;
	char mark;
	uint64_t h = sock_new(ss.ss_family, SOCK_STREAM, &lfd);

	check("setsockopt", setopt_int(h, SOL_SOCKET, SO_REUSEADDR, 1));
	check("bind", with_addr(SP_BIND, h, 0, &ss, len));
	check("listen", simple(SP_LISTEN, h, 4, 0));
	print_name("listening", SP_GETSOCKNAME, h);
	m.handle = h;
	check("accept", rpc(&m, &r, &fd));
	if (read(lfd, &mark, 1) != 1)	/* the client consumes one marker per ACCEPT */
		fail("accept: no marker byte on the listener");
	printf("peer %s\n", show(r.addr, r.addrlen));
	fflush(stdout);
	relay(r.handle, fd);
	return 0;
}

static int cmd_udp_echo(char **a)
{
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	int n = atoi(a[2]), fd, i;
	static char buf[65536];
	uint64_t h = sock_new(ss.ss_family, SOCK_DGRAM, &fd);

	check("bind", with_addr(SP_BIND, h, 0, &ss, len));
	print_name("bound", SP_GETSOCKNAME, h);
	for (i = 0; i < n; i++) {
		struct sp_msg m = { .op = SP_DGRAMSRC, .handle = h }, r;
		struct sp_msg s = { .op = SP_SENDTO, .handle = h }, sr;
		unsigned char src[SP_ADDR_MAX];
		uint32_t srclen;
		ssize_t got;

		check("dgramsrc", rpc(&m, &r, NULL));
		srclen = r.addrlen;
		memcpy(src, r.addr, srclen);
		got = i % 2 ? recv(fd, buf, sizeof(buf), 0) : read(fd, buf, sizeof(buf));
		if (got < 0 || (uint32_t)got != r.datalen_hint)
			fail("recv: %zd bytes, DGRAMSRC said %u", got, r.datalen_hint);
		printf("from %s len %zd\n", show(src, srclen), got);
		fflush(stdout);
		s.addr = src;
		s.addrlen = srclen;
		s.data = buf;
		s.datalen = (uint32_t)got;
		check("sendto", rpc(&s, &sr, NULL));
	}
	return 0;
}

static int cmd_udp_send(char **a)
{
	struct sockaddr_storage ss, dst;
	uint32_t len = addr(a[0], a[1], &ss), dlen = addr(a[2], a[3], &dst);
	struct sp_msg m = { .op = SP_SENDTO }, r;
	struct sp_msg q = { .op = SP_DGRAMSRC }, qr;
	static char buf[65536];
	int fd;
	ssize_t got;
	uint64_t h = sock_new(ss.ss_family, SOCK_DGRAM, &fd);

	check("bind", with_addr(SP_BIND, h, 0, &ss, len));
	m.handle = q.handle = h;
	m.addr = &dst;
	m.addrlen = dlen;
	m.data = a[4];
	m.datalen = (uint32_t)strlen(a[4]);
	check("sendto", rpc(&m, &r, NULL));
	printf("sent %d\n", r.result);
	check("dgramsrc", rpc(&q, &qr, NULL));
	got = recv(fd, buf, sizeof(buf) - 1, 0);
	if (got < 0)
		fail("recv: %s", strerror(errno));
	buf[got] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("reply %s from %s\n", buf, show(qr.addr, qr.addrlen));
	/* connected: plain write() on the child's end goes to the peer */
	check("connect", with_addr(SP_CONNECT, h, 0, &dst, dlen));
	if (write(fd, a[4], strlen(a[4])) < 0)
		fail("write: %s", strerror(errno));
	got = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[got > 0 ? got : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("connected reply %s\n", buf);
	return 0;
}

static int cmd_sockopts(void)
{
	int fd, ufd;
	uint64_t t = sock_new(AF_INET6, SOCK_STREAM, &fd), u = sock_new(AF_INET, SOCK_DGRAM, &ufd);

	printf("tcp type %d domain %d protocol %d acceptconn %d\n",
	       getopt_int(t, SOL_SOCKET, SO_TYPE), getopt_int(t, SOL_SOCKET, SO_DOMAIN),
	       getopt_int(t, SOL_SOCKET, SO_PROTOCOL), getopt_int(t, SOL_SOCKET, SO_ACCEPTCONN));
	printf("udp type %d domain %d protocol %d\n",
	       getopt_int(u, SOL_SOCKET, SO_TYPE), getopt_int(u, SOL_SOCKET, SO_DOMAIN),
	       getopt_int(u, SOL_SOCKET, SO_PROTOCOL));
	check("setsockopt", setopt_int(t, IPPROTO_TCP, TCP_NODELAY, 1));
	check("setsockopt", setopt_int(t, SOL_SOCKET, SO_KEEPALIVE, 1));
	check("setsockopt", setopt_int(t, SOL_SOCKET, SO_RCVBUF, 65536));
	check("setsockopt", setopt_int(t, IPPROTO_IPV6, IPV6_V6ONLY, 1));
	printf("nodelay %d keepalive %d rcvbuf %d v6only %d\n",
	       getopt_int(t, IPPROTO_TCP, TCP_NODELAY), getopt_int(t, SOL_SOCKET, SO_KEEPALIVE),
	       getopt_int(t, SOL_SOCKET, SO_RCVBUF), getopt_int(t, IPPROTO_IPV6, IPV6_V6ONLY));
	check("setsockopt", setopt_int(t, IPPROTO_TCP, TCP_CORK, 1));
	check("setsockopt", setopt_int(u, IPPROTO_IP, IP_PKTINFO, 1));
	printf("cork %d quickack %d hops %d pktinfo %d\n",
	       getopt_int(t, IPPROTO_TCP, TCP_CORK), getopt_int(t, IPPROTO_TCP, TCP_QUICKACK),
	       getopt_int(t, IPPROTO_IPV6, IPV6_UNICAST_HOPS),
	       getopt_int(u, IPPROTO_IP, IP_PKTINFO));
	{
		struct sp_msg m = { .op = SP_GETSOCKOPT, .handle = t, .level = IPPROTO_TCP,
				    .name = TCP_INFO, .optlen = SP_OPT_MAX }, r;
		struct sp_msg c = { .op = SP_GETSOCKOPT, .handle = t, .level = IPPROTO_TCP,
				    .name = TCP_CONGESTION, .optlen = 16 }, cr;

		unsigned int len, state;

		check("tcp_info", rpc(&m, &r, NULL));
		len = r.datalen;
		state = ((const unsigned char *)r.data)[0];	/* tcpi_state */
		check("tcp_congestion", rpc(&c, &cr, NULL));
		printf("tcp_info %u bytes state %u congestion %.*s\n", len, state,
		       (int)strnlen(cr.data, cr.datalen), (const char *)cr.data);
	}
	printf("bogus %s\n", strerrorname_np(-setopt_int(t, SOL_SOCKET, 12345, 1)));
	printf("unknown handle %s\n", strerrorname_np(-simple(SP_LISTEN, 999999, 1, 0)));
	printf("udp listen %s\n", strerrorname_np(-simple(SP_LISTEN, u, 1, 0)));
	printf("close %d\n", simple(SP_CLOSE, u, 0, 0));
	printf("closed handle %s\n", strerrorname_np(-simple(SP_CLOSE, u, 0, 0)));
	return 0;
}

/* cmd_errors() - the errors of bind and connect, one line each */
static int cmd_errors(char **a)
{
	struct sockaddr_storage ss, far4, far6, nonlocal;
	uint32_t len = addr(a[0], "7100", &ss), f4 = addr("192.0.2.1", "80", &far4);
	uint32_t f6 = addr("2001:db8::1", "80", &far6), nl = addr("10.99.99.99", "0", &nonlocal);
	int fd1, fd2, fd3;
	uint64_t t1 = sock_new(AF_INET, SOCK_STREAM, &fd1), t2 = sock_new(AF_INET, SOCK_STREAM, &fd2);
	uint64_t t6 = sock_new(AF_INET6, SOCK_STREAM, &fd3);

	check("bind", with_addr(SP_BIND, t1, 0, &ss, len));
	check("listen", simple(SP_LISTEN, t1, 1, 0));
	printf("bind in use: %s\n", strerrorname_np(-with_addr(SP_BIND, t2, 0, &ss, len)));
	printf("bind not local: %s\n", strerrorname_np(-with_addr(SP_BIND, t2, 0, &nonlocal, nl)));
	printf("connect off-link v4: %s\n", strerrorname_np(-with_addr(SP_CONNECT, t2, 0, &far4, f4)));
	printf("connect off-link v6: %s\n", strerrorname_np(-with_addr(SP_CONNECT, t6, 0, &far6, f6)));
	printf("bind wrong family: %s\n", strerrorname_np(-with_addr(SP_BIND, t6, 0, &ss, sizeof(struct sockaddr_in6))));
	printf("bind short: %s\n", strerrorname_np(-with_addr(SP_BIND, t2, 0, &ss, 8)));
	printf("accept on unlistened: %s\n", strerrorname_np(-simple(SP_ACCEPT, t2, 0, SP_NONBLOCK)));
	printf("accept none pending: %s\n", strerrorname_np(-simple(SP_ACCEPT, t1, 0, SP_NONBLOCK)));
	printf("peer of unconnected: %s\n", strerrorname_np(-simple(SP_GETPEERNAME, t2, 0, 0)));
	return 0;
}

/* cmd_reset() - connect to a peer that resets: what the child sees */
static int cmd_reset(char **a)
{
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	char c;
	int fd, rc;
	ssize_t n;
	uint64_t h = sock_new(ss.ss_family, SOCK_STREAM, &fd);

	check("connect", with_addr(SP_CONNECT, h, 0, &ss, len));
	n = read(fd, &c, 1);
	printf("read %s\n", n == 0 ? "EOF" : n < 0 ? strerrorname_np(errno) : "data");
	rc = getopt_int(h, SOL_SOCKET, SO_ERROR);
	printf("so_error %s\n", rc ? strerrorname_np(rc) : "0");
	n = send(fd, "x", 1, MSG_NOSIGNAL);
	printf("write %s\n", n < 0 ? strerrorname_np(errno) : "done");
	{
		/* the kernel's TCP_CLOSE: no peer any more, its own name kept */
		struct sp_msg m = { .op = SP_GETPEERNAME, .handle = h }, r;
		int e = rpc(&m, &r, NULL);

		if (e < 0)
			printf("peer %s\n", strerrorname_np(-e));
		else
			printf("peer %s\n", show(r.addr, r.addrlen));
	}
	print_name("name", SP_GETSOCKNAME, h);
	printf("close %d\n", simple(SP_CLOSE, h, 0, 0));
	return 0;
}

/* cmd_send() - write a file and close the child's end at once */
static int cmd_send(char **a)
{
	static char buf[65536];
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	int fd, in = open(a[2], O_RDONLY);
	ssize_t n;
	char c;
	uint64_t h = sock_new(ss.ss_family, SOCK_STREAM, &fd);

	if (in < 0)
		fail("%s: %s", a[2], strerror(errno));
	check("connect", with_addr(SP_CONNECT, h, 0, &ss, len));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			fail("write: %s", strerrorname_np(errno));
	close(fd);		/* no SHUTDOWN, no CLOSE: the daemon sees POLLHUP */
	close(in);
	printf("sent\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

/*
 * cmd_udp_drain() - an attacker: consume its own queue while datagrams
 * arrive.  It waits until BURST bytes are queued, then reads until the
 * queue is empty, and again, until a datagram says "end": the datagrams
 * that arrive during a burst are measured by the daemon while it reads.
 */
static int cmd_udp_drain(char **a)
{
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	int burst = atoi(a[2]), fd, q;
	static char buf[65536];
	long n = 0;
	ssize_t got;
	uint64_t h = sock_new(ss.ss_family, SOCK_DGRAM, &fd);

	check("bind", with_addr(SP_BIND, h, 0, &ss, len));
	print_name("bound", SP_GETSOCKNAME, h);
	for (;;) {
		/* SIOCINQ of a SEQPACKET end: the bytes of every queued datagram */
		if (ioctl(fd, SIOCINQ, &q) < 0)
			fail("SIOCINQ: %s", strerror(errno));
		if (q < burst)
			continue;
		while ((got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
			if (got == 3 && !memcmp(buf, "end", 3)) {
				printf("drained %ld\n", n);
				return 0;
			}
			n++;
		}
		if (errno != EAGAIN)
			fail("recv: %s", strerror(errno));
	}
}

/* cmd_udp_sources() - a victim: the source of each of N queued datagrams */
static int cmd_udp_sources(char **a)
{
	struct sockaddr_storage ss;
	uint32_t len = addr(a[0], a[1], &ss);
	long bytes = atol(a[2]);
	int n = atoi(a[3]), fd, i, q = 0;
	static char buf[65536];
	uint64_t h = sock_new(ss.ss_family, SOCK_DGRAM, &fd);

	check("bind", with_addr(SP_BIND, h, 0, &ss, len));
	print_name("bound", SP_GETSOCKNAME, h);
	/* SIOCINQ of a SEQPACKET end: the bytes of every queued datagram */
	for (i = 0; i < 3000 && q < bytes; i++) {
		if (ioctl(fd, SIOCINQ, &q) < 0)
			fail("SIOCINQ: %s", strerror(errno));
		if (q < bytes)
			usleep(10000);
	}
	if (q < bytes)
		fail("only %d of %ld bytes arrived", q, bytes);
	for (i = 0; i < n; i++) {
		struct sp_msg m = { .op = SP_DGRAMSRC, .handle = h }, r;
		char src[INET6_ADDRSTRLEN + 16];
		ssize_t got;

		check("dgramsrc", rpc(&m, &r, NULL));
		snprintf(src, sizeof(src), "%s", show(r.addr, r.addrlen));
		got = recv(fd, buf, sizeof(buf), 0);
		printf("from %s len %u got %zd\n", src, r.datalen_hint, got);
	}
	return 0;
}

/* cmd_fdself() - sockets sent into themselves, then closed */
static int cmd_fdself(char **a)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	int n = atoi(a[1]), i, fd;
	char c = 'x';

	for (i = 0; i < n; i++) {
		bool udp = !strcmp(a[0], "udp");
		uint64_t h = sock_new(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, &fd);
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		struct iovec iov = { .iov_base = &c, .iov_len = 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		if (!strcmp(a[0], "listen")) {
			check("bind", with_addr(SP_BIND, h, 0, &any, sizeof(any)));
			check("listen", simple(SP_LISTEN, h, 1, 0));
		}
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		if (sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) != 1)
			fail("sendmsg into itself: %s", strerror(errno));
		close(fd);
	}
	printf("sent %d\n", n);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

/* cmd_pending() - more waiting requests than a connection may keep */
static int cmd_pending(char **a)
{
	int n = atoi(a[0]), i, fd, refused = 0, cancelled = 0;
	unsigned char out[256];
	uint64_t h = sock_new(AF_INET, SOCK_DGRAM, &fd), first = next_id;
	struct sp_msg m = { .op = SP_DGRAMSRC, .handle = h }, r;
	ssize_t len;

	for (i = 0; i < n; i++) {
		m.id = next_id++;
		len = sp_encode(&m, out, sizeof(out));
		if (len < 0 || sp_send(conn, out, (size_t)len, -1) < 0)
			fail("send DGRAMSRC %d", i);
	}
	/* in order: every refusal is sent before this reply */
	m.op = SP_GETSOCKNAME;
	m.id = next_id++;
	len = sp_encode(&m, out, sizeof(out));
	if (len < 0 || sp_send(conn, out, (size_t)len, -1) < 0)
		fail("send GETSOCKNAME");
	for (;;) {
		len = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
		if (len <= 0 || sp_decode(rbuf, (size_t)len, &r) < 0)
			fail("pending: connection closed");
		if (r.op == SP_GETSOCKNAME)
			break;
		if (r.op == SP_DGRAMSRC && r.result == -ENOBUFS)
			refused++;
		else
			fail("pending: reply %s %d", sp_op_name(r.op), r.result);
	}
	printf("refused %d\n", refused);
	/* the rest wait: cancel them, newest first */
	for (i = n - 1; i >= 0; i--) {
		struct sp_msg c = { .op = SP_CANCEL, .handle = first + (uint64_t)i }, cr;

		if (rpc(&c, &cr, NULL) == 0)
			cancelled++;
	}
	printf("cancelled %d\n", cancelled);
	return 0;
}

/* cmd_many() - SOCKET until the daemon runs out; hold them until stdin ends */
static int cmd_many(void)
{
	struct sp_msg m = { .op = SP_SOCKET, .domain = AF_INET, .type = SOCK_DGRAM }, r;
	char c;
	int n, fd, rc;

	for (n = 0; n < 100000; n++) {
		rc = rpc(&m, &r, &fd);
		if (rc < 0)
			break;
	}
	printf("socket %d: %s\n", n, rc < 0 ? strerrorname_np(-rc) : "0");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

static int cmd_cancel(void)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	unsigned char out[256];
	struct sp_msg acc = { .op = SP_ACCEPT, .id = 1000 };
	struct sp_msg can = { .op = SP_CANCEL, .id = 1001, .handle = 1000 }, r;
	int fd, i;
	ssize_t n;
	uint64_t h = sock_new(AF_INET, SOCK_STREAM, &fd);

	check("bind", with_addr(SP_BIND, h, 0, &any, sizeof(any)));
	check("listen", simple(SP_LISTEN, h, 1, 0));
	acc.handle = h;
	n = sp_encode(&acc, out, sizeof(out));
	sp_send(conn, out, (size_t)n, -1);
	n = sp_encode(&can, out, sizeof(out));
	sp_send(conn, out, (size_t)n, -1);
	for (i = 0; i < 2; i++) {
		n = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
		if (n <= 0 || sp_decode(rbuf, (size_t)n, &r) < 0)
			fail("cancel: bad reply");
		printf("reply %s id %llu: %s\n", sp_op_name(r.op), (unsigned long long)r.id,
		       r.result ? strerrorname_np(-r.result) : "0");
	}
	return 0;
}

/* cmd_garbage() - malformed messages: answered with errors or a closed
 * connection, never a crash; reconnects after each closing one */
static int cmd_garbage(const char *path)
{
	unsigned char junk[SP_MSG_MAX + 100];
	struct sp_hdr h = { .len = 40, .op = SP_SOCKET, .id = 7 };
	struct sp_msg m = { 0 };
	ssize_t n;
	int i;

	/* an unknown op with a valid header: ENOSYS */
	h.len = sizeof(h);
	h.op = 99;
	memcpy(junk, &h, sizeof(h));
	sp_send(conn, junk, sizeof(h), -1);
	n = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
	if (n > 0)
		sp_decode(rbuf, (size_t)n, &m);
	printf("unknown op: %s\n", n > 0 && m.result ? strerrorname_np(-m.result) : "no reply");
	/* a body too short: EINVAL */
	h.op = SP_SOCKET;
	h.len = sizeof(h) + 3;
	memcpy(junk, &h, sizeof(h));
	sp_send(conn, junk, h.len, -1);
	n = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
	printf("short body: %s\n", n > 0 && sp_decode(rbuf, (size_t)n, &m) == 0 && m.result ?
	       strerrorname_np(-m.result) : "no reply");
	/* random records, each on a new connection: closed or answered */
	srand(1);
	for (i = 0; i < 200; i++) {
		size_t len = (size_t)(rand() % 64);
		size_t k;

		for (k = 0; k < len; k++)
			junk[k] = (unsigned char)rand();
		if (len >= 8 && i % 2) {
			uint32_t l = (uint32_t)len;

			memcpy(junk, &l, 4);	/* a consistent length, junk after */
		}
		sp_send(conn, junk, len, -1);
		struct pollfd p = { .fd = conn, .events = POLLIN };

		if (poll(&p, 1, 5000) != 1)
			fail("garbage %d: neither a reply nor a close", i);
		n = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
		if (n <= 0) {
			close(conn);
			stack_open(path);
		}
	}
	/* a record longer than any message: closed */
	memset(junk, 0, sizeof(junk));
	sp_send(conn, junk, sizeof(junk), -1);
	n = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
	printf("oversized: %s\n", n <= 0 ? "closed" : "answered");
	close(conn);
	/* a descriptor in a request: closed */
	stack_open(path);
	h.op = SP_CLOSE;
	h.len = sizeof(h) + 16;
	memset(junk, 0, sizeof(junk));
	memcpy(junk, &h, sizeof(h));
	sp_send(conn, junk, h.len, 0);
	n = sp_recv(conn, rbuf, sizeof(rbuf), NULL);
	printf("fd in request: %s\n", n <= 0 ? "closed" : "answered");
	close(conn);
	stack_open(path);
	printf("still serving\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct sp_msg m = { .op = SP_HELLO, .version_min = 1, .version_max = SP_VERSION }, r;
	const char *cmd;

	if (argc < 3)
		fail("usage: stackcli STACKFILE COMMAND [ARGS]");
	cmd = argv[2];
	stack_open(argv[1]);
	if (!strcmp(cmd, "hello")) {
		printf("version %u families %u mtu %u pid %u\n%s", hello.version,
		       hello.families, hello.mtu, hello.pid, hello_text);
		printf("second hello %s\n", strerrorname_np(-rpc(&m, &r, NULL)));
		return 0;
	}
	if (!strcmp(cmd, "connect") && argc == 5)
		return cmd_connect(argv + 3, false);
	if (!strcmp(cmd, "nbconnect") && argc == 5)
		return cmd_connect(argv + 3, true);
	if (!strcmp(cmd, "listen") && argc == 5)
		return cmd_listen(argv + 3);
	if (!strcmp(cmd, "udp-echo") && argc == 6)
		return cmd_udp_echo(argv + 3);
	if (!strcmp(cmd, "udp-send") && argc == 8)
		return cmd_udp_send(argv + 3);
	if (!strcmp(cmd, "sockopts"))
		return cmd_sockopts();
	if (!strcmp(cmd, "errors") && argc == 4)
		return cmd_errors(argv + 3);
	if (!strcmp(cmd, "reset") && argc == 5)
		return cmd_reset(argv + 3);
	if (!strcmp(cmd, "send") && argc == 6)
		return cmd_send(argv + 3);
	if (!strcmp(cmd, "many"))
		return cmd_many();
	if (!strcmp(cmd, "cancel"))
		return cmd_cancel();
	if (!strcmp(cmd, "garbage"))
		return cmd_garbage(argv[1]);
	if (!strcmp(cmd, "udp-drain") && argc == 6)
		return cmd_udp_drain(argv + 3);
	if (!strcmp(cmd, "udp-sources") && argc == 7)
		return cmd_udp_sources(argv + 3);
	if (!strcmp(cmd, "fdself") && argc == 5)
		return cmd_fdself(argv + 3);
	if (!strcmp(cmd, "pending") && argc == 4)
		return cmd_pending(argv + 3);
	fail("%s: unknown command or wrong arguments", cmd);
}
