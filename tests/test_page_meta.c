/*
 * test_page_meta.c: article page heads.
 *
 * Each tests/data/pages/NAME.html has a NAME.expected: its first line
 * "page: URL" is the URL the page was fetched from, the rest is what
 * page_meta must find, one "key: value" line per known field, so that a
 * failure shows as a line diff. The pages cover attribute order and case,
 * entities, relative URLs and <base>, several og:image tags, name= and
 * property= keys, bad values, a tracking pixel before the og: tags, a
 * windows-1252 page, and what the fuzzer found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dates.h"
#include "page_meta.h"
#include "test.h"
#include "xmalloc.h"

/* The fields of m as the .expected files write them. */
static char *
format_meta(const char *page_url, const struct page_meta *m)
{
	struct buf	 b;
	char		 date[DATES_BUFSIZE];

	buf_init(&b, BUF_NOMAX);
	buf_printf(&b, "page: %s\n", page_url);
	if (m->amp_url != NULL)
		buf_printf(&b, "amp_url: %s\n", m->amp_url);
	if (m->canonical_url != NULL)
		buf_printf(&b, "canonical_url: %s\n", m->canonical_url);
	if (m->image_url != NULL)
		buf_printf(&b, "image_url: %s\n", m->image_url);
	if (m->image_width != 0)
		buf_printf(&b, "image_width: %d\n", m->image_width);
	if (m->image_height != 0)
		buf_printf(&b, "image_height: %d\n", m->image_height);
	if (m->site_name != NULL)
		buf_printf(&b, "site_name: %s\n", m->site_name);
	if (m->description != NULL)
		buf_printf(&b, "description: %s\n", m->description);
	if (m->published != INT64_MIN)
		buf_printf(&b, "published: %s\n",
		    dates_format(m->published, date, sizeof date));
	return buf_detach(&b);
}

/* Parse in pieces of step bytes, as a download delivers a page. */
static struct page_meta *
parse_in_pieces(const char *url, const char *html, size_t len, size_t step)
{
	struct page_meta_parser *p;
	size_t		 off;

	p = page_meta_parser_new(url, NULL, 0);
	for (off = 0; off < len; off += step) {
		if (page_meta_parser_feed(p, html + off,
		    len - off < step ? len - off : step))
			break;
	}
	return page_meta_parser_finish(p);
}

/*
 * Whole, and in pieces of 1 to 64 bytes: where the network splits a page
 * must not change what is found.
 */
static void
check_page(const char *name)
{
	char		*rel, *html, *want, *got, *url, *nl;
	size_t		 len, step;
	struct page_meta *m;

	rel = xasprintf("pages/%s.html", name);
	html = test_read_file(test_data(rel), &len);
	free(rel);
	rel = xasprintf("pages/%s.expected", name);
	want = test_read_file(test_data(rel), NULL);
	free(rel);
	if (html == NULL || want == NULL)
		test_fail(__FILE__, __LINE__, "cannot read %s", name);
	ASSERT(strncmp(want, "page: ", 6) == 0);
	nl = strchr(want, '\n');
	ASSERT_NOT_NULL(nl);
	url = xstrndup(want + 6, (size_t)(nl - want - 6));

	m = page_meta_parse(url, NULL, html, len);
	got = format_meta(url, m);
	ASSERT_STR_EQ(got, want);
	page_meta_free(m);
	free(got);
	for (step = 1; step <= 64; step++) {
		m = parse_in_pieces(url, html, len, step);
		got = format_meta(url, m);
		if (strcmp(got, want) != 0)
			test_fail(__FILE__, __LINE__, "%s in pieces of %zu:\n"
			    "%s", name, step, got);
		page_meta_free(m);
		free(got);
	}
	free(url);
	free(want);
	free(html);
}

static void test_basic(void) { check_page("basic"); }
static void test_order_case_entities(void) { check_page("order-case"); }
static void test_relative_and_base(void) { check_page("relative"); }
static void test_several_images(void) { check_page("several-images"); }
static void test_name_attrs_bad_values(void) { check_page("name-attrs"); }
static void test_pixel_before_og(void) { check_page("pixel"); }
static void test_windows_1252(void) { check_page("windows-1252"); }
/* Found by fuzz_page_meta: libxml2 switched to UTF-7 mid-stream. */
static void test_meta_utf7_split(void) { check_page("meta-utf7-split"); }
/* Found by fuzz_page_meta: "</head" inside an unclosed attribute value. */
static void
test_head_in_value_split(void)
{
	check_page("head-in-value-split");
}

/*
 * Fed in pieces as a download would be: the parser says "enough" at the
 * end of the head, long before the megabyte of body, and never took a
 * byte of the body. Pieces of every size from 1 to 64 put the "</head>"
 * across every possible boundary.
 */
static void
test_stops_at_head_end(void)
{
	static const char head[] = "<html><head>"
	    "<meta property=\"og:site_name\" "
	    "content=\"Fr\xc3\xbch \xe2\x82\xac\">"
	    "<link rel=\"amphtml\" href=\"https://e.example/amp\"></HEAD >";
	struct page_meta_parser *p;
	struct page_meta *m;
	size_t		 step, off, hlen = sizeof head - 1, len;
	char		*page;
	int		 done;

	len = hlen + 1024 * 1024;
	page = xmalloc(len);
	memcpy(page, head, hlen);
	for (off = hlen; off < len; off += 64)
		memcpy(page + off, "<p>body body body body body body body body"
		    " body body body body body body body</p>\n",
		    len - off < 64 ? len - off : 64);
	for (step = 1; step <= 64; step++) {
		p = page_meta_parser_new("https://e.example/story", NULL, 0);
		done = 0;
		for (off = 0; off < len && !done; off += step)
			done = page_meta_parser_feed(p, page + off,
			    len - off < step ? len - off : step);
		ASSERT(done);
		ASSERT(off <= hlen + step);
		/* Up to the "</HEAD", however the page was split. */
		ASSERT_INT_EQ(page_meta_parser_fed(p),
		    hlen - strlen("</HEAD >"));
		/* Later calls take nothing. */
		ASSERT_INT_EQ(page_meta_parser_feed(p, "<meta>", 6), 1);
		m = page_meta_parser_finish(p);
		/* Split sequences were joined again, at every split. */
		ASSERT_STR_EQ(m->site_name, "Fr\xc3\xbch \xe2\x82\xac");
		ASSERT_STR_EQ(m->amp_url, "https://e.example/amp");
		page_meta_free(m);
	}
	free(page);
}

/* "<body" ends the head too, in any case; "<bodyguard>" does not. */
static void
test_stops_at_body(void)
{
	static const char page[] = "<html><bodyguard></bodyguard>"
	    "<meta property=\"og:site_name\" content=\"Still head\">"
	    "<BODY class=x><meta property=\"og:description\" content=\"no\">";
	struct page_meta_parser *p;
	struct page_meta *m;

	p = page_meta_parser_new(NULL, NULL, 0);
	ASSERT_INT_EQ(page_meta_parser_feed(p, page, sizeof page - 1), 1);
	ASSERT_INT_EQ(page_meta_parser_fed(p),
	    strstr(page, "<BODY") - page);
	m = page_meta_parser_finish(p);
	ASSERT_STR_EQ(m->site_name, "Still head");
	ASSERT_NULL(m->description);
	page_meta_free(m);
}

/* A head that never ends: the cap ends it, and nothing past it is read. */
static void
test_byte_cap(void)
{
	struct page_meta_parser *p;
	struct page_meta *m;
	struct buf	 b;
	const size_t	 cap = 4096;

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "<html><head><meta property=og:site_name content=Capped>");
	while (b.len < cap + 100)
		buf_adds(&b, "<meta name=x content=y>");
	buf_adds(&b, "<meta property=og:description content=late>");
	p = page_meta_parser_new(NULL, NULL, cap);
	ASSERT_INT_EQ(page_meta_parser_feed(p, b.data, b.len), 1);
	ASSERT_INT_EQ(page_meta_parser_fed(p), cap);
	m = page_meta_parser_finish(p);
	ASSERT_STR_EQ(m->site_name, "Capped");
	ASSERT_NULL(m->description);
	page_meta_free(m);
	buf_free(&b);
}

/* The Content-Type charset decides over the default. */
static void
test_header_charset(void)
{
	/* "Правда" in KOI8-R. */
	static const char page[] = "<head><meta property=og:site_name "
	    "content=\"\xf0\xd2\xc1\xd7\xc4\xc1\"></head>";
	struct page_meta *m;

	m = page_meta_parse(NULL, "koi8-r", page, sizeof page - 1);
	ASSERT_STR_EQ(m->site_name, "\xd0\x9f\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb4"
	    "\xd0\xb0");
	page_meta_free(m);
	/* An unknown charset name is ignored, not fatal. */
	m = page_meta_parse(NULL, "x-no-such-charset", page, sizeof page - 1);
	ASSERT_NOT_NULL(m->site_name);
	page_meta_free(m);
}

/*
 * A <meta charset> counts in the first kilobyte only, and never as UTF-7
 * (a page cannot switch to an encoding that hides its markup).
 */
static void
test_meta_charset_rules(void)
{
	static const char utf7[] = "<meta charset=\"utf-7\">"
	    "<meta property=og:site_name content=\"A+ZeVnLIqe-\">";
	static const char bom[] = "\xef\xbb\xbf<meta property=og:site_name "
	    "content=\"\xc3\xa9\">";
	struct buf	 b;
	struct page_meta *m;

	m = page_meta_parse(NULL, NULL, utf7, sizeof utf7 - 1);
	ASSERT_STR_EQ(m->site_name, "A+ZeVnLIqe-");
	page_meta_free(m);

	/* Past the first kilobyte: "\xe9" stays a repaired UTF-8 byte. */
	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "<html><head><title>");
	while (b.len < 1100)
		buf_adds(&b, "padding ");
	buf_adds(&b, "</title><meta charset=koi8-r>"
	    "<meta property=og:site_name content=\"Caf\xe9\">");
	m = page_meta_parse(NULL, NULL, b.data, b.len);
	ASSERT_STR_EQ(m->site_name, "Caf\xc3\xa9");
	page_meta_free(m);
	buf_free(&b);

	/* A BOM wins over the header. */
	m = page_meta_parse(NULL, "koi8-r", bom, sizeof bom - 1);
	ASSERT_STR_EQ(m->site_name, "\xc3\xa9");
	page_meta_free(m);
}

/* Nothing to find: every field unknown, no crash. */
static void
test_empty_and_garbage(void)
{
	static const char *inputs[] = {
		"", "plain text, no tags", "<", "<meta", "<link rel=amphtml>",
		"\xff\xfe\x00<\x00h\x00", "<html><head><meta content></head>",
		"<!-- <meta property=og:site_name content=x> -->",
	};
	struct page_meta *m;
	size_t		 i;

	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		m = page_meta_parse("https://example.com/", NULL, inputs[i],
		    strlen(inputs[i]));
		ASSERT_NULL(m->amp_url);
		ASSERT_NULL(m->canonical_url);
		ASSERT_NULL(m->image_url);
		ASSERT_NULL(m->site_name);
		ASSERT_NULL(m->description);
		ASSERT_INT_EQ(m->image_width, 0);
		ASSERT(m->published == INT64_MIN);
		page_meta_free(m);
	}
	page_meta_free(NULL);
}

/* Without a page URL only absolute URLs survive. */
static void
test_no_page_url(void)
{
	static const char page[] = "<link rel=amphtml href=/amp>"
	    "<link rel=canonical href=https://example.com/c>";
	struct page_meta *m;

	m = page_meta_parse(NULL, NULL, page, sizeof page - 1);
	ASSERT_NULL(m->amp_url);
	ASSERT_STR_EQ(m->canonical_url, "https://example.com/c");
	page_meta_free(m);
}

/*
 * Found by fuzz_page_meta: comments and NULs across pieces made libxml2's
 * push parser see an og:image the whole page does not have.
 */
static void
test_comment_split(void)
{
	check_page("comment-split");
}

static const struct test_case cases[] = {
	TEST(test_basic),
	TEST(test_order_case_entities),
	TEST(test_relative_and_base),
	TEST(test_several_images),
	TEST(test_name_attrs_bad_values),
	TEST(test_pixel_before_og),
	TEST(test_windows_1252),
	TEST(test_meta_utf7_split),
	TEST(test_head_in_value_split),
	TEST(test_comment_split),
	TEST(test_stops_at_head_end),
	TEST(test_stops_at_body),
	TEST(test_byte_cap),
	TEST(test_header_charset),
	TEST(test_meta_charset_rules),
	TEST(test_empty_and_garbage),
	TEST(test_no_page_url),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
