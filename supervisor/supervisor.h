/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * supervisor.h - the process that serves the command's notifications
 */
#ifndef NETSUP_SUPERVISOR_H
#define NETSUP_SUPERVISOR_H

#include <stdbool.h>
#include <linux/seccomp.h>

#include "policy.h"
#include "proc.h"
#include "../stacks/stack.h"

struct supervisor {
	int listener;		/* seccomp user-notification fd */
	int parent_pidfd;	/* the netsup waiting for the command, or -1 */
	bool sync_wakeup;	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */
	bool stop;		/* atomic: the handling threads end */
	int stop_fd;		/* eventfd: a handling thread ended */
	int mounts_fd;		/* /proc/self/mountinfo, for removed stacks */
	struct seccomp_notif_sizes sizes;
	struct proctab procs;	/* default stacks, per process */
	struct credcache cache;	/* credentials, per thread */
	struct policy policy;	/* stacks msocket() may name */
};

int supervisor_run(struct supervisor *sv);

#endif /* NETSUP_SUPERVISOR_H */
