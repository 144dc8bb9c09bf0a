/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * nscookie.h - which network namespace a socket is in, without a descriptor
 *
 * SO_NETNS_COOKIE (Linux 5.14) gives the 64-bit cookie of a socket's
 * namespace, never reused while the machine runs, and needs no privilege
 * (SIOCGSKNS, which opens the namespace, wants CAP_NET_ADMIN over it).
 */
#ifndef NETSUP_NSCOOKIE_H
#define NETSUP_NSCOOKIE_H

#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE	71
#endif

/* The cookie of the namespace of the socket @fd, or 0. */
static inline uint64_t nscookie_of(int fd)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);

	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		return 0;
	return cookie;
}

/* The cookie of the namespace the calling thread is in, or 0. */
static inline uint64_t nscookie_here(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint64_t cookie;

	if (fd < 0)
		return 0;
	cookie = nscookie_of(fd);
	close(fd);
	return cookie;
}

#endif /* NETSUP_NSCOOKIE_H */
