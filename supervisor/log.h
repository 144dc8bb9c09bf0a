/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * log.h - diagnostics of netsup: one line per message on stderr
 *
 * Every line starts with "netsup: " (and "[pid N] " for messages about a
 * supervised process, see log_pid()).  err/warn are always printed, info
 * and debug only with -v (log_level >= LOG_INFO / LOG_DEBUG).  Messages
 * are escaped where they are written (log_escape()): call sites pass what
 * children control as it is.  With --log FILE, lines go to FILE as well.
 */
#ifndef NETSUP_LOG_H
#define NETSUP_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,	/* -v: one line per decision */
	LOG_DEBUG,	/* -vv: trace */
};

void log_set_level(int level);
int log_get_level(void);
int log_open_file(const char *path);
const char *log_file_strerror(int error);
void log_close_file(void);
size_t log_escape(const char *in, size_t len, char *out, size_t size);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A message that a child or a daemon can make netsup print at will is
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

#define err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

/* Messages about one supervised process carry its pid. */
#define log_pid(level, pid, fmt, ...) \
	log_msg(level, "[pid %d] " fmt, (int)(pid), ##__VA_ARGS__)

/* die() - start-up only: print and exit with @status (125 for netsup errors) */
void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

#endif /* NETSUP_LOG_H */
