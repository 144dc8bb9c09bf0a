// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * logsyslog.c - the syslog(3) sink of the common logger (log.c)
 *
 * In a file of its own: <syslog.h> defines LOG_ERR, LOG_INFO and
 * LOG_DEBUG as macros, which are log.h's level names.  The levels are
 * passed as numbers, in log.h's order: error, warning, info, debug.
 */
#include <syslog.h>

void log_syslog_open(const char *ident);
void log_syslog_write(int level, const char *msg);

/**
 * log_syslog_open() - lines go to syslog(3) from now on
 * @ident:	the program's name
 *
 * openlog() with LOG_PID, facility LOG_DAEMON; the connection to
 * /dev/log is made at the first line.
 */
void log_syslog_open(const char *ident)
{
	openlog(ident, LOG_PID, LOG_DAEMON);
}

/**
 * log_syslog_write() - one line to syslog(3)
 * @level:	0 error, 1 warning, 2 info, 3 debug (enum log_level)
 * @msg:	the message, escaped, without the program's name
 */
void log_syslog_write(int level, const char *msg)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

	syslog(prio[level < 0 ? 0 : level > 3 ? 3 : level], "%s", msg);
}
