// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netsup-stack-msg.c - what netsup-stack says: its --help, its errors, and
 * text that users chose, made safe for a terminal
 *
 * An error is one line on stderr, "netsup-stack: FILE: REASON"
 * (stacktool_fail()), and exit status 1; a usage error says what was wrong
 * and where the summary is (stacktool_usage_error()), exit status 2.  Both
 * are written by the common logger (common/log.c), which escapes them as
 * netsup's own messages are: a file name cannot forge a line.  In the
 * output proper (list, info, ps), names that users chose (files,
 * processes, interfaces, a daemon's description) are printed with their
 * control characters as '?', padded to their columns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netsup-stack.h"
#include "stackps.h"
#include "../userstack.h"

/**
 * stacktool_usage() - print the summary of the commands (--help)
 * @f:		where to
 * @status:	exit status to return
 * @cmds:	the commands, a synopsis each, in the order shown
 * @n:		how many
 *
 * Return: @status
 */
int stacktool_usage(FILE *f, int status, const struct stacktool_cmd *cmds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s netsup-stack %s %s\n", i ? "      " : "Usage:", cmds[i].name,
			cmds[i].usage);
	fprintf(f,
		"       netsup-stack --help | --version\n"
		"Create, remove, list and describe networking stacks (network namespaces,\n"
		"and userspace stacks served by netsup-lwip), and show the processes that\n"
		"use one.\n"
		"\n"
		"  -f, --force     del: remove the stack even if it is in use\n"
		"      --json      list, info, ps, identify: print JSON\n"
		"      --lwip      add: a userspace stack, an lwIP daemon (netsup-lwip)\n"
		"      --link URL  add --lwip: its link, a libvdeplug URL (tap://NAME,\n"
		"                  vde:///PATH, slirp://, ...); required\n"
		"      --ip ADDR/LEN, --gw ADDR, --ip6 ADDR/LEN, --gw6 ADDR, --mtu N\n"
		"                  add --lwip: its addresses, gateways and MTU\n"
		"      --netns PATH  add --lwip: open a tap:// link in that namespace\n"
		"      --log FILE  add --lwip: the daemon's diagnostics (default: syslog)\n"
		"  -v, --verbose   add --lwip: the daemon's -v (given twice: more)\n"
		"  -h, --help      print this help and exit\n"
		"  -V, --version   print the version and exit\n"
		"\n"
		"STACK is a path, or a NAME without '/': " NS_DIR "/NAME if that exists,\n"
		"else /run/netns/NAME, else (not for root) USERDIR/NAME; add makes\n"
		NS_DIR "/NAME.  list shows " NS_DIR ", /run/netns and USERDIR.\n"
		"Without root, add NAME makes a namespace kept by a holder process and named\n"
		"USERDIR/NAME (del ends the holder); USERDIR is $XDG_RUNTIME_DIR/netsup, or\n"
		USERSTACK_FALLBACK "UID without XDG_RUNTIME_DIR (if another user took that\n"
		"name: a private " USERSTACK_FALLBACK "UID.XXXXXX, recorded in $HOME/"
		USERSTACK_PRIVATE_RECORD ").\n"
		"Root's del ends only a holder of the directory's owner, a daemon only\n"
		"if it listens on the socket, and removes names only in the directory\n"
		"it opened first.\n"
		"Options may follow the operands; \"--\" ends them.\n");
	return status;
}

/**
 * stacktool_fail() - report an error about a file
 * @path:	the file
 * @why:	the reason
 *
 * Return: 1, the exit status of an error
 */
int stacktool_fail(const char *path, const char *why)
{
	log_msg(LOG_ERR, "%s: %s", path, why);
	return 1;
}

/**
 * stacktool_why() - short reason for an error, for messages
 * @error:	negative errno
 *
 * Return: static string
 */
const char *stacktool_why(int error)
{
	switch (-error) {
	case EEXIST:	return "exists";
	case EBUSY:	return "busy";
	case EPERM:
	case EACCES:	return "permission denied";
	case ENOTSUP:	return "not a stack";
	case ENOENT:	return "no such file";
	case ESTALE:	return "its holder process is gone (del removes the name)";
	default:	return strerror(-error);
	}
}

/**
 * stacktool_errno() - the last error, as -errno, never 0
 *
 * Return: -errno, or -EIO if errno is 0
 */
int stacktool_errno(void)
{
	int e = errno;

	return e > 0 ? -e : -EIO;
}

/**
 * stacktool_print_text() - bytes for a terminal: control characters as '?'
 * @f:		where to
 * @s:		the text (a path, a name, a daemon's description)
 * @width:	pad with blanks to this many bytes (0: none)
 *
 * Whatever a user or a daemon chose (a file name, a process name) could
 * otherwise forge lines or send escape sequences to root's terminal.
 */
void stacktool_print_text(FILE *f, const char *s, int width)
{
	stackps_print_safe(f, s, strlen(s), width);
}
