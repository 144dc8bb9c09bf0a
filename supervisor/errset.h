/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * errset.h - the errnos a child may receive, where answers leave netsup
 */
#ifndef NETSUP_ERRSET_H
#define NETSUP_ERRSET_H

/* Which documented set an answer's errno must belong to. */
enum errset {
	ERRSET_CALL,	/* a forwarded call: its own errnos, as the daemon said */
	ERRSET_SOCKET,	/* socket(2), msocket(3): the set msocket(3) lists */
};

int errset_filter(enum errset set, int error);

#endif /* NETSUP_ERRSET_H */
