/*
 * test_buf.c: capped buffers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test.h"

static void
test_buf_append(void)
{
	struct buf	 b;

	buf_init(&b, BUF_NOMAX);
	ASSERT_STR_EQ(buf_str(&b), "");
	ASSERT_INT_EQ(buf_adds(&b, "feed"), 0);
	ASSERT_INT_EQ(buf_addc(&b, '-'), 0);
	ASSERT_INT_EQ(buf_printf(&b, "%d%s", 42, "fold"), 0);
	ASSERT_STR_EQ(buf_str(&b), "feed-42fold");
	ASSERT_INT_EQ(b.len, 11);
	buf_truncate(&b, 4);
	ASSERT_STR_EQ(buf_str(&b), "feed");
	buf_free(&b);
}

static void
test_buf_cap_refuses_and_keeps(void)
{
	struct buf	 b;

	buf_init(&b, 8);
	ASSERT_INT_EQ(buf_adds(&b, "12345678"), 0);
	ASSERT_INT_EQ(buf_addc(&b, '9'), -E2BIG);
	ASSERT_INT_EQ(buf_printf(&b, "%s", "x"), -E2BIG);
	/* A refused append leaves the content as it was. */
	ASSERT_STR_EQ(buf_str(&b), "12345678");
	buf_free(&b);
}

static void
test_buf_cap_overflow_size(void)
{
	struct buf	 b;
	char		 c = 'x';

	buf_init(&b, 16);
	ASSERT_INT_EQ(buf_addc(&b, 'a'), 0);
	/* A length near SIZE_MAX must not wrap around the check. */
	ASSERT_INT_EQ(buf_add(&b, &c, (size_t)-1), -E2BIG);
	ASSERT_INT_EQ(b.len, 1);
	buf_free(&b);
}

static void
test_buf_detach(void)
{
	struct buf	 b;
	char		*s;

	buf_init(&b, BUF_NOMAX);
	s = buf_detach(&b);
	ASSERT_STR_EQ(s, "");
	free(s);
	buf_adds(&b, "big body");
	s = buf_detach(&b);
	ASSERT_STR_EQ(s, "big body");
	ASSERT_NULL(b.data);
	ASSERT_INT_EQ(b.len, 0);
	free(s);
	/* Still usable after detaching. */
	ASSERT_INT_EQ(buf_adds(&b, "again"), 0);
	ASSERT_STR_EQ(buf_str(&b), "again");
	buf_free(&b);
}

static void
test_buf_grows_large(void)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b, BUF_NOMAX);
	for (i = 0; i < 100000; i++)
		ASSERT_INT_EQ(buf_addc(&b, (char)('a' + i % 26)), 0);
	ASSERT_INT_EQ(b.len, 100000);
	ASSERT_INT_EQ(strlen(buf_str(&b)), 100000);
	ASSERT_INT_EQ(b.data[99999], 'a' + 99999 % 26);
	buf_free(&b);
}

static const struct test_case cases[] = {
	TEST(test_buf_append),
	TEST(test_buf_cap_refuses_and_keeps),
	TEST(test_buf_cap_overflow_size),
	TEST(test_buf_detach),
	TEST(test_buf_grows_large),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
