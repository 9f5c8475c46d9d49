/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text from outside (a process's name: any bytes but NUL) made safe for
 * formats that want valid UTF-8: JSON, Prometheus labels, a monitoring
 * plugin's line. */
#ifndef ASCONF_COMMON_UTF8_H
#define ASCONF_COMMON_UTF8_H

#include <stddef.h>

/* U+FFFD, what every byte that cannot stay becomes. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none.
 * Overlong forms, surrogates and values past U+10FFFF are not valid. */
size_t utf8_len(const unsigned char *s, size_t n);

/* src into dst (len > 0 bytes, always terminated, cut only between
 * characters), each byte of an invalid sequence, each control character
 * (below 0x20, and 0x7f) and each byte of also (NULL: none) replaced by
 * UTF8_REPLACEMENT. */
void utf8_clean(char *dst, size_t len, const char *src, const char *also);

#endif
