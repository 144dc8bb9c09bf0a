/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * util.h - small helpers that netsup, netsup-stack, netsup-lwip and
 * libmsocket share
 */
#ifndef NETSUP_UTIL_H
#define NETSUP_UTIL_H

/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* NETSUP_UTIL_H */
