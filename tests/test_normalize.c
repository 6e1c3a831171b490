/*
 * test_normalize.c: the normalizer's precedence rules and every term of
 * the quality score, on items built by hand (no XML).
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "config.h"
#include "normalize.h"
#include "record.h"
#include "test.h"
#include "xmalloc.h"

static void
set(struct normalize_item *it, enum normalize_slot slot, const char *v,
    enum normalize_text text)
{
	normalize_item_set(it, slot, xstrdup(v), strlen(v), text);
}

static struct entry *
run(const struct normalize_item *it, const struct config_feed *cf)
{
	struct normalize_feed	 nf;

	memset(&nf, 0, sizeof nf);
	nf.url = "https://feeds.example.com/rss";
	nf.title = "Feed Title";
	nf.link = "https://www.example.com/";
	nf.config = cf;
	nf.fetched = 1700000000;
	return normalize_entry(it, &nf);
}

static void
config_feed_init(struct config_feed *cf)
{
	memset(cf, 0, sizeof *cf);
	cf->quality = CONFIG_UNSET;
	cf->interval = CONFIG_UNSET;
	cf->enrich = CONFIG_UNSET;
}

/* The first value of a slot stays; later ones are freed. */
static void
test_slot_first_wins(void)
{
	struct normalize_item	 it;

	memset(&it, 0, sizeof it);
	set(&it, NORMALIZE_TITLE, "first", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_TITLE, "second", NORMALIZE_HTML);
	ASSERT_STR_EQ(it.slot[NORMALIZE_TITLE], "first");
	ASSERT_INT_EQ(it.slot_text[NORMALIZE_TITLE], NORMALIZE_PLAIN);
	normalize_item_clear(&it);
	ASSERT_NULL(it.slot[NORMALIZE_TITLE]);
}

static void
test_title_precedence(void)
{
	struct normalize_item	 it;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	set(&it, NORMALIZE_TITLE_MEDIA, "media", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_TITLE_DC, "dc", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_TITLE, "   ", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	/* A blank title falls through to dc:title. */
	ASSERT_STR_EQ(e->title, "dc");
	entry_free(e);
	normalize_item_clear(&it);
}

/* The excerpt: summary sources first, the content only without them. */
static void
test_excerpt_rule(void)
{
	struct normalize_item	 it;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	set(&it, NORMALIZE_CONTENT, "<p>content</p>", NORMALIZE_HTML);
	set(&it, NORMALIZE_SUMMARY_ITUNES, "itunes", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_SUMMARY_MEDIA, "media", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->excerpt, "media");
	entry_free(e);
	set(&it, NORMALIZE_DESCRIPTION, "<b>desc</b>ription", NORMALIZE_HTML);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->excerpt, "description");
	entry_free(e);
	normalize_item_clear(&it);

	set(&it, NORMALIZE_CONTENT, "<p>only content</p>", NORMALIZE_HTML);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->excerpt, "only content");
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_excerpt_length(void)
{
	struct normalize_item	 it;
	struct normalize_feed	 nf;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	memset(&nf, 0, sizeof nf);
	set(&it, NORMALIZE_DESCRIPTION, "alpha beta gamma delta epsilon",
	    NORMALIZE_PLAIN);
	nf.excerpt_length = 20;
	e = normalize_entry(&it, &nf);
	/* text.c's rule: on a word boundary (see docs/parsing.md). */
	ASSERT_STR_EQ(e->excerpt, "alpha beta gamma");
	entry_free(e);
	nf.excerpt_length = 0;
	e = normalize_entry(&it, &nf);
	ASSERT_STR_EQ(e->excerpt, "alpha beta gamma delta epsilon");
	entry_free(e);
	normalize_item_clear(&it);
}

/*
 * normalize_surely_text only ever says "sure" when normalize_text gives
 * text; where it says 0 it must be for a reason these cases name.
 */
static void
test_surely_text(void)
{
	static const struct {
		const char		*s;
		enum normalize_text	 text;
		int			 sure;
	} cases[] = {
		{ "word", NORMALIZE_PLAIN, 1 },
		{ "  \t\n ", NORMALIZE_PLAIN, 0 },
		{ "", NORMALIZE_PLAIN, 0 },
		{ "\xc2\xa0\xe2\x80\x8b", NORMALIZE_PLAIN, 0 },
		{ "<p>x", NORMALIZE_PLAIN, 1 },		/* plain: '<' is text */
		{ "<p>Word</p>", NORMALIZE_HTML, 1 },
		{ "  <P> <a href=\"x>y\" title='z'>7 days", NORMALIZE_HTML, 1 },
		{ "<div><strong>B</strong>", NORMALIZE_HTML, 1 },
		{ "plain, no markup", NORMALIZE_HTML, 1 },
		{ "<script>x</script>", NORMALIZE_HTML, 0 },
		{ "<style>p{}</style>Text", NORMALIZE_HTML, 0 },
		{ "<!-- c -->Text", NORMALIZE_HTML, 0 },
		{ "&nbsp;", NORMALIZE_HTML, 0 },
		{ "&amp;", NORMALIZE_HTML, 0 },		/* undecided, yet text */
		{ "<p></p>", NORMALIZE_HTML, 0 },
		{ "<p>", NORMALIZE_HTML, 0 },
		{ "<p", NORMALIZE_HTML, 0 },
		{ "<a href=\"x", NORMALIZE_HTML, 0 },
		{ "<p/>Text", NORMALIZE_HTML, 0 },
		{ "<img src=x>Text", NORMALIZE_HTML, 0 },
		{ "<paragraph>Text", NORMALIZE_HTML, 0 },
		{ "<a href=\"<b>\">Text", NORMALIZE_HTML, 0 },
		{ "\xc3\xa9t\xc3\xa9", NORMALIZE_HTML, 1 },	/* no markup */
		{ "<p>\xc3\xa9t\xc3\xa9", NORMALIZE_HTML, 0 },
		{ "Title &amp; more", NORMALIZE_SNIFF, 1 },
		{ "<b>Bold</b>", NORMALIZE_SNIFF, 1 },
	};
	size_t	 i;
	char	*t;
	int	 sure;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sure = normalize_surely_text(cases[i].s, strlen(cases[i].s),
		    cases[i].text);
		if (sure != cases[i].sure)
			test_fail(__FILE__, __LINE__, "case %zu \"%s\": "
			    "got %d, want %d", i, cases[i].s, sure,
			    cases[i].sure);
		t = normalize_text(cases[i].s, strlen(cases[i].s),
		    cases[i].text, 300);
		if (sure && *t == '\0')
			test_fail(__FILE__, __LINE__, "case %zu \"%s\": "
			    "sure, but no text", i, cases[i].s);
		free(t);
	}
}

static void
test_sniff(void)
{
	ASSERT_INT_EQ(normalize_looks_html("a <b>x</b>", 10), 1);
	ASSERT_INT_EQ(normalize_looks_html("</p>", 4), 1);
	ASSERT_INT_EQ(normalize_looks_html("Fish &amp; Chips", 16), 1);
	ASSERT_INT_EQ(normalize_looks_html("&#8217;", 7), 1);
	ASSERT_INT_EQ(normalize_looks_html("&#x2019;", 8), 1);
	ASSERT_INT_EQ(normalize_looks_html("AT&T", 4), 0);
	ASSERT_INT_EQ(normalize_looks_html("3 < 4", 5), 0);
	ASSERT_INT_EQ(normalize_looks_html("&#; and &#x;", 12), 0);
	ASSERT_INT_EQ(normalize_looks_html("a & b;", 6), 0);
	/*
	 * A start tag alone is no proof: a title names an element, or has
	 * angle brackets around something that is no HTML element at all.
	 */
	ASSERT_INT_EQ(normalize_looks_html("<code>", 6), 0);
	ASSERT_INT_EQ(normalize_looks_html("Why <dialog> wins", 17), 0);
	ASSERT_INT_EQ(normalize_looks_html("<rss> .. </rss>", 15), 0);
	ASSERT_INT_EQ(normalize_looks_html("<b>x</b> <rss>", 14), 0);
	ASSERT_INT_EQ(normalize_looks_html("Mail <john@example.org>", 23), 0);
	ASSERT_INT_EQ(normalize_looks_html("<B>Bold</B>", 11), 1);
	ASSERT_INT_EQ(normalize_looks_html("<br/>x&amp;y", 12), 1);
	ASSERT_INT_EQ(normalize_looks_html("x <!-- c -->", 12), 1);
	ASSERT_INT_EQ(normalize_looks_html("Caf&eacute;", 11), 1);
	/* A name HTML does not define, a tag cut short: no evidence. */
	ASSERT_INT_EQ(normalize_looks_html("&bogus; <code>", 14), 0);
	ASSERT_INT_EQ(normalize_looks_html("a </b", 5), 0);
}

static void
test_date_precedence(void)
{
	struct normalize_item	 it;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	set(&it, NORMALIZE_UPDATED, "2020-01-04T00:00:00Z", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_INT_EQ(e->published, 1578096000);
	entry_free(e);
	set(&it, NORMALIZE_CREATED, "2020-01-03T00:00:00Z", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_DATE_DC, "not a date", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_INT_EQ(e->published, 1578009600);
	entry_free(e);
	set(&it, NORMALIZE_PUBLISHED, " 2020-01-01T00:00:00Z\n",
	    NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_INT_EQ(e->published, 1577836800);
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_link_precedence_rss(void)
{
	struct normalize_item	 it;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	it.guid_permalink = 1;
	set(&it, NORMALIZE_LINK_ALT, "https://a.example.com/alt",
	    NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->original_url, "https://a.example.com/alt");
	entry_free(e);
	set(&it, NORMALIZE_GUID, "https://a.example.com/guid", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->original_url, "https://a.example.com/guid");
	ASSERT_STR_EQ(e->guid, "https://a.example.com/guid");
	entry_free(e);
	set(&it, NORMALIZE_LINK, "https://a.example.com/link", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->original_url, "https://a.example.com/link");
	entry_free(e);
	set(&it, NORMALIZE_LINK_ORIG, "https://a.example.com/orig",
	    NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->original_url, "https://a.example.com/orig");
	entry_free(e);
	normalize_item_clear(&it);

	/* A guid that is no permalink is never a link. */
	it.guid_permalink = 0;
	set(&it, NORMALIZE_GUID, "https://a.example.com/guid", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_NULL(e->original_url);
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_link_precedence_atom(void)
{
	struct normalize_item	 it;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	it.atom = 1;
	set(&it, NORMALIZE_LINK, "https://a.example.com/link", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_LINK_ALT, "https://a.example.com/alt?utm_source=x",
	    NORMALIZE_PLAIN);
	set(&it, NORMALIZE_GUID, "https://a.example.com/id", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->original_url, "https://a.example.com/alt?utm_source=x");
	ASSERT_STR_EQ(e->web_url, "https://a.example.com/alt");
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_provider_chain(void)
{
	struct normalize_item	 it;
	struct config_feed	 cf;
	struct normalize_feed	 nf;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	config_feed_init(&cf);
	cf.name = "Configured";
	set(&it, NORMALIZE_LINK, "https://www.article.example.org/a",
	    NORMALIZE_PLAIN);

	/* Feed title, domain from the link. */
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->provider_name, "Feed Title");
	ASSERT_STR_EQ(e->provider_domain, "article.example.org");
	entry_free(e);
	/* Config name over the feed title. */
	e = run(&it, &cf);
	ASSERT_STR_EQ(e->provider_name, "Configured");
	entry_free(e);
	/* The item's source over everything, with its domain. */
	set(&it, NORMALIZE_SOURCE_NAME, " The Source ", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_SOURCE_URL, "https://www.source.example.net/",
	    NORMALIZE_PLAIN);
	e = run(&it, &cf);
	ASSERT_STR_EQ(e->provider_name, "The Source");
	ASSERT_STR_EQ(e->provider_domain, "source.example.net");
	entry_free(e);
	normalize_item_clear(&it);

	/* Nothing but the feed URL: its domain names the provider. */
	memset(&nf, 0, sizeof nf);
	nf.url = "https://www.only-url.example.com/feed";
	e = normalize_entry(&it, &nf);
	ASSERT_STR_EQ(e->provider_name, "only-url.example.com");
	ASSERT_STR_EQ(e->provider_domain, "only-url.example.com");
	entry_free(e);
}

static void
test_type(void)
{
	struct normalize_item	 it;
	struct config_feed	 cf;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->type, "article");
	entry_free(e);
	/* A thumbnail says nothing about the type. */
	normalize_item_add_media(&it, NORMALIZE_MEDIA_THUMBNAIL,
	    "https://i.example.com/t.jpg", "video/mp4", NULL, 0, 0);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_ENCLOSURE,
	    "https://i.example.com/a.mp3", "audio/mpeg", NULL, 0, 0);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->type, "audio");
	entry_free(e);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_CONTENT,
	    "https://i.example.com/v", NULL, "video", 0, 0);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->type, "video");
	entry_free(e);
	config_feed_init(&cf);
	cf.type = "article";
	e = run(&it, &cf);
	ASSERT_STR_EQ(e->type, "article");
	entry_free(e);
	normalize_item_clear(&it);

	it.video = 1;
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->type, "video");
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_images(void)
{
	struct normalize_item	 it;
	struct entry		*e;

	memset(&it, 0, sizeof it);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_CONTENT,
	    "https://i.example.com/a.jpg", NULL, NULL, ENTRY_NO_SIZE,
	    ENTRY_NO_SIZE);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_CONTENT,
	    "https://i.example.com/a.jpg", NULL, "image", 800, 600);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_CONTENT,
	    "https://i.example.com/v.mp4", "video/mp4", NULL, 0, 0);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_ENCLOSURE,
	    "https://i.example.com/doc.pdf", "application/pdf", NULL, 0, 0);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_ENCLOSURE,
	    "https://i.example.com/e", "image/png", NULL, ENTRY_NO_SIZE,
	    ENTRY_NO_SIZE);
	normalize_item_add_media(&it, NORMALIZE_MEDIA_ITUNES,
	    "https://i.example.com/cover", NULL, NULL, ENTRY_NO_SIZE,
	    ENTRY_NO_SIZE);
	e = run(&it, NULL);
	ASSERT_INT_EQ(e->nimages, 3);
	/* A repeat is not a second image, but may give the size. */
	ASSERT_STR_EQ(e->images[0].url, "https://i.example.com/a.jpg");
	ASSERT_INT_EQ(e->images[0].width, 800);
	ASSERT_INT_EQ(e->images[0].height, 600);
	ASSERT_STR_EQ(e->images[1].url, "https://i.example.com/e");
	ASSERT_STR_EQ(e->images[2].url, "https://i.example.com/cover");
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_topics(void)
{
	struct normalize_item	 it;
	struct config_feed	 cf;
	char			*topics[] = { "World", "Extra" };
	struct entry		*e;

	memset(&it, 0, sizeof it);
	config_feed_init(&cf);
	cf.topics = topics;
	cf.ntopics = 2;
	cf.category = "news";
	normalize_item_add_category(&it, " world ", 7);
	normalize_item_add_category(&it, "   ", 3);
	normalize_item_add_category(&it, "Science", 7);
	normalize_item_add_category(&it, "WORLD", 5);
	e = run(&it, &cf);
	ASSERT_INT_EQ(e->ntopics, 3);
	ASSERT_STR_EQ(e->topics[0], "world");
	ASSERT_STR_EQ(e->topics[1], "Science");
	ASSERT_STR_EQ(e->topics[2], "Extra");
	ASSERT_STR_EQ(e->category, "news");
	entry_free(e);
	normalize_item_clear(&it);
}

static void
test_provenance(void)
{
	struct normalize_item	 it;
	struct entry		*e;
	const char		 in[] = "T\0E\0https://x.example.com/";

	memset(&it, 0, sizeof it);
	set(&it, NORMALIZE_TITLE, "T", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_DESCRIPTION, "E", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_LINK, "https://x.example.com/", NORMALIZE_PLAIN);
	set(&it, NORMALIZE_GUID, " g-1 ", NORMALIZE_PLAIN);
	e = run(&it, NULL);
	ASSERT_STR_EQ(e->guid, "g-1");
	ASSERT_STR_EQ(e->feed_url, "https://feeds.example.com/rss");
	ASSERT_INT_EQ(e->fetched, 1700000000);
	/* XXH3 of title, excerpt and link, NUL-separated. */
	ASSERT(e->content_hash == XXH3_64bits(in, sizeof in - 1));
	entry_free(e);
	normalize_item_clear(&it);
}

/* ---- quality: one case per term ------------------------------------------ */

static struct entry *
bare_entry(void)
{
	return entry_new();
}

static void
test_quality_weight(void)
{
	struct entry	*e = bare_entry();

	ASSERT_INT_EQ(normalize_quality(e, 0), 0);
	ASSERT_INT_EQ(normalize_quality(e, CONFIG_UNSET), 20);
	ASSERT_INT_EQ(normalize_quality(e, 50), 20);
	ASSERT_INT_EQ(normalize_quality(e, 100), 40);
	ASSERT_INT_EQ(normalize_quality(e, 250), 40);
	entry_free(e);
}

static void
test_quality_image(void)
{
	struct entry	*e = bare_entry();

	entry_add_image(e, "https://i.example.com/small.jpg", 150, 100);
	ASSERT_INT_EQ(normalize_quality(e, 0), 10);
	entry_add_image(e, "https://i.example.com/big.jpg", 1200, 800);
	ASSERT_INT_EQ(normalize_quality(e, 0), 20);
	entry_free(e);
	e = bare_entry();
	entry_add_image(e, "https://i.example.com/unknown.jpg", ENTRY_NO_SIZE,
	    ENTRY_NO_SIZE);
	ASSERT_INT_EQ(normalize_quality(e, 0), 10);
	entry_free(e);
}

static void
test_quality_excerpt(void)
{
	struct entry	*e = bare_entry();
	char		 buf[256];

	entry_set(&e->excerpt, "short");
	ASSERT_INT_EQ(normalize_quality(e, 0), 5);
	memset(buf, 'a', 80);
	buf[80] = '\0';
	entry_set(&e->excerpt, buf);
	ASSERT_INT_EQ(normalize_quality(e, 0), 12);
	memset(buf, 'a', 200);
	buf[200] = '\0';
	entry_set(&e->excerpt, buf);
	ASSERT_INT_EQ(normalize_quality(e, 0), 20);
	/* Characters, not bytes: 100 two-byte characters are not 200. */
	buf[0] = '\0';
	while (strlen(buf) < 200)
		strcat(buf, "\xc3\xa9");
	entry_set(&e->excerpt, buf);
	ASSERT_INT_EQ(normalize_quality(e, 0), 12);
	entry_free(e);
}

static void
test_quality_date(void)
{
	struct entry	*e = bare_entry();

	e->published = 0;
	ASSERT_INT_EQ(normalize_quality(e, 0), 10);
	entry_free(e);
}

static void
test_quality_title(void)
{
	struct entry	*e = bare_entry();

	entry_set(&e->title, "A normal title with NASA in it");
	ASSERT_INT_EQ(normalize_quality(e, 50), 30);
	entry_set(&e->title, "THIS IS ALL CAPS NEWS");
	ASSERT_INT_EQ(normalize_quality(e, 50), 10);
	/* Too few letters to call it shouting. */
	entry_set(&e->title, "NASA UK");
	ASSERT_INT_EQ(normalize_quality(e, 50), 30);
	/* Never below zero. */
	entry_set(&e->title, "THIS IS ALL CAPS NEWS");
	ASSERT_INT_EQ(normalize_quality(e, 0), 0);
	entry_free(e);
}

static void
test_quality_all(void)
{
	struct entry	*e = bare_entry();
	char		 buf[256];

	memset(buf, 'a', 250);
	buf[250] = '\0';
	entry_set(&e->title, "Everything present");
	entry_set(&e->excerpt, buf);
	entry_add_image(e, "https://i.example.com/big.jpg", 1600, 900);
	e->published = 1;
	ASSERT_INT_EQ(normalize_quality(e, 100), 100);
	ASSERT_INT_EQ(normalize_quality(e, CONFIG_UNSET), 80);
	entry_free(e);
}

static const struct test_case cases[] = {
	TEST(test_slot_first_wins),
	TEST(test_title_precedence),
	TEST(test_excerpt_rule),
	TEST(test_excerpt_length),
	TEST(test_surely_text),
	TEST(test_sniff),
	TEST(test_date_precedence),
	TEST(test_link_precedence_rss),
	TEST(test_link_precedence_atom),
	TEST(test_provider_chain),
	TEST(test_type),
	TEST(test_images),
	TEST(test_topics),
	TEST(test_provenance),
	TEST(test_quality_weight),
	TEST(test_quality_image),
	TEST(test_quality_excerpt),
	TEST(test_quality_date),
	TEST(test_quality_title),
	TEST(test_quality_all),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
