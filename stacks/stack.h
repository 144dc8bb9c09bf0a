/* SPDX-License-Identifier: GPL-2.0-or-later
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

enum stack_kind {
	STACK_NETNS,		/* kernel stack: a network namespace */
};

struct stack {
	enum stack_kind kind;
	int fd;			/* O_RDONLY on the nsfs file, for setns() */
	dev_t dev;		/* identity of the namespace: nsfs dev/ino */
	ino_t ino;
	unsigned int families;	/* mask of 1 << enum stack_family served */
	unsigned int refs;	/* atomic */
	bool removed;		/* atomic: its file is gone (stack_check_removed) */
	char path[];		/* as named, for messages */
};

/* Per handling thread: which namespace the thread is in now (sticky). */
struct stack_cursor {
	dev_t dev;
	ino_t ino;
};

int stack_family_index(int domain);
int stack_family_domain(int index);
const char *stack_family_name(int index);
int stack_family_parse(const char *name, unsigned int *mask);

int stack_resolve_name(const char *spec, char *buf, size_t len);
int stack_open(const char *path, struct stack **out);
int stack_from_fd(int fd, const char *path, struct stack **out);
struct stack *stack_get(struct stack *s);
void stack_put(struct stack *s);
const char *stack_strerror(int error);

/* Is the thread of @cur in @s already? */
static inline bool stack_is_current(const struct stack *s, const struct stack_cursor *cur)
{
	return cur->dev == s->dev && cur->ino == s->ino;
}

int stack_cursor_init(struct stack_cursor *cur);
int stack_enter(struct stack *s, struct stack_cursor *cur);
int stack_socket(struct stack *s, struct stack_cursor *cur,
		 int domain, int type, int protocol);
int stack_check_enter(const struct stack *s);
int stack_lo_up(void);
bool stack_check_removed(struct stack *s);

#endif /* NETSUP_STACK_H */
