// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fakestack - hostile stack daemons, and a child that names them
 *
 *   fakestack MODE DIR N
 *
 * Makes N stack files DIR/s0 ... DIR/s<N-1>: UNIX SOCK_SEQPACKET
 * listeners that speak the stack protocol (stacks/stackproto.c) as a
 * daemon would, but as an attacker chooses.  A child process then names
 * each with msocket() (system call -5, as the shim issues it) while this
 * process serves them; it ends when the child has.  MODE:
 *
 *   serve     SOCKET is answered with a socketpair; the child keeps every
 *             socket it gets: "ok=K emfile=E other=O"
 *   oneshot   each daemon answers one HELLO, then closes its connection
 *             and its listener, as a daemon that died: "ok=K emfile=E other=O"
 *   optlong   GETSOCKOPT is answered with SP_OPT_MAX bytes, whatever room
 *             was asked for; the child's getsockopt(IP_TTL) has 4 bytes of
 *             room at the start of a 512-byte buffer:
 *             "optlen=L overrun=B" (B: bytes after the 4 that changed)
 *   bigdgram  DGRAMSRC is answered after a 200000-byte message was put on
 *             the socket's pair; the child's recvfrom(MSG_TRUNC) into
 *             1 MiB: "n=N beyond=B" (B: bytes after 64 KiB that changed)
 *   full      one listener, never accepting, its backlog filled first;
 *             the child's msocket of it: "msocket errno=NAME"
 *
 * Errors are printed with their errno name and exit 1.
 */
#include "progs.h"

#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../../stacks/stackproto.h"

#define FAKE_MAX	1024
#define BIG_DGRAM	200000

enum mode { SERVE, ONESHOT, OPTLONG, BIGDGRAM, FULL };

static enum mode mode;
static unsigned char buf[SP_MSG_MAX];

/* One descriptor polled: a listener (conn == 0) or a connection. */
struct fake {
	int fd;
	int listener;		/* a connection's listener index */
	bool conn;
	char path[108];
};

static struct fake fakes[2 * FAKE_MAX];
static int nfakes;

static const char *ename(int e)
{
	switch (e) {
	case EMFILE: return "EMFILE";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EAGAIN: return "EAGAIN";
	case ENETDOWN: return "ENETDOWN";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EPROTO: return "EPROTO";
	default: return strerror(e);
	}
}

static long msock(const char *path, int domain, int type)
{
	return syscall(-5L, path, domain, type, 0);
}

static void reply(int fd, struct sp_msg *m, int passfd)
{
	ssize_t n;

	m->reply = 1;
	n = sp_encode(m, buf, sizeof(buf));
	if (n < 0)
		fail("encode: %s", strerror((int)-n));
	sp_send(fd, buf, (size_t)n, passfd);
}

/* A request on a connection; false once it should be closed. */
static bool serve_one(struct fake *f)
{
	static unsigned char opt[SP_OPT_MAX];
	static uint64_t next_handle = 1;
	static int pairs[FAKE_MAX];
	static int npairs;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(9) };
	struct sp_msg q, m;
	ssize_t n;
	int sv[2];

	n = sp_recv(f->fd, buf, sizeof(buf), NULL);
	if (n <= 0 || sp_decode(buf, (size_t)n, &q))
		return false;
	memset(&m, 0, sizeof(m));
	m.op = q.op;
	m.id = q.id;
	switch (q.op) {
	case SP_HELLO:
		m.version = SP_VERSION;
		m.families = SP_FAM_INET | SP_FAM_INET6;
		m.pid = (uint32_t)getpid();
		m.mtu = 1500;
		reply(f->fd, &m, -1);
		return mode != ONESHOT;
	case SP_SOCKET:
		if (npairs >= FAKE_MAX || socketpair(AF_UNIX, (q.type == SOCK_DGRAM ?
				SOCK_SEQPACKET : SOCK_STREAM) | SOCK_CLOEXEC, 0, sv)) {
			m.result = -ENOBUFS;
			reply(f->fd, &m, -1);
			return true;
		}
		if (mode == BIGDGRAM) {
			int size = 4 * BIG_DGRAM;

			setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
		}
		pairs[npairs++] = sv[0];
		m.handle = next_handle++;
		reply(f->fd, &m, sv[1]);
		close(sv[1]);
		return true;
	case SP_GETSOCKOPT:
		memset(opt, 'A', sizeof(opt));
		m.data = opt;
		m.datalen = mode == OPTLONG ? SP_OPT_MAX : 4;
		reply(f->fd, &m, -1);
		return true;
	case SP_DGRAMSRC:
		if (mode == BIGDGRAM && npairs) {
			static unsigned char big[BIG_DGRAM];

			memset(big, 'D', sizeof(big));
			if (send(pairs[npairs - 1], big, sizeof(big), 0) < 0)
				fail("send %d bytes: %s", BIG_DGRAM, ename(errno));
		}
		m.addr = &sin;
		m.addrlen = sizeof(sin);
		m.datalen_hint = SP_DATA_MAX;
		reply(f->fd, &m, -1);
		return true;
	case SP_GETSOCKNAME:
	case SP_GETPEERNAME:
	case SP_ACCEPT:
		m.addr = &sin;
		m.addrlen = sizeof(sin);
		if (q.op == SP_ACCEPT)
			m.result = -EOPNOTSUPP;
		reply(f->fd, &m, -1);
		return true;
	default:
		reply(f->fd, &m, -1);
		return true;
	}
}

static int listener(const char *dir, int i, int backlog)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/s%d", dir, i);
	unlink(sun.sun_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, backlog))
		fail("%s: %s", sun.sun_path, ename(errno));
	fakes[nfakes].fd = fd;
	fakes[nfakes].conn = false;
	snprintf(fakes[nfakes].path, sizeof(fakes[nfakes].path), "%s", sun.sun_path);
	nfakes++;
	return fd;
}

static void drop(int i)
{
	close(fakes[i].fd);
	fakes[i] = fakes[--nfakes];
}

/* Serve every daemon until the child @pid has ended; its status. */
static int serve(pid_t pid)
{
	struct pollfd pfd[2 * FAKE_MAX];
	int status, i, n;

	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		for (i = 0; i < nfakes; i++)
			pfd[i] = (struct pollfd){ .fd = fakes[i].fd, .events = POLLIN };
		n = poll(pfd, (nfds_t)nfakes, 20);
		if (n <= 0)
			continue;
		for (i = nfakes - 1; i >= 0; i--) {
			if (!pfd[i].revents)
				continue;
			if (!fakes[i].conn) {
				int c = accept4(fakes[i].fd, NULL, NULL, SOCK_CLOEXEC);

				if (c < 0 || nfakes >= 2 * FAKE_MAX)
					continue;
				fakes[nfakes++] = (struct fake){ .fd = c, .conn = true,
								 .listener = fakes[i].fd };
				if (mode == ONESHOT) {
					/* the one connection it will ever take */
					unlink(fakes[i].path);
					fakes[nfakes - 1].listener = -1;
					drop(i);
				}
				continue;
			}
			if (!serve_one(&fakes[i]))
				drop(i);
		}
	}
}

static void client(const char *dir, int n)
{
	int i, ok = 0, emfile = 0, other = 0;
	char path[PATH_MAX];
	long fd;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/s%d", dir, i);
		fd = msock(path, AF_INET, mode == BIGDGRAM ? SOCK_DGRAM : SOCK_STREAM);
		if (mode == FULL) {
			if (fd < 0)
				printf("msocket errno=%s\n", ename(errno));
			else
				printf("msocket ok\n");
			return;
		}
		if (fd >= 0)
			ok++;
		else if (errno == EMFILE)
			emfile++;
		else
			other++;
		if (fd < 0)
			continue;
		if (mode == OPTLONG) {
			unsigned char opt[512];
			socklen_t len = 4;
			int changed = 0;
			size_t j;

			memset(opt, 'x', sizeof(opt));
			if (getsockopt((int)fd, IPPROTO_IP, IP_TTL, opt, &len))
				fail("getsockopt: %s", ename(errno));
			for (j = 4; j < sizeof(opt); j++)
				changed += opt[j] != 'x';
			printf("optlen=%u overrun=%d\n", (unsigned int)len, changed);
			return;
		}
		if (mode == BIGDGRAM) {
			size_t size = 1 << 20, j, changed = 0;
			unsigned char *big = malloc(size);
			struct sockaddr_in sin;
			socklen_t slen = sizeof(sin);
			ssize_t got;

			memset(big, 'z', size);
			got = recvfrom((int)fd, big, size, MSG_TRUNC, (struct sockaddr *)&sin, &slen);
			if (got < 0)
				fail("recvfrom: %s", ename(errno));
			for (j = 65536; j < size; j++)
				changed += big[j] != 'z';
			printf("n=%zd beyond=%zu\n", got, changed);
			return;
		}
	}
	printf("ok=%d emfile=%d other=%d\n", ok, emfile, other);
}

int main(int argc, char **argv)
{
	int n = argc > 3 ? atoi(argv[3]) : 0, i, status;
	const char *dir = argc > 3 ? argv[2] : NULL;
	pid_t pid;

	if (!dir || n <= 0 || n > FAKE_MAX)
		fail("usage: fakestack serve|oneshot|optlong|bigdgram|full DIR N");
	if (!strcmp(argv[1], "serve"))
		mode = SERVE;
	else if (!strcmp(argv[1], "oneshot"))
		mode = ONESHOT;
	else if (!strcmp(argv[1], "optlong"))
		mode = OPTLONG;
	else if (!strcmp(argv[1], "bigdgram"))
		mode = BIGDGRAM;
	else if (!strcmp(argv[1], "full"))
		mode = FULL;
	else
		fail("%s: no such mode", argv[1]);
	signal(SIGPIPE, SIG_IGN);
	if (mode == FULL) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		int l = listener(dir, 0, 0), c;

		/* fill the backlog: connects until one would wait */
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fakes[0].path);
		for (i = 0; i < 64; i++) {
			c = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (connect(c, (struct sockaddr *)&sun, sizeof(sun))) {
				if (errno != EAGAIN)
					fail("connect: %s", ename(errno));
				close(c);
				break;
			}
		}
		fflush(stdout);
		client(dir, 1);
		close(l);
		return 0;
	}
	for (i = 0; i < n; i++)
		listener(dir, i, 16);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", ename(errno));
	if (pid == 0) {
		for (i = 0; i < nfakes; i++)
			close(fakes[i].fd);
		client(dir, n);
		fflush(stdout);
		_exit(0);
	}
	status = serve(pid);
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/s%d", dir, i);
		unlink(path);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
