/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * create.h - a socket made in a stack for the caller of a notification
 */
#ifndef NETSUP_CREATE_H
#define NETSUP_CREATE_H

#include "request.h"

bool create_needs_helper(const struct stack *s, const struct creds *c);
void create_socket(struct worker *w, struct stack *s, const struct creds *c,
		   int domain, int type, int protocol, struct notify_reply *r);
void create_log(struct worker *w, const struct creds *c, const char *call,
		int domain, int type, const struct stack *s, const struct notify_reply *r);

#endif /* NETSUP_CREATE_H */
