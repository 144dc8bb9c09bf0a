// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kind_test - the kinds of stack: which file is which, what each serves
 *
 * Callers ask a stack what it does, never which kind it is; these cases
 * pin what the two kinds answer, and that recognising a daemon's socket
 * connects to nothing (the shim's ENOTSUP rests on it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "unit.h"
#include "stack.h"

/* A listening UNIX socket at a new temporary path (@path, @len). */
static int kind_listener(char *path, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/kind_test.XXXXXX";
	int fd;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, len, "%s/stack", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		return -1;
	return fd;
}

static void kind_unlink(const char *path)
{
	char dir[108];

	unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static void kinds_of_files(void)
{
	char path[108];
	int l = kind_listener(path, sizeof(path));

	UNIT_CHECK(l >= 0);
	UNIT_CHECK(stack_kind_of_path("/proc/self/ns/net") == &netns_kind);
	UNIT_CHECK(stack_kind_of_path(path) == &userspace_kind);
	UNIT_CHECK(stack_kind_of_path("/dev/null") == NULL);
	UNIT_CHECK(stack_kind_of_path("/tmp") == NULL);
	UNIT_CHECK(stack_kind_of_path("/proc/self/status") == NULL);
	UNIT_CHECK(stack_kind_of_path("/nonexistent/stack") == NULL);
	/* nsfs, but another type of namespace: a kind's open() says so */
	UNIT_CHECK(stack_kind_of_path("/proc/self/ns/mnt") == &netns_kind);
	kind_unlink(path);
	close(l);
}

static void probing_connects_to_nothing(void)
{
	char path[108];
	int l = kind_listener(path, sizeof(path)), fd;

	UNIT_CHECK(l >= 0);
	UNIT_CHECK(stack_kind_of_path(path) == &userspace_kind);
	fd = accept(l, NULL, NULL);
	UNIT_EQ(fd < 0 ? errno : 0, EAGAIN);
	if (fd >= 0)
		close(fd);
	kind_unlink(path);
	close(l);
}

static void open_refuses_what_is_not_a_stack(void)
{
	struct stack *s = NULL;

	UNIT_EQ(stack_open("/dev/null", &s), -ENOTSUP);
	UNIT_EQ(stack_open("/proc/self/ns/mnt", &s), -ENOTSUP);
	UNIT_EQ(stack_open("/nonexistent/stack", &s), -ENOENT);
	UNIT_CHECK(s == NULL);
}

static void a_namespace_serves_every_family(void)
{
	struct stack *s = NULL;

	UNIT_EQ(stack_open("/proc/self/ns/net", &s), 0);
	if (!s)
		return;
	UNIT_CHECK(stack_served_here(s));
	UNIT_CHECK(!stack_served_by_daemon(s));
	UNIT_CHECK(!stack_netlink_follows(s));
	UNIT_CHECK(stack_serves(s, AF_INET));
	UNIT_CHECK(stack_serves(s, AF_PACKET));
	UNIT_CHECK(stack_serves(s, AF_UNIX));
	UNIT_CHECK(stack_serves_protocol(s, AF_NETLINK, NETLINK_SOCK_DIAG));
	stack_put(s);
}

static void a_daemon_serves_what_it_said(void)
{
	struct stat st = { 0 };
	struct stack *s = NULL;
	int sv[2];

	UNIT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	UNIT_EQ(userspace_from_conn(sv[0], &st, "test",
				    1U << FAM_INET | 1U << FAM_NETLINK, &s), 0);
	close(sv[1]);
	if (!s)
		return;
	UNIT_CHECK(!stack_served_here(s));
	UNIT_CHECK(stack_served_by_daemon(s));
	UNIT_CHECK(stack_netlink_follows(s));
	UNIT_CHECK(stack_serves(s, AF_INET));
	UNIT_CHECK(!stack_serves(s, AF_INET6));
	UNIT_CHECK(!stack_serves(s, AF_UNIX));
	UNIT_CHECK(stack_serves_protocol(s, AF_NETLINK, NETLINK_ROUTE));
	UNIT_CHECK(!stack_serves_protocol(s, AF_NETLINK, NETLINK_SOCK_DIAG));
	UNIT_CHECK(stack_serves_protocol(s, AF_INET, 0));
	/* its sockets are the daemon's: no thread of ours can make one */
	UNIT_EQ(stack_socket(s, NULL, AF_INET, SOCK_STREAM, 0), -EOPNOTSUPP);
	UNIT_EQ(stack_join_owner(s), 0);
	stack_put(s);
}

static void kinds_are_complete(void)
{
	static const struct stack_kind *const kinds[] = { &netns_kind, &userspace_kind };
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(kinds); i++) {
		const struct stack_kind *k = kinds[i];
		bool here = k->serving == STACK_SERVED_HERE;

		UNIT_CHECK(k->name && k->probe && k->open);
		UNIT_CHECK(k->access == R_OK || k->access == W_OK);
		/* made here: all three steps; by a daemon: none */
		UNIT_EQ(!!k->entered + !!k->enter + !!k->socket, here ? 3 : 0);
	}
}

static const struct unit_case cases[] = {
	{ "kind: a namespace file, a daemon's socket, and what is neither", kinds_of_files },
	{ "kind: recognising a daemon's socket connects to nothing", probing_connects_to_nothing },
	{ "kind: stack_open refuses what is not a network stack", open_refuses_what_is_not_a_stack },
	{ "kind: a namespace serves every family and protocol", a_namespace_serves_every_family },
	{ "kind: a daemon serves the families it said, rtnetlink alone", a_daemon_serves_what_it_said },
	{ "kind: each kind has the operations its way of serving needs", kinds_are_complete },
};

UNIT_MAIN(cases)
