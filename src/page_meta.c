/*
 * page_meta.c: article page heads (page_meta.h).
 *
 * libxml2's HTML push parser does the tokenising (entities, attribute
 * quoting, case, encodings); SAX callbacks pick out <meta>, <link> and
 * <base>, keep the first raw value of each kind, and page_meta_finish()
 * resolves and cleans them once the whole head has been seen (a <base
 * href> applies to the whole document, also to links before it).
 *
 * Where the head ends is decided on the raw bytes, not from libxml2's
 * element events: libxml2 closes the head by itself at the first element
 * it does not allow there, and pages put such elements in their heads all
 * the time (the <noscript><img> of tracking pixels, before the og: tags).
 * So every <meta> and <link> is taken wherever libxml2 puts it, and the
 * input stops just before the first "</head" or "<body" tag in the bytes.
 *
 * The head is collected first and parsed in one piece at the end. Fed in
 * pieces, libxml2's push parser gives results that depend on where the
 * network split the page (comments and unclosed attribute values across
 * pieces, a <meta charset> switching encodings in mid-stream: the fuzzer
 * found each), and a head is small and capped anyway.
 *
 * The encoding is decided before libxml2 sees a byte, as browsers do: the
 * BOM, else the Content-Type charset, else a <meta charset> or http-equiv
 * found in the first PAGE_META_PRESCAN bytes, else UTF-8; libxml2 is then
 * told to ignore the page's own declarations. UTF-8 is repaired here
 * (text_utf8_fix: stray bytes read as windows-1252), and windows-1252,
 * which also stands for ISO-8859-1 and ASCII (WHATWG), is decoded here;
 * other encodings go through libxml2's converters.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "buf.h"
#include "dates.h"
#include "page_meta.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* Longer attribute values are not URLs or names we want. */
#define PAGE_META_VALUE_MAX	(16 * 1024)
/* max_bytes above this is taken as this (htmlParseChunk takes an int). */
#define PAGE_META_MAX_LIMIT	(64 * 1024 * 1024)
/* Larger og:image sizes are not believed. */
#define PAGE_META_SIZE_MAX	100000
/* Bytes looked at for a <meta charset> (the HTML standard's 1024). */
#define PAGE_META_PRESCAN	1024

enum page_meta_enc {
	PAGE_META_UNKNOWN,
	PAGE_META_UTF8,		/* repaired here */
	PAGE_META_CP1252,	/* decoded here */
	PAGE_META_LIBXML,	/* libxml2's converter */
};

/* The tags that end the head, searched for in the raw bytes. */
static const char *const page_meta_stops[] = { "</head", "<body" };
#define PAGE_META_NSTOPS \
	(sizeof page_meta_stops / sizeof page_meta_stops[0])

struct page_meta_parser {
	char		*page_url;
	char		*charset;	/* the Content-Type's, or NULL */
	struct buf	 raw;		/* the head so far, capped */
	size_t		 seen;		/* bytes scanned for the stop tags */
	int		 done;

	/* The stop scan: progress in each stop tag, and a pending match. */
	size_t		 stop_state[PAGE_META_NSTOPS];
	int		 stop_pending;
	size_t		 stop_at;	/* offset of the match's '<' */

	/* First raw values, resolved and cleaned at the end. */
	char		*base;
	char		*amp;
	char		*canonical;
	char		*image;
	int		 image_closed;	/* a second og:image came */
	int		 width;
	int		 height;
	char		*site_name;
	char		*og_description;
	char		*description;
	int64_t		 published;
};

/* ---- SAX ----------------------------------------------------------------- */

static const char *
page_meta_attr(const xmlChar **atts, const char *name)
{
	size_t	 i;

	if (atts == NULL)
		return NULL;
	for (i = 0; atts[i] != NULL; i += 2) {
		if (strcmp((const char *)atts[i], name) == 0)
			return atts[i + 1] != NULL ?
			    (const char *)atts[i + 1] : "";
	}
	return NULL;
}

/* Keep v in *field unless there is one already, or v is empty or huge. */
static void
page_meta_keep(char **field, const char *v)
{
	const char *p;

	if (*field != NULL || v == NULL)
		return;
	for (p = v; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\f'; p++)
		;
	if (*p == '\0' || strlen(p) > PAGE_META_VALUE_MAX)
		return;
	*field = xstrdup(p);
}

/*
 * The same for a URL, which must also not name a scheme other than http or
 * https: a "javascript:" or "data:" link is skipped, so that a usable one
 * after it is kept. Relative URLs are resolved at the end.
 */
static void
page_meta_keep_url(char **field, const char *v)
{
	const char *p;
	size_t	 n;

	if (*field != NULL || v == NULL)
		return;
	p = v + strspn(v, " \t\r\n\f");
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+-.");
	if (n > 0 && p[n] == ':' &&
	    !(n == 4 && strncasecmp(p, "http", 4) == 0) &&
	    !(n == 5 && strncasecmp(p, "https", 5) == 0))
		return;
	page_meta_keep(field, p);
}

/* og:image:width and height: a positive integer, nothing else. */
static int
page_meta_size(const char *s)
{
	long	 v = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > PAGE_META_SIZE_MAX)
			return 0;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == '\0' ? (int)v : 0;
}

/*
 * One <meta> key (the property or name attribute, any case) with its
 * content. The og:image structure is Open Graph's: og:image:width and
 * height belong to the og:image before them, until the next og:image.
 */
static void
page_meta_property(struct page_meta_parser *p, const char *key,
    const char *content)
{
	int64_t	 t;
	int	 v;

	if (strcasecmp(key, "og:image") == 0 ||
	    strcasecmp(key, "og:image:url") == 0 ||
	    strcasecmp(key, "og:image:secure_url") == 0) {
		if (p->image == NULL)
			page_meta_keep_url(&p->image, content);
		else if (strcasecmp(key, "og:image") == 0 &&
		    content[strspn(content, " \t\r\n")] != '\0')
			p->image_closed = 1;
	} else if (strcasecmp(key, "og:image:width") == 0) {
		if (p->image != NULL && !p->image_closed && p->width == 0 &&
		    (v = page_meta_size(content)) > 0)
			p->width = v;
	} else if (strcasecmp(key, "og:image:height") == 0) {
		if (p->image != NULL && !p->image_closed && p->height == 0 &&
		    (v = page_meta_size(content)) > 0)
			p->height = v;
	} else if (strcasecmp(key, "og:site_name") == 0)
		page_meta_keep(&p->site_name, content);
	else if (strcasecmp(key, "og:description") == 0)
		page_meta_keep(&p->og_description, content);
	else if (strcasecmp(key, "description") == 0)
		page_meta_keep(&p->description, content);
	else if (strcasecmp(key, "article:published_time") == 0) {
		if (p->published == INT64_MIN && dates_parse(content, &t) == 0)
			p->published = t;
	}
}

/* Whether the rel attribute's token list holds token (ASCII case-blind). */
static int
page_meta_rel_has(const char *rel, const char *token)
{
	size_t	 n = strlen(token), k;

	while (*rel != '\0') {
		rel += strspn(rel, " \t\r\n\f");
		k = strcspn(rel, " \t\r\n\f");
		if (k == n && strncasecmp(rel, token, n) == 0)
			return 1;
		rel += k;
	}
	return 0;
}

static void
page_meta_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct page_meta_parser *p = ctx;
	const char	*name = (const char *)xname, *prop, *key, *content;
	const char	*rel, *href;

	if (strcmp(name, "meta") == 0) {
		if ((content = page_meta_attr(atts, "content")) == NULL)
			return;
		prop = page_meta_attr(atts, "property");
		key = page_meta_attr(atts, "name");
		if (prop != NULL)
			page_meta_property(p, prop, content);
		/* Pages often say both, with the same key: that is one tag. */
		if (key != NULL && (prop == NULL || strcasecmp(prop, key) != 0))
			page_meta_property(p, key, content);
	} else if (strcmp(name, "link") == 0) {
		rel = page_meta_attr(atts, "rel");
		href = page_meta_attr(atts, "href");
		if (rel == NULL || href == NULL)
			return;
		if (page_meta_rel_has(rel, "amphtml"))
			page_meta_keep_url(&p->amp, href);
		if (page_meta_rel_has(rel, "canonical"))
			page_meta_keep_url(&p->canonical, href);
	} else if (strcmp(name, "base") == 0)
		page_meta_keep_url(&p->base, page_meta_attr(atts, "href"));
}

/* libxml2's complaints about tag soup are not ours to report. */
static void
page_meta_error(void *ctx, xmlErrorPtr error)
{
	(void)ctx;
	(void)error;
}

/* ---- input --------------------------------------------------------------- */

static int
page_meta_delim(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '>' || c == '/';
}

/*
 * Scan buf[0, n), at offset p->seen of the page, for the first stop tag
 * followed by a delimiter; the state carries over between calls, so that
 * a tag split across two reads is found. Returns 1 with p->stop_at set to
 * the offset of the tag's '<', or 0.
 */
static int
page_meta_scan(struct page_meta_parser *p, const unsigned char *buf, size_t n)
{
	size_t	 i, k;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = buf[i];
		if (p->stop_pending) {
			if (page_meta_delim(c))
				return 1;
			p->stop_pending = 0;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		for (k = 0; k < PAGE_META_NSTOPS; k++) {
			const char *tag = page_meta_stops[k];

			if (c == (unsigned char)tag[p->stop_state[k]]) {
				if (tag[++p->stop_state[k]] == '\0') {
					p->stop_pending = 1;
					p->stop_at = p->seen + i + 1 -
					    p->stop_state[k];
					p->stop_state[k] = 0;
				}
			} else
				p->stop_state[k] = c == '<';
		}
	}
	return 0;
}

/* ---- encodings ----------------------------------------------------------- */

/*
 * What a charset label means. A page's own <meta> saying UTF-16 means
 * UTF-8 (its bytes could not have been read otherwise), and UTF-7 is
 * ignored, as the HTML standard says; *handler is set for
 * PAGE_META_LIBXML.
 */
static enum page_meta_enc
page_meta_label(const char *label, size_t len, int from_meta,
    xmlCharEncodingHandlerPtr *handler)
{
	static const char *const utf8[] = {
		"utf-8", "utf8", "unicode-1-1-utf-8",
	};
	static const char *const cp1252[] = {
		"windows-1252", "cp1252", "x-cp1252", "iso-8859-1",
		"iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii",
		"ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100",
		"csisolatin1",
	};
	char	 name[64];
	size_t	 i;

	if (len == 0 || len >= sizeof name)
		return PAGE_META_UNKNOWN;
	for (i = 0; i < len; i++)
		name[i] = (char)(label[i] >= 'A' && label[i] <= 'Z' ?
		    label[i] + 'a' - 'A' : label[i]);
	name[len] = '\0';
	for (i = 0; i < sizeof utf8 / sizeof utf8[0]; i++) {
		if (strcmp(name, utf8[i]) == 0)
			return PAGE_META_UTF8;
	}
	for (i = 0; i < sizeof cp1252 / sizeof cp1252[0]; i++) {
		if (strcmp(name, cp1252[i]) == 0)
			return PAGE_META_CP1252;
	}
	if (strncmp(name, "utf-7", 5) == 0 || strcmp(name, "utf7") == 0)
		return PAGE_META_UNKNOWN;
	if (from_meta && strncmp(name, "utf-16", 6) == 0)
		return PAGE_META_UTF8;
	if ((*handler = xmlFindCharEncodingHandler(name)) == NULL)
		return PAGE_META_UNKNOWN;
	return PAGE_META_LIBXML;
}

/* Case-blind prefix test at s[i] within n bytes. */
static int
page_meta_at(const char *s, size_t i, size_t n, const char *lit)
{
	size_t	 k = strlen(lit);

	return n - i >= k && strncasecmp(s + i, lit, k) == 0;
}

/*
 * The charset named by the first <meta> that names one in s[0, n): both
 * <meta charset=x> and <meta http-equiv content="...; charset=x"> say
 * "charset" then "=" inside the tag. Comments are skipped. Returns the
 * value's length (0 if none) with *value pointing at it.
 */
static size_t
page_meta_prescan(const char *s, size_t n, const char **value)
{
	size_t	 i, end, j, k;
	const char *q;

	for (i = 0; i < n; i++) {
		if (page_meta_at(s, i, n, "<!--")) {
			for (j = i + 4; j < n && !page_meta_at(s, j, n, "-->");
			    j++)
				;
			if (j >= n)
				return 0;
			i = j + 2;
			continue;
		}
		if (!page_meta_at(s, i, n, "<meta") || n - i < 6 ||
		    !page_meta_delim((unsigned char)s[i + 5]))
			continue;
		q = memchr(s + i, '>', n - i);
		end = q != NULL ? (size_t)(q - s) : n;
		for (j = i + 5; j < end; j++) {
			if (!page_meta_at(s, j, end, "charset"))
				continue;
			k = j + 7;
			while (k < end && (s[k] == ' ' || s[k] == '\t' ||
			    s[k] == '\n' || s[k] == '\r'))
				k++;
			if (k >= end || s[k] != '=')
				continue;
			k++;
			while (k < end && (s[k] == ' ' || s[k] == '"' ||
			    s[k] == '\'' || s[k] == '\t'))
				k++;
			*value = s + k;
			for (j = k; j < end && strchr(" \t\r\n\"';/>", s[j]) ==
			    NULL; j++)
				;
			return j - k;
		}
		i = end;
	}
	return 0;
}

/*
 * The encoding of the head in p->raw: *handler is set for
 * PAGE_META_LIBXML, *skip to the length of a BOM.
 */
static enum page_meta_enc
page_meta_encoding(struct page_meta_parser *p,
    xmlCharEncodingHandlerPtr *handler, size_t *skip)
{
	const unsigned char *b = (const unsigned char *)buf_str(&p->raw);
	enum page_meta_enc enc = PAGE_META_UNKNOWN;
	const char	*label;
	size_t		 len;

	*skip = 0;
	if (p->raw.len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) {
		*skip = 3;
		return PAGE_META_UTF8;
	}
	if (p->raw.len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) ||
	    (b[0] == 0xfe && b[1] == 0xff))) {
		*skip = 2;
		*handler = xmlFindCharEncodingHandler(b[0] == 0xff ?
		    "UTF-16LE" : "UTF-16BE");
		return *handler != NULL ? PAGE_META_LIBXML : PAGE_META_UTF8;
	}
	if (p->charset != NULL)
		enc = page_meta_label(p->charset, strlen(p->charset), 0,
		    handler);
	if (enc == PAGE_META_UNKNOWN && (len = page_meta_prescan(
	    buf_str(&p->raw), p->raw.len < PAGE_META_PRESCAN ? p->raw.len :
	    PAGE_META_PRESCAN, &label)) > 0)
		enc = page_meta_label(label, len, 1, handler);
	return enc == PAGE_META_UNKNOWN ? PAGE_META_UTF8 : enc;
}

/* Parse the head collected in p->raw, calling the SAX callbacks. */
static void
page_meta_parse_head(struct page_meta_parser *p)
{
	static const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC;
	htmlSAXHandler	 sax;
	htmlParserCtxtPtr ctxt;
	xmlCharEncodingHandlerPtr handler = NULL;
	enum page_meta_enc enc;
	struct buf	 text;
	const unsigned char *b;
	size_t		 skip, i;
	char		*s;

	if (p->raw.len == 0)
		return;
	enc = page_meta_encoding(p, &handler, &skip);
	b = (const unsigned char *)buf_str(&p->raw) + skip;
	buf_init(&text, BUF_NOMAX);
	if (enc == PAGE_META_UTF8) {
		s = text_utf8_fix((const char *)b, p->raw.len - skip);
		buf_adds(&text, s);
		free(s);
	} else if (enc == PAGE_META_CP1252) {
		for (i = 0; i < p->raw.len - skip; i++) {
			if (b[i] < 0x80)
				buf_addc(&text, (char)b[i]);
			else {
				/* A stray byte is read as windows-1252. */
				s = text_utf8_fix((const char *)b + i, 1);
				buf_adds(&text, s);
				free(s);
			}
		}
	} else
		buf_add(&text, b, p->raw.len - skip);

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElement = page_meta_start;
	sax.serror = page_meta_error;
	ctxt = htmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL,
	    enc == PAGE_META_LIBXML ? XML_CHAR_ENCODING_NONE :
	    XML_CHAR_ENCODING_UTF8);
	if (ctxt != NULL) {
		htmlCtxtUseOptions(ctxt, opts);
		if (enc == PAGE_META_LIBXML)
			xmlSwitchToEncoding(ctxt, handler);
		/* An int: the raw head is capped far below INT_MAX. */
		htmlParseChunk(ctxt, buf_str(&text), (int)text.len, 1);
		if (ctxt->myDoc != NULL)
			xmlFreeDoc(ctxt->myDoc);
		htmlFreeParserCtxt(ctxt);
	}
	buf_free(&text);
}

struct page_meta_parser *
page_meta_parser_new(const char *page_url, const char *charset,
    size_t max_bytes)
{
	struct page_meta_parser *p;

	xmlInitParser();
	p = xcalloc(1, sizeof *p);
	p->page_url = page_url != NULL ? xstrdup(page_url) : NULL;
	p->charset = charset != NULL ? xstrdup(charset) : NULL;
	if (max_bytes == 0 || max_bytes > PAGE_META_MAX_LIMIT)
		max_bytes = max_bytes == 0 ? PAGE_META_MAX_BYTES :
		    PAGE_META_MAX_LIMIT;
	buf_init(&p->raw, max_bytes);
	p->published = INT64_MIN;
	return p;
}

int
page_meta_parser_feed(struct page_meta_parser *p, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t	 n;

	if (p->done || len == 0)
		return p->done;
	n = len;
	if (n >= p->raw.max - p->raw.len) {
		n = p->raw.max - p->raw.len;
		p->done = 1;
	}
	buf_add(&p->raw, b, n);
	if (page_meta_scan(p, b, n)) {
		buf_truncate(&p->raw, p->stop_at);
		p->done = 1;
	}
	p->seen += n;
	return p->done;
}

size_t
page_meta_parser_fed(const struct page_meta_parser *p)
{
	return p->raw.len;
}

/* A raw URL resolved against base: http(s) only. */
static char *
page_meta_url(const char *base, const char *raw)
{
	char	*u, *scheme;

	if (raw == NULL || (u = url_resolve(base, raw)) == NULL)
		return NULL;
	scheme = url_scheme(u);
	if (scheme == NULL || (strcmp(scheme, "http") != 0 &&
	    strcmp(scheme, "https") != 0)) {
		free(u);
		u = NULL;
	}
	free(scheme);
	return u;
}

/* Plain text, NULL when nothing is left of it. */
static char *
page_meta_text(const char *raw, size_t max_chars)
{
	char	*s;

	if (raw == NULL)
		return NULL;
	s = text_from_plain(raw, strlen(raw), max_chars);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

struct page_meta *
page_meta_parser_finish(struct page_meta_parser *p)
{
	struct page_meta *m = xcalloc(1, sizeof *m);
	char		*base = NULL;

	page_meta_parse_head(p);
	if (p->base != NULL)
		base = page_meta_url(p->page_url, p->base);
	if (base == NULL && p->page_url != NULL)
		base = xstrdup(p->page_url);

	m->amp_url = page_meta_url(base, p->amp);
	m->canonical_url = page_meta_url(base, p->canonical);
	m->image_url = page_meta_url(base, p->image);
	if (m->image_url != NULL) {
		m->image_width = p->width;
		m->image_height = p->height;
	}
	m->site_name = page_meta_text(p->site_name, 0);
	m->description = page_meta_text(p->og_description, PAGE_META_TEXT_MAX);
	if (m->description == NULL)
		m->description = page_meta_text(p->description,
		    PAGE_META_TEXT_MAX);
	m->published = p->published;

	free(base);
	buf_free(&p->raw);
	free(p->page_url);
	free(p->charset);
	free(p->base);
	free(p->amp);
	free(p->canonical);
	free(p->image);
	free(p->site_name);
	free(p->og_description);
	free(p->description);
	free(p);
	return m;
}

struct page_meta *
page_meta_parse(const char *page_url, const char *charset, const void *buf,
    size_t len)
{
	struct page_meta_parser *p;

	p = page_meta_parser_new(page_url, charset, 0);
	page_meta_parser_feed(p, buf, len);
	return page_meta_parser_finish(p);
}

void
page_meta_free(struct page_meta *m)
{
	if (m == NULL)
		return;
	free(m->amp_url);
	free(m->canonical_url);
	free(m->image_url);
	free(m->site_name);
	free(m->description);
	free(m);
}
