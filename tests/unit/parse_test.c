// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse_test - unit tests of netsup's parsers, table-driven
 *
 * creds_parse() (/proc/TID/status), procstat_parse() (/proc/PID/stat),
 * options_parse() and options_parse_default() (the command line), and the
 * stack names and families of stack.c.  The texts of /proc are given as
 * strings, hostile ones included (a process names itself, and its name
 * is in both files).  No privilege needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "creds.h"
#include "options.h"
#include "proc.h"
#include "../../common/procstat.h"
#include "stack.h"
#include "unit.h"

static const char status_text[] =
	"Name:\tsh\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t1234\n"
	"Ngid:\t0\n"
	"Pid:\t1235\n"
	"PPid:\t1000\n"
	"TracerPid:\t0\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Gid:\t100\t101\t102\t103\n"
	"FDSize:\t64\n"
	"Groups:\t4 24 27 \n"
	"NStgid:\t1234\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t000001ffffffffff\n"
	"CapEff:\t0000000000003000\n"
	"CapBnd:\t000001ffffffffff\n";

static void creds_parse_fields(void)
{
	struct creds c;
	gid_t groups[8];

	UNIT_EQ(creds_parse(status_text, &c, groups, 8), 0);
	UNIT_EQ(c.tgid, 1234);
	UNIT_EQ(c.ppid, 1000);
	UNIT_EQ(c.ruid, 1000);
	UNIT_EQ(c.euid, 1001);
	UNIT_EQ(c.fsuid, 1003);
	UNIT_EQ(c.rgid, 100);
	UNIT_EQ(c.egid, 101);
	UNIT_EQ(c.fsgid, 103);
	UNIT_EQ(c.cap_eff, 0x3000);
	UNIT_EQ(c.cap_prm, 0x1ffffffffffULL);
	UNIT_EQ(c.ngroups, 3);
	UNIT_CHECK(c.groups == groups);
	UNIT_EQ(groups[0], 4);
	UNIT_EQ(groups[1], 24);
	UNIT_EQ(groups[2], 27);
}

/* @text with the line that starts with @key replaced by @line */
static const char *status_with(const char *key, const char *line)
{
	static char buf[sizeof(status_text) + 256];
	const char *p = strstr(status_text, key), *eol;
	size_t n;

	if (!p)
		return status_text;
	eol = strchr(p, '\n') + 1;
	n = (size_t)(p - status_text);
	memcpy(buf, status_text, n);
	snprintf(buf + n, sizeof(buf) - n, "%s%s", line, eol);
	return buf;
}

static void creds_parse_groups(void)
{
	struct creds c;
	gid_t groups[8];

	/* no room: the first ones */
	UNIT_EQ(creds_parse(status_text, &c, groups, 2), 0);
	UNIT_EQ(c.ngroups, 2);
	UNIT_EQ(groups[1], 24);
	UNIT_EQ(creds_parse(status_with("Groups:", "Groups:\t\n"), &c, groups, 8), 0);
	UNIT_EQ(c.ngroups, 0);
	UNIT_EQ(creds_parse(status_with("Groups:", "Groups:\t7\n"), &c, groups, 8), 0);
	UNIT_EQ(c.ngroups, 1);
	UNIT_EQ(groups[0], 7);
}

static void creds_parse_refuses_bad_text(void)
{
	static const struct {
		const char *key, *line;
	} bad[] = {
		{ "Tgid:", "Tgid:\tabc\n" },
		{ "Tgid:", "Tgid:\t\n" },
		{ "PPid:", "Xpid:\t1\n" },
		{ "Uid:", "Uid:\t1000\n" },			/* fsuid missing */
		{ "Uid:", "Uid:\t1000\t1001\t1002\n" },
		{ "Gid:", "Gid:\n" },
		{ "CapEff:", "CapEff:\tzz\n" },
		{ "CapPrm:", "CapPrm:\tx\n" },
	};
	struct creds c;
	gid_t groups[8];
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(bad); i++)
		if (!UNIT_CHECK(creds_parse(status_with(bad[i].key, bad[i].line),
					    &c, groups, 8) == -EINVAL))
			printf("#   %s", bad[i].line);
	UNIT_EQ(creds_parse("", &c, groups, 8), -EINVAL);
}

static void creds_parse_ignores_the_name(void)
{
	struct creds c;
	gid_t groups[8];

	/* a process that names itself "Uid: 0 0 0 0" stays who it is */
	UNIT_EQ(creds_parse(status_with("Name:", "Name:\tUid:\t0\t0\t0\t0\n"),
			    &c, groups, 8), 0);
	UNIT_EQ(c.euid, 1001);
	UNIT_EQ(c.fsuid, 1003);
	/* nor can it start a line of its own: the kernel escapes \n */
	UNIT_EQ(creds_parse(status_with("Name:", "Name:\tx\\nUid:\t0\t0\t0\t0\n"),
			    &c, groups, 8), 0);
	UNIT_EQ(c.fsuid, 1003);
}

/* A /proc/PID/stat line: @name, state @state, start time @start. */
static const char *stat_line(const char *name, char state, unsigned long long start)
{
	static char buf[512];

	snprintf(buf, sizeof(buf),
		 "1234 (%s) %c 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 %llu "
		 "2625536 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0\n",
		 name, state, start);
	return buf;
}

static void proc_stat_parse_fields(void)
{
	struct procstat ps = { 0 };

	UNIT_EQ(procstat_parse(stat_line("sh", 'S', 424242), &ps), 0);
	UNIT_EQ(ps.state, 'S');
	UNIT_EQ(ps.start, 424242);
	UNIT_EQ(ps.threads, 1);
	UNIT_CHECK(!procstat_dead(&ps));
	UNIT_EQ(procstat_parse(stat_line("sh", 'Z', 7), &ps), 0);
	UNIT_EQ(ps.state, 'Z');
	UNIT_EQ(ps.start, 7);
	UNIT_CHECK(procstat_dead(&ps));
}

static void proc_stat_read_self(void)
{
	struct procstat ps = { 0 };

	UNIT_EQ(procstat_read(getpid(), &ps), 0);
	UNIT_EQ(ps.state, 'R');
	UNIT_EQ(ps.threads, 1);
	UNIT_CHECK(ps.start > 0);
	UNIT_EQ(procstat_read(0x3fffffff, &ps), -ESRCH);
}

static void proc_stat_parse_hostile_names(void)
{
	static const char *const names[] = {
		"a b", "x) Z 1 2 3", "((", ")", ") R 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 99 ",
	};
	struct procstat ps;
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(names); i++) {
		memset(&ps, 0, sizeof(ps));
		UNIT_EQ(procstat_parse(stat_line(names[i], 'S', 5555), &ps), 0);
		if (!UNIT_CHECK(ps.state == 'S' && ps.start == 5555))
			printf("#   name \"%s\": state %c start %llu\n", names[i], ps.state, ps.start);
	}
}

static void proc_stat_parse_refuses_bad_text(void)
{
	static const char *const bad[] = {
		"", "1234", "1234 (sh", "1234 (sh)", "1234 (sh) ", "1234 (sh)S 1",
		"1234 (sh) S 1 2 3",	/* cut before field 22 */
	};
	struct procstat ps;
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(bad); i++)
		if (!UNIT_CHECK(procstat_parse(bad[i], &ps) == -EINVAL))
			printf("#   \"%s\"\n", bad[i]);
}

/* options_parse() of a NULL-terminated list, stderr kept in @errbuf */
static int parse(struct options *o, char *errbuf, size_t len, ...)
{
	static char *argv[64];
	int argc = 0, p[2], saved, rc;
	ssize_t n;
	va_list ap;

	va_start(ap, len);
	argv[argc++] = "netsup";
	while (argc < 63 && (argv[argc] = va_arg(ap, char *))) // NOLINT(clang-analyzer-valist.Uninitialized)
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	errbuf[0] = '\0';
	if (pipe(p))
		return -EIO;
	saved = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	rc = options_parse(argc, argv, o);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = read(p[0], errbuf, len - 1);
	errbuf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return rc;
}

static void options_parse_everything(void)
{
	struct options o;
	char e[512];

	UNIT_EQ(parse(&o, e, sizeof(e), "-d", "red", "-d", "inet6=/run/netns/blue",
		      "-vv", "--wait", "--isolate", "--allow", "a", "--allow", "b",
		      "--allow-io-uring", "--log", "f.log", "--", "cmd", "-d", "x", (char *)NULL),
		OPTIONS_RUN);
	UNIT_STREQ(e, "");
	UNIT_STREQ(o.defaults[FAM_INET], "red");
	UNIT_STREQ(o.defaults[FAM_INET6], "/run/netns/blue");
	UNIT_STREQ(o.defaults[FAM_NETLINK], "red");
	UNIT_STREQ(o.defaults[FAM_PACKET], "red");
	UNIT_EQ(o.verbose, 2);
	UNIT_CHECK(o.wait && o.isolate && o.allow_io_uring);
	UNIT_EQ(o.n_allow, 2);
	UNIT_STREQ(o.allow[1], "b");
	UNIT_STREQ(o.log_file, "f.log");
	UNIT_STREQ(o.argv[0], "cmd");
	UNIT_STREQ(o.argv[1], "-d");	/* the command's own options */
	UNIT_STREQ(o.self_argv[0], "netsup");
	UNIT_EQ(o.self_argc, 19);
}

static void options_parse_stops_at_the_command(void)
{
	struct options o;
	char e[512];

	UNIT_EQ(parse(&o, e, sizeof(e), "cmd", "-d", "x", "--help", (char *)NULL), OPTIONS_RUN);
	UNIT_STREQ(o.argv[0], "cmd");
	UNIT_CHECK(!o.defaults[FAM_INET]);
	UNIT_CHECK(!o.log_file && !o.wait && !o.verbose);
	UNIT_EQ(parse(&o, e, sizeof(e), "-h", (char *)NULL), OPTIONS_HELP);
	UNIT_EQ(parse(&o, e, sizeof(e), "--version", "cmd", (char *)NULL), OPTIONS_VERSION);
	/* parsed again from the start */
	UNIT_EQ(parse(&o, e, sizeof(e), "-d", "inet=a", "-d", "inet=b", "c", (char *)NULL), OPTIONS_RUN);
	UNIT_STREQ(o.defaults[FAM_INET], "b");
	UNIT_CHECK(!o.defaults[FAM_INET6]);
}

static void options_parse_errors_name_the_option(void)
{
	static const struct {
		const char *args[4];
		const char *says;
	} bad[] = {
		{ { "--bogus", "c" },		"unknown option --bogus" },
		{ { "-x", "c" },		"unknown option -x" },
		{ { "-d" },			"option -d needs an argument" },
		{ { "--log" },			"option --log needs an argument" },
		{ { "-d", "ipx=a", "c" },	"--default ipx=a: expected [FAMILY=]STACK" },
		{ { "-d", "inet=", "c" },	"--default inet=:" },
		{ { "-d", "=foo", "c" },	"--default =foo:" },
		{ { "--allow", "", "c" },	"--allow: an empty stack name" },
		{ { "--log", "", "c" },		"--log: empty file name" },
		{ { "-v" },			"no command given" },
	};
	struct options o;
	char e[512];
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(bad); i++) {
		int rc = parse(&o, e, sizeof(e), bad[i].args[0], bad[i].args[1],
			       bad[i].args[2], bad[i].args[3], (char *)NULL);

		UNIT_EQ(rc, -EINVAL);
		if (!UNIT_CHECK(!strncmp(e, "netsup: ", 8) && strstr(e, bad[i].says)))
			printf("#   for %s: %s", bad[i].args[0], e);
	}
}

static void options_parse_too_many_allows(void)
{
	static char *argv[2 * POLICY_MAX + 8];
	struct options o;
	int argc = 0, i, p[2], saved;

	argv[argc++] = "netsup";
	for (i = 0; i <= POLICY_MAX; i++) {
		argv[argc++] = "--allow";
		argv[argc++] = "s";
	}
	argv[argc++] = "cmd";
	argv[argc] = NULL;
	if (pipe(p))
		return;
	saved = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	UNIT_EQ(options_parse(argc, argv, &o), -EINVAL);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(p[0]);
}

static void options_parse_default_table(void)
{
	static const struct {
		const char *arg;
		int rc;
		unsigned int mask;
		const char *stack;
	} t[] = {
		{ "red",		0, FAM_MASK_ALL,	"red" },
		{ "inet=red",		0, 1U << FAM_INET,	"red" },
		{ "inet6=red",		0, 1U << FAM_INET6,	"red" },
		{ "netlink=/x",		0, 1U << FAM_NETLINK,	"/x" },
		{ "packet=red",		0, 1U << FAM_PACKET,	"red" },
		{ "ip=red",		0, FAM_MASK_ALL,	"red" },
		{ "all=red",		0, FAM_MASK_ALL,	"red" },
		{ "/run/netns/a=b",	0, FAM_MASK_ALL,	"/run/netns/a=b" },
		{ "inet=/run/netns/a=b", 0, 1U << FAM_INET,	"/run/netns/a=b" },
		{ "ipx=red",		-EINVAL, 0, NULL },
		{ "INET=red",		-EINVAL, 0, NULL },
		{ "unix=red",		-EINVAL, 0, NULL },
		{ "inet=",		-EINVAL, 0, NULL },
		{ "=red",		-EINVAL, 0, NULL },
		{ "",			-EINVAL, 0, NULL },
		{ "averyveryverylongfamily=red", -EINVAL, 0, NULL },
	};
	const char *stack;
	unsigned int mask;
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(t); i++) {
		int rc = options_parse_default(t[i].arg, &mask, &stack);

		if (!UNIT_CHECK(rc == t[i].rc))
			printf("#   \"%s\": %d\n", t[i].arg, rc);
		if (rc || t[i].rc)
			continue;
		if (!UNIT_CHECK(mask == t[i].mask && !strcmp(stack, t[i].stack)))
			printf("#   \"%s\": mask %#x stack %s\n", t[i].arg, mask, stack);
	}
}

static void stack_families(void)
{
	static const struct {
		const char *name;
		int domain;
	} fam[FAM_COUNT] = {
		[FAM_INET] = { "inet", AF_INET },
		[FAM_INET6] = { "inet6", AF_INET6 },
		[FAM_NETLINK] = { "netlink", AF_NETLINK },
		[FAM_PACKET] = { "packet", AF_PACKET },
	};
	unsigned int mask;
	int i;

	for (i = 0; i < FAM_COUNT; i++) {
		UNIT_EQ(stack_family_index(fam[i].domain), i);
		UNIT_EQ(stack_family_domain(i), fam[i].domain);
		UNIT_STREQ(stack_family_name(i), fam[i].name);
		mask = 0;
		UNIT_EQ(stack_family_parse(fam[i].name, &mask), 0);
		UNIT_EQ(mask, 1U << i);
	}
	/* AF_UNIX is never a stack's */
	UNIT_EQ(stack_family_index(AF_UNIX), -1);
	UNIT_EQ(stack_family_index(AF_UNSPEC), -1);
	UNIT_EQ(stack_family_index(-1), -1);
	UNIT_STREQ(stack_family_name(-1), "?");
	UNIT_STREQ(stack_family_name(FAM_COUNT), "?");
	UNIT_EQ(stack_family_parse("ip", &mask), 0);
	UNIT_EQ(mask, FAM_MASK_ALL);
	UNIT_EQ(stack_family_parse("unix", &mask), -EINVAL);
	UNIT_EQ(stack_family_parse("", &mask), -EINVAL);
	UNIT_EQ(stack_family_parse("Inet", &mask), -EINVAL);
}

static void stack_names(void)
{
	char buf[PATH_MAX], small[16], name[64];

	UNIT_EQ(stack_resolve_name("", buf, sizeof(buf)), -EINVAL);
	UNIT_EQ(stack_resolve_name(".", buf, sizeof(buf)), -EINVAL);
	UNIT_EQ(stack_resolve_name("..", buf, sizeof(buf)), -EINVAL);
	/* a path is taken as it is, never looked up */
	UNIT_EQ(stack_resolve_name("/nonexistent/ns", buf, sizeof(buf)), 0);
	UNIT_STREQ(buf, "/nonexistent/ns");
	UNIT_EQ(stack_resolve_name("./red", buf, sizeof(buf)), 0);
	UNIT_STREQ(buf, "./red");
	UNIT_EQ(stack_resolve_name("/a/very/long/path", small, sizeof(small)), -ENAMETOOLONG);
	/* a bare NAME found nowhere: /dev/net/NAME is what is reported */
	snprintf(name, sizeof(name), "nsup-unit-%d", (int)getpid());
	UNIT_EQ(stack_resolve_name(name, buf, sizeof(buf)), -ENOENT);
	UNIT_CHECK(!strncmp(buf, "/dev/net/nsup-unit-", 19));
	UNIT_EQ(stack_resolve_name("averyveryverylongname", small, sizeof(small)), -ENAMETOOLONG);
}

static const struct unit_case cases[] = {
	{ "creds_parse: every field of /proc/TID/status", creds_parse_fields },
	{ "creds_parse: groups, bounded", creds_parse_groups },
	{ "creds_parse: a missing or malformed field is EINVAL", creds_parse_refuses_bad_text },
	{ "creds_parse: a process's name cannot forge its ids", creds_parse_ignores_the_name },
	{ "procstat_parse: state, threads and start time", proc_stat_parse_fields },
	{ "procstat_read: this process, and one that does not exist", proc_stat_read_self },
	{ "procstat_parse: names with spaces and parentheses", proc_stat_parse_hostile_names },
	{ "procstat_parse: cut or malformed text is EINVAL", proc_stat_parse_refuses_bad_text },
	{ "options_parse: every option", options_parse_everything },
	{ "options_parse: stops at the command, -h, -V, reparse", options_parse_stops_at_the_command },
	{ "options_parse: errors name the option", options_parse_errors_name_the_option },
	{ "options_parse: too many --allow", options_parse_too_many_allows },
	{ "options_parse_default: [FAMILY=]STACK", options_parse_default_table },
	{ "stack.c: families by index, domain and name", stack_families },
	{ "stack.c: stack names and paths", stack_names },
};

UNIT_MAIN(cases)
