// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sigstorm - socket() under a storm of SIGALRM
 *
 * sigstorm restart|norestart SECONDS EXPECTED_NS
 * An interval timer sends SIGALRM every 50 µs while the main thread
 * creates and closes sockets.  A call interrupted before netsup took it
 * fails with EINTR (norestart) or is restarted (restart); once taken, it
 * completes.  A last socket() once the timer is off.  Prints
 *   sockets=N wrong=N eintr=N errors=N signals=N fds_before=N fds_after=N
 */
#include <signal.h>
#include <sys/time.h>
#include <time.h>

#include "progs.h"

static volatile long signals;

static void on_alarm(int sig)
{
	(void)sig;
	signals++;
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	long sockets = 0, wrong = 0, eintr = 0, errs = 0;
	unsigned long expected;
	struct timespec t0, t;
	int fd, before, after;
	double secs;

	if (argc != 4)
		fail("usage: sigstorm restart|norestart SECONDS EXPECTED_NS");
	if (!strcmp(argv[1], "restart"))
		sa.sa_flags = SA_RESTART;
	secs = atof(argv[2]);
	expected = path_ino(argv[3]);
	sigaction(SIGALRM, &sa, NULL);
	close(socket(AF_INET, SOCK_DGRAM, 0));
	before = count_fds(getpid());
	setitimer(ITIMER_REAL, &it, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd >= 0) {
			sockets++;
			if (sock_netns(fd) != expected)
				wrong++;
			close(fd);
		} else if (errno == EINTR) {
			eintr++;
		} else {
			errs++;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	/*
	 * One quiet call: in a session whose calls are interruptible it
	 * takes the place of the descriptor the last interrupted call may
	 * have left (netsup's stray.c), so that nothing is left at all.
	 */
	close(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	after = count_fds(getpid());
	printf("sockets=%ld wrong=%ld eintr=%ld errors=%ld signals=%ld fds_before=%d fds_after=%d\n",
	       sockets, wrong, eintr, errs, signals, before, after);
	return 0;
}
