// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-kind.c - which commands serve which kind of stack
 *
 * del, info, list and ps find the kind of the file a name resolves to
 * (stack_kind_of(), stacks/stack.c: nothing is opened or connected) and
 * hand it to that kind's row.  A namespace is the tool's default: its
 * commands are the generic ones (netsup-stack-del.c, netsup-stack-info.c),
 * which also know a user's stacks kept by a holder process and say why a
 * file is no stack at all.  A new kind is a row here beside its file.
 */
#include <stddef.h>

#include "netsup-stack.h"
#include "../stack.h"
#include "../../common/util.h"

static const struct stacktool_kind stacktool_kinds[] = {
	{
		.kind		= &userspace_kind,
		.del		= stacklwip_del,
		.info		= stacklwip_info,
		.list_entry	= stacklwip_list_entry,
		.ps		= stacklwip_ps,
	},
};

/**
 * stacktool_kind_of() - the commands of the kind of stack at @path
 * @path:	a resolved stack path
 *
 * Return: the kind's row, or NULL for a namespace, a name whose holder is
 *	   gone, or anything else: the generic commands' business
 */
const struct stacktool_kind *stacktool_kind_of(const char *path)
{
	const struct stack_kind *k = stack_kind_of_path(path);
	size_t i;

	for (i = 0; k && i < ARRAY_SIZE(stacktool_kinds); i++)
		if (stacktool_kinds[i].kind == k)
			return &stacktool_kinds[i];
	return NULL;
}
