// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - diagnostics of netsup
 *
 * One write(2) per line so that lines of concurrent threads and of the
 * background supervisor never interleave within a line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int log_level = LOG_WARN;

/**
 * log_set_level() - set the highest level printed
 * @level:	LOG_WARN by default, LOG_INFO with -v, LOG_DEBUG with -vv
 */
void log_set_level(int level)
{
	log_level = level;
}

/**
 * log_get_level() - the highest level printed
 *
 * Return: the level set by log_set_level()
 */
int log_get_level(void)
{
	return log_level;
}

static void log_vwrite(const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf), "netsup: ");
	/* callers va_start() @ap: the analyzer cannot follow it */
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

/**
 * log_msg() - print one line if @level is enabled
 * @level:	message level
 * @fmt:	printf format, without the trailing newline
 */
void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > log_level)
		return;
	va_start(ap, fmt);
	log_vwrite(fmt, ap);
	va_end(ap);
}

/**
 * die() - print one line and exit: for start-up errors only
 * @status:	exit status
 * @fmt:	printf format, without the trailing newline
 */
void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap);
	va_end(ap);
	exit(status);
}
