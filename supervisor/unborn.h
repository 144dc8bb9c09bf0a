/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unborn.h - sockets of a userspace stack that wait, as kernel sockets,
 *	      for the first call that needs the stack
 */
#ifndef NETSUP_UNBORN_H
#define NETSUP_UNBORN_H

#include <stdbool.h>

#include "creds.h"
#include "request.h"

struct supervisor;
struct stack;
struct ucall_args;

int unborn_init(struct supervisor *sv);
void unborn_fini(struct supervisor *sv);
bool unborn_any(const struct supervisor *sv);
bool unborn_in_host(const struct supervisor *sv, uint64_t cookie);
struct stack *unborn_hold(struct worker *w, struct stack *s, const struct creds *c,
			  int domain, int type, int protocol);
struct stack *unborn_of(struct worker *w, int fd);
struct stack *unborn_kernel_default(struct worker *w, int fd);
struct stack *unborn_of_known(struct worker *w, uint64_t cookie, int domain, int type,
			      bool fresh);
void unborn_call(struct worker *w, const struct ucall_args *ca, int *cfdp,
		 struct notify_reply *r);
void unborn_undecoded(struct worker *w, struct notify_reply *r);
bool unborn_option_kernel(const struct ucall_args *ca);

#endif /* NETSUP_UNBORN_H */
