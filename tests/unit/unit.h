/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * unit.h - a tiny runner for netsup's unit tests
 *
 * A unit test program is a table of cases, each a function that checks
 * with UNIT_CHECK() and friends.  unit_main() runs every case (or those
 * named on the command line), prints TAP ("ok N name" / "not ok N name"
 * with the failed checks as comments) and exits 1 if any case failed.
 * No root, no namespaces: what the cases need, they make themselves.
 */
#ifndef NETSUP_UNIT_H
#define NETSUP_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct unit_case {
	const char *name;
	void (*fn)(void);
};

/* failed checks of the case that runs */
static int unit_failed;

/* Record one check; print it if it failed. */
static inline bool unit_check(bool ok, const char *file, int line, const char *what)
{
	if (!ok) {
		printf("# %s:%d: failed: %s\n", file, line, what);
		unit_failed++;
	}
	return ok;
}

#define UNIT_CHECK(cond) unit_check((cond), __FILE__, __LINE__, #cond)

/* Integers: prints both values when they differ. */
#define UNIT_EQ(a, b) do {							\
	long long a_ = (long long)(a), b_ = (long long)(b);			\
	if (!unit_check(a_ == b_, __FILE__, __LINE__, #a " == " #b))		\
		printf("#   %lld != %lld\n", a_, b_);				\
} while (0)

/* Strings: prints both when they differ. */
#define UNIT_STREQ(a, b) do {							\
	const char *a_ = (a), *b_ = (b);					\
	if (!unit_check(a_ && b_ && !strcmp(a_, b_), __FILE__, __LINE__,	\
			#a " == " #b))						\
		printf("#   \"%s\" != \"%s\"\n", a_ ? a_ : "(null)",		\
		       b_ ? b_ : "(null)");					\
} while (0)

#define UNIT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Run @fn with stderr on a pipe; what it wrote (a static buffer). */
static inline const char *unit_capture_stderr(void (*fn)(void))
{
	static char buf[16384];
	int p[2], saved;
	ssize_t n;

	buf[0] = '\0';
	if (pipe(p))
		return buf;
	saved = dup(STDERR_FILENO);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	return buf;
}

/* Run the cases of @cases (all, or those named in @argv). */
static inline int unit_main(const struct unit_case *cases, size_t n,
			    int argc, char **argv)
{
	int failed = 0, run = 0;
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		bool wanted = argc < 2;

		for (j = 1; j < argc; j++)
			wanted |= !strcmp(argv[j], cases[i].name);
		if (wanted)
			run++;
	}
	printf("1..%d\n", run);
	run = 0;
	for (i = 0; i < n; i++) {
		bool wanted = argc < 2;

		for (j = 1; j < argc; j++)
			wanted |= !strcmp(argv[j], cases[i].name);
		if (!wanted)
			continue;
		unit_failed = 0;
		fflush(stdout);
		cases[i].fn();
		printf("%sok %d %s\n", unit_failed ? "not " : "", ++run, cases[i].name);
		fflush(stdout);
		failed += unit_failed > 0;
	}
	return failed ? 1 : 0;
}

#define UNIT_MAIN(cases)						\
int main(int argc, char **argv)						\
{									\
	return unit_main(cases, UNIT_ARRAY_SIZE(cases), argc, argv);	\
}

#endif /* NETSUP_UNIT_H */
