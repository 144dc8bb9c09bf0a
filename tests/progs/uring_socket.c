// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uring_socket - create a socket with io_uring's IORING_OP_SOCKET
 *
 * A socket made by io_uring (Linux 5.19) never passes through socket(2):
 * no seccomp filter sees it.  Prints "netns=INO" for the socket made,
 * "setup errno=N" if io_uring itself is refused, "op errno=N" if the
 * operation failed.
 */
#include <liburing.h>

#include "progs.h"

int main(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int rc;

	rc = io_uring_queue_init(4, &ring, 0);
	if (rc < 0) {
		printf("setup errno=%d\n", -rc);
		return 0;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_socket(sqe, AF_INET, SOCK_DGRAM, 0, 0);
	io_uring_submit(&ring);
	rc = io_uring_wait_cqe(&ring, &cqe);
	if (rc < 0 || cqe->res < 0) {
		printf("op errno=%d\n", rc < 0 ? -rc : -cqe->res);
		return 0;
	}
	printf("netns=%lu\n", sock_netns(cqe->res));
	return 0;
}
