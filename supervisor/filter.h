/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * filter.h - the seccomp filter the supervised command runs under
 */
#ifndef NETSUP_FILTER_H
#define NETSUP_FILTER_H

#include <stdbool.h>
#include <stdint.h>

struct filter_config {
	bool allow_io_uring;	/* --allow-io-uring: leave io_uring_setup */
	bool userspace;		/* the session can use userspace stacks */
	bool routes;		/* --route, --user-net: connect() is notified */
	bool tcp_native;	/* --user-net: x86-64 TCP socket() runs as it is */
	int handoff_fd;		/* > 0: its sendmsg is never notified */
	bool killable;		/* out: received notifications wait killably */
};

int filter_install(struct filter_config *cfg);
int filter_dump(const struct filter_config *cfg, int fd);
bool filter_is_creds_call(uint32_t arch, int nr);

/* Notified calls besides socket and msocket. */
enum filter_call {
	FILTER_CALL_OTHER,
	FILTER_CALL_CREDS,	/* set*id, setgroups, capset */
	FILTER_CALL_UNSHARE,	/* unshare: creds, and maybe the namespace */
	FILTER_CALL_SETNS,	/* setns: the same */
	FILTER_CALL_CLONE,	/* clone(CLONE_PARENT or CLONE_NEWNET) */
	FILTER_CALL_IOCTL,	/* ioctl(SIOCGIF*) */
	FILTER_CALL_USOCK,	/* bind, connect...: userspace sessions */
};

enum filter_call filter_call_kind(uint32_t arch, int nr);

#endif /* NETSUP_FILTER_H */
