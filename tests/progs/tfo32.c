// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tfo32 ADDR PORT - a TCP Fast Open sendmsg(2) through i386's socketcall,
 * on a socket made by x86-64's socket()
 *
 * i386's struct msghdr is not decoded by netsup: the call reaches the
 * descriptor as it is.  Prints "sendmsg ok" or "sendmsg errno=N", or
 * "no-ia32" if the kernel runs no i386 code.
 */
#include "progs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <linux/net.h>

#define I386_SOCKETCALL	102

struct msghdr32 {
	uint32_t name, namelen, iov, iovlen, control, controllen, flags;
};

struct iovec32 {
	uint32_t base, len;
};

int main(int argc, char **argv)
{
	unsigned char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	uint32_t *args = (uint32_t *)low;
	struct sockaddr_in *sin = (struct sockaddr_in *)(low + 64);
	struct msghdr32 *mh = (struct msghdr32 *)(low + 128);
	struct iovec32 *iov = (struct iovec32 *)(low + 256);
	char *data = (char *)(low + 512);
	long rc;
	int fd;

	if (argc != 3)
		fail("usage: tfo32 ADDR PORT");
	if (low == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	signal(SIGSEGV, progs_no_ia32);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		fail("socket: %s", strerror(errno));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sin->sin_addr) != 1)
		fail("%s: not an address", argv[1]);
	strcpy(data, "hello");
	iov->base = (uint32_t)(uintptr_t)data;
	iov->len = 5;
	*mh = (struct msghdr32){ .name = (uint32_t)(uintptr_t)sin, .namelen = sizeof(*sin),
				 .iov = (uint32_t)(uintptr_t)iov, .iovlen = 1 };
	args[0] = (uint32_t)fd;
	args[1] = (uint32_t)(uintptr_t)mh;
	args[2] = MSG_FASTOPEN;
	__asm__ volatile ("int $0x80"
			  : "=a"(rc)
			  : "0"((long)I386_SOCKETCALL), "b"((long)SYS_SENDMSG),
			    "c"((long)(uintptr_t)args)
			  : "memory");
	if (rc < 0)
		printf("sendmsg errno=%ld\n", -rc);
	else
		printf("sendmsg ok\n");
	return 0;
}
