/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pathres.h - open a path as a supervised process would
 */
#ifndef NETSUP_PATHRES_H
#define NETSUP_PATHRES_H

#include <sys/types.h>

#include "creds.h"

/* The view of one thread: its root, working directory, network namespace. */
struct pathres_view {
	int root;
	int cwd;
	int net;
};

int pathres_view_open(pid_t tid, struct pathres_view *v);
void pathres_view_close(struct pathres_view *v);
int pathres_open(const struct pathres_view *v, const struct creds *c,
		 const char *path);

#endif /* NETSUP_PATHRES_H */
