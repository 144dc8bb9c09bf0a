/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * uiface.h - the interfaces of a userspace stack: who may configure them,
 * and the interface ioctls its daemon answers
 */
#ifndef NETSUP_UIFACE_H
#define NETSUP_UIFACE_H

#include <stdbool.h>
#include <sys/types.h>

#include "creds.h"
#include "request.h"

bool uiface_net_admin(const struct stack *s, pid_t tid, const struct creds *c);
void uiface_ioctl(struct worker *w, struct stack *s, uid_t uid, struct notify_reply *r);

#endif /* NETSUP_UIFACE_H */
