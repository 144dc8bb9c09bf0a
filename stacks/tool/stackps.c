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
 * A supervisor is a fork of the netsup command that started it, without
 * an execve: its command line is netsup's, and while that netsup still
 * waits for its command, the supervisor's parent is netsup and the
 * command is netsup's other child.  A process whose ancestors include
 * such a command is served by that supervisor.  Once netsup has returned
 * (the command exited and left daemons behind), the supervisor's command
 * line still tells what it was started for.
 *
 * A process whose parents have exited (a daemon that forked into the
 * background, and the shell that started it is gone) descends from no
 * command any more; /proc tells nothing of which filter it is under.  If
 * it is under a seccomp filter (Seccomp: 2 in /proc/PID/status) and
 * exactly one supervisor that uses the stack started before it
 * (field 22 of /proc/PID/stat), it is shown as served by that one: a
 * socket of the stack can only have come from a supervisor that uses the
 * stack.  With several, it is shown under none of them.
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
#include <limits.h>
#include <linux/sockios.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "json.h"
#include "stackps.h"

#define STACKPS_CMDLINE_MAX	4096
#define STACKPS_ANCESTORS_MAX	64

/* A supervisor anywhere on the system, whether it uses the stack or not. */
struct stackps_sup {
	pid_t pid;
	pid_t netsup;		/* the netsup waiting for its command, or 0 */
	pid_t command;		/* 0 when unknown */
};

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
 * stackps_number() - a decimal number at the start of @s
 * @s:		text such as a /proc entry's name
 * @end:	receives where the number ends, or NULL
 *
 * Return: the number, or -1 if there is none or it is out of range
 */
static long stackps_number(const char *s, char **end)
{
	char *e;
	long n;

	errno = 0;
	n = strtol(s, &e, 10);
	if (end)
		*end = e;
	if (e == s || errno || n < 0 || n > INT_MAX)
		return -1;
	return n;
}

/**
 * stackps_read() - read a small /proc file
 * @path:	the file
 * @buf:	receives its contents, NUL-terminated
 * @len:	size of @buf
 *
 * Return: bytes read (without the NUL), or -errno
 */
static ssize_t stackps_read(const char *path, char *buf, size_t len)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)total < len - 1) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

/**
 * stackps_status() - the parent and effective uid of a process
 * @pid:	the process
 * @ppid:	receives PPid
 * @uid:	receives the effective uid, or NULL
 *
 * Return: 0, or -errno (-ESRCH: the process is gone)
 */
static int stackps_status(pid_t pid, pid_t *ppid, uid_t *uid)
{
	char path[64], buf[2048], *line, *end;
	long n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	n = stackps_read(path, buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	line = strstr(buf, "\nPPid:");
	n = line ? stackps_number(line + 6, NULL) : -1;
	if (n < 0)
		return -EINVAL;
	*ppid = (pid_t)n;
	/* Uid: real, effective, saved, filesystem */
	line = strstr(buf, "\nUid:");
	if (uid && line && stackps_number(line + 5, &end) >= 0 &&
	    (n = stackps_number(end, NULL)) >= 0)
		*uid = (uid_t)n;
	return 0;
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

	return !fstatat(dirfd, path, &st, 0) && st.st_dev == dev && st.st_ino == ino;
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
	socklen_t len = sizeof(int);
	int sfd, nsfd, domain = -1, rc = 0;
	struct stat st;

	sfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (sfd < 0)
		return -errno;
	nsfd = ioctl(sfd, SIOCGSKNS);
	if (nsfd < 0) {
		rc = -errno;
	} else {
		if (fstat(nsfd, &st))
			rc = -errno;
		else if (st.st_dev == dev && st.st_ino == ino)
			rc = 1;
		close(nsfd);
	}
	if (rc == 1) {
		getsockopt(sfd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
		*family = stackps_family(domain);
	}
	close(sfd);
	return rc;
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
 * stackps_cmdline() - the command line of a process
 * @pid:	the process
 * @out:	receives its NUL-separated arguments (malloc), or NULL
 * @len:	receives their length, without the last NUL
 *
 * Return: 0 (also for a process without arguments: a kernel thread, a
 *	   zombie), -ESRCH if it is gone, -ENOMEM
 */
static int stackps_cmdline(pid_t pid, char **out, size_t *len)
{
	char path[64], buf[STACKPS_CMDLINE_MAX];
	ssize_t n;

	*out = NULL;
	*len = 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = stackps_read(path, buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : 0;
	if (n > 0 && buf[n - 1] == '\0')
		n--;	/* no empty last argument */
	if (!n)
		return 0;
	*out = malloc((size_t)n + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, buf, (size_t)n + 1);
	*len = (size_t)n;
	return 0;
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
 * stackps_children() - the child of @parent that is not @other
 * @parent:	a netsup that waits for its command
 * @other:	its supervisor
 *
 * Return: the command's pid, or 0
 */
static pid_t stackps_children(pid_t parent, pid_t other)
{
	char path[64], buf[256], *p, *end;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
	if (stackps_read(path, buf, sizeof(buf)) < 0)
		return 0;
	for (p = buf; *p; p = end) {
		pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && pid != other)
			return pid;
	}
	return 0;
}

/**
 * stackps_netsup() - the command a supervisor serves, and its netsup
 * @p:		the supervisor; receives netsup, command, command_line
 *
 * A supervisor calls itself "netsup: supervisor of pid N", N being its
 * command.  One of a netsup without that title is a plain fork of netsup,
 * with netsup's command line: its parent is the netsup that started it
 * if the parent's command line is the same, and the command is that
 * netsup's other child.  Either way the parent is the waiting netsup only
 * as long as it is also the command's parent.
 *
 * Return: 0, or -ENOMEM
 */
static int stackps_netsup(struct stackps_proc *p)
{
	char *own, *parent;
	size_t own_len, parent_len;
	static const char title[] = "netsup: supervisor of pid ";
	pid_t ppid, cppid;
	long command;
	int rc;

	if (stackps_status(p->pid, &ppid, NULL) || stackps_cmdline(p->pid, &own, &own_len))
		return 0;	/* gone */
	if (own && !strncmp(own, title, sizeof(title) - 1) &&
	    (command = stackps_number(own + sizeof(title) - 1, NULL)) > 0) {
		p->command = (pid_t)command;
		if (ppid > 1 && !stackps_status(p->command, &cppid, NULL) && cppid == ppid)
			p->netsup = ppid;
	} else if (own && ppid > 1 && !stackps_cmdline(ppid, &parent, &parent_len)) {
		if (parent && parent_len == own_len && !memcmp(own, parent, own_len)) {
			p->netsup = ppid;
			p->command = stackps_children(ppid, p->pid);
		}
		free(parent);
	}
	free(own);
	rc = 0;
	if (p->command)
		rc = stackps_cmdline(p->command, &p->command_line, &p->command_line_len);
	return rc == -ENOMEM ? rc : 0;
}

/**
 * stackps_served_by() - the supervisor whose command @pid descends from
 * @pid:	a process
 * @sups:	every supervisor found
 * @n:		how many
 *
 * Return: the supervisor's pid, or 0
 */
static pid_t stackps_served_by(pid_t pid, const struct stackps_sup *sups, size_t n)
{
	int depth;
	size_t i;

	for (depth = 0; pid > 1 && depth < STACKPS_ANCESTORS_MAX; depth++) {
		for (i = 0; i < n; i++)
			if (sups[i].command == pid)
				return sups[i].pid;
		if (stackps_status(pid, &pid, NULL))
			break;
	}
	return 0;
}

/**
 * stackps_link() - how a process stands to the supervisors found
 * @p:		the process; receives served_by and waits_for
 * @sups:	every supervisor found
 * @n:		how many
 */
static void stackps_link(struct stackps_proc *p, const struct stackps_sup *sups, size_t n)
{
	size_t i;

	if (p->supervisor)
		return;
	for (i = 0; i < n; i++)
		if (sups[i].netsup == p->pid)
			p->waits_for = sups[i].command;
	if (!p->waits_for)
		p->served_by = stackps_served_by(p->pid, sups, n);
}

/**
 * stackps_start() - when a process started, and whether it is filtered
 * @pid:	the process
 * @start:	receives field 22 of /proc/PID/stat (clock ticks since boot)
 *
 * Return: true if it is under a seccomp filter (Seccomp: 2)
 */
static bool stackps_start(pid_t pid, unsigned long long *start)
{
	char path[64], buf[2048], *p;
	int field;

	*start = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (stackps_read(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return false;
	for (field = 2; *p && field < 22; p++)	/* after the name: field 2 */
		if (*p == ' ')
			field++;
	*start = strtoull(p, NULL, 10);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (stackps_read(path, buf, sizeof(buf)) <= 0)
		return false;
	p = strstr(buf, "\nSeccomp:");
	return p && stackps_number(p + sizeof("\nSeccomp:") - 1, NULL) == 2;
}

/**
 * stackps_orphans() - the supervisor of filtered processes whose command
 * they no longer descend from
 * @ps:		what stackps_scan() found, linked by ancestry already
 *
 * See the top of the file: the one supervisor of the stack that started
 * before the process, if there is only one.
 */
static void stackps_orphans(struct stackps *ps)
{
	unsigned long long start, sup_start;
	struct stackps_proc *p, *q, *found;
	size_t i, j;

	for (i = 0; i < ps->n; i++) {
		p = &ps->procs[i];
		if (p->supervisor || p->served_by || p->waits_for || p->daemon || p->lives ||
		    !stackps_start(p->pid, &start))
			continue;
		found = NULL;
		for (j = 0; j < ps->n; j++) {
			q = &ps->procs[j];
			if (!q->supervisor)
				continue;
			stackps_start(q->pid, &sup_start);
			if (sup_start > start)
				continue;
			if (found) {
				found = NULL;	/* two: none */
				break;
			}
			found = q;
		}
		if (found)
			p->served_by = found->pid;
	}
	for (i = 0; i < ps->n; i++)
		for (j = 0; j < ps->n; j++)
			if (ps->procs[j].served_by == ps->procs[i].pid)
				ps->procs[i].serves++;
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

/**
 * stackps_user() - the name of a user, or its number
 * @uid:	the user
 * @buf:	room for the number
 * @len:	size of @buf
 *
 * Return: the name, or @buf holding the number
 */
static const char *stackps_user(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		return pw->pw_name;
	snprintf(buf, len, "%lu", (unsigned long)uid);
	return buf;
}

/**
 * stackps_print_safe() - bytes on one line of text, for a terminal
 * @f:		where to
 * @s:		the bytes (a process name, a path: whatever their owner chose)
 * @len:	how many
 * @width:	pad with blanks to this many bytes (0: none)
 *
 * NUL shows as a blank (it separates arguments), other control
 * characters (below 0x20, and DEL) as '?': a name could otherwise forge
 * lines of the output or send escape sequences to the terminal.
 */
void stackps_print_safe(FILE *f, const char *s, size_t len, int width)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(!c ? ' ' : c < 0x20 || c == 0x7f ? '?' : c, f);
	}
	for (; width > 0 && i < (size_t)width; i++)
		fputc(' ', f);
}

/**
 * stackps_print_uses() - how a process uses the stack, as ps's USES column
 * @f:		where to
 * @p:		the process
 */
void stackps_print_uses(FILE *f, const struct stackps_proc *p)
{
	const char *sep = "";
	bool first = true;
	int j;

	for (j = 0; j < STACKPS_FAMILIES; j++) {
		/* a daemon's own ends of its clients' sockets are not
		 * sockets it uses in the stack */
		if (!p->sockets[j] ||
		    (p->daemon && !strcmp(stackps_family_name(j), "userspace")))
			continue;
		fprintf(f, "%s %s %u", first ? "sockets:" : ",",
			stackps_family_name(j), p->sockets[j]);
		first = false;
		sep = "; ";
	}
	if (p->unchecked) {
		fprintf(f, "%s%u socket%s not checked (permission denied)", sep,
			p->unchecked, p->unchecked == 1 ? "" : "s");
		sep = "; ";
	}
	if (p->lives) {
		fprintf(f, "%slives in it", sep);
		sep = "; ";
	}
	if (p->threads) {
		fprintf(f, "%s%u other thread%s in it", sep, p->threads,
			p->threads == 1 ? "" : "s");
		sep = "; ";
	}
	if (p->holds) {
		fprintf(f, "%sholds it open", sep);
		sep = "; ";
	}
	if (p->daemon) {
		fprintf(f, "%sserves it (its daemon)", sep);
		sep = "; ";
	}
	if (p->served_by) {
		fprintf(f, "%sunder netsup (supervisor %d)", sep, (int)p->served_by);
		sep = "; ";
	}
	if (p->waits_for) {
		fprintf(f, "%snetsup, waiting for pid %d", sep, (int)p->waits_for);
		sep = "; ";
	}
	if (p->supervisor) {
		fprintf(f, "%snetsup supervisor", sep);
		if (p->command) {
			fprintf(f, " of pid %d (", (int)p->command);
			if (p->command_line)
				stackps_print_safe(f, p->command_line, p->command_line_len, 0);
			else if (p->serves)
				fprintf(f, "gone; it still serves %u process%s here", p->serves,
					p->serves == 1 ? "" : "es");
			else
				fputs("gone", f);
			fputc(')', f);
		}
		if (p->netsup)
			fprintf(f, ", started by netsup %d", (int)p->netsup);
	}
}

/**
 * stackps_print() - the processes as a table
 * @f:		where to
 * @ps:		what stackps_scan() found
 *
 * One line per process: PID, USER, COMMAND (its name), then how it uses
 * the stack, separated by "; ".  Nothing when no process uses it.
 */
void stackps_print(FILE *f, const struct stackps *ps)
{
	char ubuf[24];
	size_t i;

	if (ps->n)
		fprintf(f, "%-7s %-8s %-15s %s\n", "PID", "USER", "COMMAND", "USES");
	for (i = 0; i < ps->n; i++) {
		const struct stackps_proc *p = &ps->procs[i];

		fprintf(f, "%-7d %-8s ", (int)p->pid, stackps_user(p->uid, ubuf, sizeof(ubuf)));
		stackps_print_safe(f, p->comm, strlen(p->comm), 15);
		fputc(' ', f);
		stackps_print_uses(f, p);
		fputc('\n', f);
	}
}

/**
 * stackps_print_json_cmdline() - a command line as a JSON array of strings
 * @f:		where to
 * @line:	NUL-separated arguments, or NULL for an empty array
 * @len:	their length
 */
static void stackps_print_json_cmdline(FILE *f, const char *line, size_t len)
{
	size_t start = 0, i;

	fputc('[', f);
	for (i = 0; line && i <= len; i++) {
		if (i < len && line[i])
			continue;
		if (start)
			fputc(',', f);
		json_string_len(f, line + start, i - start);
		start = i + 1;
	}
	fputc(']', f);
}

/**
 * stackps_print_json_pid() - a pid, or null for 0
 * @f:		where to
 * @pid:	the pid
 */
static void stackps_print_json_pid(FILE *f, pid_t pid)
{
	if (pid)
		fprintf(f, "%d", (int)pid);
	else
		fputs("null", f);
}

/**
 * stackps_print_json() - the processes as one JSON object
 * @f:		where to
 * @ps:		what stackps_scan() found
 * @path:	the stack's path
 * @ino:	its namespace's inode; 0 for a userspace stack (null)
 */
void stackps_print_json(FILE *f, const struct stackps *ps, const char *path, ino_t ino)
{
	char ubuf[24];
	size_t i;
	int j;

	fputs("{\"stack\":", f);
	json_string(f, path);
	if (ino)
		fprintf(f, ",\"namespace\":\"net:[%lu]\"", (unsigned long)ino);
	else
		fputs(",\"namespace\":null", f);
	fputs(",\"processes\":[", f);
	for (i = 0; i < ps->n; i++) {
		const struct stackps_proc *p = &ps->procs[i];

		fprintf(f, "%s{\"pid\":%d,\"ppid\":%d,\"uid\":%lu,\"user\":", i ? "," : "",
			(int)p->pid, (int)p->ppid, (unsigned long)p->uid);
		json_string(f, stackps_user(p->uid, ubuf, sizeof(ubuf)));
		fputs(",\"comm\":", f);
		json_string(f, p->comm);
		fputs(",\"cmdline\":", f);
		stackps_print_json_cmdline(f, p->cmdline, p->cmdline_len);
		fputs(",\"sockets\":{", f);
		for (j = 0; j < STACKPS_FAMILIES; j++)
			fprintf(f, "%s\"%s\":%u", j ? "," : "", stackps_family_name(j),
				p->sockets[j]);
		fprintf(f, "},\"unchecked_sockets\":%u,\"lives_in\":%s,\"threads_in\":%u,"
			"\"holds_open\":%u,\"daemon\":%s,\"served_by\":", p->unchecked,
			p->lives ? "true" : "false", p->threads, p->holds,
			p->daemon ? "true" : "false");
		stackps_print_json_pid(f, p->served_by);
		fputs(",\"waits_for\":", f);
		stackps_print_json_pid(f, p->waits_for);
		fputs(",\"supervisor\":", f);
		if (p->supervisor) {
			fputs("{\"netsup\":", f);
			stackps_print_json_pid(f, p->netsup);
			fputs(",\"command\":", f);
			stackps_print_json_pid(f, p->command);
			fputs(",\"command_cmdline\":", f);
			if (p->command_line)
				stackps_print_json_cmdline(f, p->command_line, p->command_line_len);
			else
				fputs("null", f);
			fprintf(f, ",\"serves\":%u}", p->serves);
		} else {
			fputs("null", f);
		}
		fputc('}', f);
	}
	fputs("]}\n", f);
}
