/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * view.h - --view: the command sees its stack in /proc/net, /proc/sys/net,
 * /sys and /etc, as under ip netns exec
 */
#ifndef NETSUP_VIEW_H
#define NETSUP_VIEW_H

#include <stddef.h>
#include <sys/types.h>

#include "../stacks/stack.h"

/* What the command's mount namespace is made to show. */
struct view {
	const struct stack *stack;	/* the stack shown: a network namespace */
	pid_t holder_pid;		/* a thread living in it, whose */
	pid_t holder_tid;		/* /proc/PID/task/TID/net is /proc/net */
};

int view_pick(struct stack *const defaults[FAM_COUNT], struct stack **out);
int view_etc_name(const char *path, char *buf, size_t len);
void view_hint(struct stack *const defaults[FAM_COUNT]);
int view_holder_start(const struct stack *s, pid_t *tid);
int view_enter(const struct view *v);

#endif /* NETSUP_VIEW_H */
