/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fdpass.h - a message with at most one descriptor over a UNIX socket
 */
#ifndef NETSUP_FDPASS_H
#define NETSUP_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

ssize_t fdpass_send(int sock, const void *buf, size_t len, int fd);
ssize_t fdpass_recv(int sock, void *buf, size_t len, int *fd, int flags);

#endif /* NETSUP_FDPASS_H */
