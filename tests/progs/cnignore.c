// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cnignore - send PROC_CN_MCAST_IGNORE to the process events connector,
 * as any unprivileged process may: the kernel refuses it (EPERM) but
 * sends its acknowledgement, a PROC_EVENT_NONE message, to every
 * listener.  Prints "sent".
 */
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "progs.h"

int main(void)
{
	struct {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) req = {
		.nl = { .nlmsg_len = sizeof(req), .nlmsg_type = NLMSG_DONE },
		.cn = { .id = { CN_IDX_PROC, CN_VAL_PROC }, .len = sizeof(enum proc_cn_mcast_op) },
		.op = PROC_CN_MCAST_IGNORE,
	};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);

	if (fd < 0)
		fail("netlink connector: %s", strerror(errno));
	if (send(fd, &req, sizeof(req), 0) != sizeof(req))
		fail("send: %s", strerror(errno));
	puts("sent");
	return 0;
}
