/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ucall.h - the calls of a child on sockets of userspace stacks
 */
#ifndef NETSUP_UCALL_H
#define NETSUP_UCALL_H

#include "creds.h"
#include "request.h"

void ucall_socket(struct worker *w, struct stack *s, const struct creds *c,
		  int domain, int type, int protocol, struct notify_reply *r);
void ucall_handle(struct worker *w, struct notify_reply *r);
bool ucall_option_forwarded(int level, int name);

#endif /* NETSUP_UCALL_H */
