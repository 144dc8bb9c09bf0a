// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stackps-print.c - the users of a stack as netsup-stack ps prints them:
 * a table, or one JSON object
 *
 * Whatever a process's owner chose (its name, its arguments) is printed
 * with its control characters as '?' (stackps_print_safe()).
 */
#define _GNU_SOURCE
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "stackps.h"

/**
 * stackps_user() - the name of a user, or its number
 * @uid:	the user
 * @buf:	room for the number
 * @len:	size of @buf
 *
 * Return: the name, or @buf holding the number
 */
static const char *stackps_user(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		return pw->pw_name;
	snprintf(buf, len, "%lu", (unsigned long)uid);
	return buf;
}

/**
 * stackps_print_safe() - bytes on one line of text, for a terminal
 * @f:		where to
 * @s:		the bytes (a process name, a path: whatever their owner chose)
 * @len:	how many
 * @width:	pad with blanks to this many bytes (0: none)
 *
 * NUL shows as a blank (it separates arguments), other control
 * characters (below 0x20, and DEL) as '?': a name could otherwise forge
 * lines of the output or send escape sequences to the terminal.
 */
void stackps_print_safe(FILE *f, const char *s, size_t len, int width)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(!c ? ' ' : c < 0x20 || c == 0x7f ? '?' : c, f);
	}
	for (; width > 0 && i < (size_t)width; i++)
		fputc(' ', f);
}

/**
 * stackps_print_uses() - how a process uses the stack, as ps's USES column
 * @f:		where to
 * @p:		the process
 */
void stackps_print_uses(FILE *f, const struct stackps_proc *p)
{
	const char *sep = "";
	bool first = true;
	int j;

	for (j = 0; j < STACKPS_FAMILIES; j++) {
		/* a daemon's own ends of its clients' sockets are not
		 * sockets it uses in the stack */
		if (!p->sockets[j] ||
		    (p->daemon && !strcmp(stackps_family_name(j), "userspace")))
			continue;
		fprintf(f, "%s %s %u", first ? "sockets:" : ",",
			stackps_family_name(j), p->sockets[j]);
		first = false;
		sep = "; ";
	}
	if (p->unchecked) {
		fprintf(f, "%s%u socket%s not checked (permission denied)", sep,
			p->unchecked, p->unchecked == 1 ? "" : "s");
		sep = "; ";
	}
	if (p->lives) {
		fprintf(f, "%slives in it", sep);
		sep = "; ";
	}
	if (p->threads) {
		fprintf(f, "%s%u other thread%s in it", sep, p->threads,
			p->threads == 1 ? "" : "s");
		sep = "; ";
	}
	if (p->holds) {
		fprintf(f, "%sholds it open", sep);
		sep = "; ";
	}
	if (p->daemon) {
		fprintf(f, "%sserves it (its daemon)", sep);
		sep = "; ";
	}
	if (p->served_by) {
		fprintf(f, "%sunder netsup (supervisor %d)", sep, (int)p->served_by);
		sep = "; ";
	}
	if (p->waits_for) {
		fprintf(f, "%snetsup, waiting for pid %d", sep, (int)p->waits_for);
		sep = "; ";
	}
	if (p->supervisor) {
		fprintf(f, "%snetsup supervisor", sep);
		if (p->command) {
			fprintf(f, " of pid %d (", (int)p->command);
			if (p->command_line)
				stackps_print_safe(f, p->command_line, p->command_line_len, 0);
			else if (p->serves)
				fprintf(f, "gone; it still serves %u process%s here", p->serves,
					p->serves == 1 ? "" : "es");
			else
				fputs("gone", f);
			fputc(')', f);
		}
		if (p->netsup)
			fprintf(f, ", started by netsup %d", (int)p->netsup);
	}
}

/**
 * stackps_print() - the processes as a table
 * @f:		where to
 * @ps:		what stackps_scan() found
 *
 * One line per process: PID, USER, COMMAND (its name), then how it uses
 * the stack, separated by "; ".  Nothing when no process uses it.
 */
void stackps_print(FILE *f, const struct stackps *ps)
{
	char ubuf[24];
	size_t i;

	if (ps->n)
		fprintf(f, "%-7s %-8s %-15s %s\n", "PID", "USER", "COMMAND", "USES");
	for (i = 0; i < ps->n; i++) {
		const struct stackps_proc *p = &ps->procs[i];

		fprintf(f, "%-7d %-8s ", (int)p->pid, stackps_user(p->uid, ubuf, sizeof(ubuf)));
		stackps_print_safe(f, p->comm, strlen(p->comm), 15);
		fputc(' ', f);
		stackps_print_uses(f, p);
		fputc('\n', f);
	}
}

/**
 * stackps_print_json_cmdline() - a command line as a JSON array of strings
 * @f:		where to
 * @line:	NUL-separated arguments, or NULL for an empty array
 * @len:	their length
 */
static void stackps_print_json_cmdline(FILE *f, const char *line, size_t len)
{
	size_t start = 0, i;

	fputc('[', f);
	for (i = 0; line && i <= len; i++) {
		if (i < len && line[i])
			continue;
		if (start)
			fputc(',', f);
		json_string_len(f, line + start, i - start);
		start = i + 1;
	}
	fputc(']', f);
}

/**
 * stackps_print_json_pid() - a pid, or null for 0
 * @f:		where to
 * @pid:	the pid
 */
static void stackps_print_json_pid(FILE *f, pid_t pid)
{
	if (pid)
		fprintf(f, "%d", (int)pid);
	else
		fputs("null", f);
}

/**
 * stackps_print_json() - the processes as one JSON object
 * @f:		where to
 * @ps:		what stackps_scan() found
 * @path:	the stack's path
 * @ino:	its namespace's inode; 0 for a userspace stack (null)
 */
void stackps_print_json(FILE *f, const struct stackps *ps, const char *path, ino_t ino)
{
	char ubuf[24];
	size_t i;
	int j;

	fputs("{\"stack\":", f);
	json_string(f, path);
	if (ino)
		fprintf(f, ",\"namespace\":\"net:[%lu]\"", (unsigned long)ino);
	else
		fputs(",\"namespace\":null", f);
	fputs(",\"processes\":[", f);
	for (i = 0; i < ps->n; i++) {
		const struct stackps_proc *p = &ps->procs[i];

		fprintf(f, "%s{\"pid\":%d,\"ppid\":%d,\"uid\":%lu,\"user\":", i ? "," : "",
			(int)p->pid, (int)p->ppid, (unsigned long)p->uid);
		json_string(f, stackps_user(p->uid, ubuf, sizeof(ubuf)));
		fputs(",\"comm\":", f);
		json_string(f, p->comm);
		fputs(",\"cmdline\":", f);
		stackps_print_json_cmdline(f, p->cmdline, p->cmdline_len);
		fputs(",\"sockets\":{", f);
		for (j = 0; j < STACKPS_FAMILIES; j++)
			fprintf(f, "%s\"%s\":%u", j ? "," : "", stackps_family_name(j),
				p->sockets[j]);
		fprintf(f, "},\"unchecked_sockets\":%u,\"lives_in\":%s,\"threads_in\":%u,"
			"\"holds_open\":%u,\"daemon\":%s,\"served_by\":", p->unchecked,
			p->lives ? "true" : "false", p->threads, p->holds,
			p->daemon ? "true" : "false");
		stackps_print_json_pid(f, p->served_by);
		fputs(",\"waits_for\":", f);
		stackps_print_json_pid(f, p->waits_for);
		fputs(",\"supervisor\":", f);
		if (p->supervisor) {
			fputs("{\"netsup\":", f);
			stackps_print_json_pid(f, p->netsup);
			fputs(",\"command\":", f);
			stackps_print_json_pid(f, p->command);
			fputs(",\"command_cmdline\":", f);
			if (p->command_line)
				stackps_print_json_cmdline(f, p->command_line, p->command_line_len);
			else
				fputs("null", f);
			fprintf(f, ",\"serves\":%u}", p->serves);
		} else {
			fputs("null", f);
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}
