/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * userstack.h - stacks of a normal user: the per-user directory, the
 * holder processes that keep its namespaces alive, and joining the user
 * namespace that owns one (userstack.c)
 */
#ifndef NETSUP_USERSTACK_H
#define NETSUP_USERSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* below the directory, beside NAME: ".NAME" USERSTACK_RECORD, "PID START\n" */
#define USERSTACK_RECORD	".holder"
/* without XDG_RUNTIME_DIR: USERSTACK_FALLBACK "EUID" */
#define USERSTACK_FALLBACK	"/tmp/netsup-"
#define USERSTACK_SUBDIR	"netsup"
/* below $HOME: a link to the private directory used when another user
 * has taken USERSTACK_FALLBACK "EUID" */
#define USERSTACK_PRIVATE_RECORD	".cache/netsup-userdir"

int userstack_numbers(const char *text, unsigned long long *v, int n);
bool userstack_consulted(void);
unsigned int userstack_uid(void);
int userstack_dir(char *buf, size_t len);
int userstack_dir_check(const char *dir);
int userstack_private_record(char *buf, size_t len);
int userstack_record_path(const char *path, char *buf, size_t len);
int userstack_starttime(pid_t pid, unsigned long long *start);
int userstack_holder(const char *path, pid_t *pid, unsigned long long *start);
int userstack_lookup(const char *name, char *buf, size_t len);
int userstack_join_owner(int nsfd);

#endif /* NETSUP_USERSTACK_H */
