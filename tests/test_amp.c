/*
 * test_amp.c: AMP cache subdomains and URLs, punycode.
 *
 * The subdomain vectors are the AMP project's published ones (amp-toolbox
 * cache-url's spec and the amp.dev documentation); the punycode ones are
 * RFC 3492's samples; the seed's cdnAmpWebUrl values are read from the
 * seed record itself and rebuilt from its ampWebUrl values.
 */
#include <stdlib.h>
#include <string.h>

#include "amp.h"
#include "errbuf.h"
#include "record.h"
#include "record_read.h"
#include "test.h"

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

/* A label a DNS server would take: [a-z0-9-]{1,63}, no '-' at an end. */
static void
check_label(const char *host, const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > AMP_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		test_fail(__FILE__, __LINE__, "%s: bad label \"%s\"", host, s);
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			test_fail(__FILE__, __LINE__, "%s: bad label \"%s\"",
			    host, s);
	}
}

static const struct {
	const char	*host;
	const char	*label;
} subdomains[] = {
	/* amp-toolbox cache-url spec (createCurlsSubdomain). */
	{ "something.com", "something-com" },
	{ "SOMETHING.COM", "something-com" },
	{ "hello-world.com", "hello--world-com" },
	{ "hello--world.com", "hello----world-com" },
	{ "toplevelnohyphens",
	  "qsgpfjzulvuaxb66z77vlhb5gu2irvcnyp6t67cz6tqo5ae6fysa" },
	{ "no-dot-domain",
	  "4lxc7wqq7b25walg4rdiil62veijrmqui5z3ept2lyfqqwpowryq" },
	{ "itwasadarkandstormynight.therainfellintorrents."
	  "exceptatoccasionalintervalswhenitwascheckedby."
	  "aviolentgustofwindwhichsweptupthestreets.com",
	  "dgz4cnrxufaulnwku4ow5biptyqnenjievjht56hd7wqinbdbteq" },
	{ "xn--bcher-kva.ch", "xn--bcher-ch-65a" },
	/* An all right-to-left IDN (Egypt's ministry of communications). */
	{ "xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
	  "xn-------i5fvcbaopc6fkc0de0d9jybegt6cd" },
	/* Left-to-right and right-to-left mixed: no valid label. */
	{ "hello.xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
	  "a6h5moukddengbsjm77rvbosevwuduec2blkjva4223o4bgafgla" },
	{ "en-us.example.com", "0-en--us-example-com-0" },
	/* The and amp.dev's examples. */
	{ "www.rollingstone.com", "www-rollingstone-com" },
	{ "pub.com", "pub-com" },
	{ "amp.dev", "amp-dev" },
	/* The same IDN written in UTF-8 (bücher.ch), and with a final dot. */
	{ "b\xc3\xbc" "cher.ch", "xn--bcher-ch-65a" },
	{ "B\xc3\xbc" "cher.CH.", "xn--bcher-ch-65a" },
	/* Unicode written in the URL's host (amp-toolbox: 點看.com). */
	{ "\xe9\xbb\x9e\xe7\x9c\x8b.com", "xn---com-k47jg78q" },
	/*
	 * Hosts with no valid human-readable label: an IP address, an
	 * underscore, and a label starting with '-'. Fallbacks from
	 * Python's hashlib and base64.b32encode.
	 */
	{ "192.0.2.1", "g76p6jf7mibvwkyiaifpycfu73gu7t744v5leniy4nlb74h6o24q" },
	{ "[2001:db8::1]",
	  "5tnjdssoax4mpupgxcifrro7bymqayay3brdyg4to5czeqbefsoa" },
	{ "my_site.example.com",
	  "ewmeqoxxnyu2qxmixl4nahvylw2riupmblswqk4llmld3ihajpoa" },
	/*
	 * "en--aaa...-com" is 60 characters, 64 once wrapped in 0-...-0:
	 * no longer a DNS label, so the fallback.
	 */
	{ "en-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
	  "ih7tce36uwccq72sr7rhxke3hnsin5zwex25suvo64rs5naneixq" },
	/* One shorter: 59, 63 wrapped, which fits. */
	{ "en-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
	  "0-en--aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-com-0" },
};

static void
test_subdomains(void)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof subdomains / sizeof subdomains[0]; i++) {
		s = amp_cache_subdomain(subdomains[i].host);
		if (s == NULL)
			test_fail(__FILE__, __LINE__, "%s: NULL",
			    subdomains[i].host);
		check_label(subdomains[i].host, s);
		if (strcmp(s, subdomains[i].label) != 0)
			test_fail(__FILE__, __LINE__, "%s: got %s, want %s",
			    subdomains[i].host, s, subdomains[i].label);
		free(s);
	}
}

/* Hosts that are no host: nothing rather than a guess. */
static void
test_subdomain_refused(void)
{
	char	 big[400];
	size_t	 i;

	CHECK(amp_cache_subdomain(NULL), NULL);
	CHECK(amp_cache_subdomain(""), NULL);
	CHECK(amp_cache_subdomain("."), NULL);
	CHECK(amp_cache_subdomain("a..b"), NULL);
	CHECK(amp_cache_subdomain("xn--a-\xff.com"), NULL);	/* bad UTF-8 */
	CHECK(amp_cache_subdomain("xn--99999999999.com"), NULL);
	CHECK(amp_cache_subdomain("\xed\xa0\x80.com"), NULL);	/* surrogate */
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK(amp_cache_subdomain(big), NULL);		/* past 253 */
	/*
	 * Short labels up to 249 bytes, then a long one: once wrote past
	 * the code point array (found by fuzz_amp).
	 */
	for (i = 0; i < 83; i++)
		memcpy(big + 3 * i, "ab.", 3);
	memset(big + 249, 'c', 100);
	big[349] = '\0';
	CHECK(amp_cache_subdomain(big), NULL);
}

static void
test_cache_urls(void)
{
	/* amp-toolbox's createCacheUrl vectors (documents). */
	CHECK(amp_cache_url("https://www.example.com/index.html"),
	    "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/"
	    "index.html");
	CHECK(amp_cache_url("http://www.example.com/index.html"),
	    "https://www-example-com.cdn.ampproject.org/c/www.example.com/"
	    "index.html");
	CHECK(amp_cache_url("https://example.com/g?value=Hello%20World"),
	    "https://example-com.cdn.ampproject.org/c/s/example.com/g?"
	    "value=Hello%20World");
	/* The example. */
	CHECK(amp_cache_url("https://www.rollingstone.com/x/amp/"),
	    "https://www-rollingstone-com.cdn.ampproject.org/c/s/"
	    "www.rollingstone.com/x/amp/");
	/* curl gives a URL without a path the path "/". */
	CHECK(amp_cache_url("https://www.example.com"),
	    "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/");
	/* Case of scheme and host, default port, fragment, credentials. */
	CHECK(amp_cache_url("HTTPS://user:pw@WWW.Example.COM:443/A/b?Q=1#frag"),
	    "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/"
	    "A/b?Q=1");
	CHECK(amp_cache_url("http://en-us.example.com:8080/amp"),
	    "https://0-en--us-example-com-0.cdn.ampproject.org/c/"
	    "en-us.example.com:8080/amp");
	CHECK(amp_cache_url("https://xn--bcher-kva.ch/amp"),
	    "https://xn--bcher-ch-65a.cdn.ampproject.org/c/s/xn--bcher-kva.ch/"
	    "amp");
	/* amp-toolbox: the Unicode host stays as written in the path. */
	CHECK(amp_cache_url("https://\xe9\xbb\x9e\xe7\x9c\x8b.com/"),
	    "https://xn---com-k47jg78q.cdn.ampproject.org/c/s/"
	    "\xe9\xbb\x9e\xe7\x9c\x8b.com/");
	CHECK(amp_cache_url("https://192.0.2.1/amp"),
	    "https://g76p6jf7mibvwkyiaifpycfu73gu7t744v5leniy4nlb74h6o24q"
	    ".cdn.ampproject.org/c/s/192.0.2.1/amp");
	/* Not an http(s) document URL. */
	CHECK(amp_cache_url(NULL), NULL);
	CHECK(amp_cache_url(""), NULL);
	CHECK(amp_cache_url("/relative/amp"), NULL);
	CHECK(amp_cache_url("ftp://example.com/amp"), NULL);
	CHECK(amp_cache_url("file:///etc/passwd"), NULL);
	CHECK(amp_cache_url("https://"), NULL);
}

/*
 * Every cdnAmpWebUrl of the seed record, rebuilt from its ampWebUrl. The
 * values come from the record file, so a new seed is tested as it is.
 */
static void
test_seed(void)
{
	struct record	*r = NULL;
	struct errbuf	 err;
	struct entry	*e;
	size_t		 i, checked = 0;

	errbuf_clear(&err);
	ASSERT_INT_EQ(record_read_file(test_data("records/seed.yaml"), &r,
	    &err), 0);
	for (i = 0; i <= r->nrelated; i++) {
		e = i == 0 ? r->primary : r->related[i - 1];
		if (e->amp_url == NULL) {
			ASSERT_NULL(e->cdn_amp_url);
			continue;
		}
		ASSERT_NOT_NULL(e->cdn_amp_url);
		CHECK(amp_cache_url(e->amp_url), e->cdn_amp_url);
		checked++;
	}
	/* The seed has five; a reader that lost them must not pass. */
	ASSERT(checked >= 5);
	record_free(r);
}

/* RFC 3492, section 7.1: (A) Arabic, (B) Chinese, (J) Spanish, (L), (S). */
static const struct {
	uint32_t	 cp[64];
	size_t		 n;
	const char	*puny;
} samples[] = {
	{ { 0x644, 0x64a, 0x647, 0x645, 0x627, 0x628, 0x62a, 0x643, 0x644,
	    0x645, 0x648, 0x634, 0x639, 0x631, 0x628, 0x64a, 0x61f }, 17,
	  "egbpdaj6bu4bxfgehfvwxn" },
	{ { 0x4ed6, 0x4eec, 0x4e3a, 0x4ec0, 0x4e48, 0x4e0d, 0x8bf4, 0x4e2d,
	    0x6587 }, 9, "ihqwcrb4cv8a8dqg056pqjye" },
	{ { 'P', 'o', 'r', 'q', 'u', 0xe9, 'n', 'o', 'p', 'u', 'e', 'd', 'e',
	    'n', 's', 'i', 'm', 'p', 'l', 'e', 'm', 'e', 'n', 't', 'e', 'h',
	    'a', 'b', 'l', 'a', 'r', 'e', 'n', 'E', 's', 'p', 'a', 0xf1, 'o',
	    'l' }, 40, "PorqunopuedensimplementehablarenEspaol-fmd56a" },
	{ { '3', 0x5e74, 'B', 0x7d44, 0x91d1, 0x516b, 0x5148, 0x751f }, 8,
	  "3B-ww4c5e180e575a65lsy2b" },
	{ { '-', '>', ' ', '$', '1', '.', '0', '0', ' ', '<', '-' }, 11,
	  "-> $1.00 <--" },
};

static void
test_punycode_samples(void)
{
	char	 out[128];
	uint32_t cp[64];
	size_t	 i, n;

	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		ASSERT_INT_EQ(amp_punycode_encode(samples[i].cp, samples[i].n,
		    out, sizeof out), strlen(samples[i].puny));
		ASSERT_STR_EQ(out, samples[i].puny);
		n = 64;
		ASSERT_INT_EQ(amp_punycode_decode(samples[i].puny,
		    strlen(samples[i].puny), cp, &n), 0);
		ASSERT_MEM_EQ(cp, n * sizeof *cp, samples[i].cp,
		    samples[i].n * sizeof *cp);
	}
	/* Decoding ignores the case of digits (RFC 3492, 5). */
	n = 64;
	ASSERT_INT_EQ(amp_punycode_decode("IHQWCRB4CV8A8DQG056PQJYE", 24, cp,
	    &n), 0);
	ASSERT_MEM_EQ(cp, n * sizeof *cp, samples[1].cp, 9 * sizeof *cp);
}

static void
test_punycode_bad(void)
{
	static const uint32_t big[] = { 0x110000 };
	static const uint32_t nul[] = { 'a', 0 };
	char	 out[8];
	uint32_t cp[64];
	size_t	 n;

#define BAD(s) do { n = 64; ASSERT_INT_EQ(amp_punycode_decode((s),	\
	    strlen(s), cp, &n), -1); } while (0)
	BAD("a!");			/* not a digit */
	BAD("z");			/* a number cut short */
	BAD("99999999999");		/* overflow */
	BAD("\xc3\xa9-abc");		/* non-basic before the delimiter */
	BAD("99999b");		/* U+5B54E9, past U+10FFFF */
#undef BAD
	/* Too little room, both ways. */
	n = 3;
	ASSERT_INT_EQ(amp_punycode_decode("ihqwcrb4cv8a8dqg056pqjye", 24, cp,
	    &n), -1);
	ASSERT_INT_EQ(amp_punycode_encode(samples[1].cp, samples[1].n, out,
	    sizeof out), -1);
	ASSERT_INT_EQ(amp_punycode_encode(big, 1, out, sizeof out), -1);
	/* U+0000 would cut the string short: refused (found by fuzz_amp). */
	ASSERT_INT_EQ(amp_punycode_encode(nul, 2, out, sizeof out), -1);
}

static const struct test_case cases[] = {
	TEST(test_subdomains),
	TEST(test_subdomain_refused),
	TEST(test_cache_urls),
	TEST(test_seed),
	TEST(test_punycode_samples),
	TEST(test_punycode_bad),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
