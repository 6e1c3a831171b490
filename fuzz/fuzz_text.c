/*
 * fuzz_text.c: libFuzzer target for text_from_html(), text_from_plain(),
 * text_utf8_fix() and text_entity_utf8().
 *
 * The first byte picks max_chars; the rest is the text. Every result must
 * be valid UTF-8 with no control characters, no leading, trailing or
 * double spaces, and at most max_chars characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Count code points of valid UTF-8; abort on anything else. */
static size_t
fuzz_text_check_utf8(const char *s, int plain)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 chars = 0, n, i;
	uint32_t		 cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			n = 1;
			cp = *p;
		} else if (*p >= 0xc2 && *p <= 0xdf) {
			n = 2;
			cp = *p & 0x1f;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			n = 3;
			cp = *p & 0x0f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 4;
			cp = *p & 0x07;
		} else
			abort();
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				abort();
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			abort();
		if (plain) {
			if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
				abort();
			if (cp == ' ' && (chars == 0 || p[1] == ' ' ||
			    p[1] == '\0'))
				abort();
		}
		p += n;
		chars++;
	}
	return (chars);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*out, utf8[8];
	size_t	 max;

	if (size < 1 || size > 1 << 20)
		return (0);
	max = data[0] % 64;
	data++;
	size--;

	out = text_from_html((const char *)data, size, max);
	if (fuzz_text_check_utf8(out, 1) > max && max > 0)
		abort();
	free(out);

	out = text_from_plain((const char *)data, size, max);
	if (fuzz_text_check_utf8(out, 1) > max && max > 0)
		abort();
	free(out);

	out = text_utf8_fix((const char *)data, size);
	fuzz_text_check_utf8(out, 0);
	free(out);

	if (size <= 40) {
		int	n = text_entity_utf8((const char *)data, size, utf8);

		if (n < 0 || n > 4)
			abort();
	}
	return (0);
}
