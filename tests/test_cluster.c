/*
 * test_cluster.c: the same-story clusterer: joins, splits, the window,
 * restore, bounded memory, and its date parser.
 */
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "test.h"

#define HOUR	3600
#define DAY	(24 * HOUR)
/* 2024-01-15T00:00:00Z */
#define T0	1705276800

/*
 * Unrelated news, so that document frequencies tell rare words from common
 * ones as they would in a running daemon.
 */
static const char *const background[][2] = {
	{ "Central bank holds interest rates steady amid inflation worries",
	  "The central bank kept its benchmark rate unchanged on Tuesday." },
	{ "Local team wins championship after dramatic overtime",
	  "Fans celebrated downtown as the final whistle blew." },
	{ "New smartphone model unveiled with larger battery",
	  "The company showed the device at a launch event in California." },
	{ "Heavy snow closes schools across the region",
	  "Officials urged drivers to stay off the roads overnight." },
	{ "Film festival announces this year's opening movie",
	  "The drama will premiere in front of an audience of critics." },
	{ "Oil prices rise as supply concerns grow",
	  "Brent crude climbed two percent in early trading." },
	{ "City council approves budget for new library",
	  "Construction is expected to begin next spring." },
	{ "Scientists discover new species of frog in rainforest",
	  "The tiny amphibian was found during a survey expedition." },
	{ "Election campaign enters final week with televised debate",
	  "Candidates clashed over taxes, health care and immigration." },
	{ "Airline cancels flights after computer outage",
	  "Thousands of passengers were stranded at airports." },
	{ "Museum returns stolen artwork to its owners",
	  "The painting had been missing for more than forty years." },
	{ "Tech giant reports record quarterly profit",
	  "Revenue was driven by cloud services and advertising." },
};

static void
feed_background(struct cluster *c, int64_t when)
{
	size_t	 i;
	int	 is_new;

	for (i = 0; i < sizeof background / sizeof background[0]; i++)
		cluster_add(c, when + (int64_t)i, background[i][0],
		    background[i][1], &is_new);
}

static struct cluster *
new_default(void)
{
	struct cluster_params	 p;

	cluster_params_default(&p);
	return cluster_new(&p, NULL);
}

static void
test_cluster_defaults(void)
{
	struct cluster_params	 p;

	cluster_params_default(&p);
	ASSERT(p.threshold > 0 && p.threshold < 1);
	ASSERT_INT_EQ(p.window, 72 * HOUR);
	ASSERT(p.title_weight >= 1);
}

static void
test_cluster_wire_story_five_outlets(void)
{
	const char	*title = "Powerful storm knocks out power to 200,000 "
			    "homes in Pacific Northwest";
	const char	*excerpt = "A powerful windstorm swept through Oregon "
			    "and Washington on Monday, toppling trees and "
			    "leaving more than 200,000 homes without electricity.";
	struct cluster	*c = new_default();
	uint32_t	 first = 0, n;
	size_t		 i;
	int		 is_new;

	feed_background(c, T0);
	for (i = 0; i < 5; i++) {
		n = cluster_add(c, T0 + HOUR + (int64_t)i * 600, title, excerpt,
		    &is_new);
		if (i == 0) {
			ASSERT(is_new);
			first = n;
		} else {
			ASSERT(!is_new);
			ASSERT_INT_EQ(n, first);
		}
	}
	cluster_free(c);
}

static void
test_cluster_rewritten_headlines_join(void)
{
	struct cluster	*c = new_default();
	uint32_t	 a, b, d;
	int		 is_new;

	feed_background(c, T0);
	a = cluster_add(c, T0 + HOUR, "Chiquita and Fyffes merge in $1 billion "
	    "deal", "Banana companies Chiquita Brands and Fyffes agreed to "
	    "combine, creating the world's largest banana supplier.", &is_new);
	ASSERT(is_new);
	b = cluster_add(c, T0 + 2 * HOUR, "Chiquita, Fyffes merger creates "
	    "world's largest banana company", "Chiquita Brands International "
	    "will merge with Ireland's Fyffes in an all-stock deal.", &is_new);
	ASSERT(!is_new);
	ASSERT_INT_EQ(a, b);
	d = cluster_add(c, T0 + 3 * HOUR, "Volcano erupts in Iceland, villages "
	    "evacuated", "Lava from the eruption forced residents of two "
	    "fishing villages to leave their homes.", &is_new);
	ASSERT(is_new);
	ASSERT_INT_NE(d, a);
	cluster_free(c);
}

static void
test_cluster_earthquakes_week_apart(void)
{
	struct cluster	*c = new_default();
	uint32_t	 a, b;
	int		 is_new;

	feed_background(c, T0);
	a = cluster_add(c, T0 + HOUR, "Magnitude 7.1 earthquake strikes off "
	    "the coast", "A strong earthquake struck off the coast early on "
	    "Monday, the geological survey said; no tsunami warning was "
	    "issued.", &is_new);
	ASSERT(is_new);
	ASSERT(!!cluster_add(c, T0 + 2 * HOUR, "Strong earthquake strikes off "
	    "the coast, no tsunami warning", NULL, &is_new));
	ASSERT(!is_new);
	feed_background(c, T0 + 7 * DAY);
	b = cluster_add(c, T0 + 7 * DAY + HOUR, "Magnitude 6.8 earthquake "
	    "strikes off the coast", "A strong earthquake struck off the coast "
	    "on Monday, the geological survey said.", &is_new);
	ASSERT(is_new);
	ASSERT_INT_NE(a, b);
	ASSERT(!cluster_is_open(c, a));
	ASSERT(cluster_is_open(c, b));
	cluster_free(c);
}

static void
test_cluster_window_closes_story(void)
{
	struct cluster_params	 p;
	struct cluster		*c;
	struct cluster_stats	 st;
	uint32_t		 a, b;
	int			 is_new;
	const char		*t = "Parliament passes landmark climate bill";

	cluster_params_default(&p);
	p.window = DAY;
	c = cluster_new(&p, NULL);
	a = cluster_add(c, T0, t, NULL, &is_new);
	ASSERT(is_new);
	/* Inside the window the same headline joins... */
	ASSERT_INT_EQ(cluster_add(c, T0 + 20 * HOUR, t, NULL, &is_new), a);
	/* ...which keeps it open a window past its newest item. */
	ASSERT_INT_EQ(cluster_add(c, T0 + 40 * HOUR, t, NULL, &is_new), a);
	ASSERT(cluster_is_open(c, a));
	b = cluster_add(c, T0 + 40 * HOUR + DAY + 1, t, NULL, &is_new);
	ASSERT(is_new);
	ASSERT_INT_NE(a, b);
	cluster_expire(c, T0 + 40 * HOUR + DAY + 1);
	ASSERT(!cluster_is_open(c, a));
	cluster_get_stats(c, &st);
	ASSERT_INT_EQ(st.open_stories, 1);
	ASSERT_INT_EQ(st.open_items, 1);
	cluster_free(c);
}

struct closed_log {
	uint32_t	 closed[64];
	size_t		 n;
};

static void
on_closed(void *arg, uint32_t story)
{
	struct closed_log	*log = arg;

	if (log->n < 64)
		log->closed[log->n++] = story;
}

static void
test_cluster_memory_returns(void)
{
	struct cluster_params	 p;
	struct cluster_hooks	 h = { on_closed, NULL, NULL };
	struct closed_log	 log = { { 0 }, 0 };
	struct cluster_stats	 st;
	struct cluster		*c;
	char			 title[128];
	size_t			 i, peak;
	int			 is_new;

	h.arg = &log;
	cluster_params_default(&p);
	p.window = HOUR;
	c = cluster_new(&p, &h);
	/* 2000 unrelated stories in an hour, then one a day later. */
	for (i = 0; i < 2000; i++) {
		snprintf(title, sizeof title, "zq%zu xv%zu wy%zu", i, i * 7,
		    i * 13);
		cluster_add(c, T0 + (int64_t)i, title, NULL, &is_new);
		ASSERT(is_new);
	}
	cluster_get_stats(c, &st);
	ASSERT_INT_EQ(st.open_stories, 2000);
	peak = st.bytes;
	cluster_add(c, T0 + DAY, "late arrival", NULL, &is_new);
	cluster_expire(c, T0 + DAY);
	cluster_get_stats(c, &st);
	ASSERT_INT_EQ(st.open_stories, 1);
	ASSERT_INT_EQ(st.open_items, 1);
	ASSERT(st.bytes < peak);
	ASSERT_INT_EQ(log.n, 64);	/* the hook heard (at least) those */
	ASSERT_INT_EQ(st.stories, 2001);
	cluster_free(c);
}

struct merge_log {
	uint32_t	 from[16];
	uint32_t	 into[16];
	size_t		 n;
};

static void
on_merged(void *arg, uint32_t from, uint32_t into)
{
	struct merge_log	*log = arg;

	if (log->n < 16) {
		log->from[log->n] = from;
		log->into[log->n++] = into;
	}
}

/* Noise words that make each headline of a story a little different. */
static const char *const noise[] = {
	"monday", "tuesday", "update", "live", "report", "pictures", "video",
	"latest", "morning", "evening", "officials", "experts", "warning",
	"analysis", "watch", "explained",
};

/*
 * A big story, then a stray headline of it that shares too little with
 * its centroid to join, then more of the big story, whose later headlines
 * take up the stray's words. Returns the fragment's number; the big
 * story's in *bigp. The stream ends at T0 + 40 min.
 */
static uint32_t
grow_story_and_fragment(struct cluster *c, const char *fragment,
    const char *const *later, size_t nlater, uint32_t *bigp)
{
	char		 title[256];
	uint32_t	 big = 0, frag, n;
	size_t		 i;
	int		 is_new;

	feed_background(c, T0);
	for (i = 0; i < 12; i++) {
		snprintf(title, sizeof title, "Volcano erupts near Grindavik "
		    "in Iceland %s %s", noise[i % 16], noise[(i * 5 + 3) % 16]);
		n = cluster_add(c, T0 + 600 + (int64_t)i * 60, title, NULL,
		    &is_new);
		if (i == 0)
			big = n;
		ASSERT_INT_EQ(n, big);
	}
	frag = cluster_add(c, T0 + 1400, fragment, NULL, &is_new);
	ASSERT(is_new);
	for (i = 0; i < 24; i++) {
		snprintf(title, sizeof title, "Volcano in Iceland erupts near "
		    "Grindavik: %s %s", later[i % nlater], noise[i % 16]);
		n = cluster_add(c, T0 + 1500 + (int64_t)i * 30, title, NULL,
		    &is_new);
		ASSERT_INT_EQ(n, big);
	}
	*bigp = big;
	return frag;
}

static const char *const lava_words[] = {
	"lava flows", "residents", "magma", "fissure", "quake", "crater",
};

/*
 * A fragment is checked again once params.recheck of stream time has
 * passed, with the big story's size bonus: the stray headline is folded
 * into the story it belongs to. Without fragments (fragment = 0) it stays
 * apart: a plain merge needs params.merge on the bare cosine.
 */
static void
test_cluster_fragment_rechecked(void)
{
	struct cluster_params	 p;
	struct merge_log	 log = { { 0 }, { 0 }, 0 };
	struct cluster_hooks	 h = { NULL, on_merged, NULL };
	struct cluster		*c;
	uint32_t		 big, frag;
	int			 is_new, pass;

	h.arg = &log;
	for (pass = 0; pass < 2; pass++) {
		cluster_params_default(&p);
		ASSERT(p.fragment > 0 && p.recheck > 0);
		if (pass == 1)
			p.fragment = 0;
		log.n = 0;
		c = cluster_new(&p, &h);
		frag = grow_story_and_fragment(c, "Residents flee homes as "
		    "lava nears Grindavik", lava_words, 6, &big);
		ASSERT_INT_NE(frag, big);
		ASSERT_INT_EQ(log.n, 0);
		ASSERT(cluster_is_open(c, frag));
		/* An unrelated item an hour later makes the recheck due. */
		cluster_add(c, T0 + 2 * HOUR, "Chess prodigy wins world title",
		    NULL, &is_new);
		ASSERT(is_new);
		if (pass == 0) {
			ASSERT_INT_EQ(log.n, 1);
			ASSERT_INT_EQ(log.from[0], frag);
			ASSERT_INT_EQ(log.into[0], big);
			ASSERT(!cluster_is_open(c, frag));
			ASSERT(cluster_is_open(c, big));
		} else {
			ASSERT_INT_EQ(log.n, 0);
			ASSERT(cluster_is_open(c, frag));
		}
		cluster_free(c);
	}
}

/*
 * No recheck before the fragment has gone params.recheck of stream time
 * without growing, and none at all with recheck = 0.
 */
static void
test_cluster_recheck_period(void)
{
	struct cluster_params	 p;
	struct merge_log	 log = { { 0 }, { 0 }, 0 };
	struct cluster_hooks	 h = { NULL, on_merged, NULL };
	struct cluster		*c;
	uint32_t		 big, frag;
	int			 is_new;

	h.arg = &log;
	cluster_params_default(&p);
	p.recheck = 3 * HOUR;
	c = cluster_new(&p, &h);
	frag = grow_story_and_fragment(c, "Residents flee homes as lava nears "
	    "Grindavik", lava_words, 6, &big);
	cluster_add(c, T0 + 2 * HOUR, "Chess prodigy wins world title", NULL,
	    &is_new);
	ASSERT_INT_EQ(log.n, 0);
	ASSERT(cluster_is_open(c, frag));
	/* Checks are due now, but the fragment grew under 3 hours ago. */
	cluster_add(c, T0 + 3 * HOUR, "Marathon record falls in Berlin", NULL,
	    &is_new);
	ASSERT_INT_EQ(log.n, 0);
	ASSERT(cluster_is_open(c, frag));
	cluster_add(c, T0 + 6 * HOUR, "Comet visible to the naked eye", NULL,
	    &is_new);
	ASSERT_INT_EQ(log.n, 1);
	ASSERT_INT_EQ(log.from[0], frag);
	cluster_free(c);

	log.n = 0;
	p.recheck = 0;
	c = cluster_new(&p, &h);
	frag = grow_story_and_fragment(c, "Residents flee homes as lava nears "
	    "Grindavik", lava_words, 6, &big);
	cluster_add(c, T0 + 5 * HOUR, "Chess prodigy wins world title", NULL,
	    &is_new);
	ASSERT_INT_EQ(log.n, 0);
	ASSERT(cluster_is_open(c, frag));
	cluster_free(c);
}

static const char *const magma_words[] = { "magma" };

/*
 * A fragment whose likeness to a big story rests on one shared word gets
 * no size bonus, however heavy that word is in the story: "Magma football
 * club" shares only "magma" with the eruption. (Without the rule the
 * recheck folds it in: the bare cosine plus the bonus reach params.merge.)
 */
static void
test_cluster_fragment_one_word(void)
{
	struct cluster_params	 p;
	struct merge_log	 log = { { 0 }, { 0 }, 0 };
	struct cluster_hooks	 h = { NULL, on_merged, NULL };
	struct cluster		*c;
	uint32_t		 big, frag;
	int			 is_new;

	h.arg = &log;
	cluster_params_default(&p);
	c = cluster_new(&p, &h);
	frag = grow_story_and_fragment(c, "Magma football club", magma_words,
	    1, &big);
	ASSERT_INT_NE(frag, big);
	cluster_add(c, T0 + 2 * HOUR, "Chess prodigy wins world title", NULL,
	    &is_new);
	cluster_add(c, T0 + 4 * HOUR, "Marathon record falls in Berlin", NULL,
	    &is_new);
	ASSERT_INT_EQ(log.n, 0);
	ASSERT(cluster_is_open(c, frag));
	cluster_free(c);
}

static void
test_cluster_restore_then_join(void)
{
	struct cluster	*c = new_default();
	uint32_t	 n;
	int		 is_new;

	feed_background(c, T0);
	cluster_restore(c, 41, T0 + HOUR, "Wildfire forces evacuation of "
	    "mountain town", "Residents fled as flames approached.");
	ASSERT(cluster_is_open(c, 41));
	n = cluster_add(c, T0 + 2 * HOUR, "Mountain town evacuated as "
	    "wildfire spreads", NULL, &is_new);
	ASSERT(!is_new);
	ASSERT_INT_EQ(n, 41);
	/* New numbers continue past restored ones. */
	n = cluster_add(c, T0 + 3 * HOUR, "Chess prodigy wins world title",
	    NULL, &is_new);
	ASSERT(is_new);
	ASSERT(n > 41);
	cluster_free(c);
}

static void
test_cluster_empty_text(void)
{
	struct cluster	*c = new_default();
	uint32_t	 a, b;
	int		 is_new;

	a = cluster_add(c, T0, NULL, NULL, &is_new);
	ASSERT(is_new);
	b = cluster_add(c, T0, "", "", &is_new);
	ASSERT(is_new);
	ASSERT_INT_NE(a, b);
	cluster_free(c);
}

static void
test_cluster_deterministic(void)
{
	struct cluster	*c1 = new_default(), *c2 = new_default();
	size_t		 i;
	int		 n1, n2;

	for (i = 0; i < sizeof background / sizeof background[0]; i++) {
		ASSERT_INT_EQ(cluster_add(c1, T0, background[i][0],
		    background[i][1], &n1), cluster_add(c2, T0,
		    background[i][0], background[i][1], &n2));
		ASSERT_INT_EQ(n1, n2);
	}
	cluster_free(c1);
	cluster_free(c2);
}

static void
test_cluster_parse_time(void)
{
	int64_t	 t;

	ASSERT_INT_EQ(cluster_parse_time("2024-01-19T13:42:00Z", 20, &t), 0);
	ASSERT_INT_EQ(t, 1705671720);
	ASSERT_INT_EQ(cluster_parse_time("1970-01-01T00:00:00Z", 20, &t), 0);
	ASSERT_INT_EQ(t, 0);
	ASSERT_INT_EQ(cluster_parse_time("2024-02-29T23:59:59Z", 20, &t), 0);
	ASSERT_INT_EQ(cluster_parse_time("2023-02-29T00:00:00Z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-13-01T00:00:00Z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-04-31T00:00:00Z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-04-01T24:00:00Z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-04-01 00:00:00Z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-04-01T00:00:00z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-04-01T00:00:00", 19, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("2023-04-01T00:0a:00Z", 20, &t), -1);
	ASSERT_INT_EQ(cluster_parse_time("+023-04-01T00:00:00Z", 20, &t), -1);
}

static const struct test_case cases[] = {
	TEST(test_cluster_defaults),
	TEST(test_cluster_wire_story_five_outlets),
	TEST(test_cluster_rewritten_headlines_join),
	TEST(test_cluster_earthquakes_week_apart),
	TEST(test_cluster_window_closes_story),
	TEST(test_cluster_memory_returns),
	TEST(test_cluster_fragment_rechecked),
	TEST(test_cluster_recheck_period),
	TEST(test_cluster_fragment_one_word),
	TEST(test_cluster_restore_then_join),
	TEST(test_cluster_empty_text),
	TEST(test_cluster_deterministic),
	TEST(test_cluster_parse_time),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
