// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock32 - i386 system calls from an x86-64 program, with int $0x80
 *
 * The i386 ABI has two ways to create a socket: socketcall(SYS_SOCKET,
 * args) with the arguments in memory (what old libcs use) and, since
 * Linux 4.3, socket (359).  An x86-64 process reaches that system call
 * table with int $0x80 (no 32-bit libraries or binfmt needed), and
 * seccomp sees AUDIT_ARCH_I386.  Both must be served or refused.
 * Prints one line for each: "socketcall netns=INO", "socket netns=INO",
 * "unix ok", or "... errno=N"; "no-ia32" if the kernel runs no i386 code.
 */
#include <signal.h>
#include <sys/mman.h>
#include <linux/net.h>

#include "progs.h"

static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("int $0x80"
			  : "=a"(ret)
			  : "0"(nr), "b"(a), "c"(b), "d"(c)
			  : "memory");
	return ret;
}

static void report(const char *how, long fd)
{
	if (fd < 0)
		printf("%s errno=%ld\n", how, -fd);
	else
		printf("%s netns=%lu\n", how, sock_netns((int)fd));
}

/* int $0x80 faults where the kernel runs no i386 code (ia32_emulation=0) */
static void no_ia32(int sig)
{
	(void)sig;
	static const char msg[] = "no-ia32\n";

	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(0);
}

int main(void)
{
	/* socketcall's argument array: 32-bit words below 4 GiB */
	unsigned int *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (args == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	signal(SIGSEGV, no_ia32);
	if (int80(20 /* i386 getpid */, 0, 0, 0) != getpid()) {
		printf("no-ia32\n");
		return 0;
	}
	signal(SIGSEGV, SIG_DFL);
	args[0] = AF_INET;
	args[1] = SOCK_DGRAM;
	args[2] = 0;
	report("socketcall", int80(102, SYS_SOCKET, (long)args, 0));
	report("socket", int80(359, AF_INET, SOCK_DGRAM, 0));
	args[0] = AF_UNIX;
	printf("unix %s\n", int80(102, SYS_SOCKET, (long)args, 0) >= 0 ? "ok" : "failed");
	return 0;
}
