/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * options.h - netsup's command line
 */
#ifndef NETSUP_OPTIONS_H
#define NETSUP_OPTIONS_H

#include <stdbool.h>

#include "policy.h"
#include "route.h"
#include "usernet.h"
#include "../stacks/stack.h"

struct options {
	const char *defaults[FAM_COUNT];	/* STACK of -d, per family */
	bool wait;			/* --wait */
	bool die_with_parent;		/* --die-with-parent */
	int verbose;			/* -v count */
	const char *log_file;		/* --log FILE, or NULL */
	bool allow_io_uring;		/* --allow-io-uring */
	bool userspace;			/* --userspace, or a userspace default */
	bool user_net;			/* --user-net */
	bool no_host_loopback;		/* --disable-host-loopback */
	const char *publish[USERNET_PUBLISH_MAX];	/* --publish */
	unsigned int publish_ports;	/* the ports of them all */
	int n_publish;
	bool isolate;			/* --isolate */
	bool view;			/* --view */
	const char *allow[POLICY_MAX];	/* --allow STACK */
	int n_allow;
	const char *route[ROUTE_MAX];	/* --route CIDR=STACK */
	int n_route;
	struct route_table *routes;	/* the rules, their stacks opened by main() */
	char **argv;			/* the command */
	char **self_argv;		/* netsup's own argv (supervisor's title) */
	int self_argc;
};

enum options_action {
	OPTIONS_RUN,
	OPTIONS_HELP,
	OPTIONS_VERSION,
};

int options_parse(int argc, char **argv, struct options *o);
int options_parse_default(const char *arg, unsigned int *mask, const char **stack);
void options_usage(void);

#endif /* NETSUP_OPTIONS_H */
