// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - netsup: run a command with its sockets in chosen stacks
 *
 * Parses the options, opens the --log file and checks every stack before
 * anything starts (a bad stack is exit 125 with nothing run), launches.  Inside a
 * netsup session it only sets its defaults and execs (launch_nested()).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/capability.h>

#include "launch.h"
#include "log.h"
#include "options.h"
#include "../stacks/stack.h"
#include "../stacks/userstack.h"

#ifndef NETSUP_VERSION
#define NETSUP_VERSION "0"
#endif

#define EXIT_NETSUP	125

/* Resolve the stack name @spec into @path, or die naming it. */
static void main_resolve(const char *spec, char *path, size_t len)
{
	int rc = stack_resolve_name(spec, path, len);
	char own[PATH_MAX];

	if (rc == -ENOENT && !userstack_dir(own, sizeof(own)))
		die(EXIT_NETSUP, "%s: no such stack (neither /dev/net/%s nor /run/netns/%s nor %s/%s exists)",
		    spec, spec, spec, own, spec);
	if (rc == -ENOENT)
		die(EXIT_NETSUP, "%s: no such stack (neither /dev/net/%s nor /run/netns/%s exists)",
		    spec, spec, spec);
	if (rc == -ESTALE)
		die(EXIT_NETSUP, "%s: its holder process is gone, the namespace with it (netsup-stack del %s removes the name)",
		    path, spec);
	if (rc)
		die(EXIT_NETSUP, "%s: invalid stack name: %s", spec, strerror(-rc));
	if (stack_name_shadowed(spec))
		warn("%s is two stacks: %s, used here, and /run/netns/%s, which ip netns exec %s uses",
		     spec, path, spec, spec);
}

/* Has netsup no CAP_SYS_ADMIN, so that it can enter no namespace? */
static bool main_unprivileged(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps) {
		cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	return v != CAP_SET;
}

/* Open the stack @spec names, or die with one line naming it. */
static struct stack *main_open_stack(const char *spec)
{
	char path[PATH_MAX];
	struct stack *s;
	int rc;

	main_resolve(spec, path, sizeof(path));
	rc = stack_open(path, &s);
	if (rc)
		die(EXIT_NETSUP, "%s: %s", path, stack_strerror(rc));
	rc = stack_check_enter(s);
	/* a stack of a user namespace the user owns: netsup and the command join it */
	if (rc == -EPERM && main_unprivileged() && stack_join_owner(s) > 0) {
		info("%s: joined the user namespace that owns it: the command runs there", path);
		rc = stack_check_enter(s);
	}
	if (rc == -EPERM && main_unprivileged())
		die(EXIT_NETSUP, "%s: cannot enter the network namespace: %s (netsup runs without privilege: it serves userspace stacks such as --user-net or netsup-lwip, and the namespaces of a user namespace it runs in, e.g. under unshare -Urn; for this stack run it with sudo)",
		    path, strerror(-rc));
	if (rc)
		die(EXIT_NETSUP, "%s: cannot enter the network namespace: %s",
		    path, strerror(-rc));
	return s;
}

/* Open the stacks of --route and make its table, or die naming the rule. */
static void main_routes(struct options *o, struct route_table *t)
{
	const char *spec;
	struct route rt;
	int i, rc;

	for (i = 0; i < o->n_route; i++) {
		if (route_parse(o->route[i], &rt, &spec))
			die(EXIT_NETSUP, "--route %s: expected CIDR=STACK", o->route[i]);
		rt.s = main_open_stack(spec);
		if (!stack_served_here(rt.s))
			die(EXIT_NETSUP, "--route %s: %s is a userspace stack: a route goes to a network namespace",
			    o->route[i], rt.s->path);
		rc = route_add(t, &rt);
		if (rc)
			die(EXIT_NETSUP, "--route %s: %s", o->route[i], rc == -EEXIST ?
			    "that network has a route already" : strerror(-rc));
		info("route: %s", o->route[i]);
	}
	o->routes = t;
}

/*
 * main_netlink_follows() - netlink goes where inet goes, if that is a
 * userspace stack and no --default named netlink's own stack: ip addr
 * then shows the stack the program uses (netsup(1), "-d").  A kernel
 * stack's netlink is the one netsup runs in unless given, as before.
 * @defaults:	the stack of each family, netlink's filled in
 */
static void main_netlink_follows(struct stack *defaults[FAM_COUNT])
{
	struct stack *s = defaults[FAM_INET] ? defaults[FAM_INET] : defaults[FAM_INET6];

	if (defaults[FAM_NETLINK] || !s || !stack_netlink_follows(s) ||
	    !(s->families & (1U << FAM_NETLINK)))
		return;
	defaults[FAM_NETLINK] = stack_get(s);
	info("%s: %s (as inet)", stack_family_name(FAM_NETLINK), s->path);
}

int main(int argc, char **argv)
{
	static struct route_table routes;
	struct stack *defaults[FAM_COUNT] = { NULL };
	struct policy policy;
	struct options o;
	int i, j, rc;

	rc = options_parse(argc, argv, &o);
	if (rc < 0)
		return EXIT_NETSUP;
	if (rc == OPTIONS_HELP) {
		options_usage();
		return 0;
	}
	if (rc == OPTIONS_VERSION) {
		printf("netsup %s\n", NETSUP_VERSION);
		return 0;
	}
	log_set_level(LOG_WARN + o.verbose);
	/* before anything starts: the supervisor inherits it */
	if (o.log_file && (rc = log_open_file(o.log_file)))
		die(EXIT_NETSUP, "--log %s: %s", o.log_file, log_file_strerror(rc));

	if (launch_is_nested() && o.n_route)
		die(EXIT_NETSUP, "--route: not inside a netsup session (the outer netsup would have to move the sockets)");
	if (launch_is_nested()) {
		static char paths[FAM_COUNT][PATH_MAX];
		char *p[FAM_COUNT] = { NULL };

		for (i = 0; i < FAM_COUNT; i++) {
			if (!o.defaults[i])
				continue;
			main_resolve(o.defaults[i], paths[i], sizeof(paths[i]));
			p[i] = paths[i];
		}
		return launch_nested(&o, p);
	}

	for (i = 0; i < FAM_COUNT; i++) {
		if (!o.defaults[i])
			continue;
		/* One stack object for the families that name the same STACK. */
		for (j = 0; j < i; j++)
			if (o.defaults[j] && !strcmp(o.defaults[j], o.defaults[i]))
				break;
		defaults[i] = j < i ? stack_get(defaults[j])
				    : main_open_stack(o.defaults[i]);
		if (!(defaults[i]->families & (1U << i))) {
			/* a userspace stack serves inet, inet6 and (version 2) netlink */
			info("%s: %s does not serve it: the command's own namespace does",
			     stack_family_name(i), defaults[i]->path);
			stack_put(defaults[i]);
			defaults[i] = NULL;
			continue;
		}
		if (stack_served_by_daemon(defaults[i]))
			o.userspace = true;
		info("%s: %s", stack_family_name(i), defaults[i]->path);
	}
	main_netlink_follows(defaults);

	rc = policy_init(&policy);
	if (rc)
		die(EXIT_NETSUP, "cannot read the namespaces of init and netsup: %s",
		    strerror(-rc));
	for (i = 0; i < FAM_COUNT; i++)
		if (defaults[i] && (rc = policy_allow(&policy, defaults[i])))
			die(EXIT_NETSUP, "%s: %s", defaults[i]->path, strerror(-rc));
	for (i = 0; i < o.n_allow; i++) {
		struct stack *s = main_open_stack(o.allow[i]);

		rc = policy_allow(&policy, s);
		if (rc)
			die(EXIT_NETSUP, "--allow %s: %s", o.allow[i], strerror(-rc));
		info("allowed: %s", s->path);
		stack_put(s);
	}
	policy.restricted = o.n_allow > 0;
	main_routes(&o, &routes);

	rc = launch_check_nofile() ? EXIT_NETSUP : launch_run(&o, defaults, &policy);
	for (i = 0; i < FAM_COUNT; i++)
		stack_put(defaults[i]);
	route_table_free(&routes);
	return rc;
}
