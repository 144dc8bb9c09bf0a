/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * proctitle.h - what ps and pgrep show for a process of netsup's
 */
#ifndef NETSUP_PROCTITLE_H
#define NETSUP_PROCTITLE_H

int proctitle_set(char **argv, const char *title, const char *comm);

#endif /* NETSUP_PROCTITLE_H */
