// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procevents.c - the kernel's fork and exit events that keep the table of
 * processes (proc.c) true
 *
 * Forks and exits are learnt from the process events connector
 * (NETLINK_CONNECTOR, CN_IDX_PROC, Linux 2.6.15): see proc.c for why the
 * table drains them before every lookup, what an exit event of a leader
 * means, and what the table falls back to without them.  Here: the
 * subscription (tried first: the events must speak of our pids), applying
 * each event, noticing lost ones by their sequence numbers, and the sweep
 * of entries whose process is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "log.h"
#include "proc_int.h"


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
bool proc_exec_privileged(pid_t pid)
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

void proc_drain_locked(struct proctab *t, bool sweep)
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

