// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usernet.c - --user-net: a private userspace stack on slirp
 *
 * `netsup --user-net -- cmd` gives cmd IPv4 and IPv6 networking with no
 * privilege at all: no namespace, no TAP, no set-user-ID helper.  The
 * supervisor starts a netsup-lwip of its own on a slirp:// link
 * (libvdeplug_slirp, user-mode NAT to the host's sockets), serving a stack
 * file in a private directory (mode 0700: nobody else may connect), and
 * makes it the default of inet and inet6.  The addresses are slirp's usual
 * ones: the command is 10.0.2.15 and fd00::15, the host's own loopback is
 * reached at 10.0.2.2 (fd00::2), slirp's DNS proxy is 10.0.2.3.  --publish
 * forwards host ports into the stack (publish.c).
 *
 * The daemon is a child of the supervisor with PR_SET_PDEATHSIG (started
 * as netsup-stack starts one: common/lwlaunch.c): it gets
 * SIGTERM when the supervisor ends, however that happens.  The directory
 * ($XDG_RUNTIME_DIR, else $TMPDIR, else /tmp) and the stack file in it are
 * removed as soon as the supervisor has connected: its connection is all
 * it needs (userspace.c), and a supervisor killed later leaves nothing
 * behind.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "publish.h"
#include "usernet.h"
#include "../common/lwlaunch.h"
#include "../common/util.h"

#define USERNET_START_MS	5000

/* Can slirp bind every published host port?  Says which cannot. */
static int usernet_publish_check(const char *const *publish, int n)
{
	unsigned int port = 0;
	struct publish p;
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = publish_parse(publish[i], &p);
		if (!rc)
			rc = publish_check(&p, &port);
		if (rc == -EADDRINUSE)
			err("--publish %s: port %u of the host is in use", publish[i], port);
		else if (rc == -EADDRNOTAVAIL)
			err("--publish %s: not an address of this host", publish[i]);
		else if (rc == -EACCES)
			err("--publish %s: port %u of the host needs privilege (net.ipv4.ip_unprivileged_port_start)",
			    publish[i], port);
		else if (rc)
			err("--publish %s: %s", publish[i], strerror(-rc));
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * usernet_tmpdir() - where the private directory goes: $XDG_RUNTIME_DIR,
 * else $TMPDIR, else /tmp; an unset, relative or unwritable one is passed
 *
 * Return: the directory (static or the environment's)
 */
static const char *usernet_tmpdir(void)
{
	static const char *const vars[] = { "XDG_RUNTIME_DIR", "TMPDIR" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *d = getenv(vars[i]);

		if (d && d[0] == '/' && !access(d, W_OK | X_OK))
			return d;
	}
	return "/tmp";
}

/**
 * usernet_start() - start the private stack and open it
 * @un:		receives the daemon and its files
 * @publish:	--publish specs
 * @n:		how many
 * @verbose:	-v count: the daemon's diagnostics follow
 * @out:	receives the stack
 *
 * From the supervisor's main thread (PR_SET_PDEATHSIG is the thread's).
 *
 * Return: 0 or -errno, after saying why
 */
int usernet_start(struct usernet *un, const char *const *publish, int n,
		  int verbose, struct stack **out)
{
	static const char ip[] = USERNET_IP "/24", ip6[] = USERNET_IP6 "/64";
	const char *run = usernet_tmpdir();
	const char *argv[] = {
		"--link", NULL, "--ip", ip, "--gw", "10.0.2.2", "--ip6", ip6,
		"--gw6", "fd00::2", verbose > 1 ? "-v" : "--mtu",
		verbose > 1 ? "-v" : "1500", "--", un->path, NULL,
	};
	/* libslirp's own complaints are noise on the command's terminal:
	 * the daemon speaks with -v only; it ends when the supervisor does,
	 * however it does */
	const struct lwlaunch l = {
		.argv = argv, .bound = true, .quiet = !verbose,
		.ms = USERNET_START_MS, .who = "netsup: --user-net",
	};
	char url[USERNET_URL_MAX];
	pid_t pid;
	int rc;

	un->pidfd = -1;
	un->path[0] = '\0';
	argv[1] = url;
	rc = publish_url(publish, n, USERNET_IP, un->tcp_native, url, sizeof(url));
	if (rc) {
		err("--publish: %s", rc == -E2BIG ? "too many ports published (at most 256 in all)" :
		    rc == -EAFNOSUPPORT ? "an IPv6 address of the host needs the host's own listeners (not with NETSUP_USERNET_NO_MOVE)" :
		    strerror(-rc));
		return rc;
	}
	rc = usernet_publish_check(publish, n);
	if (rc)
		return rc;
	/* slirp's own way to the host's loopback closes too (libvdeplug_slirp) */
	if (un->no_host_loopback) {
		size_t used = strlen(url);

		rc = snprintf(url + used, sizeof(url) - used, "/disable_host_loopback");
		if (rc < 0 || (size_t)rc >= sizeof(url) - used) {
			err("--disable-host-loopback: the link's URL is too long");
			return -ENAMETOOLONG;
		}
	}
	snprintf(un->dir, sizeof(un->dir), "%s/netsup-usernet.XXXXXX", run);
	if (!mkdtemp(un->dir)) {
		rc = -errno;
		err("--user-net: cannot make a directory in %s: %s", run, strerror(-rc));
		un->dir[0] = '\0';
		return rc;
	}
	if (strlen(un->dir) + sizeof("/stack") > sizeof(un->path)) {
		usernet_stop(un);
		return -ENAMETOOLONG;
	}
	memcpy(un->path, un->dir, strlen(un->dir));
	memcpy(un->path + strlen(un->dir), "/stack", sizeof("/stack"));
	rc = lwlaunch_start(&l, &pid, &un->pidfd);
	if (rc == -E2BIG || (rc < 0 && un->pidfd < 0)) {
		err("--user-net: cannot start netsup-lwip: %s", strerror(-rc));
		usernet_stop(un);
		return rc;
	}
	if (!rc)
		rc = stack_open(un->path, out);
	if (rc) {
		if (rc == -ECHILD)
			err("--user-net: netsup-lwip exited at start%s", verbose ? "" :
			    " (-v tells why)");
		else
			err("--user-net: %s: %s", un->path, rc == -ETIMEDOUT ?
			    "netsup-lwip did not start" : stack_strerror(rc));
		usernet_stop(un);
		return rc;
	}
	info("--user-net: %s on %s, the command at %s and %s", un->path, url,
	     USERNET_IP, USERNET_IP6);
	/* connected: the names are no longer needed (nobody else may use them) */
	(*out)->unnamed = true;
	unlink(un->path);
	rmdir(un->dir);
	un->dir[0] = un->path[0] = '\0';
	return 0;
}

/* One rule of --user-net's own; the same network given by --route wins. */
static int usernet_rule(struct route_table *t, const char *cidr, enum route_action action,
			struct stack *host, const char *to)
{
	const char *stack;
	struct route r;
	char spec[64];
	int rc;

	snprintf(spec, sizeof(spec), "%s=host", cidr);
	rc = route_parse(spec, &r, &stack);
	if (rc)
		return rc;
	r.action = action;
	r.trusted = true;	/* netsup's own namespace, for the user */
	r.keep_bind = false;	/* no port of the host taken by a bind */
	r.view = true;
	if (to) {
		r.rewrite = true;
		if (inet_pton(r.family, to, r.to) != 1)
			return -EINVAL;
	}
	if (action == ROUTE_STACK)
		r.s = stack_get(host);
	rc = route_add(t, &r);
	if (rc)
		stack_put(r.s);
	return rc == -EEXIST ? 0 : rc;
}

/**
 * usernet_resolver() - the first IPv4 nameserver of a resolv.conf(5)
 * @path:	the file (/etc/resolv.conf)
 * @buf:	receives the address, as text
 * @len:	its size (INET_ADDRSTRLEN)
 *
 * Return: 1 if there is one, 0 if not (no file, IPv6 only), -ENAMETOOLONG
 */
int usernet_resolver(const char *path, char *buf, size_t len)
{
	char line[256], addr[64];
	struct in_addr a;
	int rc = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (!rc && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " nameserver %63s", addr) != 1 ||
		    inet_pton(AF_INET, addr, &a) != 1)
			continue;
		rc = inet_ntop(AF_INET, &a, buf, (socklen_t)len) ? 1 : -ENAMETOOLONG;
	}
	fclose(f);
	return rc;
}

/**
 * usernet_routes() - the rules of --user-net: what leaves the command's
 *		      network becomes a socket of netsup's own namespace
 * @t:		receives the rules: those of @user first, then these
 * @user:	--route's rules, or NULL
 * @host_loopback: 10.0.2.2 and fd00::2 are the host's loopback (else refused)
 * @resolv:	the host's resolv.conf(5), or NULL
 *
 * The command's own network (10.0.2.0/24, fd00::/64, its loopback) stays
 * in the private stack, and so do broadcast and multicast.  slirp's DNS,
 * 10.0.2.3, is connected as the host's first IPv4 nameserver (@resolv),
 * unless that is on the host's loopback and @host_loopback is false (then
 * slirp's proxy answers, as before).  Everything else moves to the host's namespace, where
 * the supervisor runs, with the user's credentials; 10.0.2.2 (fd00::2) is
 * connected as 127.0.0.1 (::1).  A moved socket keeps the command's names
 * (10.0.2.15, fd00::15, the peer it asked for), and never binds a port of
 * the host: its bind stays a name in the command's view.
 *
 * Return: 0 or -errno
 */
int usernet_routes(struct route_table *t, const struct route_table *user, bool host_loopback,
		   const char *resolv)
{
	static const char *const stay[] = {
		"10.0.2.0/24", "127.0.0.0/8", "224.0.0.0/4", "255.255.255.255",
		"fd00::/64", "::1", "ff00::/8", "fe80::/10",
	};
	enum route_action lo = host_loopback ? ROUTE_STACK : ROUTE_REFUSE;
	char ns[INET_ADDRSTRLEN];
	struct stack *host = NULL;
	size_t i;
	int rc;

	memset(t, 0, sizeof(*t));
	for (i = 0; user && i < user->n; i++) {
		t->r[t->n] = user->r[i];
		stack_get(t->r[t->n++].s);
	}
	inet_pton(AF_INET, USERNET_IP, &t->self4);
	inet_pton(AF_INET6, USERNET_IP6, &t->self6);
	rc = stack_open("/proc/self/ns/net", &host);
	for (i = 0; !rc && i < ARRAY_SIZE(stay); i++)
		rc = usernet_rule(t, stay[i], ROUTE_STAY, NULL, NULL);
	if (!rc)
		rc = usernet_rule(t, "10.0.2.2", lo, host, "127.0.0.1");
	if (!rc)
		rc = usernet_rule(t, "fd00::2", lo, host, "::1");
	/* DNS natively: the resolver's port only matters to it, and it is
	 * an address the command reaches anyway (or the host's loopback,
	 * which 10.0.2.2 reaches as well) */
	if (!rc && resolv && usernet_resolver(resolv, ns, sizeof(ns)) > 0 &&
	    (host_loopback || strncmp(ns, "127.", 4) != 0))
		rc = usernet_rule(t, USERNET_DNS, ROUTE_STACK, host, ns);
	if (!rc)
		rc = usernet_rule(t, "0.0.0.0/0", ROUTE_STACK, host, NULL);
	if (!rc)
		rc = usernet_rule(t, "::/0", ROUTE_STACK, host, NULL);
	stack_put(host);
	if (rc)
		route_table_free(t);
	return rc;
}

/**
 * usernet_stop() - end the private stack, remove its files
 * @un:		what usernet_start() made
 */
void usernet_stop(struct usernet *un)
{
	struct pollfd pfd = { .fd = un->pidfd, .events = POLLIN };

	if (un->pidfd >= 0) {
		syscall(SYS_pidfd_send_signal, un->pidfd, SIGTERM, NULL, 0);
		if (poll(&pfd, 1, 2000) <= 0)
			syscall(SYS_pidfd_send_signal, un->pidfd, SIGKILL, NULL, 0);
		close(un->pidfd);
		un->pidfd = -1;
	}
	if (un->path[0])
		unlink(un->path);
	if (un->dir[0])
		rmdir(un->dir);
	un->dir[0] = un->path[0] = '\0';
}

/**
 * usernet_routes_publish() - the TCP --publish that the host's own
 *			      listeners serve (movepub.c)
 * @t:		the rules of usernet_routes()
 * @user:	the command's stack, whose ports they are
 * @publish:	--publish specs, already checked
 * @n:		how many
 *
 * Return: 0 or -errno
 */
int usernet_routes_publish(struct route_table *t, struct stack *user, const char *const *publish,
			   int n)
{
	struct sockaddr_in any = { .sin_family = AF_INET };
	const struct route *rt;
	struct publish p;
	int i, rc;

	/* the stack of everything outside: netsup's namespace */
	rt = route_match(t, (struct sockaddr *)&any, sizeof(any));
	if (!rt || rt->action != ROUTE_STACK || !rt->s)
		return -ENOENT;
	for (i = 0; i < n; i++) {
		rc = publish_parse(publish[i], &p);
		if (rc)
			return rc;
		if (p.udp)
			continue;
		if (t->npub >= ROUTE_PUBLISH_MAX)
			return -E2BIG;
		t->pub[t->npub++] = p;
	}
	t->host = stack_get(rt->s);
	t->user = stack_get(user);
	return 0;
}
