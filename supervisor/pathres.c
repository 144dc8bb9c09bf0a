// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pathres.c - open a path as a supervised process sees it
 *
 * msocket() names a stack by a path of the child: relative to its working
 * directory, inside its root (chroot), with ".." and absolute symbolic
 * links stopping at that root.  The handling thread takes that view for
 * the lookup: it opens /proc/TID/root and /proc/TID/cwd, then chroot(2)s
 * and fchdir(2)s to them.  That is safe on a thread only because every
 * handling thread first detaches its filesystem context from the rest of
 * netsup with unshare(CLONE_FS) (Linux 2.6.16): root and cwd become its
 * own.  The mounts seen are those under the child's root, in the child's
 * mount namespace.
 *
 * The caller re-validates the notification after pathres_view_open(): the
 * directories are then known to be those of the thread that asked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "pathres.h"

/**
 * pathres_init() - give the calling thread a filesystem context of its own
 * @pr:		state of the calling handling thread
 *
 * Return: 0 or -errno
 */
int pathres_init(struct pathres *pr)
{
	pr->own_root = pr->own_cwd = -1;
	if (unshare(CLONE_FS))
		return -errno;
	pr->own_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	pr->own_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pr->own_root < 0 || pr->own_cwd < 0) {
		pathres_fini(pr);
		return -errno;
	}
	return 0;
}

/**
 * pathres_fini() - close what pathres_init() opened
 * @pr:		state of the handling thread
 */
void pathres_fini(struct pathres *pr)
{
	if (pr->own_root >= 0)
		close(pr->own_root);
	if (pr->own_cwd >= 0)
		close(pr->own_cwd);
	pr->own_root = pr->own_cwd = -1;
}

/**
 * pathres_view_open() - open the root and working directory of a thread
 * @tid:	the thread
 * @v:		receives both
 *
 * Return: 0, -ESRCH if the thread is gone, other -errno
 */
int pathres_view_open(pid_t tid, struct pathres_view *v)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/root", (int)tid);
	v->root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)tid);
	v->cwd = v->root < 0 ? -1 : open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (v->cwd < 0) {
		int rc = errno == ENOENT ? -ESRCH : -errno;

		pathres_view_close(v);
		return rc;
	}
	return 0;
}

/**
 * pathres_view_close() - close a view
 * @v:		the view
 */
void pathres_view_close(struct pathres_view *v)
{
	if (v->root >= 0)
		close(v->root);
	if (v->cwd >= 0)
		close(v->cwd);
	v->root = v->cwd = -1;
}

/**
 * pathres_enter() - make the calling thread see paths as the child does
 * @pr:		state of the calling handling thread
 * @v:		the child's view
 *
 * Needs CAP_SYS_CHROOT: call before wearing the child's credentials.
 *
 * Return: 0, or -errno with the thread's own view back
 */
int pathres_enter(struct pathres *pr, const struct pathres_view *v)
{
	if (fchdir(v->root) || chroot(".") || fchdir(v->cwd)) {
		int rc = -errno;

		pathres_leave(pr);
		return rc;
	}
	return 0;
}

/**
 * pathres_leave() - give the calling thread its own view back
 * @pr:		state of the calling handling thread
 *
 * Return: 0 or -errno
 */
int pathres_leave(struct pathres *pr)
{
	if (fchdir(pr->own_root) || chroot(".") || fchdir(pr->own_cwd))
		return -errno;
	return 0;
}
