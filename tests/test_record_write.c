/*
 * test_record_write.c: emission in the seed's layout, files, consumer edits.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "record.h"
#include "record_read.h"
#include "record_write.h"
#include "seal.h"
#include "test.h"
#include "xmalloc.h"

/* The seed's related items, copied value by value from seed.yaml. */
struct seed_related {
	const char	*title;
	const char	*excerpt;
	int64_t		 published;
	const char	*web_url;
	const char	*amp_url;
	const char	*cdn_amp_url;
	const char	*provider_name;
	const char	*provider_domain;
	int		 quality;
	const char	*image_url;	/* NULL: no image */
	int		 width;
	int		 height;
};

static const struct seed_related seed_related[] = {
	{ "The Metaverse Flopped, So Mark Zuckerberg Is Pivoting to Empty AI Hype",
	    "division with its GenAI product team in order to expedite user access to AI features — which, as Zuckerberg pointed out, also requires a massive investment in graphics processing units (GPUs), the chips that provide the computing power for complex AI models.",
	    1705803900LL, "https://www.rollingstone.com/culture/culture-features/mark-zuckerberg-meta-ai-metaverse-1234950139/",
	    "https://www.rollingstone.com/culture/culture-features/mark-zuckerberg-meta-ai-metaverse-1234950139/amp/",
	    "https://www-rollingstone-com.cdn.ampproject.org/c/s/www.rollingstone.com/culture/culture-features/mark-zuckerberg-meta-ai-metaverse-1234950139/amp/",
	    "Rolling Stone", "rollingstone.com", 59,
	    "https://www.rollingstone.com/wp-content/uploads/2024/01/mark-zuckerberg-metaverse-AI.jpg?w=1600&h=900&crop=1", 1600, 900 },
	{ "Mark Zuckerberg plans to build advanced AI, worrying experts",
	    "Mark Zuckerberg wants to build advanced artificial intelligence, and some industry experts are raising concerns over his new project.  The Meta CEO shared details in a Facebook post on his account Jan.",
	    1706051880LL, "https://www.fox10phoenix.com/news/mark-zuckerberg-building-advanced-ai",
	    "https://www.fox10phoenix.com/news/mark-zuckerberg-building-advanced-ai.amp",
	    "https://www-fox10phoenix-com.cdn.ampproject.org/c/s/www.fox10phoenix.com/news/mark-zuckerberg-building-advanced-ai.amp",
	    "FOX 10 Phoenix", "fox10phoenix.com", 59,
	    "https://images.foxtv.com/static.fox10phoenix.com/www.fox10phoenix.com/content/uploads/2024/01/932/470/Mark-Zuckerberg.jpg?ve=1&tl=1", 932, 470 },
	{ "Zuckerberg reveals Meta’s AI reorganization and massive GPU purchase",
	    "Mark Zuckerberg said the company would bring the two AI teams at Meta “closer together” as it plans to expand both groups.",
	    1705631040LL, "https://interestingengineering.com/culture/zuckerberg-reveals-metas-ai-reorganization-and-massive-gpu-purchase",
	    NULL,
	    NULL,
	    "Interesting Engineering", "interestingengineering.com", 56,
	    "https://dnd2oi6izkvoi.cloudfront.net/2024/01/19/image/jpeg/9Oxalurr8RfQH1ATW1f5yrXa3zIVjzfQ36jF8ktv.jpg", 1920, 1080 },
	{ "Bored With the Metaverse, Zuckerberg Spending Billions on AI Chips",
	    "Now that he's all but abandoned the Metaverse, Mark Zuckerberg's pivot to artificial intelligence is in the spotlight.",
	    1705754220LL, "https://futurism.com/the-byte/zuckerberg-bored-metaverse-ai-chips",
	    NULL,
	    NULL,
	    "Futurism", "futurism.com", 54,
	    "https://wp-assets.futurism.com/2024/01/zuckerberg-bored-metaverse-ai-chips.jpg", 1200, 630 },
	{ "Meta’s Artificial General Intelligence: CEO Mark Zuckerberg’s New Focus",
	    "With AGI, Meta will see massive changes that would help it in various aspects of its business, including its research and the metaverse.",
	    1705636200LL, "https://www.techtimes.com/articles/300773/20240118/meta-s-artificial-general-intelligence-ceo-mark-zuckerberg-new-focus.htm",
	    "https://www.techtimes.com/amp/articles/300773/20240118/meta-s-artificial-general-intelligence-ceo-mark-zuckerberg-new-focus.htm",
	    "https://www-techtimes-com.cdn.ampproject.org/c/s/www.techtimes.com/amp/articles/300773/20240118/meta-s-artificial-general-intelligence-ceo-mark-zuckerberg-new-focus.htm",
	    "techtimes", "techtimes.com", 44,
	    "https://1734811051.rsc.cdn77.org/data/images/full/438875/mark-zuckerberg.jpg", 1024, 702 },
	{ "Mark Zuckerberg Hints At Meta's Ambitious AI Investment Plan: $9 Billion on Nvidia's H100 Chips",
	    "Mark Zuckerberg revealed that Meta's computing infrastructure will include 350,000 of Nvidia's top-of-the-line H100 graphics processing units by the end of 2024. At average prices estimated to be around $25,",
	    1705691820LL, "https://www.djournal.com/news/national/mark-zuckerberg-hints-at-metas-ambitious-ai-investment-plan-9-billion-on-nvidias-h100-chips/video_f0b07677-05da-5594-817c-f586a215ce1d.html",
	    NULL,
	    NULL,
	    "Daily Journal", "djournal.com", 42,
	    "https://bloximages.newyork1.vip.townnews.com/djournal.com/content/tncms/assets/v3/editorial/f/0b/f0b07677-05da-5594-817c-f586a215ce1d/65aae31fabdcc.image.jpg?crop=720%2C378%2C0%2C14&resize=720%2C378&order=crop%2Cresize", 720, 378 },
	{ "Mark Zuckerberg reveals Meta Platforms' stunning target - creating AGI capabilities",
	    "Meta Platforms chief Mark Zuckerberg reveals AI plans, says building Llama 3 with artificial general intelligence capabilities.",
	    1705648140LL, "https://tech.hindustantimes.com/tech/news/mark-zuckerberg-reveals-meta-platforms-stunning-target-creating-agi-capabilities-71705647636859.html",
	    "https://tech.hindustantimes.com/amp/tech/news/mark-zuckerberg-reveals-meta-platforms-stunning-target-creating-agi-capabilities-71705647636859.html",
	    "https://tech-hindustantimes-com.cdn.ampproject.org/c/s/tech.hindustantimes.com/amp/tech/news/mark-zuckerberg-reveals-meta-platforms-stunning-target-creating-agi-capabilities-71705647636859.html",
	    "Hindustan Times Tech", "hindustantimes.com", 38,
	    "https://images.hindustantimes.com/tech/img/2024/01/19/1600x900/META-PLATFORMS-TECH-CHILDREN-0_1705653151338_1705653194526.JPG", 1600, 900 },
	{ "Meta's AI Ambitions: Mark Zuckerberg Faces Criticism Over Plans to Develop Advanced AI with Open-Source Accessibility",
	    "CEO and founder of Meta Mark Zuckerberg discusses his aspirations to develop AI further, but experts question his vision.",
	    1705680180LL, "https://www.techtimes.com/articles/300800/20240119/metas-ai-ambitions-mark-zuckerberg-faces-criticism-over-plans-develop.htm",
	    "https://www.techtimes.com/amp/articles/300800/20240119/metas-ai-ambitions-mark-zuckerberg-faces-criticism-over-plans-develop.htm",
	    "https://www-techtimes-com.cdn.ampproject.org/c/s/www.techtimes.com/amp/articles/300800/20240119/metas-ai-ambitions-mark-zuckerberg-faces-criticism-over-plans-develop.htm",
	    "techtimes", "techtimes.com", 36,
	    "https://1734811051.rsc.cdn77.org/data/images/full/442700/metas-ai-ambitions-mark-zuckerberg-faces-criticism-over-plans-to-develop-advanced-ai-with-open-source-accessibility.jpg", 1024, 687 },
	{ "Meta Platforms' Zuckerberg hints company is spending billions on NVIDIA AI chips",
	    "Meta Platforms (NASDAQ: META) is said to be spending billions of dollars on NVIDIA's (NVDA) computer chips as part of the company's AI efforts.",
	    1705668360LL, "https://www.investing.com/news/stock-market-news/meta-platforms-zuckerberg-hints-company-is-spending-billions-on-nvidia-ai-chips-432SI-3278359",
	    NULL,
	    NULL,
	    "Investing", "investing.com", 29,
	    NULL, 0, 0 },
	{ "Watch Mark Zuckerberg wants Meta to create artificial general intelligence",
	    "Mark Zuckerberg has a new goal after creating the metaverse earlier. He wants Meta to focus on general artificial intelligence. He is moving towards this goal by installing FAIR, the AI research group of Meta,",
	    1706022780LL, "https://www.cweb.com/watch-mark-zuckerberg-wants-meta-to-create-artificial-general-intelligence/",
	    NULL,
	    NULL,
	    "cweb", "cweb.com", 22,
	    "https://www.cweb.com/wp-content/uploads/2023/03/shutterstock_2179427777-1-scaled.jpg", 2560, 1707 },
	{ "‘Very scary’: Mark Zuckerberg’s pledge to build advanced AI alarms experts",
	    "Meta CEO accused of being ‘irresponsible’ by considering making tools on par with human intelligence open source",
	    1705664700LL, "https://www.theguardian.com/technology/2024/jan/19/mark-zuckerberg-artificial-general-intelligence-system-alarms-experts-meta-open-source?ref=mc.news",
	    NULL,
	    NULL,
	    "The Guardian", "theguardian.com", 15,
	    NULL, 0, 0 },
	{ "‘Very scary’: Mark Zuckerberg’s pledge to build advanced AI alarms experts",
	    "Meta CEO accused of being ‘irresponsible’ by considering making tools on par with human intelligence open source",
	    1705688940LL, "https://www.theguardian.com/technology/2024/jan/19/mark-zuckerberg-artificial-general-intelligence-system-alarms-experts-meta-open-source",
	    NULL,
	    NULL,
	    "The Guardian", "theguardian.com", 15,
	    NULL, 0, 0 },
	{ "Artificial general intelligence — when AI becomes more capable than humans — is just moments away, Meta's Mark Zuckerberg declares",
	    "Mark Zuckerberg said Meta will have \"an absolutely massive amount of infrastructure\" in place by the end of the year to prime it for training an artificial general intelligence model.",
	    1705687860LL, "https://www.livescience.com/technology/artificial-intelligence/artificial-general-intelligence-when-ai-becomes-more-capable-than-humans-is-just-moments-away-metas-mark-zuckerberg-declares",
	    NULL,
	    NULL,
	    "Live Science", "livescience.com", 7,
	    "https://cdn.mos.cms.futurecdn.net/DW7RQ2KvkbjTRApQMuSWan-1200-80.jpg", 1200, 675 },
	{ "Meta has released its own AI model, LLaMa 2, and Zuckerberg said his teams were working on a next version",
	    "Meta has released its own AI model, LLaMa 2, and Zuckerberg said his teams were working on a next version",
	    1705644180LL, "https://www.islandernews.com/news/national/meta-has-released-its-own-ai-model-llama-2-and-zuckerberg-said-his-teams-were/image_19408ec7-4bf2-5530-ad87-c661220bc07e.html",
	    NULL,
	    NULL,
	    "Islander News", "islandernews.com", 2,
	    NULL, 0, 0 },
};

#define SEED_SECURED_PREFIX	"secured: \""

/* The seed's record, built from its own values. */
static struct record *
seed_record(void)
{
	const struct seed_related	*s;
	struct entry			*e;
	struct record			*r;
	size_t				 i;

	e = entry_new();
	entry_set(&e->category, "news");
	entry_set(&e->title, "Meta's AI overhaul: Zuckerberg's plan to "
	    "integrate and expand generative AI research");
	entry_set(&e->excerpt, "Explore Meta's bold AI strategy as Zuckerberg "
	    "reveals plans to integrate generative AI teams, invest in H100 "
	    "GPUs, and push for advancements in reasoning, planning, coding, "
	    "and memory. Witness the merger of research divisions for a "
	    "comprehensive approach to AI innovation.");
	e->published = 1705671720;	/* 2024-01-19T13:42:00Z */
	entry_set(&e->original_url, "https://cointelegraph.com/news/"
	    "meta-ai-expansion-zuckerberg-reveals-350k-gpus-and-merged-"
	    "research-teams");
	entry_set(&e->web_url, e->original_url);
	entry_set(&e->type, "article");
	e->quality = 12;
	entry_set(&e->provider_name, "CoinTelegraph");
	entry_set(&e->provider_domain, "cointelegraph.com");
	entry_add_topic(e, "AI Hardware");
	entry_add_topic(e, "AI");
	r = record_new(e);

	for (i = 0; i < sizeof seed_related / sizeof seed_related[0]; i++) {
		s = &seed_related[i];
		e = entry_new();
		entry_set(&e->title, s->title);
		entry_set(&e->excerpt, s->excerpt);
		e->published = s->published;
		entry_set(&e->web_url, s->web_url);
		entry_set(&e->amp_url, s->amp_url);
		entry_set(&e->cdn_amp_url, s->cdn_amp_url);
		entry_set(&e->type, "article");
		entry_set(&e->provider_name, s->provider_name);
		entry_set(&e->provider_domain, s->provider_domain);
		e->quality = s->quality;
		if (s->image_url != NULL) {
			entry_add_image(e, s->image_url, s->width, s->height);
			e->images[0].cached = 1;
		}
		record_add_related(r, e);
	}
	r->heat = -1;
	r->published = 0;
	return r;
}

/* Split text at its "secured: " line: before, the line, after. */
static const char *
find_line(const char *text, const char *prefix)
{
	const char	*p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return p;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return NULL;
}

static void
check_secured_shape(const char *line, size_t len)
{
	const char	*semi;
	size_t		 i, n;

	ASSERT(len > strlen(SEED_SECURED_PREFIX) + 2);
	ASSERT(line[len - 1] == '"');
	line += strlen(SEED_SECURED_PREFIX);
	len -= strlen(SEED_SECURED_PREFIX) + 1;
	semi = memchr(line, ';', len);
	ASSERT_NOT_NULL(semi);
	n = (size_t)(semi - line);
	/* Whole base64 blocks of AES blocks, then a 16-byte IV. */
	ASSERT(n % 4 == 0 && n > 0);
	ASSERT_INT_EQ(len - n - 1, 24);
	for (i = 0; i < len; i++) {
		if (line + i == semi)
			continue;
		ASSERT(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/=", line[i]) != NULL);
	}
}

static void
test_record_write_golden(void)
{
	struct record	*r;
	struct buf	 out;
	char		*seed;
	const char	*ss, *os, *se, *oe;
	size_t		 seedlen;

	seed = test_read_file(test_data("records/seed.yaml"), &seedlen);
	ASSERT_NOT_NULL(seed);
	ss = find_line(seed, SEED_SECURED_PREFIX);
	ASSERT_NOT_NULL(ss);
	se = strchr(ss, '\n');
	check_secured_shape(ss, (size_t)(se - ss));

	/* The record carries the seed's own secured value through. */
	r = seed_record();
	r->secured = xstrndup(ss + strlen(SEED_SECURED_PREFIX),
	    (size_t)(se - ss) - strlen(SEED_SECURED_PREFIX) - 1);
	buf_init(&out, RECORD_WRITE_MAX);
	ASSERT_INT_EQ(record_write_emit(r, &out), 0);
	ASSERT_MEM_EQ(out.data, out.len, seed, seedlen);

	/* Without it, everything but the secured line (and its blank). */
	free(r->secured);
	r->secured = NULL;
	buf_reset(&out);
	ASSERT_INT_EQ(record_write_emit(r, &out), 0);
	os = buf_str(&out);
	oe = os + out.len;
	ASSERT_MEM_EQ(os, out.len - 5, seed, (size_t)(ss - seed) - 1);
	ASSERT_STR_EQ(oe - 5, "---\n\n");
	ASSERT_STR_EQ(se + 1, "---\n\n");

	buf_free(&out);
	record_free(r);
	free(seed);
}

/* NULL and "" are both "unknown" to the writer. */
static const char *
norm(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

static void
assert_str_same(const char *what, const char *a, const char *b)
{
	a = norm(a);
	b = norm(b);
	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		test_fail(__FILE__, __LINE__, "%s differs: \"%s\" vs \"%s\"",
		    what, a != NULL ? a : "(null)", b != NULL ? b : "(null)");
}

/* The fields the writer writes for an entry (related: fewer). */
static void
assert_entry_same(const struct entry *a, const struct entry *b, int primary)
{
	size_t	 i, j;

	if (primary) {
		assert_str_same("category", a->category, b->category);
		assert_str_same("originalUrl", a->original_url,
		    b->original_url);
		/* Empty topics are not written. */
		for (i = j = 0; i < a->ntopics; i++) {
			if (norm(a->topics[i]) == NULL)
				continue;
			ASSERT(j < b->ntopics);
			assert_str_same("topic", a->topics[i], b->topics[j++]);
		}
		ASSERT_INT_EQ(j, b->ntopics);
	}
	assert_str_same("title", a->title, b->title);
	assert_str_same("excerpt", a->excerpt, b->excerpt);
	ASSERT_INT_EQ(a->published, b->published);
	assert_str_same("webUrl", a->web_url, b->web_url);
	assert_str_same("ampWebUrl", a->amp_url, b->amp_url);
	assert_str_same("cdnAmpWebUrl", a->cdn_amp_url, b->cdn_amp_url);
	assert_str_same("type", a->type, b->type);
	ASSERT_INT_EQ(a->quality, b->quality);
	assert_str_same("provider name", a->provider_name, b->provider_name);
	assert_str_same("provider domain", a->provider_domain,
	    b->provider_domain);
	ASSERT_INT_EQ(a->nimages, b->nimages);
	for (i = 0; i < a->nimages; i++) {
		assert_str_same("image url", a->images[i].url,
		    b->images[i].url);
		ASSERT_INT_EQ(a->images[i].width, b->images[i].width);
		ASSERT_INT_EQ(a->images[i].height, b->images[i].height);
		ASSERT_INT_EQ(a->images[i].cached, b->images[i].cached);
	}
}

static void
assert_record_same(const struct record *a, const struct record *b)
{
	size_t	 i;

	assert_entry_same(a->primary, b->primary, 1);
	ASSERT_INT_EQ(a->heat, b->heat);
	ASSERT_INT_EQ(a->published, b->published);
	assert_str_same("secured", a->secured, b->secured);
	ASSERT_INT_EQ(a->nrelated, b->nrelated);
	for (i = 0; i < a->nrelated; i++)
		assert_entry_same(a->related[i], b->related[i], 0);
}

/*
 * Emit r, check the text's shape (one line per key: nothing wrapped or
 * folded, no single quotes), read it back and compare, emit the copy and
 * find the same bytes. Returns the text (caller frees).
 */
static char *
roundtrip(const struct record *r)
{
	struct record	*back = NULL;
	struct errbuf	 err;
	struct buf	 out, again;
	const char	*line, *nl;

	buf_init(&out, RECORD_WRITE_MAX);
	ASSERT_INT_EQ(record_write_emit(r, &out), 0);
	for (line = buf_str(&out); *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		ASSERT_NOT_NULL(nl);
		/* Every line is empty, "---", a key or a list item. */
		if (nl == line || strncmp(line, "---\n", 4) == 0)
			continue;
		line += strspn(line, " ");
		if (*line == '-')
			line += 2;
		ASSERT(strspn(line, "abcdefghijklmnopqrstuvwxyzDTUW") > 0 ||
		    *line == '"' || nl > line);
		ASSERT(strstr(line, ": '") == NULL || strstr(line, ": '") > nl);
		ASSERT(*line != '\'');
	}
	errbuf_clear(&err);
	if (record_read_mem(out.data, out.len, "roundtrip", &back, &err) != 0)
		test_fail(__FILE__, __LINE__, "does not read back: %s\n%s",
		    err.msg, buf_str(&out));
	assert_record_same(r, back);
	buf_init(&again, RECORD_WRITE_MAX);
	ASSERT_INT_EQ(record_write_emit(back, &again), 0);
	ASSERT_MEM_EQ(again.data, again.len, out.data, out.len);
	buf_free(&again);
	record_free(back);
	return buf_detach(&out);
}

static void
test_record_write_roundtrip_seed(void)
{
	struct record	*r;

	r = seed_record();
	free(roundtrip(r));
	r->published = 1;
	r->heat = 77;
	r->secured = xstrdup("abc;def");
	free(roundtrip(r));
	record_free(r);
}

/* Strings that YAML, a shell or a terminal would read as something else. */
static const char *const hostile[] = {
	"say \"hi\"", "\"", "'", "it's", "back\\slash", "\\", "\\n",
	"key: value", "a:b", "trailing:", "x #not a comment", "#comment",
	"- item", "-", "* star", "*alias", "& amp", "&anchor", "! bang",
	"!tag", "% percent", "%TAG", "@ at", "` tick", "| pipe", "> fold",
	"? q", "[list]", "{map}", ",comma", "yes", "no", "on", "off", "null",
	"~", "true", "false", "True", "NULL", "Yes", "y", "n", "<<", "=",
	"123", "-7", "+7", "0x1F", "0o17", "017", "0b101", "1.5", ".5", "1e3",
	"1_000", "12:30", "190:20:30", ".inf", "-.Inf", ".NaN",
	"2024-01-01", "2024-01-19T13:42:00Z", "2024-1-1 10:00",
	"line\nbreak", "two\n\nbreaks", "\n", "cr\rlf\r\n", "tab\there",
	"\t", " leading space", "trailing space ", "  ", "ctl\x01\x02\x1f",
	"del\x7f", "bell\a", "esc\x1b[31mred", "nel\xc2\x85", "c1\xc2\x9f",
	"nbsp\xc2\xa0x", "ls\xe2\x80\xa8ps\xe2\x80\xa9", "bom\xef\xbb\xbf",
	"nonchar\xef\xbf\xbe", "emoji \xf0\x9f\x98\x80 \xf0\x9f\x9a\x80",
	"\xf0\x9f\x87\xba\xf0\x9f\x87\xa6 flag",
	"\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84"
	    "\xd8\xb9\xd8\xa7\xd9\x84\xd9\x85",
	"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x80\x8f mixed \xe2\x80\xae rlo",
	"---", "...", "--- x", "... x", "\\U0001F600", "\\\\U0001F600",
	"x\\U0001F600", "\xe2\x80\x99quotes\xe2\x80\x9c", "a  b", "\"\"",
	"''", "{{ template }}", "${HOME}", "$(rm -rf)", "a\\\"b",
};

static struct entry *
hostile_entry(const char *s)
{
	struct entry	*e;

	e = entry_new();
	entry_set(&e->category, s);
	entry_set(&e->title, s);
	entry_set(&e->excerpt, s);
	e->published = 0;
	entry_set(&e->original_url, s);
	entry_set(&e->web_url, s);
	entry_set(&e->amp_url, s);
	entry_set(&e->cdn_amp_url, s);
	entry_set(&e->type, s);
	e->quality = 100;
	entry_set(&e->provider_name, s);
	entry_set(&e->provider_domain, s);
	entry_add_topic(e, s);
	entry_add_topic(e, "plain");
	entry_add_image(e, s, 1, ENTRY_NO_SIZE);
	return e;
}

static void
test_record_write_roundtrip_hostile(void)
{
	struct record	*r;
	size_t		 i;

	for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		r = record_new(hostile_entry(hostile[i]));
		record_add_related(r, hostile_entry(hostile[i]));
		record_add_related(r, hostile_entry(hostile[i]));
		r->secured = xstrdup(hostile[i]);
		free(roundtrip(r));
		record_free(r);
	}
}

/* Emit a record whose provider name is s; return the name line. */
static char *
name_line(const char *s)
{
	struct record	*r;
	struct buf	 out;
	const char	*p, *nl;
	char		*line;

	r = record_new(entry_new());
	entry_set(&r->primary->provider_name, s);
	buf_init(&out, RECORD_WRITE_MAX);
	ASSERT_INT_EQ(record_write_emit(r, &out), 0);
	p = strstr(buf_str(&out), "  name: ");
	ASSERT_NOT_NULL(p);
	nl = strchr(p, '\n');
	line = xstrndup(p + 8, (size_t)(nl - p - 8));
	buf_free(&out);
	record_free(r);
	return line;
}

static void
test_record_write_plain_or_quoted(void)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "CoinTelegraph", "CoinTelegraph" },
		{ "FOX 10 Phoenix", "FOX 10 Phoenix" },
		{ "it's", "it's" },
		{ "Meta\xe2\x80\x99s", "Meta\xe2\x80\x99s" },
		{ "techtimes", "techtimes" },
		{ "5G", "5G" },
		{ "163.com", "163.com" },
		{ "yes", "\"yes\"" },
		{ "Off", "\"Off\"" },
		{ "null", "\"null\"" },
		{ "~", "\"~\"" },
		{ "123", "\"123\"" },
		{ "1.5", "\"1.5\"" },
		{ "0x1F", "\"0x1F\"" },
		{ "12:30", "\"12:30\"" },
		{ "1.2.3", "\"1.2.3\"" },
		{ ".", "\".\"" },
		{ "..", "\"..\"" },
		{ "0x", "0x" },
		{ "+", "+" },
		{ "e3", "e3" },
		{ "2024-01-01", "\"2024-01-01\"" },
		{ "a: b", "\"a: b\"" },
		{ "x #y", "\"x #y\"" },
		{ "- x", "\"- x\"" },
		{ "&a", "\"&a\"" },
		{ "@home", "\"@home\"" },
		{ "`cmd`", "\"`cmd`\"" },
		{ "two\nlines", "\"two\\nlines\"" },
		{ "tab\tin", "\"tab\\tin\"" },
		{ "trailing ", "\"trailing \"" },
		{ "emoji \xf0\x9f\x98\x80", "\"emoji \xf0\x9f\x98\x80\"" },
		{ "bad\xff", "bad\xef\xbf\xbd" },
		{ "bad\xff: x", "\"bad\xef\xbf\xbd: x\"" },
	};
	char	*got;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = name_line(cases[i].in);
		ASSERT_STR_EQ(got, cases[i].out);
		free(got);
	}
}

/*
 * The emitter remembers recent strings: the same string in a quoted and
 * a plain field must still come out quoted in one and plain in the other,
 * every time.
 */
static void
test_record_write_cache_keeps_styles(void)
{
	struct record	*r;
	char		*text;
	int		 i;

	for (i = 0; i < 3; i++) {
		r = record_new(entry_new());
		entry_set(&r->primary->category, "Same");
		entry_set(&r->primary->title, "Same");
		entry_set(&r->primary->type, "yes");
		entry_set(&r->primary->excerpt, "yes");
		text = roundtrip(r);
		ASSERT_STR_EQ(text, "---\n"
		    "category: Same\n"
		    "title: \"Same\"\n"
		    "excerpt: \"yes\"\n"
		    "type: \"yes\"\n"
		    "quality: 0\n"
		    "heat: -1\n"
		    "published: false\n"
		    "---\n\n");
		free(text);
		record_free(r);
	}
}

static void
test_record_write_titles_quoted(void)
{
	struct record	*r;
	char		*text;

	r = record_new(entry_new());
	entry_set(&r->primary->title, "Plain words");
	entry_set(&r->primary->excerpt, "say \"hi\" \\ \xf0\x9f\x98\x80 "
	    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\x01");
	entry_set(&r->primary->web_url, "https://example.com/a?b=c#d");
	text = roundtrip(r);
	ASSERT_STR_EQ(text, "---\n"
	    "title: \"Plain words\"\n"
	    "excerpt: \"say \\\"hi\\\" \\\\ \xf0\x9f\x98\x80 "
	    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\\x01\"\n"
	    "webUrl: \"https://example.com/a?b=c#d\"\n"
	    "quality: 0\n"
	    "heat: -1\n"
	    "published: false\n"
	    "---\n\n");
	free(text);
	record_free(r);
}

/* Invalid UTF-8 is repaired, one U+FFFD per byte, never refused. */
static void
test_record_write_invalid_utf8_repaired(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
		/* A lone surrogate (U+D800) encoded as UTF-8. */
		{ "x\xed\xa0\x80y", "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy" },
		/* Overlong '/'. */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
		/* Truncated sequence at the end. */
		{ "end\xe2\x82", "end\xef\xbf\xbd\xef\xbf\xbd" },
		/* Above U+10FFFF. */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd" },
		{ "ok \xe2\x82\xac", "ok \xe2\x82\xac" },
	};
	struct record	*r, *back;
	struct buf	 out;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = record_new(entry_new());
		entry_set(&r->primary->title, cases[i].in);
		entry_add_topic(r->primary, cases[i].in);
		buf_init(&out, RECORD_WRITE_MAX);
		ASSERT_INT_EQ(record_write_emit(r, &out), 0);
		ASSERT_INT_EQ(record_read_mem(out.data, out.len, "t", &back,
		    NULL), 0);
		ASSERT_STR_EQ(back->primary->title, cases[i].want);
		ASSERT_STR_EQ(back->primary->topics[0], cases[i].want);
		record_free(back);
		record_free(r);
		buf_free(&out);
	}
}

static void
test_record_write_long_strings(void)
{
	struct record	*r;
	char		*s, *text;
	size_t		 i, n = 10 * 1024;

	s = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		s[i] = "word \"q\" \\ x"[i % 12];
	s[n] = '\0';
	r = record_new(entry_new());
	entry_set(&r->primary->title, s);
	entry_set(&r->primary->excerpt, s);
	record_add_related(r, entry_new());
	entry_set(&r->related[0]->title, s);
	text = roundtrip(r);
	/* No line wrapping: the title is on one line. */
	ASSERT(strchr(strstr(text, "title: "), '\n') - strstr(text,
	    "title: ") > (ptrdiff_t)n);
	free(text);
	record_free(r);
	free(s);
}

/* Unknown values are left out; nothing is ever written empty. */
static void
test_record_write_unknown_left_out(void)
{
	struct record	*r;
	struct entry	*e;
	char		*text;

	r = record_new(entry_new());
	e = entry_new();
	entry_set(&e->title, "");
	entry_set(&e->provider_domain, "example.com");
	entry_add_image(e, "https://example.com/i.png", ENTRY_NO_SIZE, 480);
	record_add_related(r, e);
	record_add_related(r, entry_new());
	text = roundtrip(r);
	ASSERT_STR_EQ(text, "---\n"
	    "quality: 0\n"
	    "heat: -1\n"
	    "published: false\n"
	    "\n"
	    "related:\n"
	    "  - provider:\n"
	    "      domain: example.com\n"
	    "    quality: 0\n"
	    "    images:\n"
	    "      - url: \"https://example.com/i.png\"\n"
	    "        height: 480\n"
	    "        isCached: false\n"
	    "  - quality: 0\n"
	    "---\n\n");
	free(text);
	record_free(r);
}

/*
 * Found by fuzz/fuzz_record_read.c (an empty input used as every string):
 * a topic list holding only empty strings wrote an empty "topics:" group,
 * which reads back as no topics and so did not round-trip.
 */
static void
test_record_write_bug_empty_topics_group(void)
{
	struct record	*r;
	char		*text;

	r = record_new(entry_new());
	entry_add_topic(r->primary, "");
	text = roundtrip(r);
	ASSERT_STR_EQ(text, "---\nquality: 0\nheat: -1\npublished: false\n"
	    "---\n\n");
	free(text);
	entry_add_topic(r->primary, "AI");
	text = roundtrip(r);
	ASSERT_NOT_NULL(strstr(text, "\ntopics:\n  - AI\n---\n"));
	free(text);
	record_free(r);
}

/* The primary's optional keys take the related items' order. */
static void
test_record_write_primary_extras(void)
{
	struct record	*r;
	struct entry	*e;
	char		*text;

	e = entry_new();
	entry_set(&e->category, "tech");
	entry_set(&e->title, "T");
	entry_set(&e->original_url, "https://a.example/x?utm_source=y");
	entry_set(&e->web_url, "https://a.example/x");
	entry_set(&e->amp_url, "https://a.example/x/amp");
	entry_set(&e->cdn_amp_url, "https://a-example.cdn.ampproject.org/c/s/"
	    "a.example/x/amp");
	entry_set(&e->type, "video");
	e->quality = 40;
	entry_set(&e->provider_name, "A");
	entry_add_image(e, "https://a.example/i.jpg", 640, 360);
	e->images[0].cached = 1;
	entry_add_image(e, "https://a.example/j.jpg", 10, 10);
	entry_add_topic(e, "News");
	r = record_new(e);
	text = roundtrip(r);
	ASSERT_STR_EQ(text, "---\n"
	    "category: tech\n"
	    "title: \"T\"\n"
	    "originalUrl: \"https://a.example/x?utm_source=y\"\n"
	    "webUrl: \"https://a.example/x\"\n"
	    "ampWebUrl: \"https://a.example/x/amp\"\n"
	    "cdnAmpWebUrl: \"https://a-example.cdn.ampproject.org/c/s/"
	    "a.example/x/amp\"\n"
	    "type: video\n"
	    "quality: 40\n"
	    "heat: -1\n"
	    "published: false\n"
	    "\n"
	    "provider:\n"
	    "  name: A\n"
	    "\n"
	    "images:\n"
	    "  - url: \"https://a.example/i.jpg\"\n"
	    "    width: 640\n"
	    "    height: 360\n"
	    "    isCached: true\n"
	    "  - url: \"https://a.example/j.jpg\"\n"
	    "    width: 10\n"
	    "    height: 10\n"
	    "    isCached: false\n"
	    "\n"
	    "topics:\n"
	    "  - News\n"
	    "---\n\n");
	free(text);
	record_free(r);
}

static void
test_record_write_dates(void)
{
	struct record	*r;
	struct buf	 out;
	char		*text;

	r = record_new(entry_new());
	r->primary->published = 0;
	text = roundtrip(r);
	ASSERT_NOT_NULL(strstr(text, "publishedDateTime: 1970-01-01T00:00:00Z\n"));
	free(text);
	r->primary->published = 253402300799LL;
	text = roundtrip(r);
	ASSERT_NOT_NULL(strstr(text, "publishedDateTime: 9999-12-31T23:59:59Z\n"));
	free(text);
	r->primary->published = ENTRY_NO_DATE;
	text = roundtrip(r);
	ASSERT_NULL(strstr(text, "publishedDateTime"));
	free(text);
	/* Beyond what the format can say: left out, as unknown. */
	r->primary->published = 253402300800LL;
	buf_init(&out, RECORD_WRITE_MAX);
	ASSERT_INT_EQ(record_write_emit(r, &out), 0);
	ASSERT_NULL(strstr(buf_str(&out), "publishedDateTime"));
	r->primary->published = -62167219201LL;
	buf_reset(&out);
	ASSERT_INT_EQ(record_write_emit(r, &out), 0);
	ASSERT_NULL(strstr(buf_str(&out), "publishedDateTime"));
	buf_free(&out);
	record_free(r);
}

static void
test_record_write_id(void)
{
	char	 id[RECORD_WRITE_ID_LEN + 1], id2[RECORD_WRITE_ID_LEN + 1];

	/* XXH3_64bits of the empty input, from xxhash's own test vectors. */
	record_write_id("", id);
	ASSERT_STR_EQ(id, "2d06800538d394c2");
	record_write_id("https://cointelegraph.com/news/x", id);
	ASSERT_INT_EQ(strlen(id), 16);
	ASSERT_INT_EQ(strspn(id, "0123456789abcdef"), 16);
	record_write_id("https://cointelegraph.com/news/x", id2);
	ASSERT_STR_EQ(id, id2);
	record_write_id("https://cointelegraph.com/news/y", id2);
	ASSERT_STR_NE(id, id2);
}

static char *
path_in(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int
count_entries(const char *dir, const char *needle)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	d = opendir(dir);
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, needle) != NULL)
			n++;
	}
	closedir(d);
	return n;
}

static struct record *
small_record(const char *title)
{
	struct record	*r;

	r = record_new(entry_new());
	entry_set(&r->primary->title, title);
	entry_set(&r->primary->web_url, "https://example.com/story");
	return r;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f;

	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	ASSERT_INT_EQ(fputs(text, f) >= 0, 1);
	ASSERT_INT_EQ(fclose(f), 0);
}

/* Replace the first occurrence of from by to in the file. */
static void
edit_file(const char *path, const char *from, const char *to)
{
	char	*text, *p, *edited;
	size_t	 len;

	text = test_read_file(path, &len);
	ASSERT_NOT_NULL(text);
	p = strstr(text, from);
	ASSERT_NOT_NULL(p);
	*p = '\0';
	edited = xasprintf("%s%s%s", text, to, p + strlen(from));
	write_file(path, edited);
	free(edited);
	free(text);
}

static void
test_record_write_file_basic(void)
{
	struct record_write_opts opts;
	struct record	*r, *back;
	struct errbuf	 err;
	struct stat	 st;
	char		*dir, *path, id[RECORD_WRITE_ID_LEN + 1];

	dir = test_tmpdir();
	r = small_record("First");
	record_write_id(r->primary->web_url, id);
	record_write_opts_init(&opts);
	opts.mode = 0640;
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	path = xasprintf("%s/%s.yaml", dir, id);
	ASSERT_INT_EQ(stat(path, &st), 0);
	ASSERT_INT_EQ(st.st_mode & 07777, 0640);
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	ASSERT_STR_EQ(back->primary->title, "First");
	record_free(back);
	/* Only the record is left: no temporary file. */
	ASSERT_INT_EQ(count_entries(dir, ".tmp-"), 0);
	ASSERT_INT_EQ(count_entries(dir, ".yaml"), 1);

	/* Ids are 16 lower-case hex digits, nothing else (no paths). */
	ASSERT_INT_EQ(record_write_file(dir, "../etc/passwd", r, NULL, &err),
	    -EINVAL);
	ASSERT_INT_EQ(record_write_file(dir, "0123456789ABCDEF", r, NULL,
	    &err), -EINVAL);
	free(path);
	record_free(r);
	test_rmtree(dir);
	free(dir);
}

/*
 * The consumer flips `published: true` by hand; the next rewrite, with a
 * new related item, keeps it.
 */
static void
test_record_write_published_kept(void)
{
	struct record_write_opts opts;
	struct record	*r, *back;
	struct errbuf	 err;
	char		*dir, *path, id[RECORD_WRITE_ID_LEN + 1];

	dir = test_tmpdir();
	r = small_record("Story");
	record_write_id(r->primary->web_url, id);
	record_write_opts_init(&opts);
	opts.fsync = 0;
	opts.fsync_dir = 0;
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	path = xasprintf("%s/%s.yaml", dir, id);
	edit_file(path, "published: false", "published: true");

	record_add_related(r, entry_new());
	entry_set(&r->related[0]->title, "Coverage elsewhere");
	ASSERT_INT_EQ(r->published, 0);
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	ASSERT_INT_EQ(back->published, 1);
	ASSERT_INT_EQ(back->nrelated, 1);
	ASSERT_STR_EQ(back->related[0]->title, "Coverage elsewhere");
	record_free(back);

	/* And back: the consumer's false wins over the caller's true. */
	edit_file(path, "published: true", "published: false");
	r->published = 1;
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	ASSERT_INT_EQ(back->published, 0);
	record_free(back);

	free(path);
	record_free(r);
	test_rmtree(dir);
	free(dir);
}

/* A record edited into something that no longer parses is moved aside. */
static void
test_record_write_corrupt_moved_aside(void)
{
	struct record_write_opts opts;
	struct record	*r, *back;
	struct errbuf	 err;
	char		*dir, *path, *aside, id[RECORD_WRITE_ID_LEN + 1];
	char		*text;
	int		 loglevel;

	dir = test_tmpdir();
	r = small_record("Story");
	record_write_id(r->primary->web_url, id);
	record_write_opts_init(&opts);
	opts.fsync = 0;
	opts.fsync_dir = 0;
	path = xasprintf("%s/%s.yaml", dir, id);
	write_file(path, "---\ntitle: \"unterminated\npublished: true\n");
	loglevel = log_get_level();
	log_set_level(LOG_LEVEL_ERROR);
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	/* A second corruption in the same second keeps both copies. */
	write_file(path, "---\npublished: maybe\n");
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	log_set_level(loglevel);
	ASSERT_INT_EQ(count_entries(dir, ".yaml.corrupt-"), 2);

	/* The new record is written, with published from the new record. */
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	ASSERT_STR_EQ(back->primary->title, "Story");
	ASSERT_INT_EQ(back->published, 0);
	record_free(back);

	/* The consumer's file is kept as it was. */
	aside = NULL;
	{
		struct dirent	*de;
		DIR		*d = opendir(dir);

		while ((de = readdir(d)) != NULL) {
			if (strstr(de->d_name, ".corrupt-") != NULL &&
			    strchr(strstr(de->d_name, ".corrupt-") + 9,
			    '.') == NULL) {
				free(aside);
				aside = path_in(dir, de->d_name);
			}
		}
		closedir(d);
	}
	ASSERT_NOT_NULL(aside);
	text = test_read_file(aside, NULL);
	ASSERT_STR_EQ(text, "---\ntitle: \"unterminated\npublished: true\n");
	free(text);
	free(aside);
	free(path);
	record_free(r);
	test_rmtree(dir);
	free(dir);
}

/* Deleted by the consumer: an UPDATE leaves it deleted, a CREATE not. */
static void
test_record_write_deleted_policy(void)
{
	struct record_write_opts opts;
	struct record	*r;
	struct errbuf	 err;
	struct stat	 st;
	char		*dir, *path, id[RECORD_WRITE_ID_LEN + 1];

	dir = test_tmpdir();
	r = small_record("Story");
	record_write_id(r->primary->web_url, id);
	record_write_opts_init(&opts);
	opts.fsync = 0;
	opts.fsync_dir = 0;
	opts.how = RECORD_WRITE_UPDATE;
	path = xasprintf("%s/%s.yaml", dir, id);
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err),
	    RECORD_WRITE_SKIPPED);
	ASSERT_INT_EQ(stat(path, &st), -1);
	opts.how = RECORD_WRITE_CREATE;
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	opts.how = RECORD_WRITE_UPDATE;
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	ASSERT_INT_EQ(unlink(path), 0);
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err),
	    RECORD_WRITE_SKIPPED);
	ASSERT_INT_EQ(stat(path, &st), -1);
	opts.how = RECORD_WRITE_CREATE;
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	ASSERT_INT_EQ(stat(path, &st), 0);
	free(path);
	record_free(r);
	test_rmtree(dir);
	free(dir);
}

static void
test_record_write_cleanup_leftovers(void)
{
	struct errbuf	 err;
	char		*dir, *p;
	int		 loglevel;

	dir = test_tmpdir();
	p = path_in(dir, ".0123456789abcdef.yaml.tmp-AbC123");
	write_file(p, "---\ntitle: \"half");
	free(p);
	p = path_in(dir, ".fedcba9876543210.yaml.tmp-zzzzzz");
	write_file(p, "");
	free(p);
	/* Not ours: kept. */
	p = path_in(dir, "0123456789abcdef.yaml");
	write_file(p, "---\n---\n");
	free(p);
	p = path_in(dir, ".hidden");
	write_file(p, "x");
	free(p);
	loglevel = log_get_level();
	log_set_level(LOG_LEVEL_ERROR);
	ASSERT_INT_EQ(record_write_cleanup(dir, &err), 2);
	ASSERT_INT_EQ(record_write_cleanup(dir, &err), 0);
	log_set_level(loglevel);
	ASSERT_INT_EQ(count_entries(dir, ".tmp-"), 0);
	ASSERT_INT_EQ(count_entries(dir, "0123456789abcdef.yaml"), 1);
	ASSERT_INT_EQ(count_entries(dir, ".hidden"), 1);
	p = path_in(dir, "missing");
	ASSERT_INT_EQ(record_write_cleanup(p, &err), -ENOENT);
	free(p);
	test_rmtree(dir);
	free(dir);
}

/*
 * A write that fails half way (here: the file size limit, which makes
 * write(2) fail with EFBIG as a full disk fails with ENOSPC) reports the
 * reason, leaves the old file as it was and no temporary file.
 */
static void
test_record_write_failure_keeps_old(void)
{
	struct record_write_opts opts;
	struct record	*r, *big;
	struct errbuf	 err;
	struct rlimit	 old, lim;
	char		*dir, *path, *before, *after;
	char		 id[RECORD_WRITE_ID_LEN + 1], *s;
	size_t		 n = 64 * 1024;

	dir = test_tmpdir();
	r = small_record("Small");
	record_write_id(r->primary->web_url, id);
	record_write_opts_init(&opts);
	ASSERT_INT_EQ(record_write_file(dir, id, r, &opts, &err), 0);
	path = xasprintf("%s/%s.yaml", dir, id);
	before = test_read_file(path, NULL);

	s = xmalloc(n + 1);
	memset(s, 'x', n);
	s[n] = '\0';
	big = small_record(s);
	free(s);
	ASSERT_INT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 16 * 1024;
	signal(SIGXFSZ, SIG_IGN);
	ASSERT_INT_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
	errbuf_clear(&err);
	ASSERT_INT_EQ(record_write_file(dir, id, big, &opts, &err), -EFBIG);
	ASSERT_INT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	ASSERT_NOT_NULL(strstr(err.msg, "cannot write: File too large"));
	ASSERT_NOT_NULL(strstr(err.msg, id));
	after = test_read_file(path, NULL);
	ASSERT_STR_EQ(after, before);
	ASSERT_INT_EQ(count_entries(dir, ".tmp-"), 0);

	free(before);
	free(after);
	free(path);
	record_free(r);
	record_free(big);
	test_rmtree(dir);
	free(dir);
}

/* With a key, every write seals the primary's provenance afresh. */
static void
test_record_write_sealed(void)
{
	static const unsigned char bytes[SEAL_KEY_LEN] = { 1, 2, 3 };
	struct record_write_opts opts;
	struct seal_key	*key;
	struct record	*r, *back;
	struct errbuf	 err;
	struct buf	 doc;
	char		*dir, *path, *first;

	dir = test_tmpdir();
	key = seal_key_new(bytes);
	r = small_record("Sealed");
	entry_set(&r->primary->feed_url, "https://example.com/feed.xml");
	entry_set(&r->primary->guid, "guid-1");
	r->primary->fetched = 1705672805;
	r->secured = xstrdup("ignored;when a key is given");
	record_write_opts_init(&opts);
	opts.fsync = opts.fsync_dir = 0;
	opts.key = key;
	ASSERT_INT_EQ(record_write_file(dir, "0123456789abcdef", r, &opts,
	    &err), 0);
	path = path_in(dir, "0123456789abcdef.yaml");
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	buf_init(&doc, SEAL_PLAIN_MAX);
	ASSERT_INT_EQ(seal_open(key, back->secured, &doc, &err), 0);
	ASSERT_NOT_NULL(strstr(buf_str(&doc), "\nentry: guid-1\n"));
	ASSERT_NOT_NULL(strstr(buf_str(&doc),
	    "\nfetched: 2024-01-19T14:00:05Z\n"));
	first = xstrdup(back->secured);
	record_free(back);
	/* A rewrite: a new IV, so a new field for the same provenance. */
	ASSERT_INT_EQ(record_write_file(dir, "0123456789abcdef", r, &opts,
	    &err), 0);
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	ASSERT_STR_NE(back->secured, first);
	ASSERT_INT_EQ(seal_open(key, back->secured, &doc, &err), 0);
	record_free(back);
	/* Without a key the record's own value is written. */
	opts.key = NULL;
	ASSERT_INT_EQ(record_write_file(dir, "0123456789abcdef", r, &opts,
	    &err), 0);
	ASSERT_INT_EQ(record_read_file(path, &back, &err), 0);
	ASSERT_STR_EQ(back->secured, "ignored;when a key is given");
	record_free(back);
	buf_free(&doc);
	free(first);
	free(path);
	record_free(r);
	seal_key_free(key);
	test_rmtree(dir);
	free(dir);
}

static void
test_record_write_sync(void)
{
	struct record_write_opts opts;
	struct record	*r;
	struct errbuf	 err;
	char		*dir, *p;

	dir = test_tmpdir();
	/* A batch: no folder fsync per file, one at the end. */
	r = small_record("Story");
	record_write_opts_init(&opts);
	ASSERT_INT_EQ(opts.fsync, 1);
	ASSERT_INT_EQ(opts.fsync_dir, 1);
	opts.fsync_dir = 0;
	ASSERT_INT_EQ(record_write_file(dir, "0123456789abcdef", r, &opts,
	    &err), 0);
	ASSERT_INT_EQ(record_write_file(dir, "123456789abcdef0", r, &opts,
	    &err), 0);
	ASSERT_INT_EQ(record_write_sync(dir, &err), 0);
	p = path_in(dir, "missing");
	ASSERT_INT_EQ(record_write_sync(p, &err), -ENOENT);
	ASSERT_NOT_NULL(strstr(err.msg, "cannot sync the folder"));
	free(p);
	record_free(r);
	test_rmtree(dir);
	free(dir);
}

/* A folder we may not write into: a clear EACCES (not as root). */
static void
test_record_write_permission_denied(void)
{
	struct record	*r;
	struct errbuf	 err;
	char		*dir;

	if (geteuid() == 0)
		test_skip("root ignores folder permissions");
	dir = test_tmpdir();
	r = small_record("Story");
	ASSERT_INT_EQ(chmod(dir, 0500), 0);
	ASSERT_INT_EQ(record_write_file(dir, "0123456789abcdef", r, NULL,
	    &err), -EACCES);
	ASSERT_NOT_NULL(strstr(err.msg, "Permission denied"));
	ASSERT_INT_EQ(chmod(dir, 0700), 0);
	record_free(r);
	test_rmtree(dir);
	free(dir);
}

/*
 * The fast path (strings libyaml would write unchanged) must give the
 * same bytes as libyaml itself, in both styles: 30,000 strings made of
 * pieces chosen to sit on every edge record_kept_len() and the plain
 * test draw (indicators, quotes, backslashes, controls, the breaks
 * U+0085/U+2028/U+2029, the BOM, U+FFFE, surrogates, overlong and cut
 * sequences, four-byte characters, YAML's special words and numbers).
 */
static void
test_record_write_fast_path_is_libyaml(void)
{
	static const char *const pieces[] = {
		"a", "Z", "q", "7", "0", " ", "  ", ".", "-", "_", "/", "'",
		"\"", "\\", ":", ": ", "#", " #", ",", "?", "[", "]", "{", "}",
		"&", "*", "!", "|", ">", "%", "@", "`", "~", "=", "<<", "+",
		"\t", "\n", "\r", "\x01", "\x1f", "\x7f",
		"\xc3\xa9", "\xc2\xa0", "\xc2\x85", "\xc2\x9f", "\xdf\xbf",
		"\xe2\x80\x99", "\xe2\x80\xa8", "\xe2\x80\xa9",
		"\xef\xbb\xbf", "\xef\xbf\xbd", "\xef\xbf\xbe",
		"\xef\xbf\xbf", "\xee\x80\x80", "\xed\x9f\xbf",
		"\xed\xa0\x80", "\xe0\xa0\x80", "\xe0\x9f\xbf",
		"\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xff", "\xc0\x80",
		"\xf0\x90\x80\x80", "\xf0\x9f\xbf\xbe", "\xf3\xbf\xbf\xbf",
		"\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf0\x9f\x98",
		"\xf5\x80\x80\x80",
		"\xe2\x80", "\xc3", "\xe4\xb8\xad", "\xd0\x96",
		"yes", "No", "null", "true", "---", "...", "- ", "1.5", "0x1F",
		"2024-01-01", "12:30", ".inf", "e3", "Reuters", "nytimes.com",
	};
	const size_t	 npieces = sizeof pieces / sizeof pieces[0];
	uint64_t	 x = 0x9e3779b97f4a7c15ULL;
	struct buf	 in, fast, slow;
	int		 i, k, nk, quoted, ef, es;

	buf_init(&in, 4096);
	buf_init(&fast, 4096);
	buf_init(&slow, 4096);
	for (i = 0; i < 30000; i++) {
		buf_reset(&in);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* Long ones too: the scan takes sixteen bytes at a time. */
		if (i % 3 == 0)
			ASSERT_INT_EQ(buf_adds(&in, "Sixteen bytes at a time "), 0);
		nk = 1 + (int)(x % 12);
		for (k = 0; k < nk; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			ASSERT_INT_EQ(buf_adds(&in, pieces[x % npieces]), 0);
		}
		for (quoted = 0; quoted < 2; quoted++) {
			buf_reset(&fast);
			buf_reset(&slow);
			ef = record_write_scalar(buf_str(&in), quoted, 0, &fast);
			es = record_write_scalar(buf_str(&in), quoted, 1, &slow);
			ASSERT_INT_EQ(ef, es);
			ASSERT_MEM_EQ(fast.data, fast.len, slow.data, slow.len);
		}
	}
	buf_free(&in);
	buf_free(&fast);
	buf_free(&slow);
}

static const struct test_case cases[] = {
	TEST(test_record_write_golden),
	TEST(test_record_write_roundtrip_seed),
	TEST(test_record_write_roundtrip_hostile),
	TEST(test_record_write_plain_or_quoted),
	TEST(test_record_write_cache_keeps_styles),
	TEST(test_record_write_fast_path_is_libyaml),
	TEST(test_record_write_titles_quoted),
	TEST(test_record_write_invalid_utf8_repaired),
	TEST(test_record_write_long_strings),
	TEST(test_record_write_unknown_left_out),
	TEST(test_record_write_primary_extras),
	TEST(test_record_write_bug_empty_topics_group),
	TEST(test_record_write_dates),
	TEST(test_record_write_id),
	TEST(test_record_write_file_basic),
	TEST(test_record_write_published_kept),
	TEST(test_record_write_corrupt_moved_aside),
	TEST(test_record_write_deleted_policy),
	TEST(test_record_write_cleanup_leftovers),
	TEST(test_record_write_failure_keeps_old),
	TEST(test_record_write_sealed),
	TEST(test_record_write_sync),
	TEST(test_record_write_permission_denied),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
