/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * creds.h - a supervised thread's credentials, and wearing them
 */
#ifndef NETSUP_CREDS_H
#define NETSUP_CREDS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/capability.h>

struct creds {
	pid_t tgid;		/* process of the thread */
	pid_t ppid;		/* its parent */
	uid_t ruid;
	gid_t rgid;
	uid_t euid;
	gid_t egid;
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t *groups;		/* points into the creds_thread buffer */
	uint64_t cap_eff;	/* effective set, 0 if in another user ns */
	uint64_t cap_eff_ns;	/* effective set in its own user namespace */
	bool foreign_user;	/* in another user namespace than netsup's */
	uint64_t cap_prm;	/* permitted set, as /proc shows it */
};

/* State of one handling thread: what it restores after wearing creds. */
struct creds_thread {
	cap_t saved;		/* the thread's own capabilities */
	cap_t worn_caps;	/* preallocated, rewritten for each change */
	uint64_t saved_eff;
	uint64_t saved_perm;
	uid_t euid;
	gid_t egid;
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t *groups;		/* own groups, then the child's */
	gid_t *child_groups;
	char *buf;		/* /proc/TID/status */
	size_t bufsize;
	dev_t userns_dev;	/* own user namespace */
	ino_t userns_ino;
	bool wearing;		/* not (known to be) in its own credentials */
	/* what the thread wears now */
	uid_t cur_euid;
	gid_t cur_egid;
	uid_t cur_fsuid;
	gid_t cur_fsgid;
	uint64_t cur_eff;
	int cur_ngroups;
	gid_t *cur_groups;
};

int creds_thread_init(struct creds_thread *t);
void creds_thread_fini(struct creds_thread *t);
int creds_parse(const char *buf, struct creds *c, gid_t *groups, size_t max);
int creds_read(struct creds_thread *t, pid_t tid, struct creds *c);
int creds_wear(struct creds_thread *t, const struct creds *c);
int creds_own(struct creds_thread *t);

#endif /* NETSUP_CREDS_H */
