// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * move.c - moving a socket to another stack at connect(), under its number
 *
 * In a session with rules (--route CIDR=STACK, --user-net), connect(2) is
 * notified for every descriptor (filter.c).  When the destination has a
 * rule whose stack is not the socket's, the socket is replaced:
 *
 * - the child's descriptor is copied with pidfd_getfd(2) (Linux 5.6) on a
 *   pidfd of the calling thread (PIDFD_THREAD, 6.9): the copy shares the
 *   child's open file, so its F_GETFL is the child's O_NONBLOCK; O_CLOEXEC
 *   belongs to the descriptor, and is read from /proc/TID/fdinfo/FD;
 * - what the old socket is: ioctl(SIOCGSKNS) (4.9) gives its namespace, of
 *   a kernel socket; SO_DOMAIN, SO_TYPE, SO_PROTOCOL its kind; TCP_INFO's
 *   state (TCP_CLOSE) or getpeername's ENOTCONN (UDP) that no connect has
 *   started; getsockname() a bind, or a port taken by an earlier send.
 *   A socket of a userspace stack is known by its inode (ustack.c); what
 *   the program did with it (setsockopt, bind, listen, connect), netsup
 *   forwarded, and recorded here on the way;
 * - only a socket of the process's default stack of its family (or, with
 *   none, of the namespace the tree runs in) moves: one made with
 *   msocket(3) in another stack stays where the program put it;
 * - the policy comes first (policy.c): a rule whose stack the child may
 *   not use makes the connect fail with EACCES;
 * - the new socket is made by notify_create(), as every socket netsup
 *   makes for a child: in the stack, with the child's credentials.  Still
 *   wearing them, the options that differ from a fresh socket of the old
 *   stack are set on it (so that the kernel checks the child's privilege
 *   for SO_MARK or IP_TRANSPARENT, not netsup's), and the bind is made
 *   again: the same port on the wildcard address, or the same address if
 *   the new stack has it (else EADDRNOTAVAIL);
 * - SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SETFD (5.9) puts it
 *   in place of the old one, under the same number (the kernel's
 *   replace_fd(): atomic, the old file is released), O_CLOEXEC as it was;
 *   both of netsup's copies are closed before the answer, so that when the
 *   child runs again the old socket is gone and the new one has no second
 *   reference;
 * - then connect() runs in the child as it was asked
 *   (SECCOMP_USER_NOTIF_FLAG_CONTINUE): a blocking one blocks in the
 *   kernel, a non-blocking one says EINPROGRESS.  Where the address must
 *   be rewritten (--user-net's 10.0.2.2 is the host's 127.0.0.1), netsup
 *   connects its copy itself, non-blocking, and answers when the
 *   connection is made (a deferred request, supervisor.c, whose source is
 *   an epoll instance watching the socket for EPOLLOUT); the command keeps
 *   its own names (10.0.2.15, the peer it asked for): getsockname and
 *   getpeername of such a socket are answered from a table kept by the
 *   socket's inode.
 *
 * Not moved: a socket whose connect is in progress or done, a listener,
 * a socket bound to a device (SO_BINDTODEVICE names an interface of the
 * old stack), i386 and x32 calls.  Descriptors dup()ed before the connect
 * keep the old socket: the replacement is one descriptor's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>

#include "childmem.h"
#include "log.h"
#include "move.h"
#include "route.h"
#include "ustack.h"
#include "../common/util.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif
#ifndef SECCOMP_ADDFD_FLAG_SETFD
#define SECCOMP_ADDFD_FLAG_SETFD	(1UL << 0)
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif

#define MOVE_VALUE_MAX		16	/* bytes of one option's value */
#define MOVE_REC_OPTS		16	/* options recorded per userspace socket */
#define MOVE_BUCKETS		512
#define MOVE_CHAIN_MAX		8	/* entries kept per bucket: oldest go */
#define MOVE_CONNECT_POLL_MS	1000	/* a deferred connect checks its caller */

/* How an option's value is copied. */
enum move_kind {
	MOVE_INT,
	MOVE_BUF,	/* SO_RCVBUF, SO_SNDBUF: read back doubled */
	MOVE_BYTES,	/* a structure or a string, compared as bytes */
};

/* The options a socket may carry into its new stack. */
static const struct move_opt {
	int level, name;
	enum move_kind kind;
	const char *text;
} move_opts[] = {
	{ SOL_SOCKET, SO_REUSEADDR, MOVE_INT, "SO_REUSEADDR" },
	{ SOL_SOCKET, SO_REUSEPORT, MOVE_INT, "SO_REUSEPORT" },
	{ SOL_SOCKET, SO_KEEPALIVE, MOVE_INT, "SO_KEEPALIVE" },
	{ SOL_SOCKET, SO_BROADCAST, MOVE_INT, "SO_BROADCAST" },
	{ SOL_SOCKET, SO_OOBINLINE, MOVE_INT, "SO_OOBINLINE" },
	{ SOL_SOCKET, SO_RCVBUF, MOVE_BUF, "SO_RCVBUF" },
	{ SOL_SOCKET, SO_SNDBUF, MOVE_BUF, "SO_SNDBUF" },
	{ SOL_SOCKET, SO_RCVLOWAT, MOVE_INT, "SO_RCVLOWAT" },
	{ SOL_SOCKET, SO_PRIORITY, MOVE_INT, "SO_PRIORITY" },
	{ SOL_SOCKET, SO_MARK, MOVE_INT, "SO_MARK" },
	{ SOL_SOCKET, SO_TIMESTAMP, MOVE_INT, "SO_TIMESTAMP" },
	{ SOL_SOCKET, SO_TIMESTAMPNS, MOVE_INT, "SO_TIMESTAMPNS" },
	{ SOL_SOCKET, SO_LINGER, MOVE_BYTES, "SO_LINGER" },
	{ SOL_SOCKET, SO_RCVTIMEO, MOVE_BYTES, "SO_RCVTIMEO" },
	{ SOL_SOCKET, SO_SNDTIMEO, MOVE_BYTES, "SO_SNDTIMEO" },
	{ IPPROTO_IP, IP_TOS, MOVE_INT, "IP_TOS" },
	{ IPPROTO_IP, IP_TTL, MOVE_INT, "IP_TTL" },
	{ IPPROTO_IP, IP_RECVERR, MOVE_INT, "IP_RECVERR" },
	{ IPPROTO_IP, IP_MTU_DISCOVER, MOVE_INT, "IP_MTU_DISCOVER" },
	{ IPPROTO_IP, IP_FREEBIND, MOVE_INT, "IP_FREEBIND" },
	{ IPPROTO_IP, IP_TRANSPARENT, MOVE_INT, "IP_TRANSPARENT" },
	{ IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, MOVE_INT, "IP_BIND_ADDRESS_NO_PORT" },
	{ IPPROTO_IP, IP_PKTINFO, MOVE_INT, "IP_PKTINFO" },
	{ IPPROTO_IP, IP_RECVTOS, MOVE_INT, "IP_RECVTOS" },
	{ IPPROTO_IP, IP_RECVTTL, MOVE_INT, "IP_RECVTTL" },
	{ IPPROTO_IPV6, IPV6_V6ONLY, MOVE_INT, "IPV6_V6ONLY" },
	{ IPPROTO_IPV6, IPV6_TCLASS, MOVE_INT, "IPV6_TCLASS" },
	{ IPPROTO_IPV6, IPV6_UNICAST_HOPS, MOVE_INT, "IPV6_UNICAST_HOPS" },
	{ IPPROTO_IPV6, IPV6_RECVERR, MOVE_INT, "IPV6_RECVERR" },
	{ IPPROTO_IPV6, IPV6_MTU_DISCOVER, MOVE_INT, "IPV6_MTU_DISCOVER" },
	{ IPPROTO_IPV6, IPV6_RECVPKTINFO, MOVE_INT, "IPV6_RECVPKTINFO" },
	{ IPPROTO_TCP, TCP_NODELAY, MOVE_INT, "TCP_NODELAY" },
	{ IPPROTO_TCP, TCP_CORK, MOVE_INT, "TCP_CORK" },
	{ IPPROTO_TCP, TCP_MAXSEG, MOVE_INT, "TCP_MAXSEG" },
	{ IPPROTO_TCP, TCP_KEEPIDLE, MOVE_INT, "TCP_KEEPIDLE" },
	{ IPPROTO_TCP, TCP_KEEPINTVL, MOVE_INT, "TCP_KEEPINTVL" },
	{ IPPROTO_TCP, TCP_KEEPCNT, MOVE_INT, "TCP_KEEPCNT" },
	{ IPPROTO_TCP, TCP_SYNCNT, MOVE_INT, "TCP_SYNCNT" },
	{ IPPROTO_TCP, TCP_USER_TIMEOUT, MOVE_INT, "TCP_USER_TIMEOUT" },
	{ IPPROTO_TCP, TCP_WINDOW_CLAMP, MOVE_INT, "TCP_WINDOW_CLAMP" },
	{ IPPROTO_TCP, TCP_NOTSENT_LOWAT, MOVE_INT, "TCP_NOTSENT_LOWAT" },
	{ IPPROTO_TCP, TCP_FASTOPEN_CONNECT, MOVE_INT, "TCP_FASTOPEN_CONNECT" },
	{ IPPROTO_TCP, TCP_CONGESTION, MOVE_BYTES, "TCP_CONGESTION" },
	{ IPPROTO_UDP, UDP_CORK, MOVE_INT, "UDP_CORK" },
	{ IPPROTO_UDP, UDP_SEGMENT, MOVE_INT, "UDP_SEGMENT" },
};

#define MOVE_NOPTS	(ARRAY_SIZE(move_opts))

/* One option's value, as getsockopt gave it (len 0: none). */
struct move_val {
	socklen_t len;
	unsigned char v[MOVE_VALUE_MAX];
};

/* Does option @o apply to a socket of @domain and @type? */
static bool move_opt_applies(const struct move_opt *o, int domain, int type)
{
	switch (o->level) {
	case IPPROTO_IP:	return domain == AF_INET;
	case IPPROTO_IPV6:	return domain == AF_INET6;
	case IPPROTO_TCP:	return type == SOCK_STREAM;
	case IPPROTO_UDP:	return type == SOCK_DGRAM;
	default:		return true;
	}
}

/* Read every option of @fd that applies into @vals. */
static void move_opts_read(int fd, int domain, int type, struct move_val *vals)
{
	size_t i;

	for (i = 0; i < MOVE_NOPTS; i++) {
		vals[i].len = sizeof(vals[i].v);
		memset(vals[i].v, 0, sizeof(vals[i].v));
		if (!move_opt_applies(&move_opts[i], domain, type) ||
		    getsockopt(fd, move_opts[i].level, move_opts[i].name, vals[i].v, &vals[i].len))
			vals[i].len = 0;
	}
}

/* --- tables kept by a socket's inode ----------------------------------------- */

/* What a userspace socket went through, recorded as netsup forwarded it. */
struct move_rec {
	int nopts;
	struct {
		int level, name;
		socklen_t len;
		unsigned char v[MOVE_VALUE_MAX];
	} opts[MOVE_REC_OPTS];
	struct sockaddr_storage bound;	/* bind()'s address, family 0 if none */
	socklen_t boundlen;
	bool used;			/* a connect or a listen went to its stack */
};

/* The names a moved socket has in the command's view (--user-net). */
struct move_view {
	struct sockaddr_storage local;	/* its address, port taken from the socket */
	socklen_t locallen;
	in_port_t port;			/* the port it was bound to, or 0 */
	struct sockaddr_storage peer;	/* the address connect() was given */
	socklen_t peerlen;
	struct in_addr self4;		/* the command's own addresses, for an */
	struct in6_addr self6;		/* AF_INET6 socket connected anew */
};

struct move_entry {
	dev_t dev;
	ino_t ino;
	union {
		struct move_rec rec;
		struct move_view view;
	} u;
	struct move_entry *next;
};

struct move_map {
	pthread_mutex_t lock;
	struct move_entry *buckets[MOVE_BUCKETS];
	size_t count;		/* atomic: entries */
};

static struct move_map move_recs = { .lock = PTHREAD_MUTEX_INITIALIZER };
static struct move_map move_views = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The entry of @dev/@ino, made if @make; the map's lock is held. */
static struct move_entry *move_map_get(struct move_map *m, dev_t dev, ino_t ino, bool make)
{
	struct move_entry **pp = &m->buckets[(size_t)ino % MOVE_BUCKETS], *e;
	int n = 0;

	for (; *pp; pp = &(*pp)->next, n++)
		if ((*pp)->ino == ino && (*pp)->dev == dev)
			return *pp;
	if (!make)
		return NULL;
	/* sockets closed by the program are never reported: keep the newest */
	while (n >= MOVE_CHAIN_MAX) {
		struct move_entry **last = &m->buckets[(size_t)ino % MOVE_BUCKETS];

		while ((*last)->next)
			last = &(*last)->next;
		free(*last);
		*last = NULL;
		n--;
		__atomic_sub_fetch(&m->count, 1, __ATOMIC_RELEASE);
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->dev = dev;
	e->ino = ino;
	e->next = m->buckets[(size_t)ino % MOVE_BUCKETS];
	m->buckets[(size_t)ino % MOVE_BUCKETS] = e;
	__atomic_add_fetch(&m->count, 1, __ATOMIC_RELEASE);
	return e;
}

/* Forget @dev/@ino. */
static void move_map_drop(struct move_map *m, dev_t dev, ino_t ino)
{
	struct move_entry **pp, *e;

	pthread_mutex_lock(&m->lock);
	for (pp = &m->buckets[(size_t)ino % MOVE_BUCKETS]; *pp; pp = &(*pp)->next)
		if ((*pp)->ino == ino && (*pp)->dev == dev) {
			e = *pp;
			*pp = e->next;
			free(e);
			__atomic_sub_fetch(&m->count, 1, __ATOMIC_RELEASE);
			break;
		}
	pthread_mutex_unlock(&m->lock);
}

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
static int move_fd_inode(pid_t tid, int fd, dev_t *dev, ino_t *ino)
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

/* A copy of the child's descriptor @fd (pidfd_getfd), or -errno. */
static int move_fd_copy(pid_t tid, int fd)
{
	int pidfd, cfd;

	pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0)
		return -errno;
	cfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	return cfd < 0 ? -errno : cfd;
}

/* Has the child's descriptor @fd O_CLOEXEC?  From /proc/TID/fdinfo/FD. */
static int move_fd_cloexec(pid_t tid, int fd, bool *cloexec)
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

/* --- what a userspace socket went through ------------------------------------------ */

/*
 * move_note() - record a call on a userspace socket before it is forwarded
 * @w:		the handling thread
 *
 * setsockopt (the value, up to MOVE_VALUE_MAX bytes), bind (the address),
 * listen and connect (the socket is in use: it will not move).  What the
 * daemon then answers is not seen: a recorded option that failed there is
 * tried again on the new socket, and its failure ignored.
 */
static void move_note(struct worker *w)
{
	const struct seccomp_data *d = &w->req->data;
	pid_t tid = (pid_t)w->req->pid;
	struct move_entry *e;
	struct move_rec *rec;
	unsigned char v[MOVE_VALUE_MAX];
	struct sockaddr_storage ss;
	socklen_t len = 0;
	struct usock us;
	dev_t dev = 0;
	ino_t ino = 0;
	int i;

	if (!ustack_any() || notify_own(w) ||
	    move_fd_inode(tid, (int)d->args[0], &dev, &ino) ||
	    !ustack_sock_find(dev, ino, &us))
		return;
	if (d->nr == SYS_setsockopt) {
		len = (socklen_t)d->args[4];
		if (len > sizeof(v) || childmem_read(tid, d->args[3], v, len))
			return;
	} else if (d->nr == SYS_bind) {
		len = (socklen_t)d->args[2];
		if (len > sizeof(ss) || childmem_read(tid, d->args[1], &ss, len))
			return;
	}
	pthread_mutex_lock(&move_recs.lock);
	e = move_map_get(&move_recs, dev, ino, true);
	rec = e ? &e->u.rec : NULL;
	if (rec && d->nr == SYS_setsockopt) {
		for (i = 0; i < rec->nopts; i++)
			if (rec->opts[i].level == (int)d->args[1] &&
			    rec->opts[i].name == (int)d->args[2])
				break;
		if (i < MOVE_REC_OPTS) {
			rec->opts[i].level = (int)d->args[1];
			rec->opts[i].name = (int)d->args[2];
			rec->opts[i].len = len;
			memcpy(rec->opts[i].v, v, len);
			if (i == rec->nopts)
				rec->nopts++;
		}
	} else if (rec && d->nr == SYS_bind) {
		memcpy(&rec->bound, &ss, len);
		rec->boundlen = len;
	} else if (rec) {
		rec->used = true;
	}
	pthread_mutex_unlock(&move_recs.lock);
}

/* --- the move itself ------------------------------------------------------------ */

/* The socket being moved, as found. */
struct move_src {
	int cfd;		/* our copy of the child's descriptor */
	dev_t dev;		/* its inode */
	ino_t ino;
	bool user;		/* of a userspace stack */
	struct usock us;	/* then: which */
	dev_t ns_dev;		/* else: its namespace */
	ino_t ns_ino;
	int nsfd;		/* SIOCGSKNS, or -1 */
	int domain, type, protocol;
	bool nonblock, cloexec;
	struct sockaddr_storage bound;	/* its local address if bound */
	socklen_t boundlen;
	struct move_rec rec;	/* user: what it went through */
	struct move_val vals[MOVE_NOPTS];	/* kernel: its options */
};

/* Is the old socket's address @ss a wildcard with port 0: not bound? */
static bool move_unbound(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		return !sin->sin_port && sin->sin_addr.s_addr == htonl(INADDR_ANY);
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

		return !sin6->sin6_port && IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
	}
	return true;
}

static in_port_t move_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port;
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_port;
	return 0;
}

/*
 * What a kernel socket is and whether it can move: 0, or 1 if it stays
 * where it is (not inet, connected, listening, bound to a device).
 */
static int move_src_kernel(struct move_src *src)
{
	socklen_t len = sizeof(int);
	struct tcp_info ti;
	struct stat st;
	char dev[16];

	if (getsockopt(src->cfd, SOL_SOCKET, SO_DOMAIN, &src->domain, &len) ||
	    getsockopt(src->cfd, SOL_SOCKET, SO_TYPE, &src->type, &len) ||
	    getsockopt(src->cfd, SOL_SOCKET, SO_PROTOCOL, &src->protocol, &len))
		return 1;
	if ((src->domain != AF_INET && src->domain != AF_INET6) ||
	    (src->type != SOCK_STREAM && src->type != SOCK_DGRAM))
		return 1;
	src->nsfd = ioctl(src->cfd, SIOCGSKNS);
	if (src->nsfd < 0 || fstat(src->nsfd, &st))
		return 1;
	src->ns_dev = st.st_dev;
	src->ns_ino = st.st_ino;
	if (src->type == SOCK_STREAM) {
		len = sizeof(ti);
		if (getsockopt(src->cfd, IPPROTO_TCP, TCP_INFO, &ti, &len) ||
		    ti.tcpi_state != TCP_CLOSE)
			return 1;	/* connecting, connected, listening */
	} else {
		struct sockaddr_storage peer;

		len = sizeof(peer);
		if (!getpeername(src->cfd, (struct sockaddr *)&peer, &len) || errno != ENOTCONN)
			return 1;
	}
	len = sizeof(dev);
	if (!getsockopt(src->cfd, SOL_SOCKET, SO_BINDTODEVICE, dev, &len) && len && dev[0])
		return 1;
	src->boundlen = sizeof(src->bound);
	if (getsockname(src->cfd, (struct sockaddr *)&src->bound, &src->boundlen) ||
	    move_unbound(&src->bound))
		src->boundlen = 0;
	move_opts_read(src->cfd, src->domain, src->type, src->vals);
	return 0;
}

/* What a userspace socket is (its record): 0, or 1 if it stays. */
static int move_src_user(struct move_src *src)
{
	struct move_entry *e;

	src->domain = src->us.domain;
	src->type = src->us.type;
	src->protocol = 0;
	pthread_mutex_lock(&move_recs.lock);
	e = move_map_get(&move_recs, src->dev, src->ino, false);
	if (e)
		src->rec = e->u.rec;
	pthread_mutex_unlock(&move_recs.lock);
	if (src->rec.used)
		return 1;
	if (src->rec.boundlen && !move_unbound(&src->rec.bound)) {
		src->bound = src->rec.bound;
		src->boundlen = src->rec.boundlen;
	}
	return 0;
}

/*
 * Is the old socket in the stack the process's sockets of its family go
 * to: its default, or with none the namespace the tree runs in?
 */
static bool move_src_is_default(struct worker *w, const struct creds *c,
				const struct move_src *src)
{
	struct supervisor *sv = w->sv;
	struct stack *def = proc_default(&sv->procs, c->tgid, c->ppid,
					 stack_family_index(src->domain));
	bool yes = false;
	char path[64];
	struct stat st;

	if (def) {
		yes = src->user ? stack_same(def, src->us.s) :
			stack_served_here(def) && def->dev == src->ns_dev &&
			def->ino == src->ns_ino;
		stack_put(def);
		return yes;
	}
	if (src->user)
		return false;
	if (__atomic_load_n(&sv->moved, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&sv->dlock);
		yes = sv->base_dev == src->ns_dev && sv->base_ino == src->ns_ino;
		pthread_mutex_unlock(&sv->dlock);
		return yes;
	}
	snprintf(path, sizeof(path), "/proc/%u/ns/net", w->req->pid);
	return !stat(path, &st) && st.st_dev == src->ns_dev && st.st_ino == src->ns_ino;
}

/* Is the old socket in @s already? */
static bool move_src_in(const struct move_src *src, const struct stack *s)
{
	if (src->user)
		return stack_same(src->us.s, s);
	return stack_served_here(s) && s->dev == src->ns_dev && s->ino == src->ns_ino;
}

/* A cache of the options of fresh sockets, per namespace and kind. */
#define MOVE_FRESH_MAX	16
static struct {
	pthread_mutex_t lock;
	size_t n, next;
	struct {
		dev_t dev;
		ino_t ino;
		int domain, type;
		struct move_val vals[MOVE_NOPTS];
	} e[MOVE_FRESH_MAX];
} move_fresh = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * The options of a fresh socket of the old socket's kind in its namespace:
 * what the program did not set.  The thread enters that namespace
 * (netsup's own credentials) and records so in w->stack; once per
 * namespace and kind.  Return: 0, or -errno (then the new socket's own
 * values stand for them).
 */
static int move_fresh_opts(struct worker *w, const struct move_src *src, struct move_val *vals)
{
	size_t i;
	int fd, rc;

	pthread_mutex_lock(&move_fresh.lock);
	for (i = 0; i < move_fresh.n; i++)
		if (move_fresh.e[i].dev == src->ns_dev && move_fresh.e[i].ino == src->ns_ino &&
		    move_fresh.e[i].domain == src->domain && move_fresh.e[i].type == src->type) {
			memcpy(vals, move_fresh.e[i].vals, sizeof(move_fresh.e[i].vals));
			pthread_mutex_unlock(&move_fresh.lock);
			return 0;
		}
	pthread_mutex_unlock(&move_fresh.lock);
	rc = notify_own(w);
	if (!rc && (w->stack.netns_dev != src->ns_dev || w->stack.netns_ino != src->ns_ino)) {
		if (setns(src->nsfd, CLONE_NEWNET))
			rc = -errno;
		else {
			w->stack.netns_dev = src->ns_dev;
			w->stack.netns_ino = src->ns_ino;
		}
	}
	if (rc)
		return rc;
	fd = socket(src->domain, src->type | SOCK_CLOEXEC, src->protocol);
	if (fd < 0)
		return -errno;
	move_opts_read(fd, src->domain, src->type, vals);
	close(fd);
	pthread_mutex_lock(&move_fresh.lock);
	i = move_fresh.n < MOVE_FRESH_MAX ? move_fresh.n++ : move_fresh.next++ % MOVE_FRESH_MAX;
	move_fresh.e[i].dev = src->ns_dev;
	move_fresh.e[i].ino = src->ns_ino;
	move_fresh.e[i].domain = src->domain;
	move_fresh.e[i].type = src->type;
	memcpy(move_fresh.e[i].vals, vals, sizeof(move_fresh.e[i].vals));
	pthread_mutex_unlock(&move_fresh.lock);
	return 0;
}

/*
 * Set on @nfd what the program set on the old socket: for a kernel socket
 * the options that differ from @fresh (SO_RCVBUF and SO_SNDBUF read back
 * doubled, set halved), for a userspace one those recorded.  The caller
 * wears the child's credentials.  Return: 0, or -errno of the first
 * option of a kernel socket the new stack refused.
 */
static int move_opts_apply(const struct move_src *src, const struct move_val *fresh, int nfd)
{
	size_t i;
	int k;

	if (src->user) {
		for (k = 0; k < src->rec.nopts; k++)
			if (setsockopt(nfd, src->rec.opts[k].level, src->rec.opts[k].name,
				       src->rec.opts[k].v, src->rec.opts[k].len))
				debug("moved socket: option %d/%d recorded from the userspace stack not taken: %s",
				      src->rec.opts[k].level, src->rec.opts[k].name, strerror(errno));
		return 0;
	}
	for (i = 0; i < MOVE_NOPTS; i++) {
		const struct move_val *v = &src->vals[i];
		int half;

		if (!v->len || (fresh[i].len == v->len && !memcmp(fresh[i].v, v->v, v->len)))
			continue;
		if (move_opts[i].kind == MOVE_BUF) {
			memcpy(&half, v->v, sizeof(half));
			half /= 2;
			if (!setsockopt(nfd, move_opts[i].level, move_opts[i].name, &half,
					sizeof(half)))
				continue;
		} else if (!setsockopt(nfd, move_opts[i].level, move_opts[i].name, v->v, v->len)) {
			continue;
		}
		warn("moved socket: %s cannot be set in the new stack: %s", move_opts[i].text,
		     strerror(errno));
		return -errno;
	}
	return 0;
}

/* Put @nfd in place of the child's descriptor @fd (SETFD). */
static int move_replace(struct worker *w, __u64 id, int nfd, int fd, bool cloexec)
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

/* Remember the command's names of the moved socket @nfd (--user-net). */
static void move_view_add(const struct route_table *t, int nfd, const struct move_src *src,
			  const struct sockaddr_storage *peer, socklen_t peerlen)
{
	struct move_view v = { .peerlen = peerlen };
	struct move_entry *e;
	struct stat st;

	if (fstat(nfd, &st))
		return;
	memcpy(&v.peer, peer, peerlen);
	v.port = move_port(&src->bound);
	v.self4 = t->self4;
	v.self6 = t->self6;
	if (src->domain == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&v.local;

		sin->sin_family = AF_INET;
		sin->sin_addr = t->self4;
		v.locallen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&v.local;

		sin6->sin6_family = AF_INET6;
		/* an IPv4 peer, mapped or (as Linux takes it) plain AF_INET:
		 * glibc's getaddrinfo() asserts the name is mapped then */
		if (peer->ss_family == AF_INET ||
		    (peer->ss_family == AF_INET6 &&
		     IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)peer)->sin6_addr))) {
			sin6->sin6_addr.s6_addr[10] = sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(sin6->sin6_addr.s6_addr + 12, &t->self4, 4);
		} else {
			sin6->sin6_addr = t->self6;
		}
		v.locallen = sizeof(*sin6);
	}
	pthread_mutex_lock(&move_views.lock);
	e = move_map_get(&move_views, st.st_dev, st.st_ino, true);
	if (e)
		e->u.view = v;
	pthread_mutex_unlock(&move_views.lock);
}

/* A connect netsup makes itself (the address is rewritten), deferred. */
struct move_wait {
	struct deferred d;
	int nfd;		/* the new socket, connecting */
	int epfd;		/* EPOLLOUT of nfd: readable when it is done */
	int cfd;		/* the old socket, closed once replaced */
	int fd;			/* the child's number */
	bool cloexec, nonblock;
	dev_t old_dev;
	ino_t old_ino;
};

static void move_wait_free(struct move_wait *mw)
{
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
	if (!mw->nonblock && fcntl(mw->nfd, F_SETFL, fcntl(mw->nfd, F_GETFL) & ~O_NONBLOCK))
		return -errno;
	rc = move_replace(w, mw->d.id, mw->nfd, mw->fd, mw->cloexec);
	if (!rc)
		move_map_drop(&move_recs, mw->old_dev, mw->old_ino);
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
		if (notify_id_valid(w) && !supervisor_defer(w->sv, d, MOVE_CONNECT_POLL_MS))
			return;
		move_wait_free(mw);	/* a signal took the caller away */
		return;
	}
	rc = move_finish(w, mw);
	if (rc)
		notify_fail(&r, rc);
	move_wait_free(mw);
	notify_answer(w, &r);
}

/*
 * Connect @nfd to the rewritten address, then replace and answer: at once
 * if the connect is done or the child's socket is non-blocking
 * (EINPROGRESS: it goes on in the kernel), else when it is done.
 */
static void move_connect_rewritten(struct worker *w, const struct creds *c,
				   const struct route *rt, struct move_src *src, int nfd,
				   struct sockaddr_storage *ss, socklen_t len,
				   struct notify_reply *r)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	struct move_wait *mw = calloc(1, sizeof(*mw));
	int rc = 0, crc = 0;

	if (!mw) {
		close(nfd);
		notify_fail(r, -ENOMEM);
		return;
	}
	*mw = (struct move_wait){ .nfd = nfd, .epfd = -1, .cfd = -1, .fd = (int)w->req->data.args[0],
				  .cloexec = src->cloexec, .nonblock = src->nonblock,
				  .old_dev = src->dev, .old_ino = src->ino };
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
	if (!src->nonblock && fcntl(nfd, F_SETFL, fcntl(nfd, F_GETFL) | O_NONBLOCK))
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
		} else {
			rc = move_replace(w, w->req->id, nfd, mw->fd, mw->cloexec);
			if (!rc) {
				move_map_drop(&move_recs, src->dev, src->ino);
				rc = -EINPROGRESS;
			}
		}
		move_wait_free(mw);
		if (rc)
			notify_fail(r, rc);
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
		notify_fail(r, rc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}

/* One line per decision, with -v: "connect(inet stream) to 10.8.0.0/16: ..." */
static void move_log(const struct creds *c, const struct route *rt, const struct move_src *src,
		     const char *what)
{
	char net[INET6_ADDRSTRLEN + 8];

	if (log_get_level() < LOG_INFO)
		return;
	if (route_format(rt, net, sizeof(net)))
		net[0] = '\0';
	log_pid(LOG_INFO, c->tgid, "connect(%s %s) to %s: %s%s%s",
		src->domain == AF_INET ? "inet" : "inet6",
		src->type == SOCK_STREAM ? "stream" : "dgram", net, what,
		rt->s ? " " : "", rt->s ? rt->s->path : "");
}

/*
 * move_connect() - connect(fd, addr, len): move the socket if a rule says so
 * @w:		the handling thread
 * @r:		the outcome, if handled
 *
 * Return: true if handled (@r says how), false to let the call go on as
 *	   if no rule existed (ucall.c, or the kernel)
 */
static bool move_connect(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	const struct route_table *t = w->sv->routes;
	struct move_src *src = NULL;
	struct move_val fresh[MOVE_NOPTS];
	struct sockaddr_storage ss;
	pid_t tid = (pid_t)w->req->pid;
	int fd = (int)d->args[0], nfd = -1, rc;
	socklen_t len = (socklen_t)d->args[2];
	const struct route *rt;
	struct notify_reply nr = { .what = NOTIFY_ERROR };
	struct stat st;
	struct creds c;
	bool handled = true;

	if (len < sizeof(sa_family_t) || len > sizeof(ss) || (int)d->args[2] < 0 ||
	    notify_own(w) || childmem_read(tid, d->args[1], &ss, len))
		return false;	/* the kernel's errors */
	rt = route_match(t, (struct sockaddr *)&ss, len);
	if (!rt || rt->action == ROUTE_STAY) {
		move_note(w);	/* a userspace socket connects where it is */
		return false;
	}
	src = calloc(1, sizeof(*src));
	if (!src) {
		notify_fail(r, -ENOMEM);
		return true;
	}
	src->nsfd = -1;
	src->cfd = move_fd_copy(tid, fd);
	if (src->cfd < 0 || fstat(src->cfd, &st) || !S_ISSOCK(st.st_mode)) {
		handled = false;
		goto out;
	}
	src->dev = st.st_dev;
	src->ino = st.st_ino;
	src->user = ustack_sock_find(st.st_dev, st.st_ino, &src->us);
	rc = src->user ? move_src_user(src) : move_src_kernel(src);
	if (rc || (ss.ss_family == AF_INET && src->domain != AF_INET) ||
	    (ss.ss_family == AF_INET6 && src->domain != AF_INET6)) {
		handled = false;	/* the kernel's or the stack's answer */
		goto out;
	}
	src->nonblock = fcntl(src->cfd, F_GETFL) & O_NONBLOCK;
	rc = move_fd_cloexec(tid, fd, &src->cloexec);
	if (!rc)
		rc = notify_creds(w, &c);
	if (rc) {
		notify_fail(r, rc);
		goto out;
	}
	if (!move_src_is_default(w, &c, src) ||
	    (rt->action == ROUTE_STACK && move_src_in(src, rt->s))) {
		handled = false;
		goto out;
	}
	if (!notify_id_valid(w)) {
		notify_fail(r, -ESRCH);
		goto out;
	}
	if (rt->action == ROUTE_REFUSE) {
		move_log(&c, rt, src, "refused (no such network)");
		notify_fail(r, -ENETUNREACH);
		goto out;
	}
	/* a child never gains, by a rule, a stack it could not use itself */
	if (!rt->trusted && policy_check(&w->sv->policy, rt->s)) {
		move_log(&c, rt, src, "refused by the policy (--allow):");
		notify_fail(r, -EACCES);
		goto out;
	}
	/* a socket made by a helper would come back later: not here */
	if (c.foreign_user && rt->s->foreign_owner) {
		move_log(&c, rt, src, "refused: a process of another user namespace");
		notify_fail(r, -EACCES);
		goto out;
	}
	if (!src->user && move_fresh_opts(w, src, fresh))
		memset(fresh, 0, sizeof(fresh));
	notify_create(w, rt->s, &c, src->domain, src->type | (src->nonblock ? SOCK_NONBLOCK : 0),
		      src->protocol, &nr);
	if (nr.what != NOTIFY_FD) {
		move_log(&c, rt, src, "cannot make the new socket in");
		notify_fail(r, nr.what == NOTIFY_ERROR ? nr.error : -EIO);
		goto out;
	}
	nfd = nr.fd;
	if (!src->user && fresh[0].len == 0)
		move_opts_read(nfd, src->domain, src->type, fresh);
	rc = creds_wear(&w->creds, &c);
	if (!rc)
		rc = move_opts_apply(src, fresh, nfd);
	if (!rc && src->boundlen && rt->keep_bind &&
	    bind(nfd, (struct sockaddr *)&src->bound, src->boundlen))
		rc = -errno;
	if (rc) {
		move_log(&c, rt, src, rc == -EADDRNOTAVAIL ?
			 "refused: the new stack lacks the address it is bound to" :
			 "refused: its options or bind cannot be carried over");
		notify_fail(r, rc);
		goto out;
	}
	if (rt->view)
		move_view_add(t, nfd, src, &ss, len);
	if (rt->rewrite) {
		move_log(&c, rt, src, "moved (its address rewritten) to");
		close(src->cfd);
		src->cfd = -1;
		move_connect_rewritten(w, &c, rt, src, nfd, &ss, len, r);
		nfd = -1;
		goto out;
	}
	rc = move_replace(w, w->req->id, nfd, fd, src->cloexec);
	if (rc) {
		notify_fail(r, rc);
		goto out;
	}
	move_log(&c, rt, src, "moved to");
	if (src->user)
		move_map_drop(&move_recs, src->dev, src->ino);
	r->what = NOTIFY_CONTINUE;	/* connect() runs in the child, natively */
out:
	/* both copies go before the answer: the old socket is freed now */
	if (nfd >= 0)
		close(nfd);
	if (src->cfd >= 0)
		close(src->cfd);
	if (src->nsfd >= 0)
		close(src->nsfd);
	free(src);
	return handled;
}

/* getsockname, getpeername of a moved socket: the command's own names. */
static bool move_names(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	pid_t tid = (pid_t)w->req->pid;
	struct sockaddr_storage real = { .ss_family = AF_UNSPEC };
	struct move_entry *e;
	struct move_view v = { .locallen = 0 };
	socklen_t len = sizeof(real);
	uint32_t room;
	const void *addr;
	uint32_t alen;
	dev_t dev = 0;
	ino_t ino = 0;
	int cfd, rc;

	if (!__atomic_load_n(&move_views.count, __ATOMIC_ACQUIRE) || notify_own(w) ||
	    move_fd_inode(tid, (int)d->args[0], &dev, &ino))
		return false;
	pthread_mutex_lock(&move_views.lock);
	e = move_map_get(&move_views, dev, ino, false);
	if (e)
		v = e->u.view;
	pthread_mutex_unlock(&move_views.lock);
	if (!e)
		return false;
	cfd = move_fd_copy(tid, (int)d->args[0]);
	if (cfd < 0)
		return false;
	rc = d->nr == SYS_getsockname ? getsockname(cfd, (struct sockaddr *)&real, &len) :
		getpeername(cfd, (struct sockaddr *)&real, &len);
	close(cfd);
	if (rc) {
		notify_fail(r, -errno);	/* ENOTCONN: the connect failed */
		return true;
	}
	if (d->nr == SYS_getsockname) {
		in_port_t port = v.port ? v.port : move_port(&real);

		if (v.local.ss_family == AF_INET) {
			((struct sockaddr_in *)&v.local)->sin_port = port;
		} else {
			struct sockaddr_in6 *l6 = (struct sockaddr_in6 *)&v.local;
			bool mapped = real.ss_family == AF_INET6 &&
				IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&real)->sin6_addr);

			/* connected again since the move (UDP): IPv4 or not
			 * is the socket's own now, as glibc's getaddrinfo()
			 * checks */
			memset(&l6->sin6_addr, 0, sizeof(l6->sin6_addr));
			if (mapped) {
				l6->sin6_addr.s6_addr[10] = l6->sin6_addr.s6_addr[11] = 0xff;
				memcpy(l6->sin6_addr.s6_addr + 12, &v.self4, 4);
			} else {
				l6->sin6_addr = v.self6;
			}
			l6->sin6_port = port;
		}
		addr = &v.local;
		alen = v.locallen;
	} else {
		addr = &v.peer;
		alen = v.peerlen;
	}
	rc = d->args[1] && d->args[2] ? childmem_read(tid, d->args[2], &room, sizeof(room)) : -EFAULT;
	if (!rc && (int32_t)room < 0)
		rc = -EINVAL;
	if (!rc)
		rc = childmem_write(tid, d->args[1], addr, room < alen ? room : alen);
	if (!rc)
		rc = childmem_write(tid, d->args[2], &alen, sizeof(alen));
	if (!rc && !notify_id_valid(w))
		rc = -ESRCH;
	if (rc)
		notify_fail(r, rc == -EINVAL ? rc : -EFAULT);
	else
		r->what = NOTIFY_ZERO;
	return true;
}

/**
 * move_call() - the calls of a session with rules, before anything else
 * @w:		the handling thread
 * @r:		the outcome, if handled
 *
 * connect() moves its socket when a rule says so; getsockname and
 * getpeername of a moved socket are answered with the command's names;
 * setsockopt, bind and listen of a userspace socket are recorded for a
 * move to come.  Native x86-64 calls only.
 *
 * Return: true if handled here (@r says how), false to go on (ucall.c)
 */
bool move_call(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;

	if (!w->sv->routes || !w->sv->routes->n || d->arch != AUDIT_ARCH_X86_64 ||
	    (d->nr & X32_SYSCALL_BIT))
		return false;
	switch (d->nr) {
	case SYS_connect:
		return move_connect(w, r);
	case SYS_getsockname:
	case SYS_getpeername:
		return move_names(w, r);
	case SYS_setsockopt:
	case SYS_bind:
	case SYS_listen:
		move_note(w);
		return false;
	default:
		return false;
	}
}
