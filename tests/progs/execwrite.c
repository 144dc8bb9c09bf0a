// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * execwrite - a late answer aimed at a program that took the caller's TID
 *
 *   execwrite VICTIM ADDR PORT
 *
 * The main thread (the leader: its TID is the process id) blocks in
 * recvfrom() on a UDP socket bound to PORT, with its buffer,
 * address and address length on a page at EXECWRITE_ADDR.  A second
 * thread then execs VICTIM (a set-user-ID program, say): the kernel kills
 * the blocked thread, and the execing thread takes over the leader's TID
 * in the new program.  VICTIM maps a page at the same address and says so
 * on a pipe; a child forked at the start then sends "PWNED" to ADDR:PORT
 * (an address of the stack's own).
 * A supervisor that writes the late answer by TID writes it into VICTIM.
 *
 *   execwrite --victim FD
 *
 * The victim: maps the page, writes a byte to FD, waits a second, and
 * prints "victim untouched" or "victim written: TEXT".
 */
#include "progs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define EXECWRITE_ADDR	0x200000000UL
#define EXECWRITE_PAGE	4096

static char *victim_path;
static int ready[2];

static unsigned char *page_map(void)
{
	void *p = mmap((void *)EXECWRITE_ADDR, EXECWRITE_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED || p != (void *)EXECWRITE_ADDR)
		fail("mmap at %#lx: %s", EXECWRITE_ADDR, strerror(errno));
	return p;
}

static int victim(int fd)
{
	unsigned char *p = page_map();
	size_t i;

	if (write(fd, "1", 1) != 1)
		fail("ready: %s", strerror(errno));
	close(fd);
	sleep(1);
	for (i = 0; i < EXECWRITE_PAGE; i++)
		if (p[i])
			break;
	if (i == EXECWRITE_PAGE)
		printf("victim untouched\n");
	else
		printf("victim written: %.16s\n", (char *)p + i);
	return 0;
}

static void *exec_thread(void *arg)
{
	char fd[16];

	(void)arg;
	usleep(100 * 1000);	/* the main thread is in recvfrom() by now */
	snprintf(fd, sizeof(fd), "%d", ready[1]);
	execl(victim_path, victim_path, "--victim", fd, (char *)NULL);
	fail("execl %s: %s", victim_path, strerror(errno));
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in any = { .sin_family = AF_INET };
	unsigned char *p;
	pthread_t t;
	pid_t pid;
	char c;
	int s;

	if (argc == 3 && !strcmp(argv[1], "--victim"))
		return victim(atoi(argv[2]));
	if (argc != 4 || inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1)
		fail("usage: execwrite VICTIM ADDR PORT | execwrite --victim FD");
	victim_path = argv[1];
	sin.sin_port = htons((uint16_t)atoi(argv[3]));
	if (pipe(ready))	/* not close-on-exec: the victim gets its end */
		fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		/* the sender: once the victim runs, the datagram */
		close(ready[1]);
		if (read(ready[0], &c, 1) != 1)
			_exit(1);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		if (s < 0 || sendto(s, "PWNED", 6, 0, (struct sockaddr *)&sin, sizeof(sin)) != 6)
			fail("sendto: %s", strerror(errno));
		_exit(0);
	}
	close(ready[0]);
	p = page_map();
	s = socket(AF_INET, SOCK_DGRAM, 0);
	any.sin_port = sin.sin_port;
	if (s < 0 || bind(s, (struct sockaddr *)&any, sizeof(any)))
		fail("bind: %s", strerror(errno));
	*(socklen_t *)(p + 512) = sizeof(struct sockaddr_in);
	if (pthread_create(&t, NULL, exec_thread, NULL))
		fail("pthread_create");
	recvfrom(s, p, 100, 0, (struct sockaddr *)(p + 256), (socklen_t *)(p + 512));
	fail("recvfrom returned in the caller: %s", strerror(errno));
}
