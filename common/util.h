/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * util.h - small helpers that netsup, netsup-stack, netsup-lwip and
 * libmsocket share
 */
#ifndef NETSUP_UTIL_H
#define NETSUP_UTIL_H

#include <unistd.h>

/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A descriptor closed when its variable goes out of scope (crun's
 * cleanup_close): for functions that own more than one, so that every
 * early return releases what was taken.  steal_fd() hands it on.
 */
static inline void cleanup_closep(const int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define cleanup_close	__attribute__((cleanup(cleanup_closep)))

/* Take the descriptor out of @fd (which becomes -1): the caller owns it. */
static inline int steal_fd(int *fd)
{
	int v = *fd;

	*fd = -1;
	return v;
}

#endif /* NETSUP_UTIL_H */
