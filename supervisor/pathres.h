/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * pathres.h - act as a supervised process would, in a helper process
 */
#ifndef NETSUP_PATHRES_H
#define NETSUP_PATHRES_H

#include <stdbool.h>
#include <sys/types.h>

#include "creds.h"

/* The view of one thread: its root, cwd, network and user namespaces. */
struct pathres_view {
	int root;
	int cwd;
	int net;
	int user;
};

enum pathres_op {
	PATHRES_OPEN,		/* open a path in the child's view */
	PATHRES_SOCKET,		/* create a socket in a namespace */
};

struct pathres_req {
	enum pathres_op op;
	const char *path;	/* OPEN: as the child gave it */
	int netns;		/* SOCKET: the stack's namespace */
	int domain;		/* SOCKET: socket(2) arguments */
	int type;
	int protocol;
};

/* A helper at work: its answer arrives on @sock. */
struct pathres_job {
	int sock;
	int pidfd;
};

int pathres_view_open(pid_t tid, struct pathres_view *v);
void pathres_view_close(struct pathres_view *v);
int pathres_start(const struct pathres_view *v, const struct creds *c,
		  const struct pathres_req *rq, struct pathres_job *job);
int pathres_finish(struct pathres_job *job, bool give_up);

#endif /* NETSUP_PATHRES_H */
