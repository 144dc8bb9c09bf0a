// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_procparse - libFuzzer target: the /proc texts netsup parses
 *
 * /proc/TID/status (credentials) and /proc/PID/stat (state, start time)
 * carry the child's own process name, which it chooses: their parsers
 * must take any text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../supervisor/creds.h"
#include "../../supervisor/proc.h"
#include "../../common/procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	struct procstat ps;
	gid_t groups[16];
	struct creds c;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (!creds_parse(buf, &c, groups, 16) && (c.ngroups < 0 || c.ngroups > 16))
		abort();
	procstat_parse(buf, &ps);
	free(buf);
	return 0;
}
