// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ifioctl.c - interface ioctls of a child, answered from its stack
 *
 * The SIOCGIF* ioctls (netdevice(7)) are answered by the kernel from the
 * network namespace of the socket they are made on.  glibc's
 * if_nametoindex(3) and if_indextoname(3) use an AF_UNIX socket, which
 * lives in the child's own namespace whatever its default stack: without
 * help, "ping fe80::1%veth0" would look veth0 up on the host, or find the
 * host's eth0 where the stack has its own.  So netsup makes the same
 * request on a socket of its own in the stack, with the child's
 * credentials, and copies the answer back (process_vm_writev(2), Linux
 * 3.2): struct ifreq for most requests, struct ifconf and the array it
 * points to for SIOCGIFCONF.  Native x86-64 layouts only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>

#include "childmem.h"
#include "ifioctl.h"

/* The most SIOCGIFCONF copies back: 1600 interfaces. */
#define IFIOCTL_CONF_MAX	((int)(1600 * sizeof(struct ifreq)))

/* SIOCGIFCONF: the array goes where the child's ifc_buf points. */
static int ifioctl_conf(pid_t tid, int sock, uint64_t arg)
{
	struct ifconf ifc = { 0 }, mine = { 0 };
	char *buf = NULL;
	int rc;

	rc = childmem_read(tid, arg, &ifc, sizeof(ifc));
	if (rc)
		return rc;
	if (ifc.ifc_buf && ifc.ifc_len > 0) {
		mine.ifc_len = ifc.ifc_len < IFIOCTL_CONF_MAX ? ifc.ifc_len : IFIOCTL_CONF_MAX;
		buf = calloc(1, (size_t)mine.ifc_len);
		if (!buf)
			return -ENOMEM;
		mine.ifc_buf = buf;
	}
	rc = ioctl(sock, SIOCGIFCONF, &mine) ? -errno : 0;
	if (!rc && buf)
		rc = childmem_write(tid, (uint64_t)(uintptr_t)ifc.ifc_buf, buf,
				    (size_t)mine.ifc_len);
	if (!rc)
		rc = childmem_write(tid, arg + offsetof(struct ifconf, ifc_len),
				    &mine.ifc_len, sizeof(mine.ifc_len));
	free(buf);
	return rc;
}

/**
 * ifioctl_emulate() - make a child's interface ioctl on @sock instead
 * @tid:	the child's thread
 * @sock:	a socket in the stack that should answer
 * @req:	the request, one of those filter.c notifies
 * @arg:	its argument, an address in the child
 *
 * Return: 0, or -errno (the kernel's answer on @sock, or -EFAULT)
 */
int ifioctl_emulate(pid_t tid, int sock, unsigned long req, uint64_t arg)
{
	struct ifreq ifr = { 0 };
	int rc;

	if (req == SIOCGIFCONF)
		return ifioctl_conf(tid, sock, arg);
	rc = childmem_read(tid, arg, &ifr, sizeof(ifr));
	if (rc)
		return rc;
	if (ioctl(sock, req, &ifr))
		return -errno;
	return childmem_write(tid, arg, &ifr, sizeof(ifr));
}
