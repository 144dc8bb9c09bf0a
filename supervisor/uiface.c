// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uiface.c - the interfaces of a userspace stack: who may configure them,
 * and the interface ioctls its daemon answers
 *
 * CAP_NET_ADMIN in the stack's terms.  A kernel stack belongs to the user
 * namespace that owns its network namespace, and the kernel lets a
 * process configure it if the process has CAP_NET_ADMIN in that user
 * namespace (ns_capable(), capabilities(7)).  A userspace stack belongs,
 * in the same sense, to the user namespace its daemon runs in: a process
 * has CAP_NET_ADMIN over it if it is in that user namespace with
 * CAP_NET_ADMIN in its effective set, or if the daemon's user namespace
 * descends from one whose owner is the process's effective user and whose
 * parent the process is in (user_namespaces(7): the owner has every
 * capability in it).  The daemon's pid is the listener's SO_PEERCRED on
 * our connection to it; the chain of user namespaces is walked with
 * NS_GET_PARENT and NS_GET_OWNER_UID (ioctl_ns(2), Linux 4.9 and 4.11).
 * The answer travels with SOCKET as SP_SOCK_NETADMIN, for netlink
 * sockets; as for the kernel's netlink (file_ns_capable() on the socket's
 * opener), it is the creator's capability that counts, so a socket an
 * unprivileged process made stays unprivileged in whoever's hands.  The
 * daemon believes it only from a client that runs as root or as the
 * daemon's own user (netsup-lwip(8)).
 *
 * Interface ioctls.  glibc's if_nametoindex(3) and its kin ask on an
 * AF_UNIX socket, which the kernel answers from netsup's own namespace;
 * under a userspace default they are asked of the daemon (SP_IFREQ, with
 * the program's struct ifreq, or the array of SIOCGIFCONF), and the
 * answer is written into the program's memory when it comes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <net/if.h>

#include "log.h"
#include "request.h"
#include "uiface.h"
#include "ustack.h"
#include "../common/fileid.h"

#define UIFACE_USERNS_DEPTH	33	/* the kernel nests at most 32 */

/* The same namespace? */
static bool uiface_same(int a, int b)
{
	return fileid_fds_same(a, b);
}

/**
 * uiface_net_admin() - has the thread CAP_NET_ADMIN over the stack?
 * @s:		a userspace stack (its connection names the daemon)
 * @tid:	the thread
 * @c:		its credentials, read by the caller
 *
 * Return: true if so; false also when anything cannot be read
 */
bool uiface_net_admin(const struct stack *s, pid_t tid, const struct creds *c)
{
	struct ucred peer;
	socklen_t len = sizeof(peer);
	char path[64];
	int mine = -1, ns = -1, parent, i;
	bool yes = false;

	if (getsockopt(s->fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) || peer.pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tid);
	mine = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)peer.pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	for (i = 0; mine >= 0 && ns >= 0 && i < UIFACE_USERNS_DEPTH; i++) {
		uid_t owner;

		if (uiface_same(ns, mine)) {
			yes = c->cap_eff_ns & (1ULL << CAP_NET_ADMIN);
			break;
		}
		parent = ioctl(ns, NS_GET_PARENT);
		if (parent < 0)
			break;		/* the top, or beyond what we may see */
		if (uiface_same(parent, mine) && !ioctl(ns, NS_GET_OWNER_UID, &owner) &&
		    owner == c->euid) {
			yes = true;
			close(parent);
			break;
		}
		close(ns);
		ns = parent;
	}
	if (mine >= 0)
		close(mine);
	if (ns >= 0)
		close(ns);
	return yes;
}

/* One interface ioctl asked of a daemon. */
struct uiface_call {
	struct ureq rq;
	struct request_ref ref;	/* the notification, the caller's memory */
	unsigned long req;
	uint64_t arg;		/* the child's struct ifreq or struct ifconf */
	uint64_t buf;		/* SIOCGIFCONF: the child's array, or 0 */
	int room;		/* SIOCGIFCONF: its size */
};

/* The daemon answered: the answer into the child's memory. */
static void uiface_done(struct ureq *rq, struct worker *w)
{
	struct uiface_call *uc = (struct uiface_call *)rq;
	struct notify_reply r = { .what = NOTIFY_ZERO };
	int rc = rq->result < 0 ? rq->result : 0;

	if (!rc && uc->req == SIOCGIFCONF) {
		/* whole entries that fit; no array: the size needed */
		int n = (int)rq->optlen;

		if (uc->buf) {
			n = uc->room < n ? uc->room - uc->room % (int)sizeof(struct ifreq) : n;
			if (n > 0)
				rc = request_write(&uc->ref, uc->buf, rq->opt, (size_t)n);
		}
		if (!rc)
			rc = request_write(&uc->ref, uc->arg + offsetof(struct ifconf, ifc_len),
					   &n, sizeof(n));
	} else if (!rc) {
		rc = rq->optlen == sizeof(struct ifreq) ?
		     request_write(&uc->ref, uc->arg, rq->opt, sizeof(struct ifreq)) : -EPROTO;
	}
	if (rc)
		request_fail(&r, rc);
	if (rq->fd >= 0)
		close(rq->fd);
	request_answer(w, &uc->ref, &r);
	request_ref_drop(&uc->ref);
	free(uc);
}

/**
 * uiface_ioctl() - an interface ioctl of the thread of the current
 *		    notification, asked of the daemon of @s
 * @w:		the handling thread
 * @s:		the thread's inet (or inet6) default, a userspace stack
 * @uid:	whom the request counts against
 * @r:		the outcome: deferred, an error, or CONTINUE (a daemon that
 *		speaks version 1, where the kernel's answer is all there is)
 */
void uiface_ioctl(struct worker *w, struct stack *s, uid_t uid, struct notify_reply *r)
{
	const struct seccomp_data *d = &w->req->data;
	struct sp_msg m = { .op = SP_IFREQ };
	struct ifreq ifr;
	struct ifconf ifc;
	struct uiface_call *uc;
	int rc;

	r->what = NOTIFY_CONTINUE;
	if (s->version < 2)
		return;
	uc = calloc(1, sizeof(*uc));
	if (!uc) {
		request_fail(r, -ENOMEM);
		return;
	}
	rc = request_ref_take(w, &uc->ref, true);	/* its memory, for the answer */
	if (rc) {
		free(uc);
		request_fail(r, rc);
		return;
	}
	uc->rq.fd = -1;
	uc->rq.d.id = uc->ref.id;
	uc->rq.d.tid = uc->ref.tid;
	uc->rq.done = uiface_done;
	uc->req = (unsigned long)(uint32_t)d->args[1];
	uc->arg = d->args[2];
	m.name = (int32_t)uc->req;
	if (uc->req == SIOCGIFCONF) {
		rc = request_read(&uc->ref, uc->arg, &ifc, sizeof(ifc));
		uc->buf = (uint64_t)(uintptr_t)ifc.ifc_buf;
		uc->room = ifc.ifc_len > 0 ? ifc.ifc_len : 0;
		m.optlen = 0;
	} else {
		rc = request_read(&uc->ref, uc->arg, &ifr, sizeof(ifr));
		m.data = &ifr;
		m.datalen = sizeof(ifr);
	}
	if (!rc && !request_id_valid(w))
		rc = -ESRCH;
	if (!rc)
		rc = ustack_send(w->sv, s, &m, &uc->rq, uid);
	if (rc) {
		request_ref_drop(&uc->ref);
		free(uc);
		request_fail(r, rc);
		return;
	}
	r->what = NOTIFY_DEFERRED;
}
