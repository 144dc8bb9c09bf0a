/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * msocket.h - open sockets in the networking stack a file names
 *
 * int msocket(const char *path, int domain, int type, int protocol);
 *
 * path names a stack (a network-namespace file such as /dev/net/red or
 * /run/netns/red, or the socket of a userspace stack); NULL is the calling
 * process's default stack for domain.  With type == SOCK_DEFAULT, path
 * becomes the default stack of domain (AF_UNSPEC: of every family the
 * stack serves) and msocket returns 0.  See msocket(3).
 */
#ifndef MSOCKET_H
#define MSOCKET_H

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* type value of msocket() that sets the default stack, as in vuos */
#ifndef SOCK_DEFAULT
#define SOCK_DEFAULT	0
#endif

/* system call number served by netsup (and by vuos) */
#define MSOCKET_SYSCALL	(-5)

int msocket(const char *path, int domain, int type, int protocol);

#ifdef __cplusplus
}
#endif

#endif /* MSOCKET_H */
