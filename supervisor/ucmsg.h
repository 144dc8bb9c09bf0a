/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ucmsg.h - control messages of datagrams on userspace-stack sockets:
 * recvmsg's built, sendmsg's parsed (ucmsg.c)
 */
#ifndef NETSUP_UCMSG_H
#define NETSUP_UCMSG_H

#include <stddef.h>
#include <stdint.h>

#include "request.h"
#include "../stacks/stackproto.h"

/* The most a datagram's control messages take: IPV6_PKTINFO (40 bytes
 * with its header), IPV6_HOPLIMIT and IPV6_TCLASS (24 each) */
#define UCMSG_RECV_MAX	128
#define UCMSG_SEGS	4		/* control messages at most */

/* sendmsg's control data is refused past this (ENOBUFS), as the kernel
 * refuses what sock_kmalloc() cannot take (net.core.optmem_max) */
#define UCMSG_SEND_MAX	131072

/*
 * recvmsg's control messages, laid out as the kernel's put_cmsg() lays
 * them in a buffer of the caller's size: each one's header and data
 * (seg[]), the padding between them left as the caller had it.
 */
struct ucmsg_out {
	unsigned char buf[UCMSG_RECV_MAX];
	size_t used;			/* msg_controllen to give back */
	int flags;			/* MSG_CTRUNC when something was cut */
	unsigned int nseg;
	struct { size_t off, len; } seg[UCMSG_SEGS];
};

void ucmsg_build(const struct sp_anc *anc, int domain, uint64_t room, struct ucmsg_out *out);
int ucmsg_parse(const void *ctl, size_t len, int domain, struct sp_anc *anc);
int ucmsg_recv_put(const struct request_ref *ref, uint64_t msghdr, const struct sp_anc *anc,
		   int domain, int *mflags);
int ucmsg_send_read(pid_t tid, uint64_t control, uint64_t controllen, int domain,
		    struct sp_anc *anc);

#endif /* NETSUP_UCMSG_H */
