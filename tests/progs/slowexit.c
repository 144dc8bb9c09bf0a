// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * slowexit - a process that a normal user can keep from finishing its
 * exit after SIGKILL, for as long as the user wants
 *
 * Run by a normal user: makes a user namespace of its own (uid_map
 * "0 EUID 1") and, in it, a pid namespace whose init (HOLDER) is named
 * netsup-holder and lives alone in a network namespace of its own; then
 * forks a second member of that pid namespace (MEMBER) whose parent is
 * this process, outside it.  Prints "HOLDER MEMBER" (pids as seen from
 * outside) and waits for SIGUSR1 before it reaps MEMBER.
 *
 * When HOLDER is killed, the kernel kills MEMBER and makes HOLDER wait,
 * in its exit, until every member of its pid namespace is gone
 * (zap_pid_ns_processes() in kernel/pid_namespace.c): a zombie whose
 * parent is outside the namespace is gone only once that parent reaps
 * it.  So HOLDER's pidfd stays unreadable until SIGUSR1 arrives here.
 */
#include "progs.h"

#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail("%s: %s", path, strerror(errno));
	close(fd);
}

int main(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	pid_t holder, member;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (unshare(CLONE_NEWUSER))
		fail("unshare(CLONE_NEWUSER): %s", strerror(errno));
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)uid);
	write_file("/proc/self/uid_map", map);
	write_file("/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)gid);
	write_file("/proc/self/gid_map", map);
	if (unshare(CLONE_NEWPID))
		fail("unshare(CLONE_NEWPID): %s", strerror(errno));
	holder = fork();
	if (holder < 0)
		fail("fork: %s", strerror(errno));
	if (!holder) {
		if (unshare(CLONE_NEWNET))
			_exit(1);
		prctl(PR_SET_NAME, "netsup-holder", 0, 0, 0);
		for (;;)
			pause();
	}
	member = fork();
	if (member < 0)
		fail("fork: %s", strerror(errno));
	if (!member) {
		for (;;)
			pause();
	}
	printf("%d %d\n", (int)holder, (int)member);
	fflush(stdout);
	do
		sig = sigwaitinfo(&set, NULL);
	while (sig != SIGUSR1);
	waitpid(member, NULL, 0);
	waitpid(holder, NULL, 0);
	return 0;
}
