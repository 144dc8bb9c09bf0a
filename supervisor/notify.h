/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * notify.h - what the handlers of notifications share (notify.c, ucall*.c)
 */
#ifndef NETSUP_NOTIFY_H
#define NETSUP_NOTIFY_H

#include "request.h"

/* notify.c: the loop's dispatch of a notification */
#endif /* NETSUP_NOTIFY_H */
