// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdint.h>
#include <string.h>

#include "utf8.h"

size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

void utf8_clean(char *dst, size_t len, const char *src, const char *also)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = strlen(src), out = 0;

	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(s + i, n - i);
		const char *put = src + i;

		if (!k || (k == 1 && (s[i] < 0x20 || s[i] == 0x7f || (also && strchr(also, s[i]))))) {
			put = UTF8_REPLACEMENT;
			i++;
			k = sizeof(UTF8_REPLACEMENT) - 1;
		} else {
			i += k;
		}
		if (out + k >= len)
			break;
		memcpy(dst + out, put, k);
		out += k;
	}
	dst[out] = '\0';
}
