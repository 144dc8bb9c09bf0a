// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blocked - what thousands of threads blocked in accept() cost the
 * supervisor while nothing happens
 *
 * blocked ADDR N SECONDS
 * Under netsup with a userspace default stack: a TCP listener on ADDR,
 * N threads blocked in accept() on it (each a deferred request in the
 * supervisor), then SECONDS of nothing.  Prints "threads=N cpu_pct=X":
 * the CPU the supervisor ("netsup: supervisor of pid P", P this process)
 * used meanwhile, in percent of one CPU.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>

#include "bench.h"

static int listener;

static void *blocked_accept(void *arg)
{
	(void)arg;
	accept(listener, NULL, NULL);
	return NULL;
}

/* The pid of this process's supervisor, from its title; or -1. */
static pid_t blocked_supervisor(void)
{
	char want[64], path[300], buf[64];
	struct dirent *e;
	pid_t found = -1;
	DIR *d = opendir("/proc");
	ssize_t n;
	int fd;

	snprintf(want, sizeof(want), "netsup: supervisor of pid %d", (int)getpid());
	while (d && (e = readdir(d)) && found < 0) {
		snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		if (!strncmp(buf, want, strlen(want)))
			found = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/* utime + stime of @pid, in clock ticks */
static long long blocked_cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	return (long long)(ut + st);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	pthread_attr_t attr;
	long long c0, c1;
	double t0, t1;
	int n, i;
	pid_t sup;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &a.sin_addr) != 1) {
		fprintf(stderr, "usage: blocked ADDR N SECONDS\n");
		return 2;
	}
	n = atoi(argv[2]);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(listener, 16)) {
		perror("listener");
		return 1;
	}
	sup = blocked_supervisor();
	if (sup < 0) {
		fprintf(stderr, "blocked: no supervisor found\n");
		return 1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, &attr, blocked_accept, NULL)) {
			fprintf(stderr, "blocked: thread %d: cannot create\n", i);
			return 1;
		}
	}
	/* every accept() reaches the supervisor and the daemon, backoffs settle */
	sleep(3 + (unsigned int)n / 1000);
	c0 = blocked_cpu(sup);
	t0 = now();
	usleep((useconds_t)(atof(argv[3]) * 1e6));
	c1 = blocked_cpu(sup);
	t1 = now();
	printf("threads=%d cpu_pct=%.2f\n", n,
	       100.0 * (double)(c1 - c0) / (double)sysconf(_SC_CLK_TCK) / (t1 - t0));
	fflush(stdout);
	_exit(0);	/* the blocked threads go with the process */
}
