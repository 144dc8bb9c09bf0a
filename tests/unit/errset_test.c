// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * errset_test - the errnos that may leave netsup for a child
 */
#include <errno.h>

#include "unit.h"
#include "errset.h"

static void socket_errors_documented_pass(void)
{
	static const int pass[] = {
		EACCES, EAFNOSUPPORT, EINVAL, EMFILE, ENFILE, ENOBUFS, ENOMEM,
		EPROTONOSUPPORT, ESOCKTNOSUPPORT, EPERM, ENOENT, ENOTSUP, EFAULT,
		ENAMETOOLONG, ENETDOWN, EIO, EAGAIN, ENOSYS,
	};
	size_t i;

	for (i = 0; i < UNIT_ARRAY_SIZE(pass); i++)
		UNIT_EQ(errset_filter(ERRSET_SOCKET, -pass[i]), -pass[i]);
}

static void socket_transport_is_enetdown(void)
{
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -ECONNREFUSED), -ENETDOWN);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -ETIMEDOUT), -ENETDOWN);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -EPROTO), -ENETDOWN);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -EPIPE), -ENETDOWN);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -ECONNRESET), -ENETDOWN);
}

static void socket_unknown_is_eio(void)
{
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -EXDEV), -EIO);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -EISCONN), -EIO);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, -ESRCH), -EIO);
}

static void calls_keep_their_own(void)
{
	UNIT_EQ(errset_filter(ERRSET_CALL, -ECONNREFUSED), -ECONNREFUSED);
	UNIT_EQ(errset_filter(ERRSET_CALL, -ETIMEDOUT), -ETIMEDOUT);
	UNIT_EQ(errset_filter(ERRSET_CALL, -EINPROGRESS), -EINPROGRESS);
}

static void never_out_of_range(void)
{
	UNIT_EQ(errset_filter(ERRSET_CALL, -512), -EIO);	/* ERESTARTSYS */
	UNIT_EQ(errset_filter(ERRSET_CALL, -4095), -EIO);
	UNIT_EQ(errset_filter(ERRSET_SOCKET, 0), -EIO);
	UNIT_EQ(errset_filter(ERRSET_CALL, 7), -EIO);
}

static const struct unit_case cases[] = {
	{ "errset: socket()'s documented errnos pass unchanged", socket_errors_documented_pass },
	{ "errset: a stack daemon's transport failing is ENETDOWN", socket_transport_is_enetdown },
	{ "errset: an errno socket() cannot return becomes EIO", socket_unknown_is_eio },
	{ "errset: forwarded calls keep the stack's errno", calls_keep_their_own },
	{ "errset: kernel-internal and out-of-range codes never leave", never_out_of_range },
};

UNIT_MAIN(cases)
