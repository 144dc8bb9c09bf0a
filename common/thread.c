// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * thread.c - run work on a short-lived thread of its own
 *
 * setns(2) with CLONE_NEWNET and unshare(CLONE_NEWNET) move only the
 * calling thread: work done inside another network namespace (the shim's
 * socket in a stack, checking that a stack can be entered, netsup-stack's
 * add, info and del) runs on a thread that ends with it, so the caller's
 * threads never leave their own.
 */
#define _GNU_SOURCE
#include <pthread.h>

#include "thread.h"

struct thread_work {
	int (*fn)(void *arg);
	void *arg;
	int result;
};

static void *thread_main(void *arg)
{
	struct thread_work *w = arg;

	w->result = w->fn(w->arg);
	return NULL;
}

/**
 * thread_run() - run @fn(@arg) on a new thread and wait for it to end
 * @fn:		the work: 0, a value, or -errno
 * @arg:	its argument
 *
 * Return: what @fn returned, or -errno if no thread could be made
 */
int thread_run(int (*fn)(void *arg), void *arg)
{
	struct thread_work w = { .fn = fn, .arg = arg };
	pthread_t t;
	int rc = pthread_create(&t, NULL, thread_main, &w);

	if (rc)
		return -rc;
	pthread_join(t, NULL);
	return w.result;
}
