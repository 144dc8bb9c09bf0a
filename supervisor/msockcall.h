/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * msockcall.h - msocket(2), system call -5 (msockcall.c)
 */
#ifndef NETSUP_MSOCKCALL_H
#define NETSUP_MSOCKCALL_H

#include "request.h"

void msockcall_handle(struct worker *w, struct notify_reply *r);

#endif /* NETSUP_MSOCKCALL_H */
