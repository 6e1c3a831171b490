/*
 * test_record_read.c: record files back into structs; hostile and
 * hand-edited files give "name:line:col: message" errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "record_read.h"
#include "test.h"
#include "xmalloc.h"

static struct record *
read_ok(const char *text)
{
	struct record	*r = NULL;
	struct errbuf	 err;

	errbuf_clear(&err);
	if (record_read_mem(text, strlen(text), "t", &r, &err) != 0)
		test_fail(__FILE__, __LINE__, "refused: %s", err.msg);
	return r;
}

static void
test_record_read_seed(void)
{
	struct record	*r;
	struct errbuf	 err;
	const struct entry *e;

	ASSERT_INT_EQ(record_read_file(test_data("records/seed.yaml"), &r,
	    &err), 0);
	e = r->primary;
	ASSERT_STR_EQ(e->category, "news");
	ASSERT_STR_EQ(e->title, "Meta's AI overhaul: Zuckerberg's plan to "
	    "integrate and expand generative AI research");
	ASSERT_INT_EQ(e->published, 1705671720);
	ASSERT_STR_EQ(e->web_url, e->original_url);
	ASSERT_STR_EQ(e->type, "article");
	ASSERT_INT_EQ(e->quality, 12);
	ASSERT_STR_EQ(e->provider_name, "CoinTelegraph");
	ASSERT_STR_EQ(e->provider_domain, "cointelegraph.com");
	ASSERT_INT_EQ(e->ntopics, 2);
	ASSERT_STR_EQ(e->topics[1], "AI");
	ASSERT_INT_EQ(r->heat, -1);
	ASSERT_INT_EQ(r->published, 0);
	ASSERT_INT_EQ(r->nrelated, 14);
	ASSERT_NOT_NULL(r->secured);
	ASSERT_INT_EQ(strlen(r->secured), 536 + 1 + 24);

	e = r->related[0];
	ASSERT_STR_EQ(e->provider_name, "Rolling Stone");
	ASSERT_STR_EQ(e->cdn_amp_url, "https://www-rollingstone-com.cdn."
	    "ampproject.org/c/s/www.rollingstone.com/culture/culture-features/"
	    "mark-zuckerberg-meta-ai-metaverse-1234950139/amp/");
	ASSERT_INT_EQ(e->nimages, 1);
	ASSERT_INT_EQ(e->images[0].width, 1600);
	ASSERT_INT_EQ(e->images[0].height, 900);
	ASSERT_INT_EQ(e->images[0].cached, 1);
	e = r->related[12];
	ASSERT_STR_EQ(e->excerpt, "Mark Zuckerberg said Meta will have \"an "
	    "absolutely massive amount of infrastructure\" in place by the end "
	    "of the year to prime it for training an artificial general "
	    "intelligence model.");
	e = r->related[13];
	ASSERT_NULL(e->amp_url);
	ASSERT_INT_EQ(e->nimages, 0);
	ASSERT_INT_EQ(e->quality, 2);
	record_free(r);
}

/* Consumers may add keys of their own; they are ignored. */
static void
test_record_read_unknown_keys_ignored(void)
{
	struct record	*r;

	r = read_ok("---\n"
	    "title: \"T\"\n"
	    "consumerNote: {tags: [a, b], seen: 3}\n"
	    "provider:\n  name: P\n  logo: x.png\n"
	    "related:\n  - title: \"R\"\n    clicks: 12\n    related: 5\n"
	    "    heat: nope\n"
	    "---\n");
	ASSERT_STR_EQ(r->primary->title, "T");
	ASSERT_STR_EQ(r->primary->provider_name, "P");
	ASSERT_INT_EQ(r->nrelated, 1);
	ASSERT_STR_EQ(r->related[0]->title, "R");
	record_free(r);
}

/* Hand edits a person might make, all still a record. */
static void
test_record_read_lenient(void)
{
	struct record	*r;

	r = read_ok("title: \"no document markers\"\npublished: yes\n");
	ASSERT_INT_EQ(r->published, 1);
	ASSERT_STR_EQ(r->primary->title, "no document markers");
	ASSERT_INT_EQ(r->primary->published, ENTRY_NO_DATE);
	ASSERT_INT_EQ(r->heat, -1);
	record_free(r);

	r = read_ok("---\r\ntitle: ~\r\nexcerpt:\r\ncategory: null\r\n"
	    "publishedDateTime: ~\r\ntopics:\r\nrelated: []\r\n"
	    "published: True\r\n---\r\n");
	ASSERT_NULL(r->primary->title);
	ASSERT_NULL(r->primary->excerpt);
	ASSERT_NULL(r->primary->category);
	ASSERT_INT_EQ(r->primary->ntopics, 0);
	ASSERT_INT_EQ(r->nrelated, 0);
	ASSERT_INT_EQ(r->published, 1);
	record_free(r);

	/* Quoted "yes" and plain strings are strings for string fields. */
	r = read_ok("---\ntitle: yes\ncategory: 'news'\ntype: \"123\"\n"
	    "topics: [AI, \"null\"]\n---\n---\n");
	ASSERT_STR_EQ(r->primary->title, "yes");
	ASSERT_STR_EQ(r->primary->category, "news");
	ASSERT_STR_EQ(r->primary->type, "123");
	ASSERT_INT_EQ(r->primary->ntopics, 2);
	ASSERT_STR_EQ(r->primary->topics[1], "null");
	record_free(r);
}

/* Each hostile or broken file: the error and where it is. */
static void
test_record_read_errors(void)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} cases[] = {
		{ "", "t:1:1: no record in the file" },
		{ "---\n", "t:2:1: a record must be a mapping" },
		{ "---\n- a\n", "t:2:1: a record must be a mapping" },
		{ "just words\n", "t:1:1: a record must be a mapping" },
		{ "---\nquality: high\n", "t:2:10: quality: expected an integer" },
		{ "---\nquality: 99999999999\n",
		    "t:2:10: quality: expected an integer" },
		{ "---\nquality: \"12\"\n", "t:2:10: quality: expected an integer" },
		{ "---\nheat: 1.5\n", "t:2:7: heat: expected an integer" },
		{ "---\npublished: maybe\n",
		    "t:2:12: published: expected true or false" },
		{ "---\npublishedDateTime: 2024-02-30T00:00:00Z\n",
		    "t:2:20: publishedDateTime: expected a date like" },
		{ "---\npublishedDateTime: 2024-01-19 13:42:00\n",
		    "t:2:20: publishedDateTime: expected a date like" },
		{ "---\npublishedDateTime: 2024-01-19T25:42:00Z\n",
		    "t:2:20: publishedDateTime: expected a date like" },
		{ "---\ntitle: a\ntitle: b\n",
		    "t:3:1: record: duplicate key title" },
		{ "---\ntitle: &a x\nexcerpt: *a\n",
		    "t:2:8: aliases are not allowed in a record" },
		{ "---\ntitle: [x]\n", "t:2:8: title: expected a string" },
		{ "---\ntitle: \"a\\0b\"\n",
		    "t:2:8: title: NUL character in a string" },
		{ "---\ntitle: \"unterminated\n",
		    "t:3:1: found unexpected end of stream while scanning a "
		    "quoted scalar" },
		{ "---\n\ttitle: x\n", "t:2:1: found character that cannot start "
		    "any token while scanning for the next token" },
		{ "---\ntitle: \"a\xc3\x28\"\n",
		    "t:2:11: invalid trailing UTF-8 octet" },
		{ "---\ntitle: \"a\x01\"\n",
		    "t:2:10: control characters are not allowed" },
		{ "---\ntitle: x\n---\nmore: stuff\n",
		    "t:4:1: unexpected content after the record" },
		{ "---\nrelated: 5\n", "t:2:10: related: expected a list" },
		{ "---\nrelated:\n  - 5\n",
		    "t:3:5: related item: expected a mapping" },
		{ "---\nrelated:\n  - images:\n      - width: 5\n",
		    "t:4:9: image: no url" },
		{ "---\nimages: {url: x}\n", "t:2:9: images: expected a list" },
		{ "---\nimages:\n  - url: x\n    isCached: 1\n",
		    "t:4:15: isCached: expected true or false" },
		{ "---\ntopics: AI\n", "t:2:9: topics: expected a list" },
		{ "---\ntopics:\n  - [x]\n", "t:3:5: topic: expected a string" },
		{ "---\nprovider: P\n", "t:2:11: provider: expected a mapping" },
		{ "---\n[a]: b\n", "t:2:1: record: keys must be strings" },
		{ "---\nrelated:\n  - &r {title: x}\n  - *r\n",
		    "t:3:5: aliases are not allowed in a record" },
	};
	struct record	*r;
	struct errbuf	 err;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		errbuf_clear(&err);
		r = (struct record *)1;
		if (record_read_mem(cases[i].text, strlen(cases[i].text), "t",
		    &r, &err) != -EBADMSG)
			test_fail(__FILE__, __LINE__, "case %zu accepted", i);
		ASSERT_NULL(r);
		if (strncmp(err.msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			test_fail(__FILE__, __LINE__, "case %zu: \"%s\", want "
			    "\"%s\"", i, err.msg, cases[i].msg);
	}
}

/* Deep nesting under an unknown key: no recursion to blow the stack. */
static void
test_record_read_deep_nesting(void)
{
	struct record	*r;
	struct errbuf	 err;
	char		*text;
	size_t		 i, depth = 100000, len;

	len = 3 + 2 * depth + 7;
	text = xmalloc(len + 1);
	memcpy(text, "x: \n", 3);
	for (i = 0; i < depth; i++)
		text[3 + i] = '[';
	for (i = 0; i < depth; i++)
		text[3 + depth + i] = ']';
	memcpy(text + 3 + 2 * depth, "\ny: 1\n", 7);
	ASSERT_INT_EQ(record_read_mem(text, strlen(text), "t", &r, &err), 0);
	record_free(r);
	free(text);
}

static void
test_record_read_size_cap(void)
{
	struct record	*r;
	struct errbuf	 err;
	char		*dir, *path;
	int		 fd;

	ASSERT_INT_EQ(record_read_mem("", (size_t)RECORD_READ_MAX + 1, "t", &r,
	    &err), -EFBIG);
	ASSERT_NULL(r);

	dir = test_tmpdir();
	path = xasprintf("%s/big.yaml", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT(fd != -1);
	/* A sparse file: the cap is checked before anything is read. */
	ASSERT_INT_EQ(ftruncate(fd, (off_t)RECORD_READ_MAX + 1), 0);
	close(fd);
	ASSERT_INT_EQ(record_read_file(path, &r, &err), -EFBIG);
	ASSERT_NOT_NULL(strstr(err.msg, "larger than"));
	free(path);

	path = xasprintf("%s/missing.yaml", dir);
	ASSERT_INT_EQ(record_read_file(path, &r, &err), -ENOENT);
	ASSERT_NOT_NULL(strstr(err.msg, "No such file"));
	free(path);
	ASSERT_INT_EQ(record_read_file(dir, &r, &err), -EINVAL);
	ASSERT_NOT_NULL(strstr(err.msg, "not a regular file"));
	test_rmtree(dir);
	free(dir);
}

/*
 * Refused files kept as fixtures: hand edits, and whatever fuzzing
 * (fuzz/fuzz_record_read.c) finds, named after the bug.
 */
static void
test_record_read_refused_fixtures(void)
{
	static const char *const files[] = {
		"records/hand-edited-tabs.yaml",
	};
	struct record	*r;
	struct errbuf	 err;
	size_t		 i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		ASSERT_INT_EQ(record_read_file(test_data(files[i]), &r, &err),
		    -EBADMSG);
		ASSERT_NOT_NULL(strstr(err.msg, ".yaml:"));
	}
}

static const struct test_case cases[] = {
	TEST(test_record_read_seed),
	TEST(test_record_read_unknown_keys_ignored),
	TEST(test_record_read_lenient),
	TEST(test_record_read_errors),
	TEST(test_record_read_deep_nesting),
	TEST(test_record_read_size_cap),
	TEST(test_record_read_refused_fixtures),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
