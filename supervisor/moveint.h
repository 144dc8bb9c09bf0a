/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * moveint.h - moving a socket, inside: the socket being moved, and what
 * the decision (move.c) asks of the options carried over (moveopt.c), the
 * records kept by a socket's inode (moverec.c) and the replacement of
 * the child's descriptor (movefd.c)
 */
#ifndef NETSUP_MOVEINT_H
#define NETSUP_MOVEINT_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "creds.h"
#include "request.h"
#include "route.h"
#include "ustack.h"

#define MOVE_VALUE_MAX		16	/* bytes of one option's value */
#define MOVE_REC_OPTS		16	/* options recorded per userspace socket */
#define MOVE_NOPTS		45	/* moveopt.c's table of options */

/* One option's value, as getsockopt gave it (len 0: none). */
struct move_val {
	socklen_t len;
	unsigned char v[MOVE_VALUE_MAX];
};

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

/* The socket being moved, as found. */
struct move_src {
	int cfd;		/* our copy of the child's descriptor */
	dev_t dev;		/* its inode */
	ino_t ino;
	bool user;		/* of a userspace stack */
	struct usock us;	/* then: which */
	struct stack *unborn;	/* else: the stack it waits for, or NULL */
	bool governed;		/* else: bound to a published port (movepub.c) */
	dev_t ns_dev;		/* else: its namespace */
	ino_t ns_ino;
	int nsfd;		/* SIOCGSKNS, or -1 */
	uint64_t cookie;	/* its SO_NETNS_COOKIE, if read (unborn_any()) */
	int domain, type, protocol;
	bool nonblock, cloexec;
	int flflags;		/* its F_GETFL */
	struct sockaddr_storage bound;	/* its local address if bound */
	socklen_t boundlen;
	struct move_rec rec;	/* user: what it went through */
	struct move_val vals[MOVE_NOPTS];	/* kernel: its options */
};

/* moveopt.c: the options a socket carries into its new stack */
void move_opts_read(int fd, int domain, int type, struct move_val *vals);
int move_fresh_opts(struct worker *w, const struct move_src *src, struct move_val *vals);
int move_opts_apply(const struct move_src *src, const struct move_val *fresh, int nfd);

/* moverec.c: what a userspace socket went through; a moved socket's names */
void move_note(struct worker *w);
bool move_rec_get(dev_t dev, ino_t ino, struct move_rec *rec);
void move_rec_opt(dev_t dev, ino_t ino, int level, int name, const void *v, socklen_t len);
void move_rec_drop(dev_t dev, ino_t ino);
void move_view_add(const struct route_table *t, int nfd, const struct move_src *src,
		   const struct sockaddr_storage *peer, socklen_t peerlen);
bool move_names(struct worker *w, struct notify_reply *r);
void move_view_fixed(int fd, const struct sockaddr_storage *local, socklen_t len);
void move_names_answer(struct worker *w, const void *addr, uint32_t alen, struct notify_reply *r);

/* movepub.c: --publish served by the host's own listeners */
bool move_pub_active(void);
bool move_pub_governed(const struct supervisor *sv, int cfd);
bool move_pub_bind(struct worker *w, struct notify_reply *r);
bool move_pub_route(const struct route_table *t, const struct sockaddr *sa, struct route *rt);
bool move_pub_names(struct worker *w, struct notify_reply *r);

/* movefd.c: the child's descriptor, and the new socket put in its place */
int move_fd_inode(pid_t tid, int fd, dev_t *dev, ino_t *ino);
int move_fd_cloexec(pid_t tid, int fd, bool *cloexec);
int move_replace(struct worker *w, __u64 id, int nfd, int fd, bool cloexec);
int move_sock_ns(int fd, uint64_t cookie, int *nsfd, dev_t *dev, ino_t *ino);
void move_connect_rewritten(struct worker *w, const struct creds *c,
			    const struct route *rt, struct move_src *src, int nfd,
			    bool in_place, struct sockaddr_storage *ss, socklen_t len,
			    struct notify_reply *r);

#endif /* NETSUP_MOVEINT_H */
