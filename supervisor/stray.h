/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * stray.h - descriptors installed in a call that a signal then ended
 */
#ifndef NETSUP_STRAY_H
#define NETSUP_STRAY_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#define STRAY_MAX	256

struct stray {
	pid_t tid;		/* the thread whose call it was */
	int nfd;		/* its number there */
	dev_t dev;		/* the file, to know it again */
	ino_t ino;
};

struct stray_table {
	pthread_mutex_t lock;
	unsigned int count;	/* atomic: entries in use */
	unsigned int next;	/* the slot the next note takes */
	struct stray e[STRAY_MAX];
};

void stray_init(struct stray_table *t);
void stray_note(struct stray_table *t, const struct stray *s);
bool stray_take(struct stray_table *t, pid_t tid, struct stray *out);
bool stray_is_there(const struct stray *s);

#endif /* NETSUP_STRAY_H */
