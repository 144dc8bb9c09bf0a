// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucall_table.c - the calls forwarded to userspace stacks, one row each
 *
 * A row says everything about a call that the three readers need:
 * - the filter (filter.c) notifies the row's call by its name, under the
 *   row's rule, in sessions that can use userspace stacks; libseccomp
 *   derives the i386 direct call and socketcall(2)'s operation, and x32's,
 *   from the name;
 * - the notification loop (notify.c) sends to ucall.c what the table
 *   names: x86-64 numbers by name (filter_call_kind()), i386 direct
 *   numbers from the rows, because libseccomp names those by socketcall's
 *   pseudo numbers;
 * - ucall.c decodes the arguments by the row (ucall_table_args()), opens
 *   the caller's memory if the row writes into it, has the row's start()
 *   build the request of the row's op and answers with the row's done().
 * The i386 numbers are those of arch/x86/entry/syscalls/syscall_32.tbl,
 * socketcall's operations those of linux/net.h (SYS_*).  A call whose i386
 * arguments are laid out otherwise (struct msghdr, struct mmsghdr) is
 * notified there too, and goes back to the kernel as it is.
 *
 * Adding a call: a row here, its start() and done() beside the others in
 * ucall_conn.c or ucall_dgram.c, and the daemon's op.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/net.h>

#include "ucall_table.h"
#include "../stacks/stackproto.h"
#include "../common/util.h"

#ifndef AUDIT_ARCH_I386
#define AUDIT_ARCH_I386		0x40000003
#endif
#define UCALL_X32_BIT		0x40000000

/* i386 numbers (syscall_32.tbl) */
#define I386_NR_IOCTL		54
#define I386_NR_SOCKETCALL	102
#define I386_NR_RECVMMSG	337
#define I386_NR_SENDMMSG	345
#define I386_NR_BIND		361
#define I386_NR_CONNECT		362
#define I386_NR_LISTEN		363
#define I386_NR_ACCEPT4		364
#define I386_NR_GETSOCKOPT	365
#define I386_NR_SETSOCKOPT	366
#define I386_NR_GETSOCKNAME	367
#define I386_NR_GETPEERNAME	368
#define I386_NR_SENDTO		369
#define I386_NR_SENDMSG		370
#define I386_NR_RECVFROM	371
#define I386_NR_RECVMSG		372
#define I386_NR_SHUTDOWN	373

#define ARGS(...)	.args = { __VA_ARGS__ }

const struct ucall_row ucall_table[] = {
	{ .name = "bind", .nr = SYS_bind, .i386_nr = I386_NR_BIND, .socketcall = SYS_BIND,
	  .i386 = true, ARGS(UA_FD, UA_ADDR, UA_ADDRLEN), .rule = UR_ALWAYS,
	  .op = SP_BIND, .start = ucall_bind_start, .done = ucall_result_done },
	{ .name = "connect", .nr = SYS_connect, .i386_nr = I386_NR_CONNECT,
	  .socketcall = SYS_CONNECT, .i386 = true, ARGS(UA_FD, UA_ADDR, UA_ADDRLEN),
	  .rule = UR_ALWAYS, .blocks = true, .op = SP_CONNECT, .start = ucall_connect_start,
	  .done = ucall_connect_done },
	{ .name = "listen", .nr = SYS_listen, .i386_nr = I386_NR_LISTEN,
	  .socketcall = SYS_LISTEN, .i386 = true, ARGS(UA_FD, UA_INT), .rule = UR_ALWAYS,
	  .op = SP_LISTEN, .start = ucall_int_start, .done = ucall_result_done },
	/* i386 has no direct accept: socketcall's only */
	{ .name = "accept", .nr = SYS_accept, .socketcall = SYS_ACCEPT, .i386 = true,
	  ARGS(UA_FD, UA_NAME, UA_NAMELEN), .rule = UR_ALWAYS, .writes = true,
	  .blocks = true, .op = SP_ACCEPT, .start = ucall_accept_start,
	  .done = ucall_accept_done },
	{ .name = "accept4", .nr = SYS_accept4, .i386_nr = I386_NR_ACCEPT4,
	  .socketcall = SYS_ACCEPT4, .i386 = true,
	  ARGS(UA_FD, UA_NAME, UA_NAMELEN, UA_FLAGS), .rule = UR_ALWAYS, .writes = true,
	  .blocks = true, .op = SP_ACCEPT, .start = ucall_accept_start,
	  .done = ucall_accept_done },
	{ .name = "getsockname", .nr = SYS_getsockname, .i386_nr = I386_NR_GETSOCKNAME,
	  .socketcall = SYS_GETSOCKNAME, .i386 = true, ARGS(UA_FD, UA_NAME, UA_NAMELEN),
	  .rule = UR_ALWAYS, .writes = true, .op = SP_GETSOCKNAME,
	  .start = ucall_name_start, .done = ucall_name_done },
	{ .name = "getpeername", .nr = SYS_getpeername, .i386_nr = I386_NR_GETPEERNAME,
	  .socketcall = SYS_GETPEERNAME, .i386 = true, ARGS(UA_FD, UA_NAME, UA_NAMELEN),
	  .rule = UR_ALWAYS, .writes = true, .op = SP_GETPEERNAME,
	  .start = ucall_name_start, .done = ucall_name_done },
	{ .name = "getsockopt", .nr = SYS_getsockopt, .i386_nr = I386_NR_GETSOCKOPT,
	  .socketcall = SYS_GETSOCKOPT, .i386 = true,
	  ARGS(UA_FD, UA_LEVEL, UA_OPTNAME, UA_OPTVAL, UA_OPTLENP), .rule = UR_ALWAYS,
	  .writes = true, .op = SP_GETSOCKOPT, .start = ucall_getsockopt_start,
	  .done = ucall_getsockopt_done },
	{ .name = "setsockopt", .nr = SYS_setsockopt, .i386_nr = I386_NR_SETSOCKOPT,
	  .socketcall = SYS_SETSOCKOPT, .i386 = true,
	  ARGS(UA_FD, UA_LEVEL, UA_OPTNAME, UA_OPTVAL, UA_OPTLEN), .rule = UR_ALWAYS,
	  .op = SP_SETSOCKOPT, .start = ucall_setsockopt_start, .done = ucall_result_done },
	{ .name = "shutdown", .nr = SYS_shutdown, .i386_nr = I386_NR_SHUTDOWN,
	  .socketcall = SYS_SHUTDOWN, .i386 = true, ARGS(UA_FD, UA_INT), .rule = UR_ALWAYS,
	  .op = SP_SHUTDOWN, .start = ucall_int_start, .done = ucall_result_done },
	{ .name = "sendto", .nr = SYS_sendto, .i386_nr = I386_NR_SENDTO,
	  .socketcall = SYS_SENDTO, .i386 = true,
	  ARGS(UA_FD, UA_BUF, UA_LEN, UA_FLAGS, UA_ADDR, UA_ADDRLEN), .rule = UR_ADDRESS,
	  .op = SP_SENDTO, .start = ucall_sendto_start, .done = ucall_result_done },
	{ .name = "recvfrom", .nr = SYS_recvfrom, .i386_nr = I386_NR_RECVFROM,
	  .socketcall = SYS_RECVFROM, .i386 = true,
	  ARGS(UA_FD, UA_RBUF, UA_LEN, UA_FLAGS, UA_NAME, UA_NAMELEN), .rule = UR_ADDRESS,
	  .writes = true, .blocks = true, .op = SP_DGRAMSRC, .start = ucall_recvfrom_start,
	  .done = ucall_recv_done },
	{ .name = "sendmsg", .nr = SYS_sendmsg, .i386_nr = I386_NR_SENDMSG,
	  .socketcall = SYS_SENDMSG, ARGS(UA_FD, UA_MSG, UA_FLAGS), .rule = UR_NOT_HANDOFF,
	  .op = SP_SENDTO, .start = ucall_sendmsg_start, .done = ucall_result_done },
	{ .name = "recvmsg", .nr = SYS_recvmsg, .i386_nr = I386_NR_RECVMSG,
	  .socketcall = SYS_RECVMSG, ARGS(UA_FD, UA_RMSG, UA_FLAGS), .rule = UR_ALWAYS,
	  .writes = true, .blocks = true, .op = SP_DGRAMSRC, .start = ucall_recvmsg_start,
	  .done = ucall_recv_done },
	/* the mmsg calls move one message (ucall_dgram.c) */
	{ .name = "sendmmsg", .nr = SYS_sendmmsg, .i386_nr = I386_NR_SENDMMSG,
	  .socketcall = SYS_SENDMMSG, ARGS(UA_FD, UA_MMSG, UA_VLEN, UA_FLAGS),
	  .rule = UR_ALWAYS, .writes = true, .op = SP_SENDTO, .start = ucall_sendmsg_start,
	  .done = ucall_mmsg_sent_done },
	{ .name = "recvmmsg", .nr = SYS_recvmmsg, .i386_nr = I386_NR_RECVMMSG,
	  .socketcall = SYS_RECVMMSG, ARGS(UA_FD, UA_MMSG, UA_VLEN, UA_FLAGS, UA_TIMEOUT),
	  .rule = UR_ALWAYS, .writes = true, .blocks = true, .op = SP_DGRAMSRC,
	  .start = ucall_recvmsg_start, .done = ucall_recv_done },
	/* FIONREAD of a UDP socket is the next datagram's size, of a
	 * SEQPACKET pair the sum of all: answered here */
	{ .name = "ioctl", .nr = SYS_ioctl, .i386_nr = I386_NR_IOCTL, .i386 = true,
	  ARGS(UA_FD, UA_REQ, UA_ARGP), .rule = UR_REQUEST, .req = FIONREAD,
	  .writes = true, .start = ucall_ioctl_start },
};

const size_t ucall_table_len = ARRAY_SIZE(ucall_table);

_Static_assert(ARRAY_SIZE(ucall_table) <= UCALL_TABLE_MAX, "UCALL_TABLE_MAX too small");

/* Is @t the call @nr of @arch? */
static bool ucall_table_is(const struct ucall_row *t, uint32_t arch, int nr,
			   const uint64_t *args)
{
	if (arch == AUDIT_ARCH_X86_64)
		return !(nr & UCALL_X32_BIT) && t->nr == nr;
	if (arch != AUDIT_ARCH_I386)
		return false;
	if (nr == I386_NR_SOCKETCALL)
		return t->socketcall && t->socketcall == (uint32_t)args[0];
	return t->i386_nr && t->i386_nr == nr;
}

/**
 * ucall_table_find() - the row of a notified call
 * @arch:	AUDIT_ARCH_* of the notification
 * @nr:		its system call number
 * @args:	its six arguments, as notified (socketcall: the operation first)
 *
 * x86-64 by number, i386 by its direct number or socketcall's operation;
 * x32 has none (its calls reach the socketpair as they are).  An ioctl is
 * the row's only with the row's request.
 *
 * Return: the row, or NULL
 */
const struct ucall_row *ucall_table_find(uint32_t arch, int nr, const uint64_t *args)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ucall_table); i++) {
		const struct ucall_row *t = &ucall_table[i];

		if (!ucall_table_is(t, arch, nr, args))
			continue;
		if (t->rule == UR_REQUEST && (uint32_t)args[1] != t->req)
			return NULL;
		return t;
	}
	return NULL;
}

/**
 * ucall_table_ioctl() - is an ioctl with this request forwarded?
 * @req:	the request, as the kernel reads it (32 bits)
 *
 * Return: true if a row forwards it
 */
bool ucall_table_ioctl(uint32_t req)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ucall_table); i++)
		if (ucall_table[i].rule == UR_REQUEST && ucall_table[i].req == req)
			return true;
	return false;
}

/**
 * ucall_table_nargs() - how many arguments the call has
 * @row:	the call
 *
 * Return: the count, which socketcall(2) reads from memory
 */
unsigned int ucall_table_nargs(const struct ucall_row *row)
{
	unsigned int n = 0;

	while (n < ARRAY_SIZE(row->args) && row->args[n] != UA_NONE)
		n++;
	return n;
}

/**
 * ucall_table_args() - a call's arguments, by what its row says they are
 * @row:	the call
 * @a:		its six arguments, as x86-64 registers
 * @av:		receives them; what the call has not is 0
 *
 * The integers are cut to the width the kernel reads (an int, a 32-bit
 * request); lengths and pointers are kept whole, for the caller to bound.
 */
void ucall_table_args(const struct ucall_row *row, const uint64_t *a, struct ucall_argv *av)
{
	size_t i;

	*av = (struct ucall_argv){ 0 };
	for (i = 0; i < ARRAY_SIZE(row->args); i++) {
		switch (row->args[i]) {
		case UA_NONE:
			return;
		case UA_FD:
			av->fd = (int)a[i];
			break;
		case UA_INT:
			av->arg = (int32_t)a[i];
			break;
		case UA_ADDR:
			av->addr = a[i];
			break;
		case UA_ADDRLEN:
			av->addrlen = a[i];
			break;
		case UA_NAME:
			av->name = a[i];
			break;
		case UA_NAMELEN:
			av->namelen = a[i];
			break;
		case UA_BUF:
		case UA_RBUF:
			av->buf = a[i];
			break;
		case UA_LEN:
			av->len = a[i];
			break;
		case UA_FLAGS:
			av->flags = (int)a[i];
			break;
		case UA_LEVEL:
			av->level = (int)a[i];
			break;
		case UA_OPTNAME:
			av->optname = (int)a[i];
			break;
		case UA_OPTVAL:
			av->optval = a[i];
			break;
		case UA_OPTLEN:
		case UA_OPTLENP:
			av->optlen = a[i];
			break;
		case UA_MSG:
		case UA_RMSG:
		case UA_MMSG:
			av->msg = a[i];
			break;
		case UA_VLEN:
			av->vlen = a[i];
			break;
		case UA_TIMEOUT:
			break;
		case UA_REQ:
			av->req = (uint32_t)a[i];
			break;
		case UA_ARGP:
			av->argp = a[i];
			break;
		}
	}
}
