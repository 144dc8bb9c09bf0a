// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stray.c - descriptors installed in a call that a signal then ended
 *
 * netsup answers a call with a descriptor in three steps: ADDFD (the
 * child installs it), close of netsup's copy, SEND (request_reply()).  A
 * session that can use userspace stacks has no
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (its forwarded calls must stay
 * interruptible), so a signal that lands between ADDFD and SEND ends the
 * call with the descriptor installed: SEND then fails with ENOENT, and the
 * program, which got EINTR or will restart the call, does not know it.
 * Under a storm of signals that happens thousands of times a second.
 *
 * Such a descriptor is noted here, by thread.  The next answer with a
 * descriptor to that thread (the restarted call, or the next socket() or
 * accept() it makes) is installed with SECCOMP_ADDFD_FLAG_SETFD (5.9) in
 * the stray's place, which closes the stray: the program ends up with
 * exactly the descriptors it was told of.  Before that, the stray is
 * checked to be still there (stat of /proc/TID/fd/N, the same file): a
 * program that closed the number itself and reused it keeps its file.
 * The table is bounded: when it is full, the oldest note is forgotten
 * (that descriptor stays where it is, as before).
 *
 * One case no supervisor can see (kernel/seccomp.c,
 * seccomp_do_user_notification()): a signal wakes the caller, SEND takes
 * notify_lock first and reports the reply delivered, and the caller,
 * woken with -ERESTARTSYS, then goes to its "interrupted" path all the
 * same and drops the reply.  That descriptor stays; under a storm of
 * 20,000 signals a second it is 0.2% of the signals on a busy 2-CPU
 * machine, up to 14% on the same machine idle (tests/50-stress.bats).
 * Only WAIT_KILLABLE_RECV closes it, which these sessions cannot have.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "stray.h"
#include "../common/fileid.h"

/**
 * stray_init() - an empty table
 * @t:		the table
 */
void stray_init(struct stray_table *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
}

/**
 * stray_note() - remember a descriptor installed in an ended call
 * @t:		the table
 * @s:		what and where
 */
void stray_note(struct stray_table *t, const struct stray *s)
{
	unsigned int i;

	pthread_mutex_lock(&t->lock);
	/* the same number again (a reused stray's answer ended too): renew */
	for (i = 0; i < STRAY_MAX; i++)
		if (t->e[i].tid == s->tid && t->e[i].nfd == s->nfd) {
			t->e[i] = *s;
			pthread_mutex_unlock(&t->lock);
			return;
		}
	for (i = 0; i < STRAY_MAX && t->e[i].tid; i++)
		;
	if (i == STRAY_MAX) {
		i = t->next;		/* full: forget the oldest */
		t->next = (t->next + 1) % STRAY_MAX;
	} else {
		__atomic_add_fetch(&t->count, 1, __ATOMIC_RELAXED);
	}
	t->e[i] = *s;
	pthread_mutex_unlock(&t->lock);
}

/**
 * stray_take() - the stray of a thread, taken out of the table
 * @t:		the table
 * @tid:	the thread
 * @out:	receives it
 *
 * One atomic load when the table is empty, as it nearly always is.
 *
 * Return: true if the thread had one
 */
bool stray_take(struct stray_table *t, pid_t tid, struct stray *out)
{
	bool found = false;
	unsigned int i;

	if (!__atomic_load_n(&t->count, __ATOMIC_RELAXED))
		return false;
	pthread_mutex_lock(&t->lock);
	for (i = 0; i < STRAY_MAX && !found; i++)
		if (t->e[i].tid == tid) {
			*out = t->e[i];
			t->e[i].tid = 0;
			__atomic_sub_fetch(&t->count, 1, __ATOMIC_RELAXED);
			found = true;
		}
	pthread_mutex_unlock(&t->lock);
	return found;
}

/**
 * stray_is_there() - is the stray still at its number in the thread?
 * @s:		the stray
 *
 * Needs ptrace access to the thread (netsup's own credentials).
 *
 * Return: true if /proc/TID/fd/N is still that file
 */
bool stray_is_there(const struct stray *s)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)s->tid, s->nfd);
	return fileid_path_is(path, s->dev, s->ino);
}
