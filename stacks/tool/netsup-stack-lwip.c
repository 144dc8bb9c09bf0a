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
 *
 * A stack file may be a user's, and its daemon a user's fake: the daemon
 * is the process that listens on the socket (SO_PEERCRED, SO_PEERPIDFD),
 * never the pid its HELLO gives; connects never block (a full backlog
 * would hold root's netsup-stack for as long as the listener wants); del
 * opens the socket's directory once and removes a stale socket there,
 * only if it is still the socket it connected to.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "netsup-stack.h"
#include "../stack.h"
#include "../stackproto.h"
#include "stackps.h"
#include "unixdiag.h"
#include "../../common/util.h"

#define STACKLWIP_RUN_DIR	"/run/netsup"
#define STACKLWIP_DAEMON	"netsup-lwip"
#define STACKLWIP_STOP_MS	5000	/* SIGTERM to exit, then -f kills */
#define STACKLWIP_ARGS		32

#define STACKLWIP_CONNECT_MS	500	/* a full backlog: connect retried so long */
#define STACKLWIP_RETRY_MS	10

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD		77	/* Linux 6.5 */
#endif

/* What a daemon says of itself in its HELLO reply, and who it is. */
struct stacklwip_hello {
	pid_t pid;			/* the listener's, from SO_PEERCRED */
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
 * stacklwip_why() - a reason for messages, for what connecting said
 * @error:	negative errno from stacklwip_hello()
 *
 * Return: static string
 */
static const char *stacklwip_why(int error)
{
	switch (-error) {
	case ECONNREFUSED:	return "no daemon serves it";
	case EAGAIN:		return "its daemon accepts no connection (its listen backlog is full)";
	case ETIMEDOUT:		return "its daemon did not answer HELLO within a second";
	case EPROTO:		return "its daemon does not speak the stack protocol";
	case ESRCH:		return "the process that listens on it cannot be seen from here";
	default:		return stacktool_why(error);
	}
}

/**
 * stacklwip_connect() - connect to the socket that @fd names, never waiting
 * @fd:		O_PATH descriptor on the socket file (not consumed)
 *
 * connect(2) through /proc/self/fd/N reaches the socket inode that @fd
 * holds, whatever its path names by now.  A blocking connect to a
 * listener whose backlog is full waits for as long as the listener
 * wants (a user's socket could so keep root's netsup-stack waiting):
 * the socket is non-blocking, and EAGAIN is retried for
 * STACKLWIP_CONNECT_MS at most.
 *
 * Return: the connection (SOCK_SEQPACKET, non-blocking, close-on-exec),
 *	   -ECONNREFUSED (nobody listens), -EAGAIN (the backlog stayed
 *	   full), -EPROTO (not SOCK_SEQPACKET), -EACCES, -errno
 */
static int stacklwip_connect(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int conn, rc, waited;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "/proc/self/fd/%d", fd);
	conn = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (conn < 0)
		return -errno;
	for (waited = 0;; waited += STACKLWIP_RETRY_MS) {
		if (!connect(conn, (struct sockaddr *)&sun, sizeof(sun)))
			return conn;
		rc = errno == EPROTOTYPE ? -EPROTO : -errno;
		if (rc != -EAGAIN || waited >= STACKLWIP_CONNECT_MS)
			break;
		usleep(STACKLWIP_RETRY_MS * 1000);
	}
	close(conn);
	return rc;
}

/**
 * stacklwip_peer() - who listens on the socket a connection reached
 * @conn:	the connection
 * @pid:	receives the listener's pid (SO_PEERCRED: the process that
 *		called listen(2)), never what its HELLO says
 * @pidfd:	receives a pidfd on it, or NULL if none is wanted
 *
 * SO_PEERPIDFD (Linux 6.5) gives a pidfd on that very process, even if
 * its pid has been reused since.  Before 6.5, pidfd_open(2) of the pid,
 * still the listener's if its user IDs are still the ones SO_PEERCRED
 * gave (a reused pid of another user's is refused).
 *
 * Return: 0, -ESRCH (it is gone, or not visible in our pid namespace),
 *	   -errno
 */
static int stacklwip_peer(int conn, pid_t *pid, int *pidfd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char path[64], buf[2048], *line, *end;
	unsigned long uid[2];
	int fd = -1, pfd;
	ssize_t n;

	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return -errno;
	if (cred.pid <= 0)
		return -ESRCH;
	*pid = cred.pid;
	if (!pidfd)
		return 0;
	len = sizeof(fd);
	if (!getsockopt(conn, SOL_SOCKET, SO_PEERPIDFD, &fd, &len)) {
		*pidfd = fd;
		return 0;
	}
	if (errno != ENOPROTOOPT)
		return errno == EINVAL || errno == ENODATA || errno == ESRCH ? -ESRCH : -errno;
	fd = (int)syscall(SYS_pidfd_open, cred.pid, 0);
	if (fd < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)cred.pid);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	n = pfd < 0 ? -1 : read(pfd, buf, sizeof(buf) - 1);
	if (pfd >= 0)
		close(pfd);
	buf[n > 0 ? n : 0] = '\0';
	line = strstr(buf, "\nUid:");
	if (line) {	/* real, then effective */
		uid[0] = strtoul(line + 5, &end, 10);
		uid[1] = strtoul(end, NULL, 10);
	}
	if (!line || (uid[0] != cred.uid && uid[1] != cred.uid)) {
		close(fd);
		return -ESRCH;
	}
	*pidfd = fd;
	return 0;
}

/**
 * stacklwip_hello_fd() - connect to the daemon, ask for its HELLO
 * @fd:		O_PATH descriptor on the stack file (not consumed)
 * @h:		receives what the daemon says, and its pid (stacklwip_peer())
 * @pidfd:	receives a pidfd on the daemon, or NULL
 *
 * Nothing here waits long: the connect never blocks, the answer is
 * waited for USERSPACE_HELLO_MS (userspace_greet()).
 *
 * Return: 0, -ENOTSUP (not a socket), -ECONNREFUSED (nobody serves it),
 *	   -EAGAIN (its backlog is full), -EPROTO (not the stack protocol),
 *	   -ETIMEDOUT, -ESRCH, -EACCES, other -errno
 */
static int stacklwip_hello_fd(int fd, struct stacklwip_hello *h, int *pidfd)
{
	static char buf[SP_MSG_MAX];
	struct sp_msg m;
	struct stat st;
	int conn, rc;

	memset(h, 0, sizeof(*h));
	if (pidfd)
		*pidfd = -1;
	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode))
		return -ENOTSUP;
	conn = stacklwip_connect(fd);
	if (conn < 0)
		return conn;
	rc = userspace_greet(conn, buf, sizeof(buf), &m);
	if (!rc)
		rc = stacklwip_peer(conn, &h->pid, pidfd);
	close(conn);
	if (rc)
		return rc == -EBADMSG || rc == -ENOSYS || rc == -EINVAL ? -EPROTO : rc;
	h->mtu = m.mtu;
	h->families = m.families;
	memcpy(h->text, m.data, m.datalen < SP_TEXT_MAX ? m.datalen : SP_TEXT_MAX);
	return 0;
}

/**
 * stacklwip_hello() - stacklwip_hello_fd() of the socket at @path
 * @path:	the stack file (symbolic links followed)
 * @h:		receives what the daemon says
 *
 * Return: as stacklwip_hello_fd()
 */
static int stacklwip_hello(const char *path, struct stacklwip_hello *h)
{
	int fd = open(path, O_PATH | O_CLOEXEC), rc;

	memset(h, 0, sizeof(*h));
	if (fd < 0)
		return -errno;
	rc = stacklwip_hello_fd(fd, h, NULL);
	close(fd);
	return rc;
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
			stacktool_print_text(f, v, 0);	/* a daemon's words */
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
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
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
		return stacktool_fail(path, stacklwip_why(rc));
	if (json) {
		stacklwip_print_json(stdout, path, &h);
		putchar('\n');
		return 0;
	}
	/* what the daemon says is printed with its control characters as '?' */
	stacklwip_kind(&h, kind, sizeof(kind));
	printf("path: %s\nkind: ", path);
	stacktool_print_text(stdout, kind, 0);
	fputs(" (userspace", stdout);
	if (stacklwip_value(&h, "stack", 0, v, sizeof(v))) {
		fputs(", ", stdout);
		stacktool_print_text(stdout, v, 0);
	}
	printf(")\ndaemon: pid %d\n", (int)h.pid);
	if (stacklwip_value(&h, "link", 0, v, sizeof(v))) {
		fputs("link: ", stdout);
		stacktool_print_text(stdout, v, 0);
		putchar('\n');
	}
	printf("mtu: %u\nfamilies:%s%s%s\naddresses: ", h.mtu,
	       h.families & SP_FAM_INET ? " inet" : "",
	       (h.families & SP_FAM_INET) && (h.families & SP_FAM_INET6) ? "," : "",
	       h.families & SP_FAM_INET6 ? " inet6" : "");
	stacklwip_print_values(stdout, &h, "ipv4", false, &first);
	stacklwip_print_values(stdout, &h, "ipv6", false, &first);
	putchar('\n');
	if (stacklwip_value(&h, "gw", 0, v, sizeof(v))) {
		fputs("gateway: ", stdout);
		stacktool_print_text(stdout, v, 0);
		putchar('\n');
	}
	if (stacklwip_value(&h, "gw6", 0, v, sizeof(v))) {
		fputs("gateway6: ", stdout);
		stacktool_print_text(stdout, v, 0);
		putchar('\n');
	}
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
	if (rc) {
		stacktool_list_error(path, stacklwip_why(rc), json, shown);
		return 0;
	}
	if (json) {
		fputs(*shown ? ",\n" : "\n", stdout);
		stacklwip_print_json(stdout, path, &h);
	} else {
		if (!*shown)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		stacklwip_kind(&h, kind, sizeof(kind));
		stacktool_print_text(stdout, path, 28);
		putchar(' ');
		stacktool_print_text(stdout, kind, 6);
		putchar(' ');
		if (stacklwip_value(&h, "link", 0, v, sizeof(v))) {
			stacktool_print_text(stdout, v, 0);
			putchar(' ');
		}
		printf("up ");
		stacklwip_print_values(stdout, &h, "ipv4", false, &first);
		stacklwip_print_values(stdout, &h, "ipv6", false, &first);
		printf("%s(pid %d)\n", first ? "" : " ", (int)h.pid);
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
		if (*c == '-' || *c == '\\')	/* as systemd-escape: one name, one file */
			off += (size_t)snprintf(buf + off, len - off, "\\x%02x", (unsigned int)*c);
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
		{ "--mtu", o->mtu }, { "--log", o->log },
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
	if (o->pidfile)		/* a user's, in its own directory */
		snprintf(pidfile, sizeof(pidfile), "%s", o->pidfile);
	else if ((rc = stacklwip_pidfile(abspath, pidfile, sizeof(pidfile))))
		return stacktool_fail(path, stacktool_why(rc));
	else if (mkdir(STACKLWIP_RUN_DIR, 0755) && errno != EEXIST)
		return stacktool_fail(STACKLWIP_RUN_DIR, stacktool_why(-errno));
	stacklwip_daemon_path(daemon, sizeof(daemon));
	argv[argc++] = daemon;
	argv[argc++] = "--daemon";
	argv[argc++] = "--pidfile";
	argv[argc++] = pidfile;
	for (i = 0; i < ARRAY_SIZE(pass); i++) {
		if (!pass[i].val)
			continue;
		argv[argc++] = pass[i].opt;
		argv[argc++] = pass[i].val;
	}
	for (i = 0; i < (size_t)o->verbose && i < 2; i++)
		argv[argc++] = "-v";
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
 * stacklwip_match() - what makes a process a user of the stack at @path
 * @path:	a userspace stack's socket
 * @m:		receives its daemon and the inodes of its sockets' and its
 *		clients' ends; free m->socks and m->conns
 *
 * Return: 0, or -errno (the daemon does not answer, its descriptors
 *	   cannot be read)
 */
int stacklwip_match(const char *path, struct stackps_match *m)
{
	struct stacklwip_hello h;
	int rc = stacklwip_hello(path, &h);

	return rc ? rc : stacklwip_peers(h.pid, m);
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
		return stacktool_fail(path, stacklwip_why(rc));
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
 * stacklwip_unlink() - remove the socket del looked at, and only that
 * @path:	the stack file, for messages
 * @e:		its directory, held open
 * @st:		the socket's fstat() when it was connected to
 *
 * Removed from the directory opened first, and only if its name there
 * is still that socket.
 *
 * Return: exit status
 */
static int stacklwip_unlink(const char *path, const struct stacktool_entry *e,
			    const struct stat *st)
{
	struct stat now;

	if (fstatat(e->dir, e->name, &now, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : stacktool_fail(path, stacktool_why(-errno));
	if (now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		return stacktool_fail(path, "replaced by another file meanwhile: not removed");
	return unlinkat(e->dir, e->name, 0) && errno != ENOENT ?
	       stacktool_fail(path, stacktool_why(-errno)) : 0;
}

/**
 * stacklwip_stop() - end the daemon: SIGTERM, with -f then SIGKILL
 * @path:	the stack file, for messages
 * @e:		its directory, held open
 * @st:		the socket's fstat()
 * @h:		the daemon (its pid, for messages)
 * @pidfd:	on the daemon: the process listening on the socket
 * @force:	SIGKILL if SIGTERM is not enough, and remove the socket
 *
 * Return: exit status
 */
static int stacklwip_stop(const char *path, const struct stacktool_entry *e, const struct stat *st,
			  const struct stacklwip_hello *h, int pidfd, bool force)
{
	char msg[128];
	int rc;

	rc = syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) ? -errno : 0;
	if (!rc)
		rc = stacklwip_wait(pidfd, STACKLWIP_STOP_MS);
	if (rc == -ETIMEDOUT && force) {
		rc = syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) ? -errno : 0;
		if (!rc)
			rc = stacklwip_wait(pidfd, STACKLWIP_STOP_MS);
		if (!rc)
			return stacklwip_unlink(path, e, st);	/* killed: it could not */
	}
	if (rc == -ETIMEDOUT) {
		snprintf(msg, sizeof(msg), "daemon %d did not exit within %d s of SIGTERM (-f kills it)",
			 (int)h->pid, STACKLWIP_STOP_MS / 1000);
		return stacktool_fail(path, msg);
	}
	return rc ? stacktool_fail(path, stacktool_why(rc)) : 0;
}

/**
 * stacklwip_del() - netsup-stack del [-f] for a userspace stack
 * @path:	the stack file
 * @force:	even with clients connected; SIGKILL if SIGTERM is not enough
 *
 * The socket's directory is opened once (stacktool_entry_open()), the
 * socket itself through it (O_NOFOLLOW: a symbolic link is refused), and
 * connected to through that descriptor.  The daemon signalled is the
 * process that listens on it (SO_PEERCRED, SO_PEERPIDFD), whatever its
 * HELLO says.  A socket nobody serves any more (the daemon was killed)
 * is removed from that directory, if it is still the same socket.
 *
 * Return: exit status
 */
int stacklwip_del(const char *path, bool force)
{
	char pidfile[PATH_MAX], msg[128];
	struct stacktool_entry e;
	struct stacklwip_hello h;
	struct stackps_match m;
	int rc, fd = -1, pidfd = -1;
	struct stat st;

	rc = stacktool_entry_open(path, &e);
	if (rc) {
		rc = stacktool_fail(path, rc == -ELOOP ? "its directory is a symbolic link: name the stack by its real path" :
				    stacktool_why(rc));
		goto out;
	}
	fd = openat(e.dir, e.name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		rc = stacktool_fail(path, stacktool_why(-errno));
		goto out;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = stacktool_fail(path, "a symbolic link: del removes a socket by its own path");
		goto out;
	}
	rc = stacklwip_hello_fd(fd, &h, &pidfd);
	if (rc == -ECONNREFUSED) {	/* stale: its daemon is gone */
		if (path[0] == '/' && !stacklwip_pidfile(path, pidfile, sizeof(pidfile)))
			unlink(pidfile);	/* in root's own directory */
		rc = stacklwip_unlink(path, &e, &st);
		goto out;
	}
	if (rc) {
		rc = stacktool_fail(path, stacklwip_why(rc));
		goto out;
	}
	if (!force) {
		rc = stacklwip_peers(h.pid, &m);
		if (rc) {
			rc = stacktool_fail(path, stacktool_why(rc));
			goto out;
		}
		free((void *)m.socks);
		free((void *)m.conns);
		if (m.nconns) {
			snprintf(msg, sizeof(msg), "busy: %zu netsup session%s connected (-f removes it anyway)",
				 m.nconns, m.nconns == 1 ? " is" : "s are");
			rc = stacktool_fail(path, msg);
			goto out;
		}
	}
	rc = stacklwip_stop(path, &e, &st, &h, pidfd, force);
out:
	if (pidfd >= 0)
		close(pidfd);
	if (fd >= 0)
		close(fd);
	stacktool_entry_close(&e);
	return rc;
}
