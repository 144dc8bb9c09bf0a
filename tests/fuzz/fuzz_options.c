// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_options - libFuzzer target: netsup's command line
 *
 * The input is split at NUL bytes into an argument vector (at most 64),
 * which options_parse() must take without crashing, and whose --default
 * arguments options_parse_default() must take too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../supervisor/log.h"
#include "../../supervisor/options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(-1);	/* the parser explains every error: not here */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[66];
	const char *stack;
	unsigned int mask;
	struct options o;
	int argc = 1;
	size_t i = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "netsup";
	while (i <= size && argc < 65) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	options_parse(argc, argv, &o);
	options_parse_default(buf, &mask, &stack);
	free(buf);
	return 0;
}
