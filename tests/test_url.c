/*
 * test_url.c: url_resolve, url_canonical, url_domain, url_scheme and the
 * tracking parameter table.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "url.h"

/* Compare a freshly allocated result with want (NULL for "no result"). */
#define CHECK(expr, want) do {						\
	char	*got_ = (expr);						\
	const char *want_ = (want);					\
	if (want_ == NULL) {						\
		if (got_ != NULL)					\
			test_fail(__FILE__, __LINE__, "%s: got \"%s\", " \
			    "want NULL", #expr, got_);			\
	} else								\
		ASSERT_STR_EQ(got_, want_);				\
	free(got_);							\
} while (0)

/* The seed record's URLs: nothing to change, so byte for byte the same. */
static void
test_canonical_seed_unchanged(void)
{
	static const char *urls[] = {
		"https://cointelegraph.com/news/meta-ai-expansion-zuckerberg-"
		"reveals-350k-gpus-and-merged-research-teams",
		"https://www.rollingstone.com/culture/culture-features/mark-"
		"zuckerberg-meta-ai-metaverse-1234950139/",
		"https://www.rollingstone.com/wp-content/uploads/2024/01/mark-"
		"zuckerberg-metaverse-AI.jpg?w=1600&h=900&crop=1",
		"https://images.foxtv.com/static.fox10phoenix.com/www.fox10phoenix"
		".com/content/uploads/2024/01/932/470/Mark-Zuckerberg.jpg?ve=1&tl=1",
		"https://www-rollingstone-com.cdn.ampproject.org/c/s/www.rolling"
		"stone.com/culture/culture-features/mark-zuckerberg-meta-ai-"
		"metaverse-1234950139/amp/",
		"https://futurism.com/the-byte/zuckerberg-agi?ref=mc.news",
		"https://example.com/a%20b/%E2%82%AC?q=a+b%20c&x=%2F",
		"https://example.com/~user/p;params?a=1",
	};
	size_t	 i;

	for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		CHECK(url_canonical(urls[i]), urls[i]);
		CHECK(url_resolve(NULL, urls[i]), urls[i]);
	}
}

static void
test_canonical_case_port_fragment(void)
{
	CHECK(url_canonical("HTTPS://WWW.Example.COM:443/Path/To?Q=V#frag"),
	    "https://www.example.com/Path/To?Q=V");
	CHECK(url_canonical("http://Example.com:80/"), "http://example.com/");
	CHECK(url_canonical("http://example.com:8080/x"),
	    "http://example.com:8080/x");
	CHECK(url_canonical("https://example.com:80/x"),
	    "https://example.com:80/x");
	CHECK(url_canonical("https://example.com"), "https://example.com/");
	/* userinfo keeps its case; only the host is folded */
	CHECK(url_canonical("https://User:PW@Host.example/x"),
	    "https://User:PW@host.example/x");
	CHECK(url_canonical("https://example.com/a/./b/../c"),
	    "https://example.com/a/c");
}

static void
test_canonical_tracking(void)
{
	CHECK(url_canonical("https://e.com/a?utm_source=x&id=7&utm_medium=y"),
	    "https://e.com/a?id=7");
	CHECK(url_canonical("https://e.com/a?b=2&fbclid=Z&a=1&gclid=Q"),
	    "https://e.com/a?b=2&a=1");
	CHECK(url_canonical("https://e.com/a?UTM_Source=x&z=1"),
	    "https://e.com/a?z=1");
	CHECK(url_canonical("https://e.com/a?mtm_campaign=c&pk_kwd=k&mc_cid=1"
	    "&mc_eid=2&igshid=3&_hsenc=4&_hsmi=5&yclid=6&dclid=7&msclkid=8"),
	    "https://e.com/a");
	CHECK(url_canonical("https://e.com/a?ref=mc.news"),
	    "https://e.com/a?ref=mc.news");
	/* a prefix alone is a name of its own, not a tracking family */
	CHECK(url_canonical("https://e.com/a?utm_=1&utm=2"),
	    "https://e.com/a?utm_=1&utm=2");
	/* value-less parameters are kept, and order is kept */
	CHECK(url_canonical("https://e.com/a?z&utm_source&y=1"),
	    "https://e.com/a?z&y=1");
}

static void
test_canonical_empty_query(void)
{
	CHECK(url_canonical("https://e.com/a?"), "https://e.com/a");
	CHECK(url_canonical("https://e.com/a?utm_source=x"), "https://e.com/a");
	CHECK(url_canonical("https://e.com/a?utm_source=x#top"),
	    "https://e.com/a");
	CHECK(url_canonical("https://e.com/a?&&"), "https://e.com/a");
	CHECK(url_canonical("https://e.com/a?x=1&&y=2&"), "https://e.com/a?x=1&y=2");
	CHECK(url_canonical("https://e.com/a?=1"), "https://e.com/a?=1");
}

static void
test_canonical_encoding(void)
{
	/* encoded bytes stay as they are, case included */
	CHECK(url_canonical("https://e.com/%7efoo/%2F?q=%41"),
	    "https://e.com/%7efoo/%2F?q=%41");
	/* what a URL may not hold is encoded with upper-case hex */
	CHECK(url_canonical("https://e.com/a b/\xc3\xa4?q=\xc3\xbc x"),
	    "https://e.com/a%20b/%C3%A4?q=%C3%BC%20x");
	/* surrounding white space and wrapped links */
	CHECK(url_canonical("  \n https://e.com/long\n/link \t"),
	    "https://e.com/long/link");
}

static void
test_canonical_idn_ipv6(void)
{
	CHECK(url_canonical("https://M\xc3\xbcnchen.DE/x"),
	    "https://m\xc3\xbcnchen.de/x");
	CHECK(url_canonical("https://xn--mnchen-3ya.de/"),
	    "https://xn--mnchen-3ya.de/");
	CHECK(url_canonical("http://[2001:DB8::1]:80/x?utm_term=a"),
	    "http://[2001:db8::1]/x");
	CHECK(url_canonical("http://[::1]:8080/x"), "http://[::1]:8080/x");
	CHECK(url_canonical("http://127.0.0.1:8080/feed"),
	    "http://127.0.0.1:8080/feed");
}

static void
test_canonical_file_and_garbage(void)
{
	CHECK(url_canonical("file:///tmp/feeds/a.xml"), "file:///tmp/feeds/a.xml");
	CHECK(url_canonical("FILE:///tmp/a%20b.xml"), "file:///tmp/a%20b.xml");
	CHECK(url_canonical(""), NULL);
	CHECK(url_canonical("   "), NULL);
	CHECK(url_canonical(NULL), NULL);
	CHECK(url_canonical("not a url"), NULL);
	CHECK(url_canonical("/relative/path"), NULL);
	CHECK(url_canonical("http://"), NULL);
	CHECK(url_canonical("http://exa mple.com/"), NULL);
	CHECK(url_canonical("https://e.com:99999/"), NULL);
}

/*
 * fuzz_url found "file:\001" coming out as "file://%01": curl keeps a
 * relative file path but writes it where a host goes, so the canonical
 * form was not canonical any more. Such paths are made absolute.
 */
static void
test_fuzz_file_relative_path(void)
{
	CHECK(url_canonical("file:\001"), "file:///%01");
	CHECK(url_canonical("file:///%01"), "file:///%01");
	CHECK(url_canonical("file:x/y.xml"), "file:///x/y.xml");
	CHECK(url_resolve(NULL, "file:x/y.xml"), "file:///x/y.xml");
	CHECK(url_resolve("file:x/y.xml", "z.xml"), "file:///x/z.xml");
	CHECK(url_resolve("https://e.com/", "file:x/y.xml"), "file:///x/y.xml");
	/* and fuzz_url's "file:e:#//": "file:///e:" is a drive letter */
	CHECK(url_canonical("file:e:#//"), NULL);
	CHECK(url_canonical("file:///e:#e:#//"), NULL);
	CHECK(url_canonical("file:///e:"), NULL);
}

/*
 * fuzz_url found "https:/U\xb5k\xa1\xbe\x7f": with one slash the host was
 * escaped, curl decoded it and wrote a DEL byte into the host, which curl
 * itself then refuses. A host with control bytes now gives no URL.
 */
static void
test_fuzz_escaped_control_host(void)
{
	CHECK(url_canonical("https:/U\xb5k\xa1\xbe\x7f"), NULL);
	CHECK(url_resolve(NULL, "https:/U\xb5k\xa1\xbe\x7f"), NULL);
	CHECK(url_canonical("https:/a%01b/"), NULL);
	/* one slash is otherwise fine, as browsers have it */
	CHECK(url_canonical("https:/Example.com/x"), "https://example.com/x");
}

/*
 * fuzz_url found "http://%30//" canonical as "http://0//", whose own
 * canonical form is "http://0.0.0.0//": curl reads the decoded host as
 * IPv4 only on a second parse. A deduplication key must be a fixed point.
 */
static void
test_fuzz_decoded_host_fixed_point(void)
{
	const char	*urls[] = {
		"http://%30//", "http://%30/", "http://%31%32%37.1/x",
		"http://0x7f.1/a", "http://%65xample.COM:80/x#f",
		"http://[::1]:80/", "HTTP://127.1/?utm_source=z",
	};
	char		*a, *b;
	size_t		 i;

	CHECK(url_canonical("http://%30//"), "http://0.0.0.0//");
	CHECK(url_canonical("http://%31%32%37.1/x"), "http://127.0.0.1/x");
	for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		a = url_canonical(urls[i]);
		ASSERT(a != NULL);
		b = url_canonical(a);
		ASSERT(b != NULL && strcmp(a, b) == 0);
		free(a);
		free(b);
	}
}

static void
test_resolve(void)
{
	const char	*base = "https://news.example.com/world/feed.xml?x=1";

	CHECK(url_resolve(base, "story.html"),
	    "https://news.example.com/world/story.html");
	CHECK(url_resolve(base, "/a/b?c=d#e"), "https://news.example.com/a/b?c=d#e");
	CHECK(url_resolve(base, "../up"), "https://news.example.com/up");
	CHECK(url_resolve(base, "//cdn.example.net/img.jpg"),
	    "https://cdn.example.net/img.jpg");
	CHECK(url_resolve(base, "?page=2"),
	    "https://news.example.com/world/feed.xml?page=2");
	/* a fragment alone keeps the base's path and query (RFC 3986) */
	CHECK(url_resolve(base, "#part"),
	    "https://news.example.com/world/feed.xml?x=1#part");
	CHECK(url_resolve("https://news.example.com/a.html#old", "#new"),
	    "https://news.example.com/a.html#new");
	CHECK(url_resolve(base, "#"),
	    "https://news.example.com/world/feed.xml?x=1");
	CHECK(url_resolve(NULL, "#part"), NULL);
	CHECK(url_resolve(base, "  \thttps://other.org/x  \n"),
	    "https://other.org/x");
	CHECK(url_resolve(base, "http://Other.ORG/y"), "http://Other.ORG/y");
	CHECK(url_resolve(base, "a b.html"),
	    "https://news.example.com/world/a%20b.html");
	/* utm parameters stay in originalUrl; only webUrl loses them */
	CHECK(url_resolve(base, "/s?utm_source=rss"),
	    "https://news.example.com/s?utm_source=rss");
	CHECK(url_resolve(base, ""), NULL);
	CHECK(url_resolve(base, "   "), NULL);
	CHECK(url_resolve(base, NULL), NULL);
	CHECK(url_resolve(NULL, "relative.html"), NULL);
	CHECK(url_resolve(NULL, "//host/x"), NULL);
	CHECK(url_resolve("garbage base", "relative.html"), NULL);
	CHECK(url_resolve("garbage base", "https://e.com/ok"),
	    "https://e.com/ok");
	CHECK(url_resolve("file:///srv/feeds/a.xml", "b.xml"),
	    "file:///srv/feeds/b.xml");
	CHECK(url_resolve(base, "http://[::1"), NULL);
}

static void
test_domain(void)
{
	CHECK(url_domain("https://www.RollingStone.com/x"), "rollingstone.com");
	CHECK(url_domain("https://cointelegraph.com/news/x"), "cointelegraph.com");
	CHECK(url_domain("https://www2.example.com/"), "www2.example.com");
	CHECK(url_domain("https://www.example.com:8443/"), "example.com");
	CHECK(url_domain("https://user@www.example.com/"), "example.com");
	CHECK(url_domain("https://www./"), "www.");
	CHECK(url_domain("http://[::1]/"), "[::1]");
	CHECK(url_domain("file:///tmp/a.xml"), NULL);
	CHECK(url_domain("nonsense"), NULL);
}

/* url_canonical_domain gives what the two calls give, plain URL or not. */
static void
test_canonical_domain(void)
{
	static const char *urls[] = {
		"https://www.RollingStone.com/x?utm_source=rss&id=2#top",
		"http://example.org/a/b-c_d.html",
		" https://www.example.com/ ",
		"https://www.example.com:8443/",
		"https://user@www.example.com/",
		"https://www./",
		"http://[::1]/",
		"http://%30//",
		"HTTP://Example.COM/A?",
		"file:///tmp/a.xml",
		"nonsense",
		"",
	};
	char	*c, *d, *want_c, *want_d;
	size_t	 i;

	for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		c = url_canonical_domain(urls[i], &d);
		want_c = url_canonical(urls[i]);
		want_d = url_domain(urls[i]);
		ASSERT_STR_EQ(c != NULL ? c : "(null)",
		    want_c != NULL ? want_c : "(null)");
		ASSERT_STR_EQ(d != NULL ? d : "(null)",
		    want_d != NULL ? want_d : "(null)");
		free(c);
		free(d);
		free(want_c);
		free(want_d);
	}
	c = url_canonical_domain(NULL, &d);
	ASSERT_NULL(c);
	ASSERT_NULL(d);
}

static void
test_scheme(void)
{
	CHECK(url_scheme("HTTPS://e.com/"), "https");
	CHECK(url_scheme("http://e.com/"), "http");
	CHECK(url_scheme("file:///tmp/x"), "file");
	CHECK(url_scheme("ftp://e.com/x"), "ftp");
	CHECK(url_scheme("gopher://e.com/x"), "gopher");
	CHECK(url_scheme("relative/x"), NULL);
	CHECK(url_scheme(""), NULL);
}

static void
test_tracking_table(void)
{
	ASSERT(url_tracking_table_sorted());
	ASSERT(url_is_tracking_param("utm_source", 10));
	ASSERT(url_is_tracking_param("utm_source=x", 10));
	ASSERT(url_is_tracking_param("FBCLID", 6));
	ASSERT(url_is_tracking_param("__hstc", 6));
	ASSERT(url_is_tracking_param("yclid", 5));
	ASSERT(url_is_tracking_param("_ga", 3));
	ASSERT(!url_is_tracking_param("_g", 2));
	ASSERT(!url_is_tracking_param("gclidx", 6));
	ASSERT(!url_is_tracking_param("ref", 3));
	ASSERT(!url_is_tracking_param("id", 2));
	ASSERT(!url_is_tracking_param("", 0));
	ASSERT(!url_is_tracking_param("utm_", 4));
	/* len, not the NUL, ends the name */
	ASSERT(url_is_tracking_param("gclid&x", 5));
	ASSERT(!url_is_tracking_param("gcl", 3));
}

static const struct test_case cases[] = {
	TEST(test_canonical_seed_unchanged),
	TEST(test_canonical_case_port_fragment),
	TEST(test_canonical_tracking),
	TEST(test_canonical_empty_query),
	TEST(test_canonical_encoding),
	TEST(test_canonical_idn_ipv6),
	TEST(test_canonical_file_and_garbage),
	TEST(test_fuzz_file_relative_path),
	TEST(test_fuzz_escaped_control_host),
	TEST(test_fuzz_decoded_host_fixed_point),
	TEST(test_resolve),
	TEST(test_domain),
	TEST(test_canonical_domain),
	TEST(test_scheme),
	TEST(test_tracking_table),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
