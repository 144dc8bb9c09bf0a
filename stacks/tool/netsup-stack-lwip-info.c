// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-lwip-info.c - info, list and ps of a userspace stack
 *
 *   netsup-stack info, list, ps [--json] NAME
 *
 * What the daemon says in its HELLO reply (netsup-stack-lwip.c), printed
 * as text or JSON: its words with their control characters as '?', its
 * addresses as the kernel's tools write them.  ps prints the processes
 * that hold the peers of the daemon's sockets (stacklwip_peers(),
 * stackps.c).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "json.h"
#include "netsup-stack.h"
#include "netsup-stack-lwip.h"
#include "../stackproto.h"
#include "stackps.h"
#include "../../common/util.h"

/**
 * stacklwip_kind() - the kind of stack a daemon runs: "lwip", ...
 * @h:		its description
 * @buf:	receives the first word of its "stack" value, or "userspace"
 * @len:	size of @buf
 */
static void stacklwip_kind(const struct stacklwip_hello *h, char *buf, size_t len)
{
	if (!stacklwip_value(h, "stack", 0, buf, len) || !buf[0])
		snprintf(buf, len, "userspace");
	buf[strcspn(buf, " ")] = '\0';
}

/**
 * stacklwip_canonical() - ADDRESS/LEN as the kernel's tools write it
 * @v:		the value, rewritten in place (lwIP writes IPv6 in capitals)
 * @len:	size of @v
 */
static void stacklwip_canonical(char *v, size_t len)
{
	char addr[INET6_ADDRSTRLEN], *slash = strchr(v, '/');
	unsigned char bin[16];
	int af = strchr(v, ':') ? AF_INET6 : AF_INET;

	if (slash)
		*slash = '\0';
	if (inet_pton(af, v, bin) == 1 && inet_ntop(af, bin, addr, sizeof(addr)))
		snprintf(v, len, "%s%s%s", addr, slash ? "/" : "", slash ? slash + 1 : "");
	else if (slash)
		*slash = '/';
}

/**
 * stacklwip_print_values() - every value of @key, separated by @sep
 * @f:		where to
 * @h:		the description
 * @key:	the key
 * @json:	as JSON strings
 * @first:	nothing printed before (updated)
 */
static void stacklwip_print_values(FILE *f, const struct stacklwip_hello *h, const char *key,
				   bool json, bool *first)
{
	char v[SP_TEXT_MAX];
	int i;

	for (i = 0; stacklwip_value(h, key, i, v, sizeof(v)); i++) {
		stacklwip_canonical(v, sizeof(v));
		fputs(*first ? "" : json ? "," : " ", f);
		if (json)
			json_string(f, v);
		else
			stacktool_print_text(f, v, 0);	/* a daemon's words */
		*first = false;
	}
}

/**
 * stacklwip_print_json() - a userspace stack as a JSON object
 * @f:		where to
 * @path:	its path
 * @h:		what its daemon said
 *
 * {"path", "kind", "stack", "pid", "link", "mtu", "families",
 * "addresses", "gw", "gw6"}; a missing value is null.
 */
static void stacklwip_print_json(FILE *f, const char *path, const struct stacklwip_hello *h)
{
	static const char *const keys[] = { "stack", "link", "gw", "gw6" };
	char v[SP_TEXT_MAX];
	bool first = true;
	size_t i;

	fputs("{\"path\":", f);
	json_string(f, path);
	stacklwip_kind(h, v, sizeof(v));
	fputs(",\"kind\":", f);
	json_string(f, v);
	fprintf(f, ",\"pid\":%d,\"mtu\":%u,\"families\":[%s%s%s]", (int)h->pid, h->mtu,
		h->families & SP_FAM_INET ? "\"inet\"" : "",
		(h->families & SP_FAM_INET) && (h->families & SP_FAM_INET6) ? "," : "",
		h->families & SP_FAM_INET6 ? "\"inet6\"" : "");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		fprintf(f, ",\"%s\":", keys[i]);
		if (stacklwip_value(h, keys[i], 0, v, sizeof(v)))
			json_string(f, v);
		else
			fputs("null", f);
	}
	fputs(",\"addresses\":[", f);
	stacklwip_print_values(f, h, "ipv4", true, &first);
	stacklwip_print_values(f, h, "ipv6", true, &first);
	fputs("]}", f);
}

/**
 * stacklwip_info() - netsup-stack info [--json] for a userspace stack
 * @path:	the stack file
 * @json:	print JSON
 *
 * Return: exit status
 */
int stacklwip_info(const char *path, bool json)
{
	struct stacklwip_hello h;
	char kind[64], v[SP_TEXT_MAX];
	bool first = true;
	int rc = stacklwip_hello(path, &h);

	if (rc)
		return stacktool_fail(path, stacklwip_why(rc));
	if (json) {
		stacklwip_print_json(stdout, path, &h);
		putchar('\n');
		return 0;
	}
	/* what the daemon says is printed with its control characters as '?' */
	stacklwip_kind(&h, kind, sizeof(kind));
	printf("path: %s\nkind: ", path);
	stacktool_print_text(stdout, kind, 0);
	fputs(" (userspace", stdout);
	if (stacklwip_value(&h, "stack", 0, v, sizeof(v))) {
		fputs(", ", stdout);
		stacktool_print_text(stdout, v, 0);
	}
	printf(")\ndaemon: pid %d\n", (int)h.pid);
	if (stacklwip_value(&h, "link", 0, v, sizeof(v))) {
		fputs("link: ", stdout);
		stacktool_print_text(stdout, v, 0);
		putchar('\n');
	}
	printf("mtu: %u\nfamilies:%s%s%s\naddresses: ", h.mtu,
	       h.families & SP_FAM_INET ? " inet" : "",
	       (h.families & SP_FAM_INET) && (h.families & SP_FAM_INET6) ? "," : "",
	       h.families & SP_FAM_INET6 ? " inet6" : "");
	stacklwip_print_values(stdout, &h, "ipv4", false, &first);
	stacklwip_print_values(stdout, &h, "ipv6", false, &first);
	putchar('\n');
	if (stacklwip_value(&h, "gw", 0, v, sizeof(v))) {
		fputs("gateway: ", stdout);
		stacktool_print_text(stdout, v, 0);
		putchar('\n');
	}
	if (stacklwip_value(&h, "gw6", 0, v, sizeof(v))) {
		fputs("gateway6: ", stdout);
		stacktool_print_text(stdout, v, 0);
		putchar('\n');
	}
	return 0;
}

/**
 * stacklwip_list_entry() - one line (or JSON object) of list
 * @path:	a socket in a listed directory
 * @json:	print a JSON object
 * @shown:	how many stacks were printed before, updated
 *
 * A socket that does not speak the stack protocol is no stack: left out.
 * One nobody serves any more is shown with the reason.
 *
 * Return: 0, or -ENOTSUP if @path is not a stack (nothing printed)
 */
int stacklwip_list_entry(const char *path, bool json, int *shown)
{
	struct stacklwip_hello h;
	char kind[64], v[SP_TEXT_MAX];
	bool first = true;
	int rc = stacklwip_hello(path, &h);

	if (rc == -ENOTSUP || rc == -EPROTO || rc == -ENOENT)
		return -ENOTSUP;
	if (rc) {
		stacktool_list_error(path, stacklwip_why(rc), json, shown);
		return 0;
	}
	if (json) {
		fputs(*shown ? ",\n" : "\n", stdout);
		stacklwip_print_json(stdout, path, &h);
	} else {
		if (!*shown)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		stacklwip_kind(&h, kind, sizeof(kind));
		stacktool_print_text(stdout, path, 28);
		putchar(' ');
		stacktool_print_text(stdout, kind, 6);
		putchar(' ');
		if (stacklwip_value(&h, "link", 0, v, sizeof(v))) {
			stacktool_print_text(stdout, v, 0);
			putchar(' ');
		}
		printf("up ");
		stacklwip_print_values(stdout, &h, "ipv4", false, &first);
		stacklwip_print_values(stdout, &h, "ipv6", false, &first);
		printf("%s(pid %d)\n", first ? "" : " ", (int)h.pid);
	}
	(*shown)++;
	return 0;
}

/**
 * stacklwip_ps() - netsup-stack ps [--json] for a userspace stack
 * @path:	the stack file
 * @json:	print JSON
 *
 * Return: exit status
 */
int stacklwip_ps(const char *path, bool json)
{
	struct stacklwip_hello h;
	struct stackps_match m;
	struct stackps ps;
	int rc = stacklwip_hello(path, &h);

	if (rc)
		return stacktool_fail(path, stacklwip_why(rc));
	rc = stacklwip_peers(h.pid, &m);
	if (rc)
		return stacktool_fail(path, rc == -EACCES || rc == -EPERM ?
				      "the daemon's sockets cannot be examined (permission denied)" :
				      stacktool_why(rc));
	rc = stackps_scan(&m, &ps);
	free((void *)m.socks);
	free((void *)m.conns);
	if (rc)
		return stacktool_fail("/proc", stacktool_why(rc));
	if (json)
		stackps_print_json(stdout, &ps, path, 0);
	else
		stackps_print(stdout, &ps);
	if (ps.unreadable)
		fprintf(stderr, "netsup-stack: %u process%s could not be examined (permission denied)\n",
			ps.unreadable, ps.unreadable == 1 ? "" : "es");
	stackps_free(&ps);
	return 0;
}
