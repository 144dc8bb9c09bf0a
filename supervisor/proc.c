// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc.c - per-process default stacks of the supervised processes
 *
 * A process's defaults start as its parent's at fork, are shared by its
 * threads, survive execve and die with it (as in vuos).  A process that
 * never changed anything and whose ancestors never did has no entry: it
 * uses the command's defaults (root).  Only msocket(..., SOCK_DEFAULT)
 * creates entries, and forks of a process with an entry copy it.
 *
 * Forks and exits are learnt from the process events connector
 * (NETLINK_CONNECTOR, CN_IDX_PROC, Linux 2.6.15).  The kernel queues the
 * fork event inside fork(), before the parent can make its next call, and
 * the exit event before the pid can be reused.  The table drains the
 * events before every lookup, so a child gets its parent's defaults as
 * they were at the fork, even if the parent changes them right after, and
 * a reused pid never finds a dead process's entry.  The connector serves
 * only the initial network and pid namespaces, with CAP_NET_ADMIN.
 *
 * An exit event of the thread-group leader does not always end the
 * process: when another thread calls execve, the old leader exits and the
 * process goes on under the same pid.  So the entry is only marked, and a
 * later sweep removes it once /proc shows the process gone or a zombie.
 * A reused pid is safe meanwhile: its fork event replaces the entry.
 *
 * Where it is not available, or when it dropped events (ENOBUFS), the
 * table falls back to what /proc tells: a process without an entry takes
 * its parent's current defaults when first seen, and every entry records
 * the process's start time, so that a reused pid is recognised.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "creds.h"
#include "log.h"
#include "proc.h"
#include "../common/procstat.h"

#define PROC_BUCKETS	4096

struct proc {
	pid_t tgid;
	unsigned long long start;	/* start time: tells a reused pid */
	time_t exited;			/* its leader's exit event, or 0 */
	bool leader_gone;		/* the leader left, other threads live on */
	bool privileged;		/* chosen by a program that execve made
					 * privileged (AT_SECURE) */
	struct stack *defaults[FAM_COUNT];
	struct proc *next;
};

/**
 * proc_init() - an empty table
 * @t:		the table
 * @root:	defaults of processes without an entry (references taken)
 * @cache:	credentials cache, enabled while every event is known
 *
 * Return: 0 or -ENOMEM
 */
int proc_init(struct proctab *t, struct stack *const root[FAM_COUNT],
	      struct credcache *cache)
{
	struct rlimit rl;
	int i;

	memset(t, 0, sizeof(*t));
	t->cn_fd = -1;
	t->cache = cache;
	t->nbuckets = PROC_BUCKETS;
	t->buckets = calloc(t->nbuckets, sizeof(struct proc *));
	if (!t->buckets)
		return -ENOMEM;
	pthread_mutex_init(&t->lock, NULL);
	for (i = 0; i < FAM_COUNT; i++)
		t->root[i] = stack_get(root[i]);
	t->stacks_max = 1024;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur > (rlim_t)2 * PROC_FD_RESERVE)
		t->stacks_max = rl.rlim_cur - PROC_FD_RESERVE;
	return 0;
}

static void proc_free(struct proc *p)
{
	int i;

	for (i = 0; i < FAM_COUNT; i++)
		stack_put(p->defaults[i]);
	free(p);
}

/**
 * proc_fini() - free the table
 * @t:		the table
 */
void proc_fini(struct proctab *t)
{
	struct proc *p, *next;
	size_t b;
	int i;

	for (b = 0; t->buckets && b < t->nbuckets; b++)
		for (p = t->buckets[b]; p; p = next) {
			next = p->next;
			proc_free(p);
		}
	free(t->buckets);
	for (b = 0; b < t->nstacks; b++)
		stack_put(t->stacks[b].s);
	free(t->stacks);
	for (i = 0; i < FAM_COUNT; i++)
		stack_put(t->root[i]);
	if (t->cn_fd >= 0)
		close(t->cn_fd);
	pthread_mutex_destroy(&t->lock);
	memset(t, 0, sizeof(*t));
	t->cn_fd = -1;
}

static bool proc_fallback(const struct proctab *t)
{
	return t->cn_fd < 0 || t->lost;
}

/* Start time of @pid, 0 if gone. */
static unsigned long long proc_start_time(pid_t pid)
{
	struct procstat ps;

	return procstat_read(pid, &ps) ? 0 : ps.start;
}

/*
 * Is @pid still a live process started at @start?  A leader that called
 * pthread_exit() is a zombie while its other threads go on: the process
 * lives as long as the zombie counts more threads than itself.
 */
static bool proc_alive(pid_t pid, unsigned long long start)
{
	struct procstat ps;

	if (procstat_read(pid, &ps) || (start && ps.start != start))
		return false;
	return (ps.state != 'Z' && ps.state != 'X') || ps.threads > 1;
}

static struct proc **proc_slot(struct proctab *t, pid_t tgid)
{
	struct proc **pp = &t->buckets[(size_t)tgid % t->nbuckets];

	while (*pp && (*pp)->tgid != tgid)
		pp = &(*pp)->next;
	return pp;
}

static void proc_remove(struct proctab *t, pid_t tgid)
{
	struct proc **pp = proc_slot(t, tgid), *p = *pp;

	if (!p)
		return;
	*pp = p->next;
	t->count--;
	if (p->exited)
		t->exited--;
	proc_free(p);
}

static struct proc *proc_find(struct proctab *t, pid_t tgid)
{
	struct proc *p = *proc_slot(t, tgid);

	if (p && proc_fallback(t) && p->start && p->start != proc_start_time(tgid)) {
		proc_remove(t, tgid);	/* a dead process's pid, reused */
		return NULL;
	}
	return p;
}

/* New entry for @tgid with the defaults of @from (NULL: root). */
static struct proc *proc_add(struct proctab *t, pid_t tgid, const struct proc *from)
{
	struct stack *const *src = from ? from->defaults : t->root;
	struct proc *p;
	int i;

	proc_remove(t, tgid);
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = tgid;
	/*
	 * With the connector, a reused pid comes with its fork event; the
	 * start time is kept all the same, so that entries stay right if
	 * events are lost later and the table falls back to /proc.
	 */
	p->start = proc_start_time(tgid);
	p->privileged = from && from->privileged;
	for (i = 0; i < FAM_COUNT; i++)
		p->defaults[i] = stack_get(src[i]);
	p->next = t->buckets[(size_t)tgid % t->nbuckets];
	t->buckets[(size_t)tgid % t->nbuckets] = p;
	t->count++;
	return p;
}

static bool proc_exec_privileged(pid_t pid);

/*
 * Entry of @tgid; in fallback mode, one inherited from @ppid if needed.
 * Without exec events, whether an execve made the process privileged is
 * asked here, at every lookup: no entry chosen by an unprivileged process
 * reaches a privileged program.
 */
static struct proc *proc_lookup(struct proctab *t, pid_t tgid, pid_t ppid)
{
	struct proc *p = proc_find(t, tgid), *parent;

	if (!proc_fallback(t))
		return p;
	if (p) {
		if (p->privileged || !proc_exec_privileged(tgid))
			return p;
		info("[pid %d] runs a program that execve made privileged: its defaults are netsup's",
		     (int)tgid);
		proc_remove(t, tgid);
		return NULL;
	}
	parent = proc_find(t, ppid);
	if (!parent || (!parent->privileged && proc_exec_privileged(tgid)))
		return NULL;
	return proc_add(t, tgid, parent);
}

static void proc_drain_locked(struct proctab *t, bool sweep);

/*
 * Do the events speak of our processes?  The connector numbers pids as the
 * initial pid namespace does; netsup in another one (unshare --pid,
 * a container) sees other numbers, and /proc may not say so (a /proc
 * mounted for the new namespace shows one level of NSpid).  So a child is
 * forked, and its fork event must arrive with the pid fork() returned.
 * And the subscription must have been accepted: without CAP_NET_ADMIN
 * the kernel refuses PROC_CN_MCAST_LISTEN (its acknowledgement says
 * EPERM), yet a socket bound to the group still receives the events that
 * other listeners keep flowing, until they go: a flow that can stop
 * unseen at any time is no flow to rely on.
 */
static bool proc_events_probe(struct proctab *t)
{
	struct pollfd pfd = { .fd = t->cn_fd, .events = POLLIN };
	int i;

	t->probe_seen = false;
	t->probe_pid = fork();
	if (t->probe_pid < 0)
		return false;
	if (!t->probe_pid)
		_exit(0);
	waitpid(t->probe_pid, NULL, 0);
	for (i = 0; i < 20 && (!t->probe_seen || t->probe_err < 0); i++) {
		if (poll(&pfd, 1, 50) < 0 && errno != EINTR)
			break;
		proc_drain_locked(t, false);
	}
	t->probe_pid = 0;
	return t->probe_seen && t->probe_err == 0;
}

/**
 * proc_events_open() - subscribe to the kernel's fork and exit events
 * @t:		the table
 *
 * Return: the connector descriptor to poll, or -errno (the table then
 *	   works in fallback mode)
 */
int proc_events_open(struct proctab *t)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	struct {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) req = {
		.nl = { .nlmsg_len = sizeof(req), .nlmsg_type = NLMSG_DONE },
		.cn = { .id = { CN_IDX_PROC, CN_VAL_PROC }, .len = sizeof(enum proc_cn_mcast_op) },
		.op = PROC_CN_MCAST_LISTEN,
	};
	int fd, size = 8 << 20;
	char buf[256];
	FILE *f;

	/* our acknowledgement is the one whose ack is this plus one */
	req.cn.ack = (__u32)getpid() ^ (__u32)time(NULL) ^ 0x6e657473;
	t->probe_ack = req.cn.ack + 1;
	t->probe_err = -1;

	/* Pids in events are those of the initial pid namespace. */
	f = fopen("/proc/self/status", "re");
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "NSpid:", 6) && strchr(buf + 7, '\t')) {
			fclose(f);
			return -EOPNOTSUPP;
		}
	fclose(f);

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    send(fd, &req, sizeof(req), 0) != sizeof(req)) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	t->cn_fd = fd;
	if (!proc_events_probe(t)) {
		/* events name other pids than ours (a pid namespace): useless */
		close(fd);
		memset(t->seq_seen, 0, sizeof(t->seq_seen));
		t->cn_fd = -1;
		return -EOPNOTSUPP;
	}
	credcache_enable(t->cache, true);
	return fd;
}

/**
 * proc_auxv_secure() - AT_SECURE in the text of /proc/PID/auxv
 * @buf:	the auxiliary vector: pairs of unsigned longs, AT_NULL last
 * @len:	its length in bytes
 *
 * Return: 1 if AT_SECURE is set, 0 if not, -EINVAL if it is malformed
 */
int proc_auxv_secure(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	unsigned long pair[2];
	size_t off;

	for (off = 0; off + sizeof(pair) <= len; off += sizeof(pair)) {
		memcpy(pair, p + off, sizeof(pair));
		if (pair[0] == AT_NULL)
			return 0;
		if (pair[0] == AT_SECURE)
			return pair[1] != 0;
	}
	return -EINVAL;
}

/*
 * Did the last execve of @pid give it privileges its caller lacked
 * (set-user-ID, set-group-ID, file capabilities, an LSM's say)?  The
 * kernel's own verdict is AT_SECURE in the program's auxiliary vector
 * (the same that makes glibc ignore LD_PRELOAD), fixed at the execve and
 * kept whatever the program does with its ids afterwards.  Such a program
 * must not run in stacks that its unprivileged caller chose: it gets
 * netsup's own defaults, as chosen by whoever started netsup.  Unreadable
 * means yes.
 */
static bool proc_exec_privileged(pid_t pid)
{
	unsigned char buf[4096];
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return true;
	return proc_auxv_secure(buf, (size_t)n) != 0;
}

static void proc_lost(struct proctab *t)
{
	if (t->lost)
		return;
	warn("process events were lost: default stacks of new processes now follow their parent's current ones, and credentials are read for every socket");
	t->lost = true;
	credcache_enable(t->cache, false);
}

static void proc_event(struct proctab *t, const struct proc_event *ev)
{
	struct proc *parent, *p;

	switch (ev->what) {
	case PROC_EVENT_NONE:
		break;	/* acknowledgements: see proc_drain_locked() */
	case PROC_EVENT_FORK:
		if (t->probe_pid && ev->event_data.fork.child_tgid == t->probe_pid &&
		    ev->event_data.fork.parent_tgid == getpid())
			t->probe_seen = true;
		credcache_forget(t->cache, ev->event_data.fork.child_pid);
		if (ev->event_data.fork.child_pid != ev->event_data.fork.child_tgid)
			return;		/* a thread */
		parent = *proc_slot(t, ev->event_data.fork.parent_tgid);
		if (parent)
			proc_add(t, ev->event_data.fork.child_tgid, parent);
		else
			proc_remove(t, ev->event_data.fork.child_tgid);
		break;
	case PROC_EVENT_EXEC:
		credcache_forget(t->cache, ev->event_data.exec.process_pid);
		credcache_forget(t->cache, ev->event_data.exec.process_tgid);
		if (*proc_slot(t, ev->event_data.exec.process_tgid) &&
		    proc_exec_privileged(ev->event_data.exec.process_tgid)) {
			info("[pid %d] gained privileges by execve: its defaults are netsup's again",
			     (int)ev->event_data.exec.process_tgid);
			proc_remove(t, ev->event_data.exec.process_tgid);
		}
		break;
	case PROC_EVENT_UID:
	case PROC_EVENT_GID:
		credcache_forget(t->cache, ev->event_data.id.process_pid);
		break;
	case PROC_EVENT_EXIT:
		credcache_forget(t->cache, ev->event_data.exit.process_pid);
		p = *proc_slot(t, ev->event_data.exit.process_tgid);
		/* a thread's exit matters once the leader has gone before */
		if (ev->event_data.exit.process_pid != ev->event_data.exit.process_tgid &&
		    !(p && p->leader_gone))
			return;
		if (p && !p->exited) {
			p->exited = time(NULL);
			t->exited++;
		}
		break;
	default:
		break;
	}
}

/* Remove the entries of processes whose leader exited a while ago. */
static void proc_sweep(struct proctab *t)
{
	time_t now = time(NULL);
	struct proc **pp;
	size_t b;

	if (!t->exited || now == t->swept)
		return;
	t->swept = now;
	for (b = 0; b < t->nbuckets; b++) {
		pp = &t->buckets[b];
		while (*pp) {
			struct proc *p = *pp;

			if (!p->exited || now - p->exited < 1) {
				pp = &p->next;
				continue;
			}
			t->exited--;
			if (proc_alive(p->tgid, p->start)) {
				/* execve from another thread, or pthread_exit() */
				p->exited = 0;
				p->leader_gone = true;
				pp = &p->next;
				continue;
			}
			*pp = p->next;
			t->count--;
			proc_free(p);
		}
	}
}

/*
 * The kernel numbers the events per CPU (cn_msg.seq) before sending them,
 * and drops one silently when it cannot allocate it: a gap in a CPU's
 * numbers is a lost event, as ENOBUFS is.
 */
static void proc_check_seq(struct proctab *t, const struct cn_msg *cn,
			   const struct proc_event *ev)
{
	/*
	 * PROC_EVENT_NONE included: the acknowledgement of any listener's
	 * PROC_CN_MCAST_LISTEN or IGNORE (sent to every listener, even for a
	 * refused request) takes a number of its own on its CPU.  Skipped,
	 * it would look like a lost event.
	 */
	if (ev->cpu >= PROC_MAX_CPUS)
		return;
	if (t->seq_seen[ev->cpu] && cn->seq != t->seq[ev->cpu] + 1)
		proc_lost(t);
	t->seq[ev->cpu] = cn->seq;
	t->seq_seen[ev->cpu] = true;
}

static void proc_drain_locked(struct proctab *t, bool sweep)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct nlmsghdr))));
	ssize_t n;

	if (t->cn_fd < 0)
		return;
	for (;;) {
		struct nlmsghdr *nl = (struct nlmsghdr *)buf;

		n = recv(t->cn_fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			if (errno == ENOBUFS)
				proc_lost(t);
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			break;
		}
		for (; NLMSG_OK(nl, (size_t)n); nl = NLMSG_NEXT(nl, n)) {
			const struct cn_msg *cn = NLMSG_DATA(nl);
			struct proc_event ev;

			if (nl->nlmsg_type != NLMSG_DONE ||
			    nl->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + sizeof(ev)) ||
			    cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
				continue;
			/* cn->data is 4-byte aligned only: copy the event out */
			memcpy(&ev, cn->data, sizeof(ev));
			if (ev.what == PROC_EVENT_NONE && t->probe_pid && cn->ack == t->probe_ack)
				t->probe_err = (int)ev.event_data.ack.err;
			proc_check_seq(t, cn, &ev);
			proc_event(t, &ev);
		}
	}
	if (sweep)
		proc_sweep(t);
}

/**
 * proc_events_drain() - apply the events queued so far, and sweep
 * @t:		the table
 *
 * The sweep reads /proc: for a thread in netsup's own credentials only.
 */
void proc_events_drain(struct proctab *t)
{
	pthread_mutex_lock(&t->lock);
	proc_drain_locked(t, true);
	pthread_mutex_unlock(&t->lock);
}

/**
 * proc_events_sync() - apply the events queued so far, before a lookup
 * @t:		the table
 */
void proc_events_sync(struct proctab *t)
{
	pthread_mutex_lock(&t->lock);
	proc_drain_locked(t, false);
	pthread_mutex_unlock(&t->lock);
}

/**
 * proc_default() - the default stack of a process for a family
 * @t:		the table
 * @tgid:	the process
 * @ppid:	its parent, for fallback mode
 * @fam:	enum stack_family
 *
 * Return: the stack with a reference taken, or NULL for none
 */
struct stack *proc_default(struct proctab *t, pid_t tgid, pid_t ppid, int fam)
{
	struct stack *s;
	struct proc *p;

	pthread_mutex_lock(&t->lock);
	proc_drain_locked(t, false);
	p = proc_lookup(t, tgid, ppid);
	s = stack_get(p ? p->defaults[fam] : t->root[fam]);
	pthread_mutex_unlock(&t->lock);
	return s;
}

/*
 * One stack object per namespace among the defaults: each msocket()
 * opens a stack of its own (a descriptor in netsup), and a thousand
 * processes making the same stack their default must not cost a
 * thousand descriptors.  Objects only the registry still holds are
 * dropped when it fills up.
 */
static struct stack *proc_intern(struct proctab *t, struct stack *s, uid_t uid)
{
	size_t i, j, mine = 0;

	for (i = 0; i < t->nstacks; i++)
		if (stack_same(t->stacks[i].s, s))
			return t->stacks[i].s;
	/* objects only the registry holds any more are dropped first */
	for (i = j = 0; i < t->nstacks; i++) {
		if (__atomic_load_n(&t->stacks[i].s->refs, __ATOMIC_ACQUIRE) == 1)
			stack_put(t->stacks[i].s);
		else
			t->stacks[j++] = t->stacks[i];
	}
	t->nstacks = j;
	for (i = 0; i < t->nstacks; i++)
		mine += t->stacks[i].uid == uid;
	/* a bound per user, and a reserve of descriptors for everybody else */
	if ((uid && mine >= PROC_STACKS_PER_USER) ||
	    t->nstacks >= t->stacks_max - (uid ? PROC_FD_RESERVE : 0))
		return NULL;
	if (t->nstacks == t->stacks_cap) {
		size_t cap = t->stacks_cap ? 2 * t->stacks_cap : 16;
		struct proc_stack *more = realloc(t->stacks, cap * sizeof(*more));

		if (!more)
			return s;	/* not shared, still right */
		t->stacks = more;
		t->stacks_cap = cap;
	}
	t->stacks[t->nstacks].s = stack_get(s);
	t->stacks[t->nstacks++].uid = uid;
	return s;
}

/**
 * proc_set_default() - change the default stack of a process
 * @t:		the table
 * @tgid:	the process
 * @ppid:	its parent, for fallback mode
 * @uid:	the real user id of the process, which the stack counts against
 * @families:	mask of the families to change
 * @s:		the new default (references are taken)
 *
 * Return: 0, -EMFILE if the user holds PROC_STACKS_PER_USER stacks
 *	   already or the supervisor's descriptors run short, -ENOMEM
 */
int proc_set_default(struct proctab *t, pid_t tgid, pid_t ppid, uid_t uid,
		     unsigned int families, struct stack *s)
{
	struct proc *p;
	int i;

	pthread_mutex_lock(&t->lock);
	s = proc_intern(t, s, uid);
	if (!s) {
		pthread_mutex_unlock(&t->lock);
		return -EMFILE;
	}
	proc_drain_locked(t, false);
	p = proc_lookup(t, tgid, ppid);
	if (!p)
		p = proc_add(t, tgid, NULL);
	if (!p) {
		pthread_mutex_unlock(&t->lock);
		return -ENOMEM;
	}
	for (i = 0; i < FAM_COUNT; i++) {
		if (!(families & (1U << i)))
			continue;
		stack_put(p->defaults[i]);
		p->defaults[i] = stack_get(s);
	}
	/* chosen by a privileged program: it may reach other such programs */
	p->privileged = proc_exec_privileged(tgid);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

/**
 * proc_count() - number of entries (processes with defaults of their own)
 * @t:		the table
 *
 * Return: the count
 */
size_t proc_count(struct proctab *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->count;
	pthread_mutex_unlock(&t->lock);
	return n;
}
