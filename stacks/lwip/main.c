// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - netsup-lwip: a userspace TCP/IP stack (lwIP) served through a
 * stack file
 *
 *   netsup-lwip [options] --link URL STACKFILE
 *
 * main() parses the options, starts (link, stack file, lwIP), runs the
 * loop and cleans up.  Order matters: the stack file first (a daemon
 * already serving it is the likeliest error), then the link, while the
 * process has one thread (setns(2) for --netns is per thread, and
 * --daemon forks); lwIP's thread starts after that (tcpip_init), with
 * SIGTERM and SIGINT blocked so that only the loop's signalfd sees them.
 * --daemon forks before anything is opened and the parent waits on a pipe
 * for the child's verdict, so that start-up errors still reach the caller
 * and its exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"

#include "lw.h"

#ifndef NETSUP_VERSION
#define NETSUP_VERSION "unknown"
#endif

static const char usage[] =
"usage: netsup-lwip [options] --link URL STACKFILE\n"
"Serve sockets of one lwIP TCP/IP stack through the UNIX socket STACKFILE.\n"
"\n"
"  -l, --link URL      the link: tap://NAME, vde:///path, slirp://, vxvde://, ptp://...\n"
"  -n, --netns PATH    open the link inside this network namespace\n"
"      --ip ADDR/LEN   IPv4 address (default: none)\n"
"      --gw ADDR       IPv4 default gateway\n"
"      --ip6 ADDR/LEN  IPv6 address (default: autoconfiguration)\n"
"      --gw6 ADDR      IPv6 default router\n"
"      --mtu N         link MTU, 576..9000 (default 1500)\n"
"  -d, --daemon        run in the background once serving\n"
"  -p, --pidfile FILE  write the daemon's pid to FILE\n"
"      --ready-fd FD   write one byte to FD and close it once serving\n"
"      --max-sockets N       sockets per client connection (default: a quarter\n"
"                            of the descriptor limit)\n"
"      --max-user-sockets N  sockets of all connections of one uid (default: half)\n"
"      --log FILE      append diagnostics to FILE (default: stderr; with -d, syslog)\n"
"  -v, --verbose       one line per client and socket event; twice: every request\n"
"  -h, --help          this text\n"
"  -V, --version       the version\n";

enum { OPT_IP = 256, OPT_GW, OPT_IP6, OPT_GW6, OPT_MTU, OPT_READY_FD,
       OPT_MAX_SOCKS, OPT_MAX_USER_SOCKS, OPT_LOG };

#define EXIT_USAGE	2	/* a bad command line, any option's value */

/*
 * main_usage_error() - one line on what was wrong, and where help is,
 * escaped as every line of the logger (what is wrong is the user's text)
 * @fmt:	printf format (a string literal)
 * @...:	its arguments
 *
 * Return: -EINVAL
 */
#define main_usage_error(fmt, ...)					\
	(lw_err(fmt "; see netsup-lwip --help", ##__VA_ARGS__), -EINVAL)

/*
 * main_count() - a positive count option
 * @name:	the option, for the message
 * @arg:	its value
 * @out:	set
 *
 * Return: 0 or -EINVAL (a usage error, said)
 */
static int main_count(const char *name, const char *arg, unsigned int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || v < 1 || v > 1000000)
		return main_usage_error("--%s %s: not a number in 1..1000000", name, arg);
	*out = (unsigned int)v;
	return 0;
}

/*
 * main_check_cidr() - is @spec ADDR/LEN of @family, as ip-address(8) takes it?
 * @spec:	the option's value
 * @family:	AF_INET or AF_INET6
 *
 * inet_pton(3): four decimal numbers for IPv4, never inet_aton(3)'s short
 * forms ("10.0.2" is 10.0.0.2 there) nor its octal and hexadecimal.  The
 * prefix length is required: ip(8) would take a bare address as /32 or
 * /128, a guess that is wrong for any stack with a gateway.
 *
 * Return: 0, or -EINVAL
 */
static int main_check_cidr(const char *spec, int family)
{
	unsigned char addr[16];
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long len;

	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return -EINVAL;
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash++ = '\0';
	if (*slash < '0' || *slash > '9')
		return -EINVAL;
	len = strtol(slash, &end, 10);
	if (*end || len < (family == AF_INET ? 0 : 1) || len > (family == AF_INET ? 32 : 128))
		return -EINVAL;
	return inet_pton(family, buf, addr) == 1 ? 0 : -EINVAL;
}

/*
 * main_check_addr() - is @spec an address of @family (inet_pton(3))?
 * @spec:	the option's value
 * @family:	AF_INET or AF_INET6
 *
 * Return: 0, or -EINVAL
 */
static int main_check_addr(const char *spec, int family)
{
	unsigned char addr[16];

	return inet_pton(family, spec, addr) == 1 ? 0 : -EINVAL;
}

/*
 * main_check_link() - refuse a tap:// name the kernel would cut short
 * @url:	--link's value
 *
 * An interface name has at most IFNAMSIZ - 1 bytes; a longer one given
 * to TUNSETIFF would be truncated (libvdeplug copies what fits), and the
 * daemon would serve a TAP of another name than the one asked for.
 *
 * Return: 0, or -EINVAL
 */
static int main_check_link(const char *url)
{
	static const char tap[] = "tap://";

	if (strncmp(url, tap, sizeof(tap) - 1) != 0)
		return 0;
	return strcspn(url + sizeof(tap) - 1, "[") > IFNAMSIZ - 1 ? -EINVAL : 0;
}

/*
 * main_check() - the values of the options that name addresses and links
 * @o:		the options parsed
 *
 * Checked before anything starts, so that every bad value is a usage
 * error (exit 2), whichever option it is.
 *
 * Return: 0, or -EINVAL after saying which
 */
static int main_check(const struct lw_options *o)
{
	if (!o->link)
		return main_usage_error("--link URL is required");
	if (main_check_link(o->link))
		return main_usage_error("--link %s: a TAP name has at most %d bytes (IFNAMSIZ - 1)",
					o->link, IFNAMSIZ - 1);
	if (o->ip && main_check_cidr(o->ip, AF_INET))
		return main_usage_error("--ip %s: not an IPv4 ADDR/LEN, such as 10.0.2.15/24 (the prefix length is required)",
					o->ip);
	if (o->gw && main_check_addr(o->gw, AF_INET))
		return main_usage_error("--gw %s: not an IPv4 address (four decimal numbers, such as 10.0.2.2)",
					o->gw);
	if (o->ip6 && main_check_cidr(o->ip6, AF_INET6))
		return main_usage_error("--ip6 %s: not an IPv6 ADDR/LEN, such as fd00::15/64 (the prefix length is required)",
					o->ip6);
	if (o->gw6 && main_check_addr(o->gw6, AF_INET6))
		return main_usage_error("--gw6 %s: not an IPv6 address", o->gw6);
	return 0;
}

/*
 * main_options() - parse the command line into @o
 * @argc:	as main()
 * @argv:	as main()
 * @o:		filled in
 *
 * Return: 0 to run, 1 when done (--help, --version), -EINVAL
 */
static int main_options(int argc, char **argv, struct lw_options *o)
{
	static const struct option lo[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "netns", required_argument, NULL, 'n' },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "gw", required_argument, NULL, OPT_GW },
		{ "ip6", required_argument, NULL, OPT_IP6 },
		{ "gw6", required_argument, NULL, OPT_GW6 },
		{ "mtu", required_argument, NULL, OPT_MTU },
		{ "daemon", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "ready-fd", required_argument, NULL, OPT_READY_FD },
		{ "max-sockets", required_argument, NULL, OPT_MAX_SOCKS },
		{ "max-user-sockets", required_argument, NULL, OPT_MAX_USER_SOCKS },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	long v;
	int c;

	o->mtu = 1500;
	o->ready_fd = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":l:n:dp:vhV", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o->link = optarg; break;
		case 'n': o->netns = optarg; break;
		case OPT_IP: o->ip = optarg; break;
		case OPT_GW: o->gw = optarg; break;
		case OPT_IP6: o->ip6 = optarg; break;
		case OPT_GW6: o->gw6 = optarg; break;
		case OPT_LOG: o->log = optarg; break;
		case OPT_MTU:
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 576 || v > 9000)
				return main_usage_error("--mtu %s: not a number in 576..9000", optarg);
			o->mtu = (unsigned int)v;
			break;
		case OPT_READY_FD:
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 0 || v > 65535 ||
			    fcntl((int)v, F_GETFD) < 0)
				return main_usage_error("--ready-fd %s: not an open descriptor", optarg);
			o->ready_fd = (int)v;
			break;
		case OPT_MAX_SOCKS:
			if (main_count("max-sockets", optarg, &o->max_socks) < 0)
				return -EINVAL;
			break;
		case OPT_MAX_USER_SOCKS:
			if (main_count("max-user-sockets", optarg, &o->max_user_socks) < 0)
				return -EINVAL;
			break;
		case 'd': o->daemon = true; break;
		case 'p': o->pidfile = optarg; break;
		case 'v': o->verbose++; break;
		case 'h': fputs(usage, stdout); return 1;
		case 'V':
			printf("netsup-lwip %s (lwIP %s)\n", NETSUP_VERSION, LWIP_VERSION_STRING);
			return 1;
		case ':':
			return main_usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			/* optopt: 0 for an unknown long option, else the option's value */
			if (!strncmp(argv[optind - 1], "--", 2) && optopt)
				return main_usage_error("option '%s' takes no value", argv[optind - 1]);
			if (optopt)
				return main_usage_error("unknown option '-%c'", optopt);
			return main_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return main_usage_error("which STACKFILE? one is expected");
	if (optind != argc - 1)
		return main_usage_error("one STACKFILE expected, not %d operands", argc - optind);
	o->stackfile = argv[optind];
	return main_check(o);
}

/*
 * main_close_inherited() - close every descriptor but 0, 1, 2 and @keep
 * @keep:	descriptors to keep (-1 entries ignored)
 * @n:		how many
 *
 * A daemon holds nothing of its caller's: a pipe it inherited would keep
 * the caller's reader from seeing end-of-file for as long as the daemon
 * runs ({ netsup-stack add ... 9>&1; } | cat).  close_range(2), Linux 5.9,
 * between the descriptors kept.
 */
static void main_close_inherited(const int *keep, size_t n)
{
	unsigned int from = 3, k;
	size_t i;

	for (;;) {
		k = ~0U;
		for (i = 0; i < n; i++)	/* the lowest kept at or above from */
			if (keep[i] >= (int)from && (unsigned int)keep[i] < k)
				k = (unsigned int)keep[i];
		if (k > from)
			close_range(from, k == ~0U ? ~0U : k - 1, 0);
		if (k == ~0U)
			return;
		from = k + 1;
	}
}

/*
 * main_daemonize() - fork; the parent waits for the child's start-up
 * @fdout:	the pipe's write end, for main_started() in the child
 * @o:		the options: --ready-fd is kept
 * @logfd:	the --log file, kept, or -1
 *
 * The child closes every descriptor it inherited but those.
 *
 * Return: 0 in the child; in the parent, never (it exits 0 when the
 * child reports it is serving, 1 otherwise); -errno if fork fails
 */
static int main_daemonize(int *fdout, const struct lw_options *o, int logfd)
{
	int p[2], keep[3];
	char ok;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		_exit(read(p[0], &ok, 1) == 1 && ok == 0 ? 0 : 1);
	}
	close(p[0]);
	keep[0] = p[1];
	keep[1] = o->ready_fd;
	keep[2] = logfd;
	main_close_inherited(keep, 3);
	setsid();
	*fdout = p[1];
	return 0;
}

/*
 * main_started() - start-up is over: tell the waiting parent, detach
 * @fd:		the pipe from main_daemonize(), or -1 in the foreground
 *
 * In the background stdin, stdout and stderr become /dev/null, and the
 * diagnostics go to the --log file, or to syslog without one
 * (lw_log_detach()).
 */
static void main_started(int fd)
{
	int null;

	if (fd < 0)
		return;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		lw_log_detach();
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	if (write(fd, "", 1) < 0)
		lw_warn("--daemon: the parent is gone");
	close(fd);
}

/*
 * main_pidfile() - write our pid to --pidfile
 * @path:	the file
 *
 * Return: 0 or -errno
 */
static int main_pidfile(const char *path)
{
	FILE *f = fopen(path, "we");
	int rc = 0;

	if (!f || fprintf(f, "%d\n", (int)getpid()) < 0)
		rc = -errno;
	if (f && fclose(f) != 0 && !rc)
		rc = -errno;
	if (rc)
		lw_err("--pidfile %s: %s", path, strerror(-rc));
	return rc;
}

/*
 * main_signals() - SIGTERM and SIGINT to a signalfd, SIGPIPE ignored
 * @d:		the daemon; d->signal_fd set
 *
 * Called before lwIP's thread exists, so that it inherits the mask.
 *
 * Return: 0 or -errno
 */
static int main_signals(struct lw_daemon *d)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	d->signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->signal_fd < 0 ? -errno : 0;
}

/*
 * main_nofile() - raise the soft descriptor limit to the hard one, and
 * derive the socket bounds not given
 * @o:		the options: max_socks, max_user_socks
 *
 * Each socket of the stack costs the daemon one descriptor (its end of
 * the socketpair) and each client one more.  A connection may use a
 * quarter of the limit and one uid half, so that no user takes what the
 * others need.
 */
static void main_nofile(struct lw_options *o)
{
	struct rlimit rl = { 1024, 1024 };
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rlim_t cur = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			lw_warn("RLIMIT_NOFILE: %s", strerror(errno));
			rl.rlim_cur = cur;
		}
	}
	n = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 4000000 ? 4000000 : rl.rlim_cur;
	if (!o->max_socks)
		o->max_socks = n / 4 ? (unsigned int)(n / 4) : 1;
	if (!o->max_user_socks)
		o->max_user_socks = n / 2 ? (unsigned int)(n / 2) : 1;
}

int main(int argc, char **argv)
{
	struct lw_options o = { 0 };
	struct lw_daemon d = { .opt = &o, .listen_fd = -1, .link_fd = -1,
			       .signal_fd = -1, .epfd = -1, .udp_probe = { -1, -1 } };
	int rc, pipefd = -1, logfd = -1, status = 1;
	unsigned int seed;

	log_init("netsup-lwip", 0);
	rc = main_options(argc, argv, &o);
	if (rc)
		return rc > 0 ? 0 : EXIT_USAGE;
	lw_log_level(LW_WARN + o.verbose);
	if (o.log) {
		rc = log_open_file(o.log);
		if (rc < 0) {
			lw_err("--log %s: %s", o.log, log_file_strerror(rc));
			return EXIT_USAGE;
		}
		logfd = log_file_fd();
	}
	main_nofile(&o);
	/* lwIP draws ports and sequence numbers with rand() (LWIP_RAND) */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (unsigned int)getpid();
	srand(seed);
	if (o.daemon && (rc = main_daemonize(&pipefd, &o, logfd)) < 0) {
		lw_err("--daemon: fork: %s", strerror(-rc));
		return 1;
	}
	d.iobuf = malloc(SP_MSG_MAX);
	d.msgbuf = malloc(SP_MSG_MAX);
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!d.iobuf || !d.msgbuf || d.epfd < 0 || main_signals(&d) < 0 ||
	    udp_probe_open(&d) < 0) {
		lw_err("start-up: %s", strerror(errno));
		goto out;
	}
	if (serve_listen(&d) < 0)
		goto out;
	if (link_open(&d) < 0)
		goto out_unlink;
	tcpip_init(NULL, NULL);
	LOCK_TCPIP_CORE();
	rc = link_setup(&d);
	UNLOCK_TCPIP_CORE();
	if (rc < 0)
		goto out_unlink;
	if (o.pidfile && main_pidfile(o.pidfile) < 0)
		goto out_unlink;
	lw_info("serving %s on %s (lwIP %s)", o.stackfile, o.link, LWIP_VERSION_STRING);
	/* before --daemon's parent exits: whoever waits for both sees the
	 * byte first (common/lwlaunch.c) */
	if (o.ready_fd >= 0) {		/* as slirp4netns's --ready-fd */
		if (write(o.ready_fd, "", 1) < 0)
			lw_warn("--ready-fd: %s", strerror(errno));
		close(o.ready_fd);
	}
	main_started(pipefd);
	pipefd = -1;
	status = loop_run(&d) < 0;
	unlink(o.stackfile);		/* no new client from now on */
	LOCK_TCPIP_CORE();
	serve_close_all(&d);
	loop_reap(&d);
	UNLOCK_TCPIP_CORE();
	loop_drain(&d, 1000);
	LOCK_TCPIP_CORE();
	netif_remove(&d.netif);		/* its multicast groups with it */
	loif_remove(&d);
	UNLOCK_TCPIP_CORE();
	if (o.pidfile)
		unlink(o.pidfile);
out_unlink:
	unlink(o.stackfile);
out:
	if (pipefd >= 0)
		close(pipefd);	/* the parent reads EOF: failure */
	if (d.listen_fd >= 0)
		close(d.listen_fd);
	if (d.signal_fd >= 0)
		close(d.signal_fd);
	if (d.epfd >= 0)
		close(d.epfd);
	link_close(&d);
	udp_probe_close(&d);
	free(d.iobuf);
	free(d.msgbuf);
	return status;
}
