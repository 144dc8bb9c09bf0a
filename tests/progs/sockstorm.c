// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockstorm - many threads creating sockets, each checked for its stack
 *
 * sockstorm THREADS COUNT FAMILY EXPECTED_NS
 * Every thread creates COUNT sockets of FAMILY, checks with SIOCGSKNS that
 * each is in the namespace EXPECTED_NS names, and closes it.  Prints
 *   sockets=N wrong=N errors=N fds_before=N fds_after=N sup_grew=0|1
 * where sup_grew says whether the supervisor (the other child of our
 * parent, under netsup) holds more descriptors after than before.  Exits 0 only if every socket was right and nothing leaked.
 */
#include <pthread.h>

#include "progs.h"

static int family, count;
static unsigned long expected;
static long ok_total, wrong_total, err_total;

static void *storm(void *arg)
{
	long ok = 0, wrong = 0, errs = 0;
	int i, fd;

	(void)arg;
	for (i = 0; i < count; i++) {
		fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			errs++;
			continue;
		}
		if (!expected || sock_netns(fd) == expected)
			ok++;
		else
			wrong++;
		close(fd);
	}
	__atomic_add_fetch(&ok_total, ok, __ATOMIC_RELAXED);
	__atomic_add_fetch(&wrong_total, wrong, __ATOMIC_RELAXED);
	__atomic_add_fetch(&err_total, errs, __ATOMIC_RELAXED);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads, i, fds_before, fds_after, sup, sup_before = -1, sup_after = -1;
	pthread_t *t;

	if (argc != 5)
		fail("usage: sockstorm THREADS COUNT FAMILY EXPECTED_NS");
	threads = atoi(argv[1]);
	count = atoi(argv[2]);
	family = parse_family(argv[3]);
	expected = path_ino(argv[4]);
	t = calloc((size_t)threads, sizeof(*t));

	/* One socket first, so that lazily allocated state is counted. */
	close(socket(family, SOCK_DGRAM, 0));
	sup = find_supervisor();
	if (sup > 0)
		sup_before = count_fds(sup);
	fds_before = count_fds(getpid());
	for (i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, storm, NULL))
			fail("pthread_create");
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	fds_after = count_fds(getpid());
	if (sup > 0)
		sup_after = count_fds(sup);

	free(t);
	/* a descriptor open for a moment when counted first is no leak */
	printf("sockets=%ld wrong=%ld errors=%ld fds_before=%d fds_after=%d sup_grew=%d\n",
	       ok_total, wrong_total, err_total, fds_before, fds_after,
	       sup_after > sup_before);
	return ok_total == (long)threads * count && fds_before == fds_after &&
	       sup_after <= sup_before ? 0 : 1;
}
