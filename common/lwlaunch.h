/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lwlaunch.h - start netsup-lwip and know when it serves its stack
 */
#ifndef NETSUP_LWLAUNCH_H
#define NETSUP_LWLAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define LWLAUNCH_DAEMON	"netsup-lwip"

struct lwlaunch {
	const char *const *argv;	/* the daemon's options and stack file,
					 * without argv[0] and --ready-fd */
	bool bound;		/* it ends with the calling thread (PDEATHSIG) */
	bool quiet;		/* its stderr goes to /dev/null */
	int ms;			/* how long it may take to start; -1: no bound */
	const char *who;	/* "netsup", "netsup-stack": for exec's failure */
};

void lwlaunch_path(char *buf, size_t len);
int lwlaunch_start(const struct lwlaunch *l, pid_t *pid, int *pidfd);

#endif /* NETSUP_LWLAUNCH_H */
