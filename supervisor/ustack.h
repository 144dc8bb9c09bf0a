/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ustack.h - the supervisor's client of userspace stack daemons
 */
#ifndef NETSUP_USTACK_H
#define NETSUP_USTACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "supervisor.h"
#include "../stacks/stackproto.h"

struct ustack;
struct worker;

/*
 * A request to a daemon, deferred until its reply (or its deadline).
 * Whoever sends one embeds this and sets done(); the reply's fields are
 * filled in before done() runs, on the loop thread.
 */
struct ureq {
	struct deferred d;
	struct ustack *u;
	uint64_t id;		/* the protocol's request id */
	bool blocking;		/* may wait long: cancelled if its caller goes */
	bool internal;		/* the supervisor's own: no notification */
	int polls;		/* deadlines passed without a reply */
	int backoff;		/* a blocking call: polls every 250 ms << this */
	/* the reply */
	int32_t result;		/* >= 0, or -errno */
	int fd;			/* a descriptor that came with it, or -1 */
	uint64_t handle;
	uint32_t datalen;
	uint32_t addrlen;
	unsigned char addr[SP_ADDR_MAX];
	uint32_t optlen;
	unsigned char opt[SP_OPT_MAX];
	struct sp_anc anc;	/* DGRAMSRC: the datagram's ancillary data */
	/* answer the notification, free the request */
	void (*done)(struct ureq *rq, struct worker *w);
	struct ureq *next;	/* in its ustack's pending table */
};

/* A socket of a userspace stack, known by the child's end. */
struct usock {
	struct stack *s;	/* the stack (a reference) */
	uint64_t handle;
	int domain;
	int type;		/* SOCK_STREAM or SOCK_DGRAM */
	bool peer;		/* datagram: a default peer (connect()) */
};

/*
 * A userspace stack being opened without blocking (ustack_open()): its
 * connection is made and greeted by the loop, then done() runs there.
 * Whoever opens one embeds this; d.id and d.tid name its notification.
 */
struct ustack_greeting {
	struct deferred d;		/* first: the loop's */
	const char *path;		/* the stack's name, for messages */
	void (*done)(struct ustack_greeting *g, struct worker *w, struct stack *s, int rc);
	/* ustack.c's */
	struct supervisor *sv;
	int pathfd;			/* the stack file, for another connect */
	int conn;			/* the connection being greeted, or -1 */
	struct stat st;
	uid_t uid;
	struct timespec until;		/* CLOCK_MONOTONIC: ETIMEDOUT after */
};

#define USTACK_PENDING	1

int ustack_attach(struct supervisor *sv, struct stack *s);
int ustack_attach_defaults(struct supervisor *sv);
int ustack_open(struct supervisor *sv, struct ustack_greeting *g, int fd,
		const struct stat *st, uid_t uid, struct stack **out);
void ustack_detach_all(struct supervisor *sv);
void ustack_input(struct supervisor *sv, struct ustack *u, struct worker *w);
int ustack_send(struct supervisor *sv, struct stack *s, struct sp_msg *m,
		struct ureq *rq, uid_t uid);
int ustack_sock_add(struct supervisor *sv, struct stack *s, int fd, uint64_t handle,
		    int domain, int type);
bool ustack_sock_find(dev_t dev, ino_t ino, struct usock *out);
void ustack_sock_set_peer(int fd, bool peer);
bool ustack_any(void);
uid_t ustack_owner(const struct stack *s);

#endif /* NETSUP_USTACK_H */
