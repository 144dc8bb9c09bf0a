// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * errset.c - the errnos a child may receive, where answers leave netsup
 *
 * As libseccomp's _rc_filter() lets only its documented errors out of its
 * API, every answer netsup sends passes errset_filter() on its way to the
 * child (request_reply()).  socket(2) and msocket(3) get exactly the list
 * of msocket(3): what a namespace's socket(2) returns, netsup's own
 * (ENOENT, ENOTSUP, EACCES...), and ENETDOWN for a stack that is gone or
 * does not answer.  What the transport to a stack daemon says
 * (ECONNREFUSED from a stack socket nobody listens on, ETIMEDOUT, EPROTO
 * for a malformed reply, EPIPE, ECONNRESET) means exactly that: ENETDOWN.
 * Anything else, a bug of ours or a daemon's invention, becomes EIO and
 * never reaches the program as a code it would misread.
 *
 * Forwarded calls (connect, accept, recvfrom...) keep the stack's own
 * errno: ECONNREFUSED from connect() is the peer's answer.  Only codes no
 * system call may return (the kernel's internal ERESTART* and such, and
 * anything out of range) become EIO there.
 */
#include <errno.h>
#include <stdbool.h>

#include "errset.h"
#include "../common/util.h"

/* msocket(3)'s ERRORS, with socket(2)'s own inside a stack */
static const int errset_socket[] = {
	EACCES, EAFNOSUPPORT, EAGAIN, EFAULT, EINVAL, EIO, EMFILE, ENAMETOOLONG,
	ENETDOWN, ENFILE, ENOBUFS, ENOENT, ENOMEM, ENOSYS, ENOTSUP, EPERM,
	EPROTONOSUPPORT, ESOCKTNOSUPPORT, ELOOP, ENOTDIR,
};

/* what the transport to a daemon says: the stack is not there */
static const int errset_transport[] = {
	ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EPROTO, ENOTCONN,
	ECONNABORTED, EHOSTDOWN,
};

static bool errset_has(const int *set, unsigned int n, int e)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (set[i] == e)
			return true;
	return false;
}

/**
 * errset_filter() - the errno the child may receive
 * @set:	the documented set of the call answered
 * @error:	-errno as netsup decided it
 *
 * Return: @error, or the -errno of the set that stands for it
 */
int errset_filter(enum errset set, int error)
{
	int e = -error;

	if (e <= 0 || e >= 512)		/* 512..: ERESTARTSYS and the like */
		return -EIO;
	if (set == ERRSET_CALL)
		return error;
	if (errset_has(errset_socket, ARRAY_SIZE(errset_socket), e))
		return error;
	if (errset_has(errset_transport, ARRAY_SIZE(errset_transport), e))
		return -ENETDOWN;
	return -EIO;
}
