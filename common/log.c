// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - the diagnostics of netsup, netsup-lwip and netsup-stack
 *
 * One write(2) per line so that lines of concurrent threads (the
 * supervisor's, lwIP's) and of a background daemon never interleave
 * within a line.  errno is preserved: a message never changes what the
 * caller goes on to report.
 *
 * Messages carry what others control: the paths supervised processes
 * give to msocket(), names of their files, a daemon's description, a
 * user's stack names.  A path such as "x\nnetsup: [pid 1] ...\e[2K" would
 * forge a line, or send an escape sequence to the operator's terminal.
 * So every message is escaped here, at the sink, once, whatever its call
 * site: control characters (C0 and C1), DEL and bytes that are not valid
 * UTF-8 become \xNN, and a backslash becomes \\, so that an escaped
 * message reads back unambiguously.  Valid UTF-8 text (names in any
 * script) passes unchanged.
 *
 * Where lines go: stderr; with --log FILE, that file as well (after a
 * timestamp, for the programs that ask for it: netsup's foreground and
 * supervisor alike, so that the file outlives the terminal of a netsup
 * that has returned while a daemon goes on).  O_APPEND makes each line's
 * write(2) land at the end of the file.  These programs often run as
 * root, on a path a user may control: the file is opened with O_NOFOLLOW
 * (a symbolic link put there is refused, not followed to a file of
 * root's), must be a regular file or a FIFO owned by the caller's
 * effective user (no appending to another user's file, which that user
 * could read), and a FIFO is opened with O_NONBLOCK, so that one without
 * a reader fails at once (ENXIO) instead of blocking the program before
 * it starts; the flag is cleared afterwards.  A daemon whose stderr is
 * gone (--daemon) and that has no --log file writes to syslog(3)
 * instead (logsyslog.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* Longest message before escaping; an escaped byte takes up to 4. */
#define LOG_MSG_MAX	1024
#define LOG_LINE_MAX	(4 * LOG_MSG_MAX + 64)

static struct {
	const char *prog;	/* the first word of every line */
	unsigned int flags;	/* LOG_FILE_TIMESTAMPS */
	int level;		/* highest level printed */
	int file_fd;		/* --log FILE, or -1 */
	bool to_stderr;		/* stderr still reaches someone */
	bool to_syslog;		/* detached without a file: syslog(3) */
} log_state = { "netsup", LOG_FILE_TIMESTAMPS, LOG_WARN, -1, true, false };

/**
 * log_init() - the program's name, and how its --log file is written
 * @prog:	the first word of every line ("netsup-lwip"); a literal
 * @flags:	LOG_FILE_TIMESTAMPS, or 0
 *
 * Without it lines say "netsup", and the file's lines have timestamps.
 */
void log_init(const char *prog, unsigned int flags)
{
	log_state.prog = prog;
	log_state.flags = flags;
}

/**
 * log_set_level() - set the highest level printed
 * @level:	LOG_WARN by default, LOG_INFO with -v, LOG_DEBUG with -vv
 */
void log_set_level(int level)
{
	log_state.level = level;
}

/**
 * log_get_level() - the highest level printed
 *
 * Return: the level set by log_set_level()
 */
int log_get_level(void)
{
	return log_state.level;
}

/* Is the open @fd a file of the caller's, to append to?  Then blocking. */
static int log_file_check(int fd)
{
	struct stat st;
	int flags;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return -EINVAL;
	if (st.st_uid != geteuid())
		return -EPERM;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK))
		return -errno;
	return 0;
}

/**
 * log_open_file() - append every line to @path too, with a timestamp
 * @path:	the file; created with mode 0600 if it does not exist
 *
 * The descriptor is close-on-exec: the command never inherits it, the
 * supervisor (a fork) does.  tzset() is called here, once, so that the
 * timestamps of the threaded supervisor need no lock and no file.
 *
 * Return: 0, -ELOOP (@path is a symbolic link), -EPERM (owned by another
 *	   user), -EINVAL (neither a regular file nor a FIFO), -ENXIO (a
 *	   FIFO nobody reads), or another -errno of open(2)
 */
int log_open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY |
			    O_NOFOLLOW | O_NONBLOCK, 0600);
	int rc;

	if (fd < 0)
		return -errno;
	rc = log_file_check(fd);
	if (rc) {
		close(fd);
		return rc;
	}
	tzset();
	if (log_state.file_fd >= 0)
		close(log_state.file_fd);
	log_state.file_fd = fd;
	return 0;
}

/**
 * log_file_strerror() - why log_open_file() refused a file, in words
 * @error:	its -errno
 *
 * Return: a message
 */
const char *log_file_strerror(int error)
{
	switch (error) {
	case -ELOOP:	return "a symbolic link (refused, not followed)";
	case -EPERM:	return "owned by another user (refused)";
	case -EINVAL:	return "neither a regular file nor a FIFO";
	case -ENXIO:	return "a FIFO that nobody reads";
	default:	return strerror(-error);
	}
}

/**
 * log_use_file() - append every line to @fd too, as log_open_file() would
 * @fd:		a file opened for appending; the logger's from now on
 */
void log_use_file(int fd)
{
	if (log_state.file_fd >= 0 && log_state.file_fd != fd)
		close(log_state.file_fd);
	log_state.file_fd = fd;
}

/**
 * log_file_fd() - the descriptor of the --log file
 *
 * Return: it, or -1 without one (a daemon keeps it when it closes the rest)
 */
int log_file_fd(void)
{
	return log_state.file_fd;
}

/**
 * log_detach() - stderr is /dev/null from now on (a daemon's --daemon)
 *
 * Without a --log file, lines go to syslog(3) then, under the program's
 * name (log_syslog_open()).
 */
void log_detach(void)
{
	log_state.to_stderr = false;
	if (log_state.file_fd < 0) {
		log_syslog_open(log_state.prog);
		log_state.to_syslog = true;
	}
}

/**
 * log_close_file() - stop appending to the file of log_open_file()
 */
void log_close_file(void)
{
	if (log_state.file_fd >= 0)
		close(log_state.file_fd);
	log_state.file_fd = -1;
}

/*
 * Length of the valid UTF-8 sequence at @p (at most @len bytes) that
 * encodes a printable character, or 0: not UTF-8 (stray continuation,
 * overlong form, surrogate, beyond U+10FFFF, cut short) or a C1 control
 * (U+0080..U+009F), which some terminals obey as they obey ESC.
 */
static size_t log_utf8_len(const unsigned char *p, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;		/* overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;		/* beyond U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	if (p[0] == 0xc2 && p[1] <= 0x9f)
		return 0;		/* C1 control */
	return n;
}

/**
 * log_escape() - make text safe to print on a terminal or in a log file
 * @in:		the text, any bytes
 * @len:	its length
 * @out:	receives the escaped text, NUL-terminated
 * @size:	size of @out (at least 1)
 *
 * Control characters, DEL, bytes that are not part of valid UTF-8 and
 * each byte of a C1 control become \xNN (lower-case hex); a backslash
 * becomes \\.  If @out is too small the text is cut before the first
 * character that does not fit, never inside an escape or a character.
 *
 * Return: the length written, without the NUL
 */
size_t log_escape(const char *in, size_t len, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0, n;

	if (!size)
		return 0;
	while (i < len) {
		if (p[i] == '\\') {
			if (o + 2 >= size)
				break;
			out[o++] = '\\';
			out[o++] = '\\';
			i++;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			if (o + 1 >= size)
				break;
			out[o++] = (char)p[i++];
		} else if (p[i] >= 0x80 && (n = log_utf8_len(p + i, len - i))) {
			if (o + n >= size)
				break;
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
		} else {
			if (o + 4 >= size)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 0xf];
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

/* "2026-11-27T04:06:01.123+0100 ": the local time, with its offset. */
static size_t log_timestamp(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char zone[8];
	size_t n;

	if (clock_gettime(CLOCK_REALTIME, &ts) || !localtime_r(&ts.tv_sec, &tm))
		return 0;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n || !strftime(zone, sizeof(zone), "%z", &tm))
		return 0;
	n += (size_t)snprintf(buf + n, size - n, ".%03ld%s ",
			      ts.tv_nsec / 1000000, zone);
	return n < size ? n : 0;
}

static void log_put(int fd, const char *buf, size_t len)
{
	if (write(fd, buf, len) < 0) {
		/* nowhere left to report it */
	}
}

static void log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	char msg[LOG_MSG_MAX], line[LOG_LINE_MAX];
	size_t ts = 0, n, start;
	int len, saved = errno;

	/* callers va_start() @ap: the analyzer cannot follow it */
	len = vsnprintf(msg, sizeof(msg), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof(msg))
		len = sizeof(msg) - 1;

	if (log_state.file_fd >= 0 && (log_state.flags & LOG_FILE_TIMESTAMPS))
		ts = log_timestamp(line, sizeof(line));
	n = ts + (size_t)snprintf(line + ts, sizeof(line) - ts, "%s: ", log_state.prog);
	start = n;
	n += log_escape(msg, (size_t)len, line + n, sizeof(line) - n - 1);
	if (log_state.to_syslog)
		log_syslog_write(level, line + start);	/* NUL-terminated by log_escape() */
	line[n++] = '\n';

	if (log_state.to_stderr)
		log_put(STDERR_FILENO, line + ts, n - ts);
	if (log_state.file_fd >= 0)
		log_put(log_state.file_fd, line, n);
	errno = saved;
}

/**
 * log_msg() - print one line if @level is enabled
 * @level:	message level
 * @fmt:	printf format, without the trailing newline
 */
void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > log_state.level)
		return;
	va_start(ap, fmt);
	log_vwrite(level, fmt, ap);
	va_end(ap);
}

/**
 * log_vmsg() - log_msg() with a va_list, for a program's own wrappers
 * @level:	message level
 * @fmt:	printf format, without the trailing newline
 * @ap:		its arguments
 */
void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	if ((int)level > log_state.level)
		return;
	log_vwrite(level, fmt, ap);
}

/**
 * log_ratelimit_at() - may this occurrence of a message be printed, at @now?
 * @rl:		the message's limiter (zeroed at first)
 * @now:	the CLOCK_MONOTONIC second it happens
 * @missed:	receives how many were left out before this one
 *
 * Return: 1 to print it, 0 to leave it out
 */
int log_ratelimit_at(struct log_ratelimit *rl, long long now, unsigned int *missed)
{
	if (now - rl->window >= LOG_RATE_INTERVAL_S || !rl->window) {
		rl->window = now ? now : 1;
		rl->printed = 0;
	}
	if (rl->printed >= LOG_RATE_BURST) {
		rl->missed++;
		return 0;
	}
	rl->printed++;
	*missed = rl->missed;
	rl->missed = 0;
	return 1;
}

/**
 * log_ratelimit() - may this occurrence of a message be printed now?
 * @rl:		the message's limiter (zeroed at first)
 * @missed:	receives how many were left out before this one
 *
 * Return: 1 to print it, 0 to leave it out
 */
int log_ratelimit(struct log_ratelimit *rl, unsigned int *missed)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return log_ratelimit_at(rl, now.tv_sec, missed);
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
	log_vwrite(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(status);
}
