/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * childmem.h - reading arguments from a supervised process's memory
 */
#ifndef NETSUP_CHILDMEM_H
#define NETSUP_CHILDMEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int childmem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
int childmem_read_string(pid_t tid, uint64_t addr, char *buf, size_t len);
int childmem_write(pid_t tid, uint64_t addr, const void *buf, size_t len);
int childmem_open(pid_t tid);
int childmem_pread(int mem, uint64_t addr, void *buf, size_t len);
int childmem_pwrite(int mem, uint64_t addr, const void *buf, size_t len);

#endif /* NETSUP_CHILDMEM_H */
