// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * childmem.c - reading arguments from a supervised process's memory
 *
 * process_vm_readv(2) (Linux 3.2) copies from the child (and
 * process_vm_writev(2) to it, for answers that go into its memory) without opening
 * /proc/PID/mem and without stopping it.  What it returns is untrusted and
 * may change under our feet (another thread of the child can rewrite it):
 * callers copy once, use only the copy, and re-validate the notification
 * with SECCOMP_IOCTL_NOTIF_ID_VALID after the read, which proves that the
 * TID still names the thread that made the call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "childmem.h"

/**
 * childmem_read() - copy exactly @len bytes from the child
 * @tid:	thread id
 * @addr:	address in the child
 * @buf:	destination
 * @len:	bytes to copy
 *
 * Return: 0, -EFAULT if any byte is unreadable, -ESRCH, other -errno
 */
int childmem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (addr + len < addr)
		return -EFAULT;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

/**
 * childmem_read_string() - copy a NUL-terminated string from the child
 * @tid:	thread id
 * @addr:	address of the string in the child
 * @buf:	destination, NUL-terminated on success
 * @len:	size of @buf: the longest string accepted is @len - 1
 *
 * Reads page by page, so that a short string at the end of a mapping is
 * read whole without touching the unmapped page after it.
 *
 * Return: length of the string, -ENAMETOOLONG if no NUL within @len
 *	   bytes, -EFAULT, -ESRCH, other -errno
 */
int childmem_read_string(pid_t tid, uint64_t addr, char *buf, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), done = 0;

	if (!addr)
		return -EFAULT;
	while (done < len) {
		size_t chunk = page - ((addr + done) & (page - 1));
		struct iovec local, remote;
		char *nul;
		ssize_t n;

		if (chunk > len - done)
			chunk = len - done;
		local.iov_base = buf + done;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)(addr + done);
		remote.iov_len = chunk;
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n < 0)
			return errno == ENOENT ? -ESRCH : -errno;
		if (n == 0)
			return -EFAULT;
		nul = memchr(buf + done, '\0', (size_t)n);
		if (nul)
			return (int)(nul - buf);
		done += (size_t)n;
	}
	return -ENAMETOOLONG;
}

/**
 * childmem_write() - copy exactly @len bytes into the child
 * @tid:	thread id
 * @addr:	address in the child
 * @buf:	source
 * @len:	bytes to copy
 *
 * Return: 0, -EFAULT if any byte is not writable, -ESRCH, other -errno
 */
int childmem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (addr + len < addr)
		return -EFAULT;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}
