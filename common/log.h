/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * log.h - the diagnostics of netsup, netsup-lwip and netsup-stack: one
 * line per message, "PROG: MESSAGE"
 *
 * err/warn are always printed, info and debug only when the level says
 * so (-v, -vv).  Messages are escaped where they are written
 * (log_escape()): call sites pass what children, daemons and users
 * control as it is.  Lines go to stderr, and to a --log FILE as well
 * (log_open_file()); a daemon gone to the background sends them to
 * syslog(3) instead of stderr (log_detach()).  A message that others can
 * make a program print at will is rate limited (log_ratelimit()).
 *
 * Each program says its name once, at the start (log_init()); without
 * that, lines say "netsup".  The short names (err(), warn(), ...) are
 * each program's: supervisor/log.h, stacks/lwip/lw.h.
 */
#ifndef NETSUP_COMMON_LOG_H
#define NETSUP_COMMON_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,	/* -v: one line per decision */
	LOG_DEBUG,	/* -vv: trace */
};

/* log_init() flags */
#define LOG_FILE_TIMESTAMPS	0x1	/* lines in the --log file start with the time */

void log_init(const char *prog, unsigned int flags);
void log_set_level(int level);
int log_get_level(void);
int log_open_file(const char *path);
const char *log_file_strerror(int error);
void log_use_file(int fd);
int log_file_fd(void);
void log_close_file(void);
void log_detach(void);
size_t log_escape(const char *in, size_t len, char *out, size_t size);
void log_vmsg(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* die() - start-up only: print and exit with @status */
void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/*
 * A message that a child or a daemon can make a program print at will is
 * printed at most LOG_RATE_BURST times per LOG_RATE_INTERVAL_S seconds;
 * the next one printed says how many were left out.  One limiter per
 * message, used by one thread.
 */
#define LOG_RATE_BURST		5
#define LOG_RATE_INTERVAL_S	10

struct log_ratelimit {
	long long window;	/* CLOCK_MONOTONIC second its window started */
	unsigned int printed;	/* in the window */
	unsigned int missed;	/* left out since the last printed */
};

int log_ratelimit(struct log_ratelimit *rl, unsigned int *missed);
int log_ratelimit_at(struct log_ratelimit *rl, long long now, unsigned int *missed);

/* logsyslog.c: the syslog(3) sink, apart because <syslog.h> names LOG_ERR too */
void log_syslog_open(const char *ident);
void log_syslog_write(int level, const char *msg);

#endif /* NETSUP_COMMON_LOG_H */
