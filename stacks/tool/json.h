/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * json.h - the little JSON that netsup-stack's --json output needs
 */
#ifndef NETSUP_JSON_H
#define NETSUP_JSON_H

#include <stddef.h>
#include <stdio.h>

void json_string(FILE *f, const char *s);
void json_string_len(FILE *f, const char *s, size_t len);

#endif /* NETSUP_JSON_H */
