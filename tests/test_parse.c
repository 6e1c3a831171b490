/*
 * test_parse.c: the feed parser, on its own cases and on every fixture of
 * tests/data/feeds.
 *
 * Each fixture NAME.xml is parsed and dumped as lines "N field: value"
 * (entry N, 0 for the feed), which must equal NAME.expected. The dump does
 * not depend on the record writer's layout, so it does not churn when
 * that changes. NAME.opts may set "url: ", "charset: ", "name: ",
 * "category: ", "topic: " (repeatable), "type: ", "quality: " and
 * "excerpt_length: ". Every fixture is also parsed in 7-byte pushes, which
 * must give the same dump: streaming may not change a thing.
 *
 * With FEEDFOLD_FIXTURE_OUT=DIR set, the dumps are also written to
 * DIR/NAME.expected, for reading before they become expectations.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "dates.h"
#include "parse.h"
#include "parse_input.h"
#include "record.h"
#include "test.h"
#include "text.h"
#include "xmalloc.h"

#define FIXTURE_BASE	"http://example.org/feeds/"

struct collect {
	struct entry	**entries;
	size_t		  n;
};

static void
collect_cb(struct entry *e, void *arg)
{
	struct collect	*c = arg;

	c->entries = xreallocarray(c->entries, c->n + 1, sizeof *c->entries);
	c->entries[c->n++] = e;
}

static void
collect_free(struct collect *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		entry_free(c->entries[i]);
	free(c->entries);
	c->entries = NULL;
	c->n = 0;
}

/* Parse a string in pushes of chunk bytes (0: all at once). */
static int
parse_string(const struct parse_opts *opts, const char *s, size_t len,
    size_t chunk, struct collect *c, struct parse_feed_info *info)
{
	struct parser	*p;
	size_t		 off, n;
	int		 rc;

	p = parser_new(opts, collect_cb, c);
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		parser_feed(p, s + off, n);
	}
	rc = parser_finish(p, info, NULL);
	parser_free(p);
	return rc;
}

static void
dump_value(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\t')
			buf_adds(b, "\\t");
		else if (*s == '\\')
			buf_adds(b, "\\\\");
		else
			buf_addc(b, *s);
	}
}

static void
dump_field(struct buf *b, size_t n, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(b, "%zu %s: ", n, name);
	dump_value(b, value);
	buf_addc(b, '\n');
}

/* The fixture dump: feed info, then every field of every entry. */
static void
dump(struct buf *b, const struct parse_feed_info *info,
    const struct collect *c)
{
	const struct entry	*e;
	char			 date[DATES_BUFSIZE];
	size_t			 i, j;

	buf_printf(b, "0 format: %s\n", parse_format_name(info->format));
	dump_field(b, 0, "title", info->title);
	dump_field(b, 0, "link", info->link);
	dump_field(b, 0, "language", info->language);
	if (info->ttl >= 0)
		buf_printf(b, "0 ttl: %d\n", info->ttl);
	if (info->update_interval >= 0)
		buf_printf(b, "0 update: %lld\n",
		    (long long)info->update_interval);
	dump_field(b, 0, "encoding", info->encoding);
	buf_printf(b, "0 entries: %zu\n", info->nentries);
	for (i = 0; i < c->n; i++) {
		e = c->entries[i];
		dump_field(b, i + 1, "title", e->title);
		dump_field(b, i + 1, "excerpt", e->excerpt);
		if (e->published != ENTRY_NO_DATE)
			dump_field(b, i + 1, "published",
			    dates_format(e->published, date, sizeof date));
		dump_field(b, i + 1, "originalUrl", e->original_url);
		dump_field(b, i + 1, "webUrl", e->web_url);
		dump_field(b, i + 1, "type", e->type);
		buf_printf(b, "%zu quality: %d\n", i + 1, e->quality);
		dump_field(b, i + 1, "provider", e->provider_name);
		dump_field(b, i + 1, "domain", e->provider_domain);
		dump_field(b, i + 1, "category", e->category);
		for (j = 0; j < e->ntopics; j++)
			dump_field(b, i + 1, "topic", e->topics[j]);
		for (j = 0; j < e->nimages; j++) {
			buf_printf(b, "%zu image: ", i + 1);
			dump_value(b, e->images[j].url);
			if (e->images[j].width != ENTRY_NO_SIZE ||
			    e->images[j].height != ENTRY_NO_SIZE)
				buf_printf(b, " %dx%d", e->images[j].width,
				    e->images[j].height);
			buf_addc(b, '\n');
		}
		dump_field(b, i + 1, "guid", e->guid);
	}
}

/* ---- fixtures ----------------------------------------------------------- */

static char	**fixtures;
static size_t	  nfixtures;
static size_t	  next_fixture;

static int
fixture_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
fixtures_scan(void)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 len;

	if ((d = opendir(test_data("feeds"))) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".xml") != 0)
			continue;
		fixtures = xreallocarray(fixtures, nfixtures + 1,
		    sizeof *fixtures);
		fixtures[nfixtures++] = xstrndup(de->d_name, len - 4);
	}
	closedir(d);
	qsort(fixtures, nfixtures, sizeof *fixtures, fixture_cmp);
}

struct fixture_opts {
	char			*url;
	char			*charset;
	struct config_feed	 feed;
	int			 has_feed;
	size_t			 excerpt_length;
};

static void
fixture_opts_read(const char *name, struct fixture_opts *fo)
{
	char		 rel[512];
	char		*text, *line, *next, *v;

	memset(fo, 0, sizeof *fo);
	fo->feed.quality = CONFIG_UNSET;
	fo->feed.interval = CONFIG_UNSET;
	fo->feed.enrich = CONFIG_UNSET;
	fo->url = xasprintf(FIXTURE_BASE "%s.xml", name);
	snprintf(rel, sizeof rel, "feeds/%s.opts", name);
	if ((text = test_read_file(test_data(rel), NULL)) == NULL)
		return;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((v = strstr(line, ": ")) == NULL)
			continue;
		*v = '\0';
		v += 2;
		if (strcmp(line, "url") == 0) {
			free(fo->url);
			fo->url = xstrdup(v);
		} else if (strcmp(line, "charset") == 0)
			fo->charset = xstrdup(v);
		else if (strcmp(line, "excerpt_length") == 0)
			fo->excerpt_length = (size_t)atoi(v);
		else {
			fo->has_feed = 1;
			if (strcmp(line, "name") == 0)
				fo->feed.name = xstrdup(v);
			else if (strcmp(line, "category") == 0)
				fo->feed.category = xstrdup(v);
			else if (strcmp(line, "type") == 0)
				fo->feed.type = xstrdup(v);
			else if (strcmp(line, "quality") == 0)
				fo->feed.quality = atoi(v);
			else if (strcmp(line, "topic") == 0) {
				fo->feed.topics = xreallocarray(fo->feed.topics,
				    fo->feed.ntopics + 1,
				    sizeof *fo->feed.topics);
				fo->feed.topics[fo->feed.ntopics++] =
				    xstrdup(v);
			}
		}
	}
	free(text);
}

static void
fixture_opts_free(struct fixture_opts *fo)
{
	size_t	 i;

	free(fo->url);
	free(fo->charset);
	free(fo->feed.name);
	free(fo->feed.category);
	free(fo->feed.type);
	for (i = 0; i < fo->feed.ntopics; i++)
		free(fo->feed.topics[i]);
	free(fo->feed.topics);
}

/* The dump of a fixture parsed in pushes of chunk bytes. */
static char *
fixture_dump(const char *name, size_t chunk)
{
	struct fixture_opts	 fo;
	struct parse_opts	 opts;
	struct parse_feed_info	 info;
	struct collect		 c = { NULL, 0 };
	struct buf		 b;
	char			 rel[512];
	char			*xml;
	size_t			 len;

	snprintf(rel, sizeof rel, "feeds/%s.xml", name);
	if ((xml = test_read_file(test_data(rel), &len)) == NULL)
		return NULL;
	fixture_opts_read(name, &fo);
	memset(&opts, 0, sizeof opts);
	opts.url = fo.url;
	opts.charset = fo.charset;
	opts.feed = fo.has_feed ? &fo.feed : NULL;
	opts.excerpt_length = fo.excerpt_length;
	parse_string(&opts, xml, len, chunk, &c, &info);
	buf_init(&b, BUF_NOMAX);
	dump(&b, &info, &c);
	parse_feed_info_clear(&info);
	collect_free(&c);
	fixture_opts_free(&fo);
	free(xml);
	return buf_detach(&b);
}

/* Print the first differing line of two dumps. */
static void
fixture_diff(const char *name, const char *got, const char *want)
{
	size_t	 line = 1, gl, wl;

	for (;;) {
		gl = strcspn(got, "\n");
		wl = strcspn(want, "\n");
		if (gl != wl || memcmp(got, want, gl) != 0)
			break;
		if (got[gl] == '\0' || want[wl] == '\0')
			break;
		got += gl + 1;
		want += wl + 1;
		line++;
	}
	test_fail(__FILE__, __LINE__, "%s.expected line %zu\n"
	    "#   got:  %.*s\n#   want: %.*s", name, line, (int)gl, got,
	    (int)wl, want);
}

/* Nonzero when s is valid UTF-8 (what every record field must be). */
static int
valid_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80)
			n = 0;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		}
		p += n + 1;
	}
	return 1;
}

static void
test_fixture(void)
{
	const char	*name, *outdir;
	char		 rel[512];
	char		*got, *streamed, *want, *path;
	FILE		*f;

	name = fixtures[next_fixture++];
	got = fixture_dump(name, 0);
	ASSERT_NOT_NULL(got);
	if ((outdir = getenv("FEEDFOLD_FIXTURE_OUT")) != NULL) {
		path = xasprintf("%s/%s.expected", outdir, name);
		if ((f = fopen(path, "w")) != NULL) {
			fputs(got, f);
			fclose(f);
		}
		free(path);
	}
	if (!valid_utf8(got)) {
		free(got);
		test_fail(__FILE__, __LINE__, "%s: a field is not UTF-8", name);
	}
	streamed = fixture_dump(name, 7);
	snprintf(rel, sizeof rel, "feeds/%s.expected", name);
	want = test_read_file(test_data(rel), NULL);
	if (want == NULL) {
		free(got);
		free(streamed);
		test_fail(__FILE__, __LINE__, "%s has no .expected", name);
	}
	if (strcmp(got, want) != 0) {
		fixture_diff(name, got, want);
	}
	if (strcmp(streamed, got) != 0)
		fixture_diff(name, streamed, got);
	free(got);
	free(streamed);
	free(want);
}

/* ---- unit cases --------------------------------------------------------- */

static int
parse_simple(const char *xml, const char *charset, struct collect *c,
    struct parse_feed_info *info)
{
	struct parse_opts	 opts;

	memset(&opts, 0, sizeof opts);
	opts.url = "http://example.org/feed.xml";
	opts.charset = charset;
	return parse_string(&opts, xml, strlen(xml), 0, c, info);
}

static void
test_not_a_feed(void)
{
	struct parse_opts	 opts;
	struct parse_feed_info	 info;
	struct errbuf		 err;
	struct collect		 c = { NULL, 0 };
	static const char	 html[] = "<html><body><item><title>x</title>"
	    "</item></body></html>";

	memset(&opts, 0, sizeof opts);
	ASSERT_INT_EQ(parse_buffer(&opts, html, strlen(html), collect_cb, &c,
	    &info, &err), -1);
	ASSERT_STR_EQ(err.msg, "not an RSS or Atom feed (root element <html>)");
	ASSERT_INT_EQ(c.n, 0);
	parse_feed_info_clear(&info);
	ASSERT_INT_EQ(parse_buffer(&opts, "", 0, collect_cb, &c, &info, &err),
	    -1);
	ASSERT_STR_EQ(err.msg, "empty document");
	parse_feed_info_clear(&info);
}

static void
test_formats(void)
{
	static const struct {
		const char	*xml;
		const char	*format;
	} cases[] = {
		{ "<rss version=\"2.0\"><channel/></rss>", "rss20" },
		{ "<rss version=\"0.91\"><channel/></rss>", "rss091" },
		{ "<rss version=\"0.92\"><channel/></rss>", "rss092" },
		{ "<rss version=\"0.93\"><channel/></rss>", "rss093" },
		{ "<rss version=\"0.94\"><channel/></rss>", "rss094" },
		{ "<rss><channel/></rss>", "rss" },
		{ "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax"
		    "-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel/>"
		    "</rdf:RDF>", "rss10" },
		{ "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax"
		    "-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">"
		    "<channel/></rdf:RDF>", "rss090" },
		{ "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>", "atom10" },
		{ "<feed xmlns=\"http://purl.org/atom/ns#\"/>", "atom03" },
		{ "<feed/>", "atom10" },
	};
	struct parse_feed_info	 info;
	struct collect		 c = { NULL, 0 };
	size_t			 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ASSERT_INT_EQ(parse_simple(cases[i].xml, NULL, &c, &info), 0);
		ASSERT_STR_EQ(parse_format_name(info.format), cases[i].format);
		parse_feed_info_clear(&info);
	}
}

/* One byte at a time gives what one push gives. */
static void
test_push_bytewise(void)
{
	static const char	 xml[] =
	    "\xef\xbb\xbf<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
	    "<title>T &amp; &eacute;</title><item><title>Caf\xc3\xa9 "
	    "&rsquo;&#8217;&#x2019; &bogus; a&b</title>"
	    "<description><![CDATA[<p>x & y ]] ]]></description>"
	    "</item></channel></rss>";
	struct parse_opts	 opts;
	struct parse_feed_info	 info;
	struct collect		 c = { NULL, 0 };

	memset(&opts, 0, sizeof opts);
	ASSERT_INT_EQ(parse_string(&opts, xml, sizeof xml - 1, 1, &c, &info),
	    0);
	ASSERT_INT_EQ(c.n, 1);
	ASSERT_STR_EQ(info.title, "T & \xc3\xa9");
	ASSERT_STR_EQ(c.entries[0]->title,
	    "Caf\xc3\xa9 \xe2\x80\x99\xe2\x80\x99\xe2\x80\x99 &bogus; a&b");
	ASSERT_STR_EQ(c.entries[0]->excerpt, "x & y ]]");
	parse_feed_info_clear(&info);
	collect_free(&c);
}

/*
 * The filter writes "&gt;" as ">" unless a "]" comes before it: a choice
 * made on the byte before, which may be in the previous push. So every
 * push size gives what one push gives, even where the ">" changes the
 * markup (inside a start tag: the document is broken either way). A
 * comment first takes the references past the probe, which is pushed in
 * one piece.
 */
static char *
escaped_gt_doc(const char *body)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "<rss version=\"2.0\"><channel><!--");
	for (i = 0; i < PARSE_INPUT_PROBE; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "-->");
	buf_adds(&b, body);
	buf_adds(&b, "</channel></rss>");
	return buf_detach(&b);
}

static void
test_push_escaped_gt(void)
{
	struct parse_opts	 opts;
	struct parse_feed_info	 info, want_info;
	struct collect		 want = { NULL, 0 }, c = { NULL, 0 };
	char			*good, *bad;
	size_t			 chunk, i;

	good = escaped_gt_doc("<item><title>x]]&gt;]&gt;&gt;y</title></item>");
	bad = escaped_gt_doc("<title>]]&gt;]&gt;&gt;</title>"
	    "<item><title a=\"1\" &gt; b=\"&gt;\">x]&gt;]]&gt;&gt;y</title>"
	    "<link>http://gt.example.org/?a&gt;b</link></item>"
	    "<item><title>&gt;]&gt;]]&gt;</title></item>");
	memset(&opts, 0, sizeof opts);
	parse_string(&opts, bad, strlen(bad), 0, &want, &want_info);
	ASSERT_INT_EQ(want.n, 2);
	ASSERT_STR_EQ(want_info.title, "]]>]>>");
	ASSERT_STR_EQ(want.entries[1]->title, ">]>]]>");
	for (chunk = 1; chunk <= 16; chunk++) {
		/* A "]]>" in text would be an XML error. */
		parse_string(&opts, good, strlen(good), chunk, &c, &info);
		ASSERT_INT_EQ(info.wellformed, 1);
		ASSERT_INT_EQ(c.n, 1);
		ASSERT_STR_EQ(c.entries[0]->title, "x]]>]>>y");
		parse_feed_info_clear(&info);
		collect_free(&c);

		parse_string(&opts, bad, strlen(bad), chunk, &c, &info);
		ASSERT_STR_EQ(info.title, want_info.title);
		ASSERT_INT_EQ(c.n, want.n);
		for (i = 0; i < c.n; i++) {
			ASSERT_STR_EQ(c.entries[i]->title,
			    want.entries[i]->title);
			ASSERT_STR_EQ(c.entries[i]->original_url != NULL ?
			    c.entries[i]->original_url : "",
			    want.entries[i]->original_url != NULL ?
			    want.entries[i]->original_url : "");
		}
		parse_feed_info_clear(&info);
		collect_free(&c);
	}
	parse_feed_info_clear(&want_info);
	collect_free(&want);
	free(good);
	free(bad);
}

/*
 * RFC 7303: a BOM beats the HTTP charset, which beats the declaration.
 * "\xe9" is é in ISO-8859-1 and windows-1252, and not UTF-8.
 */
static void
test_encoding_precedence(void)
{
	struct parse_feed_info	 info;
	struct collect		 c = { NULL, 0 };
	static const char	 latin1[] =
	    "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
	    "<rss><channel><item><title>caf\xe9</title></item></channel></rss>";
	static const char	 koi8[] =
	    "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
	    "<rss><channel><item><title>\xf0\xd2\xc9\xd7\xc5\xd4</title>"
	    "</item></channel></rss>";
	static const char	 bom[] =
	    "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"koi8-r\"?>"
	    "<rss><channel><item><title>caf\xc3\xa9</title></item></channel>"
	    "</rss>";

	/* The declaration alone. */
	ASSERT_INT_EQ(parse_simple(latin1, NULL, &c, &info), 0);
	ASSERT_STR_EQ(c.entries[0]->title, "caf\xc3\xa9");
	ASSERT_STR_EQ(info.encoding, "CP1252");
	parse_feed_info_clear(&info);
	collect_free(&c);
	/* The HTTP charset over the declaration. */
	ASSERT_INT_EQ(parse_simple(koi8, "KOI8-R", &c, &info), 0);
	ASSERT_STR_EQ(c.entries[0]->title,
	    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82");
	parse_feed_info_clear(&info);
	collect_free(&c);
	/* The BOM over both. */
	ASSERT_INT_EQ(parse_simple(bom, "windows-1251", &c, &info), 0);
	ASSERT_STR_EQ(c.entries[0]->title, "caf\xc3\xa9");
	ASSERT_NULL(info.encoding);
	parse_feed_info_clear(&info);
	collect_free(&c);
	/* An unknown label falls through to the next source. */
	ASSERT_INT_EQ(parse_simple(latin1, "x-no-such-charset", &c, &info), 0);
	ASSERT_STR_EQ(c.entries[0]->title, "caf\xc3\xa9");
	parse_feed_info_clear(&info);
	collect_free(&c);
}

static void
test_input_encoding_choice(void)
{
	size_t	 skip;

	ASSERT_NULL(parse_input_encoding("<?xml version='1.0'?>", 21, NULL,
	    NULL, &skip));
	ASSERT_STR_EQ(parse_input_encoding("\xff\xfe<\0", 4, "koi8-r", NULL,
	    &skip), "UTF-16LE");
	ASSERT_INT_EQ(skip, 2);
	ASSERT_STR_EQ(parse_input_encoding("\0<\0?", 4, NULL, NULL, &skip),
	    "UTF-16BE");
	ASSERT_INT_EQ(skip, 0);
}

/* A small xorshift generator: the same documents on every run. */
static uint32_t
filter_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * A document of the pieces the filter stops at or must let through,
 * past ASCII valid and not, at every offset from a 64-byte block's edge.
 */
static size_t
filter_doc(uint32_t *x, unsigned char *d, size_t max)
{
	static const char *const pieces[] = {
		"&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;", "&eacute;",
		"&#8217;", "&#x1F600;", "&", "&#", "&bogus;", "<![CDATA[",
		"]]>", "]]", "<!--", "<a href=\"x\">", "</p>", "\n\t ",
		"\r\n", "\x01", "\x0b", "\x7f", "caf\xc3\xa9",
		"\xe2\x80\x99", "\xf0\x9f\x98\x80", "\xd0\x9f\xd1\x80",
		"\xe4\xb8\xad\xe6\x96\x87", "\xc3", "\xe2\x80", "\xf0\x9f\x98",
		"\x80", "\xbf\xbf", "\xc0\xaf", "\xe0\x80\xaf",
		"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xff", "\xe9t\xe9", "abcdefghijklmnopqrstuvwxyz0123456789",
		"\xc1\xbf", "\xf0\x80\x80\x80", "\xf4\x8f\xbf\xbf",
		"\xef\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80",
		"\xf8\x88\x80\x80\x80",
	};
	size_t	 n = 0, len, k;
	uint32_t r;

	len = filter_rand(x) % max;
	while (n < len) {
		r = filter_rand(x);
		if (r % 3 == 0) {
			/* Plain text, to move the pieces across blocks. */
			for (k = r / 3 % 40; k > 0 && n < len; k--)
				d[n++] = (unsigned char)('a' + k % 26);
		} else if (r % 7 == 1) {
			/* Any byte at all. */
			d[n++] = (unsigned char)(r >> 8);
		} else if (r % 7 == 2) {
			/*
			 * A lead byte and up to three continuations: valid,
			 * overlong, too large, a surrogate, cut short.
			 */
			d[n++] = (unsigned char)(0xc0 + (r >> 8) % 64);
			for (k = (r >> 16) % 4; k > 0 && n < len; k--)
				d[n++] = (unsigned char)(0x80 +
				    filter_rand(x) % 64);
		} else {
			const char *pc = pieces[(r >> 4) %
			    (sizeof pieces / sizeof pieces[0])];

			for (k = 0; pc[k] != '\0' && n < len; k++)
				d[n++] = (unsigned char)pc[k];
		}
	}
	return n;
}

/* The filter's output for d pushed in pieces of chunk bytes (0: whole). */
static void
filter_run(const char *encoding, const unsigned char *d, size_t len,
    size_t chunk, struct buf *out)
{
	struct parse_input	*in;
	const char		*o;
	size_t			 off, n, ol;

	buf_reset(out);
	in = parse_input_new(encoding);
	for (off = 0; off < len; off += n) {
		n = chunk == 0 || len - off < chunk ? len - off : chunk;
		o = parse_input_filter(in, (const char *)d + off, n, 0, &ol);
		buf_add(out, o, ol);
	}
	o = parse_input_filter(in, "", 0, 1, &ol);
	buf_add(out, o, ol);
	parse_input_free(in);
}

/*
 * The AVX2 scan (with its UTF-8 check in vectors) must filter exactly as
 * the SSE2 and byte scan do, for every encoding mode and every way of
 * pushing; and what a UTF-8 document becomes is valid UTF-8.
 */
static void
test_input_filter_avx2_same(void)
{
	static const char *const encodings[] = { NULL, "CP1252", "KOI8-R" };
	static unsigned char	 d[6000];
	struct buf		 narrow, wide;
	uint32_t		 x = 2463534242u;
	size_t			 len, chunk, e;
	int			 i, have;

	buf_init(&narrow, BUF_NOMAX);
	buf_init(&wide, BUF_NOMAX);
	have = parse_input_avx2(1);
	if (!have)
		fprintf(stderr, "no AVX2 here: both runs take the same scan\n");
	for (i = 0; i < 3000; i++) {
		len = filter_doc(&x, d, sizeof d);
		chunk = i % 4 == 0 ? 0 : 1 + filter_rand(&x) % 700;
		e = (size_t)i % 3;
		parse_input_avx2(0);
		filter_run(encodings[e], d, len, chunk, &narrow);
		parse_input_avx2(1);
		filter_run(encodings[e], d, len, chunk, &wide);
		ASSERT_MEM_EQ(buf_str(&narrow), narrow.len,
		    buf_str(&wide), wide.len);
		if (encodings[e] == NULL)
			ASSERT(text_utf8_valid(buf_str(&wide), wide.len));
	}
	buf_free(&narrow);
	buf_free(&wide);
}

/*
 * Every byte past ASCII as a lead, before second bytes at the edges of
 * the classes the UTF-8 check tells apart and third and fourth bytes
 * valid or not, each alone in 128 bytes of ASCII so that the AVX2 check
 * decides it on its own (a block with two cases would fall back to the
 * byte scan for both): the two scans must filter each the same.
 */
static void
test_input_filter_avx2_sequences(void)
{
	static const unsigned char second[] = { 0x41, 0x80, 0x8f, 0x90, 0x9f,
	    0xa0, 0xaf, 0xb0, 0xbf, 0xc2, 0xe1, 0xf1 };
	static const unsigned char later[] = { 0x41, 0x80, 0xbf, 0xc2 };
	unsigned char		*d;
	struct buf		 narrow, wide;
	size_t			 n, j, k, l, len;
	unsigned int		 lead;

	buf_init(&narrow, BUF_NOMAX);
	buf_init(&wide, BUF_NOMAX);
	len = sizeof second * sizeof later * sizeof later * 128;
	d = xmalloc(len);
	for (lead = 0x80; lead <= 0xff; lead++) {
		memset(d, 'a', len);
		n = 0;
		for (j = 0; j < sizeof second; j++)
			for (k = 0; k < sizeof later; k++)
				for (l = 0; l < sizeof later; l++) {
					d[n + 60] = (unsigned char)lead;
					d[n + 61] = second[j];
					d[n + 62] = later[k];
					d[n + 63] = later[l];
					n += 128;
				}
		parse_input_avx2(0);
		filter_run(NULL, d, len, 0, &narrow);
		parse_input_avx2(1);
		filter_run(NULL, d, len, 0, &wide);
		ASSERT_MEM_EQ(buf_str(&narrow), narrow.len,
		    buf_str(&wide), wide.len);
	}
	free(d);
	buf_free(&narrow);
	buf_free(&wide);
}

static void
test_billion_laughs(void)
{
	struct buf		 b;
	struct collect		 c = { NULL, 0 };
	struct parse_feed_info	 info;
	int			 i;

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol0 "
	    "\"lol\">");
	for (i = 1; i < 10; i++)
		buf_printf(&b, "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;&lol%d;"
		    "&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;\">", i, i - 1,
		    i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
		    i - 1);
	buf_adds(&b, "]><rss><channel><item><title>a&lol9;b</title></item>"
	    "</channel></rss>");
	ASSERT_INT_EQ(parse_simple(buf_str(&b), NULL, &c, &info), 0);
	ASSERT_INT_EQ(c.n, 1);
	/* Declared entities are never expanded: the reference stays text. */
	ASSERT_STR_EQ(c.entries[0]->title, "a&lol9;b");
	parse_feed_info_clear(&info);
	collect_free(&c);
	buf_free(&b);
}

static void
test_external_entity_not_read(void)
{
	struct collect		 c = { NULL, 0 };
	struct parse_feed_info	 info;
	static const char	 xml[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]><rss><channel><item><title>&x;</title>"
	    "<description>&x;</description></item></channel></rss>";

	ASSERT_INT_EQ(parse_simple(xml, NULL, &c, &info), 0);
	ASSERT_INT_EQ(c.n, 1);
	ASSERT_STR_EQ(c.entries[0]->title, "&x;");
	ASSERT_NULL(strstr(c.entries[0]->excerpt, "root:"));
	parse_feed_info_clear(&info);
	collect_free(&c);
}

/* A field past PARSE_FIELD_MAX is cut there, not allocated whole. */
static void
test_huge_field_capped(void)
{
	struct buf		 b;
	struct collect		 c = { NULL, 0 };
	struct parse_feed_info	 info;
	struct parse_opts	 opts;
	size_t			 i;

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "<rss><channel><item><title>");
	for (i = 0; i < 3 * PARSE_FIELD_MAX / 8; i++)
		buf_adds(&b, "abcdefg ");
	buf_adds(&b, "</title><link>http://example.org/x</link></item>"
	    "</channel></rss>");
	memset(&opts, 0, sizeof opts);
	ASSERT_INT_EQ(parse_string(&opts, b.data, b.len, 65536, &c, &info),
	    0);
	ASSERT_INT_EQ(c.n, 1);
	ASSERT(strlen(c.entries[0]->title) <= PARSE_FIELD_MAX);
	ASSERT_STR_EQ(c.entries[0]->original_url, "http://example.org/x");
	parse_feed_info_clear(&info);
	collect_free(&c);
	buf_free(&b);
}

static void
test_truncated_keeps_complete(void)
{
	struct collect		 c = { NULL, 0 };
	struct parse_feed_info	 info;
	static const char	 xml[] =
	    "<rss version=\"2.0\"><channel><title>T</title>"
	    "<item><title>one</title></item><item><title>two</title></item>"
	    "<item><title>thr";

	ASSERT_INT_EQ(parse_simple(xml, NULL, &c, &info), 0);
	ASSERT_INT_EQ(c.n, 2);
	ASSERT_STR_EQ(c.entries[1]->title, "two");
	ASSERT_INT_EQ(info.nentries, 2);
	ASSERT_INT_EQ(info.wellformed, 0);
	parse_feed_info_clear(&info);
	collect_free(&c);
}

static void
test_feed_info_scheduling(void)
{
	struct collect		 c = { NULL, 0 };
	struct parse_feed_info	 info;
	static const char	 xml[] =
	    "<rss version=\"2.0\" xmlns:sy=\"http://purl.org/rss/1.0/modules/"
	    "syndication/\"><channel><title>T</title><language>en-us</language>"
	    "<ttl> 45 </ttl><sy:updatePeriod>hourly</sy:updatePeriod>"
	    "<sy:updateFrequency>4</sy:updateFrequency></channel></rss>";

	ASSERT_INT_EQ(parse_simple(xml, NULL, &c, &info), 0);
	ASSERT_STR_EQ(info.language, "en-us");
	ASSERT_INT_EQ(info.ttl, 45);
	ASSERT_STR_EQ(info.update_period, "hourly");
	ASSERT_INT_EQ(info.update_frequency, 4);
	ASSERT_INT_EQ(info.update_interval, 900);
	ASSERT_INT_EQ(info.wellformed, 1);
	parse_feed_info_clear(&info);
}

/* libxml2's complaints go to the log, not to stderr. */
static void
test_errors_not_on_stderr(void)
{
	struct collect		 c = { NULL, 0 };
	struct parse_feed_info	 info;
	char			*dir, *path, *text;
	int			 fd, old;

	dir = test_tmpdir();
	path = xasprintf("%s/stderr", dir);
	fflush(stderr);
	old = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT(fd >= 0);
	dup2(fd, 2);
	close(fd);
	parse_simple("<rss><channel><item><title>a</x></item><<<>\x01 &",
	    "no-such-charset", &c, &info);
	parse_simple("<?xml version=\"1.0\" encoding=\"shift_jis\"?><rss>"
	    "<channel><item><title>\x82\xa0\xff\xff</title></item></channel>"
	    "</rss>", NULL, &c, &info);
	fflush(stderr);
	dup2(old, 2);
	close(old);
	parse_feed_info_clear(&info);
	collect_free(&c);
	text = test_read_file(path, NULL);
	ASSERT_NOT_NULL(text);
	ASSERT_STR_EQ(text, "");
	free(text);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void
free_cb(struct entry *e, void *arg)
{
	(void)arg;
	entry_free(e);
}

/* A 50 MB feed parses in bounded memory: nothing keeps the document. */
static void
test_large_feed_streams(void)
{
	struct parser		*p;
	struct parse_opts	 opts;
	struct parse_feed_info	 info;
	struct rusage		 before, after;
	struct buf		 item;
	size_t			 total = 0, i;

	buf_init(&item, BUF_NOMAX);
	buf_adds(&item, "<item><title>A title of some length</title>"
	    "<link>http://example.org/a</link><description>");
	for (i = 0; i < 40; i++)
		buf_adds(&item, "&lt;p&gt;Some text of an article body. ");
	buf_adds(&item, "</description></item>\n");
	memset(&opts, 0, sizeof opts);
	getrusage(RUSAGE_SELF, &before);
	p = parser_new(&opts, free_cb, NULL);
	parser_feed(p, "<rss version=\"2.0\"><channel><title>big</title>", 46);
	while (total < 50 * 1024 * 1024) {
		parser_feed(p, item.data, item.len);
		total += item.len;
	}
	parser_feed(p, "</channel></rss>", 16);
	ASSERT_INT_EQ(parser_finish(p, &info, NULL), 0);
	getrusage(RUSAGE_SELF, &after);
	ASSERT_INT_EQ(info.nentries, total / item.len);
	/*
	 * ru_maxrss is in KiB; the growth must stay far below the 50 MB.
	 * ASan's quarantine keeps freed memory, so only a plain build can
	 * tell.
	 */
#ifndef __SANITIZE_ADDRESS__
	ASSERT(after.ru_maxrss - before.ru_maxrss < 32 * 1024);
#endif
	parse_feed_info_clear(&info);
	parser_free(p);
	buf_free(&item);
}

static const struct test_case unit_cases[] = {
	TEST(test_not_a_feed),
	TEST(test_formats),
	TEST(test_push_bytewise),
	TEST(test_push_escaped_gt),
	TEST(test_encoding_precedence),
	TEST(test_input_encoding_choice),
	TEST(test_input_filter_avx2_same),
	TEST(test_input_filter_avx2_sequences),
	TEST(test_billion_laughs),
	TEST(test_external_entity_not_read),
	TEST(test_huge_field_capped),
	TEST(test_truncated_keeps_complete),
	TEST(test_feed_info_scheduling),
	TEST(test_errors_not_on_stderr),
	TEST(test_large_feed_streams),
};

int
main(void)
{
	struct test_case	*cases;
	size_t			 nunit, i;
	int			 rc;

	fixtures_scan();
	nunit = sizeof unit_cases / sizeof unit_cases[0];
	cases = xcalloc(nunit + nfixtures, sizeof *cases);
	memcpy(cases, unit_cases, sizeof unit_cases);
	for (i = 0; i < nfixtures; i++) {
		cases[nunit + i].name = fixtures[i];
		cases[nunit + i].fn = test_fixture;
	}
	rc = test_main(cases, nunit + nfixtures);
	for (i = 0; i < nfixtures; i++)
		free(fixtures[i]);
	free(fixtures);
	free(cases);
	return rc;
}
