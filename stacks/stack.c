// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stack.c - naming, opening and recognising stacks; address families
 *
 * A stack is recognised from the file itself, never from its name: the
 * file is opened with O_PATH first, so that naming a device, a FIFO or
 * anything else has no side effect (no open(2) of the device); then the
 * first kind of stack_kinds[] that recognises it makes the stack object:
 * a file on nsfs is a kernel stack (netns.c), a UNIX socket a userspace
 * stack (userspace.c).  Anything else is not a stack: -ENOTSUP.  A new
 * kind is a file of its own and a row here; callers ask what a stack
 * does (stack_served_here(), stack_serves()...), never which kind it is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "stack.h"
#include "userstack.h"
#include "../common/util.h"
#include "../common/fileid.h"

static const struct stack_kind *const stack_kinds[] = {
	&netns_kind,
	&userspace_kind,
};

static const struct {
	const char *name;
	int domain;
} stack_families[FAM_COUNT] = {
	[FAM_INET]	= { "inet",	AF_INET },
	[FAM_INET6]	= { "inet6",	AF_INET6 },
	[FAM_NETLINK]	= { "netlink",	AF_NETLINK },
	[FAM_PACKET]	= { "packet",	AF_PACKET },
};

/**
 * stack_family_index() - index of an address family that stacks serve
 * @domain:	AF_* value, as passed to socket(2)
 *
 * Return: enum stack_family, or -1 for a family no stack serves
 */
int stack_family_index(int domain)
{
	int i;

	for (i = 0; i < FAM_COUNT; i++)
		if (stack_families[i].domain == domain)
			return i;
	return -1;
}

/**
 * stack_family_domain() - AF_* value of a family index
 * @index:	enum stack_family
 *
 * Return: the AF_* constant
 */
int stack_family_domain(int index)
{
	return stack_families[index].domain;
}

/**
 * stack_family_name() - short name of a family index ("inet", ...)
 * @index:	enum stack_family
 *
 * Return: static string
 */
const char *stack_family_name(int index)
{
	if (index < 0 || index >= FAM_COUNT)
		return "?";
	return stack_families[index].name;
}

/**
 * stack_family_parse() - parse a family name of --default
 * @name:	"inet", "inet6", "netlink", "packet", or "ip" for all four
 * @mask:	set to the mask of families named
 *
 * Return: 0, or -EINVAL for an unknown name
 */
int stack_family_parse(const char *name, unsigned int *mask)
{
	int i;

	if (!strcmp(name, "ip") || !strcmp(name, "all")) {
		*mask = FAM_MASK_ALL;
		return 0;
	}
	for (i = 0; i < FAM_COUNT; i++) {
		if (!strcmp(name, stack_families[i].name)) {
			*mask = 1U << i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * stack_resolve_name() - turn a stack name into a path
 * @spec:	a path (anything with a '/'), or a bare NAME
 * @buf:	receives the path
 * @len:	size of @buf
 *
 * A bare NAME is /dev/net/NAME if that exists, else /run/netns/NAME,
 * else, for a caller that is not the system's root, NAME in the caller's
 * own directory of stacks (userstack.c: $XDG_RUNTIME_DIR/netsup or
 * /tmp/netsup-EUID, trusted only if the caller owns it); root never
 * looks there, so no user can choose what a bare NAME means to root.
 *
 * Return: 0, -ENOENT if a bare NAME exists nowhere (@buf then holds
 *	   /dev/net/NAME), -ESTALE if it names a stack of the caller's
 *	   directory whose holder process is gone (@buf holds that path),
 *	   -EINVAL for "", "." or "..", -ENAMETOOLONG
 */
int stack_resolve_name(const char *spec, char *buf, size_t len)
{
	static const char *const dirs[] = { "/dev/net/", "/run/netns/" };
	struct stat st;
	size_t i;
	int n;

	if (!*spec || !strcmp(spec, ".") || !strcmp(spec, ".."))
		return -EINVAL;
	if (strchr(spec, '/')) {
		size_t slen = strlen(spec);

		if (slen >= len)
			return -ENAMETOOLONG;
		memcpy(buf, spec, slen + 1);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		n = snprintf(buf, len, "%s%s", dirs[i], spec);
		if (n < 0 || (size_t)n >= len)
			return -ENAMETOOLONG;
		if (!stat(buf, &st))
			return 0;
	}
	n = userstack_lookup(spec, buf, len);
	if (n == 0 || n == -ESTALE || n == -ENAMETOOLONG)
		return n;
	snprintf(buf, len, "%s%s", dirs[0], spec);
	return -ENOENT;
}

/**
 * stack_name_shadowed() - are /dev/net/NAME and /run/netns/NAME two stacks?
 * @name:	a bare NAME
 *
 * ip netns add NAME beside netsup-stack add NAME leaves two namespaces
 * under one name: a bare NAME is /dev/net/NAME to stack_resolve_name(),
 * /run/netns/NAME to ip netns exec.  Callers warn.
 *
 * Return: true if both exist and are not the same file
 */
bool stack_name_shadowed(const char *name)
{
	char a[PATH_MAX], b[PATH_MAX];
	struct stat sa, sb;

	if (strchr(name, '/') ||
	    snprintf(a, sizeof(a), "/dev/net/%s", name) >= (int)sizeof(a) ||
	    snprintf(b, sizeof(b), "/run/netns/%s", name) >= (int)sizeof(b))
		return false;
	if (stat(a, &sa) || stat(b, &sb))
		return false;
	return !fileid_same(&sa, &sb);
}

/**
 * stack_alloc() - a new stack object of a kind, with one reference
 * @kind:	the kind
 * @path:	name for messages
 *
 * Return: the stack (fd -1, no family yet), or NULL
 */
struct stack *stack_alloc(const struct stack_kind *kind, const char *path)
{
	size_t plen = strlen(path);
	struct stack *s = calloc(1, sizeof(*s) + plen + 1);

	if (!s)
		return NULL;
	s->kind = kind;
	s->fd = -1;
	s->refs = 1;
	memcpy(s->path, path, plen + 1);
	return s;
}

/* The kind of the file @fd names, given its fstat: NULL if none. */
static const struct stack_kind *stack_kind_probe(int fd, const struct stat *st)
{
	struct statfs sfs;
	size_t i;

	if (fstatfs(fd, &sfs))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(stack_kinds); i++)
		if (stack_kinds[i]->probe(fd, st, &sfs))
			return stack_kinds[i];
	return NULL;
}

/**
 * stack_kind_of() - which kind of stack would the file @fd names be?
 * @fd:		descriptor on the file (any open mode, O_PATH too)
 *
 * Nothing is opened or connected: what serving it would take (the shim
 * refuses a daemon's stack at once; pathres.c checks the kind's access).
 *
 * Return: the kind, or NULL if the file is not a stack
 */
const struct stack_kind *stack_kind_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return NULL;
	return stack_kind_probe(fd, &st);
}

/**
 * stack_kind_of_path() - stack_kind_of() of the file @path names
 * @path:	a path, as the calling thread sees it
 *
 * Return: the kind, or NULL (no such file, not a stack)
 */
const struct stack_kind *stack_kind_of_path(const char *path)
{
	const struct stack_kind *k;
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	k = stack_kind_of(fd);
	close(fd);
	return k;
}

/**
 * stack_from_fd() - recognise the stack an O_PATH descriptor names
 * @fd:		descriptor on the file (any open mode; not consumed)
 * @path:	name for messages
 * @out:	receives a new stack with one reference
 *
 * Return: 0, -ENOTSUP if the file is not a stack, -errno of the re-open
 *	   (EACCES when the calling thread may not read the file)
 */
int stack_from_fd(int fd, const char *path, struct stack **out)
{
	const struct stack_kind *k;
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	k = stack_kind_probe(fd, &st);
	if (!k)
		return -ENOTSUP;
	return k->open(fd, &st, path, out);
}

/**
 * stack_serves() - does @s serve sockets of @domain?
 * @s:		the stack
 * @domain:	AF_* of socket(2)
 *
 * Return: true for a family it said it serves, or any family for a kind
 *	   that serves them all
 */
bool stack_serves(const struct stack *s, int domain)
{
	int idx = stack_family_index(domain);

	if (idx < 0)
		return s->kind->any_domain;
	return s->families & (1U << idx);
}

/**
 * stack_serves_protocol() - does @s serve @protocol of a family it serves?
 * @s:		the stack
 * @domain:	AF_* of socket(2)
 * @protocol:	its protocol (a daemon may serve rtnetlink alone)
 *
 * Return: true if it does; where not, netsup's own namespace serves it
 */
bool stack_serves_protocol(const struct stack *s, int domain, int protocol)
{
	return !s->kind->serves_protocol || s->kind->serves_protocol(domain, protocol);
}

/**
 * stack_join_owner() - join the user namespace that owns @s, if it has one
 * @s:		the stack
 *
 * Return: 1 if joined, 0 if there was nothing to join, -EPERM if it is
 *	   not one the caller may join, -errno (userstack_join_owner())
 */
int stack_join_owner(struct stack *s)
{
	return s->kind->join_owner ? s->kind->join_owner(s) : 0;
}

/**
 * stack_open() - open the stack a path names, as the calling thread sees it
 * @path:	path of the stack file
 * @out:	receives a new stack with one reference
 *
 * Return: 0, -ENOENT, -EACCES, -ENOTSUP (not a stack), other -errno
 */
int stack_open(const char *path, struct stack **out)
{
	int fd, rc;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = stack_from_fd(fd, path, out);
	close(fd);
	return rc;
}

/**
 * stack_check_removed() - has the stack's file gone since it was opened?
 * @s:		the stack, opened by its path in the caller's view
 *
 * The namespace lives on as long as anything holds it (our descriptor
 * does): existing sockets keep working.  But its name is gone, and new
 * sockets should not land in a stack its owner removed.
 *
 * Return: true if the path no longer names the same namespace; the
 *	   answer is kept in s->removed; false for an unnamed stack
 */
bool stack_check_removed(struct stack *s)
{
	bool gone = !s->unnamed && !fileid_path_is(s->path, s->dev, s->ino);

	if (gone)
		__atomic_store_n(&s->removed, true, __ATOMIC_RELEASE);
	return gone;
}

/**
 * stack_get() - take a reference
 * @s:		stack, or NULL
 *
 * Return: @s
 */
struct stack *stack_get(struct stack *s)
{
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

/**
 * stack_put() - drop a reference, closing the stack with the last one
 * @s:		stack, or NULL
 */
void stack_put(struct stack *s)
{
	if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL))
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

/**
 * stack_entered() - can the calling thread create sockets in @s as it is?
 * @s:		the stack
 * @t:		the thread's state
 *
 * Return: false if stack_enter() has to run first, with netsup's own
 *	   credentials
 */
bool stack_entered(const struct stack *s, const struct stack_thread *t)
{
	return !s->kind->entered || s->kind->entered(s, t);
}

/**
 * stack_enter() - prepare the calling thread for sockets in @s
 * @s:		the stack
 * @t:		the thread's state
 *
 * Return: 0 or -errno
 */
int stack_enter(struct stack *s, struct stack_thread *t)
{
	return s->kind->enter ? s->kind->enter(s, t) : 0;
}

/**
 * stack_socket() - create a socket in a stack, with the calling thread's
 *		    current credentials
 * @s:		the stack
 * @t:		the thread's state
 * @domain:	socket(2) arguments; SOCK_CLOEXEC is added, the caller
 * @type:	decides the flag of the descriptor it hands on
 * @protocol:
 *
 * Return: the new descriptor, or -errno
 */
int stack_socket(struct stack *s, struct stack_thread *t,
		 int domain, int type, int protocol)
{
	/* a daemon's are asked of it: supervisor/ustack.c */
	return s->kind->socket ? s->kind->socket(s, t, domain, type, protocol) : -EOPNOTSUPP;
}

/**
 * stack_check_enter() - could this process serve the stack at all?
 * @s:		the stack
 *
 * Return: 0 or -errno (EPERM: the namespace cannot be entered)
 */
int stack_check_enter(const struct stack *s)
{
	return s->kind->check ? s->kind->check(s) : 0;
}

/**
 * stack_strerror() - reason for a stack_open() error, for messages
 * @error:	negative errno from stack_open()
 *
 * Return: static string
 */
const char *stack_strerror(int error)
{
	switch (-error) {
	case ENOENT:
		return "no such file";
	case ENOTSUP:
		return "not a network stack (neither a network namespace nor a stack socket)";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EAFNOSUPPORT:
		return "the stack does not serve that address family";
	case ECONNREFUSED:
		return "a stack socket, but no stack daemon listens on it";
	case EPROTO:
		return "a socket whose daemon does not speak the stack protocol";
	case ETIMEDOUT:
		return "the stack daemon did not answer";
	default:
		return strerror(-error);
	}
}
