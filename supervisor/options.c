// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options.c - netsup's command line, parsed into one struct options
 *
 * Parsing stops at the first non-option (or "--"), so that the command's
 * own options are never taken for netsup's.  Nothing here exits: errors
 * are printed and returned, and main() decides.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "options.h"
#include "publish.h"

static const char options_help[] =
"Usage: netsup [OPTION]... [--] COMMAND [ARG]...\n"
"Run COMMAND with its sockets created in the networking stacks given.\n"
"\n"
"  -d, --default [FAMILY=]STACK  create sockets of FAMILY in STACK; FAMILY is\n"
"                          inet, inet6, netlink, packet, or ip for all four\n"
"                          (the default); repeatable, the last one wins\n"
"  -w, --wait              wait until every process of the command is gone,\n"
"                          not only the command itself\n"
"      --die-with-parent   kill the command (SIGKILL) and the supervisor when\n"
"                          netsup dies, and netsup when its parent does;\n"
"                          implies --wait\n"
"      --allow STACK       msocket() may name only the defaults and the\n"
"                          stacks allowed so (repeatable); without it, any\n"
"                          stack the process could open itself, except\n"
"                          init's and netsup's own namespace\n"
"      --route CIDR=STACK  connections to CIDR (10.8.0.0/16, fd00:1::/32) go\n"
"                          through STACK: a socket moves there at connect(),\n"
"                          under the same number; repeatable, the most\n"
"                          specific CIDR wins; STACK as for --default\n"
"      --isolate           run the command in a new, empty network\n"
"                          namespace (lo up): families without a stack\n"
"                          reach nothing\n"
"      --view              show the command its stack as ip netns exec does:\n"
"                          /proc/net, /proc/sys/net and /sys of the inet\n"
"                          stack (inet6's if only that is set), and the\n"
"                          files of /etc/netns/NAME over /etc, in a mount\n"
"                          namespace of its own; without it they are the\n"
"                          command's own (usually the host's)\n"
"      --allow-io-uring    let the command use io_uring (a way around netsup)\n"
"      --user-net          give the command user-mode networking of its own,\n"
"                          with no privilege: a private netsup-lwip on slirp\n"
"                          for inet and inet6 (the command is 10.0.2.15 and\n"
"                          fd00::15, the host's loopback 10.0.2.2)\n"
"      --publish [IP:]HOSTPORT:PORT[/tcp|/udp]  with --user-net, forward\n"
"                          HOSTPORT of the host to PORT of the command (IP:\n"
"                          a.b.c.d or [IPv6]; TCP: the command's listener is\n"
"                          the host's own); ranges as 8000-8009:9000-9009\n"
"                          (repeatable)\n"
"      --disable-host-loopback  with --user-net, 10.0.2.2 and fd00::2 reach\n"
"                          nothing (by default they are the host's loopback)\n"
"      --userspace         let msocket() use userspace stacks (implied by a\n"
"                          userspace --default): their calls are notified\n"
"                          for every descriptor, at some cost\n"
"  -v, --verbose           one line per decision on stderr; twice (-vv),\n"
"                          a trace too; three times (-vvv), the filter too\n"
"      --log FILE          append every message to FILE too, with a\n"
"                          timestamp; FILE is created with mode 0600, and\n"
"                          keeps the lines about processes left behind\n"
"                          after netsup has returned\n"
"  -h, --help              print this help and exit\n"
"  -V, --version           print the version and exit\n"
"\n"
"STACK is a network-namespace file (/run/netns/NAME, /proc/PID/ns/net, a\n"
"bind mount such as /dev/net/NAME) or the socket of a userspace stack\n"
"daemon (netsup-lwip); a NAME without '/' is /dev/net/NAME if that exists,\n"
"else /run/netns/NAME.  Families without a stack stay in the command's own\n"
"namespace.\n"
"\n"
"Exit status: that of COMMAND, 128+N if it was killed by signal N, 125 if\n"
"netsup fails, 126 if COMMAND cannot be run, 127 if it is not found.\n";

/**
 * options_usage() - print --help
 */
void options_usage(void)
{
	fputs(options_help, stdout);
}

/**
 * options_parse_default() - parse the argument of -d
 * @arg:	"FAMILY=STACK" or "STACK"
 * @mask:	receives the families (all four for a bare STACK)
 * @stack:	receives the STACK part, pointing into @arg
 *
 * A '=' makes a family only if what stands before it is no path: a path
 * such as /run/netns/a=b is a STACK.
 *
 * Return: 0, or -EINVAL (unknown family, empty stack)
 */
int options_parse_default(const char *arg, unsigned int *mask, const char **stack)
{
	const char *eq = strchr(arg, '=');
	char fam[16];
	size_t len;

	*mask = FAM_MASK_ALL;
	*stack = arg;
	if (eq && !memchr(arg, '/', (size_t)(eq - arg))) {
		len = (size_t)(eq - arg);
		if (len >= sizeof(fam))
			return -EINVAL;
		memcpy(fam, arg, len);
		fam[len] = '\0';
		if (stack_family_parse(fam, mask))
			return -EINVAL;
		*stack = eq + 1;
	}
	return **stack ? 0 : -EINVAL;
}

/*
 * options_long_error() - say in one line what is wrong with a long option
 * @arg:	the argument getopt_long() stopped at ("--name" or "--name=value")
 * @c:		what it returned: ':' (no argument given) or '?'
 * @longopts:	the table it used
 *
 * getopt_long() with opterr 0 says only '?' and puts the option's value
 * in optopt when an option takes no argument but was given one: for
 * "--user-net=yes" that is OPT_USER_NET, not a character.  So the table
 * is read again here: a name that matches no option is unknown, one that
 * is a prefix of several (and none exactly) is ambiguous, and one that
 * matches takes no argument (or needs one).
 */
static void options_long_error(const char *arg, int c, const struct option *longopts)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct option *o, *match = NULL;
	char cands[256] = "";
	size_t used = 0;
	int n = 0;

	for (o = longopts; o->name; o++) {
		if (strncmp(o->name, name, len) != 0)
			continue;
		if (strlen(o->name) == len) {
			match = o;
			n = 1;
			break;
		}
		match = o;
		n++;
		if (used < sizeof(cands)) {
			int w = snprintf(cands + used, sizeof(cands) - used, "%s--%s",
					 n > 1 ? ", " : "", o->name);

			used += w > 0 ? (size_t)w : 0;
		}
	}
	if (n > 1)
		err("option --%.*s is ambiguous (%s); see netsup --help", (int)len, name, cands);
	else if (!match)
		err("unknown option --%.*s; see netsup --help", (int)len, name);
	else if (c == ':' || match->has_arg == required_argument)
		err("option --%s needs an argument; see netsup --help", match->name);
	else
		err("option --%s takes no argument (%s); see netsup --help", match->name, arg);
}

/**
 * options_parse() - parse netsup's command line
 * @argc:	argument count
 * @argv:	arguments; o->argv points into them
 * @o:		receives the options
 *
 * Return: enum options_action, or -EINVAL after printing why
 */
int options_parse(int argc, char **argv, struct options *o)
{
	enum { OPT_ALLOW_IO_URING = 256, OPT_ALLOW, OPT_ISOLATE, OPT_LOG, OPT_USERSPACE,
	       OPT_USER_NET, OPT_PUBLISH, OPT_VIEW, OPT_DIE_WITH_PARENT, OPT_ROUTE,
	       OPT_NO_HOST_LOOPBACK };
	static const struct option longopts[] = {
		{ "default",		required_argument, NULL, 'd' },
		{ "allow",		required_argument, NULL, OPT_ALLOW },
		{ "isolate",		no_argument,	   NULL, OPT_ISOLATE },
		{ "view",		no_argument,	   NULL, OPT_VIEW },
		{ "wait",		no_argument,	   NULL, 'w' },
		{ "die-with-parent",	no_argument,	   NULL, OPT_DIE_WITH_PARENT },
		{ "allow-io-uring",	no_argument,	   NULL, OPT_ALLOW_IO_URING },
		{ "userspace",		no_argument,	   NULL, OPT_USERSPACE },
		{ "user-net",		no_argument,	   NULL, OPT_USER_NET },
		{ "publish",		required_argument, NULL, OPT_PUBLISH },
		{ "route",		required_argument, NULL, OPT_ROUTE },
		{ "disable-host-loopback", no_argument,	   NULL, OPT_NO_HOST_LOOPBACK },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ "log",		required_argument, NULL, OPT_LOG },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "version",		no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *stack;
	unsigned int mask;
	int c, i;

	memset(o, 0, sizeof(*o));
	o->self_argv = argv;
	o->self_argc = argc;
	optind = 0;		/* full reset: options_parse() may run twice */
	opterr = 0;
	for (;;) {
		/* the argument getopt_long() looks at: it moves optind past
		 * a long option, and past a cluster of short ones at its end */
		const char *cur = argv[optind ? optind : 1];

		c = getopt_long(argc, argv, "+:d:wvhV", longopts, NULL);
		if (c == -1)
			break;
		if ((c == '?' || c == ':') && cur && strncmp(cur, "--", 2) == 0) {
			options_long_error(cur, c, longopts);
			return -EINVAL;
		}
		switch (c) {
		case 'd':
			if (options_parse_default(optarg, &mask, &stack)) {
				err("--default %s: expected [FAMILY=]STACK with FAMILY one of inet, inet6, netlink, packet, ip",
				    optarg);
				return -EINVAL;
			}
			for (i = 0; i < FAM_COUNT; i++)
				if (mask & (1U << i))
					o->defaults[i] = stack;
			break;
		case 'w':
			o->wait = true;
			break;
		case OPT_DIE_WITH_PARENT:
			/* the supervisor ends with netsup: netsup waits for all */
			o->die_with_parent = o->wait = true;
			break;
		case OPT_ALLOW_IO_URING:
			o->allow_io_uring = true;
			break;
		case OPT_ALLOW:
			if (o->n_allow >= POLICY_MAX || !*optarg) {
				if (*optarg)
					err("--allow %s: too many stacks allowed (at most %d)",
					    optarg, POLICY_MAX);
				else
					err("--allow: an empty stack name");
				return -EINVAL;
			}
			o->allow[o->n_allow++] = optarg;
			break;
		case OPT_ISOLATE:
			o->isolate = true;
			break;
		case OPT_VIEW:
			o->view = true;
			break;
		case OPT_USERSPACE:
			o->userspace = true;
			break;
		case OPT_USER_NET:
			o->user_net = o->userspace = true;
			break;
		case OPT_PUBLISH: {
			struct publish p;

			if (o->n_publish >= USERNET_PUBLISH_MAX || publish_parse(optarg, &p) ||
			    (o->publish_ports += p.count) > PUBLISH_PORTS_MAX) {
				if (o->n_publish >= USERNET_PUBLISH_MAX)
					err("--publish %s: too many ports published (at most %d)",
					    optarg, USERNET_PUBLISH_MAX);
				else if (o->publish_ports > PUBLISH_PORTS_MAX)
					err("--publish %s: too many ports published (at most %d in all)",
					    optarg, PUBLISH_PORTS_MAX);
				else
					err("--publish %s: expected [IP:]HOSTPORT[-LAST]:PORT[-LAST][/tcp|/udp], an IPv4 address or [IPv6], ports 1 to 65535",
					    optarg);
				return -EINVAL;
			}
			o->publish[o->n_publish++] = optarg;
			break;
		}
		case OPT_NO_HOST_LOOPBACK:
			o->no_host_loopback = true;
			break;
		case OPT_ROUTE: {
			struct route rt;

			if (o->n_route >= ROUTE_MAX || route_parse(optarg, &rt, &stack)) {
				err("--route %s: %s", optarg, o->n_route >= ROUTE_MAX ?
				    "too many routes" :
				    "expected CIDR=STACK, CIDR an IPv4 or IPv6 network such as 10.8.0.0/16 (no bits set past its length)");
				return -EINVAL;
			}
			o->route[o->n_route++] = optarg;
			break;
		}
		case 'v':
			o->verbose++;
			break;
		case OPT_LOG:
			if (!*optarg) {
				err("--log: empty file name");
				return -EINVAL;
			}
			o->log_file = optarg;
			break;
		case 'h':
			return OPTIONS_HELP;
		case 'V':
			return OPTIONS_VERSION;
		case ':':
			err("option -%c needs an argument; see netsup --help", optopt);
			return -EINVAL;
		default:
			if (optopt > ' ' && optopt < 0x7f)
				err("unknown option -%c; see netsup --help", optopt);
			else
				err("unknown option %s; see netsup --help", cur ? cur : "?");
			return -EINVAL;
		}
	}
	if (optind >= argc) {
		err("no command given; see netsup --help");
		return -EINVAL;
	}
	if (o->n_publish && !o->user_net) {
		err("--publish needs --user-net");
		return -EINVAL;
	}
	if (o->no_host_loopback && !o->user_net) {
		err("--disable-host-loopback needs --user-net");
		return -EINVAL;
	}
	if (o->user_net && o->view) {
		err("--view shows a kernel stack (its /proc/net, /proc/sys/net, /sys): --user-net's stack is a userspace one, which has none; drop --view");
		return -EINVAL;
	}
	if (o->user_net && (o->defaults[FAM_INET] || o->defaults[FAM_INET6])) {
		err("--user-net gives inet and inet6 their stack: no --default for them");
		return -EINVAL;
	}
	o->argv = argv + optind;
	return OPTIONS_RUN;
}
