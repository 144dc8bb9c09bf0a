/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * stackproto.h - the stack protocol between netsup and a userspace stack
 *
 * A userspace stack daemon (netsup-lwip) listens on a UNIX SOCK_SEQPACKET
 * socket, the stack file.  A client (netsup) connects, says HELLO, then
 * sends requests; each request carries a 64-bit id chosen by the client and
 * the reply carries the same id.  Many requests may be in flight at once
 * and replies may come out of order (a blocking CONNECT or ACCEPT is
 * answered when it completes).  One message is one datagram: the kernel
 * keeps message boundaries, so a message is never split or merged.  File
 * descriptors (the child's end of a socketpair) travel with SCM_RIGHTS.
 *
 * Byte order is the host's (both ends are on one machine); every field has
 * a fixed size; structures are laid out with explicit padding so that their
 * size is the same for every compiler (static asserts below).  The full
 * description, for other implementations, is netsup-stack-protocol(7).
 *
 * Every decoder checks every length and field against the received size
 * and returns -errno for anything malformed: the peer is not trusted.
 */
#ifndef NETSUP_STACKPROTO_H
#define NETSUP_STACKPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SP_VERSION	3		/* the highest version this code speaks */
#define SP_VERSION_MIN	1		/* the lowest */

#define SP_ADDR_MAX	128		/* sizeof(struct sockaddr_storage) */
#define SP_OPT_MAX	256		/* socket option values */
#define SP_TEXT_MAX	1024		/* HELLO description */
#define SP_DATA_MAX	65535		/* SENDTO payload */
#define SP_MSG_MAX	(SP_DATA_MAX + 256)	/* largest message of any kind */

/* Operations.  A reply has the request's op with SP_REPLY set. */
enum sp_op {
	SP_HELLO	= 1,
	SP_SOCKET	= 2,
	SP_BIND		= 3,
	SP_LISTEN	= 4,
	SP_CONNECT	= 5,
	SP_ACCEPT	= 6,
	SP_CANCEL	= 7,
	SP_GETSOCKNAME	= 8,
	SP_GETPEERNAME	= 9,
	SP_SETSOCKOPT	= 10,
	SP_GETSOCKOPT	= 11,
	SP_SHUTDOWN	= 12,
	SP_SENDTO	= 13,
	SP_DGRAMSRC	= 14,		/* source of the datagram at the head */
	SP_CLOSE	= 15,
	SP_IFREQ	= 16,		/* version 2: an interface ioctl */
	SP_SENDMSG	= 17,		/* version 3: SENDTO with ancillary data */
	SP_OP_MAX	= 17,
};
#define SP_REPLY	0x8000

/* flags of CONNECT, ACCEPT and DGRAMSRC */
#define SP_NONBLOCK	0x1

/* families in the HELLO reply */
#define SP_FAM_INET	0x1
#define SP_FAM_INET6	0x2
#define SP_FAM_NETLINK	0x4		/* version 2: AF_NETLINK, NETLINK_ROUTE */

/* DGRAMSRC's reply in version 2 only: handle is this | the datagram's IP
 * TTL or hop limit, for a socket that asked for it (IP_RECVTTL...); else
 * 0.  Version 3 carries a struct sp_anc instead (decoded into the same). */
#define SP_DGRAM_TTL	0x100

/* struct sp_anc's present bits (version 3) */
#define SP_ANC_TTL	0x1		/* ttl */
#define SP_ANC_TOS	0x2		/* tos */
#define SP_ANC_PKTINFO	0x4		/* ifindex, addr (and spec_dst) */
#define SP_ANC_V4	0x8		/* the datagram is (or goes) over IPv4 */
#define SP_ANC_ALL	0xf

/* flags of SOCKET (version 2) */
#define SP_SOCK_NETADMIN 0x1		/* the creator has CAP_NET_ADMIN over the stack */

/*
 * A datagram's ancillary attributes (version 3), a fixed set: after the
 * address of DGRAMSRC's reply, what the socket asked to receive
 * (IP_RECVTTL, IP_RECVTOS, IP_PKTINFO and their IPv6 kin), only the
 * present ones meaningful; in SENDMSG, what the sender's control messages
 * ask for this datagram.  Addresses are IPv6 ones, an IPv4 address in its
 * mapped form (::ffff:a.b.c.d).
 */
struct sp_anc {
	uint32_t present;	/* SP_ANC_* */
	uint8_t ttl;		/* TTL or hop limit (SENDMSG: 1..255) */
	uint8_t tos;		/* TOS or traffic class */
	uint16_t zero;
	uint32_t ifindex;	/* PKTINFO: the interface (SENDMSG: 0 for any) */
	uint8_t addr[16];	/* PKTINFO: DGRAMSRC: the header's destination;
				 * SENDMSG: the source, :: for any */
	uint8_t spec_dst[4];	/* PKTINFO, DGRAMSRC over IPv4: the local
				 * address a reply would come from */
};

/* Every message starts with this header. */
struct sp_hdr {
	uint32_t len;		/* whole message in bytes, header included */
	uint16_t op;		/* enum sp_op, | SP_REPLY in a reply */
	uint16_t zero;		/* must be 0 */
	uint64_t id;		/* chosen by the requester, echoed in the reply */
};

/* A reply: the header, then the result, then the op's body. */
struct sp_rhdr {
	struct sp_hdr h;
	int32_t result;		/* >= 0 done (op-specific value), or -errno */
	uint32_t nfds;		/* descriptors attached by SCM_RIGHTS: 0 or 1 */
};

/* Request bodies (after struct sp_hdr). */

struct sp_hello_req {		/* HELLO */
	uint32_t version_min;	/* the versions the client speaks */
	uint32_t version_max;
};

struct sp_socket_req {		/* SOCKET */
	int32_t domain;		/* AF_INET, AF_INET6; version 2: AF_NETLINK */
	int32_t type;		/* SOCK_STREAM, SOCK_DGRAM (| NONBLOCK, CLOEXEC: ignored);
				 * version 2: SOCK_RAW for AF_NETLINK */
	int32_t protocol;	/* 0, IPPROTO_TCP, IPPROTO_UDP; version 2:
				 * IPPROTO_ICMP, IPPROTO_ICMPV6, NETLINK_ROUTE */
	uint32_t flags;		/* version 2: SP_SOCK_NETADMIN; version 1: 0 */
};

/* LISTEN, ACCEPT, CANCEL, GETSOCKNAME, GETPEERNAME, SHUTDOWN, DGRAMSRC,
 * CLOSE: a handle (CANCEL: the id of the request to cancel), an integer
 * argument (LISTEN: backlog; SHUTDOWN: how; version 2: DGRAMSRC's timeout
 * in milliseconds, 0 for none) and flags (SP_NONBLOCK). */
struct sp_handle_req {
	uint64_t handle;
	int32_t arg;
	uint32_t flags;
};

/* BIND, CONNECT, SENDTO, SENDMSG: a handle, flags, an address of addrlen
 * bytes right after this structure; SENDTO's payload follows the address,
 * SENDMSG's follows a struct sp_anc that follows the address. */
struct sp_addr_req {
	uint64_t handle;
	uint32_t flags;		/* CONNECT: SP_NONBLOCK; SENDTO: MSG_* */
	uint32_t addrlen;	/* <= SP_ADDR_MAX; 0 only for SENDTO */
};

/* SETSOCKOPT, GETSOCKOPT: SETSOCKOPT's value (optlen bytes) follows;
 * GETSOCKOPT's optlen is the largest value the client accepts.
 * IFREQ (version 2): handle 0, level 0, name the ioctl request
 * (SIOCGIF*), the request's struct ifreq (optlen bytes) follows; the
 * reply is laid out as GETSOCKOPT's. */
struct sp_sockopt_req {
	uint64_t handle;
	int32_t level;
	int32_t name;
	uint32_t optlen;	/* <= SP_OPT_MAX */
	uint32_t zero;
};

/* Reply bodies (after struct sp_rhdr), sent only when result >= 0. */

struct sp_hello_rep {		/* HELLO; a description text follows */
	uint32_t version;	/* the version chosen */
	uint32_t families;	/* SP_FAM_* */
	uint32_t pid;		/* the daemon's pid */
	uint32_t mtu;		/* the link's MTU */
};

struct sp_handle_rep {		/* SOCKET, with one descriptor */
	uint64_t handle;
};

/* ACCEPT (with one descriptor), GETSOCKNAME, GETPEERNAME, DGRAMSRC: the
 * address (addrlen bytes) follows; DGRAMSRC (version 3): then a struct
 * sp_anc when the socket asked for ancillary data, else nothing. */
struct sp_addr_rep {
	uint64_t handle;	/* ACCEPT: the new socket; DGRAMSRC: 0 or
				 * SP_DGRAM_TTL | ttl (version 2); else 0 */
	uint32_t datalen;	/* DGRAMSRC: payload bytes of that datagram; else 0 */
	uint32_t addrlen;
};

struct sp_sockopt_rep {		/* GETSOCKOPT; the value (optlen bytes) follows */
	uint32_t optlen;
	uint32_t zero;
};

_Static_assert(sizeof(struct sp_hdr) == 16, "sp_hdr layout");
_Static_assert(sizeof(struct sp_rhdr) == 24, "sp_rhdr layout");
_Static_assert(sizeof(struct sp_hello_req) == 8, "sp_hello_req layout");
_Static_assert(sizeof(struct sp_socket_req) == 16, "sp_socket_req layout");
_Static_assert(sizeof(struct sp_handle_req) == 16, "sp_handle_req layout");
_Static_assert(sizeof(struct sp_addr_req) == 16, "sp_addr_req layout");
_Static_assert(sizeof(struct sp_sockopt_req) == 24, "sp_sockopt_req layout");
_Static_assert(sizeof(struct sp_hello_rep) == 16, "sp_hello_rep layout");
_Static_assert(sizeof(struct sp_handle_rep) == 8, "sp_handle_rep layout");
_Static_assert(sizeof(struct sp_addr_rep) == 16, "sp_addr_rep layout");
_Static_assert(sizeof(struct sp_sockopt_rep) == 8, "sp_sockopt_rep layout");
_Static_assert(sizeof(struct sp_anc) == 32, "sp_anc layout");

/*
 * A decoded message, request or reply: every field an op does not use is
 * zero.  Pointers point into the buffer that was decoded.
 */
struct sp_msg {
	uint16_t op;		/* enum sp_op, without SP_REPLY */
	int reply;		/* 1 for a reply */
	uint64_t id;
	int32_t result;		/* reply */
	uint32_t nfds;		/* reply: descriptors announced */
	uint64_t handle;	/* handle; CANCEL: target id; reply: handle */
	int32_t arg;		/* backlog, how */
	uint32_t flags;
	int32_t domain, type, protocol;		/* SOCKET */
	int32_t level, name;			/* SET/GETSOCKOPT */
	uint32_t version_min, version_max;	/* HELLO request */
	uint32_t sflags;			/* SOCKET: SP_SOCK_* */
	uint32_t version, families, pid, mtu;	/* HELLO reply */
	uint32_t datalen_hint;	/* DGRAMSRC reply: payload size */
	uint32_t optlen;	/* GETSOCKOPT request: room for the value */
	const void *addr;	/* address, addrlen bytes */
	uint32_t addrlen;
	const void *data;	/* SENDTO payload, option value, HELLO text */
	uint32_t datalen;
	struct sp_anc anc;	/* DGRAMSRC reply, SENDMSG: present 0 for none */
};

int sp_decode(const void *buf, size_t len, struct sp_msg *m);
ssize_t sp_encode(const struct sp_msg *m, void *buf, size_t cap);
int sp_check_addr(int domain, const void *addr, uint32_t addrlen);
const char *sp_op_name(unsigned int op);

ssize_t sp_send(int fd, const void *buf, size_t len, int passfd);
ssize_t sp_recv(int fd, void *buf, size_t cap, int *fd_out);

#endif /* NETSUP_STACKPROTO_H */
