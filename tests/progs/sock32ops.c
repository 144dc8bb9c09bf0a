// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sock32ops - i386 socket calls other than socket(), from an x86-64 program
 *
 * With int $0x80 (as sock32 does) on memory below 4 GiB (MAP_32BIT): the
 * i386 ABI's pointers are 32 bits.  Prints one line per call, "NAME ok",
 * "NAME port=N" or "NAME errno=N":
 *   unix-bind, unix-getsockname   socketcall(SYS_BIND, SYS_GETSOCKNAME) of
 *                                 an AF_UNIX socket (a kernel socket)
 *   inet-socket                   socketcall(SYS_SOCKET, AF_INET, SOCK_DGRAM)
 *   inet-bind                     socketcall(SYS_BIND) to 0.0.0.0, port 0
 *   inet-getsockname              socketcall(SYS_GETSOCKNAME): its port
 *   inet-bind361, inet-name367    the same with i386's direct calls (Linux 4.3)
 * "no-ia32" if the kernel runs no i386 code.
 */
#include "progs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <linux/net.h>

#define I386_SOCKETCALL	102
#define I386_BIND	361
#define I386_GETSOCKNAME 367

static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("int $0x80"
			  : "=a"(ret)
			  : "0"(nr), "b"(a), "c"(b), "d"(c)
			  : "memory");
	return ret;
}

/* socketcall(call, args) with up to three arguments */
static long sc(uint32_t *args, int call, uint32_t a, uint32_t b, uint32_t c)
{
	args[0] = a;
	args[1] = b;
	args[2] = c;
	return int80(I386_SOCKETCALL, call, (long)(uintptr_t)args, 0);
}

static void report(const char *name, long rc)
{
	if (rc < 0)
		printf("%s errno=%ld\n", name, -rc);
	else
		printf("%s ok\n", name);
	fflush(stdout);
}

int main(void)
{
	unsigned char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	uint32_t *args = (uint32_t *)low;
	struct sockaddr_un *sun = (struct sockaddr_un *)(low + 64);
	struct sockaddr_in *sin = (struct sockaddr_in *)(low + 256);
	uint32_t *len = (uint32_t *)(low + 512);
	long fd, rc;
	int u;

	if (low == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	signal(SIGSEGV, progs_no_ia32);

	/* a kernel socket: the kernel's answers */
	u = socket(AF_UNIX, SOCK_DGRAM, 0);
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path + 1, sizeof(sun->sun_path) - 1, "sock32ops-%d", (int)getpid());
	rc = sc(args, SYS_BIND, (uint32_t)u, (uint32_t)(uintptr_t)sun,
		(uint32_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(sun->sun_path + 1)));
	report("unix-bind", rc);
	*len = sizeof(*sun);
	rc = sc(args, SYS_GETSOCKNAME, (uint32_t)u, (uint32_t)(uintptr_t)(low + 1024),
		(uint32_t)(uintptr_t)len);
	report("unix-getsockname", rc);

	/* a socket of the default inet stack */
	fd = sc(args, SYS_SOCKET, AF_INET, SOCK_DGRAM, 0);
	report("inet-socket", fd);
	if (fd < 0)
		return 0;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_ANY);
	rc = sc(args, SYS_BIND, (uint32_t)fd, (uint32_t)(uintptr_t)sin, sizeof(*sin));
	report("inet-bind", rc);
	*len = sizeof(*sin);
	memset(low + 1024, 0, sizeof(*sin));
	rc = sc(args, SYS_GETSOCKNAME, (uint32_t)fd, (uint32_t)(uintptr_t)(low + 1024),
		(uint32_t)(uintptr_t)len);
	if (rc < 0)
		report("inet-getsockname", rc);
	else
		printf("inet-getsockname port=%u\n",
		       ntohs(((struct sockaddr_in *)(low + 1024))->sin_port));

	/* the direct calls, on a second socket */
	fd = sc(args, SYS_SOCKET, AF_INET, SOCK_DGRAM, 0);
	rc = fd < 0 ? fd : int80(I386_BIND, fd, (long)(uintptr_t)sin, sizeof(*sin));
	report("inet-bind361", rc);
	*len = sizeof(*sin);
	memset(low + 1024, 0, sizeof(*sin));
	rc = fd < 0 ? fd : int80(I386_GETSOCKNAME, fd, (long)(uintptr_t)(low + 1024),
				 (long)(uintptr_t)len);
	if (rc < 0)
		report("inet-name367", rc);
	else
		printf("inet-name367 port=%u\n",
		       ntohs(((struct sockaddr_in *)(low + 1024))->sin_port));
	return 0;
}
