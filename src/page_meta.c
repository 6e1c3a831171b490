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
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "dates.h"
#include "page_meta.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* Longer attribute values are not URLs or names we want. */
#define PAGE_META_VALUE_MAX	(16 * 1024)
/* Bytes handed to libxml2 at once (htmlParseChunk takes an int). */
#define PAGE_META_CHUNK		(64 * 1024)
/* Larger og:image sizes are not believed. */
#define PAGE_META_SIZE_MAX	100000

/* The tags that end the head, searched for in the raw bytes. */
static const char *const page_meta_stops[] = { "</head", "<body" };
#define PAGE_META_NSTOPS \
	(sizeof page_meta_stops / sizeof page_meta_stops[0])

struct page_meta_parser {
	htmlParserCtxtPtr ctxt;
	char		*page_url;
	size_t		 max;		/* bytes we take at most */
	size_t		 fed;		/* bytes given to libxml2 */
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
 * Scan buf[0, n) (at offset p->seen of the page) for the first stop tag
 * followed by a delimiter; the scan state carries over between calls, so
 * a tag split across two reads is found. Returns how many bytes of buf
 * precede the tag (0 when it began in an earlier read), or n if none.
 */
static size_t
page_meta_scan(struct page_meta_parser *p, const unsigned char *buf, size_t n)
{
	size_t	 i, k;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = buf[i];
		if (p->stop_pending) {
			if (page_meta_delim(c))
				return p->stop_at > p->seen ?
				    p->stop_at - p->seen : 0;
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
	return n;
}

struct page_meta_parser *
page_meta_parser_new(const char *page_url, const char *charset,
    size_t max_bytes)
{
	static const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
	struct page_meta_parser *p;
	htmlSAXHandler	 sax;
	xmlCharEncodingHandlerPtr enc;

	xmlInitParser();
	p = xcalloc(1, sizeof *p);
	p->page_url = page_url != NULL ? xstrdup(page_url) : NULL;
	p->max = max_bytes != 0 ? max_bytes : PAGE_META_MAX_BYTES;
	p->published = INT64_MIN;

	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElement = page_meta_start;
	sax.serror = page_meta_error;
	p->ctxt = htmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL,
	    XML_CHAR_ENCODING_NONE);
	if (p->ctxt == NULL) {
		/* libxml2 out of memory: a parser that finds nothing. */
		p->done = 1;
		return p;
	}
	htmlCtxtUseOptions(p->ctxt, opts);
	/* The HTTP header's charset wins over the page's own, as in HTML. */
	if (charset != NULL &&
	    (enc = xmlFindCharEncodingHandler(charset)) != NULL)
		xmlSwitchToEncoding(p->ctxt, enc);
	return p;
}

int
page_meta_parser_feed(struct page_meta_parser *p, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t	 n, take;

	while (!p->done && len > 0) {
		n = len < PAGE_META_CHUNK ? len : PAGE_META_CHUNK;
		if (n >= p->max - p->fed) {
			n = p->max - p->fed;
			p->done = 1;
		}
		take = page_meta_scan(p, b, n);
		p->seen += n;
		if (take < n)
			p->done = 1;
		if (take > 0)
			htmlParseChunk(p->ctxt, (const char *)b, (int)take, 0);
		p->fed += take;
		b += n;
		len -= n;
	}
	return p->done;
}

size_t
page_meta_parser_fed(const struct page_meta_parser *p)
{
	return p->fed;
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
	char	*base = NULL;

	if (p->ctxt != NULL) {
		htmlParseChunk(p->ctxt, NULL, 0, 1);
		if (p->ctxt->myDoc != NULL)
			xmlFreeDoc(p->ctxt->myDoc);
		htmlFreeParserCtxt(p->ctxt);
	}
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
	free(p->page_url);
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
