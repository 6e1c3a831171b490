/*
 * text.c: placeholder until the text module lands (issue 3).
 */
#include "text.h"
#include "xmalloc.h"

char *
text_from_html(const char *html, size_t len, size_t max_chars)
{
	(void)max_chars;
	return xstrndup(html, len);
}

char *
text_from_plain(const char *s, size_t len, size_t max_chars)
{
	(void)max_chars;
	return xstrndup(s, len);
}

char *
text_utf8_fix(const char *s, size_t len)
{
	return xstrndup(s, len);
}
