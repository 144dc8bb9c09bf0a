// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log_test - unit tests of the logger (common/log.c) as netsup uses it:
 * the escaping at the sink, levels, --log
 *
 * Every message netsup prints may hold what a supervised process chose (a
 * path, a name): log_escape() must leave no control character, no DEL,
 * no invalid UTF-8 and no ambiguous backslash, and the sink must apply it
 * to every line.  stderr is redirected to a pipe to read what the sink
 * wrote.  No privilege needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "unit.h"

/* log_escape() of @len bytes of @in, into a static buffer */
static const char *escaped(const char *in, size_t len)
{
	static char out[1024];

	log_escape(in, len, out, sizeof(out));
	return out;
}

#define ESC(s)	escaped((s), sizeof(s) - 1)

static void plain_text_unchanged(void)
{
	UNIT_STREQ(ESC("socket(inet, stream): /run/netns/red: created"),
		   "socket(inet, stream): /run/netns/red: created");
	UNIT_STREQ(ESC(""), "");
	UNIT_STREQ(ESC("~ !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}"),
		   "~ !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}");
}

static void controls_and_del_escaped(void)
{
	UNIT_STREQ(ESC("a\nb"), "a\\x0ab");
	UNIT_STREQ(ESC("\r\t\v\f\b\a"), "\\x0d\\x09\\x0b\\x0c\\x08\\x07");
	UNIT_STREQ(ESC("\x1b[2K"), "\\x1b[2K");
	UNIT_STREQ(ESC("\x7f"), "\\x7f");
	UNIT_STREQ(ESC("\x01\x1f"), "\\x01\\x1f");
	/* a NUL inside the text is a byte like any other */
	UNIT_STREQ(ESC("a\0b"), "a\\x00b");
}

static void backslash_escaped(void)
{
	UNIT_STREQ(ESC("a\\b"), "a\\\\b");
	/* a name that looks like an escape reads back as itself */
	UNIT_STREQ(ESC("\\x0a"), "\\\\x0a");
}

static void valid_utf8_kept(void)
{
	UNIT_STREQ(ESC("caf\xc3\xa9"), "caf\xc3\xa9");			/* é */
	UNIT_STREQ(ESC("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac");	/* 日本 */
	UNIT_STREQ(ESC("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");	/* U+1F600 */
	UNIT_STREQ(ESC("\xc2\xa0"), "\xc2\xa0");			/* U+00A0 */
	UNIT_STREQ(ESC("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
}

static void invalid_utf8_and_c1_escaped(void)
{
	UNIT_STREQ(ESC("\x80"), "\\x80");				/* stray continuation */
	UNIT_STREQ(ESC("\xff\xfe"), "\\xff\\xfe");
	UNIT_STREQ(ESC("\xc0\xaf"), "\\xc0\\xaf");			/* overlong '/' */
	UNIT_STREQ(ESC("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");		/* overlong */
	UNIT_STREQ(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");		/* surrogate */
	UNIT_STREQ(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");	/* > U+10FFFF */
	UNIT_STREQ(ESC("a\xe6\x97"), "a\\xe6\\x97");			/* cut short */
	UNIT_STREQ(ESC("\xe6\x97x"), "\\xe6\\x97x");
	/* C1 controls: U+009B is CSI to some terminals */
	UNIT_STREQ(ESC("\xc2\x9b" "2K"), "\\xc2\\x9b2K");
	UNIT_STREQ(ESC("\xc2\x85"), "\\xc2\\x85");			/* NEL */
}

static void short_buffer_cut_at_a_boundary(void)
{
	char out[8];

	/* "\x0a" is 4 bytes: a second one does not fit in 8 with the NUL */
	UNIT_EQ(log_escape("\n\n", 2, out, sizeof(out)), 4);
	UNIT_STREQ(out, "\\x0a");
	UNIT_EQ(log_escape("abcdef\xc3\xa9", 8, out, sizeof(out)), 6);
	UNIT_STREQ(out, "abcdef");
	UNIT_EQ(log_escape("abcdefgh", 8, out, sizeof(out)), 7);
	UNIT_STREQ(out, "abcdefg");
	UNIT_EQ(log_escape("ab\\", 3, out, 4), 2);
	UNIT_STREQ(out, "ab");
	UNIT_EQ(log_escape("x", 1, out, 1), 0);
	UNIT_STREQ(out, "");
}

static void log_forged_path(void)
{
	log_pid(LOG_ERR, 42, "msocket(inet, dgram): %s: created",
		"/tmp/x\nnetsup: [pid 1] socket(inet, stream): trusted: created\x1b[2K");
}

static void sink_escapes_every_line(void)
{
	UNIT_STREQ(unit_capture_stderr(log_forged_path),
		   "netsup: [pid 42] msocket(inet, dgram): /tmp/x\\x0anetsup: [pid 1] "
		   "socket(inet, stream): trusted: created\\x1b[2K: created\n");
}

static void log_long(void)
{
	char big[3000];

	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err("%s", big);
}

static void long_message_stays_one_line(void)
{
	const char *out = unit_capture_stderr(log_long);

	UNIT_CHECK(!strncmp(out, "netsup: \\x0a", 12));
	UNIT_EQ(strchr(out, '\n') - out, strlen(out) - 1);
}

static void log_levels(void)
{
	log_set_level(LOG_WARN);
	info("not shown");
	warn("shown %d", 1);
	log_set_level(LOG_INFO);
	info("shown %d", 2);
	debug("not shown");
	log_set_level(LOG_WARN);
}

static void levels_filter(void)
{
	UNIT_STREQ(unit_capture_stderr(log_levels), "netsup: shown 1\nnetsup: shown 2\n");
}

static void log_to_file(void)
{
	err("to the file \x1b");
}

static void log_file_appends_with_timestamps(void)
{
	char dir[] = "/tmp/netsup-unit-XXXXXX", path[64], buf[512];
	regex_t re;
	struct stat st;
	mode_t old;
	ssize_t n;
	int fd;

	if (!UNIT_CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(path, sizeof(path), "%s/log", dir);
	old = umask(0);
	UNIT_EQ(log_open_file(path), 0);
	umask(old);
	UNIT_CHECK(!stat(path, &st) && (st.st_mode & 07777) == 0600);
	/* stderr gets the line as before, the file a timestamp in front */
	UNIT_STREQ(unit_capture_stderr(log_to_file), "netsup: to the file \\x1b\n");
	log_close_file();
	UNIT_EQ(log_open_file(path), 0);	/* appends, never truncates */
	unit_capture_stderr(log_to_file);
	log_close_file();

	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	regcomp(&re, "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}"
		"[+-][0-9]{4} netsup: to the file \\\\x1b\n){2}$", REG_EXTENDED);
	if (!UNIT_CHECK(!regexec(&re, buf, 0, NULL, 0)))
		printf("#   file: %s", buf);
	regfree(&re);

	/* a file that cannot be opened is an error, and nothing changes */
	UNIT_EQ(log_open_file("/nonexistent/dir/log"), -ENOENT);
	unlink(path);
	rmdir(dir);
}

static const struct unit_case cases[] = {
	{ "escape: plain text unchanged", plain_text_unchanged },
	{ "escape: control characters and DEL as \\xNN", controls_and_del_escaped },
	{ "escape: backslash doubled", backslash_escaped },
	{ "escape: valid UTF-8 kept", valid_utf8_kept },
	{ "escape: invalid UTF-8 and C1 controls as \\xNN", invalid_utf8_and_c1_escaped },
	{ "escape: a short buffer is cut between characters", short_buffer_cut_at_a_boundary },
	{ "sink: a forged path stays on its line, without ESC", sink_escapes_every_line },
	{ "sink: a long message is cut, one line", long_message_stays_one_line },
	{ "sink: levels filter", levels_filter },
	{ "--log: 0600, appended, timestamped", log_file_appends_with_timestamps },
};

UNIT_MAIN(cases)
