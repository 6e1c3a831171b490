/*
 * parse_input.c: the encoding choice and the byte filter in front of
 * libxml2 (parse_input.h).
 *
 * The filter is one pass over the bytes with a copy loop for the runs that
 * need nothing, which is nearly all of a feed. What it cannot decide at the
 * end of a chunk (an "&" whose ";" may be in the next one, a UTF-8 sequence
 * cut in two, a "]]>" cut in two) it keeps and puts in front of the next.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/*
 * Where the compiler can build AVX2 code (GCC and Clang on x86-64), the
 * scan has a version for it too, chosen at run time: the machine the
 * binary was built for may not have it. -DPARSE_INPUT_NO_AVX2 leaves it
 * out.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(PARSE_INPUT_NO_AVX2)
#define PARSE_INPUT_AVX2 1
#include <immintrin.h>
#include <pthread.h>
#endif

#include <libxml/xmlstring.h>

#include "parse_input.h"
#include "text.h"
#include "xmalloc.h"

/* Longest entity name looked at; longer runs are text, not a reference. */
#define PARSE_INPUT_NAME_MAX	32
/* Longest construct kept for the next chunk. */
#define PARSE_INPUT_CARRY_MAX	64
/* Room a rewrite may need: an entity's up to 8 character references. */
#define PARSE_INPUT_SLACK	128

struct parse_input {
	int		 utf8;		/* validate and repair as UTF-8 */
	int		 cp1252;	/* decode windows-1252 here */
	int		 filter;	/* ASCII-compatible: filter at all */
	int		 cdata;		/* inside <![CDATA[ ... ]]> */
	int		 avx2;		/* the processor has AVX2 */
	unsigned char	 prev;		/* the byte before the next chunk's */
	char		 carry[PARSE_INPUT_CARRY_MAX];
	size_t		 ncarry;
	char		*work;		/* carry + input */
	size_t		 workcap;
	char		*out;
	size_t		 outcap;
};

/*
 * Labels read as the encodings browsers use for them (the WHATWG Encoding
 * Standard): each of these is a superset that real feeds labelled so rely
 * on. Sorted by label for bsearch (strcasecmp order).
 */
static const struct parse_input_alias {
	const char	*label;
	const char	*name;		/* NULL: UTF-8 */
} parse_input_aliases[] = {
	{ "ascii",		"CP1252" },
	{ "big5",		"BIG5-HKSCS" },
	{ "big5-hkscs",		"BIG5-HKSCS" },
	{ "cn-big5",		"BIG5-HKSCS" },
	{ "cp1252",		"CP1252" },
	{ "cp819",		"CP1252" },
	{ "cp936",		"GB18030" },
	{ "csbig5",		"BIG5-HKSCS" },
	{ "cseuckr",		"CP949" },
	{ "csgb2312",		"GB18030" },
	{ "csshiftjis",		"CP932" },
	{ "euc-cn",		"GB18030" },
	{ "euc-kr",		"CP949" },
	{ "gb2312",		"GB18030" },
	{ "gb_2312-80",		"GB18030" },
	{ "gbk",		"GB18030" },
	{ "ibm819",		"CP1252" },
	{ "iso-8859-1",		"CP1252" },
	{ "iso8859-1",		"CP1252" },
	{ "iso_8859-1",		"CP1252" },
	{ "ks_c_5601-1987",	"CP949" },
	{ "l1",			"CP1252" },
	{ "latin1",		"CP1252" },
	{ "ms_kanji",		"CP932" },
	{ "shift-jis",		"CP932" },
	{ "shift_jis",		"CP932" },
	{ "sjis",		"CP932" },
	{ "unicode-1-1-utf-8",	NULL },
	{ "us-ascii",		"CP1252" },
	{ "utf-8",		NULL },
	{ "utf8",		NULL },
	{ "windows-1252",	"CP1252" },
	{ "windows-31j",	"CP932" },
	{ "windows-949",	"CP949" },
	{ "x-cp1252",		"CP1252" },
	{ "x-gbk",		"GB18030" },
	{ "x-sjis",		"CP932" },
	{ "x-x-big5",		"BIG5-HKSCS" },
};

/*
 * windows-1252's 0x80 to 0x9F, as browsers read them (and &#128; to
 * &#159;); the five bytes it leaves undefined stay C1 controls (WHATWG).
 * 0xA0 and up are ISO-8859-1, the same code points.
 */
static const uint16_t parse_input_cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static int
parse_input_alias_cmp(const void *key, const void *elem)
{
	const struct parse_input_alias	*a = elem;

	return strcasecmp(key, a->label);
}

/*
 * The encoding a label names: *utf8 set for UTF-8, else the name to give
 * iconv. Returns NULL for a label that is empty or too long to be one.
 */
static const char *
parse_input_label(const char *label, size_t len, char *buf, size_t size,
    int *utf8)
{
	const struct parse_input_alias	*a;

	*utf8 = 0;
	while (len > 0 && (*label == ' ' || *label == '\t')) {
		label++;
		len--;
	}
	while (len > 0 && (label[len - 1] == ' ' || label[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= size)
		return NULL;
	memcpy(buf, label, len);
	buf[len] = '\0';
	a = bsearch(buf, parse_input_aliases,
	    sizeof parse_input_aliases / sizeof parse_input_aliases[0],
	    sizeof parse_input_aliases[0], parse_input_alias_cmp);
	if (a == NULL)
		return buf;
	if (a->name == NULL)
		*utf8 = 1;
	return a->name;
}

/* The encoding="..." of an XML declaration at the start of s, if any. */
static const char *
parse_input_declared(const char *s, size_t len, size_t *outlen)
{
	const char	*end, *p, *q;
	char		 quote;

	end = s + len;
	if (len < 6 || memcmp(s, "<?xml", 5) != 0)
		return NULL;
	for (p = s + 5; p < end - 1; p++) {
		if (p[0] == '?' && p[1] == '>')
			return NULL;
		if (*p != 'e' || (size_t)(end - p) < 9 ||
		    memcmp(p, "encoding", 8) != 0)
			continue;
		p += 8;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p == end || *p++ != '=')
			return NULL;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p == end || (*p != '"' && *p != '\''))
			return NULL;
		quote = *p++;
		for (q = p; q < end && *q != quote && *q != '?'; q++)
			;
		if (q == end || *q != quote)
			return NULL;
		*outlen = (size_t)(q - p);
		return p;
	}
	return NULL;
}

const char *
parse_input_encoding(const char *probe, size_t len, const char *http,
    int (*usable)(const char *), size_t *skip)
{
	static char		 buf[64];
	const unsigned char	*u = (const unsigned char *)probe;
	const char		*name, *decl;
	size_t			 dlen;
	int			 utf8;

	*skip = 0;
	/* A byte order mark decides, whatever anyone says. */
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
		*skip = 3;
		return NULL;
	}
	if (len >= 4 && u[0] == 0xff && u[1] == 0xfe && u[2] == 0 && u[3] == 0) {
		*skip = 4;
		return "UTF-32LE";
	}
	if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff) {
		*skip = 4;
		return "UTF-32BE";
	}
	if (len >= 2 && u[0] == 0xff && u[1] == 0xfe) {
		*skip = 2;
		return "UTF-16LE";
	}
	if (len >= 2 && u[0] == 0xfe && u[1] == 0xff) {
		*skip = 2;
		return "UTF-16BE";
	}
	/* UTF-16 or UTF-32 without a mark shows in the first "<". */
	if (len >= 4 && u[0] == '<' && u[1] == 0 && u[2] == 0 && u[3] == 0)
		return "UTF-32LE";
	if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0 && u[3] == '<')
		return "UTF-32BE";
	if (len >= 2 && u[0] == '<' && u[1] == 0)
		return "UTF-16LE";
	if (len >= 2 && u[0] == 0 && u[1] == '<')
		return "UTF-16BE";

	if (http != NULL) {
		name = parse_input_label(http, strlen(http), buf, sizeof buf,
		    &utf8);
		if (utf8)
			return NULL;
		if (name != NULL && (usable == NULL || usable(name)))
			return name;
	}
	decl = parse_input_declared(probe, len, &dlen);
	if (decl != NULL) {
		name = parse_input_label(decl, dlen, buf, sizeof buf, &utf8);
		if (utf8)
			return NULL;
		/* A UTF-16 label on bytes that are not UTF-16 is a lie. */
		if (name != NULL && strncasecmp(name, "utf-16", 6) != 0 &&
		    strncasecmp(name, "utf-32", 6) != 0 &&
		    (usable == NULL || usable(name)))
			return name;
	}
	return NULL;
}

#ifdef PARSE_INPUT_AVX2
/*
 * Filters are made on the loop's worker threads: the processor is asked
 * once, under pthread_once. Only tests change parse_input_allowed, and
 * not while threads parse.
 */
static pthread_once_t	 parse_input_cpu_once = PTHREAD_ONCE_INIT;
static int		 parse_input_has_avx2;
static int		 parse_input_allowed = 1;

static void
parse_input_cpu(void)
{
	parse_input_has_avx2 = __builtin_cpu_supports("avx2");
}
#endif

int
parse_input_avx2(int allow)
{
#ifdef PARSE_INPUT_AVX2
	pthread_once(&parse_input_cpu_once, parse_input_cpu);
	if (allow >= 0)
		parse_input_allowed = allow != 0;
	return parse_input_allowed && parse_input_has_avx2;
#else
	(void)allow;
	return 0;
#endif
}

struct parse_input *
parse_input_new(const char *encoding)
{
	struct parse_input	*in;

	in = xcalloc(1, sizeof *in);
	in->avx2 = parse_input_avx2(-1);
	in->utf8 = encoding == NULL;
	/*
	 * iconv refuses windows-1252's five undefined bytes and libxml2 then
	 * stops the document; browsers read them as C1 controls. The most
	 * common legacy encoding of feeds is decoded here instead.
	 */
	in->cp1252 = encoding != NULL && strcasecmp(encoding, "CP1252") == 0;
	in->filter = encoding == NULL ||
	    (strncasecmp(encoding, "UTF-16", 6) != 0 &&
	    strncasecmp(encoding, "UTF-32", 6) != 0);
	return in;
}

int
parse_input_decodes(const struct parse_input *in)
{
	return in->cp1252;
}

void
parse_input_free(struct parse_input *in)
{
	if (in == NULL)
		return;
	free(in->work);
	free(in->out);
	free(in);
}

/*
 * The length of the UTF-8 sequence at s (n bytes available): > 0 when
 * valid, 0 when invalid, -1 when cut short by the end of the data.
 */
static inline int
parse_input_utf8_len(const unsigned char *s, size_t n)
{
	unsigned char	 c = s[0];

	/*
	 * Written out for each length, as the checks come in the bytes:
	 * this runs for every character past ASCII.
	 */
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (n < 2)
			return -1;
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 2)
			return -1;
		/* Overlong forms and surrogates. */
		if ((s[1] & 0xc0) != 0x80 || (c == 0xe0 && s[1] < 0xa0) ||
		    (c == 0xed && s[1] > 0x9f))
			return 0;
		if (n < 3)
			return -1;
		return (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 2)
			return -1;
		/* Overlong forms and values past U+10FFFF. */
		if ((s[1] & 0xc0) != 0x80 || (c == 0xf0 && s[1] < 0x90) ||
		    (c == 0xf4 && s[1] > 0x8f))
			return 0;
		if (n < 3)
			return -1;
		if ((s[2] & 0xc0) != 0x80)
			return 0;
		if (n < 4)
			return -1;
		return (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

static char *
parse_input_put_cp(char *o, unsigned long cp)
{
	char	 num[16];
	size_t	 i, n;

	if (cp >= 0x80 && cp <= 0x9f)
		cp = parse_input_cp1252[cp - 0x80];
	/* The C1 controls windows-1252 leaves undefined show as U+FFFD. */
	if (cp >= 0x80 && cp <= 0x9f)
		cp = 0xfffd;
	/* What XML forbids, browsers show as U+FFFD. */
	if (cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' &&
	    cp != '\r') || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    cp == 0xfffe || cp == 0xffff)
		cp = 0xfffd;
	/* Hexadecimal: shifts, where decimal costs a division a digit. */
	n = 0;
	do {
		num[n++] = "0123456789ABCDEF"[cp & 0xf];
		cp >>= 4;
	} while (cp > 0);
	*o++ = '&';
	*o++ = '#';
	*o++ = 'x';
	for (i = n; i > 0; i--)
		*o++ = num[i - 1];
	*o++ = ';';
	return o;
}

/*
 * Write the HTML entity name (len bytes) as character references into
 * *op; returns 0 when HTML does not define the name.
 */
static int
parse_input_entity(const char *name, size_t len, char **op)
{
	char	 utf8[8];
	int	 n, i, clen;

	if ((n = text_entity_utf8(name, len, utf8)) <= 0 || n > 8)
		return 0;
	for (i = 0; i < n; i += clen) {
		clen = n - i;
		*op = parse_input_put_cp(*op, (unsigned long)xmlGetUTF8Char(
		    (const unsigned char *)utf8 + i, &clen));
		if (clen <= 0)
			break;
	}
	return 1;
}

static int
parse_input_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
parse_input_is_alnum(unsigned char c)
{
	return parse_input_is_alpha(c) || (c >= '0' && c <= '9');
}

/*
 * XML's own five references, whole at s (n bytes available), as the
 * character references parse_input_put_cp() writes (six bytes, into o):
 * once libxml2 has met one error it drops every named reference after it
 * (xmlParseReference returns early when the document is not well-formed),
 * but never a character reference. Returns the bytes the reference took,
 * 0 when s holds none of them whole. Escaped HTML is made of these: they
 * are looked at by their bytes, before parse_input_amp()'s general path.
 */
static inline size_t
parse_input_xml_ref(const unsigned char *s, size_t n, char *o)
{
	const char	*ref;
	size_t		 len;

	if (n >= 4 && memcmp(s, "&lt;", 4) == 0) {
		ref = "&#x3C;";
		len = 4;
	} else if (n >= 5 && memcmp(s, "&amp;", 5) == 0) {
		ref = "&#x26;";
		len = 5;
	} else if (n >= 6 && memcmp(s, "&quot;", 6) == 0) {
		ref = "&#x22;";
		len = 6;
	} else if (n >= 4 && memcmp(s, "&gt;", 4) == 0) {
		ref = "&#x3E;";
		len = 4;
	} else if (n >= 6 && memcmp(s, "&apos;", 6) == 0) {
		ref = "&#x27;";
		len = 6;
	} else
		return 0;
	memcpy(o, ref, 6);
	return len;
}

/*
 * Rewrite the reference starting with "&" at s (n bytes available) into
 * o. Returns the bytes consumed, or 0 when more input is needed to decide.
 */
static size_t
parse_input_amp(const unsigned char *s, size_t n, int final, char **op)
{
	char		*o = *op;
	unsigned long	 cp;
	size_t		 q, start;
	int		 hex;

	if (n < 2 && !final)
		return 0;
	if (n >= 2 && s[1] == '#') {
		q = 2;
		hex = q < n && (s[q] == 'x' || s[q] == 'X');
		if (hex)
			q++;
		start = q;
		cp = 0;
		while (q < n && q - start < 10) {
			if (s[q] >= '0' && s[q] <= '9')
				cp = cp * (hex ? 16 : 10) + (s[q] - '0');
			else if (hex && s[q] >= 'a' && s[q] <= 'f')
				cp = cp * 16 + (s[q] - 'a' + 10);
			else if (hex && s[q] >= 'A' && s[q] <= 'F')
				cp = cp * 16 + (s[q] - 'A' + 10);
			else
				break;
			q++;
		}
		if (q == n && !final)
			return 0;
		if (q < n && s[q] == ';' && q > start) {
			*op = parse_input_put_cp(o, cp);
			return q + 1;
		}
	} else if (n >= 2 && parse_input_is_alpha(s[1])) {
		for (q = 1; q < n && q <= PARSE_INPUT_NAME_MAX &&
		    parse_input_is_alnum(s[q]); q++)
			;
		if (q == n && !final)
			return 0;
		/*
		 * XML's five are among HTML's names (parse_input_xml_ref
		 * takes them first, and writes what this would).
		 */
		if (q < n && s[q] == ';' && q <= PARSE_INPUT_NAME_MAX &&
		    parse_input_entity((const char *)s + 1, q - 1, op))
			return q + 1;
	}
	/* A bare "&", or a name no one defines: the text shows it. */
	memcpy(o, "&#x26;", 6);
	*op = o + 6;
	return 1;
}

/*
 * Make room in the output for need more bytes after *op (NULL: nothing
 * written yet), which follows the buffer if it moves. The buffer is made
 * as large as the chunk being filtered (chunk bytes) and grows as
 * rewrites need it, rather than by a worst case up front, so that it
 * stays small enough for malloc to reuse from one document to the next.
 */
static void
parse_input_room(struct parse_input *in, char **op, size_t need,
    size_t chunk)
{
	size_t	 used, cap;

	used = *op != NULL ? (size_t)(*op - in->out) : 0;
	if (in->out != NULL && in->outcap - used >= need) {
		*op = in->out + used;
		return;
	}
	cap = (used + need) * 2;
	if (cap < 4096)
		cap = 4096;
	/*
	 * Room for the whole chunk and an eighth more (rewrites grow it
	 * little): doubling up to it cost a copy each time, realloc
	 * seldom finding the heap free after the block.
	 */
	if (cap < chunk + chunk / 8 + PARSE_INPUT_SLACK)
		cap = chunk + chunk / 8 + PARSE_INPUT_SLACK;
	in->out = xrealloc(in->out, cap);
	in->outcap = cap;
	*op = in->out + used;
}

/*
 * What each byte asks of the filter, as bits: 1, a C0 control other than
 * tab, LF and CR; 2, "&"; 4, "<" (the start of a CDATA section); 8, "]"
 * (its end); 16, past ASCII (checked when the document is read as UTF-8).
 * Text looks at 1, 2, 4 (and 16), CDATA at 1, 8 (and 16); the scan skips
 * the rest.
 */
#define PARSE_INPUT_CONTROL	1
#define PARSE_INPUT_AMP		2
#define PARSE_INPUT_LT		4
#define PARSE_INPUT_RSQB	8
#define PARSE_INPUT_HIGH	16
/* Not a class: the scan itself steps over valid UTF-8 (parse_input_valid). */
#define PARSE_INPUT_VALID	32

static const unsigned char parse_input_class[256] = {
	 1,  1,  1,  1,  1,  1,  1,  1,  1,  0,  0,  1,  1,  0,  1,  1,
	 1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
	 0,  0,  0,  0,  0,  0,  2,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  4,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  8,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
	16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
};

/*
 * Past the run of valid UTF-8 sequences at s[i] (a byte >= 0x80), where
 * the scan goes on: most text past ASCII is a word of accented letters,
 * Cyrillic or CJK, checked here without leaving the scan. SIZE_MAX when
 * the first sequence is invalid or cut by the end of the data: the
 * filter repairs it or keeps it for the next chunk.
 */
static inline size_t
parse_input_valid(const unsigned char *s, size_t i, size_t n)
{
	int	 sl;

	if ((sl = parse_input_utf8_len(s + i, n - i)) <= 0)
		return SIZE_MAX;
	do
		i += (size_t)sl;
	while (i < n && s[i] >= 0x80 &&
	    (sl = parse_input_utf8_len(s + i, n - i)) > 0);
	return i;
}

/*
 * Whether the byte at s[i] (n bytes in all) is one the filter must look
 * at under mask. A "<" counts only before a "!" (a CDATA section may
 * start there) and a "]" only before a "]" (one may end there); at the
 * end of the data both count, since the next byte is not known yet.
 */
static inline int
parse_input_hit(const unsigned char *s, size_t i, size_t n,
    unsigned char mask)
{
	unsigned char	 k = parse_input_class[s[i]] & mask;

	if (k == PARSE_INPUT_LT)
		return i + 1 == n || s[i + 1] == '!';
	if (k == PARSE_INPUT_RSQB)
		return i + 1 == n || s[i + 1] == ']';
	return k != 0;
}

/*
 * The first byte from i on that mask says to look at, or n. This loop
 * sees every byte of every feed, so it looks at 16 bytes at once where
 * the compiler offers SSE2 (every x86-64): a vector compare per kind of
 * byte, one bit per byte in a mask, the first set bit. Tab, LF and CR are
 * no stop, nor is a "<" that starts a tag: only "<!" is. Elsewhere, and
 * for the last bytes, one byte at a time.
 */
static size_t
parse_input_scan(const unsigned char *s, size_t i, size_t n,
    unsigned char mask)
{
	size_t		 next;
#ifdef __SSE2__
	const __m128i	 space = _mm_set1_epi8(0x20);
	const __m128i	 tab = _mm_set1_epi8('\t');
	const __m128i	 lf = _mm_set1_epi8('\n');
	const __m128i	 cr = _mm_set1_epi8('\r');
	/*
	 * Text looks for "&" and "<!", CDATA for "]]": one compare pair
	 * serves both, chosen before the loop ("&" and "<" or "]" and "]").
	 */
	const __m128i	 a = _mm_set1_epi8(mask & PARSE_INPUT_AMP ? '&' : 0);
	const __m128i	 b = _mm_set1_epi8(mask & PARSE_INPUT_LT ? '<' : ']');
	const __m128i	 c = _mm_set1_epi8(mask & PARSE_INPUT_LT ? '!' : ']');
	__m128i		 v, w, t, v2, w2, t2;
	uint32_t	 hit;
	size_t		 step;

/*
 * The bytes of v to stop at: controls (and, compared signed, every byte
 * past ASCII) other than tab, LF and CR, which every indented feed has
 * on each line; "&"; the first of the pair b, c (w is v a byte on).
 */
#define PARSE_INPUT_STOPS(v, w) _mm_or_si128(_mm_andnot_si128(		\
	_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_or_si128(		\
	_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))),			\
	_mm_cmplt_epi8(v, space)), _mm_or_si128(_mm_cmpeq_epi8(v, a),	\
	_mm_and_si128(_mm_cmpeq_epi8(v, b), _mm_cmpeq_epi8(w, c))))

	/*
	 * Thirty-two bytes a turn while there are more than that (two
	 * vectors, one test: most runs of 32 bytes need nothing), then
	 * sixteen.
	 */
	while (n - i > 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		w = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
		t = PARSE_INPUT_STOPS(v, w);
		if (n - i > 32) {
			step = 32;
			v2 = _mm_loadu_si128((const __m128i *)(const void *)
			    (s + i + 16));
			w2 = _mm_loadu_si128((const __m128i *)(const void *)
			    (s + i + 17));
			t2 = PARSE_INPUT_STOPS(v2, w2);
			if (_mm_movemask_epi8(_mm_or_si128(t, t2)) == 0) {
				i += 32;
				continue;
			}
			hit = (uint32_t)_mm_movemask_epi8(t) |
			    (uint32_t)_mm_movemask_epi8(t2) << 16;
			/* "&" in CDATA compares with NUL: a control too. */
			if (!(mask & PARSE_INPUT_HIGH))
				hit &= ~((uint32_t)_mm_movemask_epi8(v) |
				    (uint32_t)_mm_movemask_epi8(v2) << 16);
		} else {
			step = 16;
			hit = (uint32_t)_mm_movemask_epi8(t);
			if (!(mask & PARSE_INPUT_HIGH))
				hit &= ~(uint32_t)_mm_movemask_epi8(v);
		}
		if (hit == 0) {
			i += step;
			continue;
		}
		i += (size_t)__builtin_ctz(hit);
		if (!(mask & PARSE_INPUT_VALID) || s[i] < 0x80 ||
		    (next = parse_input_valid(s, i, n)) == SIZE_MAX)
			return i;
		i = next;
	}
#undef PARSE_INPUT_STOPS
#endif
	while (i < n) {
		if (!parse_input_hit(s, i, n, mask)) {
			i++;
			continue;
		}
		if (!(mask & PARSE_INPUT_VALID) || s[i] < 0x80 ||
		    (next = parse_input_valid(s, i, n)) == SIZE_MAX)
			return i;
		i = next;
	}
	return n;
}

#ifdef PARSE_INPUT_AVX2
/* The stops of the 64 bytes from base the AVX2 scan last looked at. */
struct parse_input_block {
	size_t		 base;
	uint64_t	 bits;		/* a stop at base + k: bit k */
	unsigned char	 mask;		/* what was looked for */
	int		 pending;	/* a sequence goes on past them */
};

/*
 * The UTF-8 check of the AVX2 scan: Keiser and Lemire's three lookups
 * ("Validating UTF-8 In Less Than One Instruction Per Byte", 2021), which
 * simdjson and simdutf use. Each byte is classified by the high nibble of
 * the byte before it, that byte's low nibble, and its own high nibble; a
 * bit left set in all three is an error. Sequences of three and four
 * bytes are checked for their third and fourth bytes apart.
 */
#define PARSE_INPUT_TOO_SHORT	(1 << 0)	/* lead or ASCII, then lead or ASCII... */
#define PARSE_INPUT_TOO_LONG	(1 << 1)	/* ASCII, then a continuation */
#define PARSE_INPUT_OVERLONG_3	(1 << 2)	/* E0 80..9F */
#define PARSE_INPUT_TOO_LARGE	(1 << 3)	/* past U+10FFFF */
#define PARSE_INPUT_SURROGATE	(1 << 4)	/* ED A0..BF */
#define PARSE_INPUT_OVERLONG_2	(1 << 5)	/* C0, C1 */
#define PARSE_INPUT_TOO_LARGE_1000 (1 << 6)	/* F5.. 80..8F */
#define PARSE_INPUT_OVERLONG_4	(1 << 6)	/* F0 80..8F */
#define PARSE_INPUT_TWO_CONTS	(1 << 7)	/* a continuation too many */
#define PARSE_INPUT_CARRY	(PARSE_INPUT_TOO_SHORT | PARSE_INPUT_TOO_LONG | \
	PARSE_INPUT_TWO_CONTS)

/* v with the last k bytes of prev in front: the bytes k before each. */
#define PARSE_INPUT_PREV(v, prev, k) _mm256_alignr_epi8((v),		\
	_mm256_permute2x128_si256((prev), (v), 0x21), 16 - (k))

#define PARSE_INPUT_L	(PARSE_INPUT_CARRY | PARSE_INPUT_TOO_LARGE | \
	PARSE_INPUT_TOO_LARGE_1000)
#define PARSE_INPUT_C8	(PARSE_INPUT_TOO_LONG | PARSE_INPUT_OVERLONG_2 | \
	PARSE_INPUT_TWO_CONTS | PARSE_INPUT_OVERLONG_3 | \
	PARSE_INPUT_TOO_LARGE_1000 | PARSE_INPUT_OVERLONG_4)
#define PARSE_INPUT_C9	(PARSE_INPUT_TOO_LONG | PARSE_INPUT_OVERLONG_2 | \
	PARSE_INPUT_TWO_CONTS | PARSE_INPUT_OVERLONG_3 | PARSE_INPUT_TOO_LARGE)
#define PARSE_INPUT_CA	(PARSE_INPUT_TOO_LONG | PARSE_INPUT_OVERLONG_2 | \
	PARSE_INPUT_TWO_CONTS | PARSE_INPUT_SURROGATE | PARSE_INPUT_TOO_LARGE)
#define PARSE_INPUT_TS	PARSE_INPUT_TOO_SHORT
/* By the high nibble of the byte before. */
static const unsigned char parse_input_utf8_b1high[16] = {
	PARSE_INPUT_TOO_LONG, PARSE_INPUT_TOO_LONG, PARSE_INPUT_TOO_LONG,
	PARSE_INPUT_TOO_LONG, PARSE_INPUT_TOO_LONG, PARSE_INPUT_TOO_LONG,
	PARSE_INPUT_TOO_LONG, PARSE_INPUT_TOO_LONG,
	PARSE_INPUT_TWO_CONTS, PARSE_INPUT_TWO_CONTS,
	PARSE_INPUT_TWO_CONTS, PARSE_INPUT_TWO_CONTS,
	PARSE_INPUT_TOO_SHORT | PARSE_INPUT_OVERLONG_2,
	PARSE_INPUT_TOO_SHORT,
	PARSE_INPUT_TOO_SHORT | PARSE_INPUT_OVERLONG_3 | PARSE_INPUT_SURROGATE,
	PARSE_INPUT_TOO_SHORT | PARSE_INPUT_TOO_LARGE |
	    PARSE_INPUT_TOO_LARGE_1000 | PARSE_INPUT_OVERLONG_4,
};
/* By the low nibble of the byte before. */
static const unsigned char parse_input_utf8_b1low[16] = {
	PARSE_INPUT_CARRY | PARSE_INPUT_OVERLONG_3 | PARSE_INPUT_OVERLONG_2 |
	    PARSE_INPUT_OVERLONG_4,
	PARSE_INPUT_CARRY | PARSE_INPUT_OVERLONG_2,
	PARSE_INPUT_CARRY, PARSE_INPUT_CARRY,
	PARSE_INPUT_CARRY | PARSE_INPUT_TOO_LARGE,
	PARSE_INPUT_L, PARSE_INPUT_L, PARSE_INPUT_L,
	PARSE_INPUT_L, PARSE_INPUT_L, PARSE_INPUT_L, PARSE_INPUT_L,
	PARSE_INPUT_L, PARSE_INPUT_L | PARSE_INPUT_SURROGATE,
	PARSE_INPUT_L, PARSE_INPUT_L,
};
/* By the byte's own high nibble. */
static const unsigned char parse_input_utf8_b2high[16] = {
	PARSE_INPUT_TS, PARSE_INPUT_TS, PARSE_INPUT_TS, PARSE_INPUT_TS,
	PARSE_INPUT_TS, PARSE_INPUT_TS, PARSE_INPUT_TS, PARSE_INPUT_TS,
	PARSE_INPUT_C8, PARSE_INPUT_C9, PARSE_INPUT_CA, PARSE_INPUT_CA,
	PARSE_INPUT_TS, PARSE_INPUT_TS, PARSE_INPUT_TS, PARSE_INPUT_TS,
};
#undef PARSE_INPUT_L
#undef PARSE_INPUT_C8
#undef PARSE_INPUT_C9
#undef PARSE_INPUT_CA
#undef PARSE_INPUT_TS

/* A 16-byte table in both halves of a vector, for _mm256_shuffle_epi8. */
#define PARSE_INPUT_TABLE(t) _mm256_broadcastsi128_si256(			\
	_mm_loadu_si128((const __m128i *)(const void *)(t)))

/*
 * The error bits of the 32 bytes v, prev being the 32 bytes before them
 * (zero at a character boundary: nothing pending).
 */
__attribute__((target("avx2"))) static inline __m256i
parse_input_utf8_errors(__m256i v, __m256i prev)
{
	const __m256i	 nib = _mm256_set1_epi8(0x0f);
	const __m256i	 b1high = PARSE_INPUT_TABLE(parse_input_utf8_b1high);
	const __m256i	 b1low = PARSE_INPUT_TABLE(parse_input_utf8_b1low);
	const __m256i	 b2high = PARSE_INPUT_TABLE(parse_input_utf8_b2high);
	__m256i		 prev1, prev2, prev3, sc, must23;

	prev1 = PARSE_INPUT_PREV(v, prev, 1);
	sc = _mm256_and_si256(_mm256_and_si256(
	    _mm256_shuffle_epi8(b1high,
	    _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nib)),
	    _mm256_shuffle_epi8(b1low, _mm256_and_si256(prev1, nib))),
	    _mm256_shuffle_epi8(b2high,
	    _mm256_and_si256(_mm256_srli_epi16(v, 4), nib)));
	/* The third byte after an E0..EF, the fourth after an F0..FF. */
	prev2 = PARSE_INPUT_PREV(v, prev, 2);
	prev3 = PARSE_INPUT_PREV(v, prev, 3);
	must23 = _mm256_or_si256(
	    _mm256_subs_epu8(prev2, _mm256_set1_epi8(0xe0 - 0x80)),
	    _mm256_subs_epu8(prev3, _mm256_set1_epi8(0xf0 - 0x80)));
	return _mm256_xor_si256(_mm256_and_si256(must23,
	    _mm256_set1_epi8(-0x80)), sc);
}

/*
 * Whether the last bytes of v start a sequence the next bytes must end:
 * a lead of two bytes last, of three in the last two, of four in the
 * last three.
 */
__attribute__((target("avx2"))) static inline int
parse_input_utf8_pending(__m256i v)
{
	/* 0xef, 0xdf, 0xbf, as signed bytes. */
	const __m256i	 max = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1,
	    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	    -1, -1, -1, -1, -1, 0xef - 0x100, 0xdf - 0x100, 0xbf - 0x100);

	return !_mm256_testz_si256(_mm256_subs_epu8(v, max),
	    _mm256_subs_epu8(v, max));
}

/*
 * parse_input_scan() 32 bytes a vector, 64 a turn, where the processor
 * has AVX2. In a document read as UTF-8 it checks the bytes past ASCII
 * in the vectors too, so that valid text past ASCII (accented letters,
 * curly quotes, whole scripts) is no stop at all; a block with anything
 * invalid stops at its first byte past ASCII, as parse_input_scan()
 * does, and the filter repairs. It hands the last 64 bytes or fewer to
 * parse_input_scan(), from the start of a sequence the last block left
 * open.
 */
__attribute__((target("avx2"))) static size_t
parse_input_scan_avx2(const unsigned char *s, size_t i, size_t n,
    unsigned char mask, struct parse_input_block *blk)
{
	const __m256i	 ctl = _mm256_set1_epi8(0x1f);
	const __m256i	 tab = _mm256_set1_epi8('\t');
	const __m256i	 lf = _mm256_set1_epi8('\n');
	const __m256i	 cr = _mm256_set1_epi8('\r');
	const __m256i	 a = _mm256_set1_epi8(mask & PARSE_INPUT_AMP ? '&' : 0);
	const __m256i	 b = _mm256_set1_epi8(mask & PARSE_INPUT_LT ? '<' : ']');
	const __m256i	 c = _mm256_set1_epi8(mask & PARSE_INPUT_LT ? '!' : ']');
	__m256i		 v, w, t, v2, w2, t2, prev, err;
	uint64_t	 hit, high;
	size_t		 next, base;
	int		 pending = 0, wrong;

/*
 * The bytes of v to stop at: C0 controls other than tab, LF and CR;
 * "&"; the first of the pair b, c (w is v a byte on). Not the bytes past
 * ASCII: those are decided below.
 */
#define PARSE_INPUT_STOPS256(v, w) _mm256_or_si256(_mm256_andnot_si256(	\
	_mm256_or_si256(_mm256_cmpeq_epi8(v, tab), _mm256_or_si256(	\
	_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr))),		\
	_mm256_cmpeq_epi8(_mm256_min_epu8(v, ctl), v)), _mm256_or_si256(	\
	_mm256_cmpeq_epi8(v, a), _mm256_and_si256(_mm256_cmpeq_epi8(v, b),	\
	_mm256_cmpeq_epi8(w, c))))

	/* The scan starts at a character boundary: nothing is pending. */
	prev = _mm256_setzero_si256();
	while (n - i > 64) {
		v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		w = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s + i + 1));
		v2 = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s + i + 32));
		w2 = _mm256_loadu_si256((const __m256i *)(const void *)
		    (s + i + 33));
		t = PARSE_INPUT_STOPS256(v, w);
		t2 = PARSE_INPUT_STOPS256(v2, w2);
		hit = (uint64_t)(uint32_t)_mm256_movemask_epi8(t) |
		    (uint64_t)(uint32_t)_mm256_movemask_epi8(t2) << 32;
		high = (uint64_t)(uint32_t)_mm256_movemask_epi8(v) |
		    (uint64_t)(uint32_t)_mm256_movemask_epi8(v2) << 32;
		wrong = 0;
		if (high != 0 || pending) {
			if (mask & PARSE_INPUT_VALID) {
				err = _mm256_or_si256(
				    parse_input_utf8_errors(v, prev),
				    parse_input_utf8_errors(v2, v));
				/*
				 * Anything wrong in the block: stop at its
				 * first byte past ASCII (which may be the
				 * end of a sequence the last block left
				 * open: back to its start).
				 */
				if (!_mm256_testz_si256(err, err)) {
					if (pending)
						break;
					hit |= high;
					wrong = 1;
				} else
					pending = parse_input_utf8_pending(v2);
			} else if (mask & PARSE_INPUT_HIGH)
				hit |= high;
		}
		prev = v2;
		if (hit == 0) {
			i += 64;
			continue;
		}
		/* A stop is ASCII, or a block went wrong: nothing pending. */
		base = i;
		i += (size_t)__builtin_ctzll(hit);
		if (!(mask & PARSE_INPUT_VALID) || s[i] < 0x80 ||
		    (next = parse_input_valid(s, i, n)) == SIZE_MAX) {
			/* The block's other stops, for the next calls. */
			if (!wrong) {
				blk->base = base;
				blk->bits = hit;
				blk->mask = mask;
				blk->pending = pending;
			}
			return i;
		}
		i = next;
		prev = _mm256_setzero_si256();
		pending = 0;
	}
#undef PARSE_INPUT_STOPS256
	/* Back to the lead of a sequence the last block left open. */
	if (pending) {
		while (s[i - 1] < 0xc0)
			i--;
		i--;
	}
	return parse_input_scan(s, i, n, mask);
}

/*
 * The next stop from i on: in stop-dense text (escaped HTML has one every
 * few bytes) most are in the block the last scan looked at, whose stops
 * are kept rather than looked for again. Past the block's last stop the
 * scan goes on after the block, unless a sequence is open at its end.
 */
__attribute__((target("avx2"))) static inline size_t
parse_input_next_avx2(const unsigned char *s, size_t i, size_t n,
    unsigned char mask, struct parse_input_block *blk)
{
	uint64_t	 rest;

	if (blk->bits != 0 && blk->mask == mask && i >= blk->base &&
	    i - blk->base < 64) {
		rest = blk->bits & (~(uint64_t)0 << (i - blk->base));
		if (rest != 0)
			return blk->base + (size_t)__builtin_ctzll(rest);
		if (!blk->pending)
			i = blk->base + 64;
	}
	blk->bits = 0;
	return parse_input_scan_avx2(s, i, n, mask, blk);
}
#endif

/*
 * Copy len bytes from s (avail readable there) to o, which has room for
 * PARSE_INPUT_SLACK more. Most runs between two references of escaped
 * HTML are a tag name or a word: a sixteen-byte move copies those
 * without a call into memcpy, whose branches on the size the varying
 * lengths mispredict.
 */
static inline void
parse_input_copy(char *o, const unsigned char *s, size_t len, size_t avail)
{
#ifdef __SSE2__
	if (len <= 16 && avail >= 16) {
		_mm_storeu_si128((__m128i *)(void *)o,
		    _mm_loadu_si128((const __m128i *)(const void *)s));
		return;
	}
#else
	(void)avail;
#endif
	memcpy(o, s, len);
}

/*
 * Bytes that pass unchanged are not copied one construct at a time: a run
 * of them is copied when something must be rewritten, and a chunk with
 * nothing to rewrite is handed back as it came, without a copy.
 */
static inline __attribute__((always_inline)) const char *
parse_input_filter_body(struct parse_input *in, const char *data, size_t len,
    int final, size_t *outlen, int wide)
{
	const unsigned char	*s;
	char			*o, *fixed;
	size_t			 n, i, j, run, used, fl;
	unsigned int		 cp1252;
	int			 sl, copied = 0;
	unsigned char		 c, mask;
#ifdef PARSE_INPUT_AVX2
	struct parse_input_block blk = { 0, 0, 0, 0 };
#else
	(void)wide;
#endif

	if (!in->filter) {
		*outlen = len;
		return data;
	}
	if (in->ncarry > 0) {
		n = in->ncarry + len;
		if (in->workcap < n) {
			free(in->work);
			in->workcap = n < 65536 ? 65536 : n;
			in->work = xmalloc(in->workcap);
		}
		memcpy(in->work, in->carry, in->ncarry);
		if (len > 0)
			memcpy(in->work + in->ncarry, data, len);
		s = (const unsigned char *)in->work;
		in->ncarry = 0;
	} else {
		s = (const unsigned char *)data;
		n = len;
	}
	o = NULL;
	i = run = 0;

/* Copy the pending run of unchanged bytes [run, i) to the output. */
#define PARSE_INPUT_FLUSH() do {					\
	if (!copied) {							\
		o = NULL;						\
		copied = 1;						\
	}								\
	if (o == NULL || in->outcap - (size_t)(o - in->out) <		\
	    i - run + PARSE_INPUT_SLACK)					\
		parse_input_room(in, &o, i - run + PARSE_INPUT_SLACK, n);	\
	parse_input_copy(o, s + run, i - run, n - run);			\
	o += i - run;							\
} while (0)

	while (i < n) {
		if (in->cdata)
			mask = PARSE_INPUT_CONTROL | PARSE_INPUT_RSQB;
		else
			mask = PARSE_INPUT_CONTROL | PARSE_INPUT_AMP |
			    PARSE_INPUT_LT;
		if (in->utf8 || in->cp1252)
			mask |= PARSE_INPUT_HIGH;
		if (in->utf8)
			mask |= PARSE_INPUT_VALID;
#ifdef PARSE_INPUT_AVX2
		if (wide)
			i = parse_input_next_avx2(s, i, n, mask, &blk);
		else
#endif
			i = parse_input_scan(s, i, n, mask);
		if (i == n)
			break;
		c = s[i];
		if (c >= 0x80 && in->cp1252) {
			PARSE_INPUT_FLUSH();
			cp1252 = c < 0xa0 ? parse_input_cp1252[c - 0x80] : c;
			if (cp1252 < 0x800) {
				*o++ = (char)(0xc0 | cp1252 >> 6);
				*o++ = (char)(0x80 | (cp1252 & 0x3f));
			} else {
				*o++ = (char)(0xe0 | cp1252 >> 12);
				*o++ = (char)(0x80 | ((cp1252 >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp1252 & 0x3f));
			}
			i = run = i + 1;
		} else if (c >= 0x80) {
			/* CDATA is checked too: it is text all the same. */
			/* A run of valid sequences (a word of Cyrillic, CJK). */
			while ((sl = parse_input_utf8_len(s + i, n - i)) > 0) {
				i += (size_t)sl;
				if (i == n || s[i] < 0x80)
					break;
			}
			if (sl > 0)
				continue;
			if (sl < 0 && !final)
				break;
			/* Invalid: the run of such bytes, read as cp1252. */
			for (j = i + 1; j < n && s[j] >= 0x80 &&
			    parse_input_utf8_len(s + j, n - j) == 0; j++)
				;
			PARSE_INPUT_FLUSH();
			fixed = text_utf8_fix((const char *)s + i, j - i);
			fl = strlen(fixed);
			parse_input_room(in, &o, fl, n);
			memcpy(o, fixed, fl);
			o += fl;
			free(fixed);
			i = run = j;
		} else if (c == ']') {
			if (n - i < 3) {
				if (!final && memcmp(s + i, "]]>", n - i) == 0)
					break;
				i++;
			} else if (s[i + 1] == ']' && s[i + 2] == '>') {
				i += 3;
				in->cdata = 0;
			} else
				i++;
		} else if (c == '<') {
			if (i + 1 < n && s[i + 1] != '!') {
				i++;
				continue;
			}
			if (n - i < 9) {
				if (!final && memcmp(s + i, "<![CDATA[", n - i) == 0)
					break;
				i++;
			} else if (memcmp(s + i, "<![CDATA[", 9) == 0) {
				i += 9;
				in->cdata = 1;
			} else
				i++;
		} else if (c == '&' && n - i >= 4 && (i > 0 ? s[i - 1] :
		    in->prev) != ']' && memcmp(s + i, "&gt;", 4) == 0) {
			/*
			 * Escaped HTML is a third "&gt;": written as the ">"
			 * it means, libxml2 reads it with the text around it
			 * rather than as a reference of its own. A ">" is
			 * text wherever a reference is (content, attribute
			 * values) except after "]]", which XML forbids. The
			 * byte before is looked at across chunks, so that
			 * how a document is pushed changes nothing.
			 */
			PARSE_INPUT_FLUSH();
			*o++ = '>';
			i = run = i + 4;
		} else if (c == '&') {
			PARSE_INPUT_FLUSH();
			if ((used = parse_input_xml_ref(s + i, n - i, o)) > 0) {
				o += 6;
				i = run = i + used;
				continue;
			}
			used = parse_input_amp(s + i, n - i, final, &o);
			run = i;
			if (used == 0)
				break;
			i = run = i + used;
		} else {
			PARSE_INPUT_FLUSH();
			*o++ = ' ';
			i = run = i + 1;
		}
	}
#undef PARSE_INPUT_FLUSH
	/* Undecided at the end: at most an entity, a sequence, a "]]>". */
	if (i < n && n - i > PARSE_INPUT_CARRY_MAX)
		i = n;
	if (i > 0)
		in->prev = s[i - 1];
	if (!copied) {
		*outlen = i;
		if (i < n) {
			memcpy(in->carry, s + i, n - i);
			in->ncarry = n - i;
		}
		return (const char *)s;
	}
	parse_input_room(in, &o, i - run, n);
	memcpy(o, s + run, i - run);
	o += i - run;
	if (i < n) {
		memcpy(in->carry, s + i, n - i);
		in->ncarry = n - i;
	}
	*outlen = (size_t)(o - in->out);
	return in->out;
}

#ifdef PARSE_INPUT_AVX2
__attribute__((target("avx2"))) static const char *
parse_input_filter_avx2(struct parse_input *in, const char *data, size_t len,
    int final, size_t *outlen)
{
	return parse_input_filter_body(in, data, len, final, outlen, 1);
}
#endif

const char *
parse_input_filter(struct parse_input *in, const char *data, size_t len,
    int final, size_t *outlen)
{
#ifdef PARSE_INPUT_AVX2
	if (in->avx2)
		return parse_input_filter_avx2(in, data, len, final, outlen);
#endif
	return parse_input_filter_body(in, data, len, final, outlen, 0);
}
