/*
 * test.h: feedfold's small test harness.
 *
 * A test program lists its cases in a table and calls test_main(); each
 * case is reported as one TAP line ("ok 3 - name"), which automake's TAP
 * driver counts. An assertion that fails prints both values, the file and
 * the line, then ends the current case (the next case still runs). Like
 * libuv's test/task.h, assertions print what they compared.
 *
 *	static void test_thing(void) { ASSERT_INT_EQ(thing(), 4); }
 *	static const struct test_case cases[] = { TEST(test_thing) };
 *	int main(void) { return TEST_MAIN(cases); }
 */
#ifndef FEEDFOLD_TEST_H
#define FEEDFOLD_TEST_H

#include <stddef.h>
#include <stdint.h>

struct test_case {
	const char	*name;
	void		(*fn)(void);
};

#define TEST(fn)	{ #fn, fn }
#define TEST_MAIN(cases) \
	test_main((cases), sizeof (cases) / sizeof (cases)[0])

int	 test_main(const struct test_case *, size_t);

/* Stop the current case as failed after printing a "# " diagnostic. */
void	 test_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4), noreturn));
/* Mark the current case skipped (TAP "# SKIP") and stop it. */
void	 test_skip(const char *why) __attribute__((noreturn));

void	 test_assert_int(const char *, int, const char *, const char *,
	    long long, long long, int);
void	 test_assert_str(const char *, int, const char *, const char *,
	    const char *, const char *, int);
void	 test_assert_mem(const char *, int, const char *, const char *,
	    const void *, size_t, const void *, size_t);

#define ASSERT(x) do {							\
	if (!(x))							\
		test_fail(__FILE__, __LINE__, "assertion failed: %s", #x); \
} while (0)
#define ASSERT_INT_EQ(a, b) test_assert_int(__FILE__, __LINE__, #a, #b, \
	(long long)(a), (long long)(b), 1)
#define ASSERT_INT_NE(a, b) test_assert_int(__FILE__, __LINE__, #a, #b, \
	(long long)(a), (long long)(b), 0)
#define ASSERT_STR_EQ(a, b) test_assert_str(__FILE__, __LINE__, #a, #b, \
	(a), (b), 1)
#define ASSERT_STR_NE(a, b) test_assert_str(__FILE__, __LINE__, #a, #b, \
	(a), (b), 0)
#define ASSERT_MEM_EQ(a, alen, b, blen) test_assert_mem(__FILE__, __LINE__, \
	#a, #b, (a), (alen), (b), (blen))
#define ASSERT_NULL(a)	ASSERT((a) == NULL)
#define ASSERT_NOT_NULL(a) ASSERT((a) != NULL)

/*
 * Fixture paths: "$srcdir/tests/data/<rel>" (srcdir comes from the test
 * environment that make check sets; "." otherwise). Returns a static
 * buffer, overwritten by the next call.
 */
const char	*test_data(const char *rel);
/* Read a whole file; NULL if it cannot be read. Caller frees. */
char		*test_read_file(const char *path, size_t *len);
/* A fresh empty folder under $TMPDIR; caller owns it (test_rmtree). */
char		*test_tmpdir(void);
void		 test_rmtree(const char *path);

#endif
