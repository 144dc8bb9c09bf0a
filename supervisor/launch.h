/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * launch.h - start the command under the filter, and the supervisor
 */
#ifndef NETSUP_LAUNCH_H
#define NETSUP_LAUNCH_H

#include "options.h"
#include "policy.h"
#include "../stacks/stack.h"

#include <stdbool.h>

int launch_run(const struct options *o, struct stack *defaults[FAM_COUNT],
	       const struct policy *policy);
bool launch_is_nested(void);
int launch_check_nofile(void);
int launch_nested(const struct options *o, char *const paths[FAM_COUNT]);

#endif /* NETSUP_LAUNCH_H */
