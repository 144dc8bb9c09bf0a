/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * progs.h - shared bits of the test helper programs
 *
 * SIOCGSKNS (Linux 4.9) returns a descriptor on the network namespace a
 * socket lives in: the ground truth for "which stack got this socket".
 */
#ifndef PROGS_H
#define PROGS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/sockios.h>

#define fail(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)

/* Inode of the network namespace of socket @fd, or 0 with errno set. */
static inline unsigned long sock_netns(int fd)
{
	struct stat st;
	int ns = ioctl(fd, SIOCGSKNS);

	if (ns < 0)
		return 0;
	if (fstat(ns, &st)) {
		close(ns);
		return 0;
	}
	close(ns);
	return (unsigned long)st.st_ino;
}

/* Inode of the namespace file @path (0 for "-": don't check). */
static inline unsigned long path_ino(const char *path)
{
	struct stat st;

	if (!strcmp(path, "-"))
		return 0;
	if (stat(path, &st))
		fail("%s: %s", path, strerror(errno));
	return (unsigned long)st.st_ino;
}

static inline int parse_family(const char *s)
{
	if (!strcmp(s, "inet")) return AF_INET;
	if (!strcmp(s, "inet6")) return AF_INET6;
	if (!strcmp(s, "netlink")) return AF_NETLINK;
	if (!strcmp(s, "packet")) return AF_PACKET;
	if (!strcmp(s, "unix")) return AF_UNIX;
	return atoi(s);
}

/* Number of open descriptors of process @pid. */
static inline int count_fds(int pid)
{
	char path[64], buf[4096];
	int fd, n = 0;
	long r;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < r) {
			unsigned short reclen = *(unsigned short *)(buf + off + 16);
			const char *name = buf + off + 19;

			if (name[0] != '.')
				n++;
			off += reclen;
		}
	}
	close(fd);
	return n - 1;	/* the directory itself */
}

/* Under netsup, the supervisor: the other child of our parent. */
static inline int find_supervisor(void)
{
	char path[64];
	FILE *f;
	int pid, sup = -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", getppid(), getppid());
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%d", &pid) == 1)
		if (pid != getpid())
			sup = pid;
	fclose(f);
	return sup;
}

/*
 * SIGSEGV of int $0x80 where the kernel runs no i386 code: the programs
 * that make i386 calls say "no-ia32" and end, for the test to skip.
 */
static inline void progs_no_ia32(int sig)
{
	static const char msg[] = "no-ia32\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(0);
}

#endif /* PROGS_H */
