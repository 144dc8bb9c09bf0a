// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-identify.c - which stacks a process uses (the reverse of ps)
 *
 *   netsup-stack identify [--json] PID
 *
 * The stacks are those list shows: the entries of /dev/net, /run/netns
 * and, for a caller that is not root, its own directory of stacks.  For
 * each one the process is examined as ps examines every process
 * (stackps_examine_pid()): a kernel stack by its namespace's nsfs
 * dev/inode (the process's threads' /proc/PID/task/TID/ns/net, its
 * sockets by pidfd_getfd(2) and SIOCGSKNS, its open namespace files), a
 * userspace stack by the inodes of its daemon's socketpairs and client
 * connections (stacklwip_match(), one sock_diag dump per daemon).  The
 * namespace the process lives in is shown too when no stack names it.
 *
 * Examining another user's process needs ptrace access (root, or the
 * same user), as ps does.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "netsup-stack.h"
#include "../stack.h"
#include "stackps.h"
#include "../userstack.h"
#include "../../common/util.h"

/* One stack the process uses. */
struct stackid_row {
	char path[PATH_MAX];	/* the stack's path, or "" for an unnamed namespace */
	bool userspace;
	ino_t ino;		/* kernel: its namespace's inode */
	struct stackps_proc p;	/* how the process uses it */
};

struct stackid {
	pid_t pid;
	struct stackid_row *rows;
	size_t n;
	unsigned int denied;	/* stacks whose use could not be examined */
	bool lives_named;	/* its own namespace is one of the rows */
};

/**
 * stackid_add() - append a row
 * @id:		the result
 * @row:	the row, handed over (its process record with it)
 *
 * Return: 0, or -ENOMEM
 */
static int stackid_add(struct stackid *id, struct stackid_row *row)
{
	struct stackid_row *rows = realloc(id->rows, (id->n + 1) * sizeof(*rows));

	if (!rows) {
		stackps_proc_free(&row->p);
		return -ENOMEM;
	}
	id->rows = rows;
	id->rows[id->n++] = *row;
	return 0;
}

/**
 * stackid_stack() - does the process use the stack at @path?
 * @id:		the result, which receives a row if it does
 * @path:	an entry of a directory of stacks
 *
 * Files that are not stacks (/dev/net/tun), stale sockets and stale
 * holders' links are skipped.
 *
 * Return: 0, or -ENOMEM
 */
static int stackid_stack(struct stackid *id, const char *path)
{
	struct stackid_row row = { 0 };
	struct stackps_match m = { 0 };
	struct stack *s = NULL;
	int rc;

	if (stacklwip_is(path)) {
		if (stacklwip_match(path, &m))
			return 0;	/* no daemon answers: nothing uses it */
		row.userspace = true;
	} else {
		if (stack_open(path, &s) || !stack_served_here(s)) {
			if (s)
				stack_put(s);
			return 0;
		}
		m.dev = s->dev;
		m.ino = row.ino = s->ino;
		stack_put(s);
	}
	rc = stackps_examine_pid(id->pid, &m, &row.p);
	free((void *)m.socks);
	free((void *)m.conns);
	if (rc == -EACCES || rc == -EPERM)
		id->denied++;
	if (rc <= 0) {
		stackps_proc_free(&row.p);
		return rc == -ENOMEM ? rc : 0;
	}
	snprintf(row.path, sizeof(row.path), "%s", path);
	if (row.p.lives)
		id->lives_named = true;
	return stackid_add(id, &row);
}

/**
 * stackid_dir() - stackid_stack() for each entry of a directory
 * @id:		the result
 * @dir:	the directory (missing: nothing)
 *
 * Return: 0, or -ENOMEM
 */
static int stackid_dir(struct stackid *id, const char *dir)
{
	char path[PATH_MAX];
	struct dirent **names;
	int n, i, rc = 0;

	n = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (!rc && names[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < (int)sizeof(path))
			rc = stackid_stack(id, path);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return rc;
}

/**
 * stackid_own() - the namespace the process lives in, when no stack names it
 * @id:		the result, which receives a row without a path
 *
 * Return: 0, or -ENOMEM
 */
static int stackid_own(struct stackid *id)
{
	struct stackid_row row = { 0 };
	struct stackps_match m = { 0 };
	char path[64];
	struct stat st;
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)id->pid);
	if (id->lives_named || stat(path, &st))
		return 0;
	m.dev = st.st_dev;
	m.ino = row.ino = st.st_ino;
	rc = stackps_examine_pid(id->pid, &m, &row.p);
	if (rc <= 0) {
		stackps_proc_free(&row.p);
		return rc == -ENOMEM ? rc : 0;
	}
	return stackid_add(id, &row);
}

/**
 * stackid_print() - the table: STACK, KIND, USES
 * @f:		where to
 * @id:		the result
 */
static void stackid_print(FILE *f, const struct stackid *id)
{
	char ns[32];
	size_t i;

	if (id->n)
		fprintf(f, "%-28s %-6s %s\n", "STACK", "KIND", "USES");
	for (i = 0; i < id->n; i++) {
		const struct stackid_row *r = &id->rows[i];

		snprintf(ns, sizeof(ns), "net:[%lu]", (unsigned long)r->ino);
		stacktool_print_text(f, r->path[0] ? r->path : ns, 28);
		fprintf(f, " %-6s ", r->userspace ? "lwip" : "netns");
		stackps_print_uses(f, &r->p);
		if (!r->path[0])
			fputs(" (its own namespace, which no stack names)", f);
		fputc('\n', f);
	}
}

/**
 * stackid_print_json() - the result as one JSON object
 * @f:		where to
 * @id:		the result
 * @comm:	the process's name
 */
static void stackid_print_json(FILE *f, const struct stackid *id, const char *comm)
{
	size_t i;
	int j;

	fprintf(f, "{\"pid\":%d,\"comm\":", (int)id->pid);
	json_string(f, comm);
	fputs(",\"stacks\":[", f);
	for (i = 0; i < id->n; i++) {
		const struct stackid_row *r = &id->rows[i];

		fputs(i ? ",{\"path\":" : "{\"path\":", f);
		if (r->path[0])
			json_string(f, r->path);
		else
			fputs("null", f);
		fprintf(f, ",\"kind\":\"%s\",\"namespace\":", r->userspace ? "lwip" : "netns");
		if (r->userspace)
			fputs("null", f);
		else
			fprintf(f, "\"net:[%lu]\"", (unsigned long)r->ino);
		fputs(",\"sockets\":{", f);
		for (j = 0; j < STACKPS_FAMILIES; j++)
			fprintf(f, "%s\"%s\":%u", j ? "," : "", stackps_family_name(j),
				r->p.sockets[j]);
		fprintf(f, "},\"unchecked_sockets\":%u,\"lives_in\":%s,\"threads_in\":%u,"
			"\"holds_open\":%u,\"daemon\":%s}", r->p.unchecked,
			r->p.lives ? "true" : "false", r->p.threads, r->p.holds,
			r->p.daemon ? "true" : "false");
	}
	fputs("]}\n", f);
}

/**
 * stackid_run() - netsup-stack identify [--json] PID
 * @spec:	the PID, in decimal
 * @json:	print JSON
 *
 * Return: exit status
 */
int stackid_run(const char *spec, bool json)
{
	static const char *const dirs[] = { NS_DIR, "/run/netns" };
	struct stackid id = { 0 };
	char own[PATH_MAX], path[64], comm[32] = "";
	struct stat st;
	FILE *cf;
	char *end;
	size_t i;
	long v;
	int rc = 0;

	errno = 0;
	v = strtol(spec, &end, 10);
	if (!*spec || *end || errno || v < 1 || v > INT_MAX)
		return stacktool_fail(spec, "not a process ID");
	id.pid = (pid_t)v;
	snprintf(path, sizeof(path), "/proc/%d", (int)id.pid);
	if (stat(path, &st))
		return stacktool_fail(spec, "no such process");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)id.pid);
	cf = fopen(path, "re");
	if (cf) {
		if (fgets(comm, sizeof(comm), cf))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(cf);
	}
	for (i = 0; !rc && i < ARRAY_SIZE(dirs); i++)
		rc = stackid_dir(&id, dirs[i]);
	if (!rc && !userstack_dir(own, sizeof(own)) && !userstack_dir_check(own))
		rc = stackid_dir(&id, own);
	if (!rc)
		rc = stackid_own(&id);
	if (!rc && !id.n && id.denied)
		rc = -EACCES;
	if (!rc) {
		if (json)
			stackid_print_json(stdout, &id, comm);
		else
			stackid_print(stdout, &id);
		if (id.denied && id.n)
			fprintf(stderr, "netsup-stack: %s: %u stack%s not examined (permission denied)\n",
				spec, id.denied, id.denied == 1 ? "" : "s");
	}
	for (i = 0; i < id.n; i++)
		stackps_proc_free(&id.rows[i].p);
	free(id.rows);
	if (rc == -EACCES)
		return stacktool_fail(spec, "permission denied (its descriptors cannot be examined)");
	return rc ? stacktool_fail(spec, stacktool_why(rc)) : 0;
}
