// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_stackspec - libFuzzer target: stack names and family names
 *
 * A STACK as given to --default, --allow or netsup-stack: resolved into a
 * path (a bare NAME is looked up in /dev/net and /run/netns), and a
 * FAMILY name.  Checks that a resolved path always fits its buffer and
 * that a bare name never escapes its directory ("", ".", "..").
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../stacks/stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = malloc(size + 1), path[64];
	unsigned int mask;
	int rc;

	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	rc = stack_resolve_name(spec, path, sizeof(path));
	if (rc == 0 || rc == -ENOENT) {
		if (strlen(path) >= sizeof(path))
			abort();
		if (!strchr(spec, '/') && (!strcmp(spec, ".") || !strcmp(spec, "..") || !*spec))
			abort();
	}
	stack_family_parse(spec, &mask);
	free(spec);
	return 0;
}
