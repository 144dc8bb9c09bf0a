// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * moverec.c - what netsup keeps about sockets by their inode, for moves:
 * the calls a userspace socket went through, and a moved socket's names
 *
 * A userspace socket may move at its connect(); the setsockopt, bind,
 * listen and connect calls netsup forwarded to its daemon are recorded
 * here on the way (move_note()), so that a move can make them again on
 * the new socket (move.c, moveopt.c) or know it must not move (it is in
 * use).  A socket moved with its address rewritten (--user-net) keeps
 * the command's names: getsockname and getpeername are answered from
 * its view (move_names()).
 *
 * Both tables are hashed by the socket's inode (the child's descriptor
 * read as /proc/TID/fd/FD, movefd.c), at most MOVE_CHAIN_MAX entries a
 * bucket: sockets the program closes are never reported, so the oldest
 * entries of a full bucket go.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "childmem.h"
#include "moveint.h"

#define MOVE_BUCKETS		512
#define MOVE_CHAIN_MAX		8	/* entries kept per bucket: oldest go */

/* The names a moved socket has in the command's view (--user-net). */
struct move_view {
	struct sockaddr_storage local;	/* its address, port taken from the socket */
	socklen_t locallen;
	in_port_t port;			/* the port it was bound to, or 0 */
	struct sockaddr_storage peer;	/* the address connect() was given */
	socklen_t peerlen;
	struct in_addr self4;		/* the command's own addresses, for an */
	struct in6_addr self6;		/* AF_INET6 socket connected anew */
	bool fixed;			/* @local is the answer as it is (movepub.c) */
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

static in_port_t move_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port;
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_port;
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
/**
 * move_rec_opt() - record an option a userspace socket was given
 * @dev:	the socket (the child's end): its inode
 * @ino:
 * @level:	setsockopt(2)'s
 * @name:
 * @v:		the value
 * @len:	its length, at most MOVE_VALUE_MAX
 */
void move_rec_opt(dev_t dev, ino_t ino, int level, int name, const void *v, socklen_t len)
{
	struct move_entry *e;
	struct move_rec *rec;
	int i;

	if (len > MOVE_VALUE_MAX)
		return;
	pthread_mutex_lock(&move_recs.lock);
	e = move_map_get(&move_recs, dev, ino, true);
	rec = e ? &e->u.rec : NULL;
	for (i = 0; rec && i < rec->nopts; i++)
		if (rec->opts[i].level == level && rec->opts[i].name == name)
			break;
	if (rec && i < MOVE_REC_OPTS) {
		rec->opts[i].level = level;
		rec->opts[i].name = name;
		rec->opts[i].len = len;
		memcpy(rec->opts[i].v, v, len);
		if (i == rec->nopts)
			rec->nopts++;
	}
	pthread_mutex_unlock(&move_recs.lock);
}

void move_note(struct worker *w)
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

	if (!ustack_any() || request_own(w) ||
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
	if (d->nr == SYS_setsockopt) {
		move_rec_opt(dev, ino, (int)d->args[1], (int)d->args[2], v, len);
		return;
	}
	pthread_mutex_lock(&move_recs.lock);
	e = move_map_get(&move_recs, dev, ino, true);
	rec = e ? &e->u.rec : NULL;
	if (rec && d->nr == SYS_bind) {
		memcpy(&rec->bound, &ss, len);
		rec->boundlen = len;
	} else if (rec) {
		rec->used = true;
	}
	pthread_mutex_unlock(&move_recs.lock);
}

/**
 * move_rec_get() - what the userspace socket @dev/@ino went through
 * @dev:	its inode
 * @ino:
 * @rec:	receives the record, if there is one (else left as it is)
 *
 * Return: true if one was recorded
 */
bool move_rec_get(dev_t dev, ino_t ino, struct move_rec *rec)
{
	struct move_entry *e;

	pthread_mutex_lock(&move_recs.lock);
	e = move_map_get(&move_recs, dev, ino, false);
	if (e)
		*rec = e->u.rec;
	pthread_mutex_unlock(&move_recs.lock);
	return e != NULL;
}

/**
 * move_rec_drop() - forget the record of @dev/@ino: the socket has moved
 * @dev:	its inode
 * @ino:
 */
void move_rec_drop(dev_t dev, ino_t ino)
{
	move_map_drop(&move_recs, dev, ino);
}

/* Remember the command's names of the moved socket @nfd (--user-net). */
void move_view_add(const struct route_table *t, int nfd, const struct move_src *src,
		   const struct sockaddr_storage *peer, socklen_t peerlen)
{
	struct move_view v = { .peerlen = peerlen };
	struct move_entry *e;
	struct stat st;

	/* the socket itself (connected where it waited): known already */
	if (nfd == src->cfd) {
		st.st_dev = src->dev;
		st.st_ino = src->ino;
	} else if (fstat(nfd, &st)) {
		return;
	}
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

/**
 * move_view_fixed() - the command's name of the socket @fd, as it is
 * @fd:		netsup's copy of it
 * @local:	what getsockname() says of it from now on
 * @len:
 */
void move_view_fixed(int fd, const struct sockaddr_storage *local, socklen_t len)
{
	struct move_view v = { .locallen = len, .fixed = true };
	struct move_entry *e;
	struct stat st;

	if (fstat(fd, &st) || len > sizeof(v.local))
		return;
	memcpy(&v.local, local, len);
	pthread_mutex_lock(&move_views.lock);
	e = move_map_get(&move_views, st.st_dev, st.st_ino, true);
	if (e)
		e->u.view = v;
	pthread_mutex_unlock(&move_views.lock);
}

/**
 * move_names_answer() - answer getsockname/getpeername with @addr
 * @w:		the handling thread (of that call)
 * @addr:	the name
 * @alen:	its length
 * @r:		the outcome
 *
 * As the kernel: at most the room *addrlen says is written, *addrlen
 * says the whole length.
 */
void move_names_answer(struct worker *w, const void *addr, uint32_t alen, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	pid_t tid = (pid_t)w->req->pid;
	uint32_t room;
	int rc;

	rc = d->args[1] && d->args[2] ? childmem_read(tid, d->args[2], &room, sizeof(room)) : -EFAULT;
	if (!rc && (int32_t)room < 0)
		rc = -EINVAL;
	if (!rc)
		rc = childmem_write(tid, d->args[1], addr, room < alen ? room : alen);
	if (!rc)
		rc = childmem_write(tid, d->args[2], &alen, sizeof(alen));
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	if (rc)
		request_fail(r, rc == -EINVAL ? rc : -EFAULT);
	else
		r->what = NOTIFY_ZERO;
}

/* getsockname, getpeername of a moved socket: the command's own names. */
bool move_names(struct worker *w, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	pid_t tid = (pid_t)w->req->pid;
	struct sockaddr_storage real = { .ss_family = AF_UNSPEC };
	struct move_entry *e;
	struct move_view v = { .locallen = 0 };
	socklen_t len = sizeof(real);
	const void *addr;
	uint32_t alen;
	dev_t dev = 0;
	ino_t ino = 0;
	int cfd, rc;

	if (!__atomic_load_n(&move_views.count, __ATOMIC_ACQUIRE) || request_own(w) ||
	    move_fd_inode(tid, (int)d->args[0], &dev, &ino))
		return false;
	pthread_mutex_lock(&move_views.lock);
	e = move_map_get(&move_views, dev, ino, false);
	if (e)
		v = e->u.view;
	pthread_mutex_unlock(&move_views.lock);
	if (!e)
		return false;
	cfd = request_child_fd(w, (int)d->args[0]);
	if (cfd < 0)
		return false;
	rc = d->nr == SYS_getsockname ? getsockname(cfd, (struct sockaddr *)&real, &len) :
		getpeername(cfd, (struct sockaddr *)&real, &len);
	close(cfd);
	if (rc) {
		request_fail(r, -errno);	/* ENOTCONN: the connect failed */
		return true;
	}
	if (d->nr == SYS_getsockname && v.fixed) {
		addr = &v.local;
		alen = v.locallen;
	} else if (d->nr == SYS_getsockname) {
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
	move_names_answer(w, addr, alen, r);
	return true;
}
