/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * move.h - moving a socket to another stack at connect(), under its number
 */
#ifndef NETSUP_MOVE_H
#define NETSUP_MOVE_H

#include <stdbool.h>

#include "request.h"

bool move_call(struct worker *w, struct notify_reply *r);

#endif /* NETSUP_MOVE_H */
