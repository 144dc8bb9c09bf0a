// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * creds.c - create sockets with the credentials of the child that asked
 *
 * The kernel checks some privileges when a socket is created, against the
 * creating task: SOCK_RAW and AF_PACKET need CAP_NET_RAW, some netlink
 * families need CAP_NET_ADMIN later, against the opener recorded in the
 * socket file (f_cred).  The socket's owner (sk_uid, its inode's i_uid) is
 * the creator's fsuid.  A supervisor running as root that creates sockets
 * with its own credentials would hand a child privileges it lacks, so the
 * handling thread wears the child's credentials for the socket(2) call:
 *
 * - fsuid/fsgid (setfsuid(2), setfsgid(2)) and supplementary groups
 *   (the raw setgroups system call: glibc's wrapper would change every
 *   thread of netsup), all per thread;
 * - the effective capability set (capset(2) through libcap's
 *   cap_set_proc(), per thread when libcap is not linked with libpsx),
 *   limited to netsup's own permitted set.
 * Every change costs the kernel a new set of credentials (several µs), so
 * threads keep wearing a child's credentials until they need their own
 * privileges again (creds_wear(), creds_own()).
 *
 * Capabilities only mean something in the user namespace they are held
 * in.  A child in another user namespace than netsup's (unshare -U) has
 * its capabilities there, not in netsup's namespace, so it gets none.
 *
 * All of it is read from /proc/TID/status of the calling thread, because
 * credentials are per thread.  The caller re-validates the notification
 * after the read, which proves the TID was not reused meanwhile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "creds.h"
#include "../common/fileid.h"

/* Room for 65536 groups of ten digits in /proc/TID/status. */
#define CREDS_BUFSIZE	((size_t)1024 * 1024)
#define CREDS_MAXGROUPS	((size_t)65536)

static void creds_set_current(struct creds_thread *t, const struct creds *c);

static uint64_t creds_mask(cap_t c, cap_flag_t flag)
{
	cap_flag_value_t v;
	uint64_t mask = 0;
	int i;

	for (i = 0; i < 64 && cap_valid(i); i++)
		if (!cap_get_flag(c, (cap_value_t)i, flag, &v) && v == CAP_SET)
			mask |= 1ULL << i;
	return mask;
}

/**
 * creds_thread_init() - record the calling thread's own credentials
 * @t:		state of the calling handling thread
 *
 * Return: 0 or -errno
 */
int creds_thread_init(struct creds_thread *t)
{
	struct stat st;

	memset(t, 0, sizeof(*t));
	t->saved = cap_get_proc();
	t->worn_caps = cap_init();
	if (!t->saved || !t->worn_caps)
		goto fail;
	t->saved_eff = creds_mask(t->saved, CAP_EFFECTIVE);
	t->saved_perm = creds_mask(t->saved, CAP_PERMITTED);
	t->euid = geteuid();
	t->egid = getegid();
	t->fsuid = (uid_t)setfsuid((uid_t)-1);
	t->fsgid = (gid_t)setfsgid((gid_t)-1);
	/* keep the permitted set when the effective uid goes non-zero */
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);

	t->groups = calloc(3 * CREDS_MAXGROUPS, sizeof(gid_t));
	t->buf = mmap(NULL, CREDS_BUFSIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!t->groups || t->buf == MAP_FAILED) {
		t->buf = NULL;
		goto fail;
	}
	t->bufsize = CREDS_BUFSIZE;
	t->child_groups = t->groups + CREDS_MAXGROUPS;
	t->ngroups = getgroups((int)CREDS_MAXGROUPS, t->groups);
	if (t->ngroups < 0)
		goto fail;

	if (stat("/proc/self/ns/user", &st))
		goto fail;
	t->userns_dev = st.st_dev;
	t->userns_ino = st.st_ino;
	t->cur_groups = t->groups + 2 * CREDS_MAXGROUPS;
	creds_set_current(t, &(struct creds){ .euid = t->euid, .egid = t->egid,
		.fsuid = t->fsuid, .fsgid = t->fsgid, .cap_eff = t->saved_eff,
		.ngroups = t->ngroups, .groups = t->groups });
	return 0;
fail:
	creds_thread_fini(t);
	return -ENOMEM;
}

/**
 * creds_thread_fini() - free what creds_thread_init() allocated
 * @t:		state of the handling thread
 */
void creds_thread_fini(struct creds_thread *t)
{
	if (t->saved)
		cap_free(t->saved);
	if (t->worn_caps)
		cap_free(t->worn_caps);
	free(t->groups);
	if (t->buf)
		munmap(t->buf, t->bufsize);
	memset(t, 0, sizeof(*t));
}

/* Field @key of /proc/TID/status, or NULL. */
static const char *creds_field(const char *buf, const char *key)
{
	size_t klen = strlen(key);
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, key, klen))
			return p + klen;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The @n-th (0-based) whitespace separated number after @p. */
static int creds_nth(const char *p, int n, unsigned long long *out, int base)
{
	char *end;

	if (!p)
		return -EINVAL;
	for (;;) {
		errno = 0;
		*out = strtoull(p, &end, base);
		if (end == p || errno)
			return -EINVAL;
		if (!n--)
			return 0;
		p = end;
	}
}

/**
 * creds_parse() - the credentials in the text of /proc/TID/status
 * @buf:	NUL-terminated text
 * @c:		filled in; c->groups is @groups
 * @groups:	room for @max groups
 * @max:	the most groups taken
 *
 * Return: 0, or -EINVAL if a field is missing or malformed
 */
int creds_parse(const char *buf, struct creds *c, gid_t *groups, size_t max)
{
	unsigned long long v;
	const char *p;

	if (creds_nth(creds_field(buf, "Tgid:"), 0, &v, 10))
		return -EINVAL;
	c->tgid = (pid_t)v;
	if (creds_nth(creds_field(buf, "PPid:"), 0, &v, 10))
		return -EINVAL;
	c->ppid = (pid_t)v;
	if (creds_nth(creds_field(buf, "Uid:"), 0, &v, 10))
		return -EINVAL;
	c->ruid = (uid_t)v;
	if (creds_nth(creds_field(buf, "Uid:"), 1, &v, 10))
		return -EINVAL;
	c->euid = (uid_t)v;
	if (creds_nth(creds_field(buf, "Uid:"), 3, &v, 10))
		return -EINVAL;
	c->fsuid = (uid_t)v;
	if (creds_nth(creds_field(buf, "Gid:"), 0, &v, 10))
		return -EINVAL;
	c->rgid = (gid_t)v;
	if (creds_nth(creds_field(buf, "Gid:"), 1, &v, 10))
		return -EINVAL;
	c->egid = (gid_t)v;
	if (creds_nth(creds_field(buf, "Gid:"), 3, &v, 10))
		return -EINVAL;
	c->fsgid = (gid_t)v;
	if (creds_nth(creds_field(buf, "CapEff:"), 0, &v, 16))
		return -EINVAL;
	c->cap_eff = c->cap_eff_ns = v;
	c->foreign_user = false;
	if (creds_nth(creds_field(buf, "CapPrm:"), 0, &v, 16))
		return -EINVAL;
	c->cap_prm = v;

	c->groups = groups;
	c->ngroups = 0;
	p = creds_field(buf, "Groups:");
	while (p && (size_t)c->ngroups < max) {
		char *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			break;
		v = strtoull(p, &end, 10);
		c->groups[c->ngroups++] = (gid_t)v;
		p = end;
	}
	return 0;
}

/**
 * creds_read() - read the credentials of a supervised thread
 * @t:		state of the handling thread (buffers)
 * @tid:	thread id, in netsup's pid namespace
 * @c:		filled in; c->groups points into @t
 *
 * Return: 0, or -errno (-ESRCH if the thread is gone)
 */
int creds_read(struct creds_thread *t, pid_t tid, struct creds *c)
{
	char path[64];
	struct stat st;
	ssize_t n, len = 0;
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((n = read(fd, t->buf + len, t->bufsize - 1 - (size_t)len)) > 0)
		len += n;
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	t->buf[len] = '\0';
	rc = creds_parse(t->buf, c, t->child_groups, CREDS_MAXGROUPS);
	if (rc)
		return rc;

	/* Capabilities count only in netsup's own user namespace. */
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)tid);
	if (stat(path, &st))
		return errno == ENOENT ? -ESRCH : -errno;
	if (!fileid_is(&st, t->userns_dev, t->userns_ino)) {
		c->cap_eff = 0;
		c->foreign_user = true;
	}
	return 0;
}

static int creds_setgroups(int n, const gid_t *groups)
{
	/* The raw system call changes the calling thread only. */
	return syscall(SYS_setgroups, (size_t)n, groups) ? -errno : 0;
}

static int creds_set_caps(struct creds_thread *t, uint64_t eff)
{
	cap_value_t list[64];
	int i, n = 0;

	if (cap_clear(t->worn_caps))
		return -errno;
	for (i = 0; i < 64 && cap_valid(i); i++)
		if (t->saved_perm & (1ULL << i))
			list[n++] = i;
	if (n && cap_set_flag(t->worn_caps, CAP_PERMITTED, n, list, CAP_SET))
		return -errno;
	n = 0;
	for (i = 0; i < 64 && cap_valid(i); i++)
		if (eff & t->saved_perm & (1ULL << i))
			list[n++] = i;
	if (n && cap_set_flag(t->worn_caps, CAP_EFFECTIVE, n, list, CAP_SET))
		return -errno;
	return cap_set_proc(t->worn_caps) ? -errno : 0;
}

/* Is the thread wearing exactly @c? */
static bool creds_wearing(const struct creds_thread *t, const struct creds *c)
{
	return c->euid == t->cur_euid && c->egid == t->cur_egid &&
	       c->fsuid == t->cur_fsuid && c->fsgid == t->cur_fsgid &&
	       c->cap_eff == t->cur_eff && c->ngroups == t->cur_ngroups &&
	       !memcmp(c->groups, t->cur_groups, sizeof(gid_t) * (size_t)c->ngroups);
}

static void creds_set_current(struct creds_thread *t, const struct creds *c)
{
	t->cur_euid = c->euid;
	t->cur_egid = c->egid;
	t->cur_fsuid = c->fsuid;
	t->cur_fsgid = c->fsgid;
	t->cur_eff = c->cap_eff;
	t->cur_ngroups = c->ngroups;
	memcpy(t->cur_groups, c->groups, sizeof(gid_t) * (size_t)c->ngroups);
}

/* The raw system calls change the calling thread only (glibc's wrappers
 * would change every thread of netsup). */
static int creds_setresuid_e(uid_t euid)
{
	return syscall(SYS_setresuid, -1, euid, -1) ? -errno : 0;
}

static int creds_setresgid_e(gid_t egid)
{
	return syscall(SYS_setresgid, -1, egid, -1) ? -errno : 0;
}

static int creds_setfsuid_checked(uid_t uid)
{
	syscall(SYS_setfsuid, uid);
	return syscall(SYS_setfsuid, -1) == (long)uid ? 0 : -EPERM;
}

static int creds_setfsgid_checked(gid_t gid)
{
	syscall(SYS_setfsgid, gid);
	return syscall(SYS_setfsgid, -1) == (long)gid ? 0 : -EPERM;
}

/**
 * creds_wear() - make the calling thread wear a child's credentials
 * @t:		state of the calling handling thread
 * @c:		credentials of the child
 *
 * Credentials are sticky, like namespaces: the thread keeps wearing the
 * last child's until it needs its own privileges back (creds_own()), so
 * a run of sockets for children with the same credentials changes
 * nothing.  Worn are the effective ids (owner checks of user namespaces,
 * ping_group_range), the fs ids (the socket's owner), the groups and the
 * effective capabilities.  Each change is a system call that builds new
 * kernel credentials, so only what differs from netsup's own is changed,
 * ids first (they need CAP_SETUID/SETGID), capabilities last.
 *
 * Return: 0, -errno with the thread's own credentials back in place, or
 *	   -ENOTRECOVERABLE if they could not be put back: the thread must
 *	   serve no one
 */
int creds_wear(struct creds_thread *t, const struct creds *c)
{
	int rc = 0;

	if (creds_wearing(t, c))
		return 0;
	if (creds_own(t))
		return -ENOTRECOVERABLE;
	t->wearing = true;
	t->cur_ngroups = -1;	/* matches nothing until all is done */

	if (c->ngroups != t->ngroups ||
	    memcmp(c->groups, t->groups, sizeof(gid_t) * (size_t)c->ngroups) != 0)
		rc = creds_setgroups(c->ngroups, c->groups);
	if (!rc && c->egid != t->egid)
		rc = creds_setresgid_e(c->egid);
	if (!rc)
		rc = creds_setfsgid_checked(c->fsgid);
	if (!rc && c->euid != t->euid) {
		/* clears the effective set: CAP_SETUID back for setfsuid */
		rc = creds_setresuid_e(c->euid);
		if (!rc && c->fsuid != c->euid && cap_set_proc(t->saved))
			rc = -errno;
	}
	if (!rc)
		rc = creds_setfsuid_checked(c->fsuid);
	if (!rc)
		rc = creds_set_caps(t, c->cap_eff);
	if (rc)
		return creds_own(t) ? -ENOTRECOVERABLE : rc;
	creds_set_current(t, c);
	return 0;
}

/**
 * creds_own() - give the calling thread its own credentials back
 * @t:		state of the calling handling thread
 *
 * Return: 0, or -ENOTRECOVERABLE: the thread must serve no one
 */
int creds_own(struct creds_thread *t)
{
	if (!t->wearing)
		return 0;
	/* capabilities first: changing the ids back needs them; the
	 * permitted set was kept (PR_SET_KEEPCAPS) */
	if (cap_set_proc(t->saved) ||
	    creds_setresuid_e(t->euid) || creds_setfsuid_checked(t->fsuid) ||
	    creds_setresgid_e(t->egid) || creds_setfsgid_checked(t->fsgid) ||
	    creds_setgroups(t->ngroups, t->groups) ||
	    /* an effective uid back to 0 raised the effective set */
	    cap_set_proc(t->saved))
		return -ENOTRECOVERABLE;
	creds_set_current(t, &(struct creds){ .euid = t->euid, .egid = t->egid,
		.fsuid = t->fsuid, .fsgid = t->fsgid, .cap_eff = t->saved_eff,
		.ngroups = t->ngroups, .groups = t->groups });
	t->wearing = false;
	return 0;
}
