/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * log.h - diagnostics of netsup: the common logger (common/log.h), and
 * the short names netsup's files use
 *
 * Every line starts with "netsup: " (and "[pid N] " for messages about a
 * supervised process, see log_pid()).  err/warn are always printed, info
 * and debug only with -v (log_level >= LOG_INFO / LOG_DEBUG).  Messages
 * are escaped where they are written (log_escape()): call sites pass what
 * children control as it is.  With --log FILE, lines go to FILE as well,
 * after a timestamp.
 */
#ifndef NETSUP_LOG_H
#define NETSUP_LOG_H

#include "../common/log.h"

#define err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

/* Messages about one supervised process carry its pid. */
#define log_pid(level, pid, fmt, ...) \
	log_msg(level, "[pid %d] " fmt, (int)(pid), ##__VA_ARGS__)

#endif /* NETSUP_LOG_H */
