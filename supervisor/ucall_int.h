/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ucall_int.h - what ucall.c, ucall_conn.c and ucall_dgram.c share: a
 *		 forwarded call in progress and the machinery around it
 */
#ifndef NETSUP_UCALL_INT_H
#define NETSUP_UCALL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "request.h"
#include "request.h"
#include "ucall_table.h"
#include "ustack.h"

#define UCALL_IOV_MAX	1024

/* What a row's start() returns besides 0 (send the request) and -errno. */
#define UCALL_ANSWERED	1	/* @r holds the answer, or the request went:
				 * the call is taken care of (and freed) */
#define UCALL_KERNEL	2	/* not the daemon's: the kernel serves it
				 * (CONTINUE); the caller frees the call */

/*
 * A call, decoded: its x86-64 number and arguments, whatever the
 * architecture it came from (i386 socketcall's are copied from memory).
 */
struct ucall_args {
	long nr;
	uint64_t a[6];
	const struct ucall_row *row;	/* NULL: socket() */
};

/* One call in progress. */
struct ucall {
	struct ureq rq;
	struct request_ref ref;	/* the caller, and its memory */
	struct usock us;	/* the socket (socket(): the stack) */
	int cfd;		/* our copy of the child's descriptor, or -1 */
	const struct ucall_row *row;	/* NULL: socket() */
	struct ucall_argv av;	/* its arguments, by its row */
	int flags;		/* accept4's, recvfrom's */
	bool cloexec;		/* socket(), accept4 */
	bool nonblock;
	uint64_t name, namelen;	/* where an address goes in the child */
	struct iovec *iov;	/* recvmsg: the child's buffers */
	size_t iovcnt;
	uint64_t msghdr;	/* recvmsg: the child's struct msghdr */
	size_t want;		/* recvfrom: the child's buffer size;
				 * getsockopt: its optlen */
	bool mmsg;		/* sendmmsg/recvmmsg: msg_len, and 1 message */
	int tries;		/* recvfrom: the datagram went elsewhere */
	uid_t uid;		/* whom it counts against */
};

void ucall_free(struct ucall *uc);
void ucall_reply(struct worker *w, struct ucall *uc, struct notify_reply *r);
void ucall_reply_result(struct worker *w, struct ucall *uc, long long v);
void ucall_now(struct ucall *uc, struct notify_reply *r, long long v);
void ucall_send(struct worker *w, struct ucall *uc, struct sp_msg *m,
		void (*done)(struct ureq *, struct worker *), uid_t uid,
		struct notify_reply *r);
int ucall_put_name(struct ucall *uc, const void *addr, uint32_t addrlen);
int ucall_addr(struct ucall *uc, struct sp_msg *m, uint64_t addr, uint64_t len);
/* a thread's buffer for what goes to the daemon (an option, a datagram) */
#define UCALL_DATA_SIZE	(SP_DATA_MAX + 1)
unsigned char *ucall_data(void);

#endif /* NETSUP_UCALL_INT_H */
