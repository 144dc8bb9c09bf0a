/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * procstat.h - the fields of /proc/PID/stat that netsup reads
 */
#ifndef NETSUP_PROCSTAT_H
#define NETSUP_PROCSTAT_H

#include <stdbool.h>
#include <sys/types.h>

struct procstat {
	char state;			/* field 3: R, S, Z, X, ... */
	long threads;			/* field 20 */
	unsigned long long start;	/* field 22: clock ticks after boot */
};

int procstat_parse(const char *buf, struct procstat *ps);
int procstat_read(pid_t pid, struct procstat *ps);

/* Dead, not reaped yet: a zombie (its namespaces are gone with it). */
static inline bool procstat_dead(const struct procstat *ps)
{
	return ps->state == 'Z' || ps->state == 'X' || ps->state == 'x';
}

#endif /* NETSUP_PROCSTAT_H */
