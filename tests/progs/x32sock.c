// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x32sock - socket(2) with the x32 system call number, from x86-64 code
 *
 * An x86-64 process may issue x32 system calls (number | 0x40000000).
 * Whatever the kernel supports, the call must be served by netsup or
 * refused, never run unseen.  Prints "netns=INO" or "errno=N".
 */
#include "progs.h"

int main(void)
{
	long fd;

	__asm__ volatile ("syscall"
			  : "=a"(fd)
			  : "0"(0x40000000L | 41), "D"((long)AF_INET),
			    "S"((long)SOCK_DGRAM), "d"(0L)
			  : "rcx", "r11", "memory");
	if (fd < 0) {
		printf("errno=%ld\n", -fd);
		return 0;
	}
	printf("netns=%lu\n", sock_netns((int)fd));
	return 0;
}
