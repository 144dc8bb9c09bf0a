// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-info.c - what a kernel stack is, which stacks there are,
 * and who uses one: info, list and ps
 *
 * info/list: a thread setns(2)s into the stack (stacktool_inside_run())
 * and asks getifaddrs(3): its interfaces are the AF_PACKET entries, with
 * their flags, and their addresses follow.  ps finds the stack's users in
 * /proc by its namespace's nsfs dev/inode (stackps.c).  A userspace stack
 * is asked by netsup-stack-lwip-info.c; a holder's stack is entered from
 * outside its user namespace (stackuser_join()).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "json.h"
#include "netsup-stack.h"
#include "../stack.h"
#include "stackps.h"
#include "../userstack.h"

/**
 * stacktool_list_error() - list's entry for a stack that cannot be shown
 * @path:	its path
 * @why:	the reason
 * @json:	a JSON object, not a table line
 * @shown:	how many stacks were printed before, updated
 */
void stacktool_list_error(const char *path, const char *why, bool json, int *shown)
{
	if (json) {
		fputs(*shown ? ",\n{\"path\":" : "\n{\"path\":", stdout);
		json_string(stdout, path);
		fputs(",\"error\":", stdout);
		json_string(stdout, why);
		fputc('}', stdout);
	} else {
		if (!*shown)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		stacktool_print_text(stdout, path, 28);
		printf(" %-6s ", "?");
		stacktool_print_text(stdout, why, 0);
		putchar('\n');
	}
	(*shown)++;
}

/**
 * stacktool_describe_inside() - inside the stack: its interfaces
 * @in:		receives in->ifa, to be freed with freeifaddrs()
 *
 * Return: 0 or -errno
 */
static int stacktool_describe_inside(struct stacktool_inside *in)
{
	return getifaddrs(&in->ifa) ? -errno : 0;
}

/**
 * stacktool_describe() - open a stack and read its interfaces
 * @path:	the stack's path
 * @sp:		receives the stack (also on some errors: stack_put() it)
 * @ifa:	receives its interfaces, for freeifaddrs()
 *
 * Return: 0, -ENOTSUP if it is not a stack that netsup-stack can enter,
 *	   or -errno
 */
static int stacktool_describe(const char *path, struct stack **sp, struct ifaddrs **ifa)
{
	struct stacktool_inside in = { .fn = stacktool_describe_inside };
	int rc;

	*ifa = NULL;
	*sp = stacktool_open_path(path, &rc);	/* a userspace stack: not entered so */
	if (!*sp)
		return rc;
	in.fd = (*sp)->fd;
	rc = stacktool_inside_run(&in);
	*ifa = in.ifa;
	return rc;
}

/**
 * stacktool_address() - an interface address as ADDRESS/PREFIXLEN
 * @a:		an entry of getifaddrs()
 * @buf:	receives the text
 * @len:	size of @buf
 *
 * Return: true for an IPv4 or IPv6 address, false for any other entry
 */
static bool stacktool_address(const struct ifaddrs *a, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	const unsigned char *m;
	const void *p;
	size_t i, mlen;
	int plen = 0;

	if (!a->ifa_addr)
		return false;
	if (a->ifa_addr->sa_family == AF_INET) {
		p = &((const struct sockaddr_in *)a->ifa_addr)->sin_addr;
		m = a->ifa_netmask ? (const unsigned char *)
			&((const struct sockaddr_in *)a->ifa_netmask)->sin_addr : NULL;
		mlen = 4;
	} else if (a->ifa_addr->sa_family == AF_INET6) {
		p = &((const struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
		m = a->ifa_netmask ? (const unsigned char *)
			&((const struct sockaddr_in6 *)a->ifa_netmask)->sin6_addr : NULL;
		mlen = 16;
	} else {
		return false;
	}
	for (i = 0; m && i < mlen; i++)
		plen += __builtin_popcount(m[i]);
	inet_ntop(a->ifa_addr->sa_family, p, addr, sizeof(addr));
	snprintf(buf, len, "%s/%d", addr, plen);
	return true;
}

/**
 * stacktool_print_ifaces() - interfaces as text: "lo up 127.0.0.1/8; eth0 down"
 * @f:		where to
 * @ifa:	from getifaddrs() inside the stack
 *
 * AF_PACKET entries name every interface once, with its flags; its
 * addresses follow in the order getifaddrs() gives them.
 */
static void stacktool_print_ifaces(FILE *f, const struct ifaddrs *ifa)
{
	char addr[STACKTOOL_ADDRLEN];
	const struct ifaddrs *a, *b;
	bool first = true;

	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET)
			continue;
		fputs(first ? "" : "; ", f);
		stacktool_print_text(f, a->ifa_name, 0);	/* a user's own stack names its own */
		fprintf(f, " %s", a->ifa_flags & IFF_UP ? "up" : "down");
		first = false;
		for (b = ifa; b; b = b->ifa_next)
			if (strcmp(a->ifa_name, b->ifa_name) == 0 &&
			    stacktool_address(b, addr, sizeof(addr)))
				fprintf(f, " %s", addr);
	}
}

/**
 * stacktool_print_json_ifaces() - interfaces as a JSON array
 * @f:		where to
 * @ifa:	from getifaddrs() inside the stack
 *
 * Each is {"name": ..., "up": true|false, "addresses": ["ADDRESS/PREFIXLEN", ...]}.
 */
static void stacktool_print_json_ifaces(FILE *f, const struct ifaddrs *ifa)
{
	char addr[STACKTOOL_ADDRLEN];
	const struct ifaddrs *a, *b;
	bool first = true, firstaddr;

	fputc('[', f);
	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET)
			continue;
		fputs(first ? "{\"name\":" : ",{\"name\":", f);
		first = false;
		json_string(f, a->ifa_name);
		fprintf(f, ",\"up\":%s,\"addresses\":[", a->ifa_flags & IFF_UP ? "true" : "false");
		firstaddr = true;
		for (b = ifa; b; b = b->ifa_next) {
			if (strcmp(a->ifa_name, b->ifa_name) != 0 ||
			    !stacktool_address(b, addr, sizeof(addr)))
				continue;
			fprintf(f, "%s\"%s\"", firstaddr ? "" : ",", addr);
			firstaddr = false;
		}
		fputs("]}", f);
	}
	fputc(']', f);
}

/**
 * stacktool_print_json_stack() - one stack as a JSON object
 * @f:		where to
 * @path:	its path
 * @s:		the stack, or NULL if it could not be opened
 * @ifa:	its interfaces
 * @error:	0, or the -errno that kept it from being read
 */
static void stacktool_print_json_stack(FILE *f, const char *path, const struct stack *s,
				       const struct ifaddrs *ifa, int error)
{
	bool first = true;
	int i;

	fputs("{\"path\":", f);
	json_string(f, path);
	if (error) {
		fputs(",\"error\":", f);
		json_string(f, stacktool_why(error));
		fputc('}', f);
		return;
	}
	fprintf(f, ",\"kind\":\"netns\",\"namespace\":\"net:[%lu]\",\"families\":[",
		(unsigned long)s->ino);
	for (i = 0; i < FAM_COUNT; i++)
		if (s->families & (1U << i)) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", stack_family_name(i));
			first = false;
		}
	fputs("],\"interfaces\":", f);
	stacktool_print_json_ifaces(f, ifa);
	fputc('}', f);
}

/**
 * stacktool_info() - netsup-stack info [--json] STACK
 * @spec:	path or bare NAME
 * @json:	print JSON
 *
 * Return: exit status
 */
int stacktool_info(const char *spec, bool json)
{
	const struct stacktool_kind *k;
	char path[PATH_MAX];
	struct ifaddrs *ifa;
	struct stack *s;
	int rc, i, first = 1;

	if (stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if ((k = stacktool_kind_of(path)))
		return k->info(path, json);
	stackuser_join(path);	/* a user's own stack, from outside its user namespace */
	rc = stacktool_describe(path, &s, &ifa);
	if (rc) {
		if (s)
			stack_put(s);
		return stacktool_fail(path, stacktool_why(rc));
	}
	if (json) {
		stacktool_print_json_stack(stdout, path, s, ifa, 0);
		putchar('\n');
	} else {
		printf("path: %s\nkind: netns (kernel)\nnamespace: net:[%lu]\nfamilies:",
		       path, (unsigned long)s->ino);
		for (i = 0; i < FAM_COUNT; i++)
			if (s->families & (1U << i)) {
				printf("%s%s", first ? " " : ", ", stack_family_name(i));
				first = 0;
			}
		printf("\ninterfaces: ");
		stacktool_print_ifaces(stdout, ifa);
		putchar('\n');
	}
	freeifaddrs(ifa);
	stack_put(s);
	return 0;
}

/**
 * stacktool_list_dir() - the stacks in one directory
 * @dir:	the directory
 * @explicit:	named on the command line: missing is an error
 * @json:	print JSON objects, not table lines
 * @shown:	how many stacks were printed before, updated
 * @denied:	how many stacks the caller may not enter, updated: a table
 *		leaves them out (JSON has an error object for each)
 *
 * Return: exit status
 */
static int stacktool_list_dir(const char *dir, bool explicit, bool json, int *shown,
			      int *denied)
{
	char path[PATH_MAX];
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT && !explicit ? 0 : stacktool_fail(dir, stacktool_why(-errno));
	for (i = 0; i < n; i++) {
		const struct stacktool_kind *k;
		struct stackuser_stack u;
		struct ifaddrs *ifa;
		struct stack *s;
		int rc;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]->d_name);
		free(names[i]);
		if ((k = stacktool_kind_of(path))) {
			k->list_entry(path, json, shown);
			continue;
		}
		rc = stackuser_open(path, &u);
		stackuser_close(&u);
		if (!rc && u.state == STACKUSER_GONE) {
			stacktool_list_error(path, stacktool_why(-ESTALE), json, shown);
			continue;
		}
		if (rc == -EPERM) {
			stacktool_list_error(path, u.why, json, shown);
			continue;
		}
		rc = stacktool_describe(path, &s, &ifa);
		if (rc == -ENOTSUP || rc == -ENOENT || (!json && (rc == -EPERM || rc == -EACCES))) {
			if (s)
				stack_put(s);
			if (rc == -EPERM || rc == -EACCES)
				(*denied)++;	/* one line for them all, at the end */
			continue;	/* /dev/net/tun and such, or gone */
		}
		if (json) {
			fputs(*shown ? ",\n" : "\n", stdout);
			stacktool_print_json_stack(stdout, path, s, ifa, rc);
		} else {
			if (!*shown)
				printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
			stacktool_print_text(stdout, path, 28);
			printf(" %-6s ", rc ? "?" : "netns");
			if (rc)
				fputs(stacktool_why(rc), stdout);
			else
				stacktool_print_ifaces(stdout, ifa);
			putchar('\n');
		}
		(*shown)++;
		if (ifa)
			freeifaddrs(ifa);
		if (s)
			stack_put(s);
	}
	free(names);
	return 0;
}

/**
 * stacktool_list_shadows() - warn of each name that is two stacks
 *
 * list shows both, by their paths; the warning says which one a bare
 * NAME means (stacktool_warn_shadow()).
 */
static void stacktool_list_shadows(void)
{
	struct dirent *d;
	DIR *dir = opendir(NS_DIR);

	while (dir && (d = readdir(dir)))
		if (d->d_name[0] != '.')
			stacktool_warn_shadow(d->d_name);
	if (dir)
		closedir(dir);
}

/**
 * stacktool_list() - netsup-stack list [--json] [DIR]...
 * @argc:	how many DIRs
 * @argv:	the DIRs; none: /dev/net, /run/netns and, for a caller that is
 *		not root, its own directory if it may trust it; skipped
 *		when missing
 * @json:	print one JSON array
 *
 * Return: exit status: 1 if a DIR could not be read, after the others
 */
int stacktool_list(int argc, char **argv, bool json)
{
	static char own[PATH_MAX];
	static char *defaults[] = { NS_DIR, "/run/netns", own };
	bool explicit = argc > 0;
	int i, rc = 0, shown = 0, denied = 0;

	if (!explicit) {
		argc = 2;
		argv = defaults;
		if (!userstack_dir(own, sizeof(own)) && !userstack_dir_check(own))
			argc = 3;
	}
	stackuser_join_dir();	/* the user's own stacks, from outside their user namespace */
	if (json)
		putchar('[');
	for (i = 0; i < argc; i++)
		rc |= stacktool_list_dir(argv[i], explicit, json, &shown, &denied);
	if (json)
		puts(shown ? "\n]" : "]");
	if (denied)
		fprintf(stderr, "%s: %d stack%s not shown: permission denied (entering %s needs root)\n",
			STACKTOOL_PROG, denied, denied == 1 ? "" : "s", denied == 1 ? "it" : "them");
	if (!explicit)
		stacktool_list_shadows();
	return rc;
}

/**
 * stacktool_ps() - netsup-stack ps [--json] STACK
 * @spec:	path or bare NAME
 * @json:	print JSON
 *
 * Return: exit status
 */
int stacktool_ps(const char *spec, bool json)
{
	struct stackps_match match = { 0 };
	const struct stacktool_kind *k;
	char path[PATH_MAX];
	struct stackps ps;
	struct stack *s;
	int rc;

	if (stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if ((k = stacktool_kind_of(path)))
		return k->ps(path, json);
	s = stacktool_open_path(path, &rc);
	if (!s)
		return stacktool_fail(path, rc == -ENOTSUP ? "not a network namespace" : stacktool_why(rc));
	match.dev = s->dev;
	match.ino = s->ino;
	rc = stackps_scan(&match, &ps);
	if (rc) {
		stack_put(s);
		return stacktool_fail("/proc", stacktool_why(rc));
	}
	if (json)
		stackps_print_json(stdout, &ps, path, s->ino);
	else
		stackps_print(stdout, &ps);
	if (ps.unreadable)
		fprintf(stderr, "%s: %u process%s could not be examined (permission denied)\n",
			STACKTOOL_PROG, ps.unreadable, ps.unreadable == 1 ? "" : "es");
	stackps_free(&ps);
	stack_put(s);
	return 0;
}
