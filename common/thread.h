/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * thread.h - run work on a short-lived thread of its own
 */
#ifndef NETSUP_THREAD_H
#define NETSUP_THREAD_H

int thread_run(int (*fn)(void *arg), void *arg);

#endif /* NETSUP_THREAD_H */
