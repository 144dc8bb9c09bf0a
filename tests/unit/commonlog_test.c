// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * commonlog_test - unit tests of the logger the three programs share
 * (common/log.c): the rate limit, and the escaping and destinations as
 * netsup-lwip and netsup-stack use them
 *
 * The rate limit is driven through log_ratelimit_at() with made-up
 * seconds, so that no case waits for a window to pass.  The sink's cases
 * say the program's name as netsup-lwip does (log_init()): what a client
 * or a user chose is escaped in their lines as in netsup's, where
 * netsup-lwip used to print '?' and netsup-stack nothing at all.  stderr
 * is redirected to a pipe to read what the sink wrote.  The last case
 * detaches stderr for good: it stays last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/log.h"
#include "unit.h"

static void burst_then_quiet(void)
{
	struct log_ratelimit rl = { 0 };
	unsigned int missed = 99;
	int i;

	for (i = 0; i < LOG_RATE_BURST; i++) {
		UNIT_EQ(log_ratelimit_at(&rl, 1000, &missed), 1);
		UNIT_EQ(missed, 0);
	}
	/* the rest of the window: left out, counted */
	UNIT_EQ(log_ratelimit_at(&rl, 1000, &missed), 0);
	UNIT_EQ(log_ratelimit_at(&rl, 1000 + LOG_RATE_INTERVAL_S - 1, &missed), 0);
	UNIT_EQ(rl.missed, 2);
}

static void next_window_says_how_many_were_missed(void)
{
	struct log_ratelimit rl = { 0 };
	unsigned int missed = 0;
	int i;

	for (i = 0; i < LOG_RATE_BURST + 7; i++)
		log_ratelimit_at(&rl, 50, &missed);
	UNIT_EQ(log_ratelimit_at(&rl, 50 + LOG_RATE_INTERVAL_S, &missed), 1);
	UNIT_EQ(missed, 7);
	/* said once: the next one printed has missed none */
	UNIT_EQ(log_ratelimit_at(&rl, 50 + LOG_RATE_INTERVAL_S, &missed), 1);
	UNIT_EQ(missed, 0);
}

static void limiters_are_independent(void)
{
	struct log_ratelimit a = { 0 }, b = { 0 };
	unsigned int missed;
	int i;

	for (i = 0; i < LOG_RATE_BURST; i++)
		log_ratelimit_at(&a, 7, &missed);
	UNIT_EQ(log_ratelimit_at(&a, 7, &missed), 0);
	UNIT_EQ(log_ratelimit_at(&b, 7, &missed), 1);
}

static void second_zero_is_a_second_like_any(void)
{
	struct log_ratelimit rl = { 0 };
	unsigned int missed;
	int i;

	/* a window that starts at second 0 must not look unstarted */
	for (i = 0; i < LOG_RATE_BURST; i++)
		UNIT_EQ(log_ratelimit_at(&rl, 0, &missed), 1);
	UNIT_EQ(log_ratelimit_at(&rl, 0, &missed), 0);
}

static void now_is_limited_too(void)
{
	struct log_ratelimit rl = { 0 };
	unsigned int missed;
	int i, printed = 0;

	for (i = 0; i < 3 * LOG_RATE_BURST; i++)
		printed += log_ratelimit(&rl, &missed);
	/* unless a window ends between two calls, which can happen once */
	UNIT_CHECK(printed == LOG_RATE_BURST || printed == 2 * LOG_RATE_BURST);
}

static void lwip_forged_name(void)
{
	log_init("netsup-lwip", 0);
	log_msg(LOG_WARN, "client %s: gone", "x\nnetsup-lwip: client connected\x1b]0;t\x07\\");
}

static void other_programs_escape_as_netsup(void)
{
	UNIT_STREQ(unit_capture_stderr(lwip_forged_name),
		   "netsup-lwip: client x\\x0anetsup-lwip: client connected"
		   "\\x1b]0;t\\x07\\\\: gone\n");
}

static void tool_error(void)
{
	log_init("netsup-stack", 0);
	log_msg(LOG_ERR, "%s: %s", "/dev/net/a\tb\xff", "no such file");
}

static void tool_errors_escaped(void)
{
	UNIT_STREQ(unit_capture_stderr(tool_error),
		   "netsup-stack: /dev/net/a\\x09b\\xff: no such file\n");
}

static void errno_kept(void)
{
	errno = EADDRINUSE;
	log_init("netsup-lwip", 0);
	log_set_level(LOG_DEBUG);
	unit_capture_stderr(tool_error);
	log_set_level(LOG_WARN);
	UNIT_EQ(errno, EADDRINUSE);
}

static int tmpfile_fd(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/netsup-unit-log-XXXXXX");
	fd = mkstemp(path);
	if (fd >= 0)
		fcntl(fd, F_SETFL, O_APPEND);
	return fd;
}

static const char *file_text(const char *path)
{
	static char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void lwip_line(void)
{
	log_msg(LOG_WARN, "link up");
}

static void file_without_timestamps(void)
{
	char path[64];
	int fd = tmpfile_fd(path, sizeof(path));

	if (!UNIT_CHECK(fd >= 0))
		return;
	log_init("netsup-lwip", 0);
	log_use_file(fd);
	UNIT_EQ(log_file_fd(), fd);
	UNIT_STREQ(unit_capture_stderr(lwip_line), "netsup-lwip: link up\n");
	log_close_file();
	UNIT_EQ(log_file_fd(), -1);
	UNIT_STREQ(file_text(path), "netsup-lwip: link up\n");
	unlink(path);
}

static void detached_with_a_file_writes_there_only(void)
{
	char path[64];
	int fd = tmpfile_fd(path, sizeof(path));

	if (!UNIT_CHECK(fd >= 0))
		return;
	log_init("netsup-lwip", 0);
	log_use_file(fd);
	log_detach();
	UNIT_STREQ(unit_capture_stderr(lwip_line), "");
	log_close_file();
	UNIT_STREQ(file_text(path), "netsup-lwip: link up\n");
	unlink(path);
}

static const struct unit_case cases[] = {
	{ "ratelimit: a burst, then left out and counted", burst_then_quiet },
	{ "ratelimit: the next window says how many were missed", next_window_says_how_many_were_missed },
	{ "ratelimit: one limiter per message", limiters_are_independent },
	{ "ratelimit: second 0 starts a window", second_zero_is_a_second_like_any },
	{ "ratelimit: on the real clock", now_is_limited_too },
	{ "sink: netsup-lwip's lines escaped as netsup's", other_programs_escape_as_netsup },
	{ "sink: netsup-stack's errors escaped", tool_errors_escaped },
	{ "sink: errno kept", errno_kept },
	{ "file: without timestamps when the program says so", file_without_timestamps },
	{ "detached: with a file, only the file", detached_with_a_file_writes_there_only },
};

UNIT_MAIN(cases)
