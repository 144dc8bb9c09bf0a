// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * msock - run a script of msocket()/socket() calls, one per argument
 *
 *   D:PATH:FAM          msocket(PATH, FAM, SOCK_DEFAULT, 0)
 *   M:PATH:FAM[:TYPE]   msocket(PATH, FAM, TYPE, 0)   (TYPE default dgram;
 *                       "raw" is SOCK_RAW with protocol ICMP)
 *   S:FAM               socket(FAM, SOCK_DGRAM, 0)
 *   C:DIR               chroot(DIR) and chdir("/")
 *   P:DIR               chdir(DIR)
 *   F ... W ...         fork: the parent runs what is between F and W, then
 *                       lets the child go and waits; the child runs what
 *                       follows W
 *   E                   execve this program with the arguments left
 *   X PROG ARG...       execve PROG with the arguments that follow
 *   Z:SECONDS           sleep
 * PATH "-" is NULL, "@bad" an invalid pointer, "@long" a path of 5000
 * bytes.  FAM is inet, inet6, netlink, packet, unix, unspec or a number.
 * Each call prints one line: "TAG netns=INO" for a socket, "TAG ok" for
 * 0, or "TAG errno=NAME", where TAG is the argument.
 */
#include <sys/wait.h>

#include "progs.h"
#include <msocket.h>

static const char *errname(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case ENOTSUP: return "ENOTSUP";
	case EACCES: return "EACCES";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EFAULT: return "EFAULT";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case ENETDOWN: return "ENETDOWN";
	case EIO: return "EIO";
	default: return strerror(e);
	}
}

static int family(const char *s)
{
	return strcmp(s, "unspec") ? parse_family(s) : AF_UNSPEC;
}

static void report(const char *tag, int rc)
{
	if (rc < 0)
		printf("%s errno=%s\n", tag, errname(errno));
	else if (rc == 0)
		printf("%s ok\n", tag);
	else {
		printf("%s netns=%lu\n", tag, sock_netns(rc));
		close(rc);
	}
	fflush(stdout);
}

/* Split "X:a:b:c" into up to 4 fields, in place. */
static int split(char *s, char *f[4])
{
	int n = 0;

	f[n++] = s;
	while (n < 4 && (s = strchr(s, ':'))) {
		*s++ = '\0';
		f[n++] = s;
	}
	return n;
}

static const char *path_arg(const char *p)
{
	static char longpath[5001];

	if (!strcmp(p, "-"))
		return NULL;
	if (!strcmp(p, "@bad"))
		return (const char *)8;
	if (!strcmp(p, "@long")) {
		memset(longpath, 'a', sizeof(longpath) - 1);
		return longpath;
	}
	return p;
}

int main(int argc, char **argv)
{
	int i, go[2] = { -1, -1 };
	pid_t child = 0;

	for (i = 1; i < argc; i++) {
		char tag[256], arg[8192], *f[4];
		int n, type;

		snprintf(tag, sizeof(tag), "%s", argv[i]);
		snprintf(arg, sizeof(arg), "%s", argv[i]);
		n = split(arg, f);
		switch (f[0][0]) {
		case 'D':
			if (n < 3) fail("D:PATH:FAM");
			report(tag, msocket(path_arg(f[1]), family(f[2]), SOCK_DEFAULT, 0));
			break;
		case 'M':
			if (n < 3) fail("M:PATH:FAM[:TYPE]");
			type = n > 3 ? atoi(f[3]) : SOCK_DGRAM;
			if (n > 3 && !strcmp(f[3], "raw"))
				type = SOCK_RAW;
			report(tag, msocket(path_arg(f[1]), family(f[2]), type,
					    type == SOCK_RAW ? 1 : 0));
			break;
		case 'S':
			if (n < 2) fail("S:FAM");
			report(tag, socket(family(f[1]), SOCK_DGRAM, 0));
			break;
		case 'C':
			if (chroot(f[1]) || chdir("/"))
				fail("chroot %s: %s", f[1], strerror(errno));
			break;
		case 'P':
			if (chdir(f[1]))
				fail("chdir %s: %s", f[1], strerror(errno));
			break;
		case 'Z':
			usleep((useconds_t)(atof(f[1]) * 1e6));
			break;
		case 'F':
			if (pipe(go))
				fail("pipe");
			child = fork();
			if (child < 0)
				fail("fork");
			if (!child) {
				char c;

				close(go[1]);
				if (read(go[0], &c, 1) < 0)
					fail("read");
				while (i < argc && strcmp(argv[i], "W"))
					i++;	/* the parent's part */
				printf("child:\n");
			} else {
				close(go[0]);
			}
			break;
		case 'W':
			if (child > 0) {
				int st;

				close(go[1]);
				waitpid(child, &st, 0);
				return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
			}
			break;
		case 'E':
			execv("/proc/self/exe", argv + i);
			fail("exec: %s", strerror(errno));
		case 'X':
			execvp(argv[i + 1], argv + i + 1);
			fail("exec %s: %s", argv[i + 1], strerror(errno));
		default:
			fail("unknown step %s", argv[i]);
		}
	}
	return 0;
}
