// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy.c - which stacks a supervised process may name in msocket()
 *
 * First, a child names a stack by a path it resolves and opens itself,
 * with its own credentials (notify.c): it never reaches a stack file it
 * could not open.  On top of that:
 * - without --allow, the network namespace of init (/proc/1/ns/net) and
 *   netsup's own are refused unless they are a default: under --isolate,
 *   or with defaults elsewhere, they are exactly what the child should
 *   not get back by asking;
 * - with --allow, only the listed stacks and the defaults are served,
 *   to root children too.
 * Stacks are compared by namespace identity (nsfs dev and inode), so no
 * other path to the same namespace gets around a rule.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"
#include "../common/util.h"

static bool policy_has(const struct policy_id *ids, size_t n, const struct stack *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i].dev == s->dev && ids[i].ino == s->ino)
			return true;
	return false;
}

/**
 * policy_init() - the default policy: init's and netsup's stacks refused
 * @p:		the policy
 *
 * Return: 0 or -errno
 */
int policy_init(struct policy *p)
{
	static const char *const own[] = { "/proc/1/ns/net", "/proc/self/ns/net" };
	struct stat st;
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < ARRAY_SIZE(own); i++) {
		if (stat(own[i], &st)) {
			/* init out of netsup's reach is out of the child's too */
			if (i == 0 && (errno == EACCES || errno == EPERM))
				continue;
			return -errno;
		}
		p->denied[p->n_denied].dev = st.st_dev;
		p->denied[p->n_denied].ino = st.st_ino;
		p->n_denied++;
	}
	return 0;
}

/**
 * policy_allow() - allow a stack (--allow, or a default)
 * @p:		the policy
 * @s:		the stack
 *
 * Return: 0, or -E2BIG past POLICY_MAX stacks
 */
int policy_allow(struct policy *p, const struct stack *s)
{
	if (policy_has(p->allowed, p->n_allowed, s))
		return 0;
	if (p->n_allowed >= POLICY_MAX)
		return -E2BIG;
	p->allowed[p->n_allowed].dev = s->dev;
	p->allowed[p->n_allowed].ino = s->ino;
	p->n_allowed++;
	return 0;
}

/**
 * policy_check() - may a child use this stack through msocket()?
 * @p:		the policy
 * @s:		the stack, opened with the child's credentials
 *
 * Return: 0, or -EACCES
 */
int policy_check(const struct policy *p, const struct stack *s)
{
	if (policy_has(p->allowed, p->n_allowed, s))
		return 0;
	if (p->restricted || policy_has(p->denied, p->n_denied, s))
		return -EACCES;
	return 0;
}
