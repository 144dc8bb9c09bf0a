// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack - create, remove, list and describe stacks, and tell who
 * uses them
 *
 *   netsup-stack add STACK          a new network namespace, lo up, at STACK
 *   netsup-stack add STACK --lwip --link URL [--ip A/L] [--gw G] [--ip6 A/L]
 *                [--gw6 G] [--mtu N] [--netns PATH]
 *                                   a netsup-lwip daemon serving STACK
 *   netsup-stack del [-f] STACK     unmount and remove it
 *   netsup-stack list [--json] [DIR]...   the stacks in DIR (/dev/net, /run/netns)
 *   netsup-stack info [--json] STACK      kind, families, interfaces, addresses
 *   netsup-stack ps [--json] STACK        the processes that use it (stackps.c)
 *   netsup-stack identify [--json] PID    the stacks a process uses
 *                                         (netsup-stack-identify.c)
 *
 * A bare NAME (no '/') is looked up as netsup does (stack_resolve_name():
 * /dev/net/NAME if that exists, else /run/netns/NAME, else, for a caller
 * that is not root, the caller's own directory); add makes /dev/net/NAME
 * when none exists, and creates /dev/net when missing.  A caller that
 * cannot mount there gets a stack kept by a holder process instead, named
 * in its own directory (netsup-stack-user.c).
 * Options may come before or after the operands (getopt_long permutes);
 * "--" ends them.
 *
 * add: a thread unshare(CLONE_NEWNET)s (a namespace for that thread
 * alone), brings lo up and bind-mounts /proc/thread-self/ns/net on the
 * path, which keeps the namespace alive with no process in it.
 * del: only a mount point can be removed (statx(2) STATX_ATTR_MOUNT_ROOT,
 * Linux 5.8); refuses a stack still in use (a process living in it, or
 * sockets open in it, seen from /proc/thread-self/net inside it) unless
 * -f; the namespace itself lives on as long as anything uses it.  The
 * stack's directory is opened once (stacktool_entry_open()); the checks,
 * the umount2(2) (through /proc/self/fd/DIR/NAME) and the unlink happen
 * in it, whatever its path names by then.
 * Names that users chose (files, processes, interfaces, a daemon's
 * description) are printed with their control characters as '?'.
 * info/list: a thread setns(2)s into the stack and asks getifaddrs(3).
 * A stack file that is a UNIX socket is a userspace stack: every command
 * is then netsup-stack-lwip.c's, which asks the daemon.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/magic.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "netsup-stack.h"
#include "../stack.h"
#include "stackps.h"
#include "../userstack.h"
#include "../../common/util.h"

#ifndef NETSUP_VERSION
#define NETSUP_VERSION "0"
#endif

#define EXIT_USAGE	2

static const char *const prog = "netsup-stack";

/* The command line, parsed. */
struct stacktool_opts {
	const char *cmd;	/* add, del, list, info, ps, identify */
	char **args;		/* its operands */
	int nargs;
	bool force;		/* del -f */
	bool json;		/* list, info, ps --json */
	bool lwip;		/* add --lwip */
	struct stacklwip_opts lw;	/* add --lwip: its options */
};

/**
 * stacktool_usage() - print the summary of the commands (--help)
 * @f:		where to
 * @status:	exit status to return
 *
 * Return: @status
 */
static int stacktool_usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: netsup-stack add STACK\n"
		"       netsup-stack add STACK --lwip --link URL [--ip ADDR/LEN] [--gw ADDR]\n"
		"                    [--ip6 ADDR/LEN] [--gw6 ADDR] [--mtu N] [--netns PATH]\n"
		"                    [--log FILE] [-v]...\n"
		"       netsup-stack del [-f] STACK\n"
		"       netsup-stack list [--json] [DIR]...\n"
		"       netsup-stack info [--json] STACK\n"
		"       netsup-stack ps [--json] STACK\n"
		"       netsup-stack identify [--json] PID\n"
		"       netsup-stack --help | --version\n"
		"Create, remove, list and describe networking stacks (network namespaces,\n"
		"and userspace stacks served by netsup-lwip), and show the processes that\n"
		"use one.\n"
		"\n"
		"  -f, --force     del: remove the stack even if it is in use\n"
		"      --json      list, info, ps, identify: print JSON\n"
		"      --lwip      add: a userspace stack, an lwIP daemon (netsup-lwip)\n"
		"      --link URL  add --lwip: its link, a libvdeplug URL (tap://NAME,\n"
		"                  vde:///PATH, slirp://, ...); required\n"
		"      --ip ADDR/LEN, --gw ADDR, --ip6 ADDR/LEN, --gw6 ADDR, --mtu N\n"
		"                  add --lwip: its addresses, gateways and MTU\n"
		"      --netns PATH  add --lwip: open a tap:// link in that namespace\n"
		"      --log FILE  add --lwip: the daemon's diagnostics (default: syslog)\n"
		"  -v, --verbose   add --lwip: the daemon's -v (given twice: more)\n"
		"  -h, --help      print this help and exit\n"
		"  -V, --version   print the version and exit\n"
		"\n"
		"STACK is a path, or a NAME without '/': " NS_DIR "/NAME if that exists,\n"
		"else /run/netns/NAME, else (not for root) USERDIR/NAME; add makes\n"
		NS_DIR "/NAME.  list shows " NS_DIR ", /run/netns and USERDIR.\n"
		"Without root, add NAME makes a namespace kept by a holder process and named\n"
		"USERDIR/NAME (del ends the holder); USERDIR is $XDG_RUNTIME_DIR/netsup, or\n"
		USERSTACK_FALLBACK "UID without XDG_RUNTIME_DIR (if another user took that\n"
		"name: a private " USERSTACK_FALLBACK "UID.XXXXXX, recorded in $HOME/"
		USERSTACK_PRIVATE_RECORD ").\n"
		"Root's del ends only a holder of the directory's owner, a daemon only\n"
		"if it listens on the socket, and removes names only in the directory\n"
		"it opened first.\n"
		"Options may follow the operands; \"--\" ends them.\n");
	return status;
}

/*
 * stacktool_usage_error() - say what was wrong with the command line
 * @...:	printf format of the reason (a string literal), and its
 *		arguments
 *
 * One line, as netsup(1) says it: the reason, then where the summary is.
 * A macro rather than a variadic function, so that the format is checked
 * where it is written.
 *
 * Return: EXIT_USAGE
 */
#define stacktool_usage_error(...)					\
	(fprintf(stderr, "netsup-stack: " __VA_ARGS__),			\
	 fputs("; see netsup-stack --help\n", stderr), EXIT_USAGE)

/**
 * stacktool_fail() - report an error about a file
 * @path:	the file
 * @why:	the reason
 *
 * Return: 1, the exit status of an error
 */
int stacktool_fail(const char *path, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, why);
	return 1;
}

/**
 * stacktool_why() - short reason for an error, for messages
 * @error:	negative errno
 *
 * Return: static string
 */
const char *stacktool_why(int error)
{
	switch (-error) {
	case EEXIST:	return "exists";
	case EBUSY:	return "busy";
	case EPERM:
	case EACCES:	return "permission denied";
	case ENOTSUP:	return "not a stack";
	case ENOENT:	return "no such file";
	case ESTALE:	return "its holder process is gone (del removes the name)";
	default:	return strerror(-error);
	}
}

/**
 * stacktool_entry_open() - open the directory of @path once, for del
 * @path:	DIR/NAME (or NAME: the current directory)
 * @e:		receives the directory, its fstat() and NAME;
 *		stacktool_entry_close() it (also after an error)
 *
 * O_NOFOLLOW: a DIR that is a symbolic link is refused, and whatever
 * happens to DIR's path afterwards (renamed, a link put in its place),
 * NAME is looked at and removed in the directory opened here, with the
 * *at() calls.  Root removing a user's stack so never removes a file
 * elsewhere.
 *
 * Return: 0, -EINVAL (no NAME: "", ".", "..", a trailing '/'), -ELOOP
 *	   (DIR is a symbolic link), -ENAMETOOLONG, -errno of open(2)
 */
int stacktool_entry_open(const char *path, struct stacktool_entry *e)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	size_t dlen;

	memset(e, 0, sizeof(*e));
	e->dir = -1;
	e->name = slash ? slash + 1 : path;
	if (!*e->name || !strcmp(e->name, ".") || !strcmp(e->name, ".."))
		return -EINVAL;
	dlen = slash ? (size_t)(slash - path) : 0;
	if (dlen >= sizeof(dir))
		return -ENAMETOOLONG;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (!dlen)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
	e->dir = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (e->dir < 0)
		return errno == ENOTDIR && !lstat(dir, &e->st) && S_ISLNK(e->st.st_mode) ? -ELOOP : -errno;
	return fstat(e->dir, &e->st) ? -errno : 0;
}

/**
 * stacktool_entry_close() - close what stacktool_entry_open() opened
 * @e:		the entry
 */
void stacktool_entry_close(struct stacktool_entry *e)
{
	if (e->dir >= 0)
		close(e->dir);
	e->dir = -1;
}

/**
 * stacktool_print_text() - bytes for a terminal: control characters as '?'
 * @f:		where to
 * @s:		the text (a path, a name, a daemon's description)
 * @width:	pad with blanks to this many bytes (0: none)
 *
 * Whatever a user or a daemon chose (a file name, a process name) could
 * otherwise forge lines or send escape sequences to root's terminal.
 */
void stacktool_print_text(FILE *f, const char *s, int width)
{
	stackps_print_safe(f, s, strlen(s), width);
}

/**
 * stacktool_list_error() - list's entry for a stack that cannot be shown
 * @path:	its path
 * @why:	the reason
 * @json:	a JSON object, not a table line
 * @shown:	how many stacks were printed before, updated
 */
void stacktool_list_error(const char *path, const char *why, bool json, int *shown)
{
	if (json) {
		fputs(*shown ? ",\n{\"path\":" : "\n{\"path\":", stdout);
		json_string(stdout, path);
		fputs(",\"error\":", stdout);
		json_string(stdout, why);
		fputc('}', stdout);
	} else {
		if (!*shown)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		stacktool_print_text(stdout, path, 28);
		printf(" %-6s ", "?");
		stacktool_print_text(stdout, why, 0);
		putchar('\n');
	}
	(*shown)++;
}

/* Work done inside a stack, on a thread of its own. */
struct inside {
	const char *path;	/* add: where to mount */
	int fd;			/* others: the namespace */
	int (*fn)(struct inside *in);
	int result;		/* 0 or -errno */
	struct ifaddrs *ifa;	/* info, list: interfaces and addresses */
	int sockets;		/* del: sockets open in it */
};

/**
 * stacktool_inside_thread() - enter the stack (or a new one), run in->fn
 * @arg:	struct inside
 *
 * Return: NULL; the result is in in->result
 */
static void *stacktool_inside_thread(void *arg)
{
	struct inside *in = arg;

	if (in->fd >= 0 ? setns(in->fd, CLONE_NEWNET) : unshare(CLONE_NEWNET))
		in->result = -errno;
	else
		in->result = in->fn(in);
	return NULL;
}

/**
 * stacktool_inside_run() - run in->fn on a thread inside the stack
 * @in:		what to do, and where (in->fd; -1 for a new namespace)
 *
 * Only that thread changes namespace; it ends with the work.
 *
 * Return: in->fn's result, or -errno
 */
static int stacktool_inside_run(struct inside *in)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, stacktool_inside_thread, in);

	if (rc)
		return -rc;
	pthread_join(t, NULL);
	return in->result;
}

/**
 * stacktool_add_inside() - in a new namespace: lo up, mount it on in->path
 * @in:		what to do
 *
 * Return: 0 or -errno
 */
static int stacktool_add_inside(struct inside *in)
{
	int rc = stack_lo_up();

	if (rc)
		return rc;
	/* the type is ignored for MS_BIND: "none" rather than NULL */
	return mount("/proc/thread-self/ns/net", in->path, "none", MS_BIND, NULL) ? -errno : 0;
}

/**
 * stacktool_bad_name() - why a new stack's name would be a bad one
 * @path:	the path add was given: a bare NAME, or an absolute path
 *
 * As ip-netns(8) add: a NAME is one component, neither empty nor "." nor
 * "..", and holds no '/'.  A relative path with a '/' ("../x", "a/b")
 * would make a stack outside the directories of stacks, named by nothing
 * a bare NAME finds; a stack elsewhere is named by its absolute path, and
 * that path holds no "." or ".." component either.  The last component may
 * not begin with '.' (list hides it) or '-' (it would read as an option),
 * nor hold blanks or control characters (list and ps print one stack per
 * line, in columns).
 *
 * Return: the reason, or NULL if the name is fine
 */
static const char *stacktool_bad_name(const char *path)
{
	const char *name = strrchr(path, '/'), *c;
	const unsigned char *u;
	size_t len;

	if (!*path || !strcmp(path, ".") || !strcmp(path, ".."))
		return "not a stack name";
	if (name && path[0] != '/')
		return "a stack name may not contain '/' (a stack elsewhere is named by its absolute path)";
	for (c = path; name && *c; c += len + (c[len] == '/')) {
		while (*c == '/')
			c++;
		len = strcspn(c, "/");
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return "a stack path may not contain '.' or '..' components";
	}
	name = name ? name + 1 : path;
	if (!*name)
		return "not a stack name";
	if (name[0] == '.')
		return "a stack name may not begin with '.' (list would not show it)";
	if (name[0] == '-')
		return "a stack name may not begin with '-' (it would look like an option)";
	for (u = (const unsigned char *)name; *u; u++)
		if (*u <= ' ' || *u == 0x7f)
			return "a stack name may not contain blanks or control characters";
	return NULL;
}

/**
 * stacktool_warn_shadow() - say that a bare NAME names one of two stacks
 * @name:	a bare NAME
 */
static void stacktool_warn_shadow(const char *name)
{
	if (!stack_name_shadowed(name))
		return;
	fputs("netsup-stack: warning: ", stderr);
	stacktool_print_text(stderr, name, 0);
	fputs(" is two stacks: " NS_DIR "/", stderr);
	stacktool_print_text(stderr, name, 0);
	fputs(", which netsup and netsup-stack use for a bare name, and /run/netns/", stderr);
	stacktool_print_text(stderr, name, 0);
	fputs(", which ip netns uses\n", stderr);
}

/**
 * stacktool_resolve() - the path of STACK, looked up as netsup does
 * @spec:	a path, or a bare NAME
 * @buf:	receives the path
 * @len:	size of @buf
 *
 * Return: 0 (also for a NAME that does not exist: @buf is then
 *	   /dev/net/NAME), or 1 after reporting an unusable name
 */
static int stacktool_resolve(const char *spec, char *buf, size_t len)
{
	int rc = stack_resolve_name(spec, buf, len);

	if (rc == -EINVAL)
		return stacktool_fail(spec, "not a stack name");
	if (rc && rc != -ENOENT)
		return stacktool_fail(spec, stacktool_why(rc));
	if (!rc && !strchr(spec, '/'))
		stacktool_warn_shadow(spec);
	return 0;
}

/**
 * stacktool_lwip_user() - must add --lwip of a bare NAME go to USERDIR?
 *
 * A userspace stack needs no privilege, only a directory to put its
 * socket in: /dev/net when the caller may write there (or may make it),
 * else the caller's own directory, as for a holder's stack.
 *
 * Return: true for USERDIR
 */
static bool stacktool_lwip_user(void)
{
	if (!access(NS_DIR, W_OK))
		return false;
	return errno != ENOENT || access("/dev", W_OK) != 0;
}

/**
 * stacktool_add_lwip_user() - add NAME --lwip for a caller who may not
 * write to /dev/net: USERDIR/NAME
 * @name:	the bare NAME
 * @lw:		the daemon's options
 *
 * The daemon's pid file is USERDIR/.NAME.pid (list does not show it; the
 * daemon removes it when it exits), since /run/netsup is root's.
 *
 * Return: exit status
 */
static int stacktool_add_lwip_user(const char *name, const struct stacklwip_opts *lw)
{
	char path[PATH_MAX], pidfile[PATH_MAX + NAME_MAX + 8];
	struct stacklwip_opts o = *lw;
	const char *slash;

	if (stackuser_target(name, path, sizeof(path)))
		return 1;
	slash = strrchr(path, '/');
	if (snprintf(pidfile, sizeof(pidfile), "%.*s/.%s.pid", (int)(slash - path), path, name) >=
	    (int)sizeof(pidfile))
		return stacktool_fail(name, stacktool_why(-ENAMETOOLONG));
	o.pidfile = pidfile;
	return stacklwip_add(path, &o);
}

/**
 * stacktool_add() - netsup-stack add STACK [--lwip ...]
 * @spec:	path or bare NAME of the new stack
 * @lw:		the options of a userspace stack, or NULL for a namespace
 *
 * Return: exit status
 */
static int stacktool_add(const char *spec, const struct stacklwip_opts *lw)
{
	struct inside in = { .fd = -1, .fn = stacktool_add_inside };
	char path[PATH_MAX], dir[PATH_MAX], *slash;
	const char *bad = stacktool_bad_name(spec);
	int fd, rc;

	if (bad)
		return stacktool_fail(spec, bad);
	if (stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if (!lw && !strchr(spec, '/') && access(path, F_OK) && stackuser_wanted()) {
		/* no mount for this caller: a holder, in its own directory */
		if (stackuser_target(spec, path, sizeof(path)))
			return 1;
		return stackuser_add(path);
	}
	if (lw && !strchr(spec, '/') && access(path, F_OK) && stacktool_lwip_user())
		return stacktool_add_lwip_user(spec, lw);
	in.path = path;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (!strcmp(dir, NS_DIR) && mkdir(dir, 0755) && errno != EEXIST)
			return stacktool_fail(dir, stacktool_why(-errno));
	}
	if (lw)
		return stacklwip_add(path, lw);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return stacktool_fail(path, stacktool_why(-errno));
	close(fd);
	rc = stacktool_inside_run(&in);
	if (rc) {
		unlink(path);
		return stacktool_fail(path, stacktool_why(rc));
	}
	return 0;
}

/**
 * stacktool_count_sockets() - sockets listed in a /proc/net file
 * @file:	/proc/thread-self/net/tcp and such
 *
 * TCP's TIME_WAIT (state 06) is left out: what is left of closed
 * connections holds nothing.
 *
 * Return: how many
 */
static int stacktool_count_sockets(const char *file)
{
	char buf[512], st[8];
	FILE *f = fopen(file, "re");
	int n = 0;

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f)) {	/* the header */
		fclose(f);
		return 0;
	}
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "%*s %*s %*s %7s", st) != 1 || strcmp(st, "06") != 0)
			n++;
	fclose(f);
	return n;
}

/**
 * stacktool_sockets_inside() - inside the stack: count its sockets
 * @in:		receives in->sockets
 *
 * Return: 0
 */
static int stacktool_sockets_inside(struct inside *in)
{
	static const char *const files[] = {
		"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "packet",
	};
	char path[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "/proc/thread-self/net/%s", files[i]);
		in->sockets += stacktool_count_sockets(path);
	}
	return 0;
}

/**
 * stacktool_process_inside() - a process whose network namespace is @s
 * @s:		the stack
 * @except:	a process not to count (a holder's stack's holder), or 0
 *
 * Return: its pid, or 0
 */
static pid_t stacktool_process_inside(const struct stack *s, pid_t except)
{
	char path[300];
	struct dirent *d;
	struct stat st;
	pid_t pid = 0;
	DIR *proc = opendir("/proc");

	while (proc && !pid && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		if (!stat(path, &st) && st.st_dev == s->dev && st.st_ino == s->ino)
			pid = (pid_t)strtol(d->d_name, NULL, 10);
		if (pid == except)
			pid = 0;
	}
	if (proc)
		closedir(proc);
	return pid;
}

/**
 * stacktool_fd_on() - does a process hold a descriptor on the namespace?
 * @pid:	the process, as a /proc entry's name
 * @s:		the stack
 *
 * stat(2) of /proc/PID/fd/N follows the descriptor to its file, the
 * namespace's nsfs inode whichever path opened it (a mount, a holder's
 * /proc/HOLDER/ns/net link).  Processes the caller may not look into
 * (ptrace access mode read) are not counted.
 *
 * Return: true if it holds one
 */
static bool stacktool_fd_on(const char *pid, const struct stack *s)
{
	char path[sizeof("/proc//fd/") + 2 * (size_t)NAME_MAX];
	struct dirent *d;
	struct stat st;
	bool found = false;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	fds = opendir(path);
	while (fds && !found && (d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, d->d_name);
		found = !stat(path, &st) && st.st_dev == s->dev && st.st_ino == s->ino;
	}
	if (fds)
		closedir(fds);
	return found;
}

/**
 * stacktool_process_holding() - a process with a descriptor on @s open
 * @s:		the stack
 * @except:	a process not to count (a holder's stack's holder), or 0
 *
 * A netsup session whose default is the stack holds it open, in its
 * netsup and its supervisor, also when nothing lives in the stack and no
 * socket is open in it yet.  A mounted stack's unmount fails then
 * (EBUSY); a holder's stack has no mount to tell, so this is what says
 * that the session uses it.  netsup-stack itself is not counted.
 *
 * Return: its pid, or 0
 */
static pid_t stacktool_process_holding(const struct stack *s, pid_t except)
{
	pid_t pid = 0, self = getpid(), p;
	struct dirent *d;
	DIR *proc = opendir("/proc");

	while (proc && !pid && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		p = (pid_t)strtol(d->d_name, NULL, 10);
		if (p != except && p != self && stacktool_fd_on(d->d_name, s))
			pid = p;
	}
	if (proc)
		closedir(proc);
	return pid;
}

/**
 * stacktool_is_mount() - is the entry itself a mount point (not a symlink to one)?
 * @e:		the stack's file in its directory
 *
 * Return: 1 if it is, 0 if not, -errno
 */
static int stacktool_is_mount(const struct stacktool_entry *e)
{
	struct statx stx;

	if (statx(e->dir, e->name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx))
		return -errno;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return -ENOTSUP;	/* before Linux 5.8: umount2 will tell */
	return !!(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/**
 * stacktool_errno() - the last error, as -errno, never 0
 *
 * Return: -errno, or -EIO if errno is 0
 */
static int stacktool_errno(void)
{
	int e = errno;

	return e > 0 ? -e : -EIO;
}

/**
 * stacktool_open_netns() - a kernel stack from a descriptor, and only that
 * @fd:		descriptor on the file (any open mode; not consumed)
 * @path:	name for messages
 * @error:	receives 0, -ENOTSUP if it is no network namespace, or -errno
 *
 * Unlike stack_from_fd(), a UNIX socket is no stack here: connecting to
 * it could wait on its daemon (netsup-stack-lwip.c connects without
 * waiting).
 *
 * Return: the stack, or NULL (*@error says why)
 */
static struct stack *stacktool_open_netns(int fd, const char *path, int *error)
{
	struct stack *s = NULL;
	struct statfs sfs;
	struct stat st;

	if (fstat(fd, &st) || fstatfs(fd, &sfs))
		*error = stacktool_errno();
	else if (sfs.f_type != NSFS_MAGIC)
		*error = -ENOTSUP;
	else
		*error = netns_from_fd(fd, &st, path, &s);
	if (*error || !s) {
		*error = *error ? *error : -ENOMEM;
		return NULL;
	}
	return s;
}

/**
 * stacktool_open_path() - stacktool_open_netns() of the file at @path
 * @path:	the stack's path (symbolic links followed)
 * @error:	receives 0, -ENOTSUP or -errno
 *
 * Return: the stack, or NULL
 */
static struct stack *stacktool_open_path(const char *path, int *error)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	struct stack *s;

	if (fd < 0) {
		*error = stacktool_errno();
		return NULL;
	}
	s = stacktool_open_netns(fd, path, error);
	close(fd);
	return s;
}

/*
 * Who uses the stack, said in @msg; 0 if no one, 1 if someone, or -errno
 * if its sockets cannot be counted.
 */
static int stacktool_users(struct stack *s, pid_t except, char *msg, size_t size)
{
	struct inside in = { .fd = s->fd, .fn = stacktool_sockets_inside };
	pid_t pid;
	int rc;

	rc = stacktool_inside_run(&in);
	if (rc)
		return rc;
	pid = stacktool_process_inside(s, except);
	if (pid)
		snprintf(msg, size, "busy: process %d lives in it (-f removes it anyway)", (int)pid);
	else if (in.sockets)
		snprintf(msg, size, "busy: %d socket%s open in it (-f removes it anyway)",
			 in.sockets, in.sockets == 1 ? " is" : "s are");
	else if ((pid = stacktool_process_holding(s, except)))
		snprintf(msg, size, "busy: process %d holds it open (-f removes it anyway)", (int)pid);
	else
		return 0;
	return 1;
}

/* How long del waits for users that are going away (a killed server). */
#define STACKTOOL_BUSY_GRACE_MS	2000
#define STACKTOOL_BUSY_POLL_MS	50

/**
 * stacktool_busy() - is anything using the stack, unless -f?
 * @path:	the stack, for messages
 * @s:		the stack
 * @except:	a process not to count (a holder's stack's holder), or 0
 *
 * "kill $server; netsup-stack del STACK" is how scripts end: the signal
 * is sent, the server is not gone yet.  A stack whose users go away
 * within STACKTOOL_BUSY_GRACE_MS is not busy; one still in use then is.
 *
 * Return: 0 if not, or 1 after saying who
 */
static int stacktool_busy(const char *path, struct stack *s, pid_t except)
{
	struct timespec poll = { 0, STACKTOOL_BUSY_POLL_MS * 1000000L };
	char msg[128];
	int waited, rc;

	for (waited = 0; ; waited += STACKTOOL_BUSY_POLL_MS) {
		rc = stacktool_users(s, except, msg, sizeof(msg));
		if (rc < 0)
			return stacktool_fail(path, stacktool_why(rc));
		if (!rc)
			return 0;
		if (waited >= STACKTOOL_BUSY_GRACE_MS)
			return stacktool_fail(path, msg);
		nanosleep(&poll, NULL);
	}
}

/**
 * stacktool_del_holder() - del of a holder's stack (netsup-stack-user.c)
 * @path:	its link
 * @u:		what stackuser_open() found: live or gone
 * @force:	even if it is in use
 *
 * The namespace looked into is the holder's, reached through its pidfd,
 * not whatever the link names.
 *
 * Return: exit status
 */
static int stacktool_del_holder(const char *path, const struct stackuser_stack *u, bool force)
{
	struct stack *s;
	int fd, rc;

	if (u->state == STACKUSER_LIVE && !force) {
		fd = stackuser_netns(u);
		if (fd == -ESRCH)
			return stackuser_del(path, u);	/* it died meanwhile */
		if (fd < 0)
			return stacktool_fail(path, stacktool_why(fd));
		stackuser_join_fd(fd);	/* a user's own, from outside its user namespace */
		s = stacktool_open_netns(fd, path, &rc);
		close(fd);
		if (!s)
			return stacktool_fail(path, stacktool_why(rc));
		rc = stacktool_busy(path, s, u->pid);
		stack_put(s);
		if (rc)
			return rc;
	}
	return stackuser_del(path, u);
}

/**
 * stacktool_del() - netsup-stack del [-f] STACK
 * @spec:	path or bare NAME of the stack
 * @force:	remove it even if it is in use
 *
 * The stack's directory is opened once (stacktool_entry_open()): the
 * checks and the removal happen in it, not through its path again.
 *
 * Return: exit status
 */
static int stacktool_del(const char *spec, bool force)
{
	char path[PATH_MAX], msg[PATH_MAX + 64];
	struct stack *s = NULL;
	struct stackuser_stack u;
	int rc, fd;

	rc = stack_resolve_name(spec, path, sizeof(path));
	if (rc && rc != -ESTALE && stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if (!rc && !strchr(spec, '/'))
		stacktool_warn_shadow(spec);
	if (rc != -ESTALE && stacklwip_is(path))
		return stacklwip_del(path, force);
	rc = stackuser_open(path, &u);
	if (rc == -EPERM) {
		snprintf(msg, sizeof(msg), "%s: refused", u.why);
		rc = stacktool_fail(path, msg);
		goto out;
	}
	if (rc == -ELOOP) {
		rc = stacktool_fail(path, "its directory is a symbolic link: name the stack by its real path");
		goto out;
	}
	if (rc) {
		rc = stacktool_fail(path, stacktool_why(rc));
		goto out;
	}
	if (u.state != STACKUSER_NONE) {
		rc = stacktool_del_holder(path, &u, force);
		goto out;
	}
	/* a stack mounted on a file: what it is, then whether it is a mount point */
	fd = openat(u.e.dir, u.e.name, O_PATH | O_CLOEXEC);
	if (fd < 0)
		rc = stacktool_errno();
	else
		s = stacktool_open_netns(fd, path, &rc);
	if (fd >= 0)
		close(fd);
	if (!s) {
		rc = stacktool_fail(path, stacktool_why(rc));
		goto out;
	}
	rc = stacktool_is_mount(&u.e);
	if (!rc || (rc < 0 && rc != -ENOTSUP)) {
		stack_put(s);
		rc = stacktool_fail(path, rc ? stacktool_why(rc) :
				    "not a mount point: only a stack mounted on a file can be removed");
		goto out;
	}
	rc = force ? 0 : stacktool_busy(path, s, 0);
	stack_put(s);
	if (rc)
		goto out;
	/* the mount point's path, through the directory held open */
	snprintf(msg, sizeof(msg), "/proc/self/fd/%d/%s", u.e.dir, u.e.name);
	if (umount2(msg, UMOUNT_NOFOLLOW | (force ? MNT_DETACH : 0))) {
		rc = stacktool_fail(path, errno == EINVAL ? "not a mount point: only a stack mounted on a file can be removed" :
				    errno == EBUSY ? "busy: the file is open or mounted on (-f removes it anyway)" :
				    stacktool_why(-errno));
		goto out;
	}
	rc = unlinkat(u.e.dir, u.e.name, 0) ? stacktool_fail(path, stacktool_why(-errno)) : 0;
out:
	stackuser_close(&u);
	return rc;
}

/**
 * stacktool_describe_inside() - inside the stack: its interfaces
 * @in:		receives in->ifa, to be freed with freeifaddrs()
 *
 * Return: 0 or -errno
 */
static int stacktool_describe_inside(struct inside *in)
{
	return getifaddrs(&in->ifa) ? -errno : 0;
}

/**
 * stacktool_describe() - open a stack and read its interfaces
 * @path:	the stack's path
 * @sp:		receives the stack (also on some errors: stack_put() it)
 * @ifa:	receives its interfaces, for freeifaddrs()
 *
 * Return: 0, -ENOTSUP if it is not a stack that netsup-stack can enter,
 *	   or -errno
 */
static int stacktool_describe(const char *path, struct stack **sp, struct ifaddrs **ifa)
{
	struct inside in = { .fn = stacktool_describe_inside };
	int rc;

	*ifa = NULL;
	*sp = stacktool_open_path(path, &rc);	/* a userspace stack: not entered so */
	if (!*sp)
		return rc;
	in.fd = (*sp)->fd;
	rc = stacktool_inside_run(&in);
	*ifa = in.ifa;
	return rc;
}

/**
 * stacktool_address() - an interface address as ADDRESS/PREFIXLEN
 * @a:		an entry of getifaddrs()
 * @buf:	receives the text
 * @len:	size of @buf
 *
 * Return: true for an IPv4 or IPv6 address, false for any other entry
 */
static bool stacktool_address(const struct ifaddrs *a, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	const unsigned char *m;
	const void *p;
	size_t i, mlen;
	int plen = 0;

	if (!a->ifa_addr)
		return false;
	if (a->ifa_addr->sa_family == AF_INET) {
		p = &((const struct sockaddr_in *)a->ifa_addr)->sin_addr;
		m = a->ifa_netmask ? (const unsigned char *)
			&((const struct sockaddr_in *)a->ifa_netmask)->sin_addr : NULL;
		mlen = 4;
	} else if (a->ifa_addr->sa_family == AF_INET6) {
		p = &((const struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
		m = a->ifa_netmask ? (const unsigned char *)
			&((const struct sockaddr_in6 *)a->ifa_netmask)->sin6_addr : NULL;
		mlen = 16;
	} else {
		return false;
	}
	for (i = 0; m && i < mlen; i++)
		plen += __builtin_popcount(m[i]);
	inet_ntop(a->ifa_addr->sa_family, p, addr, sizeof(addr));
	snprintf(buf, len, "%s/%d", addr, plen);
	return true;
}

/**
 * stacktool_print_ifaces() - interfaces as text: "lo up 127.0.0.1/8; eth0 down"
 * @f:		where to
 * @ifa:	from getifaddrs() inside the stack
 *
 * AF_PACKET entries name every interface once, with its flags; its
 * addresses follow in the order getifaddrs() gives them.
 */
static void stacktool_print_ifaces(FILE *f, const struct ifaddrs *ifa)
{
	char addr[STACKTOOL_ADDRLEN];
	const struct ifaddrs *a, *b;
	bool first = true;

	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET)
			continue;
		fputs(first ? "" : "; ", f);
		stacktool_print_text(f, a->ifa_name, 0);	/* a user's own stack names its own */
		fprintf(f, " %s", a->ifa_flags & IFF_UP ? "up" : "down");
		first = false;
		for (b = ifa; b; b = b->ifa_next)
			if (strcmp(a->ifa_name, b->ifa_name) == 0 &&
			    stacktool_address(b, addr, sizeof(addr)))
				fprintf(f, " %s", addr);
	}
}

/**
 * stacktool_print_json_ifaces() - interfaces as a JSON array
 * @f:		where to
 * @ifa:	from getifaddrs() inside the stack
 *
 * Each is {"name": ..., "up": true|false, "addresses": ["ADDRESS/PREFIXLEN", ...]}.
 */
static void stacktool_print_json_ifaces(FILE *f, const struct ifaddrs *ifa)
{
	char addr[STACKTOOL_ADDRLEN];
	const struct ifaddrs *a, *b;
	bool first = true, firstaddr;

	fputc('[', f);
	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET)
			continue;
		fputs(first ? "{\"name\":" : ",{\"name\":", f);
		first = false;
		json_string(f, a->ifa_name);
		fprintf(f, ",\"up\":%s,\"addresses\":[", a->ifa_flags & IFF_UP ? "true" : "false");
		firstaddr = true;
		for (b = ifa; b; b = b->ifa_next) {
			if (strcmp(a->ifa_name, b->ifa_name) != 0 ||
			    !stacktool_address(b, addr, sizeof(addr)))
				continue;
			fprintf(f, "%s\"%s\"", firstaddr ? "" : ",", addr);
			firstaddr = false;
		}
		fputs("]}", f);
	}
	fputc(']', f);
}

/**
 * stacktool_print_json_stack() - one stack as a JSON object
 * @f:		where to
 * @path:	its path
 * @s:		the stack, or NULL if it could not be opened
 * @ifa:	its interfaces
 * @error:	0, or the -errno that kept it from being read
 */
static void stacktool_print_json_stack(FILE *f, const char *path, const struct stack *s,
				       const struct ifaddrs *ifa, int error)
{
	bool first = true;
	int i;

	fputs("{\"path\":", f);
	json_string(f, path);
	if (error) {
		fputs(",\"error\":", f);
		json_string(f, stacktool_why(error));
		fputc('}', f);
		return;
	}
	fprintf(f, ",\"kind\":\"netns\",\"namespace\":\"net:[%lu]\",\"families\":[",
		(unsigned long)s->ino);
	for (i = 0; i < FAM_COUNT; i++)
		if (s->families & (1U << i)) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", stack_family_name(i));
			first = false;
		}
	fputs("],\"interfaces\":", f);
	stacktool_print_json_ifaces(f, ifa);
	fputc('}', f);
}

/**
 * stacktool_info() - netsup-stack info [--json] STACK
 * @spec:	path or bare NAME
 * @json:	print JSON
 *
 * Return: exit status
 */
static int stacktool_info(const char *spec, bool json)
{
	char path[PATH_MAX];
	struct ifaddrs *ifa;
	struct stack *s;
	int rc, i, first = 1;

	if (stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if (stacklwip_is(path))
		return stacklwip_info(path, json);
	stackuser_join(path);	/* a user's own stack, from outside its user namespace */
	rc = stacktool_describe(path, &s, &ifa);
	if (rc) {
		if (s)
			stack_put(s);
		return stacktool_fail(path, stacktool_why(rc));
	}
	if (json) {
		stacktool_print_json_stack(stdout, path, s, ifa, 0);
		putchar('\n');
	} else {
		printf("path: %s\nkind: netns (kernel)\nnamespace: net:[%lu]\nfamilies:",
		       path, (unsigned long)s->ino);
		for (i = 0; i < FAM_COUNT; i++)
			if (s->families & (1U << i)) {
				printf("%s%s", first ? " " : ", ", stack_family_name(i));
				first = 0;
			}
		printf("\ninterfaces: ");
		stacktool_print_ifaces(stdout, ifa);
		putchar('\n');
	}
	freeifaddrs(ifa);
	stack_put(s);
	return 0;
}

/**
 * stacktool_list_dir() - the stacks in one directory
 * @dir:	the directory
 * @explicit:	named on the command line: missing is an error
 * @json:	print JSON objects, not table lines
 * @shown:	how many stacks were printed before, updated
 * @denied:	how many stacks the caller may not enter, updated: a table
 *		leaves them out (JSON has an error object for each)
 *
 * Return: exit status
 */
static int stacktool_list_dir(const char *dir, bool explicit, bool json, int *shown,
			      int *denied)
{
	char path[PATH_MAX];
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT && !explicit ? 0 : stacktool_fail(dir, stacktool_why(-errno));
	for (i = 0; i < n; i++) {
		struct stackuser_stack u;
		struct ifaddrs *ifa;
		struct stack *s;
		int rc;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]->d_name);
		free(names[i]);
		if (stacklwip_is(path)) {
			stacklwip_list_entry(path, json, shown);
			continue;
		}
		rc = stackuser_open(path, &u);
		stackuser_close(&u);
		if (!rc && u.state == STACKUSER_GONE) {
			stacktool_list_error(path, stacktool_why(-ESTALE), json, shown);
			continue;
		}
		if (rc == -EPERM) {
			stacktool_list_error(path, u.why, json, shown);
			continue;
		}
		rc = stacktool_describe(path, &s, &ifa);
		if (rc == -ENOTSUP || rc == -ENOENT || (!json && (rc == -EPERM || rc == -EACCES))) {
			if (s)
				stack_put(s);
			if (rc == -EPERM || rc == -EACCES)
				(*denied)++;	/* one line for them all, at the end */
			continue;	/* /dev/net/tun and such, or gone */
		}
		if (json) {
			fputs(*shown ? ",\n" : "\n", stdout);
			stacktool_print_json_stack(stdout, path, s, ifa, rc);
		} else {
			if (!*shown)
				printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
			stacktool_print_text(stdout, path, 28);
			printf(" %-6s ", rc ? "?" : "netns");
			if (rc)
				fputs(stacktool_why(rc), stdout);
			else
				stacktool_print_ifaces(stdout, ifa);
			putchar('\n');
		}
		(*shown)++;
		if (ifa)
			freeifaddrs(ifa);
		if (s)
			stack_put(s);
	}
	free(names);
	return 0;
}

/**
 * stacktool_list_shadows() - warn of each name that is two stacks
 *
 * list shows both, by their paths; the warning says which one a bare
 * NAME means (stacktool_warn_shadow()).
 */
static void stacktool_list_shadows(void)
{
	struct dirent *d;
	DIR *dir = opendir(NS_DIR);

	while (dir && (d = readdir(dir)))
		if (d->d_name[0] != '.')
			stacktool_warn_shadow(d->d_name);
	if (dir)
		closedir(dir);
}

/**
 * stacktool_list() - netsup-stack list [--json] [DIR]...
 * @argc:	how many DIRs
 * @argv:	the DIRs; none: /dev/net, /run/netns and, for a caller that is
 *		not root, its own directory if it may trust it; skipped
 *		when missing
 * @json:	print one JSON array
 *
 * Return: exit status: 1 if a DIR could not be read, after the others
 */
static int stacktool_list(int argc, char **argv, bool json)
{
	static char own[PATH_MAX];
	static char *defaults[] = { NS_DIR, "/run/netns", own };
	bool explicit = argc > 0;
	int i, rc = 0, shown = 0, denied = 0;

	if (!explicit) {
		argc = 2;
		argv = defaults;
		if (!userstack_dir(own, sizeof(own)) && !userstack_dir_check(own))
			argc = 3;
	}
	stackuser_join_dir();	/* the user's own stacks, from outside their user namespace */
	if (json)
		putchar('[');
	for (i = 0; i < argc; i++)
		rc |= stacktool_list_dir(argv[i], explicit, json, &shown, &denied);
	if (json)
		puts(shown ? "\n]" : "]");
	if (denied)
		fprintf(stderr, "%s: %d stack%s not shown: permission denied (entering %s needs root)\n",
			prog, denied, denied == 1 ? "" : "s", denied == 1 ? "it" : "them");
	if (!explicit)
		stacktool_list_shadows();
	return rc;
}

/**
 * stacktool_ps() - netsup-stack ps [--json] STACK
 * @spec:	path or bare NAME
 * @json:	print JSON
 *
 * Return: exit status
 */
static int stacktool_ps(const char *spec, bool json)
{
	struct stackps_match match = { 0 };
	char path[PATH_MAX];
	struct stackps ps;
	struct stack *s;
	int rc;

	if (stacktool_resolve(spec, path, sizeof(path)))
		return 1;
	if (stacklwip_is(path))
		return stacklwip_ps(path, json);
	s = stacktool_open_path(path, &rc);
	if (!s)
		return stacktool_fail(path, rc == -ENOTSUP ? "not a network namespace" : stacktool_why(rc));
	match.dev = s->dev;
	match.ino = s->ino;
	rc = stackps_scan(&match, &ps);
	if (rc) {
		stack_put(s);
		return stacktool_fail("/proc", stacktool_why(rc));
	}
	if (json)
		stackps_print_json(stdout, &ps, path, s->ino);
	else
		stackps_print(stdout, &ps);
	if (ps.unreadable)
		fprintf(stderr, "%s: %u process%s could not be examined (permission denied)\n",
			prog, ps.unreadable, ps.unreadable == 1 ? "" : "es");
	stackps_free(&ps);
	stack_put(s);
	return 0;
}

/**
 * stacktool_parse() - parse the command line
 * @argc:	argument count
 * @argv:	arguments, permuted so that operands come last
 * @o:		receives the command, its operands and options
 *
 * Return: -1 to go on, or an exit status (after --help, --version, or a
 *	   usage error that says what was wrong)
 */
static int stacktool_parse(int argc, char **argv, struct stacktool_opts *o)
{
	enum { OPT_JSON = 256, OPT_FORCE, OPT_HELP, OPT_VERSION, OPT_LWIP, OPT_LINK,
	       OPT_IP, OPT_GW, OPT_IP6, OPT_GW6, OPT_MTU, OPT_NETNS, OPT_LOG };
	static const struct option longopts[] = {
		{ "force",	no_argument, NULL, OPT_FORCE },
		{ "lwip",	no_argument, NULL, OPT_LWIP },
		{ "link",	required_argument, NULL, OPT_LINK },
		{ "ip",		required_argument, NULL, OPT_IP },
		{ "gw",		required_argument, NULL, OPT_GW },
		{ "ip6",	required_argument, NULL, OPT_IP6 },
		{ "gw6",	required_argument, NULL, OPT_GW6 },
		{ "mtu",	required_argument, NULL, OPT_MTU },
		{ "netns",	required_argument, NULL, OPT_NETNS },
		{ "log",	required_argument, NULL, OPT_LOG },
		{ "verbose",	no_argument, NULL, 'v' },
		{ "json",	no_argument, NULL, OPT_JSON },
		{ "help",	no_argument, NULL, OPT_HELP },
		{ "version",	no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *name;
		int min, max;		/* operands */
		bool json, force;	/* options it takes */
	} cmds[] = {
		{ "add",  1, 1,       false, false },
		{ "del",  1, 1,       false, true },
		{ "list", 0, INT_MAX, true,  false },
		{ "info", 1, 1,       true,  false },
		{ "ps",   1, 1,       true,  false },
		{ "identify", 1, 1,   true,  false },
	};
	const char *lwopt = NULL;	/* an option of --lwip, for messages */
	size_t i;
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "fhvV", longopts, NULL)) != -1) {
		for (i = 0; ((c >= OPT_LINK && c <= OPT_LOG) || c == 'v') && longopts[i].name; i++)
			if (longopts[i].val == c)
				lwopt = longopts[i].name;
		switch (c) {
		case OPT_LWIP:
			o->lwip = true;
			break;
		case OPT_LINK:
			o->lw.link = optarg;
			break;
		case OPT_IP:
			o->lw.ip = optarg;
			break;
		case OPT_GW:
			o->lw.gw = optarg;
			break;
		case OPT_IP6:
			o->lw.ip6 = optarg;
			break;
		case OPT_GW6:
			o->lw.gw6 = optarg;
			break;
		case OPT_MTU:
			o->lw.mtu = optarg;
			break;
		case OPT_NETNS:
			o->lw.netns = optarg;
			break;
		case OPT_LOG:
			o->lw.log = optarg;
			break;
		case 'v':
			o->lw.verbose++;
			break;
		case 'f':
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
		case OPT_HELP:
			return stacktool_usage(stdout, 0);
		case 'V':
		case OPT_VERSION:
			printf("netsup-stack %s\n", NETSUP_VERSION);
			return 0;
		default:
			if (optopt >= OPT_LINK && optopt <= OPT_LOG)
				return stacktool_usage_error("option '%s' needs a value",
							     argv[optind - 1]);
			if (optopt >= 256)
				return stacktool_usage_error("option '%s' takes no value",
							     argv[optind - 1]);
			if (optopt)
				return stacktool_usage_error("unknown option '-%c'", optopt);
			return stacktool_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return stacktool_usage_error("no command given");
	o->cmd = argv[optind];
	o->args = argv + optind + 1;
	o->nargs = argc - optind - 1;
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(o->cmd, cmds[i].name))
			break;
	if (i == ARRAY_SIZE(cmds))
		return stacktool_usage_error("unknown command '%s'", o->cmd);
	if (o->nargs < cmds[i].min)
		return strcmp(o->cmd, "identify") ?
		       stacktool_usage_error("%s: which stack? a STACK is needed", o->cmd) :
		       stacktool_usage_error("%s: which process? a PID is needed", o->cmd);
	if (o->nargs > cmds[i].max)
		return strcmp(o->cmd, "identify") ?
		       stacktool_usage_error("%s: one STACK only, '%s' is one too many",
					     o->cmd, o->args[cmds[i].max]) :
		       stacktool_usage_error("%s: one PID only, '%s' is one too many",
					     o->cmd, o->args[cmds[i].max]);
	if (o->json && !cmds[i].json)
		return stacktool_usage_error("%s: no --json output (list, info, ps and identify have one)", o->cmd);
	if (o->force && !cmds[i].force)
		return stacktool_usage_error("%s: -f is for del only", o->cmd);
	if ((o->lwip || lwopt) && strcmp(o->cmd, "add") != 0)
		return stacktool_usage_error("%s: --lwip and its options are for add only", o->cmd);
	if (lwopt && !o->lwip)
		return stacktool_usage_error("add: --%s is an option of --lwip", lwopt);
	if (o->lw.log && !*o->lw.log)
		return stacktool_usage_error("add --lwip: --log needs a FILE");
	if (o->lwip && !o->lw.link)
		return stacktool_usage_error("add --lwip: which link? --link URL is needed");
	return -1;
}

/**
 * main() - parse the command line, run the command
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0, 1 after an error, 2 after a usage error
 */
int main(int argc, char **argv)
{
	struct stacktool_opts o;
	int rc = stacktool_parse(argc, argv, &o);

	if (rc >= 0 || !o.cmd)
		return rc >= 0 ? rc : EXIT_USAGE;
	if (!strcmp(o.cmd, "add"))
		return stacktool_add(o.args[0], o.lwip ? &o.lw : NULL);
	if (!strcmp(o.cmd, "del"))
		return stacktool_del(o.args[0], o.force);
	if (!strcmp(o.cmd, "info"))
		return stacktool_info(o.args[0], o.json);
	if (!strcmp(o.cmd, "ps"))
		return stacktool_ps(o.args[0], o.json);
	if (!strcmp(o.cmd, "identify"))
		return stackid_run(o.args[0], o.json);
	return stacktool_list(o.nargs, o.args, o.json);
}
