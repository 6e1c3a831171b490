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
 * elements become spaces, HTML named and numeric entities decoded. Stops
 * working once max_chars characters are collected.
 */
char	*text_from_html(const char *html, size_t len, size_t max_chars);

/* Text that is already plain (entities decoded by the XML parser). */
char	*text_from_plain(const char *s, size_t len, size_t max_chars);

/*
 * Make bytes valid UTF-8: valid sequences are kept, and each byte of an
 * invalid one is read as windows-1252 (what a feed declaring UTF-8 but
 * holding windows-1252 means). Lone surrogates and NULs are dropped.
 */
char	*text_utf8_fix(const char *s, size_t len);

#endif
