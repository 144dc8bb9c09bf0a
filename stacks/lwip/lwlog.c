// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lwlog.c - diagnostics of netsup-lwip: one line per message on stderr
 *
 * Every line starts with "netsup-lwip: ".  Errors and warnings are always
 * printed; -v adds one line per decision (a client, a socket, a link
 * event), -vv a trace of every request.  Lines are written with one
 * write(2) so that they do not mix with lwIP's own thread.
 *
 * Where they go: stderr, and the --log file too (lw_log_file()); a daemon
 * in the background without --log sends them to syslog(3) instead of
 * stderr (lw_log_syslog()), facility LOG_DAEMON, so that nothing is lost
 * once stderr is /dev/null.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#include "lw.h"

static int lw_level = LW_WARN;
static int lw_file = -1;	/* --log FILE, or -1 */
static bool lw_syslog;		/* stderr is gone: syslog(3) instead */
static bool lw_stderr = true;	/* stderr still reaches someone */

/*
 * lw_log_level() - set how much is printed
 * @level:	LW_WARN (default), LW_INFO (-v), LW_DEBUG (-vv)
 */
void lw_log_level(int level)
{
	lw_level = level;
}

/*
 * lw_log_file() - write every line to @fd too (--log FILE)
 * @fd:		the file, open for appending; kept until exit
 */
void lw_log_file(int fd)
{
	lw_file = fd;
}

/*
 * lw_log_detach() - stderr is /dev/null from now on (--daemon)
 *
 * Without a --log file, lines go to syslog(3) then: openlog() with
 * LOG_PID, facility LOG_DAEMON; the connection to /dev/log is made at
 * the first line.
 */
void lw_log_detach(void)
{
	lw_stderr = false;
	if (lw_file < 0) {
		openlog("netsup-lwip", LOG_PID, LOG_DAEMON);
		lw_syslog = true;
	}
}

/*
 * lw_log() - print one line if @level is enabled
 * @level:	LW_ERR .. LW_DEBUG
 * @fmt:	printf format, without the newline
 *
 * Control characters are printed as '?': nothing in a line can forge
 * another.  errno is preserved.
 */
void lw_log(int level, const char *fmt, ...)
{
	char line[1024];
	int saved = errno, n, i;
	va_list ap;

	if (level > lw_level)
		return;
	n = snprintf(line, sizeof(line), "netsup-lwip: ");
	va_start(ap, fmt);
	/* va_start() is right above: the analyzer cannot follow it */
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	for (i = n; line[i]; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	if (lw_syslog)
		syslog(level == LW_ERR ? LOG_ERR : level == LW_WARN ? LOG_WARNING :
		       level == LW_INFO ? LOG_INFO : LOG_DEBUG, "%s", line + n);
	line[i++] = '\n';
	if (lw_stderr && write(STDERR_FILENO, line, (size_t)i) < 0)
		errno = saved;
	if (lw_file >= 0 && write(lw_file, line, (size_t)i) < 0)
		errno = saved;
	errno = saved;
}
