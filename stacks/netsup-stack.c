// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack - create, remove, list and describe stacks
 *
 *   netsup-stack add PATH       a new network namespace, lo up, at PATH
 *   netsup-stack del [-f] PATH  unmount and remove it
 *   netsup-stack list [DIR...]  the stacks in DIR (/dev/net, /run/netns)
 *   netsup-stack info PATH      kind, families, interfaces, addresses
 *
 * add: a thread unshare(CLONE_NEWNET)s (a namespace for that thread
 * alone), brings lo up and bind-mounts
 * /proc/thread-self/ns/net on PATH, which keeps the namespace alive with
 * no process in it.  A bare NAME means /dev/net/NAME; /dev/net is created
 * when missing.
 * del: refuses a stack still in use (a process living in it, or sockets
 * open in it, seen from /proc/thread-self/net inside it) unless -f;
 * the namespace itself lives on as long as anything uses it.
 * info/list: a thread setns(2)s into the stack and asks getifaddrs(3).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stack.h"

#define NS_DIR		"/dev/net"

static const char *prog = "netsup-stack";

static int usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: netsup-stack add PATH\n"
		"       netsup-stack del [-f] PATH\n"
		"       netsup-stack list [DIR]...\n"
		"       netsup-stack info PATH\n"
		"A PATH without '/' is " NS_DIR "/PATH; list shows " NS_DIR " and /run/netns.\n");
	return status;
}

static int fail(const char *path, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, why);
	return 1;
}

static const char *why(int error)
{
	switch (error) {
	case EEXIST:	return "exists";
	case EBUSY:	return "busy";
	case EPERM:
	case EACCES:	return "permission denied";
	case ENOTSUP:	return "not a stack";
	case ENOENT:	return "no such file";
	default:	return strerror(error);
	}
}

/* Work done inside a stack, on a thread of its own. */
struct inside {
	const char *path;	/* add: where to mount */
	int fd;			/* others: the namespace */
	int (*fn)(struct inside *in);
	int result;		/* 0 or an errno */
	char out[4096];		/* text for list/info */
	int sockets;		/* del: sockets open in it */
};

static void *inside_thread(void *arg)
{
	struct inside *in = arg;

	if (in->fd >= 0 ? setns(in->fd, CLONE_NEWNET) : unshare(CLONE_NEWNET))
		in->result = errno;
	else
		in->result = in->fn(in);
	return NULL;
}

static int inside_run(struct inside *in)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, inside_thread, in);

	if (rc)
		return rc;
	pthread_join(t, NULL);
	return in->result;
}

static int add_inside(struct inside *in)
{
	int rc = stack_lo_up();

	if (rc)
		return -rc;
	/* the type is ignored for MS_BIND: "none" rather than NULL */
	return mount("/proc/thread-self/ns/net", in->path, "none", MS_BIND, NULL) ? errno : 0;
}

/* NAME -> /dev/net/NAME */
static const char *stack_path(const char *arg, char *buf, size_t len)
{
	if (strchr(arg, '/'))
		return arg;
	snprintf(buf, len, NS_DIR "/%s", arg);
	return buf;
}

static int cmd_add(const char *path)
{
	struct inside in = { .path = path, .fd = -1, .fn = add_inside };
	char dir[PATH_MAX], *slash;
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (!strcmp(dir, NS_DIR) && mkdir(dir, 0755) && errno != EEXIST)
			return fail(dir, why(errno));
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return fail(path, why(errno));
	close(fd);
	rc = inside_run(&in);
	if (rc) {
		unlink(path);
		return fail(path, why(rc));
	}
	return 0;
}

/* Sockets listed in a /proc/net file, but TCP's TIME_WAIT (state 06):
 * what is left of closed connections holds nothing. */
static int count_sockets(const char *file)
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

static int sockets_inside(struct inside *in)
{
	static const char *const files[] = {
		"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "packet",
	};
	char path[64];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/proc/thread-self/net/%s", files[i]);
		in->sockets += count_sockets(path);
	}
	return 0;
}

/* A process whose network namespace is @s, or 0. */
static pid_t process_inside(const struct stack *s)
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
	}
	if (proc)
		closedir(proc);
	return pid;
}

static int cmd_del(const char *path, int force)
{
	struct inside in = { .fd = -1, .fn = sockets_inside };
	struct stack *s;
	char msg[128];
	pid_t pid;
	int rc;

	rc = stack_open(path, &s);
	if (rc)
		return fail(path, why(-rc));
	in.fd = s->fd;
	rc = inside_run(&in);
	pid = process_inside(s);
	stack_put(s);
	if (rc)
		return fail(path, why(rc));
	if (!force && (pid || in.sockets)) {
		if (pid)
			snprintf(msg, sizeof(msg), "busy: process %d lives in it (-f removes it anyway)", (int)pid);
		else
			snprintf(msg, sizeof(msg), "busy: %d socket%s open in it (-f removes it anyway)",
				 in.sockets, in.sockets == 1 ? " is" : "s are");
		return fail(path, msg);
	}
	if (umount2(path, force ? MNT_DETACH : 0))
		return fail(path, errno == EINVAL ? "not a mount point" :
			    errno == EBUSY ? "busy: the file is open or mounted on (-f removes it anyway)" :
			    why(errno));
	if (unlink(path))
		return fail(path, why(errno));
	return 0;
}

/* Interfaces and their addresses, into in->out. */
static int describe_inside(struct inside *in)
{
	struct ifaddrs *ifa, *a, *b;
	size_t off = 0;

	if (getifaddrs(&ifa))
		return errno;
	/* AF_PACKET entries name every interface once, with its flags. */
	for (a = ifa; a; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET)
			continue;
		off += (size_t)snprintf(in->out + off, sizeof(in->out) - off, "%s%s%s",
					off ? "; " : "", a->ifa_name,
					a->ifa_flags & IFF_UP ? " up" : " down");
		for (b = ifa; b && off < sizeof(in->out) - 64; b = b->ifa_next) {
			char addr[INET6_ADDRSTRLEN];
			const void *p;
			int plen = 0;
			const unsigned char *m;
			size_t i, mlen;

			if (!b->ifa_addr || strcmp(a->ifa_name, b->ifa_name) != 0)
				continue;
			if (b->ifa_addr->sa_family == AF_INET) {
				p = &((struct sockaddr_in *)b->ifa_addr)->sin_addr;
				m = (const unsigned char *)&((struct sockaddr_in *)b->ifa_netmask)->sin_addr;
				mlen = 4;
			} else if (b->ifa_addr->sa_family == AF_INET6) {
				p = &((struct sockaddr_in6 *)b->ifa_addr)->sin6_addr;
				m = (const unsigned char *)&((struct sockaddr_in6 *)b->ifa_netmask)->sin6_addr;
				mlen = 16;
			} else {
				continue;
			}
			for (i = 0; i < mlen; i++)
				plen += __builtin_popcount(m[i]);
			inet_ntop(b->ifa_addr->sa_family, p, addr, sizeof(addr));
			off += (size_t)snprintf(in->out + off, sizeof(in->out) - off,
						" %s/%d", addr, plen);
		}
		if (off >= sizeof(in->out) - 64)
			break;
	}
	freeifaddrs(ifa);
	return 0;
}

static int describe(const char *path, struct stack **sp, char *out, size_t len)
{
	struct inside in = { .fn = describe_inside };
	int rc;

	rc = stack_open(path, sp);
	if (rc)
		return -rc;
	in.fd = (*sp)->fd;
	rc = inside_run(&in);
	if (!rc)
		snprintf(out, len, "%s", in.out);
	return rc;
}

static int cmd_info(const char *path)
{
	char ifaces[4096];
	struct stack *s = NULL;
	int rc, i, first = 1;

	rc = describe(path, &s, ifaces, sizeof(ifaces));
	if (rc) {
		stack_put(s);
		return fail(path, why(rc));
	}
	printf("path: %s\nkind: netns (kernel)\nnamespace: net:[%lu]\nfamilies:",
	       path, (unsigned long)s->ino);
	for (i = 0; i < FAM_COUNT; i++)
		if (s->families & (1U << i)) {
			printf("%s%s", first ? " " : ", ", stack_family_name(i));
			first = 0;
		}
	printf("\ninterfaces: %s\n", ifaces);
	stack_put(s);
	return 0;
}

static int list_dir(const char *dir, int *shown)
{
	char path[PATH_MAX], ifaces[4096];
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : fail(dir, why(errno));
	for (i = 0; i < n; i++) {
		struct stack *s = NULL;
		int rc;

		if (names[i]->d_name[0] == '.') {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		rc = describe(path, &s, ifaces, sizeof(ifaces));
		stack_put(s);
		if (rc == ENOTSUP)
			continue;	/* /dev/net/tun and such */
		if (!(*shown)++)
			printf("%-28s %-6s %s\n", "PATH", "KIND", "INTERFACES");
		printf("%-28s %-6s %s\n", path, rc ? "?" : "netns", rc ? why(rc) : ifaces);
	}
	free(names);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	static char *const defaults[] = { NS_DIR, "/run/netns" };
	int i, rc = 0, shown = 0;

	if (!argc) {
		argc = 2;
		argv = (char **)defaults;
	}
	for (i = 0; i < argc; i++)
		rc |= list_dir(argv[i], &shown);
	return rc;
}

int main(int argc, char **argv)
{
	char buf[PATH_MAX];
	const char *cmd;
	int force = 0;

	if (argc < 2)
		return usage(stderr, 2);
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		return usage(stdout, 0);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(cmd, "del") && argc == 4 && !strcmp(argv[2], "-f")) {
		force = 1;
		argv++;
		argc--;
	}
	if (argc != 3)
		return usage(stderr, 2);
	if (!strcmp(cmd, "add"))
		return cmd_add(stack_path(argv[2], buf, sizeof(buf)));
	if (!strcmp(cmd, "del"))
		return cmd_del(stack_path(argv[2], buf, sizeof(buf)), force);
	if (!strcmp(cmd, "info"))
		return cmd_info(stack_path(argv[2], buf, sizeof(buf)));
	return usage(stderr, 2);
}
