/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ifioctl.h - interface ioctls of a child, answered from its stack
 */
#ifndef NETSUP_IFIOCTL_H
#define NETSUP_IFIOCTL_H

#include <stdint.h>
#include <sys/types.h>

int ifioctl_emulate(pid_t tid, int sock, unsigned long req, uint64_t arg);

#endif /* NETSUP_IFIOCTL_H */
