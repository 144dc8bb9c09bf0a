// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * newlistener - try to take the notifications away from netsup
 *
 * Installs a filter of its own that sends socket(2) to a user-notification
 * listener it holds.  Prints "installed" or "errno=N", then where a socket
 * of its own lands ("netns=INO"), in a child so that its own listener, if
 * any, is not asked.  Under netsup the kernel must refuse the filter (a
 * second listener in one filter chain: EBUSY), and socket() keeps going
 * to netsup.
 */
#include <stddef.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "progs.h"

int main(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(insns) / sizeof(insns[0]), insns };
	long fd;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		printf("errno=%d\n", errno);
	else
		printf("installed\n");
	fflush(stdout);
	if (fd >= 0)
		return 0;	/* our own listener would wait for an answer */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	printf("netns=%lu\n", fd < 0 ? 0 : sock_netns((int)fd));
	return 0;
}
