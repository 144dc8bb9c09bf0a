// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ucall_table_test - unit tests of the table of forwarded calls
 * (ucall_table.c) and of its readers' agreement with it
 *
 * The rows must say one consistent thing each (an argument list the
 * decoder and start() agree on, writes exactly when an argument is
 * written, an op with a done()), no number twice; the filter a session
 * with userspace stacks gets must notify exactly the table's calls more
 * than a session without, on x86-64, x32 and i386 (read from libseccomp's
 * readable form of the real filter, which also names i386's direct
 * numbers: the table's must be those); the notification loop's lookups
 * must give back each row; the arguments of sample calls must decode as
 * the kernel reads them.  No privilege needed: the filter is built, not
 * loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/net.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filter.h"
#include "ucall_table.h"
#include "stackproto.h"
#include "unit.h"

#ifndef AUDIT_ARCH_I386
#define AUDIT_ARCH_I386		0x40000003
#endif
#define X32_BIT			0x40000000
#define I386_SOCKETCALL		102

/* Is @k an argument the call writes into? */
static bool arg_written(enum ucall_arg k)
{
	return k == UA_NAME || k == UA_NAMELEN || k == UA_RBUF || k == UA_OPTLENP ||
	       k == UA_RMSG || k == UA_MMSG || k == UA_ARGP;
}

/* The argument that must follow @k, or UA_NONE. */
static enum ucall_arg arg_next(enum ucall_arg k)
{
	switch (k) {
	case UA_ADDR:
		return UA_ADDRLEN;
	case UA_NAME:
		return UA_NAMELEN;
	case UA_BUF:
	case UA_RBUF:
		return UA_LEN;
	case UA_MMSG:
		return UA_VLEN;
	default:
		return UA_NONE;
	}
}

static void rows_consistent(void)
{
	size_t i, j;

	UNIT_CHECK(ucall_table_len > 0 && ucall_table_len <= UCALL_TABLE_MAX);
	for (i = 0; i < ucall_table_len; i++) {
		const struct ucall_row *t = &ucall_table[i];
		bool writes = false, ended = false;
		unsigned int n = ucall_table_nargs(t);

		if (!UNIT_CHECK(t->name && t->nr > 0 && t->start))
			continue;
		UNIT_CHECK(t->args[0] == UA_FD);
		for (j = 0; j < 6; j++) {
			enum ucall_arg k = t->args[j];

			if (k == UA_NONE) {
				ended = true;
				continue;
			}
			UNIT_CHECK(!ended);	/* no hole in the list */
			writes |= arg_written(k);
			if (arg_next(k) != UA_NONE)
				UNIT_CHECK(j + 1 < 6 && t->args[j + 1] == arg_next(k));
		}
		UNIT_CHECK(n >= 2 && n <= 6);
		UNIT_EQ(t->writes, writes);
		/* an op is answered by a done(); none: start() answers */
		UNIT_EQ(t->op != 0, t->done != NULL);
		UNIT_CHECK(t->op < SP_OP_MAX + 1 && t->op != SP_HELLO && t->op != SP_SOCKET &&
			   t->op != SP_CANCEL && t->op != SP_CLOSE);
		/* what waits in the daemon: connect, accept, a datagram's source */
		UNIT_EQ(t->blocks, t->op == SP_CONNECT || t->op == SP_ACCEPT ||
				   t->op == SP_DGRAMSRC);
		UNIT_EQ(t->rule == UR_REQUEST, t->req != 0);
		UNIT_EQ(t->rule == UR_ADDRESS, t->args[4] == UA_ADDR || t->args[4] == UA_NAME);
		/* i386 is served only where socketcall or a direct call has it */
		if (t->i386)
			UNIT_CHECK(t->i386_nr || t->socketcall);
	}
}

static void no_number_twice(void)
{
	size_t i, j;

	for (i = 0; i < ucall_table_len; i++) {
		const struct ucall_row *a = &ucall_table[i];

		for (j = i + 1; j < ucall_table_len; j++) {
			const struct ucall_row *b = &ucall_table[j];

			if (!UNIT_CHECK(strcmp(a->name, b->name) && a->nr != b->nr))
				printf("#   %s and %s\n", a->name, b->name);
			if (a->i386_nr)
				UNIT_CHECK(a->i386_nr != b->i386_nr);
			if (a->socketcall)
				UNIT_CHECK(a->socketcall != b->socketcall);
		}
	}
}

/* The lookups of notify.c and ucall.c give each row back. */
static void lookups_find_each_row(void)
{
	uint64_t args[6] = { 0 };
	size_t i;

	for (i = 0; i < ucall_table_len; i++) {
		const struct ucall_row *t = &ucall_table[i];
		enum filter_call kind = filter_call_kind(AUDIT_ARCH_X86_64, (int)t->nr);

		args[1] = t->req;
		UNIT_CHECK(ucall_table_find(AUDIT_ARCH_X86_64, (int)t->nr, args) == t);
		/* ioctl is the interface requests' too: classified by request */
		UNIT_EQ(kind, t->rule == UR_REQUEST ? FILTER_CALL_IOCTL : FILTER_CALL_USOCK);
		if (t->rule == UR_REQUEST)
			UNIT_CHECK(ucall_table_ioctl(t->req));
		if (t->i386_nr)
			UNIT_CHECK(ucall_table_find(AUDIT_ARCH_I386, t->i386_nr, args) == t);
		if (t->socketcall) {
			uint64_t sc[6] = { t->socketcall, 0x1000 };

			UNIT_CHECK(ucall_table_find(AUDIT_ARCH_I386, I386_SOCKETCALL, sc) == t);
		}
		/* x32: back to the kernel, by ucall.c */
		UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_X86_64, (int)t->nr | X32_BIT, args));
	}
	args[1] = FIONBIO;
	UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_X86_64, SYS_ioctl, args));
	UNIT_CHECK(!ucall_table_ioctl(SIOCGIFINDEX));
	UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_X86_64, SYS_read, args));
	UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_X86_64, SYS_socket, args));
	args[0] = SYS_SOCKET;
	UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_I386, I386_SOCKETCALL, args));
	args[0] = SYS_SOCKETPAIR;
	UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_I386, I386_SOCKETCALL, args));
	UNIT_CHECK(!ucall_table_find(AUDIT_ARCH_I386, 359 /* socket */, args));
}

/* One notified call in libseccomp's readable form: its block and name. */
struct dumped {
	int block;		/* which architecture's block, in order */
	unsigned long arch;	/* its AUDIT_ARCH_* */
	char name[32];
	unsigned long nr;
};

/* The calls the filter of @cfg notifies or refuses, by architecture. */
static int dump_calls(const struct filter_config *cfg, struct dumped *out, int max)
{
	int fd = memfd_create("pfc", 0), n = 0, block = -1;
	unsigned long arch = 0;
	char *text, *line, *save = NULL;
	off_t len;

	if (fd < 0 || filter_dump(cfg, fd))
		return -1;
	len = lseek(fd, 0, SEEK_END);
	text = calloc(1, (size_t)len + 1);
	if (!text || pread(fd, text, (size_t)len, 0) != len) {
		free(text);
		close(fd);
		return -1;
	}
	close(fd);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct dumped d = { 0 };

		if (sscanf(line, "if ($arch == %lu)", &arch) == 1) {
			block++;
			continue;
		}
		if (sscanf(line, " # filter for syscall \"%31[^\"]\" (%lu)", d.name, &d.nr) != 2)
			continue;
		d.block = block;
		d.arch = arch;
		if (n < max)
			out[n] = d;
		n++;
	}
	free(text);
	return n;
}

static const struct ucall_row *row_named(const char *name)
{
	size_t i;

	for (i = 0; i < ucall_table_len; i++)
		if (!strcmp(ucall_table[i].name, name))
			return &ucall_table[i];
	return NULL;
}

static bool dumped_has(const struct dumped *d, int n, int block, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (d[i].block == block && !strcmp(d[i].name, name))
			return true;
	return false;
}

/*
 * A userspace session's filter notifies exactly the table's calls more
 * than another's, on every architecture, and i386's direct numbers are
 * the table's.
 */
static void filter_notifies_the_table(void)
{
	struct filter_config base = { .handoff_fd = 7 };
	struct filter_config us = { .userspace = true, .handoff_fd = 7 };
	static struct dumped b[512], u[512];
	int nb = dump_calls(&base, b, 512), nu = dump_calls(&us, u, 512), i, blocks = 0;
	size_t r;

	if (!UNIT_CHECK(nb > 0 && nu > nb && nu <= 512))
		return;
	for (i = 0; i < nu; i++) {
		const struct ucall_row *t;

		if (u[i].block + 1 > blocks)
			blocks = u[i].block + 1;
		if (dumped_has(b, nb, u[i].block, u[i].name))
			continue;	/* notified without userspace stacks too */
		t = row_named(u[i].name);
		if (!UNIT_CHECK(t)) {
			printf("#   %s (%lu) notified, not in the table\n", u[i].name, u[i].nr);
			continue;
		}
		if (u[i].arch == AUDIT_ARCH_X86_64 && (u[i].nr & X32_BIT) && u[i].nr < 0x80000000UL)
			/* x32: the loop sends it to ucall.c, which lets it run */
			UNIT_EQ(filter_call_kind(AUDIT_ARCH_X86_64, (int)u[i].nr),
				t->rule == UR_REQUEST ? FILTER_CALL_IOCTL : FILTER_CALL_USOCK);
		else if (u[i].arch == AUDIT_ARCH_X86_64)
			UNIT_EQ(u[i].nr, t->nr);
	}
	UNIT_EQ(blocks, 3);	/* x86-64, x32, i386 */
	for (r = 0; r < ucall_table_len; r++) {
		const struct ucall_row *t = &ucall_table[r];
		int k, seen = 0;

		for (k = 0; k < blocks; k++)
			seen += dumped_has(u, nu, k, t->name);
		if (!UNIT_CHECK(seen == blocks))
			printf("#   %s notified on %d architectures of %d\n", t->name, seen, blocks);
		/* i386: the direct number the table claims is libseccomp's;
		 * without one (accept), libseccomp has socketcall's only */
		for (i = 0; i < nu; i++) {
			if (u[i].arch != AUDIT_ARCH_I386 || strcmp(u[i].name, t->name))
				continue;
			if (!UNIT_CHECK(t->i386_nr ? u[i].nr == (unsigned long)t->i386_nr :
					u[i].nr >= 4096))
				printf("#   i386 %s is %lu, the table says %d\n", t->name,
				       u[i].nr, t->i386_nr);
		}
	}
}

/* Sample arguments decode as the kernel reads them. */
static void arguments_decoded(void)
{
	struct ucall_argv av;
	const uint64_t garbage = 0xdead000000000000ULL;

	/* sendto(3, buf, 100, MSG_DONTWAIT, addr, 16): fd and flags are ints */
	const uint64_t sendto_a[6] = { garbage | 3, 0x1000, 100, garbage | MSG_DONTWAIT,
				       0x2000, 16 };
	ucall_table_args(row_named("sendto"), sendto_a, &av);
	UNIT_EQ(av.fd, 3);
	UNIT_EQ(av.buf, 0x1000);
	UNIT_EQ(av.len, 100);
	UNIT_EQ(av.flags, MSG_DONTWAIT);
	UNIT_EQ(av.addr, 0x2000);
	UNIT_EQ(av.addrlen, 16);
	UNIT_EQ(av.name, 0);

	/* recvfrom: where the source goes */
	const uint64_t recvfrom_a[6] = { 4, 0x1000, 2000, MSG_PEEK, 0x3000, 0x3100 };
	ucall_table_args(row_named("recvfrom"), recvfrom_a, &av);
	UNIT_EQ(av.buf, 0x1000);
	UNIT_EQ(av.len, 2000);
	UNIT_EQ(av.flags, MSG_PEEK);
	UNIT_EQ(av.name, 0x3000);
	UNIT_EQ(av.namelen, 0x3100);
	UNIT_EQ(av.addr, 0);

	/* recvmsg's flags are its third argument, recvmmsg's its fourth */
	const uint64_t recvmsg_a[6] = { 5, 0x4000, MSG_DONTWAIT, 7, 7, 7 };
	ucall_table_args(row_named("recvmsg"), recvmsg_a, &av);
	UNIT_EQ(av.msg, 0x4000);
	UNIT_EQ(av.flags, MSG_DONTWAIT);
	UNIT_EQ(av.vlen, 0);
	const uint64_t recvmmsg_a[6] = { 5, 0x4000, 8, MSG_WAITFORONE, 0x5000, 7 };
	ucall_table_args(row_named("recvmmsg"), recvmmsg_a, &av);
	UNIT_EQ(av.msg, 0x4000);
	UNIT_EQ(av.vlen, 8);
	UNIT_EQ(av.flags, MSG_WAITFORONE);

	/* accept has no flags, whatever its fourth register holds */
	const uint64_t accept_a[6] = { 6, 0x6000, 0x6100, SOCK_CLOEXEC, 0, 0 };
	ucall_table_args(row_named("accept"), accept_a, &av);
	UNIT_EQ(av.flags, 0);
	UNIT_EQ(av.name, 0x6000);
	UNIT_EQ(av.namelen, 0x6100);
	ucall_table_args(row_named("accept4"), accept_a, &av);
	UNIT_EQ(av.flags, SOCK_CLOEXEC);

	/* setsockopt's length is a value, getsockopt's a pointer */
	const uint64_t opt_a[6] = { 7, SOL_SOCKET, SO_RCVBUF, 0x7000, 4, 0 };
	ucall_table_args(row_named("setsockopt"), opt_a, &av);
	UNIT_EQ(av.level, SOL_SOCKET);
	UNIT_EQ(av.optname, SO_RCVBUF);
	UNIT_EQ(av.optval, 0x7000);
	UNIT_EQ(av.optlen, 4);

	/* listen's backlog is an int; ioctl's request 32 bits */
	const uint64_t listen_a[6] = { 8, garbage | 0xffffffffULL, 0, 0, 0, 0 };
	ucall_table_args(row_named("listen"), listen_a, &av);
	UNIT_EQ(av.arg, -1);
	const uint64_t ioctl_a[6] = { 9, garbage | FIONREAD, 0x8000, 0, 0, 0 };
	ucall_table_args(row_named("ioctl"), ioctl_a, &av);
	UNIT_EQ(av.req, FIONREAD);
	UNIT_EQ(av.argp, 0x8000);
	UNIT_CHECK(ucall_table_find(AUDIT_ARCH_X86_64, SYS_ioctl, ioctl_a) == row_named("ioctl"));
}

/* socketcall(2) reads as many arguments as the kernel's nargs[] says. */
static void socketcall_nargs(void)
{
	static const struct { unsigned int op, n; } kernel[] = {
		{ SYS_BIND, 3 }, { SYS_CONNECT, 3 }, { SYS_LISTEN, 2 }, { SYS_ACCEPT, 3 },
		{ SYS_GETSOCKNAME, 3 }, { SYS_GETPEERNAME, 3 }, { SYS_SENDTO, 6 },
		{ SYS_RECVFROM, 6 }, { SYS_SHUTDOWN, 2 }, { SYS_SETSOCKOPT, 5 },
		{ SYS_GETSOCKOPT, 5 }, { SYS_SENDMSG, 3 }, { SYS_RECVMSG, 3 },
		{ SYS_ACCEPT4, 4 }, { SYS_RECVMMSG, 5 }, { SYS_SENDMMSG, 4 },
	};
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(kernel); i++) {
		uint64_t sc[6] = { kernel[i].op };
		const struct ucall_row *t = ucall_table_find(AUDIT_ARCH_I386, I386_SOCKETCALL, sc);

		if (UNIT_CHECK(t))
			UNIT_EQ(ucall_table_nargs(t), kernel[i].n);
	}
}

static const struct unit_case cases[] = {
	{ "ucall_table: every row says one consistent thing", rows_consistent },
	{ "ucall_table: no name or number twice", no_number_twice },
	{ "ucall_table: the loop's and ucall.c's lookups find every row", lookups_find_each_row },
	{ "ucall_table: the filter notifies the table's calls, no others, i386 numbers agree",
	  filter_notifies_the_table },
	{ "ucall_table: sample arguments decode as the kernel reads them", arguments_decoded },
	{ "ucall_table: socketcall reads the kernel's number of arguments", socketcall_nargs },
};

int main(int argc, char **argv)
{
	return unit_main(cases, UNIT_ARRAY_SIZE(cases), argc, argv);
}
