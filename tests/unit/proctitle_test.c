// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proctitle_test - unit tests of proctitle.c: what ps shows
 *
 * Each case forks, gives the child a title with proctitle_set() over
 * this program's own argv (and environment), and reads back
 * /proc/self/cmdline and /proc/self/comm, as ps and pgrep do.  No
 * privilege needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proctitle.h"
#include "unit.h"

static char **main_argv;

/* Read @path whole into @buf; return its length or -1. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - (size_t)len)) > 0)
		len += n;
	close(fd);
	return len;
}

/*
 * In a child: set @title, then check cmdline is exactly @title and a NUL,
 * comm is "netsup-sup", and the environment still reads.  Exit status:
 * 0 if so, else the step that failed.
 */
static int child_check(const char *title)
{
	char *path = getenv("PATH"), *copy = path ? strdup(path) : NULL;
	char buf[8192];
	ssize_t n;

	if (proctitle_set(main_argv, title, "netsup-sup"))
		return 1;
	n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	if (n != (ssize_t)strlen(title) + 1 || memcmp(buf, title, (size_t)n) != 0)
		return 2;
	n = slurp("/proc/self/comm", buf, sizeof(buf));
	if (n != 11 || memcmp(buf, "netsup-sup\n", 11) != 0)
		return 3;
	path = getenv("PATH");
	if (copy && (!path || strcmp(path, copy) != 0))
		return 4;
	free(copy);
	return 0;
}

static int run_child(const char *title)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (!pid)
		_exit(child_check(title));
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void short_title(void)
{
	/* shorter than argv: cmdline is the title alone, no trailing NULs */
	UNIT_EQ(run_child("netsup: x"), 0);
}

static void long_title(void)
{
	char title[160];

	/* longer than argv: it runs over the environment, which still reads */
	memset(title, 'x', sizeof(title) - 1);
	memcpy(title, "netsup: supervisor of pid 42 ", 29);
	title[sizeof(title) - 1] = '\0';
	if (!getenv("PATH"))
		setenv("PATH", "/usr/bin:/bin", 1);
	UNIT_EQ(run_child(title), 0);
}

static void no_argv(void)
{
	char *none[] = { NULL };

	UNIT_EQ(proctitle_set(none, "x", "x"), -EINVAL);
	UNIT_EQ(proctitle_set(NULL, "x", "x"), -EINVAL);
}

static const struct unit_case cases[] = {
	{ "proctitle: a short title, and comm", short_title },
	{ "proctitle: a title longer than argv keeps the environment", long_title },
	{ "proctitle: no argv is EINVAL", no_argv },
};

int main(int argc, char **argv)
{
	main_argv = argv;
	return unit_main(cases, UNIT_ARRAY_SIZE(cases), argc, argv);
}
