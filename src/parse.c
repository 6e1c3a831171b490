/*
 * parse.c: the feed parser (parse.h): libxml2's SAX2 push parser with
 * feedfold's handlers.
 *
 * parse.c owns the document walk: a stack of levels (which context each
 * element opened, its xml:base), the text capture of the element being
 * read, and the items collected into struct normalize_item and handed to
 * normalize_entry() as each one closes. What an element means comes from
 * the tables of parse_rss.c, parse_atom.c and parse_ns_*.c; what reaches
 * libxml2 has been through parse_input.c's encoding choice and filter.
 *
 * Nothing is loaded from outside the bytes given: no DTD, no external
 * entity, no network (XML_PARSE_NONET, no entity handlers at all: a
 * declared entity is never expanded, so billion laughs has nothing to
 * multiply). Every captured text is capped at PARSE_FIELD_MAX.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <openssl/evp.h>

#include "buf.h"
#include "log.h"
#include "normalize.h"
#include "parse.h"
#include "parse_atom.h"
#include "parse_cdf.h"
#include "parse_input.h"
#include "parse_ns_dc.h"
#include "parse_ns_itunes.h"
#include "parse_ns_media.h"
#include "parse_rss.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* Deeper elements are ignored (their text still counts when captured). */
#define PARSE_MAX_DEPTH		256
#define PARSE_NSCACHE		16
#define PARSE_ELEMCACHE		64	/* a power of two */
#define PARSE_ATTR_MAX		128	/* type, rel, medium: longer is junk */
#define PARSE_KIND_NONE		0xff

/* The namespaces feedfold reads, most common first. */
static const struct parse_ns *const parse_namespaces[] = {
	&parse_rss_ns,
	&parse_atom_ns,
	&parse_ns_dc,
	&parse_rss_content_ns,
	&parse_ns_media,
	&parse_ns_itunes,
	&parse_rss_rdf_ns,
	&parse_ns_dcterms,
	&parse_rss_sy_ns,
	&parse_rss_feedburner_ns,
	&parse_ns_yt,
	&parse_atom_ns03,
	&parse_rss_ns090,
	&parse_rss_xhtml_ns,
};

/* Which part of a feed the children of an element belong to. */
enum parse_ctx {
	PARSE_CTX_TOP,		/* under the root, outside the channel */
	PARSE_CTX_FEED,		/* channel or feed: feed-level fields */
	PARSE_CTX_ITEM,		/* an item or entry */
	PARSE_CTX_AUTHOR,	/* atom:author */
	PARSE_CTX_SOURCE,	/* atom:source inside an entry */
	PARSE_CTX_SKIP,		/* not ours */
};

struct parse_level {
	unsigned char	 ctx;
	unsigned char	 kind;		/* what opened it, or PARSE_KIND_NONE */
	unsigned char	 zombie;	/* closed early (see parser_mismatch) */
	int		 owned;		/* base is ours to free */
	char		*base;		/* the xml:base in force */
	const xmlChar	*name;		/* local name, from libxml2's dict */
};

struct parse_nscache {
	const xmlChar		*uri;
	const struct parse_ns	*ns;	/* NULL: a namespace we ignore */
};

struct parse_elemcache {
	const struct parse_ns	*ns;	/* NULL: an empty slot */
	const xmlChar		*name;
	const struct parse_elem	*elem;	/* NULL: not in the table */
};

/* What the element being captured is for. */
enum parse_cap {
	PARSE_CAP_SLOT,		/* a slot of target */
	PARSE_CAP_URL,		/* a slot holding a URL: resolve it */
	PARSE_CAP_CATEGORY,	/* a category of target */
};

struct parser {
	char			*url;
	char			*charset;
	const struct config_feed *config;
	size_t			 excerpt_length;
	int64_t			 fetched;
	parse_entry_cb		*cb;
	void			*arg;

	xmlSAXHandler		 sax;
	xmlParserCtxtPtr	 xml;
	struct parse_input	*input;
	char			*encoding;	/* NULL: UTF-8 */
	char			 probe[PARSE_INPUT_PROBE];
	size_t			 nprobe;
	int			 started;
	int			 finished;
	int			 stopped;
	int			 errors;

	int			 depth;
	struct parse_level	 levels[PARSE_MAX_DEPTH];
	const struct parse_ns	*nons;	/* elements without a namespace */
	struct parse_nscache	 nscache[PARSE_NSCACHE];
	size_t			 nnscache;
	struct parse_elemcache	 elemcache[PARSE_ELEMCACHE];
	enum parse_format	 format;
	char			 root[64];	/* the root element's name */

	struct normalize_item	 feed;
	struct normalize_item	 item;
	int			 in_item;
	char			*feed_title;
	char			*feed_link;
	size_t			 nentries;

	/* The element whose text is being captured. */
	int			 cap;
	int			 cap_depth;
	enum parse_cap		 cap_what;
	struct normalize_item	*cap_target;
	enum normalize_slot	 cap_slot;
	enum normalize_text	 cap_text;
	int			 cap_xhtml;
	int			 cap_base64;
	int			 cap_binary;	/* drop unless text once decoded */
	const char		*cap_base;
	struct buf		 text;
};

static void	parser_item_end(struct parser *);

const char *
parse_format_name(enum parse_format f)
{
	switch (f) {
	case PARSE_FORMAT_RSS090:
		return "rss090";
	case PARSE_FORMAT_RSS091:
		return "rss091";
	case PARSE_FORMAT_RSS092:
		return "rss092";
	case PARSE_FORMAT_RSS093:
		return "rss093";
	case PARSE_FORMAT_RSS094:
		return "rss094";
	case PARSE_FORMAT_RSS10:
		return "rss10";
	case PARSE_FORMAT_RSS20:
		return "rss20";
	case PARSE_FORMAT_RSS:
		return "rss";
	case PARSE_FORMAT_ATOM03:
		return "atom03";
	case PARSE_FORMAT_ATOM10:
		return "atom10";
	case PARSE_FORMAT_CDF:
		return "cdf";
	case PARSE_FORMAT_UNKNOWN:
		break;
	}
	return "unknown";
}

const struct parse_elem *
parse_ns_find(const struct parse_ns *ns, const char *name)
{
	size_t	 lo = 0, hi = ns->nelems, mid;
	int	 c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, ns->elems[mid].name);
		if (c == 0)
			return &ns->elems[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Whether a declared URI names a known namespace URI: feeds add spaces,
 * change case and add or drop a final "/" or "#", and readers forgive it.
 */
static int
parser_ns_same(const char *uri, const char *known)
{
	size_t	 ulen, klen;

	while (*uri == ' ' || *uri == '\t' || *uri == '\n' || *uri == '\r')
		uri++;
	ulen = strlen(uri);
	while (ulen > 0 && (uri[ulen - 1] == ' ' || uri[ulen - 1] == '\t' ||
	    uri[ulen - 1] == '\n' || uri[ulen - 1] == '\r'))
		ulen--;
	if (ulen > 0 && (uri[ulen - 1] == '/' || uri[ulen - 1] == '#'))
		ulen--;
	klen = strlen(known);
	if (klen > 0 && (known[klen - 1] == '/' || known[klen - 1] == '#'))
		klen--;
	return ulen == klen && strncasecmp(uri, known, ulen) == 0;
}

/*
 * The table row for a local name in ns, or NULL. A feed opens the same
 * dozen elements again for every item, and libxml2 hands the same
 * interned name (from the document's dict, which lives as long as the
 * parser) each time: a direct-mapped cache on the two pointers spares
 * the binary search its string compares.
 */
static const struct parse_elem *
parser_elem(struct parser *p, const struct parse_ns *ns,
    const xmlChar *localname)
{
	struct parse_elemcache	*slot;
	uintptr_t		 h;

	h = (uintptr_t)localname ^ ((uintptr_t)ns >> 3);
	slot = &p->elemcache[(h ^ (h >> 7)) & (PARSE_ELEMCACHE - 1)];
	if (slot->ns != ns || slot->name != localname) {
		slot->ns = ns;
		slot->name = localname;
		slot->elem = parse_ns_find(ns, (const char *)localname);
	}
	return slot->elem;
}

/*
 * Prefixes that feeds use without declaring them (content:encoded with no
 * xmlns:content): read as the namespace everyone means by them.
 */
static const struct {
	const char		*prefix;
	const struct parse_ns	*ns;
} parse_prefixes[] = {
	{ "atom",	&parse_atom_ns },
	{ "content",	&parse_rss_content_ns },
	{ "dc",		&parse_ns_dc },
	{ "dcterms",	&parse_ns_dcterms },
	{ "feedburner",	&parse_rss_feedburner_ns },
	{ "itunes",	&parse_ns_itunes },
	{ "media",	&parse_ns_media },
	{ "rdf",	&parse_rss_rdf_ns },
	{ "sy",		&parse_rss_sy_ns },
	{ "yt",		&parse_ns_yt },
};

/*
 * The table for a namespace URI (NULL or empty: no namespace, or an
 * undeclared prefix). libxml2 hands the same interned pointer for every
 * use of a URI, so a small cache keyed on it saves the string compares
 * against every table; the loose comparison runs once per URI.
 */
static const struct parse_ns *
parser_ns(struct parser *p, const xmlChar *uri, const xmlChar *prefix)
{
	const struct parse_ns	*ns;
	size_t			 i, j;

	if (uri == NULL || *uri == '\0') {
		if (prefix == NULL)
			return p->nons;
		for (i = 0; i < sizeof parse_prefixes /
		    sizeof parse_prefixes[0]; i++) {
			if (strcmp((const char *)prefix,
			    parse_prefixes[i].prefix) == 0)
				return parse_prefixes[i].ns;
		}
		return NULL;
	}
	for (i = 0; i < p->nnscache; i++) {
		if (p->nscache[i].uri == uri)
			return p->nscache[i].ns;
	}
	ns = NULL;
	for (i = 0; ns == NULL && i < sizeof parse_namespaces /
	    sizeof parse_namespaces[0]; i++) {
		for (j = 0; parse_namespaces[i]->uris[j] != NULL; j++) {
			if (strcmp((const char *)uri,
			    parse_namespaces[i]->uris[j]) == 0) {
				ns = parse_namespaces[i];
				break;
			}
		}
	}
	for (i = 0; ns == NULL && i < sizeof parse_namespaces /
	    sizeof parse_namespaces[0]; i++) {
		for (j = 0; parse_namespaces[i]->uris[j] != NULL; j++) {
			/* "" (no namespace) matches nothing declared. */
			if (*parse_namespaces[i]->uris[j] != '\0' &&
			    parser_ns_same((const char *)uri,
			    parse_namespaces[i]->uris[j])) {
				ns = parse_namespaces[i];
				break;
			}
		}
	}
	if (p->nnscache < PARSE_NSCACHE) {
		p->nscache[p->nnscache].uri = uri;
		p->nscache[p->nnscache++].ns = ns;
	}
	return ns;
}

/*
 * Read every element in namespace uri (an interned pointer) with table ns
 * from now on. For a root <rss> in a namespace no table knows: RSS has no
 * namespace, so one declared on the root (a page URL, seen in the wild) is
 * a mistake its unprefixed children inherit, and they are RSS all the
 * same. Called at the root, when the cache has room.
 */
static void
parser_ns_alias(struct parser *p, const xmlChar *uri,
    const struct parse_ns *ns)
{
	size_t	 i;

	for (i = 0; i < p->nnscache; i++) {
		if (p->nscache[i].uri == uri) {
			p->nscache[i].ns = ns;
			return;
		}
	}
	if (p->nnscache < PARSE_NSCACHE) {
		p->nscache[p->nnscache].uri = uri;
		p->nscache[p->nnscache++].ns = ns;
	}
}

/*
 * The value of attribute name (without namespace, or in uri) copied into
 * buf (size bytes, truncated), or NULL when absent.
 */
static const char *
parser_attr(int nattr, const xmlChar **attrs, const char *name,
    const char *uri, char *buf, size_t size)
{
	size_t	 len;
	int	 i;

	/* The first byte first: most attributes differ there, no call. */
	for (i = 0; i < nattr; i++, attrs += 5) {
		if (attrs[0][0] != (xmlChar)name[0] ||
		    strcmp((const char *)attrs[0], name) != 0)
			continue;
		if (uri == NULL ? attrs[2] != NULL : (attrs[2] == NULL ||
		    strcmp((const char *)attrs[2], uri) != 0))
			continue;
		len = (size_t)(attrs[4] - attrs[3]);
		if (len >= size)
			len = size - 1;
		memcpy(buf, attrs[3], len);
		buf[len] = '\0';
		return buf;
	}
	return NULL;
}

/*
 * url_resolve, without the base when the reference is an absolute http(s)
 * URL already (nearly every link): the base would only be parsed to be
 * thrown away. The result is checked as UTF-8 (normalize_utf8).
 */
static char *
parser_resolve(const char *base, const char *ref)
{
	const char	*r = ref;

	while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
		r++;
	/* "http://" or "https://", any case: letters lowered, the rest as is. */
	if ((r[0] | 0x20) == 'h' && (r[1] | 0x20) == 't' &&
	    (r[2] | 0x20) == 't' && (r[3] | 0x20) == 'p') {
		r += (r[4] | 0x20) == 's' ? 5 : 4;
		if (r[0] == ':' && r[1] == '/' && r[2] == '/')
			base = NULL;
	}
	return normalize_utf8(url_resolve(base, ref));
}

/* The attribute as an absolute URL against base; NULL if absent or bad. */
static char *
parser_attr_url(int nattr, const xmlChar **attrs, const char *name,
    const char *base)
{
	char	*raw, *url;
	size_t	 len;
	int	 i;

	for (i = 0; i < nattr; i++, attrs += 5) {
		if (attrs[2] != NULL || attrs[0][0] != (xmlChar)name[0] ||
		    strcmp((const char *)attrs[0], name) != 0)
			continue;
		len = (size_t)(attrs[4] - attrs[3]);
		if (len == 0 || len > PARSE_FIELD_MAX)
			return NULL;
		raw = xstrndup((const char *)attrs[3], len);
		url = parser_resolve(base, raw);
		free(raw);
		return url;
	}
	return NULL;
}

/* A pixel size from an attribute; ENTRY_NO_SIZE unless 1..100000. */
static int
parser_attr_size(int nattr, const xmlChar **attrs, const char *name)
{
	char		 buf[16];
	const char	*v;
	char		*end;
	long		 n;

	if ((v = parser_attr(nattr, attrs, name, NULL, buf, sizeof buf)) ==
	    NULL)
		return ENTRY_NO_SIZE;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || n <= 0 || n > 100000)
		return ENTRY_NO_SIZE;
	return (int)n;
}

/* Append to the capture, as much as the cap allows. */
static void
parser_cap_add(struct parser *p, const char *s, size_t len)
{
	size_t	 room = p->text.max - p->text.len;

	if (len > room)
		len = room;
	if (len > 0)
		buf_add(&p->text, s, len);
}

/* Append text as XHTML markup would hold it: escaped. */
static void
parser_cap_escaped(struct parser *p, const char *s, size_t len)
{
	size_t	 i, start;

	for (i = start = 0; i < len; i++) {
		if (s[i] != '<' && s[i] != '&' && s[i] != '>' && s[i] != '"')
			continue;
		parser_cap_add(p, s + start, i - start);
		switch (s[i]) {
		case '<':
			parser_cap_add(p, "&lt;", 4);
			break;
		case '>':
			parser_cap_add(p, "&gt;", 4);
			break;
		case '&':
			parser_cap_add(p, "&amp;", 5);
			break;
		default:
			parser_cap_add(p, "&quot;", 6);
			break;
		}
		start = i + 1;
	}
	parser_cap_add(p, s + start, len - start);
}

/* A child element inside captured text: markup for HTML readings. */
static void
parser_cap_open(struct parser *p, const xmlChar *name, int nattr,
    const xmlChar **attrs)
{
	int	 i;

	if (p->cap_text == NORMALIZE_PLAIN && !p->cap_xhtml)
		return;
	/*
	 * A title that may be text or HTML and holds an element of its own
	 * (unescaped markup, as in <title>First <b>bold</b></title>) is
	 * HTML: the element is markup whatever the text around it says.
	 */
	if (p->cap_text == NORMALIZE_SNIFF)
		p->cap_text = NORMALIZE_HTML;
	parser_cap_add(p, "<", 1);
	parser_cap_add(p, (const char *)name, strlen((const char *)name));
	for (i = 0; i < nattr; i++, attrs += 5) {
		parser_cap_add(p, " ", 1);
		parser_cap_add(p, (const char *)attrs[0],
		    strlen((const char *)attrs[0]));
		parser_cap_add(p, "=\"", 2);
		parser_cap_escaped(p, (const char *)attrs[3],
		    (size_t)(attrs[4] - attrs[3]));
		parser_cap_add(p, "\"", 1);
	}
	parser_cap_add(p, ">", 1);
}

static void
parser_cap_close_child(struct parser *p, const xmlChar *name)
{
	if (p->cap_text == NORMALIZE_PLAIN && !p->cap_xhtml)
		return;
	parser_cap_add(p, "</", 2);
	parser_cap_add(p, (const char *)name, strlen((const char *)name));
	parser_cap_add(p, ">", 1);
}

static void
parser_cap_start(struct parser *p, enum parse_cap what,
    struct normalize_item *target, enum normalize_slot slot,
    enum normalize_text text)
{
	p->cap = 1;
	p->cap_depth = p->depth;
	p->cap_what = what;
	p->cap_target = target;
	p->cap_slot = slot;
	p->cap_text = text;
	p->cap_xhtml = 0;
	p->cap_base64 = 0;
	p->cap_binary = 0;
	p->cap_base = p->levels[p->depth].base;
	buf_reset(&p->text);
}

/* Decode base64 content in place (Atom's binary content). */
static void
parser_cap_unbase64(struct parser *p)
{
	EVP_ENCODE_CTX	*ctx;
	unsigned char	*out;
	int		 n, m;

	if (p->text.len == 0 || p->text.len > INT32_MAX)
		return;
	out = xmalloc(p->text.len / 4 * 3 + 4);
	ctx = EVP_ENCODE_CTX_new();
	if (ctx == NULL) {
		free(out);
		return;
	}
	EVP_DecodeInit(ctx);
	n = m = 0;
	if (EVP_DecodeUpdate(ctx, out, &n, (unsigned char *)p->text.data,
	    (int)p->text.len) < 0 || EVP_DecodeFinal(ctx, out + n, &m) < 0)
		n = m = 0;
	EVP_ENCODE_CTX_free(ctx);
	buf_reset(&p->text);
	buf_add(&p->text, out, (size_t)(n + m));
	free(out);
}

/*
 * Nonzero when decoded binary content is text: valid UTF-8 with no control
 * character but tab, LF and CR. Images and other documents are not.
 */
static int
parser_is_text(const char *s, size_t len)
{
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0x7f)
			return 0;
	}
	return text_utf8_valid(s, len);
}

static void
parser_set_feed_title(struct parser *p, enum normalize_slot slot)
{
	struct normalize_item	*f = &p->feed;
	char			*title;

	if (f->slot[slot] == NULL)
		return;
	title = normalize_text(f->slot[slot], f->slot_len[slot],
	    f->slot_text[slot], NORMALIZE_TITLE_MAX);
	if (*title == '\0') {
		free(title);
		return;
	}
	free(p->feed_title);
	p->feed_title = title;
}

static void
parser_cap_end(struct parser *p)
{
	struct normalize_item	*t = p->cap_target;
	char			*url;

	p->cap = 0;
	if (p->cap_base64)
		parser_cap_unbase64(p);
	if (p->cap_binary && !parser_is_text(p->text.data, p->text.len))
		buf_reset(&p->text);
	switch (p->cap_what) {
	case PARSE_CAP_CATEGORY:
		normalize_item_add_category(t, buf_str(&p->text),
		    p->text.len);
		break;
	case PARSE_CAP_URL:
		url = parser_resolve(p->cap_base, buf_str(&p->text));
		if (url != NULL)
			normalize_item_set(t, p->cap_slot, url, strlen(url),
			    NORMALIZE_PLAIN);
		break;
	case PARSE_CAP_SLOT:
		/*
		 * A copy: the capture buffer keeps its room for the next
		 * element instead of growing again.
		 */
		normalize_item_copy(t, p->cap_slot, buf_str(&p->text),
		    p->text.len, p->cap_text);
		break;
	}
	if (t == &p->feed) {
		if (p->cap_slot == NORMALIZE_TITLE ||
		    (p->cap_slot == NORMALIZE_TITLE_DC && p->feed_title == NULL))
			parser_set_feed_title(p, p->cap_slot);
		if ((p->cap_slot == NORMALIZE_LINK ||
		    p->cap_slot == NORMALIZE_LINK_ALT) && p->feed_link == NULL &&
		    t->slot[p->cap_slot] != NULL)
			p->feed_link = xstrdup(t->slot[p->cap_slot]);
	}
}

/* The item or feed that a text element in the current context fills. */
static struct normalize_item *
parser_target(struct parser *p, unsigned char ctx,
    const struct parse_elem *e, enum normalize_slot *slot)
{
	*slot = e->slot;
	switch (ctx) {
	case PARSE_CTX_ITEM:
		return &p->item;
	case PARSE_CTX_FEED:
		return e->feed ? &p->feed : NULL;
	case PARSE_CTX_AUTHOR:
		if (e->slot != NORMALIZE_AUTHOR)
			return NULL;
		return p->in_item ? &p->item : NULL;
	case PARSE_CTX_SOURCE:
		if (e->kind != PARSE_K_TEXT_ATOM || e->slot != NORMALIZE_TITLE)
			return NULL;
		*slot = NORMALIZE_SOURCE_NAME;
		return &p->item;
	default:
		return NULL;
	}
}

/* atom:link, or an RSS <link href>: alternate, enclosure, source. */
static void
parser_link(struct parser *p, unsigned char ctx, int nattr,
    const xmlChar **attrs)
{
	struct normalize_item	*t;
	char			 rbuf[PARSE_ATTR_MAX], tbuf[PARSE_ATTR_MAX];
	const char		*rel, *type;
	char			*href;

	if (ctx != PARSE_CTX_ITEM && ctx != PARSE_CTX_FEED &&
	    ctx != PARSE_CTX_SOURCE)
		return;
	rel = parser_attr(nattr, attrs, "rel", NULL, rbuf, sizeof rbuf);
	type = parser_attr(nattr, attrs, "type", NULL, tbuf, sizeof tbuf);
	if (parse_atom_rel_alternate(rel)) {
		t = ctx == PARSE_CTX_FEED ? &p->feed : &p->item;
		if (t->slot[ctx == PARSE_CTX_SOURCE ? NORMALIZE_SOURCE_URL :
		    NORMALIZE_LINK_ALT] != NULL)
			return;
		href = parser_attr_url(nattr, attrs, "href",
		    p->levels[p->depth].base);
		if (href == NULL) {
			/*
			 * <link rel="alternate">URL</link>: no href, the URL
			 * written as the text, as in RSS. Read it that way.
			 */
			if (parser_attr(nattr, attrs, "href", NULL, rbuf,
			    sizeof rbuf) == NULL)
				parser_cap_start(p, PARSE_CAP_URL, t,
				    ctx == PARSE_CTX_SOURCE ?
				    NORMALIZE_SOURCE_URL : NORMALIZE_LINK_ALT,
				    NORMALIZE_PLAIN);
			return;
		}
		if (ctx == PARSE_CTX_SOURCE)
			normalize_item_set(t, NORMALIZE_SOURCE_URL, href,
			    strlen(href), NORMALIZE_PLAIN);
		else {
			normalize_item_set(t, NORMALIZE_LINK_ALT, href,
			    strlen(href), NORMALIZE_PLAIN);
			if (t == &p->feed && p->feed_link == NULL)
				p->feed_link = xstrdup(href);
		}
	} else if (parse_atom_rel_enclosure(rel) && ctx == PARSE_CTX_ITEM) {
		href = parser_attr_url(nattr, attrs, "href",
		    p->levels[p->depth].base);
		if (href == NULL)
			return;
		normalize_item_add_media(&p->item, NORMALIZE_MEDIA_ENCLOSURE,
		    href, type, NULL, ENTRY_NO_SIZE, ENTRY_NO_SIZE);
		free(href);
	}
}

/* media:content, media:thumbnail, <enclosure>, itunes:image. */
static void
parser_media(struct parser *p, enum normalize_media_kind kind, int nattr,
    const xmlChar **attrs)
{
	char		 tbuf[PARSE_ATTR_MAX], mbuf[PARSE_ATTR_MAX];
	const char	*type, *medium, *urlattr;
	char		*url;

	type = parser_attr(nattr, attrs, "type", NULL, tbuf, sizeof tbuf);
	medium = parser_attr(nattr, attrs, "medium", NULL, mbuf, sizeof mbuf);
	urlattr = kind == NORMALIZE_MEDIA_ITUNES ? "href" : "url";
	/*
	 * Only an image's URL reaches the record; for audio and video only
	 * the type counts, so their URLs are not resolved (curl's URL
	 * parser is not cheap).
	 */
	if (!normalize_media_image(kind, type, medium, NULL) &&
	    !normalize_media_maybe_image(kind, type, medium)) {
		normalize_item_add_media(&p->item, kind, "", type, medium,
		    ENTRY_NO_SIZE, ENTRY_NO_SIZE);
		return;
	}
	url = parser_attr_url(nattr, attrs, urlattr, p->levels[p->depth].base);
	if (url == NULL && kind == NORMALIZE_MEDIA_ITUNES)
		url = parser_attr_url(nattr, attrs, "url",
		    p->levels[p->depth].base);
	if (url == NULL)
		return;
	normalize_item_add_media(&p->item, kind, url, type, medium,
	    parser_attr_size(nattr, attrs, "width"),
	    parser_attr_size(nattr, attrs, "height"));
	free(url);
}

/*
 * CDF writes in attributes what RSS writes in elements: BASE (the base of
 * the channel's relative links), HREF (the link) and LASTMOD (the date of
 * the last change) on <CHANNEL> and <ITEM>. t is the feed or the item.
 */
static void
parser_cdf_attrs(struct parser *p, struct normalize_item *t, int nattr,
    const xmlChar **attrs)
{
	struct parse_level	*lvl = &p->levels[p->depth];
	char			*url, *date;
	size_t			 len;
	int			 i;

	if (!lvl->owned &&
	    (url = parser_attr_url(nattr, attrs, "BASE", lvl->base)) != NULL) {
		lvl->base = url;
		lvl->owned = 1;
	}
	if (t->slot[NORMALIZE_LINK_ALT] == NULL &&
	    (url = parser_attr_url(nattr, attrs, "HREF", lvl->base)) != NULL) {
		normalize_item_set(t, NORMALIZE_LINK_ALT, url, strlen(url),
		    NORMALIZE_PLAIN);
		if (t == &p->feed && p->feed_link == NULL)
			p->feed_link = xstrdup(url);
	}
	for (i = 0; i < nattr; i++, attrs += 5) {
		if (attrs[2] != NULL ||
		    strcmp((const char *)attrs[0], "LASTMOD") != 0)
			continue;
		len = (size_t)(attrs[4] - attrs[3]);
		if (len == 0 || len > PARSE_ATTR_MAX ||
		    t->slot[NORMALIZE_UPDATED] != NULL)
			break;
		date = xstrndup((const char *)attrs[3], len);
		normalize_item_set(t, NORMALIZE_UPDATED, date, len,
		    NORMALIZE_PLAIN);
		break;
	}
}

static enum parse_format
parser_rss_version(int nattr, const xmlChar **attrs)
{
	char		 buf[16];
	const char	*v;

	v = parser_attr(nattr, attrs, "version", NULL, buf, sizeof buf);
	if (v == NULL)
		return PARSE_FORMAT_RSS;
	if (strcmp(v, "0.91") == 0)
		return PARSE_FORMAT_RSS091;
	if (strcmp(v, "0.92") == 0)
		return PARSE_FORMAT_RSS092;
	if (strcmp(v, "0.93") == 0)
		return PARSE_FORMAT_RSS093;
	if (strcmp(v, "0.94") == 0)
		return PARSE_FORMAT_RSS094;
	if (strncmp(v, "2.0", 3) == 0 || strcmp(v, "2") == 0)
		return PARSE_FORMAT_RSS20;
	if (strcmp(v, "1.0") == 0)
		return PARSE_FORMAT_RSS10;
	if (strcmp(v, "0.90") == 0 || strcmp(v, "0.9") == 0)
		return PARSE_FORMAT_RSS090;
	return PARSE_FORMAT_RSS;
}

/* Whether a summary slot of the item surely gives excerpt text. */
static int
parser_has_summary(const struct normalize_item *t)
{
	static const enum normalize_slot slots[] = {
		NORMALIZE_DESCRIPTION, NORMALIZE_SUMMARY_DC,
		NORMALIZE_SUMMARY_MEDIA, NORMALIZE_SUMMARY_ITUNES,
	};
	size_t	 i;

	for (i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		if (t->slot[slots[i]] != NULL &&
		    normalize_surely_text(t->slot[slots[i]],
		    t->slot_len[slots[i]],
		    (enum normalize_text)t->slot_text[slots[i]]))
			return 1;
	}
	return 0;
}

/* An element with a text: where its text goes, then capture it. */
static void
parser_text_elem(struct parser *p, unsigned char ctx,
    const struct parse_ns *ns, const struct parse_elem *e, int nattr,
    const xmlChar **attrs)
{
	struct normalize_item	*t;
	struct parse_atom_text	 at;
	enum normalize_slot	 slot;
	enum normalize_text	 text;
	char			 tbuf[PARSE_ATTR_MAX], mbuf[PARSE_ATTR_MAX];
	const char		*type, *mode;
	char			*url;

	if ((t = parser_target(p, ctx, e, &slot)) == NULL ||
	    t->slot[slot] != NULL)
		return;
	/*
	 * An item's content only gives the excerpt when no summary does;
	 * most feeds send the summary first, and the content (the bulk of
	 * a feed's bytes) need not be copied at all then.
	 */
	if (slot == NORMALIZE_CONTENT && t == &p->item &&
	    parser_has_summary(t))
		return;
	text = e->text;
	switch (e->kind) {
	case PARSE_K_TEXT_ATOM:
	case PARSE_K_CONTENT_ATOM:
		if (e->kind == PARSE_K_CONTENT_ATOM &&
		    parser_attr(nattr, attrs, "src", NULL, tbuf, sizeof tbuf) !=
		    NULL)
			return;
		type = parser_attr(nattr, attrs, "type", NULL, tbuf,
		    sizeof tbuf);
		mode = parser_attr(nattr, attrs, "mode", NULL, mbuf,
		    sizeof mbuf);
		parse_atom_text_type(type, mode, ns == &parse_atom_ns03, &at);
		if (at.skip)
			return;
		parser_cap_start(p, PARSE_CAP_SLOT, t, slot, at.text);
		p->cap_xhtml = at.xhtml;
		p->cap_base64 = at.base64;
		p->cap_binary = at.binary;
		return;
	case PARSE_K_MEDIA_TEXT:
		type = parser_attr(nattr, attrs, "type", NULL, tbuf,
		    sizeof tbuf);
		text = type != NULL && strcasecmp(type, "html") == 0 ?
		    NORMALIZE_HTML : NORMALIZE_PLAIN;
		break;
	case PARSE_K_GUID:
		mode = parser_attr(nattr, attrs, "isPermaLink", NULL, mbuf,
		    sizeof mbuf);
		t->guid_permalink = mode == NULL ||
		    strcasecmp(mode, "false") != 0;
		break;
	case PARSE_K_SOURCE_RSS:
		if (t->slot[NORMALIZE_SOURCE_URL] == NULL) {
			url = parser_attr_url(nattr, attrs, "url",
			    p->levels[p->depth].base);
			if (url != NULL)
				normalize_item_set(t, NORMALIZE_SOURCE_URL,
				    url, strlen(url), NORMALIZE_PLAIN);
		}
		break;
	default:
		break;
	}
	if (slot == NORMALIZE_LINK || slot == NORMALIZE_LINK_ORIG)
		parser_cap_start(p, PARSE_CAP_URL, t, slot, NORMALIZE_PLAIN);
	else
		parser_cap_start(p, PARSE_CAP_SLOT, t, slot, text);
}

static void
parser_category(struct parser *p, unsigned char ctx, int nattr,
    const xmlChar **attrs)
{
	char		 buf[512];
	const char	*v;

	if (ctx != PARSE_CTX_ITEM)
		return;
	/* Atom: the label is for people, the term for machines. */
	v = parser_attr(nattr, attrs, "label", NULL, buf, sizeof buf);
	if (v == NULL || *v == '\0')
		v = parser_attr(nattr, attrs, "term", NULL, buf, sizeof buf);
	if (v != NULL && *v != '\0') {
		normalize_item_add_category(&p->item, v, strlen(v));
		return;
	}
	parser_cap_start(p, PARSE_CAP_CATEGORY, &p->item, 0, NORMALIZE_PLAIN);
}

/* The xml:base an element sets, resolved against its parent's; or NULL. */
static char *
parser_xml_base(const char *parent, int nattr, const xmlChar **attrs)
{
	char	*raw, *base;
	int	 i;

	for (i = 0; i < nattr; i++, attrs += 5) {
		if (attrs[2] == NULL ||
		    strcmp((const char *)attrs[0], "base") != 0 ||
		    strcmp((const char *)attrs[2],
		    (const char *)XML_XML_NAMESPACE) != 0)
			continue;
		if (attrs[4] - attrs[3] > PARSE_FIELD_MAX)
			return NULL;
		raw = xstrndup((const char *)attrs[3],
		    (size_t)(attrs[4] - attrs[3]));
		base = parser_resolve(parent, raw);
		free(raw);
		return base;
	}
	return NULL;
}

static void
parser_start(void *arg, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattr, int ndef,
    const xmlChar **attrs)
{
	struct parser		*p = arg;
	struct parse_level	*parent, *lvl;
	const struct parse_ns	*ns;
	const struct parse_elem	*e;
	char			*base;
	unsigned char		 pctx;

	(void)nns;
	(void)nss;
	(void)ndef;
	p->depth++;
	if (p->depth < PARSE_MAX_DEPTH) {
		parent = &p->levels[p->depth - 1];
		lvl = &p->levels[p->depth];
		lvl->ctx = PARSE_CTX_SKIP;
		lvl->kind = PARSE_KIND_NONE;
		lvl->zombie = 0;
		lvl->base = parent->base;
		lvl->owned = 0;
		lvl->name = localname;
	}
	if (p->cap) {
		parser_cap_open(p, localname, nattr, attrs);
		return;
	}
	if (p->depth >= PARSE_MAX_DEPTH)
		return;
	pctx = parent->ctx;
	if (pctx == PARSE_CTX_SKIP)
		return;
	base = parser_xml_base(parent->base, nattr, attrs);
	if (base != NULL) {
		lvl->base = base;
		lvl->owned = 1;
	}

	if (p->depth == 1) {
		snprintf(p->root, sizeof p->root, "%s", localname);
		/* Atom without its namespace still reads as Atom. */
		if ((uri == NULL || *uri == '\0') &&
		    strcmp((const char *)localname, "feed") == 0)
			p->nons = &parse_atom_ns;
		else if ((uri == NULL || *uri == '\0') &&
		    strcmp((const char *)localname, "CHANNEL") == 0)
			p->nons = &parse_cdf_ns;
		if (uri != NULL && *uri != '\0' &&
		    strcmp((const char *)localname, "rss") == 0 &&
		    parser_ns(p, uri, prefix) == NULL)
			parser_ns_alias(p, uri, &parse_rss_ns);
	}
	ns = parser_ns(p, uri, prefix);
	e = ns != NULL ? parser_elem(p, ns, localname) : NULL;
	if (e == NULL)
		return;
	lvl->kind = e->kind;

	switch (e->kind) {
	case PARSE_K_ROOT_RSS:
		if (p->depth == 1) {
			p->format = parser_rss_version(nattr, attrs);
			lvl->ctx = PARSE_CTX_TOP;
		}
		break;
	case PARSE_K_ROOT_RDF:
		if (p->depth == 1) {
			p->format = PARSE_FORMAT_RSS10;
			lvl->ctx = PARSE_CTX_TOP;
		}
		break;
	case PARSE_K_ROOT_CDF:
		if (p->depth == 1) {
			p->format = PARSE_FORMAT_CDF;
			lvl->ctx = PARSE_CTX_FEED;
			parser_cdf_attrs(p, &p->feed, nattr, attrs);
		}
		break;
	case PARSE_K_FEED:
		if (p->depth == 1 && ns->atom) {
			p->format = ns == &parse_atom_ns03 ?
			    PARSE_FORMAT_ATOM03 : PARSE_FORMAT_ATOM10;
			lvl->ctx = PARSE_CTX_FEED;
		} else if (pctx == PARSE_CTX_TOP && p->depth == 2 && !ns->atom) {
			if (ns == &parse_rss_ns090)
				p->format = PARSE_FORMAT_RSS090;
			lvl->ctx = PARSE_CTX_FEED;
		}
		break;
	case PARSE_K_ITEM:
		if ((pctx == PARSE_CTX_TOP || pctx == PARSE_CTX_FEED) &&
		    !p->in_item && p->format != PARSE_FORMAT_UNKNOWN) {
			normalize_item_reset(&p->item);
			p->item.atom = ns->atom;
			p->in_item = 1;
			lvl->ctx = PARSE_CTX_ITEM;
			if (ns == &parse_cdf_ns)
				parser_cdf_attrs(p, &p->item, nattr, attrs);
		}
		break;
	case PARSE_K_SKIP:
		break;
	case PARSE_K_AUTHOR_ATOM:
		if (pctx == PARSE_CTX_ITEM || pctx == PARSE_CTX_FEED)
			lvl->ctx = PARSE_CTX_AUTHOR;
		break;
	case PARSE_K_SOURCE_ATOM:
		if (pctx == PARSE_CTX_ITEM)
			lvl->ctx = PARSE_CTX_SOURCE;
		break;
	case PARSE_K_MEDIA_GROUP:
		if (pctx == PARSE_CTX_ITEM || pctx == PARSE_CTX_FEED)
			lvl->ctx = pctx;
		break;
	case PARSE_K_MEDIA_CONTENT:
		if (pctx == PARSE_CTX_ITEM) {
			parser_media(p, NORMALIZE_MEDIA_CONTENT, nattr, attrs);
			lvl->ctx = pctx;
		}
		break;
	case PARSE_K_MEDIA_THUMBNAIL:
		if (pctx == PARSE_CTX_ITEM)
			parser_media(p, NORMALIZE_MEDIA_THUMBNAIL, nattr,
			    attrs);
		break;
	case PARSE_K_ENCLOSURE:
		if (pctx == PARSE_CTX_ITEM)
			parser_media(p, NORMALIZE_MEDIA_ENCLOSURE, nattr,
			    attrs);
		break;
	case PARSE_K_ITUNES_IMAGE:
		if (pctx == PARSE_CTX_ITEM)
			parser_media(p, NORMALIZE_MEDIA_ITUNES, nattr, attrs);
		break;
	case PARSE_K_VIDEO:
		if (pctx == PARSE_CTX_ITEM)
			p->item.video = 1;
		break;
	case PARSE_K_LINK_ATOM:
		parser_link(p, pctx, nattr, attrs);
		break;
	case PARSE_K_LINK_RSS:
		if (parser_attr(nattr, attrs, "href", NULL, (char[2]){ 0 }, 2)
		    != NULL)
			parser_link(p, pctx, nattr, attrs);
		else
			parser_text_elem(p, pctx, ns, e, nattr, attrs);
		break;
	case PARSE_K_CATEGORY:
		parser_category(p, pctx, nattr, attrs);
		break;
	case PARSE_K_TEXT:
	case PARSE_K_TEXT_ATOM:
	case PARSE_K_CONTENT_ATOM:
	case PARSE_K_MEDIA_TEXT:
	case PARSE_K_GUID:
	case PARSE_K_SOURCE_RSS:
		parser_text_elem(p, pctx, ns, e, nattr, attrs);
		break;
	}
}

static void
parser_end(void *arg, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct parser		*p = arg;
	struct parse_level	*lvl;

	(void)prefix;
	(void)uri;
	if (p->cap) {
		if (p->depth > p->cap_depth) {
			parser_cap_close_child(p, localname);
			p->depth--;
			return;
		}
		parser_cap_end(p);
	}
	if (p->depth > 0 && p->depth < PARSE_MAX_DEPTH) {
		lvl = &p->levels[p->depth];
		if (lvl->kind == PARSE_K_ITEM && lvl->ctx == PARSE_CTX_ITEM &&
		    !lvl->zombie)
			parser_item_end(p);
		if (lvl->owned)
			free(lvl->base);
		lvl->owned = 0;
	}
	p->depth--;
}

static void
parser_chars(void *arg, const xmlChar *s, int len)
{
	struct parser	*p = arg;

	if (!p->cap || len <= 0)
		return;
	if (p->cap_xhtml)
		parser_cap_escaped(p, (const char *)s, (size_t)len);
	else
		parser_cap_add(p, (const char *)s, (size_t)len);
}

static void
parser_item_end(struct parser *p)
{
	struct normalize_feed	 nf;
	struct entry		*e;

	nf.url = p->url;
	nf.title = p->feed_title;
	nf.link = p->feed_link;
	nf.config = p->config;
	nf.excerpt_length = p->excerpt_length;
	nf.fetched = p->fetched;
	e = normalize_entry(&p->item, &nf);
	normalize_item_reset(&p->item);
	p->in_item = 0;
	/* An item with nothing to show or to link to is no entry. */
	if (e->title == NULL && e->excerpt == NULL && e->original_url == NULL) {
		entry_free(e);
		return;
	}
	p->nentries++;
	p->cb(e, p->arg);
}

/*
 * An end tag that does not close the open element ("<title>a <b>b</title>",
 * "</item></item>"). libxml2 recovers by closing only the innermost open
 * element, so the title would swallow the rest of the item and the next
 * item would nest in this one. A browser, and feedparser, close up to the
 * element the tag names; so do we: every level from the top down to the
 * named one ends now (its capture and its item are finished) and stays
 * open only as a zombie, transparent to the context it was opened in,
 * until libxml2 closes it.
 */
static void
parser_mismatch(struct parser *p, const char *name)
{
	int		 d, k, top;
	unsigned char	 ctx;

	top = p->depth < PARSE_MAX_DEPTH ? p->depth : PARSE_MAX_DEPTH - 1;
	for (d = top - 1; d >= 1; d--) {
		if (!p->levels[d].zombie && p->levels[d].name != NULL &&
		    strcmp((const char *)p->levels[d].name, name) == 0)
			break;
	}
	if (d < 1)
		return;
	if (p->cap && p->cap_depth >= d)
		parser_cap_end(p);
	ctx = p->levels[d - 1].ctx;
	for (k = top; k >= d; k--) {
		if (p->levels[k].zombie)
			continue;
		if (p->levels[k].kind == PARSE_K_ITEM &&
		    p->levels[k].ctx == PARSE_CTX_ITEM && p->in_item)
			parser_item_end(p);
		p->levels[k].zombie = 1;
		p->levels[k].ctx = ctx;
	}
}

/* libxml2's diagnostics go to the log at debug level, never to stderr. */
static void
parser_xml_error(void *arg, xmlErrorPtr err)
{
	struct parser	*p = arg;
	size_t		 len;
	char		 msg[256];

	p->errors++;
	if (err != NULL && err->code == XML_ERR_TAG_NAME_MISMATCH &&
	    err->str2 != NULL)
		parser_mismatch(p, err->str2);
	if (log_get_level() < LOG_LEVEL_DEBUG || err == NULL ||
	    err->message == NULL)
		return;
	snprintf(msg, sizeof msg, "%s", err->message);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	log_debug("parse", "%s: line %d: %s", p->url != NULL ? p->url : "-",
	    err->line, msg);
}

static void parser_generic_error(void *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
parser_generic_error(void *arg, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];
	size_t	 len;

	(void)arg;
	if (log_get_level() < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	if (len > 0)
		log_debug("parse", "libxml2: %s", msg);
}

static int
parser_encoding_usable(const char *name)
{
	xmlCharEncodingHandlerPtr	 h;

	if ((h = xmlFindCharEncodingHandler(name)) == NULL)
		return 0;
	xmlCharEncCloseFunc(h);
	return 1;
}

struct parser *
parser_new(const struct parse_opts *opts, parse_entry_cb *cb, void *arg)
{
	struct parser	*p;

	p = xcalloc(1, sizeof *p);
	if (opts->url != NULL)
		p->url = xstrdup(opts->url);
	if (opts->charset != NULL)
		p->charset = xstrdup(opts->charset);
	p->config = opts->feed;
	p->excerpt_length = opts->excerpt_length;
	p->fetched = opts->fetched;
	p->cb = cb;
	p->arg = arg;
	p->nons = &parse_rss_ns;
	p->levels[0].ctx = PARSE_CTX_TOP;
	p->levels[0].kind = PARSE_KIND_NONE;
	p->levels[0].base = p->url;
	buf_init(&p->text, PARSE_FIELD_MAX);

	p->sax.initialized = XML_SAX2_MAGIC;
	p->sax.startElementNs = parser_start;
	p->sax.endElementNs = parser_end;
	p->sax.characters = parser_chars;
	p->sax.ignorableWhitespace = parser_chars;
	p->sax.cdataBlock = parser_chars;
	p->sax.serror = parser_xml_error;
	return p;
}

/* Hand filtered bytes to libxml2. */
static int
parser_push(struct parser *p, const char *s, size_t len, int final)
{
	const char	*out;
	size_t		 n;
	int		 rc;

	if (p->stopped)
		return -1;
	out = parse_input_filter(p->input, s, len, final, &n);
	if (n == 0 && !final)
		return 0;
	for (;;) {
		size_t	 chunk = n > INT32_MAX ? INT32_MAX : n;

		rc = xmlParseChunk(p->xml, out, (int)chunk,
		    final && chunk == n);
		/* Bytes the encoding cannot decode: libxml2 halts for good. */
		if (rc == XML_ERR_INVALID_ENCODING ||
		    (p->xml->instate == XML_PARSER_EOF && !final)) {
			p->stopped = 1;
			return -1;
		}
		if (chunk == n)
			break;
		out += chunk;
		n -= chunk;
	}
	return 0;
}

/* The first bytes are in: choose the encoding and start libxml2. */
static int
parser_begin(struct parser *p, int final)
{
	xmlCharEncodingHandlerPtr	 h;
	const char			*enc;
	size_t				 skip;

	p->started = 1;
	xmlSetGenericErrorFunc(NULL, parser_generic_error);
	enc = parse_input_encoding(p->probe, p->nprobe, p->charset,
	    parser_encoding_usable, &skip);
	if (enc != NULL)
		p->encoding = xstrdup(enc);
	p->input = parse_input_new(p->encoding);
	p->xml = xmlCreatePushParserCtxt(&p->sax, p, NULL, 0, NULL);
	if (p->xml == NULL) {
		p->stopped = 1;
		return -1;
	}
	/*
	 * IGNORE_ENC: the encoding was chosen above, with the HTTP charset
	 * before the declaration; libxml2 would switch to the declaration's.
	 * NOENT: without it libxml2 hands "&" in attribute values over as
	 * "&#38;". It expands nothing here: no entity declaration is ever
	 * recorded (no entityDecl handler, no getEntity), and parse_input.c
	 * has turned every reference into a character reference.
	 */
	xmlCtxtUseOptions(p->xml, XML_PARSE_RECOVER | XML_PARSE_NONET |
	    XML_PARSE_IGNORE_ENC | XML_PARSE_NOENT | XML_PARSE_COMPACT);
	if (p->encoding != NULL && !parse_input_decodes(p->input)) {
		if ((h = xmlFindCharEncodingHandler(p->encoding)) == NULL ||
		    xmlSwitchToEncoding(p->xml, h) < 0) {
			log_debug("parse", "%s: cannot decode %s",
			    p->url != NULL ? p->url : "-", p->encoding);
			p->stopped = 1;
			return -1;
		}
	}
	return parser_push(p, p->probe + skip, p->nprobe - skip, final);
}

int
parser_feed(struct parser *p, const void *bytes, size_t len)
{
	const char	*s = bytes;
	size_t		 n;

	if (p->stopped || p->finished)
		return -1;
	if (!p->started) {
		n = sizeof p->probe - p->nprobe;
		if (n > len)
			n = len;
		memcpy(p->probe + p->nprobe, s, n);
		p->nprobe += n;
		s += n;
		len -= n;
		if (p->nprobe < sizeof p->probe)
			return 0;
		if (parser_begin(p, 0) < 0)
			return -1;
	}
	if (len == 0)
		return 0;
	return parser_push(p, s, len, 0);
}

/* "hourly", ... in seconds; 0 for what sy: does not define. */
static int64_t
parser_sy_period(const char *s)
{
	if (strcasecmp(s, "hourly") == 0)
		return 3600;
	if (strcasecmp(s, "daily") == 0)
		return 86400;
	if (strcasecmp(s, "weekly") == 0)
		return 7 * 86400;
	if (strcasecmp(s, "monthly") == 0)
		return 30 * 86400;
	if (strcasecmp(s, "yearly") == 0)
		return 365 * 86400;
	return 0;
}

/* A feed-level slot as trimmed plain text, or NULL when empty. */
static char *
parser_feed_string(struct parser *p, enum normalize_slot slot)
{
	char	*s;

	if (p->feed.slot[slot] == NULL)
		return NULL;
	s = text_from_plain(p->feed.slot[slot], p->feed.slot_len[slot], 200);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static int
parser_feed_int(struct parser *p, enum normalize_slot slot)
{
	char	*s, *end;
	long	 n;

	if ((s = parser_feed_string(p, slot)) == NULL)
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || n < 0 || n > 1000000)
		n = -1;
	free(s);
	return (int)n;
}

static void
parser_info(struct parser *p, struct parse_feed_info *info)
{
	int64_t	 period;

	memset(info, 0, sizeof *info);
	info->format = p->format;
	if (p->feed_title != NULL)
		info->title = xstrdup(p->feed_title);
	if (p->feed_link != NULL)
		info->link = xstrdup(p->feed_link);
	info->language = parser_feed_string(p, NORMALIZE_LANGUAGE);
	info->ttl = parser_feed_int(p, NORMALIZE_TTL);
	info->update_period = parser_feed_string(p, NORMALIZE_SY_PERIOD);
	info->update_frequency = parser_feed_int(p, NORMALIZE_SY_FREQUENCY);
	info->update_interval = -1;
	if (info->update_period != NULL || info->update_frequency > 0) {
		period = info->update_period != NULL ?
		    parser_sy_period(info->update_period) : 86400;
		if (period > 0)
			info->update_interval = period /
			    (info->update_frequency > 0 ?
			    info->update_frequency : 1);
	}
	info->nentries = p->nentries;
	info->wellformed = p->xml != NULL && p->xml->wellFormed &&
	    p->errors == 0;
	info->stopped = p->stopped;
	if (p->encoding != NULL)
		info->encoding = xstrdup(p->encoding);
}

int
parser_finish(struct parser *p, struct parse_feed_info *info,
    struct errbuf *err)
{
	if (!p->finished) {
		p->finished = 1;
		if (!p->started)
			parser_begin(p, 1);
		else
			parser_push(p, NULL, 0, 1);
	}
	if (info != NULL)
		parser_info(p, info);
	if (p->format != PARSE_FORMAT_UNKNOWN)
		return 0;
	if (p->nprobe == 0)
		errbuf_set(err, "empty document");
	else if (p->root[0] == '\0')
		errbuf_set(err, "not XML");
	else
		errbuf_set(err, "not an RSS or Atom feed (root element <%s>)",
		    p->root);
	return -1;
}

void
parser_free(struct parser *p)
{
	int	 i;

	if (p == NULL)
		return;
	/* A truncated document leaves levels open. */
	for (i = 1; i <= p->depth && i < PARSE_MAX_DEPTH; i++) {
		if (p->levels[i].owned)
			free(p->levels[i].base);
	}
	if (p->xml != NULL) {
		/*
		 * libxml2 makes itself a document to hang entity declarations
		 * on (xmlParseEntityDecl) even with our handlers; it is ours.
		 */
		if (p->xml->myDoc != NULL)
			xmlFreeDoc(p->xml->myDoc);
		p->xml->myDoc = NULL;
		xmlFreeParserCtxt(p->xml);
	}
	parse_input_free(p->input);
	normalize_item_clear(&p->feed);
	normalize_item_clear(&p->item);
	buf_free(&p->text);
	free(p->feed_title);
	free(p->feed_link);
	free(p->encoding);
	free(p->charset);
	free(p->url);
	free(p);
}

int
parse_buffer(const struct parse_opts *opts, const void *bytes, size_t len,
    parse_entry_cb *cb, void *arg, struct parse_feed_info *info,
    struct errbuf *err)
{
	struct parser	*p;
	int		 rc;

	p = parser_new(opts, cb, arg);
	parser_feed(p, bytes, len);
	rc = parser_finish(p, info, err);
	parser_free(p);
	return rc;
}

void
parse_feed_info_clear(struct parse_feed_info *info)
{
	if (info == NULL)
		return;
	free(info->title);
	free(info->link);
	free(info->language);
	free(info->update_period);
	free(info->encoding);
	memset(info, 0, sizeof *info);
}
