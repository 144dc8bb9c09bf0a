// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack - create, remove, list and describe stacks, and tell who
 * uses them
 *
 *   netsup-stack add STACK          a new network namespace, lo up, at STACK
 *   netsup-stack add STACK --lwip --link URL [--ip A/L] [--gw G] [--ip6 A/L]
 *                [--gw6 G] [--mtu N] [--netns PATH]
 *                                   a netsup-lwip daemon serving STACK
 *   netsup-stack del [-f] STACK     unmount and remove it
 *   netsup-stack list [--json] [DIR]...   the stacks in DIR (/dev/net, /run/netns)
 *   netsup-stack info [--json] STACK      kind, families, interfaces, addresses
 *   netsup-stack ps [--json] STACK        the processes that use it (stackps.c)
 *   netsup-stack identify [--json] PID    the stacks a process uses
 *                                         (netsup-stack-identify.c)
 *
 * This file parses the command line and runs the command that its row of
 * stacktool_cmds[] names: the row says which operands and options the
 * command takes, and its synopsis for --help (netsup-stack-msg.c).
 * Options may come before or after the operands (getopt_long permutes);
 * "--" ends them.
 *
 * A bare NAME (no '/') is looked up as netsup does (netsup-stack-name.c).
 * A kernel stack is entered, opened and made by netsup-stack-netns.c,
 * removed by netsup-stack-del.c, described by netsup-stack-info.c; a
 * caller that cannot mount gets a stack kept by a holder process instead,
 * named in its own directory (netsup-stack-user.c).  A stack file that is
 * a UNIX socket is a userspace stack: every command is then one of
 * netsup-stack-lwip-daemon.c's (add, del) or netsup-stack-lwip-info.c's
 * (info, list, ps), which ask the daemon (netsup-stack-lwip.c).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "netsup-stack.h"
#include "../../common/util.h"

#ifndef NETSUP_VERSION
#define NETSUP_VERSION "0"
#endif

/* The command line, parsed. */
struct stacktool_opts {
	const struct stacktool_cmd *row;	/* the command's row */
	const char *cmd;	/* add, del, list, info, ps, identify */
	char **args;		/* its operands */
	int nargs;
	bool force;		/* del -f */
	bool json;		/* list, info, ps --json */
	bool lwip;		/* add --lwip */
	struct stacklwip_opts lw;	/* add --lwip: its options */
};

/**
 * stacktool_run_add() - netsup-stack add STACK [--lwip ...]
 * @o:		the command line
 *
 * Return: exit status
 */
static int stacktool_run_add(const struct stacktool_opts *o)
{
	return stacktool_add(o->args[0], o->lwip ? &o->lw : NULL);
}

/**
 * stacktool_run_del() - netsup-stack del [-f] STACK
 * @o:		the command line
 *
 * Return: exit status
 */
static int stacktool_run_del(const struct stacktool_opts *o)
{
	return stacktool_del(o->args[0], o->force);
}

/**
 * stacktool_run_list() - netsup-stack list [--json] [DIR]...
 * @o:		the command line
 *
 * Return: exit status
 */
static int stacktool_run_list(const struct stacktool_opts *o)
{
	return stacktool_list(o->nargs, o->args, o->json);
}

/**
 * stacktool_run_info() - netsup-stack info [--json] STACK
 * @o:		the command line
 *
 * Return: exit status
 */
static int stacktool_run_info(const struct stacktool_opts *o)
{
	return stacktool_info(o->args[0], o->json);
}

/**
 * stacktool_run_ps() - netsup-stack ps [--json] STACK
 * @o:		the command line
 *
 * Return: exit status
 */
static int stacktool_run_ps(const struct stacktool_opts *o)
{
	return stacktool_ps(o->args[0], o->json);
}

/**
 * stacktool_run_identify() - netsup-stack identify [--json] PID
 * @o:		the command line
 *
 * Return: exit status
 */
static int stacktool_run_identify(const struct stacktool_opts *o)
{
	return stackid_run(o->args[0], o->json);
}

/* The commands, in the order --help shows them. */
static const struct stacktool_cmd stacktool_cmds[] = {
	{ "add", stacktool_run_add,
	  "STACK\n"
	  "       netsup-stack add STACK --lwip --link URL [--ip ADDR/LEN] [--gw ADDR]\n"
	  "                    [--ip6 ADDR/LEN] [--gw6 ADDR] [--mtu N] [--netns PATH]\n"
	  "                    [--log FILE] [-v]...",
	  1, 1, "STACK", "stack", false, false },
	{ "del", stacktool_run_del, "[-f] STACK",
	  1, 1, "STACK", "stack", false, true },
	{ "list", stacktool_run_list, "[--json] [DIR]...",
	  0, INT_MAX, "DIR", "directory", true, false },
	{ "info", stacktool_run_info, "[--json] STACK",
	  1, 1, "STACK", "stack", true, false },
	{ "ps", stacktool_run_ps, "[--json] STACK",
	  1, 1, "STACK", "stack", true, false },
	{ "identify", stacktool_run_identify, "[--json] PID",
	  1, 1, "PID", "process", true, false },
};

/**
 * stacktool_parse() - parse the command line
 * @argc:	argument count
 * @argv:	arguments, permuted so that operands come last
 * @o:		receives the command, its operands and options
 *
 * Return: -1 to go on, or an exit status (after --help, --version, or a
 *	   usage error that says what was wrong)
 */
static int stacktool_parse(int argc, char **argv, struct stacktool_opts *o)
{
	enum { OPT_JSON = 256, OPT_FORCE, OPT_HELP, OPT_VERSION, OPT_LWIP, OPT_LINK,
	       OPT_IP, OPT_GW, OPT_IP6, OPT_GW6, OPT_MTU, OPT_NETNS, OPT_LOG };
	static const struct option longopts[] = {
		{ "force",	no_argument, NULL, OPT_FORCE },
		{ "lwip",	no_argument, NULL, OPT_LWIP },
		{ "link",	required_argument, NULL, OPT_LINK },
		{ "ip",		required_argument, NULL, OPT_IP },
		{ "gw",		required_argument, NULL, OPT_GW },
		{ "ip6",	required_argument, NULL, OPT_IP6 },
		{ "gw6",	required_argument, NULL, OPT_GW6 },
		{ "mtu",	required_argument, NULL, OPT_MTU },
		{ "netns",	required_argument, NULL, OPT_NETNS },
		{ "log",	required_argument, NULL, OPT_LOG },
		{ "verbose",	no_argument, NULL, 'v' },
		{ "json",	no_argument, NULL, OPT_JSON },
		{ "help",	no_argument, NULL, OPT_HELP },
		{ "version",	no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *lwopt = NULL;	/* an option of --lwip, for messages */
	const struct stacktool_cmd *row;
	size_t i;
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "fhvV", longopts, NULL)) != -1) {
		for (i = 0; ((c >= OPT_LINK && c <= OPT_LOG) || c == 'v') && longopts[i].name; i++)
			if (longopts[i].val == c)
				lwopt = longopts[i].name;
		switch (c) {
		case OPT_LWIP:
			o->lwip = true;
			break;
		case OPT_LINK:
			o->lw.link = optarg;
			break;
		case OPT_IP:
			o->lw.ip = optarg;
			break;
		case OPT_GW:
			o->lw.gw = optarg;
			break;
		case OPT_IP6:
			o->lw.ip6 = optarg;
			break;
		case OPT_GW6:
			o->lw.gw6 = optarg;
			break;
		case OPT_MTU:
			o->lw.mtu = optarg;
			break;
		case OPT_NETNS:
			o->lw.netns = optarg;
			break;
		case OPT_LOG:
			o->lw.log = optarg;
			break;
		case 'v':
			o->lw.verbose++;
			break;
		case 'f':
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
		case OPT_HELP:
			return stacktool_usage(stdout, 0, stacktool_cmds, ARRAY_SIZE(stacktool_cmds));
		case 'V':
		case OPT_VERSION:
			printf("netsup-stack %s\n", NETSUP_VERSION);
			return 0;
		default:
			if (optopt >= OPT_LINK && optopt <= OPT_LOG)
				return stacktool_usage_error("option '%s' needs a value",
							     argv[optind - 1]);
			if (optopt >= 256)
				return stacktool_usage_error("option '%s' takes no value",
							     argv[optind - 1]);
			if (optopt)
				return stacktool_usage_error("unknown option '-%c'", optopt);
			return stacktool_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return stacktool_usage_error("no command given");
	o->cmd = argv[optind];
	o->args = argv + optind + 1;
	o->nargs = argc - optind - 1;
	for (i = 0; i < ARRAY_SIZE(stacktool_cmds); i++)
		if (!strcmp(o->cmd, stacktool_cmds[i].name))
			break;
	if (i == ARRAY_SIZE(stacktool_cmds))
		return stacktool_usage_error("unknown command '%s'", o->cmd);
	row = o->row = &stacktool_cmds[i];
	if (o->nargs < row->min)
		return stacktool_usage_error("%s: which %s? a %s is needed", o->cmd, row->what,
					     row->operand);
	if (o->nargs > row->max)
		return stacktool_usage_error("%s: one %s only, '%s' is one too many", o->cmd,
					     row->operand, o->args[row->max]);
	if (o->json && !row->json)
		return stacktool_usage_error("%s: no --json output (list, info, ps and identify have one)", o->cmd);
	if (o->force && !row->force)
		return stacktool_usage_error("%s: -f is for del only", o->cmd);
	if ((o->lwip || lwopt) && strcmp(o->cmd, "add") != 0)
		return stacktool_usage_error("%s: --lwip and its options are for add only", o->cmd);
	if (lwopt && !o->lwip)
		return stacktool_usage_error("add: --%s is an option of --lwip", lwopt);
	if (o->lw.log && !*o->lw.log)
		return stacktool_usage_error("add --lwip: --log needs a FILE");
	if (o->lwip && !o->lw.link)
		return stacktool_usage_error("add --lwip: which link? --link URL is needed");
	return -1;
}

/**
 * main() - parse the command line, run the command its row names
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0, 1 after an error, 2 after a usage error
 */
int main(int argc, char **argv)
{
	struct stacktool_opts o;
	int rc;

	log_init(STACKTOOL_PROG, 0);
	rc = stacktool_parse(argc, argv, &o);
	if (rc >= 0 || !o.cmd)
		return rc >= 0 ? rc : EXIT_USAGE;
	return o.row->run(&o);
}
