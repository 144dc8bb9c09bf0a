// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-lwip.c - netsup-stack's commands for userspace stacks
 *
 *   netsup-stack add NAME --lwip --link URL [--ip A/L] [--gw G] [--ip6 A/L]
 *                [--gw6 G] [--mtu N] [--netns PATH]
 *   netsup-stack del [-f] NAME       info, list, ps [--json] NAME
 *
 * A userspace stack is a daemon listening on a UNIX socket, the stack
 * file.  add starts netsup-lwip(8) with --daemon (it returns once the
 * stack file is served, or fails with its own diagnostic) and --pidfile
 * STACKLWIP_RUN_DIR/ESCAPED.pid, ESCAPED being the stack file's path
 * with the leading '/' dropped, '-' written "\x2d" and '/' written '-'
 * (as systemd-escape --path does).  The daemon is the netsup-lwip beside
 * netsup-stack's own executable (/proc/self/exe) when there is one, else
 * the one found in PATH.
 *
 * Everything else is asked of the daemon itself, with the stack
 * protocol's HELLO (userspace.c, netsup-stack-protocol(7)), whose reply
 * carries the daemon's pid, the link's MTU and a key=value description:
 * stack, link, ipv4, ipv6, gw, gw6.  No state of netsup-stack's own can
 * disagree with it.
 *
 * Who uses the stack: the daemon's descriptors (/proc/PID/fd) name its
 * sockets; one sock_diag dump (unixdiag.c) gives each one's peer.  The
 * daemon's sockets accepted from the stack file are client connections,
 * whose peers netsup supervisors hold; its unnamed ones are socketpairs,
 * whose other ends are the programs' sockets.  stackps.c then finds the
 * processes holding those peers.  del refuses a stack with connected
 * clients unless -f, sends the daemon SIGTERM through a pidfd (no pid
 * reuse race; pidfd_open(2), Linux 5.3) and waits for it to exit: it
 * removes its stack file and pid file itself.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "netsup-stack.h"
#include "stack.h"
#include "stackproto.h"
#include "stackps.h"
#include "unixdiag.h"

#define STACKLWIP_RUN_DIR	"/run/netsup"
#define STACKLWIP_DAEMON	"netsup-lwip"
#define STACKLWIP_STOP_MS	5000	/* SIGTERM to exit, then -f kills */
#define STACKLWIP_ARGS		20

/* What a daemon says of itself in its HELLO reply. */
struct stacklwip_hello {
	pid_t pid;
	unsigned int mtu;
	unsigned int families;		/* SP_FAM_* */
	char text[SP_TEXT_MAX + 1];	/* key=value lines */
};

/**
 * stacklwip_is() - is @path a userspace stack's file (a UNIX socket)?
 * @path:	the stack's path
 *
 * Return: true for a socket
 */
bool stacklwip_is(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISSOCK(st.st_mode);
}

/**
 * stacklwip_hello() - connect to the daemon and ask for its HELLO
 * @path:	the stack file
 * @h:		receives what the daemon says
 *
 * Return: 0, -ENOTSUP (not a socket), -ECONNREFUSED (nobody serves it),
 *	   -EPROTO (not the stack protocol), -EACCES, other -errno
 */
static int stacklwip_hello(const char *path, struct stacklwip_hello *h)
{
	static char buf[SP_MSG_MAX];
	struct sp_msg m;
	struct stat st;
	int fd, conn, rc;

	memset(h, 0, sizeof(*h));
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode)) {
		close(fd);
		return -ENOTSUP;
	}
	conn = userspace_connect(fd);
	close(fd);
	if (conn < 0)
		return conn;
	rc = userspace_greet(conn, buf, sizeof(buf), &m);
	close(conn);
	if (rc)
		return rc == -EBADMSG || rc == -ENOSYS || rc == -EINVAL ? -EPROTO : rc;
	h->pid = (pid_t)m.pid;
	h->mtu = m.mtu;
	h->families = m.families;
	memcpy(h->text, m.data, m.datalen < SP_TEXT_MAX ? m.datalen : SP_TEXT_MAX);
	return 0;
}

/**
 * stacklwip_value() - the @nth value of @key in a HELLO description
 * @h:		the description
 * @key:	"link", "ipv4"...
 * @nth:	0 for the first line with that key
 * @buf:	receives the value
 * @len:	size of @buf
 *
 * Return: true if there is one
 */
static bool stacklwip_value(const struct stacklwip_hello *h, const char *key, int nth,
			    char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *line, *end;

	for (line = h->text; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if ((size_t)(end - line) <= klen || strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		if (nth-- > 0)
			continue;
		snprintf(buf, len, "%.*s", (int)(end - line - klen - 1), line + klen + 1);
		return true;
	}
	return false;
}

/**
 * stacklwip_kind() - the kind of stack a daemon runs: "lwip", ...
 * @h:		its description
 * @buf:	receives the first word of its "stack" value, or "userspace"
 * @len:	size of @buf
 */
static void stacklwip_kind(const struct stacklwip_hello *h, char *buf, size_t len)
{
	if (!stacklwip_value(h, "stack", 0, buf, len) || !buf[0])
		snprintf(buf, len, "userspace");
	buf[strcspn(buf, " ")] = '\0';
}

/**
 * stacklwip_canonical() - ADDRESS/LEN as the kernel's tools write it
 * @v:		the value, rewritten in place (lwIP writes IPv6 in capitals)
 * @len:	size of @v
 */
static void stacklwip_canonical(char *v, size_t len)
{
	char addr[INET6_ADDRSTRLEN], *slash = strchr(v, '/');
	unsigned char bin[16];
	int af = strchr(v, ':') ? AF_INET6 : AF_INET;

	if (slash)
		*slash = '\0';
	if (inet_pton(af, v, bin) == 1 && inet_ntop(af, bin, addr, sizeof(addr)))
		snprintf(v, len, "%s%s%s", addr, slash ? "/" : "", slash ? slash + 1 : "");
	else if (slash)
		*slash = '/';
}

/**
 * stacklwip_print_values() - every value of @key, separated by @sep
 * @f:		where to
 * @h:		the description
 * @key:	the key
 * @json:	as JSON strings
 * @first:	nothing printed before (updated)
 */
static void stacklwip_print_values(FILE *f, const struct stacklwip_hello *h, const char *key,
				   bool json, bool *first)
{
	char v[SP_TEXT_MAX];
	int i;

	for (i = 0; stacklwip_value(h, key, i, v, sizeof(v)); i++) {
		stacklwip_canonical(v, sizeof(v));
		fputs(*first ? "" : json ? "," : " ", f);
		if (json)
			json_string(f, v);
		else
			fputs(v, f);
		*first = false;
	}
}

/**
 * stacklwip_print_json() - a userspace stack as a JSON object
 * @f:		where to
 * @path:	its path
 * @h:		what its daemon said
 *
 * {"path", "kind", "stack", "pid", "link", "mtu", "families",
 * "addresses", "gw", "gw6"}; a missing value is null.
 */
static void stacklwip_print_json(FILE *f, const char *path, const struct stacklwip_hello *h)
{
	static const char *const keys[] = { "stack", "link", "gw", "gw6" };
	char v[SP_TEXT_MAX];
	bool first = true;
	size_t i;

	fputs("{\"path\":", f);
	json_string(f, path);
	stacklwip_kind(h, v, sizeof(v));
	fputs(",\"kind\":", f);
	json_string(f, v);
	fprintf(f, ",\"pid\":%d,\"mtu\":%u,\"families\":[%s%s%s]", (int)h->pid, h->mtu,
		h->families & SP_FAM_INET ? "\"inet\"" : "",
		(h->families & SP_FAM_INET) && (h->families & SP_FAM_INET6) ? "," : "",
		h->families & SP_FAM_INET6 ? "\"inet6\"" : "");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(f, ",\"%s\":", keys[i]);
		if (stacklwip_value(h, keys[i], 0, v, sizeof(v)))
			json_string(f, v);
		else
			fputs("null", f);
	}
	fputs(",\"addresses\":[", f);
	stacklwip_print_values(f, h, "ipv4", true, &first);
	stacklwip_print_values(f, h, "ipv6", true, &first);
	fputs("]}", f);
}

/**
 * stacklwip_info() - netsup-stack info [--json] for a userspace stack
 * @path:	the stack file
 * @json:	print JSON
 *
 * Return: exit status
 */
int stacklwip_info(const char *path, bool json)
{
	struct stacklwip_hello h;
	char kind[64], v[SP_TEXT_MAX];
	bool first = true;
	int rc = stacklwip_hello(path, &h);

	if (rc)
		return stacktool_fail(path, stacktool_why(rc));
	if (json) {
		stacklwip_print_json(stdout, path, &h);
		putchar('\n');
		return 0;
	}
	stacklwip_kind(&h, kind, sizeof(kind));
	printf("path: %s\nkind: %s (userspace", path, kind);
	if (stacklwip_value(&h, "stack", 0, v, sizeof(v)))
		printf(", %s", v);
	printf(")\ndaemon: pid %d\n", (int)h.pid);
	if (stacklwip_value(&h, "link", 0, v, sizeof(v)))
		printf("link: %s\n", v);
	printf("mtu: %u\nfamilies:%s%s%s\naddresses: ", h.mtu,
	       h.families & SP_FAM_INET ? " inet" : "",
	       (h.families & SP_FAM_INET) && (h.families & SP_FAM_INET6) ? "," : "",
	       h.families & SP_FAM_INET6 ? " inet6" : "");
	stacklwip_print_values(stdout, &h, "ipv4", false, &first);
	stacklwip_print_values(stdout, &h, "ipv6", false, &first);
	putchar('\n');
	if (stacklwip_value(&h, "gw", 0, v, sizeof(v)))
		printf("gateway: %s\n", v);
	if (stacklwip_value(&h, "gw6", 0, v, sizeof(v)))
		printf("gateway6: %s\n", v);
	return 0;
}

/**
 * stacklwip_list_entry() - one line (or JSON object) of list
 * @path:	a socket in a listed directory
 * @json:	print a JSON object
 * @shown:	how many stacks were printed before, updated
 *
 * A socket that does not speak the stack protocol is no stack: left out.
 * One nobody serves any more is shown with the reason.
 *
 * Return: 0, or -ENOTSUP if @path is not a stack (nothing printed)
 */
int stacklwip_list_entry(const char *path, bool json, int *shown)
{
	struct stacklwip_hello h;
	char kind[64], v[SP_TEXT_MAX];
	bool first = true;
	int rc = stacklwip_hello(path, &h);

	if (rc == -ENOTSUP || rc == -EPROTO || rc == -ENOENT)
		return -ENOTSUP;
	if (rc == -ECONNREFUSED)
		rc = -ESRCH;	/* a stale socket: said as "no daemon" */
	if (json) {
		fputs(*shown ? ",\n" : "\n", stdout);
		if (rc) {
			fputs("{\"path\":", stdout);
			json_string(stdout, path);
			fputs(",\"error\":", stdout);
			json_string(stdout, rc == -ESRCH ? "no daemon serves it" : stacktool_why(rc));
			fputc('}', stdout);
		} else {
			stacklwip_print_json(stdout, path, &h);
		}
	} else {
		if (!*shown)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		if (rc) {
			printf("%-28s %-6s %s\n", path, "?",
			       rc == -ESRCH ? "no daemon serves it" : stacktool_why(rc));
		} else {
			stacklwip_kind(&h, kind, sizeof(kind));
			printf("%-28s %-6s ", path, kind);
			if (stacklwip_value(&h, "link", 0, v, sizeof(v)))
				printf("%s ", v);
			printf("up ");
			stacklwip_print_values(stdout, &h, "ipv4", false, &first);
			stacklwip_print_values(stdout, &h, "ipv6", false, &first);
			printf("%s(pid %d)\n", first ? "" : " ", (int)h.pid);
		}
	}
	(*shown)++;
	return 0;
}

/**
 * stacklwip_pidfile() - the pid file add gives the daemon of @path
 * @path:	the stack file, absolute
 * @buf:	receives STACKLWIP_RUN_DIR/ESCAPED.pid
 * @len:	size of @buf
 *
 * Return: 0, or -ENAMETOOLONG
 */
static int stacklwip_pidfile(const char *path, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s/", STACKLWIP_RUN_DIR);
	const char *c;

	for (c = path + (path[0] == '/'); *c && off < len; c++) {
		if (*c == '-')
			off += (size_t)snprintf(buf + off, len - off, "\\x2d");
		else
			buf[off++] = (char)(*c == '/' ? '-' : *c);
	}
	if (off >= len)
		return -ENAMETOOLONG;
	buf[off] = '\0';
	return snprintf(buf + off, len - off, ".pid") >= (int)(len - off) ? -ENAMETOOLONG : 0;
}

/**
 * stacklwip_daemon_path() - the netsup-lwip to run
 * @buf:	receives the one beside our own executable if it exists,
 *		else the bare name (looked up in PATH)
 * @len:	size of @buf
 */
static void stacklwip_daemon_path(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && (size_t)(slash - self) + sizeof("/" STACKLWIP_DAEMON) <= len) {
			memcpy(buf, self, (size_t)(slash - self));
			memcpy(buf + (slash - self), "/" STACKLWIP_DAEMON, sizeof("/" STACKLWIP_DAEMON));
			if (!access(buf, X_OK))
				return;
		}
	}
	snprintf(buf, len, "%s", STACKLWIP_DAEMON);
}

/**
 * stacklwip_add() - netsup-stack add STACK --lwip --link URL ...
 * @path:	the new stack file (the name checked already)
 * @o:		the options for the daemon
 *
 * Return: exit status
 */
int stacklwip_add(const char *path, const struct stacklwip_opts *o)
{
	const struct { const char *opt, *val; } pass[] = {
		{ "--link", o->link }, { "--netns", o->netns }, { "--ip", o->ip },
		{ "--gw", o->gw }, { "--ip6", o->ip6 }, { "--gw6", o->gw6 },
		{ "--mtu", o->mtu },
	};
	char daemon[PATH_MAX], pidfile[PATH_MAX], abspath[PATH_MAX];
	const char *argv[STACKLWIP_ARGS];
	struct stat st;
	int argc = 0, status, rc;
	size_t i;
	pid_t pid;

	if (!lstat(path, &st))
		return stacktool_fail(path, "exists");
	if (path[0] == '/')
		snprintf(abspath, sizeof(abspath), "%s", path);
	else if (!getcwd(abspath, sizeof(abspath)) ||
		 snprintf(abspath + strlen(abspath), sizeof(abspath) - strlen(abspath), "/%s", path) >=
		 (int)(sizeof(abspath) - strlen(abspath)))
		return stacktool_fail(path, "path too long");
	rc = stacklwip_pidfile(abspath, pidfile, sizeof(pidfile));
	if (rc)
		return stacktool_fail(path, stacktool_why(rc));
	if (mkdir(STACKLWIP_RUN_DIR, 0755) && errno != EEXIST)
		return stacktool_fail(STACKLWIP_RUN_DIR, stacktool_why(-errno));
	stacklwip_daemon_path(daemon, sizeof(daemon));
	argv[argc++] = daemon;
	argv[argc++] = "--daemon";
	argv[argc++] = "--pidfile";
	argv[argc++] = pidfile;
	for (i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		if (!pass[i].val)
			continue;
		argv[argc++] = pass[i].opt;
		argv[argc++] = pass[i].val;
	}
	argv[argc++] = "--";
	argv[argc++] = abspath;
	argv[argc] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return stacktool_fail(daemon, stacktool_why(-errno));
	if (!pid) {
		execvp(daemon, (char *const *)argv);
		fprintf(stderr, "netsup-stack: %s: %s\n", daemon, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return stacktool_fail(daemon, stacktool_why(-errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "netsup-stack: %s: %s did not start (%s %d)\n", path, daemon,
		WIFEXITED(status) ? "exit status" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 1;
}

/**
 * stacklwip_inode_cmp() - qsort and bsearch order of inodes
 * @a:		an ino_t
 * @b:		another
 *
 * Return: <0, 0, >0
 */
static int stacklwip_inode_cmp(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return (x > y) - (x < y);
}

/**
 * stacklwip_daemon_sockets() - the socket inodes a process holds, sorted
 * @pid:	the daemon
 * @out:	receives them (malloc)
 * @n:		receives how many
 *
 * Return: 0, or -errno (-ESRCH: gone, -EACCES)
 */
static int stacklwip_daemon_sockets(pid_t pid, ino_t **out, size_t *n)
{
	char path[64], link[64];
	size_t cap = 0;
	struct dirent *d;
	ino_t *more;
	ssize_t len;
	DIR *dir;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((d = readdir(dir))) {
		len = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "socket:[", 8) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			more = realloc(*out, cap * sizeof(**out));
			if (!more) {
				closedir(dir);
				free(*out);
				*out = NULL;
				return -ENOMEM;
			}
			*out = more;
		}
		(*out)[(*n)++] = (ino_t)strtoull(link + 8, NULL, 10);
	}
	closedir(dir);
	if (*n)
		qsort(*out, *n, sizeof(**out), stacklwip_inode_cmp);
	return 0;
}

/**
 * stacklwip_peers() - the peers of a daemon's sockets, by kind
 * @pid:	the daemon
 * @m:		receives socks (the programs' ends of its socketpairs) and
 *		conns (the clients' ends of its connections), sorted
 *		(malloc: free both)
 *
 * Return: 0, or -errno
 */
static int stacklwip_peers(pid_t pid, struct stackps_match *m)
{
	struct unixdiag_sock *all;
	ino_t *own, *socks = NULL, *conns = NULL;
	size_t nall, nown, i, ns = 0, nc = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	m->daemon = pid;
	rc = stacklwip_daemon_sockets(pid, &own, &nown);
	if (rc)
		return rc;
	rc = unixdiag_dump(&all, &nall);
	if (rc) {
		free(own);
		return rc;
	}
	socks = calloc(nall + 1, sizeof(*socks));
	conns = calloc(nall + 1, sizeof(*conns));
	if (!socks || !conns)
		rc = -ENOMEM;
	for (i = 0; !rc && i < nall; i++) {
		if (!own || !all[i].peer || all[i].state == 10 /* TCP_LISTEN */ ||
		    !bsearch(&all[i].ino, own, nown, sizeof(*own), stacklwip_inode_cmp))
			continue;
		if (all[i].named)
			conns[nc++] = all[i].peer;
		else
			socks[ns++] = all[i].peer;
	}
	free(all);
	free(own);
	if (rc) {
		free(socks);
		free(conns);
		return rc;
	}
	qsort(socks, ns, sizeof(*socks), stacklwip_inode_cmp);
	qsort(conns, nc, sizeof(*conns), stacklwip_inode_cmp);
	m->socks = socks;
	m->nsocks = ns;
	m->conns = conns;
	m->nconns = nc;
	return 0;
}

/**
 * stacklwip_ps() - netsup-stack ps [--json] for a userspace stack
 * @path:	the stack file
 * @json:	print JSON
 *
 * Return: exit status
 */
int stacklwip_ps(const char *path, bool json)
{
	struct stacklwip_hello h;
	struct stackps_match m;
	struct stackps ps;
	int rc = stacklwip_hello(path, &h);

	if (rc)
		return stacktool_fail(path, rc == -ECONNREFUSED ? "no daemon serves it" : stacktool_why(rc));
	rc = stacklwip_peers(h.pid, &m);
	if (rc)
		return stacktool_fail(path, rc == -EACCES || rc == -EPERM ?
				      "the daemon's sockets cannot be examined (permission denied)" :
				      stacktool_why(rc));
	rc = stackps_scan(&m, &ps);
	free((void *)m.socks);
	free((void *)m.conns);
	if (rc)
		return stacktool_fail("/proc", stacktool_why(rc));
	if (json)
		stackps_print_json(stdout, &ps, path, 0);
	else
		stackps_print(stdout, &ps);
	if (ps.unreadable)
		fprintf(stderr, "netsup-stack: %u process%s could not be examined (permission denied)\n",
			ps.unreadable, ps.unreadable == 1 ? "" : "es");
	stackps_free(&ps);
	return 0;
}

/**
 * stacklwip_wait() - wait for a process to exit
 * @pidfd:	a pidfd on it
 * @ms:		for at most this long
 *
 * Return: 0 once it has exited, -ETIMEDOUT, or -errno
 */
static int stacklwip_wait(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int rc;

	do
		rc = poll(&p, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : rc ? 0 : -ETIMEDOUT;
}

/**
 * stacklwip_del() - netsup-stack del [-f] for a userspace stack
 * @path:	the stack file
 * @force:	even with clients connected; SIGKILL if SIGTERM is not enough
 *
 * A socket nobody serves any more (the daemon was killed) is removed.
 *
 * Return: exit status
 */
int stacklwip_del(const char *path, bool force)
{
	char pidfile[PATH_MAX], msg[128];
	struct stacklwip_hello h;
	struct stackps_match m;
	int rc, pidfd;

	rc = stacklwip_hello(path, &h);
	if (rc == -ECONNREFUSED) {	/* stale: its daemon is gone */
		if (path[0] == '/' && !stacklwip_pidfile(path, pidfile, sizeof(pidfile)))
			unlink(pidfile);
		return unlink(path) ? stacktool_fail(path, stacktool_why(-errno)) : 0;
	}
	if (rc)
		return stacktool_fail(path, stacktool_why(rc));
	if (!force) {
		rc = stacklwip_peers(h.pid, &m);
		if (rc)
			return stacktool_fail(path, stacktool_why(rc));
		free((void *)m.socks);
		free((void *)m.conns);
		if (m.nconns) {
			snprintf(msg, sizeof(msg), "busy: %zu netsup session%s connected (-f removes it anyway)",
				 m.nconns, m.nconns == 1 ? " is" : "s are");
			return stacktool_fail(path, msg);
		}
	}
	pidfd = (int)syscall(SYS_pidfd_open, h.pid, 0);
	if (pidfd < 0)
		return stacktool_fail(path, stacktool_why(-errno));
	rc = syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) ? -errno : 0;
	if (!rc)
		rc = stacklwip_wait(pidfd, STACKLWIP_STOP_MS);
	if (rc == -ETIMEDOUT && force) {
		rc = syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) ? -errno : 0;
		if (!rc)
			rc = stacklwip_wait(pidfd, STACKLWIP_STOP_MS);
		if (!rc && stacklwip_is(path))
			unlink(path);	/* killed: it could not remove it */
	}
	close(pidfd);
	if (rc == -ETIMEDOUT) {
		snprintf(msg, sizeof(msg), "daemon %d did not exit within %d s of SIGTERM (-f kills it)",
			 (int)h.pid, STACKLWIP_STOP_MS / 1000);
		return stacktool_fail(path, msg);
	}
	return rc ? stacktool_fail(path, stacktool_why(rc)) : 0;
}
