// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - JSON strings for netsup-stack's --json output
 *
 * Paths, interface names and command lines are bytes, not text: any of
 * them may hold control characters or bytes that are not UTF-8.  Valid
 * UTF-8 is written as it is; '"', '\\' and control characters are
 * escaped; a byte that is not part of valid UTF-8 is written as the code
 * point of the same number (\u0080 to \u00ff), so that the output is
 * always valid JSON.
 */
#include <string.h>

#include "json.h"

/**
 * json_utf8_len() - length of the valid UTF-8 sequence at @s
 * @s:		bytes
 * @len:	how many there are
 *
 * Return: 2 to 4 for a valid multi-byte sequence, 0 if @s does not start
 *	   one (overlong forms and surrogates are invalid)
 */
static size_t json_utf8_len(const unsigned char *s, size_t len)
{
	size_t need, i;
	unsigned int cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1fU;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0fU;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07U;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fU);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return need;
}

/**
 * json_string_len() - write @len bytes of @s as a JSON string, quoted
 * @f:		where to
 * @s:		the bytes
 * @len:	how many
 */
void json_string_len(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	fputc('"', f);
	while (i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (c >= 0x80) {
			n = json_utf8_len(p + i, len - i);
			if (!n) {
				fprintf(f, "\\u%04x", c);
				i++;
				continue;
			}
			fwrite(p + i, 1, n, f);
			i += n;
			continue;
		} else {
			fputc(c, f);
		}
		i++;
	}
	fputc('"', f);
}

/**
 * json_string() - write the C string @s as a JSON string, quoted
 * @f:		where to
 * @s:		the string
 */
void json_string(FILE *f, const char *s)
{
	json_string_len(f, s, strlen(s));
}
