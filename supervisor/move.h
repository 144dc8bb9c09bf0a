/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * move.h - moving a socket to another stack at connect(), under its number
 */
#ifndef NETSUP_MOVE_H
#define NETSUP_MOVE_H

#include <stdbool.h>
#include <sys/socket.h>

#include "request.h"

/* An option to set, as the program set it (SO_RCVBUF: as asked, halved). */
struct move_set {
	int level, name;
	socklen_t len;
	unsigned char v[16];
};

bool move_call(struct worker *w, struct notify_reply *r);
bool move_opt_carried(int level, int name);
int move_opts_changed(struct worker *w, int fd, struct move_set *out, int max);

#endif /* NETSUP_MOVE_H */
