/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * stack.h - networking stacks named by files, behind one small interface
 *
 * A stack is a file: a network-namespace file (nsfs) served by the kernel,
 * or the UNIX socket of a userspace stack daemon.  A struct stack holds an
 * open descriptor on that file, so the stack stays usable even if its path
 * is unmounted or removed later; it is reference counted because process
 * defaults share it.
 */
#ifndef NETSUP_STACK_H
#define NETSUP_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/types.h>

/* The address families that stacks serve, as indexes into defaults. */
enum stack_family {
	FAM_INET,
	FAM_INET6,
	FAM_NETLINK,
	FAM_PACKET,
	FAM_COUNT,
};

#define FAM_MASK_ALL	((1U << FAM_COUNT) - 1)

struct stack;

/*
 * What a handling thread keeps between sockets, for every kind: a kernel
 * stack's thread stays in the namespace of its last socket (netns.c).
 */
struct stack_thread {
	dev_t netns_dev;	/* the namespace the thread is in now */
	ino_t netns_ino;
};

/* How a kind's sockets are made. */
enum stack_serving {
	/* by the calling thread, inside the stack (stack_enter(), then
	 * stack_socket()): the kernel's own sockets, native from then on */
	STACK_SERVED_HERE,
	/* by a daemon, asked over the stack protocol on the stack's
	 * connection (netsup-stack-protocol(7)) and answered later, by the
	 * supervisor's client of it (supervisor/ustack.c); the calls a
	 * socket pair cannot mean are forwarded (supervisor/ucall.c) */
	STACK_SERVED_BY_DAEMON,
};

/*
 * A kind of stack: one file of stacks/ and one row of stack.c's table.
 * Creating a socket here is two steps, because they need different
 * credentials: enter() with netsup's own (setns needs CAP_SYS_ADMIN),
 * socket() with the child's (the kernel checks CAP_NET_RAW and records
 * the owner at creation).
 */
struct stack_kind {
	const char *name;	/* "netns", "userspace": for messages */
	enum stack_serving serving;
	int access;		/* what opening its file takes: R_OK or W_OK */
	bool any_domain;	/* serves every family, not only enum stack_family's
				 * (AF_UNIX of i386's socketcall) */
	bool netlink_follows;	/* its netlink is the default where inet's is */
	/* is the file this kind's?  @fd (O_PATH), its fstat and fstatfs */
	bool (*probe)(int fd, const struct stat *st, const struct statfs *sfs);
	/* the stack object of the file: 0 or -errno (@fd is not consumed) */
	int (*open)(int fd, const struct stat *st, const char *path, struct stack **out);
	/* does it serve socket(@domain, ., @protocol) of a family it serves?
	 * NULL: every protocol */
	bool (*serves_protocol)(int domain, int protocol);
	/* could this process serve the stack at all? 0 or -errno */
	int (*check)(const struct stack *s);
	/* optional: join the user namespace that owns the stack (1 joined,
	 * 0 nothing to join, -errno) */
	int (*join_owner)(struct stack *s);
	/* STACK_SERVED_HERE: is @t ready to create sockets in @s? */
	bool (*entered)(const struct stack *s, const struct stack_thread *t);
	/* make it so: 0 or -errno */
	int (*enter)(struct stack *s, struct stack_thread *t);
	/* a new socket (with SOCK_CLOEXEC), or -errno */
	int (*socket)(struct stack *s, struct stack_thread *t,
		      int domain, int type, int protocol);
};

extern const struct stack_kind netns_kind, userspace_kind;

struct stack {
	const struct stack_kind *kind;
	int fd;			/* on the stack's file: O_RDONLY nsfs for setns() */
	dev_t dev;		/* identity of the stack: its file's dev/ino */
	ino_t ino;
	bool foreign_owner;	/* netns owned by a user namespace not netsup's */
	unsigned int families;	/* mask of 1 << enum stack_family served */
	uint32_t version;	/* userspace: the stack protocol's version spoken */
	unsigned int refs;	/* atomic */
	bool removed;		/* atomic: its file is gone (stack_check_removed) */
	bool unnamed;		/* its file was removed on purpose once opened
				 * (--user-net's): it cannot be "removed" */
	void *client;		/* userspace: the supervisor's client of it */
	char path[];		/* as named, for messages */
};

int stack_family_index(int domain);
int stack_family_domain(int index);
const char *stack_family_name(int index);
int stack_family_parse(const char *name, unsigned int *mask);

bool stack_name_shadowed(const char *name);
int stack_resolve_name(const char *spec, char *buf, size_t len);
int stack_open(const char *path, struct stack **out);
int stack_from_fd(int fd, const char *path, struct stack **out);
struct stack *stack_get(struct stack *s);
void stack_put(struct stack *s);
const char *stack_strerror(int error);

/* Are @a and @b the same stack (the same namespace or socket)? */
static inline bool stack_same(const struct stack *a, const struct stack *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

struct stack *stack_alloc(const struct stack_kind *kind, const char *path);
const struct stack_kind *stack_kind_of(int fd);
const struct stack_kind *stack_kind_of_path(const char *path);
bool stack_serves(const struct stack *s, int domain);
bool stack_serves_protocol(const struct stack *s, int domain, int protocol);
int stack_join_owner(struct stack *s);

/* Does the calling thread make @s's sockets (a namespace's)? */
static inline bool stack_served_here(const struct stack *s)
{
	return s->kind->serving == STACK_SERVED_HERE;
}

/* Does a daemon make them, over the stack protocol (netsup-lwip's)? */
static inline bool stack_served_by_daemon(const struct stack *s)
{
	return s->kind->serving == STACK_SERVED_BY_DAEMON;
}

/* Its netlink default follows inet's: ip addr shows the stack in use. */
static inline bool stack_netlink_follows(const struct stack *s)
{
	return s->kind->netlink_follows;
}
int stack_thread_init(struct stack_thread *t);
bool stack_entered(const struct stack *s, const struct stack_thread *t);
int stack_enter(struct stack *s, struct stack_thread *t);
int stack_socket(struct stack *s, struct stack_thread *t,
		 int domain, int type, int protocol);
int stack_check_enter(const struct stack *s);
bool stack_check_removed(struct stack *s);

/* userspace.c: userspace stacks */
struct sp_msg;
int userspace_from_conn(int conn, const struct stat *st, const char *path,
			unsigned int families, struct stack **out);
int userspace_connect(int fd);
int userspace_connect_start(int fd);
int userspace_greet(int fd, void *buf, size_t cap, struct sp_msg *m);
int userspace_hello_send(int fd, void *buf, size_t cap);
int userspace_hello_parse(const void *buf, size_t len, struct sp_msg *m);
int userspace_families(const struct sp_msg *m, unsigned int *families);

/* netns.c: kernel stacks */
int stack_lo_up(void);

#endif /* NETSUP_STACK_H */
