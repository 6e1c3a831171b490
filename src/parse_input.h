/*
 * parse_input.h: feed bytes to a stream libxml2 can parse without losing
 * content.
 *
 * Two jobs, both before libxml2 sees a byte. First the encoding is chosen
 * as RFC 7303 says: a byte order mark, then the HTTP charset, then the XML
 * declaration, then UTF-8, with the labels browsers treat as supersets read
 * as those supersets (ISO-8859-1 as windows-1252, GB2312 as GB18030, ...).
 * Then, for ASCII-compatible encodings, the bytes are filtered the way a
 * browser would read them: a bare "&" becomes "&#x26;", every named
 * reference XML or HTML defines (&amp; &nbsp; &eacute; &rsquo; ...) becomes
 * a (hexadecimal) character reference, control characters become spaces,
 * and in a document read as UTF-8 every byte that is not valid UTF-8 is
 * read as windows-1252. CDATA sections pass untouched. libxml2 would
 * otherwise stop at the first bare "&", and drops every named reference
 * after its first error of any kind.
 */
#ifndef FEEDFOLD_PARSE_INPUT_H
#define FEEDFOLD_PARSE_INPUT_H

#include <stddef.h>

/* Bytes the encoding choice may look at (BOM and XML declaration). */
#define PARSE_INPUT_PROBE	1024

struct parse_input;

/*
 * Choose the encoding of a document that starts with probe (len bytes,
 * all of it if the document is shorter than PARSE_INPUT_PROBE). Returns
 * the iconv name of the encoding, or NULL for UTF-8; *skip is set to the
 * length of a byte order mark to drop. usable(name) says whether an
 * encoding can be decoded; labels it refuses are passed over (NULL:
 * every label is taken).
 */
const char	*parse_input_encoding(const char *probe, size_t len,
		    const char *http_charset, int (*usable)(const char *),
		    size_t *skip);

/*
 * A filter for a document in encoding (NULL: UTF-8, repaired as it goes).
 * Never NULL.
 */
struct parse_input *parse_input_new(const char *encoding);
/*
 * Filter the next len bytes; final is nonzero for the last call. Returns
 * the bytes to hand to libxml2 (*outlen of them), valid until the next
 * call. A construct split across calls (an entity, a UTF-8 sequence) is
 * held back until the rest arrives.
 */
const char	*parse_input_filter(struct parse_input *, const char *in,
		    size_t len, int final, size_t *outlen);
/*
 * Nonzero when the filter decodes the encoding itself (windows-1252) and
 * hands libxml2 UTF-8: the caller then sets no encoding on libxml2.
 */
int		 parse_input_decodes(const struct parse_input *);
/*
 * Whether filters made from now on scan with AVX2, where the processor
 * has it (the output is the same either way): allow 0 turns it off, 1
 * lets the processor decide, -1 only asks. For tests and benchmarks that
 * compare the two; the daemon never calls it.
 */
int		 parse_input_avx2(int allow);
void		 parse_input_free(struct parse_input *);

#endif
