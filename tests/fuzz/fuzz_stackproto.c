// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_stackproto - libFuzzer target: the stack protocol decoder
 *
 * Any record a hostile peer could send is decoded.  A message the decoder
 * accepts must encode again to the very same bytes, and every pointer it
 * returns must lie inside the record; what it refuses must be refused with
 * one of the three documented errors.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../stacks/stackproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const uint8_t *data, size_t size, const void *p, size_t n)
{
	const uint8_t *q = p;

	if (!p) {
		if (n)
			abort();
		return;
	}
	if (q < data || q + n > data + size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[SP_MSG_MAX];
	struct sp_msg m;
	ssize_t n;
	int rc;

	rc = sp_decode(data, size, &m);
	if (rc == -EBADMSG)
		return 0;
	if (rc != 0 && rc != -EINVAL && rc != -ENOSYS)
		abort();
	if (rc != 0)
		return 0;
	inside(data, size, m.addr, m.addrlen);
	inside(data, size, m.data, m.datalen);
	if (m.addrlen > SP_ADDR_MAX)
		abort();
	if (m.addr)
		sp_check_addr(m.domain == 10 ? 10 : 2, m.addr, m.addrlen);
	n = sp_encode(&m, out, sizeof(out));
	if (n != (ssize_t)size || memcmp(out, data, size) != 0)
		abort();
	return 0;
}
