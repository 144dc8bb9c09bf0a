// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stackps.c - which processes use a stack (netsup-stack ps)
 *
 * A program under netsup lives in one namespace and holds sockets of
 * another, so neither "ip netns pids" nor lsns(8), which look at
 * /proc/PID/ns/net, can see it.  This module looks at the sockets
 * themselves.  For each process in /proc:
 *
 * - its main thread's and its other threads' /proc/PID/task/TID/ns/net,
 *   compared with the stack by nsfs dev/inode: the process lives in it;
 * - each descriptor of /proc/PID/fd:
 *   - a socket ("socket:[N]") is copied into this process with
 *     pidfd_getfd(2) (Linux 5.6; needs PTRACE_MODE_ATTACH over the
 *     process, as root has), and ioctl(SIOCGSKNS) (Linux 4.9) on the copy
 *     opens the namespace the socket was created in; SO_DOMAIN gives its
 *     family.  The copy is closed at once.  This finds a socket whatever
 *     its family or protocol, and whichever process created it (netsup's
 *     supervisor creates them for its command);
 *   - an open file of the namespace (shown as "net:[N]", or as the path
 *     it was opened by): the process holds the stack open, as netsup
 *     does for its default stacks;
 *   - "anon_inode:seccomp notify": the process holds a seccomp
 *     user-notification listener, that is, it is a netsup supervisor.
 *
 * A supervisor's command, and which processes it serves, are found by
 * stackps-sup.c; the table and JSON are printed by stackps-print.c.
 *
 * A userspace stack (stackps_match.daemon) has no namespace: its sockets
 * are the other ends of its daemon's socketpairs, and its clients hold
 * connections to the daemon; netsup-stack-lwip.c finds their inodes, and
 * a process uses the stack if it holds one of them ("socket:[N]" in
 * /proc/PID/fd is enough: nothing is copied), or is the daemon.
 *
 * Side effect: receiving a socket with pidfd_getfd() sets the socket's
 * cgroup v1 net_cls class and net_prio index to those of the receiver
 * (__receive_sock() in the kernel); on a system without those v1
 * controllers nothing changes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "stackps.h"
#include "stackps-int.h"
#include "../../common/fileid.h"
#include "../../common/util.h"

static const char *const stackps_family_names[STACKPS_FAMILIES] = {
	[STACKPS_INET] = "inet",
	[STACKPS_INET6] = "inet6",
	[STACKPS_NETLINK] = "netlink",
	[STACKPS_PACKET] = "packet",
	[STACKPS_UNIX] = "unix",
	[STACKPS_OTHER] = "other",
	[STACKPS_USERSPACE] = "userspace",
};

/**
 * stackps_family_name() - name of a family as output shows it
 * @family:	enum stackps_family
 *
 * Return: "inet", "inet6", "netlink", "packet", "unix", "other" or
 *	   "userspace" (a userspace stack's socket, of whichever family)
 */
const char *stackps_family_name(int family)
{
	if (family < 0 || family >= STACKPS_FAMILIES)
		return "other";
	return stackps_family_names[family];
}

/**
 * stackps_family() - the enum stackps_family of an address family
 * @domain:	AF_*
 *
 * Return: its index; STACKPS_OTHER for any family not named
 */
static int stackps_family(int domain)
{
	switch (domain) {
	case AF_INET:	 return STACKPS_INET;
	case AF_INET6:	 return STACKPS_INET6;
	case AF_NETLINK: return STACKPS_NETLINK;
	case AF_PACKET:	 return STACKPS_PACKET;
	case AF_UNIX:	 return STACKPS_UNIX;
	default:	 return STACKPS_OTHER;
	}
}

/**
 * stackps_same() - is the namespace file at @path the stack?
 * @dirfd:	directory @path is relative to
 * @path:	a /proc ns or fd entry
 * @dev:	the stack's nsfs device
 * @ino:	and inode
 *
 * Return: true if it is
 */
static bool stackps_same(int dirfd, const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	return !fstatat(dirfd, path, &st, 0) && fileid_is(&st, dev, ino);
}

/**
 * stackps_socket() - is a process's socket in the stack, and of which family?
 * @pidfd:	the process
 * @fd:		the socket's number in it
 * @dev:	the stack's nsfs device
 * @ino:	and inode
 * @family:	receives the enum stackps_family when it is
 *
 * Return: 1 if the socket is in the stack, 0 if not, -errno if that could
 *	   not be told (-EBADF: the process closed it meanwhile)
 */
static int stackps_socket(int pidfd, int fd, dev_t dev, ino_t ino, int *family)
{
	cleanup_close int sfd = -1, nsfd = -1;
	socklen_t len = sizeof(int);
	int domain = -1;
	struct stat st;

	sfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sfd < 0)
		return -errno;
	nsfd = ioctl(sfd, SIOCGSKNS);
	if (nsfd < 0 || fstat(nsfd, &st))
		return -errno;
	if (!fileid_is(&st, dev, ino))
		return 0;
	getsockopt(sfd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
	*family = stackps_family(domain);
	return 1;
}

/**
 * stackps_among() - is @ino in a sorted array?
 * @ino:	a socket inode
 * @set:	sorted inodes
 * @n:		how many
 *
 * Return: true if it is
 */
static bool stackps_among(ino_t ino, const ino_t *set, size_t n)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (set[mid] == ino)
			return true;
		if (set[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/**
 * stackps_fds() - look at every descriptor of a process
 * @pid:	the process
 * @pidfd:	a pidfd on it
 * @m:		the stack
 * @p:		receives sockets, holds, unchecked, supervisor
 *
 * Return: 0, or -errno if the descriptors cannot be listed (-EACCES:
 *	   not ours to examine, -ESRCH: gone)
 */
static int stackps_fds(pid_t pid, int pidfd, const struct stackps_match *m,
		       struct stackps_proc *p)
{
	char path[64], link[64];
	struct dirent *d;
	int dfd, family = STACKPS_OTHER, rc;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? -ESRCH : -errno;
	dfd = dirfd(dir);
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		n = readlinkat(dfd, d->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;	/* closed meanwhile */
		link[n] = '\0';
		if (!strncmp(link, "socket:[", 8) && m->daemon) {
			ino_t sino = (ino_t)strtoull(link + 8, NULL, 10);

			if (stackps_among(sino, m->socks, m->nsocks))
				p->sockets[STACKPS_USERSPACE]++;
			else if (stackps_among(sino, m->conns, m->nconns))
				p->holds++;
		} else if (!strncmp(link, "socket:[", 8)) {
			rc = stackps_socket(pidfd, (int)stackps_number(d->d_name, NULL),
					    m->dev, m->ino, &family);
			if (rc == 1)
				p->sockets[family]++;
			else if (rc == -EPERM || rc == -EACCES)
				p->unchecked++;
		} else if (!strcmp(link, "anon_inode:seccomp notify")) {
			p->supervisor = true;
		} else if (strncmp(link, "pipe:[", 6) != 0 &&
			   strncmp(link, "anon_inode:", 11) != 0) {
			/* "net:[N]", or the path it was opened by */
			if (!m->daemon && stackps_same(dfd, d->d_name, m->dev, m->ino))
				p->holds++;
		}
	}
	closedir(dir);
	return 0;
}

/**
 * stackps_threads() - which threads of a process are in the stack
 * @pid:	the process
 * @dev:	the stack's nsfs device
 * @ino:	and inode
 * @p:		receives lives and threads
 */
static void stackps_threads(pid_t pid, dev_t dev, ino_t ino, struct stackps_proc *p)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	p->lives = stackps_same(AT_FDCWD, path, dev, ino);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
		    stackps_number(d->d_name, NULL) == pid)
			continue;
		snprintf(path, sizeof(path), "%.20s/ns/net", d->d_name);
		if (stackps_same(dirfd(dir), path, dev, ino))
			p->threads++;
	}
	closedir(dir);
}

/**
 * stackps_uses() - does a process use the stack in any way?
 * @p:		what was found about it
 *
 * Return: true if it lives in the stack, holds its file or a socket in it
 */
static bool stackps_uses(const struct stackps_proc *p)
{
	int i;

	if (p->lives || p->threads || p->holds || p->daemon)
		return true;
	for (i = 0; i < STACKPS_FAMILIES; i++)
		if (p->sockets[i])
			return true;
	return false;
}

/**
 * stackps_describe() - the names of a process that uses the stack
 * @p:		the process; receives comm, cmdline, ppid, uid
 *
 * Return: 0, or -ESRCH if it is gone
 */
static int stackps_describe(struct stackps_proc *p)
{
	char path[64];
	ssize_t n;
	int rc;

	rc = stackps_status(p->pid, &p->ppid, &p->uid);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)p->pid);
	n = stackps_read(path, p->comm, sizeof(p->comm));
	if (n > 0 && p->comm[n - 1] == '\n')
		p->comm[n - 1] = '\0';
	return stackps_cmdline(p->pid, &p->cmdline, &p->cmdline_len);
}

/**
 * stackps_examine() - how a process uses the stack
 * @pid:	the process
 * @m:		the stack
 * @p:		receives what was found
 *
 * Return: 0, or -errno (-ESRCH: gone, -EACCES/-EPERM: not ours to see)
 */
static int stackps_examine(pid_t pid, const struct stackps_match *m, struct stackps_proc *p)
{
	int pidfd, rc;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->daemon = m->daemon == pid;
	/* pinned first: a pid reused meanwhile fails pidfd_getfd() */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	rc = stackps_fds(pid, pidfd, m, p);
	close(pidfd);
	if (rc)
		return rc;
	if (!m->daemon)
		stackps_threads(pid, m->dev, m->ino, p);
	return 0;
}

/**
 * stackps_examine_pid() - how one process uses a stack (netsup-stack identify)
 * @pid:	the process
 * @m:		the stack
 * @p:		receives what was found, with its names; stackps_proc_free()
 *		it
 *
 * Return: 1 if it uses the stack, 0 if not, or -errno (-ESRCH: gone,
 *	   -EACCES/-EPERM: not ours to see)
 */
int stackps_examine_pid(pid_t pid, const struct stackps_match *m, struct stackps_proc *p)
{
	int rc = stackps_examine(pid, m, p);

	if (rc)
		return rc;
	if (!stackps_uses(p))
		return 0;
	rc = stackps_describe(p);
	return rc ? rc : 1;
}

/**
 * stackps_proc_free() - free what a process record owns
 * @p:		the record
 */
void stackps_proc_free(struct stackps_proc *p)
{
	free(p->cmdline);
	free(p->command_line);
	p->cmdline = p->command_line = NULL;
}

/**
 * stackps_add() - append a process to the result
 * @ps:		the result
 * @p:		the process, handed over (its command lines with it; freed
 *		on error)
 *
 * Return: 0, or -ENOMEM
 */
static int stackps_add(struct stackps *ps, struct stackps_proc *p)
{
	struct stackps_proc *procs;

	procs = realloc(ps->procs, (ps->n + 1) * sizeof(*procs));
	if (!procs) {
		stackps_proc_free(p);
		return -ENOMEM;
	}
	ps->procs = procs;
	ps->procs[ps->n++] = *p;
	return 0;
}

/**
 * stackps_by_pid() - qsort order of processes
 * @a:		a struct stackps_proc
 * @b:		another
 *
 * Return: <0, 0, >0 as @a's pid is lower, equal or higher
 */
static int stackps_by_pid(const void *a, const void *b)
{
	const struct stackps_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/**
 * stackps_scan() - find the processes that use a stack
 * @m:		the stack
 * @ps:		receives them, sorted by pid; free with stackps_free()
 *
 * The calling process itself is left out.
 *
 * Return: 0, or -errno (/proc unreadable, -ENOMEM)
 */
int stackps_scan(const struct stackps_match *m, struct stackps *ps)
{
	struct stackps_sup *sups = NULL, *more;
	size_t nsups = 0, i;
	pid_t self = getpid();
	struct stackps_proc p;
	struct dirent *d;
	int rc = 0;
	DIR *proc;

	memset(ps, 0, sizeof(*ps));
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while (!rc && (d = readdir(proc))) {
		pid_t pid;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = (pid_t)stackps_number(d->d_name, NULL);
		if (pid == self)
			continue;
		rc = stackps_examine(pid, m, &p);
		if (rc) {
			if (rc == -EACCES || rc == -EPERM)
				ps->unreadable++;
			rc = 0;
			continue;
		}
		if (p.supervisor) {
			more = realloc(sups, (nsups + 1) * sizeof(*sups));
			if (!more) {
				rc = -ENOMEM;
				break;
			}
			sups = more;
			rc = stackps_netsup(&p);
			sups[nsups].pid = pid;
			sups[nsups].netsup = p.netsup;
			sups[nsups++].command = p.command;
		}
		if (!rc && stackps_uses(&p) && !stackps_describe(&p))
			rc = stackps_add(ps, &p);	/* hands p over */
		else
			stackps_proc_free(&p);
	}
	closedir(proc);
	if (!rc) {
		for (i = 0; i < ps->n; i++)
			stackps_link(&ps->procs[i], sups, nsups);
		stackps_orphans(ps);
		if (ps->n)
			qsort(ps->procs, ps->n, sizeof(*ps->procs), stackps_by_pid);
	} else {
		stackps_free(ps);
	}
	free(sups);
	return rc;
}

/**
 * stackps_free() - free what stackps_scan() found
 * @ps:		the result
 */
void stackps_free(struct stackps *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		stackps_proc_free(&ps->procs[i]);
	free(ps->procs);
	ps->procs = NULL;
	ps->n = 0;
}
