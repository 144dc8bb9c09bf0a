// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmsg ADDR PORT - sendmmsg(2) three datagrams with the address in each,
 * as many calls as it takes (a call may send fewer than asked), then
 * recvmmsg(2) the three answers the same way; prints each answer and its
 * source: "reply DATA from ADDR PORT".
 */
#include "progs.h"

#include <arpa/inet.h>
#include <netinet/in.h>

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET }, from[3];
	struct mmsghdr msgs[3];
	struct iovec iov[3];
	char bufs[3][64], src[INET_ADDRSTRLEN];
	int fd, done = 0, n, i;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1)
		fail("usage: mmsg ADDR PORT");
	to.sin_port = htons((uint16_t)atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		fail("socket: %s", strerror(errno));
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < 3; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "m%d", i);
		iov[i] = (struct iovec){ bufs[i], 2 };
		msgs[i].msg_hdr.msg_name = &to;
		msgs[i].msg_hdr.msg_namelen = sizeof(to);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < 3) {
		n = sendmmsg(fd, msgs + done, (unsigned int)(3 - done), 0);
		if (n <= 0)
			fail("sendmmsg: %s", strerror(errno));
		done += n;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < 3; i++) {
		iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) - 1 };
		msgs[i].msg_hdr.msg_name = &from[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (done = 0; done < 3; done += n) {
		n = recvmmsg(fd, msgs + done, (unsigned int)(3 - done), 0, NULL);
		if (n <= 0)
			fail("recvmmsg: %s", strerror(errno));
	}
	for (i = 0; i < 3; i++) {
		bufs[i][msgs[i].msg_len] = '\0';
		inet_ntop(AF_INET, &from[i].sin_addr, src, sizeof(src));
		printf("reply %s from %s %d\n", strtok(bufs[i], "\n"), src, ntohs(from[i].sin_port));
	}
	return 0;
}
