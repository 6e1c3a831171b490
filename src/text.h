/*
 * text.h: titles and excerpts to clean plain text.
 *
 * Output is always valid UTF-8 with entities decoded, control characters
 * removed and whitespace collapsed to single spaces (no leading or trailing
 * space). max_chars counts characters (code points), not bytes; 0 means no
 * limit; a cut happens on a word boundary and never splits a character.
 * Results are owned by the caller and never NULL.
 */
#ifndef FEEDFOLD_TEXT_H
#define FEEDFOLD_TEXT_H

#include <stddef.h>

/*
 * An HTML fragment (an RSS description, Atom html content) to plain text:
 * tags stripped with libxml2's HTML parser, script and style dropped, block
 * elements become spaces, HTML named and numeric entities decoded, bytes
 * repaired as text_utf8_fix() does. Stops parsing (and reading html) once
 * max_chars characters are collected. Text without '<' or '&' goes the
 * text_from_plain() way.
 */
char	*text_from_html(const char *html, size_t len, size_t max_chars);
/*
 * The same, and *fed (may be NULL) receives how many input bytes reached
 * the HTML parser: tests and benchmarks check with it that a long body was
 * not parsed to its end.
 */
char	*text_from_html_fed(const char *html, size_t len, size_t max_chars,
	    size_t *fed);

/*
 * Text that is already plain (entities decoded by the XML parser): the same
 * rules without tag parsing, so '<' and '&' stay as written.
 */
char	*text_from_plain(const char *s, size_t len, size_t max_chars);

/*
 * Make bytes valid UTF-8: valid sequences are kept, and each byte of an
 * invalid one (stray, truncated, overlong, above U+10FFFF) is read as
 * windows-1252, which is what a feed declaring UTF-8 but holding other
 * bytes almost always means. A CESU-8 surrogate pair becomes the character
 * it encodes; lone surrogates and NULs are dropped. Input that is already
 * valid comes back as an identical copy.
 */
char	*text_utf8_fix(const char *s, size_t len);
/* 1 when the len bytes at s are valid UTF-8 with no NUL (as text_utf8_fix
   would keep them unchanged), else 0. */
int	 text_utf8_valid(const char *s, size_t len);

/*
 * The UTF-8 of an HTML named character reference, name without '&' and
 * ';' (len bytes, case-sensitive: "eacute", "Atilde", "rsquo", "nbsp",
 * "apos"): returns the number of bytes written to out (1 to 4, not
 * NUL-terminated), or 0 for a name HTML does not define. Knows libxml2's
 * HTML 4 table (htmlEntityLookup) and the HTML5 names feeds use. The feed
 * parser recovers undefined entities in XML feeds with it.
 */
int	 text_entity_utf8(const char *name, size_t len, char out[8]);
/*
 * text.c's sorted tables (named references; block and skipped elements),
 * for the tests that check their order: NULL past the end.
 */
size_t	 text_entity_count(void);
const char *text_entity_name(size_t i);
size_t	 text_element_count(void);
const char *text_element_name(size_t i);

#endif
