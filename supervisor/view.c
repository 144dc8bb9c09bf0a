// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view.c - --view: what the command sees of its stack
 *
 * netsup moves sockets, not processes: the command stays in its own
 * network namespace, so whatever the kernel answers from the reader's
 * namespace shows that one (usually the host's), not the stack's.  Under
 * `ip netns exec NAME` the process lives in NAME, and iproute2 adds a
 * private mount namespace with a sysfs mounted in NAME and the files of
 * /etc/netns/NAME bound over /etc.  --view gives the command the same
 * view of its inet stack (inet6's if only that is set), in a mount
 * namespace of its own, made by the command's process before it installs
 * the filter and execs (so that no setns() of it reaches the supervisor,
 * which would take it for a program changing its own namespace).
 *
 * How each part is shown, and why so:
 *
 * - Mount namespace: unshare(CLONE_NEWNS) (Linux 2.4.19), then / made
 *   MS_SLAVE recursively (2.6.15), as iproute2 does: mounts of the host
 *   still reach the command, nothing of the command's reaches the host.
 *
 * - /sys: sysfs shows the network namespace of the task that mounts it
 *   (the kernel tags the superblock with it: kobj_ns_grab_current()), so
 *   a thread of the command's process enters the stack with
 *   setns(CLONE_NEWNET) (3.0), detaches /sys (umount2 MNT_DETACH) and
 *   mounts a new sysfs there (read-only, nosuid, nodev, noexec as the old
 *   one was), and ends: the thread shares the mount namespace, and the
 *   process never leaves its own network namespace, which it could not
 *   enter again from a user namespace of its own (a user's stack,
 *   add without root in netsup-stack(8)).  iproute2 loses the mounts below /sys that way
 *   (/sys/fs/cgroup, /sys/kernel/security, ...); netsup clones each first
 *   with open_tree(OPEN_TREE_CLONE | AT_RECURSIVE) (5.2) and puts it back
 *   on the new sysfs with move_mount() (5.2).
 *
 * - /proc/net: a symlink to self/net, and /proc/PID/net shows the network
 *   namespace of task PID at each lookup.  A fresh proc would not help
 *   (proc is tagged with a pid namespace, not a network one), so
 *   /proc/net is made to point at a task that lives in the stack: a
 *   thread of the supervisor (view_holder_start()) that enters it and
 *   sleeps, and lives exactly as long as there is a supervised process to
 *   read it.  The kernel does not follow a symlink given to move_mount()
 *   without MOVE_MOUNT_T_SYMLINKS, so a mount whose root is a symlink
 *   "PID/task/TID/net" (made on a scratch tmpfs, cloned with open_tree
 *   AT_SYMLINK_NOFOLLOW) is mounted on the /proc/net symlink itself.
 *   /proc/PID/net and /proc/self/net still name processes, and show
 *   theirs.  Reading /proc/PID/net needs no privilege over PID.
 *
 * - /proc/sys/net: sysctls are looked up in the namespace of the reading
 *   task (net_ctl_header_lookup() uses current), whatever proc instance.
 *   But a directory below /proc/sys/net, once looked up by a task in the
 *   stack, is that stack's directory: its entries are found in it for
 *   any reader.  So each entry of /proc/sys/net is cloned (open_tree)
 *   while in the stack and mounted over the same entry once back (an
 *   entry only the stack has is left out; one only the command's own
 *   namespace has, such as the global net.nf_conntrack_max, stays).  The
 *   kernel pays for it: it matches sysctl dentries against the reader's
 *   namespace, so each lookup below those directories by the command
 *   leaves a dentry that the next lookups of that name step over (freed
 *   under memory pressure).  A program that reads one net sysctl
 *   thousands of times gets slower; man netsup(1), BUGS.
 *
 * - /etc: each file of /etc/netns/NAME is bound over /etc/FILE, exactly
 *   as iproute2's bind_etc() does (following a symlink such as
 *   /etc/resolv.conf; a failure is a warning).  NAME is the last
 *   component of the stack's path (/run/netns/NAME, /dev/net/NAME); a
 *   stack named by a /proc path has none.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"
#include "view.h"

#define VIEW_ETC_DIR	"/etc/netns"
#define VIEW_MAX_MOUNTS	64	/* below /sys, or entries of /proc/sys/net */

/* Mounts cloned to be put back elsewhere: a detached tree and its place. */
struct view_clones {
	int fd[VIEW_MAX_MOUNTS];
	char *path[VIEW_MAX_MOUNTS];
	int n;
};

/*
 * view_clones_free() - close and free what view_clones_add() kept
 * @c:	the clones
 */
static void view_clones_free(struct view_clones *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		close(c->fd[i]);
		free(c->path[i]);
	}
	c->n = 0;
}

/*
 * view_clones_add() - clone the mount tree at @path, to put it at @dest
 * @c:		the clones
 * @path:	what to clone (a mount point, or a directory of proc)
 * @dest:	where it goes later
 *
 * Return: 0 or -errno
 */
static int view_clones_add(struct view_clones *c, const char *path, const char *dest)
{
	int fd;

	if (c->n >= VIEW_MAX_MOUNTS)
		return -E2BIG;
	fd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0)
		return -errno;
	c->path[c->n] = strdup(dest);
	if (!c->path[c->n]) {
		close(fd);
		return -ENOMEM;
	}
	c->fd[c->n++] = fd;
	return 0;
}

/**
 * view_pick() - the stack --view shows: inet's, else inet6's
 * @defaults:	stack of each family, or NULL
 * @out:	receives it (no reference taken)
 *
 * Return: 0, -ENOENT (neither family has a stack), -ENOTSUP (the stack
 *	   is no network namespace: a userspace stack has nothing to show)
 */
int view_pick(struct stack *const defaults[FAM_COUNT], struct stack **out)
{
	struct stack *s = defaults[FAM_INET] ? defaults[FAM_INET] : defaults[FAM_INET6];

	if (!s)
		return -ENOENT;
	if (ioctl(s->fd, NS_GET_NSTYPE) != CLONE_NEWNET)
		return -ENOTSUP;
	*out = s;
	return 0;
}

/**
 * view_etc_name() - NAME of /etc/netns/NAME for the stack at @path
 * @path:	the stack's path, as resolved (/run/netns/red, /dev/net/red)
 * @buf:	receives NAME
 * @len:	size of @buf
 *
 * Return: 0, or -ENOENT if the stack has no name (a /proc path, a path
 *	   ending in '/', a name too long)
 */
int view_etc_name(const char *path, char *buf, size_t len)
{
	const char *name = strrchr(path, '/');

	name = name ? name + 1 : path;
	if (!strncmp(path, "/proc/", 6) || !*name || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strlen(name) >= len || strlen(name) >= NAME_MAX)
		return -ENOENT;
	memcpy(buf, name, strlen(name) + 1);
	return 0;
}

/**
 * view_hint() - without --view, say once that /etc/netns/NAME is not used
 * @defaults:	stack of each family, or NULL
 *
 * A user who set up /etc/netns/NAME/resolv.conf for a stack expects it,
 * as with ip netns exec; the command would see the host's resolver.
 */
void view_hint(struct stack *const defaults[FAM_COUNT])
{
	char name[NAME_MAX], dir[sizeof(VIEW_ETC_DIR) + NAME_MAX + 1];
	struct stack *s;
	struct stat st;

	if (view_pick(defaults, &s) || view_etc_name(s->path, name, sizeof(name)))
		return;
	snprintf(dir, sizeof(dir), "%s/%s", VIEW_ETC_DIR, name);
	if (!stat(dir, &st) && S_ISDIR(st.st_mode))
		warn("%s: the command sees the host's /etc, /proc/net and /sys, not %s's; --view shows %s's",
		     dir, name, name);
}

/* What view_holder_main() reports to view_holder_start(). */
struct view_holder {
	const struct stack *stack;
	int pipe[2];
};

/*
 * view_holder_main() - a thread that lives in the stack, and sleeps
 * @arg:	struct view_holder; its pipe gets the tid, or -errno
 *
 * Every signal is blocked, so that none is delivered to it and pause()
 * never returns; the thread ends with the supervisor.
 */
static void *view_holder_main(void *arg)
{
	const struct view_holder *h = arg;
	sigset_t all;
	pid_t r;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	r = setns(h->stack->fd, CLONE_NEWNET) ? -errno : gettid();
	if (write(h->pipe[1], &r, sizeof(r)) != sizeof(r) || r < 0)
		return NULL;
	for (;;)
		pause();
	return NULL;
}

/**
 * view_holder_start() - start a thread of this process in @s, for good
 * @s:		the stack shown (a network namespace)
 * @tid:	receives the thread's id: /proc/PID/task/TID/net shows @s
 *
 * Called by the supervisor, which lives exactly as long as a supervised
 * process may read /proc/net.  Needs CAP_SYS_ADMIN (setns).
 *
 * Return: 0 or -errno
 */
int view_holder_start(const struct stack *s, pid_t *tid)
{
	struct view_holder h = { .stack = s };
	pthread_attr_t attr;
	pthread_t t;
	pid_t r = -EIO;
	int rc;

	if (pipe2(h.pipe, O_CLOEXEC))
		return -errno;
	rc = -pthread_attr_init(&attr);
	if (!rc) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		rc = -pthread_create(&t, &attr, view_holder_main, &h);
		pthread_attr_destroy(&attr);
	}
	/* h lives on this stack until the thread has written */
	if (!rc && read(h.pipe[0], &r, sizeof(r)) != sizeof(r))
		rc = -EIO;
	close(h.pipe[0]);
	close(h.pipe[1]);
	if (rc)
		return rc;
	if (r < 0)
		return r;
	*tid = r;
	return 0;
}

/*
 * view_unescape() - decode a mountinfo field in place (\040 is a space)
 * @s:	the field
 */
static void view_unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/*
 * view_mountinfo_parse() - the ids and the mount point of a mountinfo line
 * @line:	"ID PARENT MAJ:MIN ROOT POINT ..."
 * @id:		receives ID
 * @parent:	receives PARENT
 * @point:	receives POINT, unescaped
 * @size:	size of @point
 *
 * Return: 0, or -EINVAL for a line of another form
 */
static int view_mountinfo_parse(const char *line, long *id, long *parent,
				char *point, size_t size)
{
	const char *p = line;
	char *end;
	size_t len;
	int i;

	*id = strtol(p, &end, 10);
	if (end == p || *end != ' ')
		return -EINVAL;
	p = end + 1;
	*parent = strtol(p, &end, 10);
	if (end == p || *end != ' ')
		return -EINVAL;
	p = end + 1;
	for (i = 0; i < 2; i++) {	/* MAJ:MIN, ROOT */
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	len = strcspn(p, " \n");
	if (!len || len >= size)
		return -EINVAL;
	memcpy(point, p, len);
	point[len] = '\0';
	view_unescape(point);
	return 0;
}

/*
 * view_sys_children() - clone each mount standing on /sys
 * @c:	receives the clones, with their paths
 *
 * The top mount at /sys is the last one of /proc/self/mountinfo with that
 * mount point; its children are the lines whose parent it is.
 *
 * Return: 0 (also when nothing is mounted at /sys), or -errno
 */
static int view_sys_children(struct view_clones *c)
{
	char *line = NULL, point[PATH_MAX];
	long id, parent, sys_id = -1;
	int pass, rc = 0;
	size_t cap = 0;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	for (pass = 0; pass < 2 && !rc; pass++) {
		rewind(f);
		while (!rc && getline(&line, &cap, f) > 0) {
			if (view_mountinfo_parse(line, &id, &parent, point, sizeof(point)))
				continue;
			if (pass == 0 && !strcmp(point, "/sys"))
				sys_id = id;
			else if (pass == 1 && parent == sys_id && id != sys_id &&
				 !strncmp(point, "/sys/", 5))
				rc = view_clones_add(c, point, point);
		}
	}
	free(line);
	fclose(f);
	return rc;
}

/*
 * view_sys_flags() - the mount flags of the sysfs at /sys, for the new one
 *
 * Return: MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC as /sys has them
 */
static unsigned long view_sys_flags(void)
{
	unsigned long flags = 0;
	struct statvfs st;

	if (statvfs("/sys", &st))
		return MS_NOSUID | MS_NODEV | MS_NOEXEC;
	if (st.f_flag & ST_RDONLY)
		flags |= MS_RDONLY;
	if (st.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (st.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (st.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	return flags;
}

/*
 * view_sysctl_clones() - clone each entry of /proc/sys/net, as seen here
 * @c:	receives the clones
 *
 * Called inside the stack: each directory looked up now is the stack's.
 *
 * Return: 0 or -errno
 */
static int view_sysctl_clones(struct view_clones *c)
{
	char path[PATH_MAX];
	struct dirent *e;
	int rc = 0;
	DIR *d;

	d = opendir("/proc/sys/net");
	if (!d)
		return -errno;
	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/sys/net/%s", e->d_name);
		rc = view_clones_add(c, path, path);
	}
	closedir(d);
	return rc;
}

/*
 * view_clones_place() - mount each clone at its place
 * @c:		the clones
 * @what:	for messages: "/proc/sys/net", "/sys"
 *
 * A place that does not exist here is skipped (an entry of /proc/sys/net
 * only the stack has, a mount point the new sysfs lacks).
 *
 * Return: 0 or -errno, after saying what failed
 */
static int view_clones_place(const struct view_clones *c, const char *what)
{
	int i;

	for (i = 0; i < c->n; i++) {
		if (!move_mount(c->fd[i], "", AT_FDCWD, c->path[i], MOVE_MOUNT_F_EMPTY_PATH))
			continue;
		if (errno == ENOENT) {
			debug("--view: %s: not here, left out", c->path[i]);
			continue;
		}
		err("--view: %s: cannot mount it for %s: %s", c->path[i], what, strerror(errno));
		return -errno;
	}
	return 0;
}

/*
 * view_proc_net() - make /proc/net point at /proc/PID/task/TID/net
 * @pid:	the holder's process
 * @tid:	the holder thread
 *
 * A symlink cannot be bound with mount(2), which follows it: it is made
 * on a tmpfs mounted over /proc for a moment (nothing else runs in this
 * mount namespace yet), cloned without following it (open_tree
 * AT_SYMLINK_NOFOLLOW), and the clone is mounted on the /proc/net symlink
 * (move_mount without MOVE_MOUNT_T_SYMLINKS does not follow it either).
 *
 * Return: 0 or -errno, after saying what failed
 */
static int view_proc_net(pid_t pid, pid_t tid)
{
	char target[64];
	const char *step;
	int tree = -1, rc = 0;

	snprintf(target, sizeof(target), "%d/task/%d/net", (int)pid, (int)tid);
	step = "mount a scratch tmpfs on /proc";
	if (mount("netsup", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755"))
		goto fail;
	step = "make the symlink";
	if (symlink(target, "/proc/net") == 0) {
		tree = open_tree(AT_FDCWD, "/proc/net",
				 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
		step = "clone the symlink";
	}
	if (tree < 0)
		rc = -errno;
	if (umount2("/proc", MNT_DETACH) && !rc) {
		rc = -errno;
		step = "unmount the scratch tmpfs from /proc";
	}
	if (rc)
		goto out;
	step = "mount it on /proc/net";
	if (move_mount(tree, "", AT_FDCWD, "/proc/net", MOVE_MOUNT_F_EMPTY_PATH))
		goto fail;
	goto out;
fail:
	rc = -errno;
out:
	if (rc)
		err("--view: /proc/net -> %s: cannot %s: %s", target, step, strerror(-rc));
	if (tree >= 0)
		close(tree);
	return rc;
}

/*
 * view_bind_etc() - bind each file of /etc/netns/NAME over /etc/FILE
 * @name:	NAME
 *
 * As iproute2's bind_etc(): no such directory is no error, and a file
 * that cannot be bound is a warning (mount(2) follows a symlink at
 * /etc/FILE, as ip netns exec does).
 */
static void view_bind_etc(const char *name)
{
	char dir[sizeof(VIEW_ETC_DIR) + NAME_MAX + 1], src[PATH_MAX], dst[PATH_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", VIEW_ETC_DIR, name);
	d = opendir(dir);
	if (!d) {
		if (errno != ENOENT)
			warn("--view: %s: %s", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, e->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", e->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL))
			warn("--view: cannot bind %s over %s: %s", src, dst, strerror(errno));
		else
			debug("--view: %s bound over %s", src, dst);
	}
	closedir(d);
}

/*
 * view_in_stack() - the part done inside the stack: /sys, /proc/sys/net
 * @v:		the view
 * @sysctl:	receives the clones of /proc/sys/net's entries
 *
 * Return: 0 or -errno, after saying what failed
 */
static int view_in_stack(const struct view *v, struct view_clones *sysctl)
{
	char name[NAME_MAX];
	unsigned long flags = view_sys_flags();
	int rc;

	if (view_etc_name(v->stack->path, name, sizeof(name)))
		snprintf(name, sizeof(name), "netsup");
	if (umount2("/sys", MNT_DETACH) && errno != EINVAL && errno != ENOENT) {
		rc = -errno;
		err("--view: /sys: cannot unmount the host's sysfs: %s", strerror(-rc));
		return rc;
	}
	if (mount(name, "/sys", "sysfs", flags, NULL)) {
		rc = -errno;
		err("--view: /sys: cannot mount a sysfs of %s: %s", v->stack->path, strerror(-rc));
		return rc;
	}
	rc = view_sysctl_clones(sysctl);
	if (rc)
		err("--view: /proc/sys/net of %s: cannot clone its entries: %s",
		    v->stack->path, strerror(-rc));
	return rc;
}

/* What view_in_thread() is given, and what it found. */
struct view_in_args {
	const struct view *v;
	struct view_clones *sysctl;
	int rc;
};

/*
 * view_in_thread() - view_in_stack() from a thread that enters the stack
 * @arg:	a struct view_in_args
 *
 * The thread shares the process's mount namespace and descriptors (a
 * setns(CLONE_NEWNET) changes the calling thread's namespaces only), and
 * ends in the stack: nothing has to return to the command's own network
 * namespace, which a process in a user namespace of its own (a user's
 * stack, netsup-stack(8)) may enter only once, never again.
 *
 * Return: NULL; the result in @arg's rc
 */
static void *view_in_thread(void *arg)
{
	struct view_in_args *a = arg;

	if (setns(a->v->stack->fd, CLONE_NEWNET)) {
		a->rc = -errno;
		err("--view: %s: cannot enter the network namespace: %s",
		    a->v->stack->path, strerror(-a->rc));
		return NULL;
	}
	a->rc = view_in_stack(a->v, a->sysctl);
	return NULL;
}

/**
 * view_enter() - give this process a mount namespace showing @v's stack
 * @v:	the stack, and the holder thread for /proc/net
 *
 * Called by the command's process before it installs the filter: it must
 * be single-threaded (unshare(CLONE_NEWNS)), and have CAP_SYS_ADMIN over
 * the stack.  It never leaves its own network namespace: what must be
 * done from inside the stack, a thread of it does (view_in_thread()).
 *
 * Return: 0 or -errno, after saying what failed
 */
int view_enter(const struct view *v)
{
	struct view_clones sys = { .n = 0 }, sysctl = { .n = 0 };
	struct view_in_args in = { .v = v, .sysctl = &sysctl };
	char name[NAME_MAX];
	pthread_t t;
	int rc;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL)) {
		rc = -errno;
		err("--view: cannot make a mount namespace of its own: %s", strerror(-rc));
		goto out;
	}
	rc = view_sys_children(&sys);
	if (rc) {
		err("--view: cannot clone the mounts below /sys: %s", strerror(-rc));
		goto out;
	}
	rc = pthread_create(&t, NULL, view_in_thread, &in);
	if (rc) {
		err("--view: cannot start a thread to enter %s: %s", v->stack->path, strerror(rc));
		rc = -rc;
		goto out;
	}
	pthread_join(t, NULL);
	rc = in.rc;
	if (rc)
		goto out;
	rc = view_clones_place(&sys, "/sys");
	if (!rc)
		rc = view_clones_place(&sysctl, "/proc/sys/net");
	if (!rc)
		rc = view_proc_net(v->holder_pid, v->holder_tid);
	if (!rc && !view_etc_name(v->stack->path, name, sizeof(name)))
		view_bind_etc(name);
	if (!rc)
		info("--view: /proc/net, /proc/sys/net and /sys show %s", v->stack->path);
out:
	view_clones_free(&sys);
	view_clones_free(&sysctl);
	return rc;
}
