// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-name.c - what a STACK on the command line names
 *
 * A bare NAME (no '/') is looked up as netsup does (stack_resolve_name():
 * /dev/net/NAME if that exists, else /run/netns/NAME, else, for a caller
 * that is not root, the caller's own directory); a NAME that is both
 * /dev/net/NAME and /run/netns/NAME gets a warning that says which one it
 * means.  A new stack's name is checked as ip-netns(8) checks one
 * (stacktool_bad_name()).  del opens the stack's directory once
 * (stacktool_entry_open()) and looks at and removes the stack's file in
 * it, whatever its path names by then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netsup-stack.h"
#include "../stack.h"

/**
 * stacktool_bad_name() - why a new stack's name would be a bad one
 * @path:	the path add was given: a bare NAME, or an absolute path
 *
 * As ip-netns(8) add: a NAME is one component, neither empty nor "." nor
 * "..", and holds no '/'.  A relative path with a '/' ("../x", "a/b")
 * would make a stack outside the directories of stacks, named by nothing
 * a bare NAME finds; a stack elsewhere is named by its absolute path, and
 * that path holds no "." or ".." component either.  The last component may
 * not begin with '.' (list hides it) or '-' (it would read as an option),
 * nor hold blanks or control characters (list and ps print one stack per
 * line, in columns).
 *
 * Return: the reason, or NULL if the name is fine
 */
const char *stacktool_bad_name(const char *path)
{
	const char *name = strrchr(path, '/'), *c;
	const unsigned char *u;
	size_t len;

	if (!*path || !strcmp(path, ".") || !strcmp(path, ".."))
		return "not a stack name";
	if (name && path[0] != '/')
		return "a stack name may not contain '/' (a stack elsewhere is named by its absolute path)";
	for (c = path; name && *c; c += len + (c[len] == '/')) {
		while (*c == '/')
			c++;
		len = strcspn(c, "/");
		if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return "a stack path may not contain '.' or '..' components";
	}
	name = name ? name + 1 : path;
	if (!*name)
		return "not a stack name";
	if (name[0] == '.')
		return "a stack name may not begin with '.' (list would not show it)";
	if (name[0] == '-')
		return "a stack name may not begin with '-' (it would look like an option)";
	for (u = (const unsigned char *)name; *u; u++)
		if (*u <= ' ' || *u == 0x7f)
			return "a stack name may not contain blanks or control characters";
	return NULL;
}

/**
 * stacktool_warn_shadow() - say that a bare NAME names one of two stacks
 * @name:	a bare NAME
 */
void stacktool_warn_shadow(const char *name)
{
	if (!stack_name_shadowed(name))
		return;
	fputs("netsup-stack: warning: ", stderr);
	stacktool_print_text(stderr, name, 0);
	fputs(" is two stacks: " NS_DIR "/", stderr);
	stacktool_print_text(stderr, name, 0);
	fputs(", which netsup and netsup-stack use for a bare name, and /run/netns/", stderr);
	stacktool_print_text(stderr, name, 0);
	fputs(", which ip netns uses\n", stderr);
}

/**
 * stacktool_resolve() - the path of STACK, looked up as netsup does
 * @spec:	a path, or a bare NAME
 * @buf:	receives the path
 * @len:	size of @buf
 *
 * Return: 0 (also for a NAME that does not exist: @buf is then
 *	   /dev/net/NAME), or 1 after reporting an unusable name
 */
int stacktool_resolve(const char *spec, char *buf, size_t len)
{
	int rc = stack_resolve_name(spec, buf, len);

	if (rc == -EINVAL)
		return stacktool_fail(spec, "not a stack name");
	if (rc && rc != -ENOENT)
		return stacktool_fail(spec, stacktool_why(rc));
	if (!rc && !strchr(spec, '/'))
		stacktool_warn_shadow(spec);
	return 0;
}

/**
 * stacktool_entry_open() - open the directory of @path once, for del
 * @path:	DIR/NAME (or NAME: the current directory)
 * @e:		receives the directory, its fstat() and NAME;
 *		stacktool_entry_close() it (also after an error)
 *
 * O_NOFOLLOW: a DIR that is a symbolic link is refused, and whatever
 * happens to DIR's path afterwards (renamed, a link put in its place),
 * NAME is looked at and removed in the directory opened here, with the
 * *at() calls.  Root removing a user's stack so never removes a file
 * elsewhere.
 *
 * Return: 0, -EINVAL (no NAME: "", ".", "..", a trailing '/'), -ELOOP
 *	   (DIR is a symbolic link), -ENAMETOOLONG, -errno of open(2)
 */
int stacktool_entry_open(const char *path, struct stacktool_entry *e)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	size_t dlen;

	memset(e, 0, sizeof(*e));
	e->dir = -1;
	e->name = slash ? slash + 1 : path;
	if (!*e->name || !strcmp(e->name, ".") || !strcmp(e->name, ".."))
		return -EINVAL;
	dlen = slash ? (size_t)(slash - path) : 0;
	if (dlen >= sizeof(dir))
		return -ENAMETOOLONG;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (!dlen)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
	e->dir = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (e->dir < 0)
		return errno == ENOTDIR && !lstat(dir, &e->st) && S_ISLNK(e->st.st_mode) ? -ELOOP : -errno;
	return fstat(e->dir, &e->st) ? -errno : 0;
}

/**
 * stacktool_entry_close() - close what stacktool_entry_open() opened
 * @e:		the entry
 */
void stacktool_entry_close(struct stacktool_entry *e)
{
	if (e->dir >= 0)
		close(e->dir);
	e->dir = -1;
}
