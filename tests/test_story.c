/*
 * test_story.c: the story store: exact duplicates, same-story membership,
 * the window, records (primary, related order and cap), bounded memory,
 * and restart from records with and without a snapshot.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "record_write.h"
#include "story.h"
#include "test.h"
#include "url.h"
#include "xmalloc.h"

#define HOUR	3600
#define DAY	(24 * HOUR)
#define T0	1705276800	/* 2024-01-15T00:00:00Z */

static struct entry *
mk(const char *url, const char *feed, const char *guid, const char *title,
    const char *excerpt, int64_t published, int quality)
{
	struct entry	*e = entry_new();

	entry_set(&e->web_url, url);
	entry_set(&e->original_url, url);
	entry_set(&e->feed_url, feed);
	entry_set(&e->guid, guid);
	entry_set(&e->title, title);
	entry_set(&e->excerpt, excerpt);
	entry_set(&e->type, "article");
	entry_set(&e->provider_name, "Example");
	entry_set(&e->provider_domain, "example.com");
	e->published = published;
	e->quality = quality;
	return e;
}

/* Add and free; returns the change, with the result in *res. */
static enum story_change
add(struct story_store *st, struct entry *e, struct story_result *res)
{
	ASSERT_INT_EQ(story_add(st, e, res), 0);
	entry_free(e);
	return res->change;
}

static const char *const bg[] = {
	"Central bank holds interest rates steady amid inflation worries",
	"Local team wins championship after dramatic overtime",
	"New smartphone model unveiled with larger battery",
	"Heavy snow closes schools across the region",
	"Film festival announces this year's opening movie",
	"Oil prices rise as supply concerns grow",
	"City council approves budget for new library",
	"Scientists discover new species of frog in rainforest",
};

static void
background(struct story_store *st, int64_t when)
{
	struct story_result	 res;
	char			 url[64];
	size_t			 i;

	for (i = 0; i < sizeof bg / sizeof bg[0]; i++) {
		snprintf(url, sizeof url, "https://bg.example/%lld/%zu",
		    (long long)when, i);
		add(st, mk(url, NULL, NULL, bg[i], NULL, when, 10), &res);
	}
}

static void
test_story_defaults(void)
{
	struct config_stories	 cfg;

	story_defaults(&cfg);
	ASSERT_INT_EQ(cfg.window, 72 * HOUR);
	ASSERT_INT_EQ(cfg.max_related, 15);
	ASSERT_INT_EQ(cfg.primary, CONFIG_PRIMARY_FIRST);
	ASSERT(cfg.threshold > 0 && cfg.threshold < 1);
}

static void
test_story_tracking_variants_one_entry(void)
{
	static const char *const variants[] = {
		"https://news.example.com/a/quake?id=7&utm_source=twitter",
		"https://NEWS.example.com:443/a/quake?id=7&fbclid=abc#top",
		"https://news.example.com/a/quake?utm_medium=rss&id=7&gclid=x",
	};
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	char			 first[17], *canon;
	size_t			 i;

	for (i = 0; i < 3; i++) {
		/* The normalizer hands the store canonical webUrls. */
		canon = url_canonical(variants[i]);
		if (canon == NULL)
			canon = strdup("https://news.example.com/a/quake?id=7");
		ASSERT_STR_EQ(canon, "https://news.example.com/a/quake?id=7");
		add(st, mk(canon, "https://news.example.com/feed", NULL,
		    "Quake shakes the capital", NULL, T0, 50), &res);
		free(canon);
		if (i == 0) {
			ASSERT_INT_EQ(res.change, STORY_NEW);
			ASSERT_INT_EQ(res.duplicate, 0);
			memcpy(first, res.id, sizeof first);
		} else {
			ASSERT_INT_EQ(res.change, STORY_UNCHANGED);
			ASSERT_INT_EQ(res.duplicate, 1);
			ASSERT_STR_EQ(res.id, first);
		}
	}
	ASSERT_INT_EQ(story_members(st, first), 1);
	story_store_free(st);
}

static void
test_story_guid_within_feed(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	char			 id[17];
	struct record		*r;

	add(st, mk("https://a.example/1", "https://a.example/feed", "g-1",
	    "Mayor resigns over budget scandal", NULL, T0, 40), &res);
	memcpy(id, res.id, sizeof id);
	/* Same feed, same GUID, new URL and title: an update, not a member. */
	add(st, mk("https://a.example/1-updated", "https://a.example/feed",
	    "g-1", "Mayor resigns over budget scandal, deputy steps in", NULL,
	    T0 + HOUR, 40), &res);
	ASSERT_INT_EQ(res.change, STORY_UPDATED);
	ASSERT_INT_EQ(res.duplicate, 1);
	ASSERT_STR_EQ(res.id, id);
	ASSERT_INT_EQ(story_members(st, id), 1);
	r = story_record(st, id);
	ASSERT_NOT_NULL(r);
	ASSERT_STR_EQ(r->primary->title,
	    "Mayor resigns over budget scandal, deputy steps in");
	record_free(r);
	/* The same GUID in another feed is another entry. */
	add(st, mk("https://b.example/x", "https://b.example/feed", "g-1",
	    "Mayor resigns over budget scandal", NULL, T0 + 2 * HOUR, 40),
	    &res);
	ASSERT_INT_EQ(res.duplicate, 0);
	story_store_free(st);
}

static void
test_story_repeat_unchanged(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;

	add(st, mk("https://a.example/2", NULL, NULL, "Bridge reopens", "Cars "
	    "cross again.", T0, 40), &res);
	ASSERT_INT_EQ(res.change, STORY_NEW);
	add(st, mk("https://a.example/2", NULL, NULL, "Bridge reopens", "Cars "
	    "cross again.", T0, 40), &res);
	ASSERT_INT_EQ(res.change, STORY_UNCHANGED);
	add(st, mk("https://a.example/2", NULL, NULL, "Bridge reopens", "Cars "
	    "cross again.", T0, 41), &res);
	ASSERT_INT_EQ(res.change, STORY_UPDATED);
	story_store_free(st);
}

static const char wire_title[] = "Powerful storm knocks out power to 200,000 "
    "homes in Pacific Northwest";
static const char wire_excerpt[] = "A powerful windstorm swept through "
    "Oregon and Washington on Monday, toppling trees and leaving more than "
    "200,000 homes without electricity, utilities said.";

static void
test_story_wire_five_outlets(void)
{
	static const char *const outlets[] = {
		"https://apnews.com/article/storm-1",
		"https://abcnews.go.com/US/wireStory/storm-2",
		"https://wtop.com/national/storm-3",
		"https://www.sfgate.com/news/storm-4",
		"https://www.startribune.com/storm-5",
	};
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	struct record		*r;
	char			 id[17];
	size_t			 i;

	background(st, T0);
	for (i = 0; i < 5; i++) {
		add(st, mk(outlets[i], NULL, NULL, wire_title, wire_excerpt,
		    T0 + HOUR + (int64_t)i * 300, 50), &res);
		ASSERT_INT_EQ(res.change, i == 0 ? STORY_NEW : STORY_UPDATED);
		if (i == 0)
			memcpy(id, res.id, sizeof id);
		ASSERT_STR_EQ(res.id, id);
	}
	ASSERT_INT_EQ(story_members(st, id), 5);
	r = story_record(st, id);
	ASSERT_NOT_NULL(r);
	ASSERT_STR_EQ(r->primary->web_url, outlets[0]);
	ASSERT_INT_EQ(r->nrelated, 4);
	record_free(r);
	story_store_free(st);
}

static void
test_story_earthquakes_week_apart(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	char			 a[17];

	background(st, T0);
	add(st, mk("https://q.example/1", NULL, NULL, "Magnitude 7.1 earthquake "
	    "strikes off the coast", "A strong earthquake struck off the coast "
	    "early on Monday, the geological survey said.", T0 + HOUR, 50),
	    &res);
	ASSERT_INT_EQ(res.change, STORY_NEW);
	memcpy(a, res.id, sizeof a);
	background(st, T0 + 7 * DAY);
	add(st, mk("https://q.example/2", NULL, NULL, "Magnitude 6.8 earthquake "
	    "strikes off the coast", "A strong earthquake struck off the coast "
	    "on Monday, the geological survey said.", T0 + 7 * DAY + HOUR, 50),
	    &res);
	ASSERT_INT_EQ(res.change, STORY_NEW);
	ASSERT_STR_NE(res.id, a);
	ASSERT(!story_is_open(st, a));
	ASSERT(story_is_open(st, res.id));
	story_store_free(st);
}

static void
test_story_window_closes(void)
{
	struct config_stories	 cfg;
	struct story_store	*st;
	struct story_result	 res;
	struct story_stats	 ss;
	char			 a[17];

	story_defaults(&cfg);
	cfg.window = DAY;
	st = story_store_new(&cfg);
	add(st, mk("https://w.example/1", NULL, NULL, "Parliament passes "
	    "landmark climate bill", NULL, T0, 50), &res);
	memcpy(a, res.id, sizeof a);
	add(st, mk("https://w.example/2", NULL, NULL, "Parliament passes "
	    "landmark climate bill", NULL, T0 + 2 * DAY, 50), &res);
	ASSERT_INT_EQ(res.change, STORY_NEW);
	ASSERT_STR_NE(res.id, a);
	story_expire(st, T0 + 2 * DAY);
	ASSERT(!story_is_open(st, a));
	ASSERT_NULL(story_record(st, a));
	story_get_stats(st, &ss);
	ASSERT_INT_EQ(ss.stories, 1);
	ASSERT_INT_EQ(ss.entries, 1);
	/* The closed story's URL is forgotten with it. */
	add(st, mk("https://w.example/1", NULL, NULL, "Parliament passes "
	    "landmark climate bill", NULL, T0 + 2 * DAY + 1, 50), &res);
	ASSERT_INT_EQ(res.duplicate, 0);
	story_store_free(st);
}

/* n outlets of the wire story, quality rising with i. */
static void
add_outlets(struct story_store *st, size_t n, char id[17])
{
	struct story_result	 res;
	char			 url[64], guid[24];
	size_t			 i;

	for (i = 0; i < n; i++) {
		snprintf(url, sizeof url, "https://outlet%zu.example/storm", i);
		snprintf(guid, sizeof guid, "g%zu", i);
		add(st, mk(url, "https://feed.example/rss", guid, wire_title,
		    wire_excerpt, T0 + HOUR + (int64_t)i * 60, (int)(i % 7) * 10),
		    &res);
		if (i == 0)
			memcpy(id, res.id, 17);
		ASSERT_STR_EQ(res.id, id);
	}
}

static void
test_story_related_cap_and_order(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	struct record		*r;
	char			 id[17];
	size_t			 i;

	background(st, T0);
	add_outlets(st, 30, id);
	ASSERT_INT_EQ(story_members(st, id), 30);
	r = story_record(st, id);
	ASSERT_NOT_NULL(r);
	ASSERT_INT_EQ(r->nrelated, 15);
	ASSERT_STR_EQ(r->primary->web_url, "https://outlet0.example/storm");
	for (i = 1; i < r->nrelated; i++) {
		const struct entry	*p = r->related[i - 1], *q = r->related[i];

		ASSERT(p->quality > q->quality || (p->quality == q->quality &&
		    p->published >= q->published));
	}
	ASSERT_INT_EQ(r->related[0]->quality, 60);
	record_free(r);
	/* A member the cap left out of the record is still remembered. */
	add(st, mk("https://outlet7.example/storm", "https://feed.example/rss",
	    "g7", wire_title, wire_excerpt, T0 + HOUR + 7 * 60, 0), &res);
	ASSERT_INT_EQ(res.duplicate, 1);
	ASSERT_INT_EQ(story_members(st, id), 30);
	story_store_free(st);
}

static void
test_story_primary_quality(void)
{
	struct config_stories	 cfg;
	struct story_store	*st;
	struct record		*r;
	char			 id[17];

	story_defaults(&cfg);
	cfg.primary = CONFIG_PRIMARY_QUALITY;
	st = story_store_new(&cfg);
	background(st, T0);
	add_outlets(st, 8, id);
	r = story_record(st, id);
	ASSERT_NOT_NULL(r);
	ASSERT_INT_EQ(r->primary->quality, 60);
	ASSERT_STR_EQ(r->primary->web_url, "https://outlet6.example/storm");
	ASSERT_INT_EQ(r->nrelated, 7);
	record_free(r);
	story_store_free(st);
}

static void
test_story_invalid_entry(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	struct entry		*e = entry_new();

	ASSERT_INT_EQ(story_add(st, e, &res), -EINVAL);
	entry_free(e);
	story_store_free(st);
}

static void
test_story_bytes_per_entry(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct story_result	 res;
	struct story_stats	 ss;
	struct entry		*e;
	char			 url[160], title[160], excerpt[320];
	size_t			 i, per, n = 20000;

	/*
	 * Seed-sized entries (80-character titles, 300-character excerpts,
	 * 100-character URLs, an image, two topics) in stories of four, all
	 * inside the window: what a busy daemon holds.
	 */
	for (i = 0; i < n; i++) {
		snprintf(url, sizeof url, "https://www.example-news-site.com/"
		    "news/world/2024/01/15/some-long-slug-about-story-%zu-%s",
		    i, "abcdefghijklmnopqrstuvwxyz0123456789");
		snprintf(title, sizeof title, "Officials in town%zu announce "
		    "plan k%zu for district%zu as residents y%zu wait", i / 4,
		    i / 4, i / 4, i / 4);
		snprintf(excerpt, sizeof excerpt, "About town%zu and district%zu "
		    "q%zu: %s", i / 4, i / 4, i / 4, "the council met on Monday "
		    "evening and voted, after a long debate about the roads, the "
		    "schools, the water supply and the new bus lines, to adopt a "
		    "budget that the mayor said would serve the town for years; "
		    "opponents promised to keep up their campaign.");
		excerpt[300] = '\0';
		e = mk(url, "https://www.example-news-site.com/rss/world.xml",
		    url, title, excerpt, T0 + (int64_t)i, 50);
		url[strlen(url) - 4] = '\0';
		entry_add_image(e, url, 1600, 900);
		entry_add_topic(e, "World");
		entry_add_topic(e, "Politics");
		add(st, e, &res);
	}
	story_get_stats(st, &ss);
	ASSERT_INT_EQ(ss.entries, n);
	per = ss.bytes / ss.entries;
	printf("# %zu entries in %zu stories: %zu bytes each, of which the "
	    "clusterer %zu\n", ss.entries, ss.stories, per,
	    ss.cluster_bytes / ss.entries);
	ASSERT(ss.stories < n / 2);
	ASSERT(per <= 2048);
	story_store_free(st);
}

/* Write every open story's record (as the daemon does) into dir. */
static void
write_records(struct story_store *st, const char *dir, char ids[][17],
    size_t n)
{
	struct record	*r;
	struct errbuf	 err;
	size_t		 i;

	for (i = 0; i < n; i++) {
		r = story_record(st, ids[i]);
		ASSERT_NOT_NULL(r);
		if (record_write_file(dir, ids[i], r, NULL, &err) != 0)
			test_fail(__FILE__, __LINE__, "write: %s", err.msg);
		record_free(r);
	}
}

static size_t
count_files(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	size_t		 n = 0;

	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
restart(int with_snapshot)
{
	struct config_stories	 cfg;
	struct story_store	*st, *st2;
	struct story_result	 res;
	struct errbuf		 err;
	char			*dir, *recs, *snap, ids[2][17];
	char			 url[64], guid[24];
	size_t			 i;
	long			 members;

	story_defaults(&cfg);
	cfg.max_related = 3;
	dir = test_tmpdir();
	recs = dir;
	snap = NULL;
	if (with_snapshot)
		snap = xasprintf("%s/stories.snapshot", dir);
	st = story_store_new(&cfg);
	background(st, T0);
	add_outlets(st, 8, ids[0]);
	add(st, mk("https://v.example/1", NULL, NULL, "Volcano erupts in "
	    "Iceland, villages evacuated", "Lava forced residents of two "
	    "fishing villages to leave their homes.", T0 + 2 * HOUR, 50), &res);
	memcpy(ids[1], res.id, 17);
	members = story_members(st, ids[0]);
	ASSERT_INT_EQ(members, 8);
	write_records(st, recs, ids, 2);
	if (snap != NULL)
		ASSERT_INT_EQ(story_snapshot_save(st, snap, T0 + 3 * HOUR, &err),
		    0);
	/* The daemon reads the saved time back before restoring. */
	if (snap != NULL)
		ASSERT(story_snapshot_time(snap) == T0 + 3 * HOUR);
	else
		ASSERT(story_snapshot_time("/nonexistent/snapshot") == -1);
	story_store_free(st);
	ASSERT_INT_EQ(count_files(recs), with_snapshot ? 3 : 2);

	/* The restarted daemon. */
	st2 = story_store_new(&cfg);
	ASSERT_INT_EQ(story_restore(st2, recs, snap, T0 + 3 * HOUR, &err), 2);
	ASSERT(story_is_open(st2, ids[0]));
	ASSERT(story_is_open(st2, ids[1]));
	/* Every member the record carries is known again... */
	for (i = 0; i < 8; i++) {
		snprintf(url, sizeof url, "https://outlet%zu.example/storm", i);
		snprintf(guid, sizeof guid, "g%zu", i);
		add(st2, mk(url, "https://feed.example/rss", guid, wire_title,
		    wire_excerpt, T0 + HOUR + (int64_t)i * 60, (int)(i % 7) * 10),
		    &res);
		ASSERT_STR_EQ(res.id, ids[0]);
		/* ...and with the snapshot, those the cap left out too. */
		if (with_snapshot)
			ASSERT_INT_EQ(res.duplicate, 1);
	}
	if (with_snapshot)
		ASSERT_INT_EQ(story_members(st2, ids[0]), 8);
	else
		ASSERT(story_members(st2, ids[0]) >= 4);
	/* A new outlet joins the known story: no second file. */
	add(st2, mk("https://late.example/storm", NULL, NULL, wire_title,
	    wire_excerpt, T0 + 3 * HOUR, 30), &res);
	ASSERT_INT_EQ(res.change, STORY_UPDATED);
	ASSERT_STR_EQ(res.id, ids[0]);
	add(st2, mk("https://v.example/1", NULL, NULL, "Volcano erupts in "
	    "Iceland, villages evacuated", "Lava forced residents of two "
	    "fishing villages to leave their homes.", T0 + 2 * HOUR, 50), &res);
	ASSERT_INT_EQ(res.duplicate, 1);
	ASSERT_STR_EQ(res.id, ids[1]);
	story_store_free(st2);
	free(snap);
	test_rmtree(dir);
	free(dir);
}

static void
test_story_restart_without_snapshot(void)
{
	restart(0);
}

static void
test_story_restart_with_snapshot(void)
{
	restart(1);
}

/*
 * Regression: a restart followed by a fetch of the same entries rewrote
 * every record, because restored members lack what records do not carry
 * (content hash; a related item's originalUrl and topics) and each repeat
 * looked changed. A repeat of a restored member is news only if a key the
 * record shows changed.
 */
static void
test_story_restored_repeat_unchanged(void)
{
	struct config_stories	 cfg;
	struct story_store	*st, *st2;
	struct story_result	 res;
	struct errbuf		 err;
	struct entry		*e;
	char			*dir, ids[1][17], url[64], guid[24];
	size_t			 i;

	story_defaults(&cfg);
	dir = test_tmpdir();
	st = story_store_new(&cfg);
	add_outlets(st, 4, ids[0]);
	write_records(st, dir, ids, 1);
	story_store_free(st);

	st2 = story_store_new(&cfg);
	ASSERT_INT_EQ(story_restore(st2, dir, NULL, T0 + 2 * HOUR, &err), 1);
	for (i = 0; i < 4; i++) {
		snprintf(url, sizeof url, "https://outlet%zu.example/storm", i);
		snprintf(guid, sizeof guid, "g%zu", i);
		e = mk(url, "https://feed.example/rss", guid, wire_title,
		    wire_excerpt, T0 + HOUR + (int64_t)i * 60, (int)(i % 7) * 10);
		e->content_hash = 0x1234 + i;
		ASSERT_INT_EQ(add(st2, e, &res), STORY_UNCHANGED);
		ASSERT(res.duplicate);
		ASSERT_STR_EQ(res.id, ids[0]);
	}
	/* A visible change is still news. */
	e = mk("https://outlet1.example/storm", "https://feed.example/rss",
	    "g1", "Storm upgraded to hurricane", wire_excerpt, T0 + HOUR + 60,
	    10);
	ASSERT_INT_EQ(add(st2, e, &res), STORY_UPDATED);
	ASSERT(res.duplicate);
	story_store_free(st2);
	test_rmtree(dir);
	free(dir);
}

static void
test_story_snapshot_corrupt_stale_missing(void)
{
	struct config_stories	 cfg;
	struct story_store	*st, *st2;
	struct story_result	 res;
	struct errbuf		 err;
	char			*dir, *snap, ids[1][17], *data;
	size_t			 len;
	FILE			*f;
	int			 kind;

	story_defaults(&cfg);
	cfg.max_related = 3;
	for (kind = 0; kind < 3; kind++) {
		dir = test_tmpdir();
		snap = xasprintf("%s/stories.snapshot", dir);
		st = story_store_new(&cfg);
		background(st, T0);
		add_outlets(st, 8, ids[0]);
		write_records(st, dir, ids, 1);
		/* kind 1: saved long before the window. */
		ASSERT_INT_EQ(story_snapshot_save(st, snap, kind == 1 ?
		    T0 - 30 * DAY : T0 + 3 * HOUR, &err), 0);
		story_store_free(st);
		if (kind == 0) {
			/* Flip one byte in the middle. */
			data = test_read_file(snap, &len);
			ASSERT_NOT_NULL(data);
			data[len / 2] ^= 0x01;
			f = fopen(snap, "w");
			fwrite(data, 1, len, f);
			fclose(f);
			free(data);
		} else if (kind == 2)
			remove(snap);
		st2 = story_store_new(&cfg);
		ASSERT_INT_EQ(story_restore(st2, dir, snap, T0 + 3 * HOUR, &err),
		    1);
		/* Only what the record says is known: primary + 3 related. */
		ASSERT_INT_EQ(story_members(st2, ids[0]), 4);
		add(st2, mk("https://late.example/storm", NULL, NULL,
		    wire_title, wire_excerpt, T0 + 3 * HOUR, 30), &res);
		ASSERT_STR_EQ(res.id, ids[0]);
		story_store_free(st2);
		free(snap);
		test_rmtree(dir);
		free(dir);
	}
}

static void
test_story_restore_skips_old_and_bad_records(void)
{
	struct story_store	*st;
	struct errbuf		 err;
	char			*dir, *p;
	FILE			*f;

	dir = test_tmpdir();
	p = xasprintf("%s/0123456789abcdef.yaml", dir);
	f = fopen(p, "w");
	fputs("---\nnot: [a record\n", f);
	fclose(f);
	free(p);
	p = xasprintf("%s/notes.txt", dir);
	f = fopen(p, "w");
	fputs("hello\n", f);
	fclose(f);
	free(p);
	st = story_store_new(NULL);
	ASSERT_INT_EQ(story_restore(st, dir, NULL, T0, &err), 0);
	story_store_free(st);
	st = story_store_new(NULL);
	ASSERT(story_restore(st, "/nonexistent/feedfold", NULL, T0, &err) < 0);
	story_store_free(st);
	test_rmtree(dir);
	free(dir);
}

/*
 * Bug: restoring in time order swept a story whose first members were
 * older than the window before its newest member came back; the store then
 * freed the entries the restore was still walking (ASan: use after free).
 */
static void
test_story_restore_long_story_not_swept(void)
{
	struct config_stories	 cfg;
	struct story_store	*st;
	struct story_result	 res;
	struct errbuf		 err;
	char			*dir = test_tmpdir(), ids[2][17];
	const char		*t = "Long trial of former minister continues";

	/*
	 * Members at 0 h, 50 h and 100 h; the record keeps the first and the
	 * best (100 h), so the restore sees a 100-hour gap, with another
	 * story's item at 80 h in it.
	 */
	story_defaults(&cfg);
	cfg.max_related = 1;
	st = story_store_new(&cfg);
	add(st, mk("https://l.example/1", NULL, NULL, t, NULL, T0, 50), &res);
	memcpy(ids[0], res.id, 17);
	add(st, mk("https://l.example/2", NULL, NULL, t, NULL, T0 + 50 * HOUR,
	    10), &res);
	add(st, mk("https://o.example/1", NULL, NULL, "Chess prodigy wins "
	    "world title", NULL, T0 + 80 * HOUR, 50), &res);
	memcpy(ids[1], res.id, 17);
	add(st, mk("https://l.example/3", NULL, NULL, t, NULL, T0 + 100 * HOUR,
	    60), &res);
	ASSERT_STR_EQ(res.id, ids[0]);
	write_records(st, dir, ids, 2);
	story_store_free(st);

	st = story_store_new(&cfg);
	ASSERT_INT_EQ(story_restore(st, dir, NULL, T0 + 101 * HOUR, &err), 2);
	ASSERT(story_is_open(st, ids[0]));
	ASSERT_INT_EQ(story_members(st, ids[0]), 2);
	add(st, mk("https://l.example/1", NULL, NULL, t, NULL, T0, 50), &res);
	ASSERT_INT_EQ(res.duplicate, 1);
	ASSERT_STR_EQ(res.id, ids[0]);
	story_store_free(st);
	test_rmtree(dir);
	free(dir);
}

/* Bug: an empty record folder passed qsort a NULL array (UBSan). */
static void
test_story_restore_empty_dir_qsort_null(void)
{
	struct story_store	*st = story_store_new(NULL);
	struct errbuf		 err;
	char			*dir = test_tmpdir();

	ASSERT_INT_EQ(story_restore(st, dir, NULL, T0, &err), 0);
	story_store_free(st);
	test_rmtree(dir);
	free(dir);
}

static const struct test_case cases[] = {
	TEST(test_story_defaults),
	TEST(test_story_tracking_variants_one_entry),
	TEST(test_story_guid_within_feed),
	TEST(test_story_repeat_unchanged),
	TEST(test_story_wire_five_outlets),
	TEST(test_story_earthquakes_week_apart),
	TEST(test_story_window_closes),
	TEST(test_story_related_cap_and_order),
	TEST(test_story_primary_quality),
	TEST(test_story_invalid_entry),
	TEST(test_story_bytes_per_entry),
	TEST(test_story_restart_without_snapshot),
	TEST(test_story_restart_with_snapshot),
	TEST(test_story_restored_repeat_unchanged),
	TEST(test_story_snapshot_corrupt_stale_missing),
	TEST(test_story_restore_skips_old_and_bad_records),
	TEST(test_story_restore_empty_dir_qsort_null),
	TEST(test_story_restore_long_story_not_swept),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
