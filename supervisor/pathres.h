/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pathres.h - open a path as a supervised process sees it
 */
#ifndef NETSUP_PATHRES_H
#define NETSUP_PATHRES_H

#include <sys/types.h>

/* Per handling thread, which has a filesystem context of its own. */
struct pathres {
	int own_root;
	int own_cwd;
};

/* The view of one process: its root and working directory. */
struct pathres_view {
	int root;
	int cwd;
};

int pathres_init(struct pathres *pr);
void pathres_fini(struct pathres *pr);
int pathres_view_open(pid_t tid, struct pathres_view *v);
void pathres_view_close(struct pathres_view *v);
int pathres_enter(struct pathres *pr, const struct pathres_view *v);
int pathres_leave(struct pathres *pr);

#endif /* NETSUP_PATHRES_H */
