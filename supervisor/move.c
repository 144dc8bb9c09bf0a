// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * move.c - moving a socket to another stack at connect(), under its number:
 * the decision, whether this socket moves and where
 *
 * Here: what the old socket is, whether a rule moves it, the policy, and
 * the sequence of a move.  The options carried over are in moveopt.c,
 * what netsup keeps by a socket's inode (the calls a userspace socket
 * went through, a moved socket's names) in moverec.c, the child's
 * descriptor and its replacement in movefd.c; moveint.h between them.
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
 * - the new socket is made by create_socket(), as every socket netsup
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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
#include "create.h"
#include "moveint.h"
#include "unborn.h"
#include "../common/fileid.h"
#include "../common/nscookie.h"

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

/*
 * What a kernel socket is and whether it can move: 0, or 1 if it stays
 * where it is (not inet, connected, listening, bound to a device).
 */
static int move_src_kernel(struct move_src *src)
{
	socklen_t len = sizeof(int);
	struct tcp_info ti;
	char dev[16];

	if (getsockopt(src->cfd, SOL_SOCKET, SO_DOMAIN, &src->domain, &len) ||
	    getsockopt(src->cfd, SOL_SOCKET, SO_TYPE, &src->type, &len) ||
	    getsockopt(src->cfd, SOL_SOCKET, SO_PROTOCOL, &src->protocol, &len))
		return 1;
	if ((src->domain != AF_INET && src->domain != AF_INET6) ||
	    (src->type != SOCK_STREAM && src->type != SOCK_DGRAM))
		return 1;
	if (move_sock_ns(src->cfd, src->cookie, &src->nsfd, &src->ns_dev, &src->ns_ino))
		return 1;
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
	return 0;		/* its options are read once it moves */
}

/*
 * Is a kernel socket that can move (move_src_kernel()) as socket() made
 * it?  A UDP socket bound to the wildcard by a failed send still is
 * (unborn.c).
 */
static bool move_src_fresh(const struct move_src *src)
{
	if (!src->boundlen)
		return true;
	if (src->type != SOCK_DGRAM)
		return false;
	if (src->bound.ss_family == AF_INET)
		return ((const struct sockaddr_in *)&src->bound)->sin_addr.s_addr ==
		       htonl(INADDR_ANY);
	return src->bound.ss_family == AF_INET6 &&
	       IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)&src->bound)->sin6_addr);
}

/* What a userspace socket is (its record): 0, or 1 if it stays. */
static int move_src_user(struct move_src *src)
{
	src->domain = src->us.domain;
	src->type = src->us.type;
	src->protocol = 0;
	move_rec_get(src->dev, src->ino, &src->rec);
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
	struct stack *def = request_default(w, c, stack_family_index(src->domain));
	bool yes = false;
	char path[64];

	if (def) {
		yes = src->unborn ? stack_same(def, src->unborn) :
		      src->user ? stack_same(def, src->us.s) :
			stack_served_here(def) && def->dev == src->ns_dev &&
			def->ino == src->ns_ino;
		stack_put(def);
		return yes;
	}
	if (src->user || src->unborn)
		return false;
	if (__atomic_load_n(&sv->moved, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&sv->dlock);
		yes = sv->base_dev == src->ns_dev && sv->base_ino == src->ns_ino;
		pthread_mutex_unlock(&sv->dlock);
		return yes;
	}
	snprintf(path, sizeof(path), "/proc/%u/ns/net", w->req->pid);
	return fileid_path_is(path, src->ns_dev, src->ns_ino);
}

/* Is the old socket in @s already? */
static bool move_src_in(const struct move_src *src, const struct stack *s)
{
	if (src->user)
		return stack_same(src->us.s, s);
	return stack_served_here(s) && s->dev == src->ns_dev && s->ino == src->ns_ino;
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
	struct route pub;
	struct notify_reply nr = { .what = NOTIFY_ERROR };
	struct stat st;
	struct creds c;
	bool handled = true;

	if (len < sizeof(sa_family_t) || len > sizeof(ss) || (int)d->args[2] < 0 ||
	    request_own(w) || childmem_read(tid, d->args[1], &ss, len))
		return false;	/* the kernel's errors */
	rt = route_match(t, (struct sockaddr *)&ss, len);
	/* a port of its own that the host's listener serves (movepub.c) */
	if (rt && rt->action == ROUTE_STAY && move_pub_route(t, (struct sockaddr *)&ss, &pub))
		rt = &pub;
	if (rt && rt->action == ROUTE_STAY && move_pub_active()) {
		/* a socket bound in netsup's namespace reaches nothing inside */
		int cfd = request_child_fd(w, fd);
		bool here = cfd >= 0 && move_pub_governed(w->sv, cfd);

		if (cfd >= 0)
			close(cfd);
		if (here) {
			request_fail(r, -ENETUNREACH);
			return true;
		}
	}
	if (!rt || rt->action == ROUTE_STAY) {
		move_note(w);	/* a userspace socket connects where it is */
		return false;
	}
	src = calloc(1, sizeof(*src));
	if (!src) {
		request_fail(r, -ENOMEM);
		return true;
	}
	src->nsfd = -1;
	src->cfd = request_child_fd(w, fd);
	if (src->cfd < 0 || fstat(src->cfd, &st) || !S_ISSOCK(st.st_mode)) {
		handled = false;
		goto out;
	}
	src->dev = st.st_dev;
	src->ino = st.st_ino;
	src->user = ustack_sock_find(st.st_dev, st.st_ino, &src->us);
	if (!src->user && unborn_any(w->sv))
		src->cookie = nscookie_of(src->cfd);
	rc = src->user ? move_src_user(src) : move_src_kernel(src);
	if (!rc && !src->user && unborn_any(w->sv))	/* unborn.c */
		src->unborn = unborn_of_known(w, src->cookie, src->domain, src->type,
					      move_src_fresh(src));
	/* bound to a published port: governed as one that waits (movepub.c) */
	if (!rc && !src->user && !src->unborn && move_pub_active())
		src->governed = move_pub_governed(w->sv, src->cfd);
	if (rc || (ss.ss_family == AF_INET && src->domain != AF_INET) ||
	    (ss.ss_family == AF_INET6 && src->domain != AF_INET6)) {
		handled = false;	/* the kernel's or the stack's answer */
		goto out;
	}
	src->flflags = fcntl(src->cfd, F_GETFL);
	src->nonblock = src->flflags >= 0 && (src->flflags & O_NONBLOCK);
	rc = request_creds(w, &c);
	if (rc) {
		request_fail(r, rc);
		goto out;
	}
	/* a socket that waits for its stack is where netsup put it: the
	 * rule's checks below are its own */
	if ((!src->governed && !move_src_is_default(w, &c, src)) ||
	    (!src->unborn && !src->governed && rt->action == ROUTE_STACK &&
	     move_src_in(src, rt->s))) {
		handled = false;
		goto out;
	}
	if (!request_id_valid(w)) {
		request_fail(r, -ESRCH);
		goto out;
	}
	if (rt->action == ROUTE_REFUSE) {
		move_log(&c, rt, src, "refused (no such network)");
		request_fail(r, -ENETUNREACH);
		goto out;
	}
	/* a child never gains, by a rule, a stack it could not use itself */
	if (!rt->trusted && policy_check(&w->sv->policy, rt->s)) {
		move_log(&c, rt, src, "refused by the policy (--allow):");
		request_fail(r, -EACCES);
		goto out;
	}
	/* a socket made by a helper would come back later: not here */
	if (c.foreign_user && rt->s->foreign_owner) {
		move_log(&c, rt, src, "refused: a process of another user namespace");
		request_fail(r, -EACCES);
		goto out;
	}
	if ((src->unborn || src->governed) && move_src_in(src, rt->s)) {
		/* it waited where the rule sends it: it connects there */
		if (rt->view)
			move_view_add(t, src->cfd, src, &ss, len);
		if (!rt->rewrite) {
			move_log(&c, rt, src, "connected where it waited, in");
			r->what = NOTIFY_CONTINUE;
			goto out;
		}
		move_log(&c, rt, src, "connected where it waited (its address rewritten), in");
		move_connect_rewritten(w, &c, rt, src, src->cfd, true, &ss, len, r);
		src->cfd = -1;
		goto out;
	}
	/* read only now, with netsup's own credentials (/proc/TID/fdinfo of
	 * a program that gained privileges is not the caller's to read): a
	 * socket connected where it is keeps its flags */
	rc = request_own(w);
	if (!rc)
		rc = move_fd_cloexec(tid, fd, &src->cloexec);
	if (rc) {
		request_fail(r, rc);
		goto out;
	}
	if (!src->user) {
		move_opts_read(src->cfd, src->domain, src->type, src->vals);
		if (move_fresh_opts(w, src, fresh))
			memset(fresh, 0, sizeof(fresh));
	}
	create_socket(w, rt->s, &c, src->domain, src->type | (src->nonblock ? SOCK_NONBLOCK : 0),
		      src->protocol, &nr);
	if (nr.what != NOTIFY_FD) {
		move_log(&c, rt, src, "cannot make the new socket in");
		request_fail(r, nr.what == NOTIFY_ERROR ? nr.error : -EIO);
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
		request_fail(r, rc);
		goto out;
	}
	if (rt->view)
		move_view_add(t, nfd, src, &ss, len);
	if (rt->rewrite) {
		move_log(&c, rt, src, "moved (its address rewritten) to");
		close(src->cfd);
		src->cfd = -1;
		move_connect_rewritten(w, &c, rt, src, nfd, false, &ss, len, r);
		nfd = -1;
		goto out;
	}
	rc = move_replace(w, w->req->id, nfd, fd, src->cloexec);
	if (rc) {
		request_fail(r, rc);
		goto out;
	}
	move_log(&c, rt, src, "moved to");
	if (src->user)
		move_rec_drop(src->dev, src->ino);
	r->what = NOTIFY_CONTINUE;	/* connect() runs in the child, natively */
out:
	/* both copies go before the answer: the old socket is freed now */
	if (nfd >= 0)
		close(nfd);
	if (src->cfd >= 0)
		close(src->cfd);
	if (src->nsfd >= 0)
		close(src->nsfd);
	stack_put(src->unborn);
	free(src);
	return handled;
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
		return move_names(w, r) || move_pub_names(w, r);
	case SYS_bind:
		if (move_pub_bind(w, r))	/* --publish: movepub.c */
			return true;
		move_note(w);
		return false;
	case SYS_setsockopt:
	case SYS_listen:
		move_note(w);
		return false;
	default:
		return false;
	}
}
