// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * static_socket - socket(2) through syscall(2), linked statically
 *
 * Nothing of libc's socket() wrapper is used: whatever redirects the
 * socket must work at the system call level.  Prints the inode of the
 * socket's network namespace.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/sockios.h>

int main(void)
{
	struct stat st;
	long fd, ns;

	fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	ns = syscall(SYS_ioctl, fd, SIOCGSKNS);
	if (ns < 0 || fstat((int)ns, &st)) {
		perror("SIOCGSKNS");
		return 1;
	}
	printf("netns=%lu\n", (unsigned long)st.st_ino);
	return 0;
}
