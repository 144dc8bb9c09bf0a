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
 *
 * A TID names a thread, not a memory: when another thread of the caller
 * execs, the execing thread takes over the leader's TID, in a new program
 * (maybe set-user-ID, of another user).  A write by TID after a wait is
 * therefore a write into whatever program holds the TID then.  Writes go
 * through /proc/TID/mem instead (childmem_open()): the open file is bound
 * to the memory (mm) the thread had when it was opened, and after an exec
 * it reads and writes nothing (the old mm is gone: 0 bytes, -ESRCH here).
 * Opened while the notification is valid, and validated after the open,
 * it is the caller's memory for good (request.c).  It writes with the
 * kernel's FOLL_FORCE, as a debugger does: into a read-only private page
 * of the caller, where the kernel's own copy would fail with EFAULT, the
 * write lands (the caller's memory only; a shared mapping stays refused).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
	/* @buf is written, never read: callers pass fresh buffers */
	// cppcheck-suppress ctuuninitvar
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

/**
 * childmem_open() - open the memory of a thread, for later reads and writes
 * @tid:	thread id
 *
 * /proc/TID/mem needs ptrace access (PTRACE_MODE_ATTACH, checked at the
 * open only): the caller wears netsup's own credentials.  The caller then
 * validates the notification: only then is the file known to be bound to
 * the memory of the thread that made the call.
 *
 * Return: the descriptor (close-on-exec), -ESRCH, other -errno
 */
int childmem_open(pid_t tid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)tid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return fd;
}

/* The answer of pread/pwrite on /proc/TID/mem as 0 or -errno: 0 bytes is
 * a memory that is gone (the process exec'd or died), EIO an address with
 * nothing mapped. */
static int childmem_rw_result(ssize_t n, size_t len)
{
	if (n < 0)
		return errno == EIO || errno == EINVAL ? -EFAULT : -errno;
	if (n == 0 && len)
		return -ESRCH;
	return (size_t)n == len ? 0 : -EFAULT;
}

/**
 * childmem_pread() - copy exactly @len bytes from a memory of childmem_open()
 * @mem:	the descriptor
 * @addr:	address in the child
 * @buf:	destination
 * @len:	bytes to copy
 *
 * Return: 0, -EFAULT if any byte is unreadable, -ESRCH if that memory is
 *	   gone (its process exec'd or exited), other -errno
 */
int childmem_pread(int mem, uint64_t addr, void *buf, size_t len)
{
	if (addr + len < addr || addr + len > (uint64_t)INT64_MAX)
		return -EFAULT;
	if (!len)
		return 0;
	return childmem_rw_result(pread(mem, buf, len, (off_t)addr), len);
}

/**
 * childmem_pwrite() - copy exactly @len bytes into a memory of childmem_open()
 * @mem:	the descriptor
 * @addr:	address in the child
 * @buf:	source
 * @len:	bytes to copy
 *
 * Return: 0, -EFAULT if any byte is not mapped, -ESRCH if that memory is
 *	   gone (its process exec'd or exited), other -errno
 */
int childmem_pwrite(int mem, uint64_t addr, const void *buf, size_t len)
{
	if (addr + len < addr || addr + len > (uint64_t)INT64_MAX)
		return -EFAULT;
	if (!len)
		return 0;
	return childmem_rw_result(pwrite(mem, buf, len, (off_t)addr), len);
}
