/*
 * normalize.c: raw items to record entries (normalize.h).
 *
 * The precedence rules live here and only here; docs/parsing.md states
 * them. Text goes through text.c, dates through dates.c, URLs through
 * url.c; this file decides which value wins and scores the result.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* XXH3_state_t on the stack: streamed hashing without an allocation. */
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "buf.h"
#include "dates.h"
#include "normalize.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

#define NORMALIZE_TOPIC_MAX	100	/* characters of one topic */
#define NORMALIZE_DATE_MAX	128	/* bytes of a date worth reading */

void
normalize_item_set(struct normalize_item *it, enum normalize_slot slot,
    char *value, size_t len, enum normalize_text text)
{
	if (it->slot[slot] != NULL) {
		free(value);
		return;
	}
	it->slot[slot] = value;
	it->slot_len[slot] = len;
	it->slot_text[slot] = (unsigned char)text;
}

void
normalize_item_copy(struct normalize_item *it, enum normalize_slot slot,
    const char *s, size_t len, enum normalize_text text)
{
	if (it->slot[slot] != NULL)
		return;
	if (it->keep_size[slot] < len + 1) {
		/* The old contents are dead: no realloc to copy them. */
		free(it->keep[slot]);
		it->keep_size[slot] = len < 64 ? 64 : len + 1;
		it->keep[slot] = xmalloc(it->keep_size[slot]);
	}
	memcpy(it->keep[slot], s, len);
	it->keep[slot][len] = '\0';
	/* The slot is empty: set takes the buffer, reset will not free it. */
	normalize_item_set(it, slot, it->keep[slot], len, text);
}

/*
 * An item's arrays grow by doubling from 4 without a capacity field: at
 * n elements the array holds 4, 8, 16, ... and is full when n is 0 or a
 * power of two from 4 on.
 */
static int
normalize_full(size_t n)
{
	return n == 0 || (n >= 4 && (n & (n - 1)) == 0);
}

static size_t
normalize_room(size_t n)
{
	return n == 0 ? 4 : n * 2;
}

void
normalize_item_add_category(struct normalize_item *it, const char *s,
    size_t len)
{
	char	*c;

	if (it->ncategories >= NORMALIZE_MAX_CATEGORIES)
		return;
	c = text_from_plain(s, len, NORMALIZE_TOPIC_MAX);
	if (*c == '\0') {
		free(c);
		return;
	}
	if (normalize_full(it->ncategories))
		it->categories = xreallocarray(it->categories,
		    normalize_room(it->ncategories), sizeof *it->categories);
	it->categories[it->ncategories++] = c;
}

void
normalize_item_add_media(struct normalize_item *it,
    enum normalize_media_kind kind, const char *url, const char *type,
    const char *medium, int width, int height)
{
	struct normalize_media	*m;

	if (it->nmedia >= NORMALIZE_MAX_MEDIA)
		return;
	if (normalize_full(it->nmedia))
		it->media = xreallocarray(it->media, normalize_room(it->nmedia),
		    sizeof *it->media);
	m = &it->media[it->nmedia++];
	m->url = xstrdup(url);
	m->type = type != NULL ? xstrdup(type) : NULL;
	m->medium = medium != NULL ? xstrdup(medium) : NULL;
	m->width = width;
	m->height = height;
	m->kind = kind;
}

void
normalize_item_reset(struct normalize_item *it)
{
	size_t	 i;

	/* Most slots are empty: no call for those (twice an item). */
	for (i = 0; i < NORMALIZE_NSLOTS; i++) {
		if (it->slot[i] != NULL && it->slot[i] != it->keep[i])
			free(it->slot[i]);
	}
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	for (i = 0; i < it->nmedia; i++) {
		free(it->media[i].url);
		free(it->media[i].type);
		free(it->media[i].medium);
	}
	free(it->media);
	memset(it, 0, offsetof(struct normalize_item, keep));
}

void
normalize_item_clear(struct normalize_item *it)
{
	size_t	 i;

	normalize_item_reset(it);
	for (i = 0; i < NORMALIZE_NSLOTS; i++)
		free(it->keep[i]);
	memset(it, 0, sizeof *it);
}

/*
 * The elements of HTML (the living standard's index, with the obsolete
 * ones feeds still write: font, center, big, tt...), for telling a tag
 * from a pair of angle brackets. Sorted for bsearch.
 */
static const char *const normalize_html_elements[] = {
	"a", "abbr", "acronym", "address", "applet", "area", "article",
	"aside", "audio", "b", "base", "basefont", "bdi", "bdo", "big",
	"blink", "blockquote", "body", "br", "button", "canvas", "caption",
	"center", "cite", "code", "col", "colgroup", "data", "datalist",
	"dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt",
	"em", "embed", "fieldset", "figcaption", "figure", "font", "footer",
	"form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
	"head", "header", "hgroup", "hr", "html", "i", "iframe", "img",
	"input", "ins", "kbd", "label", "legend", "li", "link", "main",
	"map", "mark", "marquee", "menu", "meta", "meter", "nav", "nobr",
	"noframes", "noscript", "object", "ol", "optgroup", "option",
	"output", "p", "param", "picture", "pre", "progress", "q", "rp",
	"rt", "ruby", "s", "samp", "script", "search", "section", "select",
	"slot", "small", "source", "span", "strike", "strong", "style",
	"sub", "summary", "sup", "svg", "table", "tbody", "td", "template",
	"textarea", "tfoot", "th", "thead", "time", "title", "tr", "track",
	"tt", "u", "ul", "var", "video", "wbr",
};

static int
normalize_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/*
 * The name of a tag from s on (ASCII letters and digits, lower-cased
 * into name, at most size - 1 of them); returns where the name ends.
 */
static const char *
normalize_tag_name(const char *s, const char *end, char *name, size_t size)
{
	size_t	 n;

	for (n = 0; s < end && n < size - 1 && ((*s >= 'a' && *s <= 'z') ||
	    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')); s++, n++)
		name[n] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
	name[n] = '\0';
	return s;
}

/*
 * A text that may be either (an RSS title) is HTML when something in it
 * is markup no one writes as text: an end tag ("</b>"), a comment, or a
 * complete character or entity reference ("&amp;", "&#8217;"; a name
 * HTML does not define is no evidence either way) -- and every tag in it
 * is one of an HTML element. A start tag alone is not enough: a title
 * about "<code>" or "<dialog>" names the element, and "<rss> .. </rss>"
 * or "Mail <john@example.org>" are no HTML at all. (The rule Python's
 * feedparser applies, which its tests spell out.)
 */
int
normalize_looks_html(const char *s, size_t len)
{
	const char	*p, *q, *end = s + len;
	char		 name[33];
	size_t		 n, start;
	int		 markup = 0, endtag;

	for (p = s; p < end; p++) {
		if (*p == '<') {
			if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
				markup = 1;
				continue;
			}
			q = p + 1;
			endtag = q < end && *q == '/';
			if (endtag)
				q++;
			/* "<3", "< b", "<-": a bracket, not a tag. */
			if (q == end || !((*q >= 'a' && *q <= 'z') ||
			    (*q >= 'A' && *q <= 'Z')))
				continue;
			q = normalize_tag_name(q, end, name, sizeof name);
			/* Cut by the end of the text: no tag yet. */
			if (q == end)
				continue;
			if ((*q != '>' && *q != '/' && *q != ' ' &&
			    *q != '\t' && *q != '\n' && *q != '\r') ||
			    bsearch(name, normalize_html_elements,
			    sizeof normalize_html_elements /
			    sizeof normalize_html_elements[0],
			    sizeof normalize_html_elements[0],
			    normalize_name_cmp) == NULL)
				return 0;
			if (endtag)
				markup = 1;
			p = q - 1;
			continue;
		}
		if (*p != '&' || p + 1 == end)
			continue;
		/* A reference: "&name;", "&#123;" or "&#x1F;". */
		n = 1;
		if (p[1] == '#') {
			n = p + 2 < end && (p[2] == 'x' || p[2] == 'X') ? 3 : 2;
			start = n;
			while (p + n < end && n < 12 && ((p[n] >= '0' &&
			    p[n] <= '9') || (start == 3 && ((p[n] >= 'a' &&
			    p[n] <= 'f') || (p[n] >= 'A' && p[n] <= 'F')))))
				n++;
			if (n > start && p + n < end && p[n] == ';')
				markup = 1;
		} else {
			char	 utf8[8];

			start = 1;
			while (p + n < end && n < 33 && ((p[n] >= 'a' &&
			    p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
			    (p[n] >= '0' && p[n] <= '9')))
				n++;
			if (n > start && p + n < end && p[n] == ';' &&
			    text_entity_utf8(p + 1, n - 1, utf8) > 0)
				markup = 1;
		}
	}
	return markup;
}

/*
 * Elements that may open an HTML summary and whose text libxml2's HTML
 * parser reports as text wherever they stand: no script, style, title or
 * other element text.c drops or the parser moves. Sorted for bsearch.
 */
static const char *const normalize_open_tags[] = {
	"a", "b", "blockquote", "div", "em", "h1", "h2", "h3", "h4", "h5",
	"h6", "i", "li", "ol", "p", "span", "strong", "u", "ul",
};


/*
 * The plain-text case needs one printable ASCII byte: text.c keeps it.
 * An HTML fragment needs an ASCII letter or digit before any '&' or
 * markup other than the opening tags of the table: "<p><a href=...>Word"
 * is surely text, "<script>x" or "&nbsp;" is not decided here.
 */
int
normalize_surely_text(const char *s, size_t len, enum normalize_text text)
{
	const char	*end = s + len;
	char		 tag[12], quote;

	if (text == NORMALIZE_SNIFF)
		text = normalize_looks_html(s, len) ? NORMALIZE_HTML :
		    NORMALIZE_PLAIN;
	if (text == NORMALIZE_PLAIN || (memchr(s, '<', len) == NULL &&
	    memchr(s, '&', len) == NULL)) {
		for (; s < end; s++) {
			if (*s > 0x20 && *s < 0x7f)
				return 1;
		}
		return 0;
	}
	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' ||
		    *s == '\r'))
			s++;
		if (s == end)
			return 0;
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9'))
			return 1;
		if (*s != '<')
			return 0;
		s = normalize_tag_name(s + 1, end, tag, sizeof tag);
		if (tag[0] == '\0' || s == end || (*s != '>' && *s != ' ' &&
		    *s != '\t' && *s != '\n' && *s != '\r') ||
		    bsearch(tag, normalize_open_tags,
		    sizeof normalize_open_tags / sizeof normalize_open_tags[0],
		    sizeof normalize_open_tags[0], normalize_name_cmp) == NULL)
			return 0;
		/* To the '>' that ends the tag, over quoted values. */
		for (quote = 0; s < end && (quote != 0 || *s != '>'); s++) {
			if (quote != 0 && *s == quote)
				quote = 0;
			else if (quote == 0 && (*s == '"' || *s == '\''))
				quote = *s;
			else if (*s == '<')
				return 0;
		}
		if (s == end)
			return 0;
		s++;
	}
}

char *
normalize_text(const char *s, size_t len, enum normalize_text text,
    size_t max_chars)
{
	if (text == NORMALIZE_SNIFF)
		text = normalize_looks_html(s, len) ? NORMALIZE_HTML :
		    NORMALIZE_PLAIN;
	if (text == NORMALIZE_HTML)
		return text_from_html(s, len, max_chars);
	return text_from_plain(s, len, max_chars);
}

/* The first slot of the list that gives non-empty text, or NULL. */
static char *
normalize_first_text(const struct normalize_item *it,
    const enum normalize_slot *slots, size_t nslots, size_t max_chars)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < nslots; i++) {
		if (it->slot[slots[i]] == NULL)
			continue;
		s = normalize_text(it->slot[slots[i]], it->slot_len[slots[i]],
		    it->slot_text[slots[i]], max_chars);
		if (*s != '\0')
			return s;
		free(s);
	}
	return NULL;
}

/* The first date of the list that parses. */
static int64_t
normalize_published(const struct normalize_item *it)
{
	static const enum normalize_slot slots[] = {
		NORMALIZE_PUBLISHED, NORMALIZE_DATE_DC, NORMALIZE_CREATED,
		NORMALIZE_UPDATED,
	};
	char		 buf[NORMALIZE_DATE_MAX];
	const char	*s;
	size_t		 i, len;
	int64_t		 t;

	for (i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		if ((s = it->slot[slots[i]]) == NULL)
			continue;
		len = it->slot_len[slots[i]];
		while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' ||
		    *s == '\r')) {
			s++;
			len--;
		}
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[len - 1] == '\n' || s[len - 1] == '\r'))
			len--;
		if (len == 0 || len >= sizeof buf)
			continue;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (dates_parse(buf, &t) == 0)
			return t;
	}
	return ENTRY_NO_DATE;
}

static int
normalize_is_http(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

/*
 * The entry link: feedburner:origLink, then for RSS <link>, a permalink
 * <guid>, atom:link alternate; for Atom the alternate link first.
 */
static char *
normalize_link(const struct normalize_item *it)
{
	enum normalize_slot	 order[3];
	size_t			 i, n = 0;

	order[n++] = NORMALIZE_LINK_ORIG;
	if (it->atom) {
		order[n++] = NORMALIZE_LINK_ALT;
		order[n++] = NORMALIZE_LINK;
	} else {
		order[n++] = NORMALIZE_LINK;
	}
	for (i = 0; i < n; i++) {
		if (it->slot[order[i]] != NULL && *it->slot[order[i]] != '\0')
			return xstrdup(it->slot[order[i]]);
	}
	if (!it->atom) {
		if (it->guid_permalink && it->slot[NORMALIZE_GUID] != NULL &&
		    normalize_is_http(it->slot[NORMALIZE_GUID]))
			return url_resolve(NULL, it->slot[NORMALIZE_GUID]);
		if (it->slot[NORMALIZE_LINK_ALT] != NULL &&
		    *it->slot[NORMALIZE_LINK_ALT] != '\0')
			return xstrdup(it->slot[NORMALIZE_LINK_ALT]);
	}
	return NULL;
}

/* Nonzero when the URL's path ends like an image file. */
static int
normalize_image_url(const char *url)
{
	static const char *const exts[] = {
		".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif",
	};
	size_t	 len, i, n;

	len = strcspn(url, "?#");
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		n = strlen(exts[i]);
		if (len >= n && strncasecmp(url + len - n, exts[i], n) == 0)
			return 1;
	}
	return 0;
}

int
normalize_media_maybe_image(enum normalize_media_kind kind, const char *type,
    const char *medium)
{
	/* Without a type or medium, only the file name can tell. */
	return (kind == NORMALIZE_MEDIA_CONTENT ||
	    kind == NORMALIZE_MEDIA_ENCLOSURE) && type == NULL &&
	    medium == NULL;
}

int
normalize_media_image(enum normalize_media_kind kind, const char *type,
    const char *medium, const char *url)
{
	switch (kind) {
	case NORMALIZE_MEDIA_THUMBNAIL:
	case NORMALIZE_MEDIA_ITUNES:
		return 1;
	case NORMALIZE_MEDIA_CONTENT:
		if (medium != NULL)
			return strcasecmp(medium, "image") == 0;
		/* FALLTHROUGH */
	case NORMALIZE_MEDIA_ENCLOSURE:
		if (type != NULL)
			return strncasecmp(type, "image/", 6) == 0;
		return url != NULL && normalize_image_url(url);
	}
	return 0;
}

/*
 * s itself when it is valid UTF-8, else a repaired copy (s is freed).
 * URLs come back from url.c with percent-encoded hosts decoded, and a
 * hostile feed can make those any bytes; record fields are UTF-8.
 */
char *
normalize_utf8(char *s)
{
	const unsigned char	*p, *end;
	uint64_t		 w;
	char			*fixed;
	int			 n, i;

	if (s == NULL)
		return NULL;
	/* URLs are ASCII nearly always: skip that a word at a time. */
	p = (const unsigned char *)s;
	end = p + strlen(s);
	while ((size_t)(end - p) >= sizeof w) {
		memcpy(&w, p, sizeof w);
		if (w & 0x8080808080808080ULL)
			break;
		p += sizeof w;
	}
	for (; *p != '\0'; p += n + 1) {
		if (*p < 0x80)
			n = 0;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			break;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
		}
		if (i <= n)
			break;
	}
	if (*p == '\0')
		return s;
	fixed = text_utf8_fix(s, strlen(s));
	free(s);
	return fixed;
}

static void
normalize_images(struct entry *e, const struct normalize_item *it)
{
	const struct normalize_media	*m;
	size_t				 i, j;

	for (i = 0; i < it->nmedia; i++) {
		m = &it->media[i];
		if (!normalize_media_image(m->kind, m->type, m->medium,
		    m->url))
			continue;
		for (j = 0; j < e->nimages; j++) {
			if (strcmp(e->images[j].url, m->url) == 0)
				break;
		}
		if (j < e->nimages) {
			/* The same image again may say its size. */
			if (e->images[j].width == ENTRY_NO_SIZE &&
			    e->images[j].height == ENTRY_NO_SIZE) {
				e->images[j].width = m->width;
				e->images[j].height = m->height;
			}
			continue;
		}
		entry_add_image(e, m->url, m->width, m->height);
		e->images[e->nimages - 1].url =
		    normalize_utf8(e->images[e->nimages - 1].url);
	}
}

/* "video", "audio" or "article" from the item's enclosures and media. */
static const char *
normalize_type(const struct normalize_item *it)
{
	const struct normalize_media	*m;
	const char			*type = "article";
	size_t				 i;

	if (it->video)
		return "video";
	for (i = 0; i < it->nmedia; i++) {
		m = &it->media[i];
		if (m->kind != NORMALIZE_MEDIA_CONTENT &&
		    m->kind != NORMALIZE_MEDIA_ENCLOSURE)
			continue;
		if ((m->medium != NULL && strcasecmp(m->medium, "video") == 0) ||
		    (m->type != NULL && (strncasecmp(m->type, "video/", 6) == 0
		    || strcasecmp(m->type, "application/x-shockwave-flash") ==
		    0)))
			return "video";
		if ((m->medium != NULL && strcasecmp(m->medium, "audio") == 0) ||
		    (m->type != NULL && strncasecmp(m->type, "audio/", 6) == 0))
			type = "audio";
	}
	return type;
}

/* Characters in UTF-8: the bytes that are not continuation bytes. */
static size_t
normalize_chars(const char *s)
{
	size_t		 len = strlen(s), n = len, i = 0;
	uint64_t	 w;

	/*
	 * A word at a time: 10xxxxxx has its top bit set, the next clear.
	 * The eight flags, one a byte, are summed by a multiply into the
	 * top byte: x86-64 without -mpopcnt makes __builtin_popcountll a
	 * call into libgcc.
	 */
	for (; len - i >= sizeof w; i += sizeof w) {
		memcpy(&w, s + i, sizeof w);
		w = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
		n -= (size_t)((w * 0x0101010101010101ULL) >> 56);
	}
	for (; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

/* Mostly capitals: at least 8 letters, 70% or more of them upper case. */
static int
normalize_shouting(const char *s)
{
	size_t	 upper = 0, letters = 0;

	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z') {
			upper++;
			letters++;
		} else if (*s >= 'a' && *s <= 'z')
			letters++;
	}
	return letters >= 8 && upper * 10 >= letters * 7;
}

int
normalize_quality(const struct entry *e, int weight)
{
	size_t	 i, chars;
	int	 q, wide;

	if (weight == CONFIG_UNSET)
		weight = NORMALIZE_WEIGHT_DEFAULT;
	if (weight < 0)
		weight = 0;
	if (weight > 100)
		weight = 100;
	/* The feed's weight: up to 40 points. */
	q = weight * 40 / 100;

	/* An image: 10 points, 10 more when one is at least 600 px wide. */
	if (e->nimages > 0) {
		q += 10;
		wide = 0;
		for (i = 0; i < e->nimages; i++) {
			if (e->images[i].width >= 600)
				wide = 1;
		}
		if (wide)
			q += 10;
	}

	/* An excerpt that says something: up to 20 points. */
	chars = e->excerpt != NULL ? normalize_chars(e->excerpt) : 0;
	if (chars >= 200)
		q += 20;
	else if (chars >= 80)
		q += 12;
	else if (chars > 0)
		q += 5;

	/* A date: 10 points. */
	if (e->published != ENTRY_NO_DATE)
		q += 10;

	/* A title: 10 points; a shouting one costs 10 instead. */
	if (e->title != NULL)
		q += normalize_shouting(e->title) ? -10 : 10;

	if (q < 0)
		q = 0;
	if (q > 100)
		q = 100;
	return q;
}

static uint64_t
normalize_hash(const struct entry *e)
{
	XXH3_state_t	 st;
	static const char nul = '\0';

	/*
	 * NUL separators: "ab"+"c" and "a"+"bc" must differ. Streamed, it
	 * is the hash of the concatenation without building it.
	 */
	XXH3_64bits_reset(&st);
	if (e->title != NULL)
		XXH3_64bits_update(&st, e->title, strlen(e->title));
	XXH3_64bits_update(&st, &nul, 1);
	if (e->excerpt != NULL)
		XXH3_64bits_update(&st, e->excerpt, strlen(e->excerpt));
	XXH3_64bits_update(&st, &nul, 1);
	if (e->original_url != NULL)
		XXH3_64bits_update(&st, e->original_url,
		    strlen(e->original_url));
	return XXH3_64bits_digest(&st);
}

/*
 * The provider's name and domain. link_domain is url_domain() of the
 * entry link, worked out with its canonical form (NULL if none); it
 * becomes the domain or is freed.
 */
static void
normalize_provider(struct entry *e, const struct normalize_item *it,
    const struct normalize_feed *nf, char *link_domain)
{
	const struct config_feed	*cf = nf->config;
	const char			*s;
	char				*name = NULL;

	if ((s = it->slot[NORMALIZE_SOURCE_NAME]) != NULL) {
		name = text_from_plain(s, it->slot_len[NORMALIZE_SOURCE_NAME],
		    NORMALIZE_TITLE_MAX);
		if (*name == '\0') {
			free(name);
			name = NULL;
		}
	}
	if (name == NULL && cf != NULL && cf->name != NULL && *cf->name != '\0')
		name = xstrdup(cf->name);
	if (name == NULL && nf->title != NULL && *nf->title != '\0')
		name = xstrdup(nf->title);

	if (it->slot[NORMALIZE_SOURCE_URL] != NULL)
		e->provider_domain = url_domain(it->slot[NORMALIZE_SOURCE_URL]);
	if (e->provider_domain == NULL && e->original_url != NULL) {
		e->provider_domain = link_domain;
		link_domain = NULL;
	}
	free(link_domain);
	if (e->provider_domain == NULL && nf->link != NULL)
		e->provider_domain = url_domain(nf->link);
	if (e->provider_domain == NULL && nf->url != NULL)
		e->provider_domain = url_domain(nf->url);

	e->provider_domain = normalize_utf8(e->provider_domain);
	if (name == NULL && e->provider_domain != NULL)
		name = xstrdup(e->provider_domain);
	e->provider_name = name;
}

struct entry *
normalize_entry(const struct normalize_item *it,
    const struct normalize_feed *nf)
{
	static const enum normalize_slot titles[] = {
		NORMALIZE_TITLE, NORMALIZE_TITLE_DC, NORMALIZE_TITLE_MEDIA,
	};
	static const enum normalize_slot summaries[] = {
		NORMALIZE_DESCRIPTION, NORMALIZE_SUMMARY_DC,
		NORMALIZE_SUMMARY_MEDIA, NORMALIZE_SUMMARY_ITUNES,
		NORMALIZE_CONTENT,
	};
	const struct config_feed	*cf = nf->config;
	struct entry			*e;
	size_t				 i, limit;
	char				*s, *link_domain;

	e = entry_new();
	limit = nf->excerpt_length > 0 ? nf->excerpt_length :
	    NORMALIZE_EXCERPT_DEFAULT;
	e->title = normalize_first_text(it, titles,
	    sizeof titles / sizeof titles[0], NORMALIZE_TITLE_MAX);
	e->excerpt = normalize_first_text(it, summaries,
	    sizeof summaries / sizeof summaries[0], limit);
	e->published = normalize_published(it);

	e->original_url = normalize_utf8(normalize_link(it));
	link_domain = NULL;
	if (e->original_url != NULL)
		e->web_url = normalize_utf8(url_canonical_domain(
		    e->original_url, &link_domain));

	if (cf != NULL && cf->type != NULL)
		e->type = xstrdup(cf->type);
	else
		e->type = xstrdup(normalize_type(it));

	normalize_provider(e, it, nf, link_domain);

	for (i = 0; i < it->ncategories; i++)
		entry_add_topic(e, it->categories[i]);
	if (cf != NULL) {
		for (i = 0; i < cf->ntopics; i++)
			entry_add_topic(e, cf->topics[i]);
		if (cf->category != NULL)
			e->category = xstrdup(cf->category);
	}
	normalize_images(e, it);

	if (it->slot[NORMALIZE_GUID] != NULL) {
		s = text_from_plain(it->slot[NORMALIZE_GUID],
		    it->slot_len[NORMALIZE_GUID], 0);
		if (*s != '\0')
			e->guid = s;
		else
			free(s);
	}
	if (nf->url != NULL)
		e->feed_url = xstrdup(nf->url);
	e->fetched = nf->fetched;
	e->quality = normalize_quality(e, cf != NULL ? cf->quality :
	    CONFIG_UNSET);
	e->content_hash = normalize_hash(e);
	return e;
}
