// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * launch.c - start the command under the filter, and the supervisor
 *
 * Three processes:
 *
 *   netsup (waits, forwards signals, exits with the command's status)
 *     +-- supervisor: serves notifications until no process uses the
 *     |   filter; its own session, so terminal signals do not stop it
 *     +-- command: installs the filter, sends the listener to the
 *         supervisor over a socketpair (SCM_RIGHTS), execs
 *
 * The supervisor is a process of its own so that netsup can return the
 * command's status as soon as the command exits, while the processes it
 * left behind (a daemon that forked into the background) are still served.
 * When netsup exits, the supervisor lets go of the terminal or pipe it
 * shared, so that whoever reads netsup's output sees end-of-file.
 *
 * A daemon's administrator sends signals around by name (`pkill -HUP -f
 * nginx`): the supervisor must neither be hit by the name nor die of the
 * signal, or every socket the daemon makes afterwards fails with ENOSYS.
 * So it takes a command line and a name of its own, "netsup: supervisor
 * of pid N" and "netsup-sup" (proctitle.c), which hold no part of the
 * command's, and ignores the signals that are sent to ask a process to
 * stop, reload or rotate (launch_ignored).  It ends when the supervised
 * tree is gone, or by SIGKILL.
 *
 * The command waits for the supervisor's word that it holds the listener
 * and listens to process events before it execs, so that no fork of the
 * command can happen unseen.
 *
 * If the supervisor dies, the listener is closed and every intercepted
 * call of the command fails with ENOSYS: nothing falls back silently.
 *
 * With --view (view.c), the supervisor first starts a thread that lives
 * in the stack shown and sends its id (or -errno) over the socketpair;
 * the command makes its mount namespace with it before the filter.
 *
 * Inside a netsup session (msocket answers), netsup is nested: it installs
 * no second filter, sets the defaults of its own process with
 * msocket(..., SOCK_DEFAULT, 0), which execve keeps, and execs the
 * command: the vustack of vuos.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "launch.h"
#include "log.h"
#include "proctitle.h"
#include "supervisor.h"
#include "unborn.h"
#include "ustack.h"
#include "../common/fdpass.h"
#include "view.h"
#include "../shim/msocket.h"
#include "../common/util.h"

#define EXIT_NETSUP	125
#define EXIT_CANNOT_RUN	126
#define EXIT_NOT_FOUND	127

/* Descriptors the supervisor needs: its own dozen, then one per socket. */
#define LAUNCH_MIN_FDS	32

/* Signals that reach the command when sent to netsup. */
static const int launch_forwarded[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
};

/*
 * Signals the supervisor ignores: those a daemon's administrator or the
 * system sends to stop, reload, rotate or pause.  Not SIGCHLD: the
 * supervisor waits for its helper processes.  SIGUSR1 is taken over by
 * supervisor_run(), whose handler does nothing but interrupt a wait.
 */
static const int launch_ignored[] = {
	SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
	SIGTSTP, SIGTTIN, SIGTTOU, SIGXFSZ,
};

/*
 * launch_send_fd() - send @fd and the sender's pid over @sock
 * @sock:	the socketpair to the supervisor
 * @fd:		descriptor to pass (SCM_RIGHTS)
 * @pid:	the command's pid, as data
 *
 * Return: 0 or -errno
 */
static int launch_send_fd(int sock, int fd, pid_t pid)
{
	ssize_t n = fdpass_send(sock, &pid, sizeof(pid), fd);

	return n < 0 ? (int)n : 0;
}

/*
 * launch_recv_fd() - receive what launch_send_fd() sent
 * @sock:	the socketpair to the command
 * @pid:	receives the command's pid
 *
 * Return: the descriptor, or -errno (-EPIPE: the command never sent one)
 */
static int launch_recv_fd(int sock, pid_t *pid)
{
	ssize_t n;
	int fd;

	n = fdpass_recv(sock, pid, sizeof(*pid), &fd, 0);
	if (n <= 0)
		return n < 0 ? (int)n : -EPIPE;
	if (n != sizeof(*pid) || fd < 0) {
		if (fd >= 0)
			close(fd);
		return -EPROTO;
	}
	return fd;
}

#define LAUNCH_SAID	'!'	/* the supervisor's: "failed, and said why" */

static int launch_wait_ack(int sock)
{
	bool reset = false;
	char byte;
	ssize_t n;

	/*
	 * A SOCK_SEQPACKET receive reports the socket's error before what is
	 * queued (__skb_try_recv_datagram()): a supervisor that said why and
	 * ended with our hand-off unread left ECONNRESET before its byte.  The
	 * error is reported once; the byte comes next.
	 */
	do {
		n = recv(sock, &byte, 1, 0);
		if (n < 0 && errno == ECONNRESET && !reset) {
			reset = true;
			errno = EINTR;
		}
	} while (n < 0 && errno == EINTR);
	if (n == 1)
		return byte == LAUNCH_SAID ? -ECANCELED : 0;
	return n < 0 ? -errno : -EPIPE;
}

/*
 * Does --user-net's TCP socket() run in the command as it is (filter.c)?
 * Such sockets wait in netsup's namespace, the command's (unborn.c),
 * unless --isolate gives it another, or the environment asks for the
 * daemon's sockets from socket() on or for no moves.  The launcher and
 * the supervisor ask the same.
 */
static bool launch_tcp_native(const struct options *o)
{
	return o->user_net && !o->isolate && !getenv("NETSUP_NO_UNBORN") &&
	       !getenv("NETSUP_USERNET_NO_MOVE");
}

/*
 * The supervisor could not start, and said why: one byte tells the
 * command, which then ends without a second message (its hand-off fails
 * with EPIPE, but the byte waits in its socket).
 */
static void __attribute__((noreturn)) launch_supervisor_failed(int sock)
{
	if (send(sock, (char[]){ LAUNCH_SAID }, 1, MSG_NOSIGNAL) != 1) {
		/* the command is gone: nobody to tell */
	}
	_exit(EXIT_NETSUP);
}

static void launch_reset_signals(const sigset_t *mask)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(launch_forwarded); i++)
		signal(launch_forwarded[i], SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
}

/*
 * The supervisor needs a dozen descriptors of its own, and one more per
 * socket it makes: a command started with a tiny RLIMIT_NOFILE must not
 * starve it.  The soft limit goes up to the hard one; a tiny hard limit
 * too, with CAP_SYS_RESOURCE.  The command keeps its own limits.
 */
static void launch_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_max < 1024) {
		struct rlimit more = { 1024, 1024 };

		if (!setrlimit(RLIMIT_NOFILE, &more))
			return;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/**
 * launch_check_nofile() - can the supervisor get the descriptors it needs?
 *
 * Checked before anything starts: a supervisor that cannot serve would
 * leave the command with ENOSYS for every socket.
 *
 * Return: 0, or -EMFILE after saying why
 */
int launch_check_nofile(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	struct rlimit rl;
	cap_t caps;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_max >= LAUNCH_MIN_FDS)
		return 0;
	caps = cap_get_proc();
	if (caps) {
		cap_get_flag(caps, CAP_SYS_RESOURCE, CAP_PERMITTED, &v);
		cap_free(caps);
	}
	if (v == CAP_SET)
		return 0;
	err("RLIMIT_NOFILE is %llu, the supervisor needs %d: raise the hard limit, or give netsup CAP_SYS_RESOURCE",
	    (unsigned long long)rl.rlim_max, LAUNCH_MIN_FDS);
	return -EMFILE;
}

/*
 * launch_die_with() - --die-with-parent: SIGKILL when @parent dies
 * @parent:	the process that must outlive the caller
 *
 * PR_SET_PDEATHSIG (Linux 2.1.57) fires when the parent thread exits; it
 * is cleared by fork and by an execve that raises privileges (set-user-ID,
 * file capabilities), as under bwrap --die-with-parent.  A parent already
 * gone before the call (the caller was reparented) counts as dead.
 *
 * Return: 0, or -ESRCH if @parent is already gone
 */
static int launch_die_with(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0))
		return -errno;
	return getppid() == parent ? 0 : -ESRCH;
}

/*
 * launch_ignore_signals() - the supervisor ignores what admins send around
 *
 * SIG_IGN, not a blocked mask: a blocked signal would stay pending, and
 * the mask would be inherited by the helper processes.
 */
static void launch_ignore_signals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(launch_ignored); i++)
		signal(launch_ignored[i], SIG_IGN);
}

/*
 * launch_close_inherited() - the supervisor closes what netsup inherited
 *
 * A descriptor without FD_CLOEXEC is one netsup's caller passed on (all
 * of netsup's own are close-on-exec): the command gets it by execve, the
 * supervisor has no use for it.  Kept, it would outlive the command in
 * the supervisor, which serves daemons the command left behind: a pipe
 * whose reader waits for end-of-file ({ netsup -- daemon 9>&1; } | cat)
 * would wait as long.  0, 1 and 2 are left to launch_supervisor().
 */
static void launch_close_inherited(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int fd, fl;

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		fd = (int)strtol(d->d_name, NULL, 10);
		if (fd < 3 || fd == dirfd(dir))
			continue;
		fl = fcntl(fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC))
			close(fd);
	}
	closedir(dir);
}

/* A "Name:\tvalue" field of /proc/PID/status, as a number; -1 if none. */
static long long launch_status_field(pid_t pid, const char *name)
{
	char path[64], line[256];
	long long v = -1;
	size_t n = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 16);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Does the command's tree run under no_new_privs (inherited by every
 * descendant, never undone), with a supervisor that has no capability at
 * all?  Then credentials may be kept without process events (credcache.c).
 * NoNewPrivs is 0 or 1 and CapEff a hex mask: both read as hex.
 */
static bool launch_unprivileged_nnp(pid_t cmd)
{
	return launch_status_field(getpid(), "CapEff") == 0 &&
	       launch_status_field(cmd, "NoNewPrivs") == 1;
}

/*
 * launch_supervisor() - the supervisor process: never returns
 * @sock:	socketpair to the command, which sends the listener
 * @netsup:	pid of the netsup that waits for the command
 * @self_argv:	netsup's own argv, overwritten with the supervisor's title
 * @defaults:	stack of each family, or NULL; the table takes them over
 * @policy:	stacks msocket() may name
 */
static void __attribute__((noreturn))
launch_supervisor(int sock, pid_t netsup, const struct options *o,
		  struct stack *defaults[FAM_COUNT], const struct policy *policy)
{
	struct supervisor sv = { .listener = -1, .parent_pidfd = -1, .policy = *policy,
				 .routes = o->routes, .interruptible = o->userspace,
				 .userspace = o->userspace };
	static struct route_table un_routes;
	struct usernet un = { .pidfd = -1 };
	char **self_argv = o->self_argv;
	char title[64];
	pid_t cmd = 0;
	int fd, i, rc, events;

	/*
	 * A process group of its own, out of the terminal's job control
	 * (the signals a terminal generates reach the foreground group, and
	 * the rest are ignored below), but not a session of its own: setsid()
	 * also gives a new scheduler autogroup (CONFIG_SCHED_AUTOGROUP, on in
	 * Debian), and the ADDFD wake-ups (plain complete(), not the
	 * synchronous ones of RECV and SEND) between a child and a supervisor
	 * of different groups then land on the other, idle CPU: socket()
	 * took 4x the floor of tests/bench/floorsup.c here instead of 1.1x.
	 */
	setpgid(0, 0);
	launch_close_inherited();
	launch_ignore_signals();
	launch_raise_nofile();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	sv.parent_pidfd = (int)syscall(SYS_pidfd_open, netsup, 0);
	if (getppid() != netsup && sv.parent_pidfd >= 0) {
		close(sv.parent_pidfd);	/* netsup is already gone */
		sv.parent_pidfd = -1;
	}

	if (o->user_net) {
		struct stack *s;

		/* before the command goes on: it waits for our answer below */
		un.no_host_loopback = o->no_host_loopback;
		un.tcp_native = !getenv("NETSUP_USERNET_NO_MOVE");
		if (usernet_start(&un, o->publish, o->n_publish, o->verbose, &s))
			launch_supervisor_failed(sock);
		/* what leaves the command's network moves to ours (move.c) */
		if (un.tcp_native) {
			rc = usernet_routes(&un_routes, o->routes, !o->no_host_loopback, "/etc/resolv.conf");
			if (!rc)
				rc = usernet_routes_publish(&un_routes, s, o->publish, o->n_publish);
			if (rc) {
				err("--user-net: cannot make its rules: %s", strerror(-rc));
				launch_supervisor_failed(sock);
			}
			sv.routes = &un_routes;
		}
		sv.tcp_native = launch_tcp_native(o);
		defaults[FAM_INET] = s;
		defaults[FAM_INET6] = stack_get(s);
		/* ip addr shows the command's stack, as main_netlink_follows() */
		if (!defaults[FAM_NETLINK] && (s->families & (1U << FAM_NETLINK)))
			defaults[FAM_NETLINK] = stack_get(s);
		if (policy_allow(&sv.policy, s))
			debug("--user-net: the stack is not in the policy");
	}
	credcache_init(&sv.cache);
	rc = proc_init(&sv.procs, defaults, &sv.cache);
	if (rc) {
		err("supervisor: %s", strerror(-rc));
		_exit(1);
	}
	for (i = 0; i < FAM_COUNT; i++)
		stack_put(defaults[i]);		/* the table holds them now */
	events = proc_events_open(&sv.procs);
	if (events < 0)
		debug("no process events (%s): defaults follow /proc", strerror(-events));

	sv.listener = launch_recv_fd(sock, &cmd);
	if (sv.listener < 0)
		_exit(0);	/* the command never started: it said why */
	if (events < 0 && launch_unprivileged_nnp(cmd)) {
		credcache_enable_validated(&sv.cache);
		debug("credentials are kept, each checked by its thread's pidfd (no_new_privs, no privilege)");
	}
	snprintf(title, sizeof(title), "netsup: supervisor of pid %d", (int)cmd);
	rc = proctitle_set(self_argv, title, "netsup-sup");
	if (rc)
		debug("supervisor: cannot set its name: %s", strerror(-rc));
	if (send(sock, "", 1, MSG_NOSIGNAL) != 1)
		_exit(0);
	close(sock);

	sv.attach = ustack_attach_defaults;	/* the loop serves their daemons */
	sv.detach = ustack_detach_all;
	rc = unborn_init(&sv);
	if (!rc)
		rc = supervisor_run(&sv);
	unborn_fini(&sv);
	proc_fini(&sv.procs);
	usernet_stop(&un);
	if (rc)
		err("supervisor: %s", strerror(-rc));
	_exit(rc ? 1 : 0);
}

/*
 * launch_view_holder() - the supervisor's part of --view: a thread of its
 * own in @view, whose id it sends the command first (or -errno)
 * @sock:	the socketpair to the command
 * @view:	the stack shown
 *
 * The supervisor lives as long as a supervised process may read
 * /proc/net, and so does the thread.  On failure the supervisor ends
 * (the command says why).
 */
static void launch_view_holder(int sock, const struct stack *view)
{
	pid_t tid = 0;
	int rc;

	rc = view_holder_start(view, &tid);
	if (rc)
		tid = rc;
	if (send(sock, &tid, sizeof(tid), MSG_NOSIGNAL) != sizeof(tid) || rc)
		_exit(0);
}

/*
 * launch_view() - the command's part of --view: a mount namespace showing
 * @view, with /proc/net pointing at the supervisor's thread in it
 * @sock:	the socketpair: the supervisor sends that thread's id first
 * @view:	the stack shown
 * @sup:	the supervisor's pid
 *
 * Return: 0 or -errno, after saying why
 */
static int launch_view(int sock, const struct stack *view, pid_t sup)
{
	struct view v = { .stack = view, .holder_pid = sup };
	pid_t tid = 0;
	ssize_t n;

	do
		n = recv(sock, &tid, sizeof(tid), 0);
	while (n < 0 && errno == EINTR);
	if (n != sizeof(tid) || tid <= 0) {
		tid = n < 0 ? -errno : n != sizeof(tid) ? -EPIPE : tid;
		err("--view: the supervisor cannot keep a thread in %s: %s",
		    view->path, strerror(-tid));
		return tid;
	}
	v.holder_tid = tid;
	return view_enter(&v);
}

/* The command: never returns. */
static void __attribute__((noreturn))
launch_command(int sock, const struct options *o, const struct stack *view, pid_t sup)
{
	struct filter_config cfg = { .allow_io_uring = o->allow_io_uring,
				     .userspace = o->userspace,
				     .routes = o->routes && o->routes->n,
				     .tcp_native = launch_tcp_native(o) };
	struct rlimit rl;
	int listener, rc, high;

	if (o->userspace && !getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur > 64) {
		/*
		 * sendmsg is notified in such a session, and the listener is
		 * handed over with sendmsg after the filter is in place: the
		 * filter lets that one descriptor's sendmsg run (filter.c),
		 * so it is moved out of the way of the command's own.
		 */
		high = fcntl(sock, F_DUPFD_CLOEXEC, (int)(rl.rlim_cur - 16));
		if (high >= 0) {
			close(sock);
			sock = high;
		}
	}
	cfg.handoff_fd = sock;

	if (o->isolate) {
		/* A namespace of its own, with nothing but lo in it. */
		if (unshare(CLONE_NEWNET) || (errno = -stack_lo_up()) != 0) {
			err("--isolate: cannot make a network namespace: %s", strerror(errno));
			_exit(EXIT_NETSUP);
		}
	}
	/* before the filter, which would take its setns() for the command's own */
	if (view && launch_view(sock, view, sup))
		_exit(EXIT_NETSUP);
	/* some 360 lines of libseccomp's pseudo-code: -vvv only */
	if (log_get_level() > LOG_DEBUG)
		filter_dump(&cfg, STDERR_FILENO);
	listener = filter_install(&cfg);
	if (listener < 0) {
		err("cannot install the seccomp filter: %s", strerror(-listener));
		_exit(EXIT_NETSUP);
	}
	/* filter_install() leaves it out on purpose with userspace stacks */
	debug("notifications wait killably once received: %s",
	      cfg.killable ? "yes" : o->userspace ?
	      "no (a call waiting for a userspace stack must stay interruptible by signals)" :
	      "no (kernel older than 5.19)");
	rc = launch_send_fd(sock, listener, getpid());
	close(listener);
	if (!rc || rc == -EPIPE || rc == -ECONNRESET)
		rc = launch_wait_ack(sock);
	close(sock);
	if (rc == -ECANCELED)
		_exit(EXIT_NETSUP);	/* the supervisor said why */
	if (rc) {
		err("cannot hand the filter to the supervisor: %s", strerror(-rc));
		_exit(EXIT_NETSUP);
	}
	execvp(o->argv[0], o->argv);
	rc = errno;
	err("%s: %s", o->argv[0], strerror(rc));
	_exit(rc == ENOENT || rc == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN);
}

static int launch_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_NETSUP;
}

/**
 * launch_run() - run the command under netsup and wait for it
 * @o:		options (the command, --wait, ...)
 * @defaults:	stack of each family, or NULL: checked by the caller
 * @policy:	stacks msocket() may name
 *
 * Return: the exit status for netsup: the command's, 128+N if it was
 *	   killed by signal N, or 125 if netsup failed
 */
int launch_run(const struct options *o, struct stack *defaults[FAM_COUNT],
	       const struct policy *policy)
{
	pid_t self = getpid(), sup, cmd;
	int sp[2], sfd, rc, status = EXIT_NETSUP;
	bool cmd_done = false, sup_done = false;
	struct stack *view = NULL;
	sigset_t mask, old;
	size_t i;

	if (o->die_with_parent && (rc = launch_die_with(getppid()))) {
		err("--die-with-parent: %s", rc == -ESRCH ? "the parent is already gone" : strerror(-rc));
		return EXIT_NETSUP;
	}
	rc = o->view ? view_pick(defaults, &view) : 0;
	if (rc == -ENOENT) {
		err("--view: no inet or inet6 stack to show (give one with -d)");
		return EXIT_NETSUP;
	} else if (rc) {
		err("--view: %s: not a network namespace: only a kernel stack can be shown",
		    (defaults[FAM_INET] ? defaults[FAM_INET] : defaults[FAM_INET6])->path);
		return EXIT_NETSUP;
	} else if (!o->view) {
		view_hint(defaults);
	}

	sigemptyset(&mask);
	for (i = 0; i < ARRAY_SIZE(launch_forwarded); i++)
		sigaddset(&mask, launch_forwarded[i]);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, &old))
		return EXIT_NETSUP;
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) {
		err("cannot set up: %s", strerror(errno));
		return EXIT_NETSUP;
	}

	sup = fork();
	if (sup < 0) {
		err("cannot fork the supervisor: %s", strerror(errno));
		return EXIT_NETSUP;
	}
	if (!sup) {
		if (o->die_with_parent && launch_die_with(self))
			_exit(0);
		close(sfd);
		close(sp[0]);
		launch_reset_signals(&old);
		if (view)
			launch_view_holder(sp[1], view);
		launch_supervisor(sp[1], self, o, defaults, policy);
	}

	cmd = fork();
	if (cmd < 0) {
		err("cannot fork the command: %s", strerror(errno));
		close(sp[0]);
		close(sp[1]);
		waitpid(sup, NULL, 0);
		return EXIT_NETSUP;
	}
	if (!cmd) {
		if (o->die_with_parent && launch_die_with(self))
			_exit(EXIT_NETSUP);
		close(sfd);
		close(sp[1]);
		launch_reset_signals(&old);
		launch_command(sp[0], o, view, sup);
	}
	close(sp[0]);
	close(sp[1]);

	while (!cmd_done || (o->wait && !sup_done)) {
		struct signalfd_siginfo si;
		pid_t pid;
		int st;

		if (read(sfd, &si, sizeof(si)) != sizeof(si)) {
			if (errno == EINTR)
				continue;
			err("signalfd: %s", strerror(errno));
			break;
		}
		if (si.ssi_signo != SIGCHLD) {
			/* --wait after the command: a signal stops the waiting */
			if (cmd_done)
				break;
			/* The terminal signals the whole process group already. */
			if (si.ssi_code != SI_KERNEL)
				kill(cmd, (int)si.ssi_signo);
			continue;
		}
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid == cmd) {
				cmd_done = true;
				status = launch_status(st);
			} else if (pid == sup) {
				sup_done = true;
			}
		}
	}
	close(sfd);
	return status;
}

/**
 * launch_is_nested() - is this process already supervised by a netsup?
 *
 * An msocket call with an impossible family is answered by a supervisor
 * (netsup or vuos) with EAFNOSUPPORT, by the kernel alone with ENOSYS, and
 * by another seccomp filter (a container's, a systemd unit's) with
 * whatever it answers unknown calls with, usually EPERM: only the first
 * is a session.
 *
 * Return: true inside a netsup session
 */
bool launch_is_nested(void)
{
	return syscall(MSOCKET_SYSCALL, NULL, -1, -1, 0) < 0 && errno == EAFNOSUPPORT;
}

/**
 * launch_nested() - set the defaults of this process and exec the command
 * @o:		options
 * @paths:	resolved path of each family's stack, or NULL
 *
 * Return: only on error: the exit status (125, 126, 127)
 */
int launch_nested(const struct options *o, char *const paths[FAM_COUNT])
{
	int i, rc;

	if (o->isolate || o->n_allow || o->view) {
		err("--isolate, --allow and --view cannot be used inside a netsup session");
		return EXIT_NETSUP;
	}
	for (i = 0; i < FAM_COUNT; i++) {
		if (!paths[i])
			continue;
		if (syscall(MSOCKET_SYSCALL, paths[i], stack_family_domain(i),
			    SOCK_DEFAULT, 0) < 0) {
			rc = -errno;
			err("%s: %s", paths[i], stack_strerror(rc));
			return EXIT_NETSUP;
		}
		info("%s: %s (nested)", stack_family_name(i), paths[i]);
	}
	execvp(o->argv[0], o->argv);
	rc = errno;
	err("%s: %s", o->argv[0], strerror(rc));
	return rc == ENOENT || rc == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}
