/*
 * test_opml.c: reading OPML files: nested folders, attribute spellings,
 * categories, and refusals of what is not OPML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "opml.h"
#include "test.h"

static void
test_nested(void)
{
	struct opml	*o;
	struct opml_feed *f;
	struct errbuf	 eb;

	ASSERT_INT_EQ(opml_read_file(test_data("opml/nested.opml"), &o, &eb), 0);
	ASSERT_STR_EQ(o->title, "My subscriptions");
	ASSERT_INT_EQ(o->nfeeds, 5);

	f = &o->feeds[0];
	ASSERT_STR_EQ(f->xml_url, "https://feeds.bbci.co.uk/news/rss.xml");
	ASSERT_STR_EQ(f->title, "BBC News");
	ASSERT_STR_EQ(f->html_url, "https://www.bbc.co.uk/news");
	ASSERT_STR_EQ(f->type, "rss");
	ASSERT_INT_EQ(f->nfolders, 1);
	ASSERT_STR_EQ(f->folders[0], "World");
	ASSERT_INT_EQ(f->ncategories, 0);
	ASSERT_INT_EQ(f->line, 8);	/* where its start tag ends */

	f = &o->feeds[1];
	ASSERT_STR_EQ(f->title, "The Guardian");	/* from text= */
	ASSERT_INT_EQ(f->nfolders, 2);
	ASSERT_STR_EQ(f->folders[0], "World");
	ASSERT_STR_EQ(f->folders[1], "Europe");
	ASSERT_INT_EQ(f->ncategories, 2);
	ASSERT_STR_EQ(f->categories[0], "Europe");
	ASSERT_STR_EQ(f->categories[1], "politics");
	ASSERT_NULL(f->html_url);

	f = &o->feeds[2];
	ASSERT_STR_EQ(f->xml_url,
	    "https://feeds.arstechnica.com/arstechnica/index");
	ASSERT_STR_EQ(f->folders[0], "Tech");

	ASSERT_STR_EQ(o->feeds[3].xml_url, "file:local/feed.xml");
	f = &o->feeds[4];
	ASSERT_STR_EQ(f->title, "Loose");
	ASSERT_INT_EQ(f->nfolders, 0);
	opml_free(o);
}

static void
test_flat_and_blank_urls(void)
{
	struct opml	*o;

	ASSERT_INT_EQ(opml_read_file(test_data("opml/flat.opml"), &o, NULL), 0);
	ASSERT_STR_EQ(o->title, "Flat");
	ASSERT_INT_EQ(o->nfeeds, 2);
	ASSERT_STR_EQ(o->feeds[0].title, "One");
	ASSERT_STR_EQ(o->feeds[1].xml_url, "http://two.example/atom");
	opml_free(o);
}

static void
test_refusals(void)
{
	struct opml	*o = (struct opml *)1;
	struct errbuf	 eb;
	const char	*doc;

	ASSERT_INT_EQ(opml_read_file("/nonexistent/x.opml", &o, &eb), -1);
	ASSERT_NULL(o);
	ASSERT_STR_EQ(eb.msg, "/nonexistent/x.opml: No such file or directory");

	ASSERT_INT_EQ(opml_read_file(test_data("opml/not_opml.xml"), &o, &eb),
	    -1);
	ASSERT(strstr(eb.msg, "not an OPML document") != NULL);

	ASSERT_INT_EQ(opml_read_file(test_data("opml/broken.opml"), &o, &eb),
	    -1);
	ASSERT(strstr(eb.msg, "broken.opml: line 4: not well-formed XML") !=
	    NULL);

	/* entity tricks never reach the walker: a DTD is refused */
	ASSERT_INT_EQ(opml_read_file(test_data("opml/dtd.opml"), &o, &eb), -1);
	ASSERT(strstr(eb.msg, "a DTD is not allowed in OPML") != NULL);

	ASSERT_INT_EQ(opml_read_file(test_data("opml"), &o, &eb), -1);
	ASSERT(strstr(eb.msg, "not a regular file") != NULL);

	doc = "<opml><head/></opml>";
	ASSERT_INT_EQ(opml_read_memory(doc, strlen(doc), "m", &o, &eb), -1);
	ASSERT_STR_EQ(eb.msg, "m: OPML without a <body>");
	ASSERT_INT_EQ(opml_read_memory("", 0, "m", &o, &eb), -1);
}

static void
test_depth_cap(void)
{
	struct opml	*o;
	struct errbuf	 eb;
	char		 doc[4096];
	size_t		 n = 0;
	int		 i;

	n += (size_t)snprintf(doc + n, sizeof doc - n, "<opml><body>");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(doc + n, sizeof doc - n,
		    "<outline text=\"f%d\">", i);
	n += (size_t)snprintf(doc + n, sizeof doc - n,
	    "<outline xmlUrl=\"https://a.example/\"/>");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(doc + n, sizeof doc - n, "</outline>");
	n += (size_t)snprintf(doc + n, sizeof doc - n, "</body></opml>");
	ASSERT_INT_EQ(opml_read_memory(doc, n, "deep", &o, &eb), -1);
	ASSERT_STR_EQ(eb.msg, "deep: outlines nested deeper than 32");
}

static const struct test_case cases[] = {
	TEST(test_nested),
	TEST(test_flat_and_blank_urls),
	TEST(test_refusals),
	TEST(test_depth_cap),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
