/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ucall_table.h - the calls forwarded to userspace stacks, one row each
 *
 * What the filter notifies (filter.c), what the notification loop sends to
 * ucall.c (notify.c) and how ucall.c serves a call all come from one table
 * (ucall_table.c).  This header names the per-call functions with
 * incomplete types only, so that filter.c and notify.c read the table
 * without ucall.c's headers.
 */
#ifndef NETSUP_UCALL_TABLE_H
#define NETSUP_UCALL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How an argument of a forwarded call is read (x86-64 registers, in order). */
enum ucall_arg {
	UA_NONE = 0,	/* no more arguments */
	UA_FD,		/* int: the socket */
	UA_INT,		/* int: listen's backlog, shutdown's how */
	UA_ADDR,	/* const struct sockaddr *: read; UA_ADDRLEN follows */
	UA_ADDRLEN,	/* socklen_t */
	UA_NAME,	/* struct sockaddr *: written; UA_NAMELEN follows */
	UA_NAMELEN,	/* socklen_t *: the room, then the length */
	UA_BUF,		/* const void *: read; UA_LEN follows */
	UA_RBUF,	/* void *: written; UA_LEN follows */
	UA_LEN,		/* size_t */
	UA_FLAGS,	/* int: MSG_*, accept4's SOCK_* */
	UA_LEVEL,	/* int: an option's level */
	UA_OPTNAME,	/* int: an option's name */
	UA_OPTVAL,	/* void *: read (setsockopt) or written (getsockopt) */
	UA_OPTLEN,	/* socklen_t: setsockopt's */
	UA_OPTLENP,	/* socklen_t *: getsockopt's, the room, then the length */
	UA_MSG,		/* const struct msghdr *: sendmsg's */
	UA_RMSG,	/* struct msghdr *: recvmsg's, written */
	UA_MMSG,	/* struct mmsghdr *: its msg_len written; UA_VLEN follows */
	UA_VLEN,	/* unsigned int: how many messages */
	UA_TIMEOUT,	/* struct timespec *: recvmmsg's (one message: unused) */
	UA_REQ,		/* unsigned int: ioctl's request */
	UA_ARGP,	/* void *: ioctl's argument, written */
};

/* When the filter notifies a call, in a session with userspace stacks. */
enum ucall_rule {
	UR_ALWAYS,	/* every call, whatever its descriptor */
	UR_ADDRESS,	/* with an address: the fifth argument not 0 */
	UR_NOT_HANDOFF,	/* but on the descriptor that hands the listener over */
	UR_REQUEST,	/* ioctl: the row's request only */
};

/* A call's arguments, decoded by its row (ucall_table_args()). */
struct ucall_argv {
	int fd;
	int32_t arg;		/* UA_INT */
	int flags;		/* UA_FLAGS; 0 without */
	uint64_t addr, addrlen;	/* UA_ADDR, UA_ADDRLEN */
	uint64_t name, namelen;	/* UA_NAME, UA_NAMELEN: where an address goes */
	uint64_t buf, len;	/* UA_BUF or UA_RBUF, UA_LEN */
	int level, optname;	/* UA_LEVEL, UA_OPTNAME */
	uint64_t optval;	/* UA_OPTVAL */
	uint64_t optlen;	/* UA_OPTLEN (a value) or UA_OPTLENP (a pointer) */
	uint64_t msg, vlen;	/* UA_MSG, UA_RMSG or UA_MMSG; UA_VLEN */
	uint32_t req;		/* UA_REQ */
	uint64_t argp;		/* UA_ARGP */
};

struct worker;
struct ucall;
struct creds;
struct sp_msg;
struct notify_reply;
struct ureq;

/*
 * Builds the request of a call (ucall_int.h says what it may return);
 * answers it when the daemon replied.
 */
typedef int ucall_start_fn(struct worker *w, struct ucall *uc, const struct creds *c,
			   struct sp_msg *m, struct notify_reply *r);
typedef void ucall_done_fn(struct ureq *rq, struct worker *w);

struct ucall_row {
	const char *name;	/* as libseccomp names it */
	long nr;		/* x86-64 */
	int i386_nr;		/* i386's direct call (Linux 4.3); 0: none */
	unsigned int socketcall;/* i386 socketcall(2)'s operation; 0: none */
	bool i386;		/* i386's arguments mean the same: served (else
				 * its calls reach the socketpair as they are) */
	enum ucall_arg args[6];
	enum ucall_rule rule;
	uint32_t req;		/* UR_REQUEST: the ioctl request */
	bool writes;		/* writes into the caller: its memory is opened */
	bool blocks;		/* may wait in the daemon while the socket blocks */
	uint16_t op;		/* the protocol's request (enum sp_op); 0: answered here */
	ucall_start_fn *start;
	ucall_done_fn *done;	/* NULL: answered by start alone */
};

#define UCALL_TABLE_MAX	32

extern const struct ucall_row ucall_table[];
extern const size_t ucall_table_len;

const struct ucall_row *ucall_table_find(uint32_t arch, int nr, const uint64_t *args);
bool ucall_table_ioctl(uint32_t req);
unsigned int ucall_table_nargs(const struct ucall_row *row);
void ucall_table_args(const struct ucall_row *row, const uint64_t *a, struct ucall_argv *av);

/* The rows' functions: ucall_conn.c (connections, names, options, ioctl) */
ucall_start_fn ucall_bind_start, ucall_connect_start, ucall_int_start, ucall_accept_start,
	ucall_name_start, ucall_getsockopt_start, ucall_setsockopt_start, ucall_ioctl_start;
ucall_done_fn ucall_result_done, ucall_connect_done, ucall_accept_done, ucall_name_done,
	      ucall_getsockopt_done;
/* ucall_dgram.c (datagrams with addresses) */
ucall_start_fn ucall_sendto_start, ucall_recvfrom_start, ucall_sendmsg_start,
	ucall_recvmsg_start;
ucall_done_fn ucall_recv_done, ucall_mmsg_sent_done;

#endif /* NETSUP_UCALL_TABLE_H */
