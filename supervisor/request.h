/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * request.h - a notification referenced for a late answer (request.c)
 */
#ifndef NETSUP_REQUEST_H
#define NETSUP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>

#include "notify.h"

/*
 * A notification, as a request that may be answered after a wait: its
 * id, its thread, and the memory of the process that made the call,
 * bound when the reference was taken (not whatever holds the TID later).
 */
struct request_ref {
	__u64 id;		/* the notification */
	pid_t tid;		/* the thread that made the call */
	int mem;		/* /proc/TID/mem of the caller, or -1 */
};

int request_ref_take(struct worker *w, struct request_ref *ref, bool mem);
void request_ref_drop(struct request_ref *ref);
bool request_valid(const struct supervisor *sv, const struct request_ref *ref);
int request_read(const struct request_ref *ref, uint64_t addr, void *buf, size_t len);
int request_write(const struct request_ref *ref, uint64_t addr, const void *buf, size_t len);
void request_answer(struct worker *w, const struct request_ref *ref, struct notify_reply *r);
void request_result(struct worker *w, const struct request_ref *ref, long long v);

#endif /* NETSUP_REQUEST_H */
