/*
 * test_config.c: config_load and its value parsers. Every error class has
 * a fixture under tests/data/config/ and its exact "file:line:col: message"
 * text here; etc/feedfold.yaml is checked against config_default so that
 * the documented defaults and the code cannot drift apart.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cluster.h"
#include "config.h"
#include "test.h"
#include "xmalloc.h"

/* What an unknown key's message lists when no known key is close. */
#define TOP_KEYS	"(expected one of allow_private_addresses, cache_dir, " \
	"concurrency, enrich, excerpt_length, feeds, images, interval, " \
	"max_body, max_entries, " \
	"max_interval, metrics_file, min_interval, output_dir, per_host, " \
	"record_mode, secured_key_file, state_dir, stories, timeout, " \
	"user_agent)"
#define FEED_KEYS	"(expected one of category, enrich, interval, name, " \
	"opml, quality, topics, type, url)"

struct errors {
	struct buf	 text;
	const char	*path;		/* the fixture path, shown as its name */
	const char	*name;
	int		 count;
};

static void
errors_add(void *arg, const char *message)
{
	struct errors	*e = arg;
	size_t		 len = strlen(e->path);

	if (strncmp(message, e->path, len) == 0) {
		buf_adds(&e->text, e->name);
		message += len;
	}
	buf_adds(&e->text, message);
	buf_addc(&e->text, '\n');
	e->count++;
}

/*
 * Load tests/data/config/<name>; return every error, one a line, with the
 * fixture's path shortened to its name (caller frees). *c gets the config.
 */
static char *
load(const char *name, struct config **c, int *count)
{
	struct errors	 e;
	char		 rel[256];
	char		*path;

	snprintf(rel, sizeof rel, "config/%s", name);
	path = xstrdup(test_data(rel));
	buf_init(&e.text, BUF_NOMAX);
	e.path = path;
	e.name = name;
	e.count = 0;
	*c = config_load(path, errors_add, &e);
	free(path);
	if (count != NULL)
		*count = e.count;
	return buf_detach(&e.text);
}

/* Load a fixture that must fail; compare all its errors with want. */
#define ASSERT_ERRORS(name, want) do {					\
	struct config	*c_;						\
	char		*got_ = load((name), &c_, NULL);		\
	ASSERT_NULL(c_);						\
	ASSERT_STR_EQ(got_, (want));					\
	free(got_);							\
} while (0)

/* Load a fixture that must succeed. */
static struct config *
load_ok(const char *name)
{
	struct config	*c;
	char		*got;

	got = load(name, &c, NULL);
	ASSERT_STR_EQ(got, "");
	free(got);
	ASSERT_NOT_NULL(c);
	return c;
}

static char *
fixture_dir(const char *rel)
{
	char	*p;

	if ((p = realpath(test_data(rel), NULL)) == NULL)
		test_fail(__FILE__, __LINE__, "realpath %s", rel);
	return p;
}

static void
test_defaults(void)
{
	struct config	*c = config_default("/srv/ff");

	ASSERT_STR_EQ(c->dir, "/srv/ff");
	ASSERT_STR_EQ(c->output_dir, "/srv/ff/records");
	ASSERT_STR_EQ(c->state_dir, "/srv/ff/state");
	ASSERT_STR_EQ(c->cache_dir, "/srv/ff/cache");
	ASSERT(strncmp(c->user_agent, "feedfold/", 9) == 0);
	ASSERT_INT_EQ(c->concurrency, 32);
	ASSERT_INT_EQ(c->per_host, 2);
	ASSERT_INT_EQ(c->interval, 1800);
	ASSERT_INT_EQ(c->min_interval, 900);
	ASSERT_INT_EQ(c->max_interval, 86400);
	ASSERT_INT_EQ(c->timeout, 30);
	ASSERT_INT_EQ(c->max_body, 16 * 1024 * 1024);
	ASSERT_INT_EQ(c->max_entries, 5000);
	ASSERT_INT_EQ(c->excerpt_length, 300);
	ASSERT_INT_EQ(c->record_mode, 0644);
	ASSERT_NULL(c->metrics_file);
	ASSERT_NULL(c->secured_key_file);
	/* The config's defaults are the clusterer's, so they cannot drift. */
	struct cluster_params cp;
	cluster_params_default(&cp);
	ASSERT_INT_EQ(c->stories.window, cp.window);
	ASSERT(c->stories.threshold == cp.threshold);
	ASSERT_INT_EQ(c->stories.max_related, 15);
	ASSERT_INT_EQ(c->stories.primary, CONFIG_PRIMARY_FIRST);
	ASSERT_INT_EQ(c->images.cache, 0);
	ASSERT_INT_EQ(c->images.max_bytes, 5 * 1024 * 1024);
	ASSERT(c->images.cache_max == UINT64_C(1) << 30);
	ASSERT_INT_EQ(c->enrich, 0);
	ASSERT_INT_EQ(c->allow_private_addresses, 0);
	ASSERT_INT_EQ(c->nfeeds, 0);
	config_free(c);
}

/* Every non-feed setting equal; feeds are compared by the caller. */
static void
assert_settings_equal(const struct config *a, const struct config *b)
{
	ASSERT_STR_EQ(a->output_dir, b->output_dir);
	ASSERT_STR_EQ(a->state_dir, b->state_dir);
	ASSERT_STR_EQ(a->cache_dir, b->cache_dir);
	ASSERT_STR_EQ(a->user_agent, b->user_agent);
	ASSERT_INT_EQ(a->concurrency, b->concurrency);
	ASSERT_INT_EQ(a->per_host, b->per_host);
	ASSERT_INT_EQ(a->interval, b->interval);
	ASSERT_INT_EQ(a->min_interval, b->min_interval);
	ASSERT_INT_EQ(a->max_interval, b->max_interval);
	ASSERT_INT_EQ(a->timeout, b->timeout);
	ASSERT_INT_EQ(a->max_body, b->max_body);
	ASSERT_INT_EQ(a->max_entries, b->max_entries);
	ASSERT_INT_EQ(a->excerpt_length, b->excerpt_length);
	ASSERT_INT_EQ(a->record_mode, b->record_mode);
	ASSERT((a->metrics_file == NULL) == (b->metrics_file == NULL));
	ASSERT((a->secured_key_file == NULL) == (b->secured_key_file == NULL));
	ASSERT_INT_EQ(a->stories.window, b->stories.window);
	ASSERT(a->stories.threshold == b->stories.threshold);
	ASSERT_INT_EQ(a->stories.max_related, b->stories.max_related);
	ASSERT_INT_EQ(a->stories.primary, b->stories.primary);
	ASSERT_INT_EQ(a->images.cache, b->images.cache);
	ASSERT_INT_EQ(a->images.max_bytes, b->images.max_bytes);
	ASSERT(a->images.cache_max == b->images.cache_max);
	ASSERT_INT_EQ(a->enrich, b->enrich);
}

/* etc/feedfold.yaml: accepted, and every setting is the built-in default. */
static void
test_etc_feedfold_yaml(void)
{
	struct errors	 e;
	struct config	*c, *d;
	const char	*srcdir;
	char		*path;
	size_t		 i;

	if ((srcdir = getenv("srcdir")) == NULL)
		srcdir = ".";
	path = xasprintf("%s/etc/feedfold.yaml", srcdir);
	buf_init(&e.text, BUF_NOMAX);
	e.path = path;
	e.name = "feedfold.yaml";
	e.count = 0;
	c = config_load(path, errors_add, &e);
	free(path);
	ASSERT_STR_EQ(buf_str(&e.text), "");
	buf_free(&e.text);
	ASSERT_NOT_NULL(c);
	/*
	 * Every value is the default but the folders, which are the systemd
	 * unit's (StateDirectory=, CacheDirectory=).
	 */
	ASSERT_STR_EQ(c->output_dir, "/var/lib/feedfold/records");
	ASSERT_STR_EQ(c->state_dir, "/var/lib/feedfold/state");
	ASSERT_STR_EQ(c->cache_dir, "/var/cache/feedfold");
	d = config_default(c->dir);
	free(d->output_dir);
	free(d->state_dir);
	free(d->cache_dir);
	d->output_dir = xstrdup(c->output_dir);
	d->state_dir = xstrdup(c->state_dir);
	d->cache_dir = xstrdup(c->cache_dir);
	assert_settings_equal(c, d);
	/* a handful of real feeds, all remote and all named */
	ASSERT(c->nfeeds >= 5);
	for (i = 0; i < c->nfeeds; i++) {
		ASSERT(strncmp(c->feeds[i].url, "https://", 8) == 0);
		ASSERT_NOT_NULL(c->feeds[i].name);
	}
	config_free(d);
	config_free(c);
}

static void
test_empty_file_is_defaults(void)
{
	struct config	*c = load_ok("empty.yaml"), *d;
	char		*dir = fixture_dir("config");

	ASSERT_STR_EQ(c->dir, dir);
	d = config_default(dir);
	assert_settings_equal(c, d);
	ASSERT_INT_EQ(c->nfeeds, 0);
	config_free(d);
	config_free(c);
	free(dir);
}

static void
test_values(void)
{
	struct config	*c = load_ok("values.yaml");
	struct config_feed *f;

	ASSERT_STR_EQ(c->user_agent, "test-agent/1.0");
	ASSERT_INT_EQ(c->concurrency, 8);
	ASSERT_INT_EQ(c->per_host, 4);
	ASSERT_INT_EQ(c->interval, 5400);
	ASSERT_INT_EQ(c->min_interval, 90);
	ASSERT_INT_EQ(c->max_interval, 7 * 86400);
	ASSERT_INT_EQ(c->timeout, 45);
	ASSERT_INT_EQ(c->max_body, 512 * 1024);
	ASSERT_INT_EQ(c->max_entries, 250);
	ASSERT_INT_EQ(c->excerpt_length, 200);
	ASSERT_INT_EQ(c->record_mode, 0600);
	ASSERT_INT_EQ(c->enrich, 1);
	ASSERT_INT_EQ(c->allow_private_addresses, 1);
	ASSERT_INT_EQ(c->stories.window, 2 * 86400);
	ASSERT(c->stories.threshold == 0.35);
	ASSERT_INT_EQ(c->stories.max_related, 5);
	ASSERT_INT_EQ(c->stories.primary, CONFIG_PRIMARY_QUALITY);
	ASSERT_INT_EQ(c->images.cache, 1);
	ASSERT_INT_EQ(c->images.max_bytes, 1048576);
	ASSERT_INT_EQ(c->nfeeds, 2);

	f = &c->feeds[0];
	ASSERT_STR_EQ(f->url, "https://news.example.com/rss");
	ASSERT_STR_EQ(f->name, "Example News");
	ASSERT_STR_EQ(f->category, "news");
	ASSERT_INT_EQ(f->ntopics, 2);	/* "world" repeats "World" */
	ASSERT_STR_EQ(f->topics[0], "World");
	ASSERT_STR_EQ(f->topics[1], "Politics");
	ASSERT_STR_EQ(f->type, "video");
	ASSERT_INT_EQ(f->interval, 600);
	ASSERT_INT_EQ(f->quality, 70);
	ASSERT_INT_EQ(f->enrich, 0);
	ASSERT_INT_EQ(f->line, 21);
	ASSERT_INT_EQ(f->col, 10);

	f = &c->feeds[1];
	ASSERT_STR_EQ(f->url, "http://other.example.org/atom.xml");
	ASSERT_NULL(f->name);
	ASSERT_NULL(f->category);
	ASSERT_NULL(f->type);
	ASSERT_INT_EQ(f->ntopics, 1);
	ASSERT_STR_EQ(f->topics[0], "Science");
	ASSERT_INT_EQ(f->interval, CONFIG_UNSET);
	ASSERT_INT_EQ(f->quality, CONFIG_UNSET);
	ASSERT_INT_EQ(f->enrich, CONFIG_UNSET);
	config_free(c);
}

static void
test_durations(void)
{
	static const struct {
		const char	*in;
		int64_t		 want;
	} good[] = {
		{ "90s", 90 }, { "15m", 900 }, { "6h", 21600 },
		{ "7d", 604800 }, { "1h30m", 5400 }, { "1d12h", 129600 },
		{ "0s", 0 }, { "2m30s", 150 }, { "90m", 5400 },
	};
	static const char *bad[] = {
		"", "90", "15 m", "m", "1.5h", "-5m", "5M", "1w", "1h 30m",
		"10minutes", "99999999999999999999s", "9223372036854775807d",
		" 5m", "5m ",
	};
	int64_t	 v;
	size_t	 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		v = -1;
		ASSERT_INT_EQ(config_parse_duration(good[i].in, &v), 0);
		ASSERT_INT_EQ(v, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (config_parse_duration(bad[i], &v) == 0)
			test_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
	}
}

static void
test_sizes(void)
{
	static const struct {
		const char	*in;
		uint64_t	 want;
	} good[] = {
		{ "512KiB", 524288 }, { "16MiB", 16777216 },
		{ "1GiB", 1073741824 }, { "1048576", 1048576 }, { "0", 0 },
		{ "100B", 100 }, { "2kB", 2000 }, { "3MB", 3000000 },
		{ "16 MiB", 16777216 },
	};
	static const char *bad[] = {
		"", "KiB", "16mib", "16 MB please", "1.5MiB", "-1", "5Mb",
		"99999999999999999999", "17179869184GiB", "16MiB ", " 16MiB",
		"16  MiB",
	};
	uint64_t v;
	size_t	 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		v = 1;
		ASSERT_INT_EQ(config_parse_size(good[i].in, &v), 0);
		ASSERT_INT_EQ(v, good[i].want);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (config_parse_size(bad[i], &v) == 0)
			test_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
	}
}

static void
test_relative_paths(void)
{
	struct config	*c = load_ok("relative.yaml");
	char		*dir = fixture_dir("config"), *up = fixture_dir(""), *p;

	p = xasprintf("%s/out/records", dir);
	ASSERT_STR_EQ(c->output_dir, p);
	free(p);
	ASSERT_STR_EQ(c->state_dir, "/var/lib/feedfold/state");
	p = xasprintf("%s/../cache", dir);
	ASSERT_STR_EQ(c->cache_dir, p);
	free(p);
	p = xasprintf("%s/metrics/feedfold.prom", dir);
	ASSERT_STR_EQ(c->metrics_file, p);
	free(p);
	p = xasprintf("%s/keys/secured.key", dir);
	ASSERT_STR_EQ(c->secured_key_file, p);
	free(p);

	ASSERT_INT_EQ(c->nfeeds, 5);
	p = xasprintf("file://%s/demo/a%%20b.xml", dir);
	ASSERT_STR_EQ(c->feeds[0].url, p);
	free(p);
	p = xasprintf("file://%s/demo/b.xml", dir);
	ASSERT_STR_EQ(c->feeds[1].url, p);
	free(p);
	ASSERT_STR_EQ(c->feeds[2].url, "file:///srv/feeds/c.xml");
	ASSERT_STR_EQ(c->feeds[3].url, "file:///srv/feeds/d.xml");
	/* "../" is resolved: the URL names the real place */
	p = xasprintf("file://%s/up.xml", up);
	ASSERT_STR_EQ(c->feeds[4].url, p);
	free(p);
	config_free(c);
	free(dir);
	free(up);
}

static void
test_opml_expansion(void)
{
	struct config	*c = load_ok("opml.yaml");
	struct config_feed *f;
	char		*dir = fixture_dir("opml"), *p;

	ASSERT_INT_EQ(c->nfeeds, 6);
	ASSERT_STR_EQ(c->feeds[0].url, "https://solo.example.com/other");
	ASSERT_INT_EQ(c->feeds[0].ntopics, 0);

	/* World > BBC News: the folder becomes a topic after the entry's */
	f = &c->feeds[1];
	ASSERT_STR_EQ(f->url, "https://feeds.bbci.co.uk/news/rss.xml");
	ASSERT_STR_EQ(f->name, "BBC News");
	ASSERT_STR_EQ(f->category, "news");
	ASSERT_INT_EQ(f->quality, 30);
	ASSERT_INT_EQ(f->interval, CONFIG_UNSET);
	ASSERT_INT_EQ(f->ntopics, 2);
	ASSERT_STR_EQ(f->topics[0], "Imported");
	ASSERT_STR_EQ(f->topics[1], "World");
	p = xasprintf("%s/nested.opml", dir);
	ASSERT(strstr(f->file, "nested.opml") != NULL);
	free(p);
	ASSERT_INT_EQ(f->line, 8);	/* where its start tag ends */

	/* World > Europe > Guardian, with category="/News/Europe,politics" */
	f = &c->feeds[2];
	ASSERT_STR_EQ(f->url, "https://www.theguardian.com/world/europe-news/rss");
	ASSERT_STR_EQ(f->name, "The Guardian");
	ASSERT_INT_EQ(f->ntopics, 4);
	ASSERT_STR_EQ(f->topics[0], "Imported");
	ASSERT_STR_EQ(f->topics[1], "World");
	ASSERT_STR_EQ(f->topics[2], "Europe");
	ASSERT_STR_EQ(f->topics[3], "politics");

	/* lower-case xmlurl attribute, value with spaces around it */
	f = &c->feeds[3];
	ASSERT_STR_EQ(f->url, "https://feeds.arstechnica.com/arstechnica/index");
	ASSERT_STR_EQ(f->topics[1], "Tech");

	/* a relative file feed in an OPML is relative to the OPML file */
	p = xasprintf("file://%s/local/feed.xml", dir);
	ASSERT_STR_EQ(c->feeds[4].url, p);
	free(p);

	/* outside any folder: only the entry's topics */
	f = &c->feeds[5];
	ASSERT_STR_EQ(f->url, "https://solo.example.com/feed?utm_medium=opml");
	ASSERT_INT_EQ(f->ntopics, 1);
	config_free(c);
	free(dir);
}

/* ---- one test per error class ---------------------------------------- */

static void
test_error_unknown_key(void)
{
	ASSERT_ERRORS("unknown_key.yaml",
	    "unknown_key.yaml:2:1: unknown key 'concurency' (did you mean "
	    "'concurrency'?)\n"
	    "unknown_key.yaml:4:3: unknown key 'stories.windw' (did you mean "
	    "'stories.window'?)\n");
}

static void
test_error_wrong_type(void)
{
	ASSERT_ERRORS("wrong_type.yaml",
	    "wrong_type.yaml:1:14: concurrency: expected a whole number, "
	    "got a list\n"
	    "wrong_type.yaml:2:10: stories: expected a mapping, got 'yes'\n"
	    "wrong_type.yaml:3:9: enrich: expected true or false, got "
	    "'maybe'\n"
	    "wrong_type.yaml:4:8: feeds: expected a list of feeds, got "
	    "'https://example.com/feed.xml'\n");
}

static void
test_error_bad_duration(void)
{
	ASSERT_ERRORS("bad_duration.yaml",
	    "bad_duration.yaml:1:11: interval: expected a duration like 90s, "
	    "15m, 6h, 7d or 1h30m, got '10 minutes'\n"
	    "bad_duration.yaml:2:10: timeout: expected a duration like 90s, "
	    "15m, 6h, 7d or 1h30m, got '30'\n"
	    "bad_duration.yaml:4:11: stories.window: expected a duration like "
	    "90s, 15m, 6h, 7d or 1h30m, got '3x'\n");
}

static void
test_error_bad_size(void)
{
	ASSERT_ERRORS("bad_size.yaml",
	    "bad_size.yaml:1:11: max_body: expected a size like 512KiB, 16MiB "
	    "or a number of bytes, got '16 MB please'\n"
	    "bad_size.yaml:3:14: images.max_bytes: expected a size like "
	    "512KiB, 16MiB or a number of bytes, got '5Mb'\n");
}

static void
test_error_out_of_range(void)
{
	ASSERT_ERRORS("out_of_range.yaml",
	    "out_of_range.yaml:1:14: concurrency: 0 is out of range "
	    "(expected 1 to 1024)\n"
	    "out_of_range.yaml:2:11: per_host: 65 is out of range "
	    "(expected 1 to 64)\n"
	    "out_of_range.yaml:3:17: excerpt_length: -3 is out of range "
	    "(expected 1 to 100000)\n"
	    "out_of_range.yaml:4:10: timeout: 2h is out of range "
	    "(expected 1s to 1h)\n"
	    "out_of_range.yaml:5:14: record_mode: 1777 is out of range "
	    "(expected 0600 to 0777: the owner must read and write)\n"
	    "out_of_range.yaml:7:14: stories.threshold: 1.5 is out of range "
	    "(expected 0 to 1)\n"
	    "out_of_range.yaml:10:14: feeds[0].quality: 101 is out of range "
	    "(expected 0 to 100)\n"
	    "out_of_range.yaml:11:14: max_entries: 0 is out of range "
	    "(expected 1 to 1000000)\n");
}

static void
test_error_cross_check(void)
{
	ASSERT_ERRORS("cross.yaml",
	    "cross.yaml:2:11: per_host (4) is larger than concurrency (2)\n"
	    "cross.yaml:4:15: min_interval (2h) is longer than "
	    "max_interval (1h)\n");
}

static void
test_error_duplicate_feed(void)
{
	ASSERT_ERRORS("duplicate_feed.yaml",
	    "duplicate_feed.yaml:3:10: feeds[1].url: duplicate feed URL "
	    "'https://example.com/feed.xml' (first at line 2)\n");
}

static void
test_error_duplicate_feed_from_opml(void)
{
	ASSERT_ERRORS("opml_duplicate.yaml",
	    "opml_duplicate.yaml:3:11: feeds[1].opml: ../opml/nested.opml:18: "
	    "duplicate feed URL 'https://solo.example.com/feed' "
	    "(first at line 2)\n");
}

static void
test_error_missing_url(void)
{
	ASSERT_ERRORS("missing_url.yaml",
	    "missing_url.yaml:3:5: feeds[1]: missing key 'url' (or 'opml')\n");
}

static void
test_error_bad_scheme(void)
{
	ASSERT_ERRORS("bad_scheme.yaml",
	    "bad_scheme.yaml:2:10: feeds[0].url: scheme 'ftp' is not "
	    "supported (expected http, https or file)\n"
	    "bad_scheme.yaml:3:10: feeds[1].url: scheme 'gopher' is not "
	    "supported (expected http, https or file)\n"
	    "bad_scheme.yaml:4:10: feeds[2].url: expected an http, https or "
	    "file URL, got 'example.com/feed.xml'\n");
}

static void
test_error_unreadable_opml(void)
{
	ASSERT_ERRORS("unreadable_opml.yaml",
	    "unreadable_opml.yaml:2:11: feeds[0].opml: cannot read OPML file "
	    "'no-such-file.opml': No such file or directory\n"
	    "unreadable_opml.yaml:3:11: feeds[1].opml: cannot read OPML file "
	    "'../opml/not_opml.xml': not an OPML document (the root element "
	    "is not <opml>)\n");
}

static void
test_error_yaml_syntax(void)
{
	ASSERT_ERRORS("yaml_syntax.yaml",
	    "yaml_syntax.yaml:4:2: YAML syntax error: did not find expected "
	    "key (while parsing a block mapping at line 1)\n");
}

static void
test_error_alias(void)
{
	ASSERT_ERRORS("alias.yaml",
	    "alias.yaml:1:1: unknown key 'defaults' " TOP_KEYS "\n"
	    "alias.yaml:1:11: YAML anchors are not supported\n"
	    "alias.yaml:5:5: unknown key 'feeds[0].<<' " FEED_KEYS "\n"
	    "alias.yaml:5:9: YAML aliases (*d) are not supported\n");
}

static void
test_error_missing_file(void)
{
	struct config	*c;
	char		*got;

	got = load("no-such-config.yaml", &c, NULL);
	ASSERT_NULL(c);
	ASSERT_STR_EQ(got, "no-such-config.yaml: cannot open: No such file or "
	    "directory\n");
	free(got);
}

/* Every error of a file comes out, in file order, after bad values. */
static void
test_error_multiple(void)
{
	struct config	*c;
	char		*got;
	int		 n;

	got = load("multiple.yaml", &c, &n);
	ASSERT_NULL(c);
	ASSERT_INT_EQ(n, 7);
	ASSERT_STR_EQ(got,
	    "multiple.yaml:1:1: unknown key 'bogus' " TOP_KEYS "\n"
	    "multiple.yaml:2:11: interval: expected a duration like 90s, 15m, "
	    "6h, 7d or 1h30m, got 'soon'\n"
	    "multiple.yaml:4:10: feeds[0].url: expected an http, https or file "
	    "URL, got 'mailto:news@example.com'\n"
	    "multiple.yaml:5:5: feeds[1]: missing key 'url' (or 'opml')\n"
	    "multiple.yaml:7:15: feeds[2].interval: expected a duration like "
	    "90s, 15m, 6h, 7d or 1h30m, got '5'\n"
	    "multiple.yaml:8:10: feeds[3].url: duplicate feed URL "
	    "'https://example.com/feed.xml' (first at line 6)\n"
	    "multiple.yaml:9:11: max_body: expected a size like 512KiB, 16MiB "
	    "or a number of bytes, got 'lots'\n");
	free(got);
}

/* Written files, from a temporary folder: odd shapes and hostile input. */
static char *
load_text(const char *text, int *count)
{
	struct errors	 e;
	struct config	*c;
	char		*dir, *path;
	FILE		*f;

	dir = test_tmpdir();
	path = xasprintf("%s/c.yaml", dir);
	if ((f = fopen(path, "w")) == NULL)
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
	buf_init(&e.text, BUF_NOMAX);
	e.path = path;
	e.name = "c.yaml";
	e.count = 0;
	c = config_load(path, errors_add, &e);
	config_free(c);
	test_rmtree(dir);
	free(dir);
	free(path);
	if (count != NULL)
		*count = e.count;
	return buf_detach(&e.text);
}

static void
test_error_odd_shapes(void)
{
	char	*got;

	got = load_text("- a\n- b\n", NULL);
	ASSERT_STR_EQ(got, "c.yaml:1:1: expected a mapping of settings at the "
	    "top, got a list\n");
	free(got);
	got = load_text("a: 1\n---\nb: 2\n", NULL);
	ASSERT_STR_EQ(got, "c.yaml:2:1: only one YAML document is allowed\n");
	free(got);
	got = load_text("per_host: 1\nper_host: 2\n", NULL);
	ASSERT_STR_EQ(got, "c.yaml:2:1: per_host: duplicate key (first at "
	    "line 1)\n");
	free(got);
	got = load_text("feeds:\n  - url: https://a.example/x\n"
	    "    opml: x.opml\n  - just a string\n  - url:\n", NULL);
	ASSERT_STR_EQ(got,
	    "c.yaml:3:11: feeds[0]: url and opml cannot both be set\n"
	    "c.yaml:4:5: feeds[1]: expected a mapping with url or opml, got "
	    "'just a string'\n"
	    "c.yaml:5:9: feeds[2].url: expected a URL, got nothing\n");
	free(got);
	got = load_text("feeds:\n  - url: https://a.example/x\n"
	    "    type: podcast\n    topics: {a: b}\n    name: \"\"\n", NULL);
	ASSERT_STR_EQ(got,
	    "c.yaml:3:11: feeds[0].type: expected article, video or audio, "
	    "got 'podcast'\n"
	    "c.yaml:4:13: feeds[0].topics: expected a list of topics, got a "
	    "mapping\n"
	    "c.yaml:5:11: feeds[0].name: expected a string, got nothing\n");
	free(got);
	got = load_text("output_dir: \"\"\nmetrics_file:\nstories:\n"
	    "  primary: best\n", NULL);
	ASSERT_STR_EQ(got,
	    "c.yaml:1:13: output_dir: expected a folder path, got nothing\n"
	    "c.yaml:4:12: stories.primary: expected first or quality, got "
	    "'best'\n");
	free(got);
	got = load_text("user_agent: \"x\\r\\nX-Injected: 1\"\n", NULL);
	ASSERT_STR_EQ(got, "c.yaml:1:13: user_agent: control characters are "
	    "not allowed\n");
	free(got);
	got = load_text("a: \"\\xff\"\nb: \xff\xfe\n", NULL);
	ASSERT(strncmp(got, "c.yaml:2:4: YAML syntax error: ", 31) == 0);
	free(got);
}

/* A deep or alias-heavy file is refused without growing without bound. */
static void
test_hostile_bounded(void)
{
	struct buf	 b;
	char		*got;
	int		 i;

	/* the billion-laughs shape: refused at the first anchor and alias */
	got = load_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n", NULL);
	ASSERT(strstr(got, "c.yaml:1:4: YAML anchors are not supported\n") !=
	    NULL);
	ASSERT(strstr(got, "c.yaml:2:8: YAML aliases (*a) are not "
	    "supported\n") != NULL);
	free(got);

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "stories: ");
	for (i = 0; i < 100; i++)
		buf_addc(&b, '[');
	got = load_text(buf_str(&b), NULL);
	ASSERT_STR_EQ(got, "c.yaml:1:41: YAML nested deeper than 32\n");
	free(got);
	buf_free(&b);

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "feeds: [");
	for (i = 0; i < 250000; i++)
		buf_adds(&b, "1,");
	buf_adds(&b, "1]\n");
	got = load_text(buf_str(&b), NULL);
	ASSERT_STR_EQ(got, "c.yaml:1:400003: more than 200000 YAML nodes\n");
	free(got);
	buf_free(&b);
}

static const struct test_case cases[] = {
	TEST(test_defaults),
	TEST(test_etc_feedfold_yaml),
	TEST(test_empty_file_is_defaults),
	TEST(test_values),
	TEST(test_durations),
	TEST(test_sizes),
	TEST(test_relative_paths),
	TEST(test_opml_expansion),
	TEST(test_error_unknown_key),
	TEST(test_error_wrong_type),
	TEST(test_error_bad_duration),
	TEST(test_error_bad_size),
	TEST(test_error_out_of_range),
	TEST(test_error_cross_check),
	TEST(test_error_duplicate_feed),
	TEST(test_error_duplicate_feed_from_opml),
	TEST(test_error_missing_url),
	TEST(test_error_bad_scheme),
	TEST(test_error_unreadable_opml),
	TEST(test_error_yaml_syntax),
	TEST(test_error_alias),
	TEST(test_error_missing_file),
	TEST(test_error_multiple),
	TEST(test_error_odd_shapes),
	TEST(test_hostile_bounded),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
