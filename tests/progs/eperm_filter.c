// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * eperm_filter - run a program under a seccomp filter that refuses the
 * system call -5 with EPERM, as container or systemd filters answer
 * calls they do not know
 *
 * eperm_filter PROGRAM [ARG...]
 */
#include <stddef.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "progs.h"

int main(int argc, char **argv)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)-5, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(insns) / sizeof(insns[0]), insns };

	if (argc < 2)
		fail("usage: eperm_filter PROGRAM [ARG...]");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		fail("seccomp: %s", strerror(errno));
	execvp(argv[1], argv + 1);
	fail("%s: %s", argv[1], strerror(errno));
}
