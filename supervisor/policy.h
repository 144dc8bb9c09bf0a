/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * policy.h - which stacks a supervised process may name in msocket()
 */
#ifndef NETSUP_POLICY_H
#define NETSUP_POLICY_H

#include <stdbool.h>
#include <sys/types.h>

#include "../stacks/stack.h"

#define POLICY_MAX	64

struct policy_id {
	dev_t dev;
	ino_t ino;
};

struct policy {
	bool restricted;			/* --allow given */
	size_t n_allowed;
	struct policy_id allowed[POLICY_MAX];	/* --allow and the defaults */
	size_t n_denied;
	struct policy_id denied[2];		/* init's and netsup's own */
};

int policy_init(struct policy *p);
int policy_allow(struct policy *p, const struct stack *s);
int policy_check(const struct policy *p, const struct stack *s);

#endif /* NETSUP_POLICY_H */
