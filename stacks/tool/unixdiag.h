/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unixdiag.h - the system's UNIX sockets and their peers (sock_diag)
 */
#ifndef NETSUP_UNIXDIAG_H
#define NETSUP_UNIXDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One UNIX socket of this network namespace. */
struct unixdiag_sock {
	ino_t ino;		/* its inode, as "socket:[N]" shows it */
	ino_t peer;		/* the inode of its peer, or 0 */
	unsigned char state;	/* TCP_ESTABLISHED, TCP_LISTEN, ... */
	bool named;		/* bound to an address (accepted: the listener's) */
};

int unixdiag_dump(struct unixdiag_sock **out, size_t *n);

#endif /* NETSUP_UNIXDIAG_H */
