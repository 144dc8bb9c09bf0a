/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fileid.h - a file's identity: its device and inode
 *
 * A namespace, a stack's socket or a user namespace is the same one when
 * its file is: same st_dev, same st_ino (nsfs gives each namespace its own
 * inode).  Names can be replaced; identities are what netsup compares.
 */
#ifndef NETSUP_FILEID_H
#define NETSUP_FILEID_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Is @st the file @dev, @ino? */
static inline bool fileid_is(const struct stat *st, dev_t dev, ino_t ino)
{
	return st->st_dev == dev && st->st_ino == ino;
}

/* Are @a and @b one file? */
static inline bool fileid_same(const struct stat *a, const struct stat *b)
{
	return fileid_is(a, b->st_dev, b->st_ino);
}

/* Does @path (symbolic links followed) name the file @dev, @ino now? */
static inline bool fileid_path_is(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	return !stat(path, &st) && fileid_is(&st, dev, ino);
}

/* Are the open files of @a and @b one file? */
static inline bool fileid_fds_same(int a, int b)
{
	struct stat sa, sb;

	return !fstat(a, &sa) && !fstat(b, &sb) && fileid_same(&sa, &sb);
}

#endif /* NETSUP_FILEID_H */
