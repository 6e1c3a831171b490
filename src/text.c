/*
 * text.c: titles and excerpts to clean plain text.
 *
 * This module owns what feedfold calls "plain text": valid UTF-8, entities
 * decoded, tags gone, script and style gone, whitespace collapsed to single
 * spaces, control and zero-width characters removed, and cut to a number
 * of characters on a word boundary (docs/dates-and-text.md).
 *
 * HTML goes through libxml2's HTML parser in push mode with SAX callbacks:
 * nothing is built, characters stream into one output buffer, and once the
 * buffer holds max_chars characters the parser is stopped and no more input
 * is fed to it, so a 100 KB body costs what its first few KB cost. Text
 * without '<' or '&' never meets the parser. Every code point, whatever its
 * path, passes through text_out_char(), which applies the rules in one
 * place; bytes pass through text_utf8_next(), the one UTF-8 repair rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "text.h"
#include "xmalloc.h"

/*
 * Input reaches the HTML parser in chunks that start small and double up
 * to the largest: an excerpt of a few hundred characters is usually found
 * in the first one or two, and what is prepared but not parsed is waste.
 */
#define TEXT_CHUNK_FIRST	512
#define TEXT_CHUNK		4096
/* Longer entity names do not exist; do not even look them up. */
#define TEXT_ENTITY_MAX		32
/* A code point text_utf8_next() consumed but that has no output. */
#define TEXT_CP_NONE		0xffffffffu

/*
 * windows-1252's 0x80-0x9f. The five bytes it leaves undefined map to the
 * C1 control of the same value, as the WHATWG decoder does.
 */
static const uint16_t text_cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

struct text_entity {
	const char	*name;
	uint32_t	 cp;
};

/*
 * HTML named character references: HTML 4's 252 and "apos" (libxml2's
 * htmlEntityLookup() table, which test_text checks this one contains),
 * plus the HTML5 names feeds use. Sorted by name in strcmp() order (byte
 * order, so "AElig" before "Aacute" before "aacute"), because
 * text_entity_utf8() searches it with bsearch(); test_text checks the
 * order. libxml2 2.9's own lookup is a linear scan, which made it a third
 * of the HTML conversion time.
 */
static const struct text_entity text_entities[] = {
	{ "AElig", 0xc6 }, { "AMP", 0x26 }, { "Aacute", 0xc1 },
	{ "Acirc", 0xc2 }, { "Agrave", 0xc0 }, { "Alpha", 0x391 },
	{ "Aring", 0xc5 }, { "Atilde", 0xc3 }, { "Auml", 0xc4 },
	{ "Beta", 0x392 }, { "COPY", 0xa9 }, { "Ccedil", 0xc7 },
	{ "Chi", 0x3a7 }, { "CloseCurlyDoubleQuote", 0x201d },
	{ "CloseCurlyQuote", 0x2019 }, { "Dagger", 0x2021 },
	{ "Delta", 0x394 }, { "ETH", 0xd0 }, { "Eacute", 0xc9 },
	{ "Ecirc", 0xca }, { "Egrave", 0xc8 }, { "Epsilon", 0x395 },
	{ "Eta", 0x397 }, { "Euml", 0xcb }, { "GT", 0x3e },
	{ "Gamma", 0x393 }, { "Hat", 0x5e }, { "Iacute", 0xcd },
	{ "Icirc", 0xce }, { "Igrave", 0xcc }, { "Iota", 0x399 },
	{ "Iuml", 0xcf }, { "Kappa", 0x39a }, { "LT", 0x3c },
	{ "Lambda", 0x39b }, { "LeftArrow", 0x2190 },
	{ "MediumSpace", 0x205f }, { "Mu", 0x39c }, { "NewLine", 0xa },
	{ "NoBreak", 0x2060 }, { "NonBreakingSpace", 0xa0 },
	{ "Ntilde", 0xd1 }, { "Nu", 0x39d }, { "OElig", 0x152 },
	{ "Oacute", 0xd3 }, { "Ocirc", 0xd4 }, { "Ograve", 0xd2 },
	{ "Omega", 0x3a9 }, { "Omicron", 0x39f },
	{ "OpenCurlyDoubleQuote", 0x201c }, { "OpenCurlyQuote", 0x2018 },
	{ "Oslash", 0xd8 }, { "Otilde", 0xd5 }, { "Ouml", 0xd6 },
	{ "Phi", 0x3a6 }, { "Pi", 0x3a0 }, { "Prime", 0x2033 },
	{ "Psi", 0x3a8 }, { "QUOT", 0x22 }, { "REG", 0xae },
	{ "Rho", 0x3a1 }, { "RightArrow", 0x2192 }, { "Scaron", 0x160 },
	{ "Sigma", 0x3a3 }, { "THORN", 0xde }, { "TRADE", 0x2122 },
	{ "Tab", 0x9 }, { "Tau", 0x3a4 }, { "Theta", 0x398 },
	{ "ThinSpace", 0x2009 }, { "Uacute", 0xda }, { "Ucirc", 0xdb },
	{ "Ugrave", 0xd9 }, { "Upsilon", 0x3a5 }, { "Uuml", 0xdc },
	{ "VeryThinSpace", 0x200a }, { "Xi", 0x39e }, { "Yacute", 0xdd },
	{ "Yuml", 0x178 }, { "ZeroWidthSpace", 0x200b }, { "Zeta", 0x396 },
	{ "aacute", 0xe1 }, { "acirc", 0xe2 }, { "acute", 0xb4 },
	{ "aelig", 0xe6 }, { "agrave", 0xe0 }, { "alefsym", 0x2135 },
	{ "alpha", 0x3b1 }, { "amp", 0x26 }, { "and", 0x2227 },
	{ "ang", 0x2220 }, { "apos", 0x27 }, { "aring", 0xe5 },
	{ "ast", 0x2a }, { "asymp", 0x2248 }, { "atilde", 0xe3 },
	{ "auml", 0xe4 }, { "bdquo", 0x201e }, { "beta", 0x3b2 },
	{ "bigstar", 0x2605 }, { "brvbar", 0xa6 }, { "bsol", 0x5c },
	{ "bull", 0x2022 }, { "bullet", 0x2022 }, { "cap", 0x2229 },
	{ "caret", 0x2041 }, { "ccedil", 0xe7 }, { "cedil", 0xb8 },
	{ "cent", 0xa2 }, { "check", 0x2713 }, { "checkmark", 0x2713 },
	{ "chi", 0x3c7 }, { "circ", 0x2c6 }, { "clubs", 0x2663 },
	{ "colon", 0x3a }, { "comma", 0x2c }, { "commat", 0x40 },
	{ "cong", 0x2245 }, { "copy", 0xa9 }, { "copysr", 0x2117 },
	{ "crarr", 0x21b5 }, { "cross", 0x2717 }, { "cup", 0x222a },
	{ "curren", 0xa4 }, { "dArr", 0x21d3 }, { "dagger", 0x2020 },
	{ "darr", 0x2193 }, { "dash", 0x2010 }, { "deg", 0xb0 },
	{ "delta", 0x3b4 }, { "diams", 0x2666 }, { "divide", 0xf7 },
	{ "dollar", 0x24 }, { "eacute", 0xe9 }, { "ecirc", 0xea },
	{ "egrave", 0xe8 }, { "ell", 0x2113 }, { "empty", 0x2205 },
	{ "emsp", 0x2003 }, { "ensp", 0x2002 }, { "epsilon", 0x3b5 },
	{ "equals", 0x3d }, { "equiv", 0x2261 }, { "eta", 0x3b7 },
	{ "eth", 0xf0 }, { "euml", 0xeb }, { "euro", 0x20ac },
	{ "excl", 0x21 }, { "exist", 0x2203 }, { "female", 0x2640 },
	{ "flat", 0x266d }, { "fnof", 0x192 }, { "forall", 0x2200 },
	{ "frac12", 0xbd }, { "frac13", 0x2153 }, { "frac14", 0xbc },
	{ "frac15", 0x2155 }, { "frac16", 0x2159 }, { "frac18", 0x215b },
	{ "frac23", 0x2154 }, { "frac25", 0x2156 }, { "frac34", 0xbe },
	{ "frac35", 0x2157 }, { "frac38", 0x215c }, { "frac45", 0x2158 },
	{ "frac56", 0x215a }, { "frac58", 0x215d }, { "frac78", 0x215e },
	{ "frasl", 0x2044 }, { "gamma", 0x3b3 }, { "ge", 0x2265 },
	{ "grave", 0x60 }, { "gt", 0x3e }, { "hArr", 0x21d4 },
	{ "hairsp", 0x200a }, { "half", 0xbd }, { "harr", 0x2194 },
	{ "hbar", 0x210f }, { "hearts", 0x2665 }, { "hellip", 0x2026 },
	{ "horbar", 0x2015 }, { "hyphen", 0x2010 }, { "iacute", 0xed },
	{ "icirc", 0xee }, { "iexcl", 0xa1 }, { "igrave", 0xec },
	{ "image", 0x2111 }, { "imath", 0x131 }, { "incare", 0x2105 },
	{ "infin", 0x221e }, { "inodot", 0x131 }, { "int", 0x222b },
	{ "iota", 0x3b9 }, { "iquest", 0xbf }, { "isin", 0x2208 },
	{ "iuml", 0xef }, { "jmath", 0x237 }, { "kappa", 0x3ba },
	{ "lArr", 0x21d0 }, { "lambda", 0x3bb }, { "lang", 0x2329 },
	{ "laquo", 0xab }, { "larr", 0x2190 }, { "lbrace", 0x7b },
	{ "lbrack", 0x5b }, { "lceil", 0x2308 }, { "lcub", 0x7b },
	{ "ldquo", 0x201c }, { "ldquor", 0x201e }, { "le", 0x2264 },
	{ "leftarrow", 0x2190 }, { "lfloor", 0x230a }, { "lowast", 0x2217 },
	{ "lowbar", 0x5f }, { "loz", 0x25ca }, { "lpar", 0x28 },
	{ "lrm", 0x200e }, { "lsaquo", 0x2039 }, { "lsqb", 0x5b },
	{ "lsquo", 0x2018 }, { "lsquor", 0x201a }, { "lt", 0x3c },
	{ "macr", 0xaf }, { "male", 0x2642 }, { "malt", 0x2720 },
	{ "maltese", 0x2720 }, { "mdash", 0x2014 }, { "micro", 0xb5 },
	{ "middot", 0xb7 }, { "minus", 0x2212 }, { "mldr", 0x2026 },
	{ "mu", 0x3bc }, { "nabla", 0x2207 }, { "natural", 0x266e },
	{ "nbsp", 0xa0 }, { "ndash", 0x2013 }, { "ne", 0x2260 },
	{ "ni", 0x220b }, { "nldr", 0x2025 }, { "not", 0xac },
	{ "notin", 0x2209 }, { "nsub", 0x2284 }, { "ntilde", 0xf1 },
	{ "nu", 0x3bd }, { "num", 0x23 }, { "numsp", 0x2007 },
	{ "oacute", 0xf3 }, { "ocirc", 0xf4 }, { "oelig", 0x153 },
	{ "ograve", 0xf2 }, { "oline", 0x203e }, { "omega", 0x3c9 },
	{ "omicron", 0x3bf }, { "oplus", 0x2295 }, { "or", 0x2228 },
	{ "ordf", 0xaa }, { "ordm", 0xba }, { "oslash", 0xf8 },
	{ "otilde", 0xf5 }, { "otimes", 0x2297 }, { "ouml", 0xf6 },
	{ "para", 0xb6 }, { "part", 0x2202 }, { "percnt", 0x25 },
	{ "period", 0x2e }, { "permil", 0x2030 }, { "perp", 0x22a5 },
	{ "phi", 0x3c6 }, { "phone", 0x260e }, { "pi", 0x3c0 },
	{ "piv", 0x3d6 }, { "planck", 0x210f }, { "plus", 0x2b },
	{ "plusmn", 0xb1 }, { "pound", 0xa3 }, { "prime", 0x2032 },
	{ "prod", 0x220f }, { "prop", 0x221d }, { "psi", 0x3c8 },
	{ "puncsp", 0x2008 }, { "quest", 0x3f }, { "quot", 0x22 },
	{ "rArr", 0x21d2 }, { "radic", 0x221a }, { "rang", 0x232a },
	{ "raquo", 0xbb }, { "rarr", 0x2192 }, { "rbrace", 0x7d },
	{ "rbrack", 0x5d }, { "rceil", 0x2309 }, { "rcub", 0x7d },
	{ "rdquo", 0x201d }, { "rdquor", 0x201d }, { "real", 0x211c },
	{ "rect", 0x25ad }, { "reg", 0xae }, { "rfloor", 0x230b },
	{ "rho", 0x3c1 }, { "rightarrow", 0x2192 }, { "rlm", 0x200f },
	{ "rpar", 0x29 }, { "rsaquo", 0x203a }, { "rsqb", 0x5d },
	{ "rsquo", 0x2019 }, { "rsquor", 0x2019 }, { "sbquo", 0x201a },
	{ "scaron", 0x161 }, { "sdot", 0x22c5 }, { "sect", 0xa7 },
	{ "semi", 0x3b }, { "sext", 0x2736 }, { "sharp", 0x266f },
	{ "shy", 0xad }, { "sigma", 0x3c3 }, { "sigmaf", 0x3c2 },
	{ "sim", 0x223c }, { "sol", 0x2f }, { "spades", 0x2660 },
	{ "squ", 0x25a1 }, { "square", 0x25a1 }, { "squf", 0x25aa },
	{ "star", 0x2606 }, { "starf", 0x2605 }, { "sub", 0x2282 },
	{ "sube", 0x2286 }, { "sum", 0x2211 }, { "sup", 0x2283 },
	{ "sup1", 0xb9 }, { "sup2", 0xb2 }, { "sup3", 0xb3 },
	{ "supe", 0x2287 }, { "szlig", 0xdf }, { "tau", 0x3c4 },
	{ "there4", 0x2234 }, { "theta", 0x3b8 }, { "thetasym", 0x3d1 },
	{ "thinsp", 0x2009 }, { "thorn", 0xfe }, { "tilde", 0x2dc },
	{ "times", 0xd7 }, { "trade", 0x2122 }, { "uArr", 0x21d1 },
	{ "uacute", 0xfa }, { "uarr", 0x2191 }, { "ucirc", 0xfb },
	{ "ugrave", 0xf9 }, { "uml", 0xa8 }, { "upsih", 0x3d2 },
	{ "upsilon", 0x3c5 }, { "uuml", 0xfc }, { "verbar", 0x7c },
	{ "vert", 0x7c }, { "weierp", 0x2118 }, { "xi", 0x3be },
	{ "yacute", 0xfd }, { "yen", 0xa5 }, { "yuml", 0xff },
	{ "zeta", 0x3b6 }, { "zwj", 0x200d }, { "zwnj", 0x200c },
};

/* The output being built, and the rules' state. */
struct text_out {
	char		*data;
	size_t		 len;
	size_t		 size;
	size_t		 max_chars;	/* 0: no limit */
	size_t		 chars;		/* code points in data */
	size_t		 brk_len;	/* data length at the last break */
	size_t		 brk_chars;
	int		 pending_space;	/* a space is owed before the next char */
	int		 prev_cjk;
	int		 done;		/* max_chars reached: ignore the rest */
};

/* The HTML path's state, the SAX callbacks' user data. */
struct text_html {
	struct text_out	*out;
	htmlParserCtxtPtr ctxt;
	int		 skip;		/* depth inside script, style, ... */
};

enum text_element_kind {
	TEXT_ELEMENT_BLOCK,	/* separates words: becomes one space */
	TEXT_ELEMENT_SKIP,	/* its content is not text for a reader */
};

struct text_element {
	const char		*name;
	enum text_element_kind	 kind;
};

/*
 * The elements that are not plain inline text. Sorted by name in strcmp()
 * order because text_element_find() searches it with bsearch(); libxml2
 * hands us lower-case names. Anything else (a, b, span, img, ...) is
 * inline: its text runs on without a space. object is inline too, not
 * skipped: what it holds is the fallback a browser shows when it cannot
 * show the object, and an excerpt shows no plugin. iframe is skipped: its
 * content is never shown, and HTML5 parses it as raw text.
 */
static const struct text_element text_elements[] = {
	{ "address", TEXT_ELEMENT_BLOCK }, { "article", TEXT_ELEMENT_BLOCK },
	{ "aside", TEXT_ELEMENT_BLOCK }, { "blockquote", TEXT_ELEMENT_BLOCK },
	{ "body", TEXT_ELEMENT_BLOCK }, { "br", TEXT_ELEMENT_BLOCK },
	{ "caption", TEXT_ELEMENT_BLOCK }, { "center", TEXT_ELEMENT_BLOCK },
	{ "dd", TEXT_ELEMENT_BLOCK }, { "details", TEXT_ELEMENT_BLOCK },
	{ "dialog", TEXT_ELEMENT_BLOCK }, { "dir", TEXT_ELEMENT_BLOCK },
	{ "div", TEXT_ELEMENT_BLOCK }, { "dl", TEXT_ELEMENT_BLOCK },
	{ "dt", TEXT_ELEMENT_BLOCK }, { "fieldset", TEXT_ELEMENT_BLOCK },
	{ "figcaption", TEXT_ELEMENT_BLOCK }, { "figure", TEXT_ELEMENT_BLOCK },
	{ "footer", TEXT_ELEMENT_BLOCK }, { "form", TEXT_ELEMENT_BLOCK },
	{ "h1", TEXT_ELEMENT_BLOCK }, { "h2", TEXT_ELEMENT_BLOCK },
	{ "h3", TEXT_ELEMENT_BLOCK }, { "h4", TEXT_ELEMENT_BLOCK },
	{ "h5", TEXT_ELEMENT_BLOCK }, { "h6", TEXT_ELEMENT_BLOCK },
	{ "head", TEXT_ELEMENT_SKIP }, { "header", TEXT_ELEMENT_BLOCK },
	{ "hgroup", TEXT_ELEMENT_BLOCK }, { "hr", TEXT_ELEMENT_BLOCK },
	{ "html", TEXT_ELEMENT_BLOCK }, { "iframe", TEXT_ELEMENT_SKIP },
	{ "legend", TEXT_ELEMENT_BLOCK }, { "li", TEXT_ELEMENT_BLOCK },
	{ "main", TEXT_ELEMENT_BLOCK }, { "menu", TEXT_ELEMENT_BLOCK },
	{ "nav", TEXT_ELEMENT_BLOCK }, { "noscript", TEXT_ELEMENT_SKIP },
	{ "ol", TEXT_ELEMENT_BLOCK },
	{ "option", TEXT_ELEMENT_BLOCK }, { "p", TEXT_ELEMENT_BLOCK },
	{ "pre", TEXT_ELEMENT_BLOCK }, { "script", TEXT_ELEMENT_SKIP },
	{ "section", TEXT_ELEMENT_BLOCK }, { "style", TEXT_ELEMENT_SKIP },
	{ "summary", TEXT_ELEMENT_BLOCK }, { "svg", TEXT_ELEMENT_SKIP },
	{ "table", TEXT_ELEMENT_BLOCK }, { "tbody", TEXT_ELEMENT_BLOCK },
	{ "td", TEXT_ELEMENT_BLOCK }, { "template", TEXT_ELEMENT_SKIP },
	{ "tfoot", TEXT_ELEMENT_BLOCK }, { "th", TEXT_ELEMENT_BLOCK },
	{ "thead", TEXT_ELEMENT_BLOCK }, { "title", TEXT_ELEMENT_SKIP },
	{ "tr", TEXT_ELEMENT_BLOCK }, { "ul", TEXT_ELEMENT_BLOCK },
};

/* For bsearch() over either table: both start with the name. */
static int
text_name_cmp(const void *key, const void *elem)
{
	return (strcmp(key, *(const char *const *)elem));
}

static const struct text_element *
text_element_find(const xmlChar *name)
{
	const xmlChar	*colon;

	/* Atom xhtml content may arrive with its prefix: "xhtml:p" is p. */
	if ((colon = xmlStrchr(name, ':')) != NULL)
		name = colon + 1;
	return (bsearch(name, text_elements,
	    sizeof text_elements / sizeof text_elements[0],
	    sizeof text_elements[0], text_name_cmp));
}

size_t
text_element_count(void)
{
	return (sizeof text_elements / sizeof text_elements[0]);
}

const char *
text_element_name(size_t i)
{
	if (i >= text_element_count())
		return (NULL);
	return (text_elements[i].name);
}

/*
 * Decode one character at p (n > 0 bytes left) under feedfold's repair
 * rule; returns the bytes consumed and sets *cp:
 *  - a valid UTF-8 sequence is its code point;
 *  - a CESU-8 surrogate pair (Java's "modified UTF-8", MySQL utf8mb3
 *    dumps) is the supplementary code point it encodes;
 *  - a lone surrogate is consumed whole and yields TEXT_CP_NONE;
 *  - any other byte that does not start a valid sequence (stray
 *    continuation bytes, overlong forms, code points above U+10FFFF,
 *    truncated sequences, 0xf5-0xff) is one windows-1252 character, which
 *    is what such bytes in a feed almost always are.
 */
static size_t
text_utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t	c = p[0], hi, lo;

	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c >= 0xc2 && c <= 0xdf && n >= 2 && (p[1] & 0xc0) == 0x80) {
		*cp = ((c & 0x1f) << 6) | (p[1] & 0x3f);
		return (2);
	}
	if (c >= 0xe0 && c <= 0xef && n >= 3 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		hi = ((c & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) |
		    (p[2] & 0x3f);
		if (hi < 0x800)
			goto cp1252;
		if (hi < 0xd800 || hi > 0xdfff) {
			*cp = hi;
			return (3);
		}
		if (hi <= 0xdbff && n >= 6 && p[3] == 0xed &&
		    (p[4] & 0xf0) == 0xb0 && (p[5] & 0xc0) == 0x80) {
			lo = 0xd000 | ((uint32_t)(p[4] & 0x3f) << 6) |
			    (p[5] & 0x3f);
			*cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
			return (6);
		}
		*cp = TEXT_CP_NONE;
		return (3);
	}
	if (c >= 0xf0 && c <= 0xf4 && n >= 4 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80) {
		hi = ((c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3f) << 12) |
		    ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
		if (hi >= 0x10000 && hi <= 0x10ffff) {
			*cp = hi;
			return (4);
		}
	}
cp1252:
	*cp = (c < 0xa0) ? text_cp1252[c - 0x80] : c;
	return (1);
}

/* Encode cp (at most U+10FFFF) at out; returns 1 to 4. */
static size_t
text_utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

/* 1 if s holds only valid UTF-8 and no NUL: nothing to repair. */
static int
text_utf8_clean(const unsigned char *s, size_t len)
{
	const unsigned char	*end = s + len;
	uint32_t		 cp;
	size_t			 n;

	while (s < end) {
		if (*s >= 0x01 && *s < 0x80) {
#ifdef __SSE2__
			/*
			 * Sixteen bytes of ASCII without a NUL at once (signed:
			 * bytes past ASCII are negative): the text between the
			 * words past ASCII.
			 */
			if (end - s >= 16 && _mm_movemask_epi8(_mm_cmpgt_epi8(
			    _mm_loadu_si128((const __m128i *)(const void *)s),
			    _mm_setzero_si128())) == 0xffff) {
				s += 16;
				continue;
			}
#endif
			s++;
			continue;
		}
		if (*s == 0)
			return (0);
		n = text_utf8_next(s, (size_t)(end - s), &cp);
		/* A repaired byte is a one-byte step from a byte >= 0x80. */
		if (n == 1 || n == 6 || cp == TEXT_CP_NONE)
			return (0);
		s += n;
	}
	return (1);
}

/* Repair len bytes into out (room for 3 * len); returns the length. */
static size_t
text_utf8_repair(const unsigned char *s, size_t len, char *out)
{
	const unsigned char	*end = s + len;
	uint32_t		 cp;
	size_t			 o = 0;

	while (s < end) {
		if (*s >= 0x01 && *s < 0x80) {
			out[o++] = (char)*s++;
			continue;
		}
		s += text_utf8_next(s, (size_t)(end - s), &cp);
		if (cp != 0 && cp != TEXT_CP_NONE)
			o += text_utf8_put(cp, out + o);
	}
	return (o);
}

int
text_utf8_valid(const char *s, size_t len)
{
	return len == 0 || text_utf8_clean((const unsigned char *)s, len);
}

char *
text_utf8_fix(const char *s, size_t len)
{
	char	*out;
	size_t	 n;

	if (text_utf8_clean((const unsigned char *)s, len))
		return (xstrndup(s, len));
	/* One byte becomes at most three (a windows-1252 character). */
	out = xreallocarray(NULL, len + 1, 3);
	n = text_utf8_repair((const unsigned char *)s, len, out);
	out[n] = '\0';
	return (xrealloc(out, n + 1));
}

static int
text_is_space(uint32_t cp)
{
	if (cp <= 0x20)
		return (cp == ' ' || (cp >= 0x09 && cp <= 0x0d));
	if (cp < 0xa0)
		return (0);
	return (cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000);
}

/*
 * Characters a reader never sees: controls, the soft hyphen, zero-width
 * space and no-break, BOMs, noncharacters. ZWJ and ZWNJ stay: they shape
 * emoji sequences and Persian and Indic words. So do the bidi marks.
 */
static int
text_is_invisible(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return (1);
	if (cp < 0xad)
		return (cp >= 0x80 && cp < 0xa0);
	return (cp == 0xad || cp == 0x180e || cp == 0x200b || cp == 0x2060 ||
	    cp == 0xfeff || cp == 0xfffe || cp == 0xffff);
}

/*
 * Scripts written without spaces between words (Chinese, Japanese): a cut
 * may fall between any two of their characters.
 */
static int
text_is_cjk(uint32_t cp)
{
	return ((cp >= 0x2e80 && cp <= 0x9fff) ||
	    (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xff00 && cp <= 0xffef) ||
	    (cp >= 0x20000 && cp <= 0x3ffff));
}

static void
text_out_init(struct text_out *o, size_t hint, size_t max_chars)
{
	memset(o, 0, sizeof *o);
	o->max_chars = max_chars;
	/* Never more than four bytes a character; never more than asked. */
	if (max_chars > 0 && max_chars < SIZE_MAX / 4 && hint > max_chars * 4)
		hint = max_chars * 4;
	o->size = hint + 8;
	o->data = xmalloc(o->size);
}

static void
text_out_grow(struct text_out *o, size_t need)
{
	if (o->size - o->len >= need)
		return;
	while (o->size - o->len < need)
		o->size = o->size < SIZE_MAX / 2 ? o->size * 2 : SIZE_MAX;
	o->data = xrealloc(o->data, o->size);
}

/*
 * The limit is reached and one more character (cjk says whether it is
 * Chinese or Japanese) wants in: choose where the text ends. If a space
 * is owed, or a CJK character meets the end, the text ends on a boundary
 * as it is. Inside a word, back up to the last boundary unless that loses
 * more than a quarter of the text (one long URL, Thai); then cut between
 * two characters.
 */
static void
text_out_cut(struct text_out *o, int cjk)
{
	o->done = 1;
	if (o->pending_space || cjk || o->prev_cjk)
		return;
	if (o->brk_len > 0 && o->brk_chars >= o->max_chars - o->max_chars / 4) {
		o->len = o->brk_len;
		o->chars = o->brk_chars;
	}
}

/* Append one code point under the rules; the one place they live. */
static void
text_out_char(struct text_out *o, uint32_t cp)
{
	int	cjk;

	if (o->done || cp == TEXT_CP_NONE)
		return;
	if (cp >= 0x80 && cp < 0xa0) {
		/*
		 * C1 controls in decoded text are windows-1252 read as
		 * ISO-8859-1 (a feed's wrong charset, a "&#147;" reference):
		 * give them the windows-1252 meaning, as browsers do.
		 */
		cp = text_cp1252[cp - 0x80];
	}
	if (text_is_space(cp)) {
		if (o->len > 0)
			o->pending_space = 1;
		return;
	}
	if (text_is_invisible(cp))
		return;
	cjk = text_is_cjk(cp);
	if (o->max_chars > 0 &&
	    o->chars + (size_t)o->pending_space >= o->max_chars) {
		text_out_cut(o, cjk);
		return;
	}
	text_out_grow(o, 5);
	if (o->pending_space) {
		o->brk_len = o->len;
		o->brk_chars = o->chars;
		o->data[o->len++] = ' ';
		o->chars++;
		o->pending_space = 0;
	} else if (cjk || o->prev_cjk) {
		o->brk_len = o->len;
		o->brk_chars = o->chars;
	}
	o->len += text_utf8_put(cp, o->data + o->len);
	o->chars++;
	o->prev_cjk = cjk;
}

#ifdef __SSE2__
/*
 * Past the bytes from p on that are printable ASCII or a space before
 * one, sixteen at a time, up to end (the byte after each sixteen is
 * loaded too: it is before end); *brk is moved to the last such space.
 * The byte loop of text_out_bytes() takes over where this stops.
 */
static const unsigned char *
text_out_words16(const unsigned char *p, const unsigned char *end,
    const unsigned char **brk)
{
	const __m128i	 lo = _mm_set1_epi8(0x20), hi = _mm_set1_epi8(0x7f);
	const __m128i	 space = _mm_set1_epi8(' ');
	__m128i		 v, w, pv, pw, sp;
	unsigned int	 sm;

	while (end - p >= 17) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		w = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
		/* Signed: bytes past ASCII are below 0x21. */
		pv = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
		pw = _mm_and_si128(_mm_cmpgt_epi8(w, lo), _mm_cmplt_epi8(w, hi));
		sp = _mm_cmpeq_epi8(v, space);
		if (_mm_movemask_epi8(_mm_or_si128(pv, _mm_and_si128(sp,
		    pw))) != 0xffff)
			break;
		sm = (unsigned int)_mm_movemask_epi8(sp);
		if (sm != 0)
			*brk = p + 31 - __builtin_clz(sm);
		p += 16;
	}
	return p;
}
#endif

/* Append bytes, repairing them as text_utf8_fix() does. */
static void
text_out_bytes(struct text_out *o, const unsigned char *p, size_t len)
{
	const unsigned char	*end = p + len, *run, *brk;
	uint32_t		 cp;
	size_t			 n;

	while (p < end && !o->done) {
		/*
		 * The common case, words of printable ASCII and the
		 * whitespace between them: text_out_char's rules for these
		 * bytes, written out, a word copied at a time. Near the
		 * limit the general path below decides.
		 */
		if (*p > 0x20 && *p < 0x7f && (o->max_chars == 0 ||
		    o->chars + 1 + (size_t)o->pending_space < o->max_chars)) {
			if (o->pending_space) {
				text_out_grow(o, 1);
				o->brk_len = o->len;
				o->brk_chars = o->chars;
				o->data[o->len++] = ' ';
				o->chars++;
				o->pending_space = 0;
			}
			n = o->max_chars == 0 ? (size_t)(end - p) :
			    o->max_chars - o->chars - 1;
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			/*
			 * Words and the single spaces between them: a space
			 * is a break, as text_out_char would note it.
			 */
			for (run = p, brk = NULL; (size_t)(p - run) < n; p++) {
#ifdef __SSE2__
				p = text_out_words16(p, run + n, &brk);
#endif
				if (*p > 0x20 && *p < 0x7f)
					continue;
				if (*p != ' ' || (size_t)(p + 1 - run) >= n ||
				    p[1] <= 0x20 || p[1] >= 0x7f)
					break;
				brk = p;
			}
			n = (size_t)(p - run);
			text_out_grow(o, n);
			if (brk != NULL) {
				o->brk_len = o->len + (size_t)(brk - run);
				o->brk_chars = o->chars + (size_t)(brk - run);
			}
			memcpy(o->data + o->len, run, n);
			o->len += n;
			o->chars += n;
			o->prev_cjk = 0;
			continue;
		}
		if (*p == ' ' || (*p >= 0x09 && *p <= 0x0d)) {
			if (o->len > 0)
				o->pending_space = 1;
			p++;
			continue;
		}
		p += text_utf8_next(p, (size_t)(end - p), &cp);
		text_out_char(o, cp);
	}
}

/*
 * The result: NUL-terminated, trimmed to size, owned by the caller. A
 * title or a name fills the buffer sized for it to within a few bytes:
 * no realloc for those, which would only give back less than malloc's
 * own rounding.
 */
static char *
text_out_finish(struct text_out *o)
{
	text_out_grow(o, 1);
	o->data[o->len] = '\0';
	if (o->size - o->len <= 32)
		return (o->data);
	return (xrealloc(o->data, o->len + 1));
}

char *
text_from_plain(const char *s, size_t len, size_t max_chars)
{
	struct text_out	o;

	text_out_init(&o, len, max_chars);
	text_out_bytes(&o, (const unsigned char *)s, len);
	return (text_out_finish(&o));
}

int
text_entity_utf8(const char *name, size_t len, char out[8])
{
	const struct text_entity	*e;
	char				 key[TEXT_ENTITY_MAX + 1];

	if (len == 0 || len > TEXT_ENTITY_MAX)
		return (0);
	memcpy(key, name, len);
	key[len] = '\0';
	if (strlen(key) != len)
		return (0);
	e = bsearch(key, text_entities,
	    sizeof text_entities / sizeof text_entities[0],
	    sizeof text_entities[0], text_name_cmp);
	if (e == NULL)
		return (0);
	return ((int)text_utf8_put(e->cp, out));
}

size_t
text_entity_count(void)
{
	return (sizeof text_entities / sizeof text_entities[0]);
}

const char *
text_entity_name(size_t i)
{
	if (i >= text_entity_count())
		return (NULL);
	return (text_entities[i].name);
}

static void
text_html_characters(void *ctx, const xmlChar *ch, int len)
{
	struct text_html	*h = ctx;

	if (h->skip > 0 || h->out->done || len <= 0)
		return;
	text_out_bytes(h->out, ch, (size_t)len);
	if (h->out->done)
		xmlStopParser(h->ctxt);
}

static void
text_html_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct text_html		*h = ctx;
	const struct text_element	*e = text_element_find(name);

	(void)atts;
	if (e == NULL)
		return;
	if (e->kind == TEXT_ELEMENT_SKIP)
		h->skip++;
	else if (h->out->len > 0)
		h->out->pending_space = 1;
}

static void
text_html_end(void *ctx, const xmlChar *name)
{
	struct text_html		*h = ctx;
	const struct text_element	*e = text_element_find(name);

	if (e == NULL)
		return;
	if (e->kind == TEXT_ELEMENT_SKIP) {
		if (h->skip > 0)
			h->skip--;
	} else if (h->out->len > 0)
		h->out->pending_space = 1;
}

/* libxml2's diagnostics about tag soup are noise here: swallow them. */
static void
text_html_error(void *ctx, xmlErrorPtr error)
{
	(void)ctx;
	(void)error;
}

/*
 * Where to end a chunk that would end at p + n (left bytes remain, n is
 * at least TEXT_CHUNK_FIRST): not inside a UTF-8 sequence, a "&name;"
 * reference, a "<![CDATA[" or a "]]>", so that text_chunk_prepare() sees
 * each whole.
 */
static size_t
text_chunk_end(const unsigned char *p, size_t n, size_t left)
{
	size_t	k = n, j;

	if (n >= left)
		return (left);
	while (k > n - 3 && (p[k] & 0xc0) == 0x80)
		k--;
	while (k > n - 6 && p[k - 1] == ']')
		k--;
	for (j = k; j > 0 && k - j <= TEXT_ENTITY_MAX + 1; j--) {
		if (p[j - 1] == ';' || p[j - 1] == '>')
			break;
		if (p[j - 1] == '<') {
			if (k - j < 8)
				k = j - 1;
			break;
		}
		if (p[j - 1] == '&') {
			k = j - 1;
			break;
		}
	}
	/* Never an empty chunk, whatever the bytes. */
	return (k > 0 ? k : n);
}

/*
 * A named reference at p (after the '&', n bytes left) that the table
 * knows: its code point and the bytes up to and with the ';'; else 0.
 */
static size_t
text_chunk_entity(const unsigned char *p, size_t n, uint32_t *cp)
{
	const struct text_entity	*e;
	char				 key[TEXT_ENTITY_MAX + 1];
	size_t				 i;

	for (i = 0; i < n && i < TEXT_ENTITY_MAX; i++) {
		if ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' &&
		    p[i] <= 'Z') || (i > 0 && p[i] >= '0' && p[i] <= '9'))
			key[i] = (char)p[i];
		else
			break;
	}
	if (i == 0 || i == n || p[i] != ';')
		return (0);
	key[i] = '\0';
	e = bsearch(key, text_entities,
	    sizeof text_entities / sizeof text_entities[0],
	    sizeof text_entities[0], text_name_cmp);
	if (e == NULL)
		return (0);
	*cp = e->cp;
	return (i + 1);
}

/* Whether the m bytes of marker occur in the n bytes at p. */
static int
text_has_marker(const unsigned char *p, size_t n, const char *marker,
    size_t m)
{
	const unsigned char	*end = p + n, *q = p;

	while ((size_t)(end - q) >= m &&
	    (q = memchr(q, marker[0], (size_t)(end - q) - m + 1)) != NULL) {
		if (memcmp(q, marker, m) == 0)
			return (1);
		q++;
	}
	return (0);
}

/*
 * What libxml2 gets for n bytes at p: p itself when the bytes are valid
 * UTF-8 without a '&' or CDATA marker; else a copy in scratch (3 * n
 * bytes) where
 *  - the UTF-8 is repaired as text_utf8_fix() does (libxml2 would give up
 *    on UTF-8 and reread everything after as Latin-1);
 *  - every named reference the table knows is rewritten as a numeric one:
 *    "&mdash;" becomes "&#8212;", which libxml2 decodes without its
 *    linear table search and which covers HTML5 names its HTML 4 table
 *    lacks. A reference keeps meaning a character, never markup ("&lt;"
 *    becomes "&#60;");
 *  - "<![CDATA[" and "]]>" are removed: in HTML they can only come from a
 *    feed that wrapped its markup twice ("&lt;![CDATA[...]]&gt;"), and
 *    libxml2 would show them as text. What they wrapped is kept.
 * *outlen gets the length.
 */
static const char *
text_chunk_prepare(const unsigned char *p, size_t n, char *scratch,
    size_t *outlen)
{
	const unsigned char	*end = p + n, *q = p;
	uint32_t		 cp;
	size_t			 o, k;
	char			 num[12];
	int			 d;

	if (!text_has_marker(p, n, "<![CDATA[", 9) &&
	    !text_has_marker(p, n, "]]>", 3)) {
		while (q < end && *q != '&' && *q >= 0x01 && *q < 0x80)
			q++;
		if (q == end || (*q != '&' &&
		    text_utf8_clean(q, (size_t)(end - q)) &&
		    memchr(q, '&', (size_t)(end - q)) == NULL)) {
			*outlen = n;
			return ((const char *)p);
		}
	}
	o = 0;
	q = p;
	while (q < end) {
		if (*q >= 0x01 && *q < 0x80 && *q != '&' && *q != '<' &&
		    *q != ']') {
			scratch[o++] = (char)*q++;
			continue;
		}
		if (*q == '<' && (size_t)(end - q) >= 9 &&
		    memcmp(q, "<![CDATA[", 9) == 0) {
			q += 9;
			continue;
		}
		if (*q == ']' && (size_t)(end - q) >= 3 &&
		    memcmp(q, "]]>", 3) == 0) {
			q += 3;
			continue;
		}
		if (*q == '<' || *q == ']') {
			scratch[o++] = (char)*q++;
			continue;
		}
		if (*q == '&') {
			k = text_chunk_entity(q + 1, (size_t)(end - q - 1), &cp);
			if (k == 0) {
				scratch[o++] = (char)*q++;
				continue;
			}
			q += 1 + k;
			scratch[o++] = '&';
			scratch[o++] = '#';
			d = 0;
			do {
				num[d++] = (char)('0' + cp % 10);
				cp /= 10;
			} while (cp > 0);
			while (d > 0)
				scratch[o++] = num[--d];
			scratch[o++] = ';';
			continue;
		}
		q += text_utf8_next(q, (size_t)(end - q), &cp);
		if (cp != 0 && cp != TEXT_CP_NONE)
			o += text_utf8_put(cp, scratch + o);
	}
	*outlen = o;
	return (scratch);
}

/*
 * The fast path of text_from_html_fed: most summaries are a paragraph or
 * two of well-nested everyday markup, and creating a libxml2 HTML parser
 * for each costs more than the rest of an entry. text_html_simple reads
 * such a fragment itself and gives exactly what the libxml2 path gives,
 * by taking only what it can answer for certain and leaving the rest to
 * libxml2 (return 0; o is then untouched):
 *
 *  - the elements of text_simple_elements only (no script or style, no
 *    tables, nothing libxml2 moves), each closed by its own end tag in
 *    order; a start tag that libxml2 would take as the end of the open
 *    element ("<p>" in "<p>", a block in "<p>" or in inline markup, "<a>"
 *    in "<a>", "<li>" outside a list) is left to libxml2;
 *  - attribute values quoted; no comment, no "<!", "<?", no stray "<";
 *  - references: "&#N;", "&#xH;" of a character XML allows, and the
 *    named ones of text_entities (which text_chunk_prepare would make
 *    numeric); no bare "&";
 *  - text that is valid UTF-8 without control characters or "]]>".
 *
 * Text before the first tag is kept on the stack as an implied <p>: that
 * leaves to libxml2 (where it sits in the open <body>) a block start that
 * would close such a paragraph; the text is the same either way. A block
 * element becomes one owed space as in text_html_start/end; open elements
 * left at the end only owe spaces.
 * *used gets the bytes read (all of them unless the limit stopped it).
 */
#define TEXT_SIMPLE_DEPTH	32

enum text_simple_kind {
	TEXT_SIMPLE_INLINE,	/* runs on; may sit in anything */
	TEXT_SIMPLE_VOID,	/* br, img: no content, no end tag */
	TEXT_SIMPLE_BLOCK,	/* only in nothing, div, blockquote, li */
	TEXT_SIMPLE_LI,		/* only in nothing, ul, ol */
	TEXT_SIMPLE_DLITEM,	/* dt, dd: only in dl */
};

struct text_simple_element {
	const char	*name;
	unsigned char	 kind;		/* enum text_simple_kind */
};

/* Sorted by name (strcmp) for bsearch. */
static const struct text_simple_element text_simple_elements[] = {
	{ "a", TEXT_SIMPLE_INLINE }, { "abbr", TEXT_SIMPLE_INLINE },
	{ "b", TEXT_SIMPLE_INLINE }, { "big", TEXT_SIMPLE_INLINE },
	{ "blockquote", TEXT_SIMPLE_BLOCK }, { "br", TEXT_SIMPLE_VOID },
	{ "cite", TEXT_SIMPLE_INLINE }, { "code", TEXT_SIMPLE_INLINE },
	{ "dd", TEXT_SIMPLE_DLITEM }, { "div", TEXT_SIMPLE_BLOCK },
	{ "dl", TEXT_SIMPLE_BLOCK }, { "dt", TEXT_SIMPLE_DLITEM },
	{ "em", TEXT_SIMPLE_INLINE }, { "h1", TEXT_SIMPLE_BLOCK },
	{ "h2", TEXT_SIMPLE_BLOCK }, { "h3", TEXT_SIMPLE_BLOCK },
	{ "h4", TEXT_SIMPLE_BLOCK }, { "h5", TEXT_SIMPLE_BLOCK },
	{ "h6", TEXT_SIMPLE_BLOCK }, { "i", TEXT_SIMPLE_INLINE },
	{ "img", TEXT_SIMPLE_VOID }, { "kbd", TEXT_SIMPLE_INLINE },
	{ "li", TEXT_SIMPLE_LI }, { "ol", TEXT_SIMPLE_BLOCK },
	{ "p", TEXT_SIMPLE_BLOCK }, { "pre", TEXT_SIMPLE_BLOCK },
	{ "q", TEXT_SIMPLE_INLINE }, { "s", TEXT_SIMPLE_INLINE },
	{ "samp", TEXT_SIMPLE_INLINE }, { "small", TEXT_SIMPLE_INLINE },
	{ "span", TEXT_SIMPLE_INLINE }, { "strike", TEXT_SIMPLE_INLINE },
	{ "strong", TEXT_SIMPLE_INLINE }, { "sub", TEXT_SIMPLE_INLINE },
	{ "sup", TEXT_SIMPLE_INLINE }, { "tt", TEXT_SIMPLE_INLINE },
	{ "u", TEXT_SIMPLE_INLINE }, { "ul", TEXT_SIMPLE_BLOCK },
	{ "var", TEXT_SIMPLE_INLINE },
};

static int
text_simple_alpha(unsigned char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
text_simple_alnum(unsigned char c)
{
	return (text_simple_alpha(c) || (c >= '0' && c <= '9'));
}

static int
text_simple_space(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

/*
 * A start or end tag of the element named lower: a block element owes a
 * space, as in text_html_start and text_html_end (no element of the
 * fast path's table is one text_elements skips).
 */
static void
text_simple_owe(struct text_out *o, const char *lower)
{
	if (text_element_find((const xmlChar *)lower) != NULL && o->len > 0)
		o->pending_space = 1;
}

/*
 * The reference at p ("&..."; n bytes left): its length with the ';'
 * and its code point, or 0 when it is not one the fast path takes.
 */
static size_t
text_simple_ref(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t		 i, start;
	uint32_t	 v = 0;
	int		 hex;

	if (n < 3)
		return (0);
	if (p[1] != '#') {
		if (!text_simple_alpha(p[1]) ||
		    (i = text_chunk_entity(p + 1, n - 1, cp)) == 0)
			return (0);
		return (i + 1);
	}
	hex = p[2] == 'x' || p[2] == 'X';
	start = i = hex ? 3 : 2;
	for (; i < n && i - start < (hex ? 6u : 7u); i++) {
		if (p[i] >= '0' && p[i] <= '9')
			v = v * (hex ? 16 : 10) + (p[i] - '0');
		else if (hex && p[i] >= 'a' && p[i] <= 'f')
			v = v * 16 + (p[i] - 'a' + 10);
		else if (hex && p[i] >= 'A' && p[i] <= 'F')
			v = v * 16 + (p[i] - 'A' + 10);
		else
			break;
	}
	if (i == start || i == n || p[i] != ';')
		return (0);
	/* XML's Char production: libxml2 reports the rest as errors. */
	if (!(v == 0x9 || v == 0xa || v == 0xd || (v >= 0x20 && v <= 0xd7ff) ||
	    (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff)))
		return (0);
	*cp = v;
	return (i + 1);
}

#ifdef __SSE2__
/*
 * Past the bytes from p on that a run of text takes without a second look,
 * printable ASCII other than "<" and "&", sixteen at a time while sixteen
 * are left: the words of an excerpt. The byte loop of text_html_simple()
 * goes on from where this stops.
 */
static const unsigned char *
text_simple_run16(const unsigned char *p, const unsigned char *end)
{
	const __m128i	 lo = _mm_set1_epi8(0x1f), hi = _mm_set1_epi8(0x7f);
	const __m128i	 lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
	__m128i		 v, ok;
	unsigned int	 m;

	while (end - p >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed: bytes past ASCII are negative, below 0x1f. */
		ok = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
		ok = _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt),
		    _mm_cmpeq_epi8(v, amp)), ok);
		m = (unsigned int)_mm_movemask_epi8(ok);
		if (m != 0xffff)
			return (p + __builtin_ctz(~m));
		p += 16;
	}
	return (p);
}
#endif

static int
text_html_simple(const unsigned char *p, size_t len, size_t max_chars,
    struct text_out *out, size_t *used)
{
	const struct text_simple_element *stack[TEXT_SIMPLE_DEPTH], *e, *top;
	static const struct text_simple_element implied_p =
	    { "p", TEXT_SIMPLE_BLOCK };
	const unsigned char	*q, *end = p + len, *run, *start = p;
	struct text_out		 o;
	char			 name[12];
	unsigned char		 utf8[8];
	size_t			 depth = 0, n, i, k;
	uint32_t		 cp;
	int			 seen_tag = 0, closing, self, ok;
	unsigned char		 quote;

	if (text_has_marker(p, len, "]]>", 3))
		return (0);
	text_out_init(&o, len, max_chars);
	while (p < end && !o.done) {
		if (*p != '<' && *p != '&') {
			/* A run of text: checked, then taken whole. */
			for (run = p, ok = 1, k = 0; p < end; p++) {
#ifdef __SSE2__
				if ((p = text_simple_run16(p, end)) == end)
					break;
#endif
				if (*p == '<' || *p == '&')
					break;
				if (*p >= 0x80)
					k = 1;
				else if ((*p < 0x20 && !text_simple_space(*p)) ||
				    *p == 0x7f)
					ok = 0;
			}
			if (!ok || (k && !text_utf8_clean(run, (size_t)(p - run))))
				goto fail;
			if (!seen_tag && depth == 0) {
				for (q = run; q < p && text_simple_space(*q); q++)
					;
				if (q < p) {
					stack[depth++] = &implied_p;
					seen_tag = 1;
				}
			}
			text_out_bytes(&o, run, (size_t)(p - run));
			continue;
		}
		if (*p == '&') {
			if ((n = text_simple_ref(p, (size_t)(end - p), &cp)) == 0)
				goto fail;
			if (!seen_tag && depth == 0) {
				stack[depth++] = &implied_p;
				seen_tag = 1;
			}
			/* As libxml2 hands it over: UTF-8, on its own. */
			k = text_utf8_put(cp, (char *)utf8);
			text_out_bytes(&o, utf8, k);
			p += n;
			continue;
		}
		/* A tag: "<name attrs>", "<name attrs/>" or "</name>". */
		q = p + 1;
		closing = q < end && *q == '/';
		if (closing)
			q++;
		for (i = 0; q < end && i < sizeof name - 1 &&
		    text_simple_alnum(*q); q++, i++)
			name[i] = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		name[i] = '\0';
		if (i == 0 || q == end || text_simple_alnum(*q) ||
		    !text_simple_alpha((unsigned char)name[0]))
			goto fail;
		e = bsearch(name, text_simple_elements,
		    sizeof text_simple_elements /
		    sizeof text_simple_elements[0],
		    sizeof text_simple_elements[0], text_name_cmp);
		if (e == NULL)
			goto fail;
		top = depth > 0 ? stack[depth - 1] : NULL;
		if (closing) {
			while (q < end && text_simple_space(*q))
				q++;
			if (q == end || *q != '>' || e->kind == TEXT_SIMPLE_VOID ||
			    top == NULL || strcmp(top->name, e->name) != 0)
				goto fail;
			depth--;
			text_simple_owe(&o, e->name);
			p = q + 1;
			continue;
		}
		/* Attributes: name, or name=value with the value quoted. */
		self = 0;
		for (;;) {
			if (q < end && *q == '>')
				break;
			if (end - q >= 2 && q[0] == '/' && q[1] == '>') {
				self = 1;
				q++;
				break;
			}
			if (q == end || !text_simple_space(*q))
				goto fail;
			while (q < end && text_simple_space(*q))
				q++;
			if (q < end && (*q == '>' || *q == '/'))
				continue;
			for (k = 0; q < end && (text_simple_alnum(*q) ||
			    *q == '-' || *q == '_' || *q == ':' || *q == '.');
			    q++, k++)
				;
			if (k == 0 || q == end)
				goto fail;
			if (*q != '=')
				continue;
			if (++q == end || (*q != '"' && *q != '\''))
				goto fail;
			quote = *q++;
			while (q < end && *q != quote)
				q++;
			if (q == end)
				goto fail;
			q++;
		}
		/* Would libxml2 close the open element first? */
		switch (e->kind) {
		case TEXT_SIMPLE_INLINE:
			if (strcmp(e->name, "a") == 0) {
				for (k = 0; k < depth; k++)
					if (strcmp(stack[k]->name, "a") == 0)
						goto fail;
			}
			break;
		case TEXT_SIMPLE_VOID:
			break;
		case TEXT_SIMPLE_BLOCK:
			if (top != NULL && strcmp(top->name, "div") != 0 &&
			    strcmp(top->name, "blockquote") != 0 &&
			    strcmp(top->name, "li") != 0)
				goto fail;
			break;
		case TEXT_SIMPLE_LI:
			if (top != NULL && strcmp(top->name, "ul") != 0 &&
			    strcmp(top->name, "ol") != 0)
				goto fail;
			break;
		case TEXT_SIMPLE_DLITEM:
			if (top == NULL || strcmp(top->name, "dl") != 0)
				goto fail;
			break;
		}
		seen_tag = 1;
		text_simple_owe(&o, e->name);
		if (e->kind == TEXT_SIMPLE_VOID || self)
			text_simple_owe(&o, e->name);
		else {
			if (depth == TEXT_SIMPLE_DEPTH)
				goto fail;
			stack[depth++] = e;
		}
		p = q + 1;
	}
	*out = o;
	*used = (size_t)(p - start);
	return (1);
fail:
	free(o.data);
	return (0);
}

char *
text_from_html_fed(const char *html, size_t len, size_t max_chars,
    size_t *fed)
{
	static const int	 opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_IGNORE_ENC;
	htmlSAXHandler		 sax;
	struct text_out		 o;
	struct text_html	 h;
	const unsigned char	*p = (const unsigned char *)html;
	const char		*chunk;
	char			 scratch[TEXT_CHUNK * 3];
	size_t			 off = 0, n, clen, want = TEXT_CHUNK_FIRST;

	if (fed != NULL)
		*fed = 0;
	if (memchr(html, '<', len) == NULL && memchr(html, '&', len) == NULL)
		return (text_from_plain(html, len, max_chars));
	if (text_html_simple(p, len, max_chars, &o, &off)) {
		if (fed != NULL)
			*fed = off;
		return (text_out_finish(&o));
	}

	xmlInitParser();
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElement = text_html_start;
	sax.endElement = text_html_end;
	sax.characters = text_html_characters;
	/* Whitespace between two inline elements still separates words. */
	sax.ignorableWhitespace = text_html_characters;
	sax.cdataBlock = NULL;
	sax.serror = text_html_error;

	text_out_init(&o, len, max_chars);
	memset(&h, 0, sizeof h);
	h.out = &o;
	h.ctxt = htmlCreatePushParserCtxt(&sax, &h, NULL, 0, NULL,
	    XML_CHAR_ENCODING_UTF8);
	if (h.ctxt == NULL) {
		/* Out of memory inside libxml2: keep the text, lose the tags. */
		free(o.data);
		return (text_from_plain(html, len, max_chars));
	}
	htmlCtxtUseOptions(h.ctxt, opts);
	/*
	 * Open the body first: libxml2's push parser ignores all text after
	 * its element stack empties, which a stray "</p>" at the start of a
	 * fragment would otherwise do. The body itself, not just <html>:
	 * with only <html> open, a '<' that starts no tag at the head of the
	 * fragment ("<3", "<!'") comes out before the <body><p> libxml2
	 * implies for the text after it, and that <p> split the '<' from its
	 * word ("< 3"). In the body, text needs no implied element.
	 */
	htmlParseChunk(h.ctxt, "<html><body>", 12, 0);

	while (off < len && !o.done) {
		n = text_chunk_end(p + off, want, len - off);
		if (want < TEXT_CHUNK)
			want *= 2;
		if (fed != NULL)
			*fed += n;
		chunk = text_chunk_prepare(p + off, n, scratch, &clen);
		htmlParseChunk(h.ctxt, chunk, (int)clen, 0);
		off += n;
	}
	if (!o.done)
		htmlParseChunk(h.ctxt, NULL, 0, 1);
	htmlFreeParserCtxt(h.ctxt);
	return (text_out_finish(&o));
}

char *
text_from_html(const char *html, size_t len, size_t max_chars)
{
	return (text_from_html_fed(html, len, max_chars, NULL));
}
