// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_nlmsg - libFuzzer target: netsup-lwip's rtnetlink decoder
 *
 * Any datagram a program could write to its netlink socket is walked as
 * netlink.c walks it: every message decoded must lie inside the datagram,
 * the walk must end, and the error answer built for each (the request
 * echoed) must fit its buffer or be refused whole.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../stacks/lwip/nlmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char out[3776];
	struct nlbuf b;
	struct nlreq r;
	size_t off = 0, last = 0;
	int n = 0;

	nlb_init(&b, out, sizeof(out));
	while (nlmsg_next(data, size, &off, &r) == 1) {
		const uint8_t *m = r.msg;

		if (m < data || r.len > size || m + r.len > data + size || off > size ||
		    off <= last)
			abort();
		if (r.error && r.error != -EINVAL && r.error != -EOPNOTSUPP)
			abort();
		if (r.has_ifname && strlen(r.ifname) >= NLMSG_IFNAME_MAX)
			abort();
		if (nlb_error(&b, &r, 1, r.error, false, true, "fuzz") == 0 && b.len > sizeof(out))
			abort();
		if (b.len > sizeof(out) - 512)
			nlb_init(&b, out, sizeof(out));
		last = off;
		if (++n > 10000)
			abort();
	}
	return 0;
}
