// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lwlog.c - diagnostics of netsup-lwip: one line per message on stderr
 *
 * Every line starts with "netsup-lwip: ".  Errors and warnings are always
 * printed; -v adds one line per decision (a client, a socket, a link
 * event), -vv a trace of every request.  Lines are written with one
 * write(2) so that they do not mix with lwIP's own thread.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "lw.h"

static int lw_level = LW_WARN;

/*
 * lw_log_level() - set how much is printed
 * @level:	LW_WARN (default), LW_INFO (-v), LW_DEBUG (-vv)
 */
void lw_log_level(int level)
{
	lw_level = level;
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
	line[i++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)i) < 0)
		errno = saved;
	errno = saved;
}
