/*
 * test.c: the harness of test.h: TAP output, assertions, fixtures.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static jmp_buf	 test_jmp;
static int	 test_skipped;
static char	 test_skip_why[256];

int
test_main(const struct test_case *cases, size_t n)
{
	volatile size_t	 i;
	volatile int	 failed = 0;

	/* Unbuffered so that output interleaves with a crash report. */
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		test_skipped = 0;
		if (setjmp(test_jmp) == 0) {
			cases[i].fn();
			printf("ok %zu - %s\n", i + 1, cases[i].name);
		} else if (test_skipped) {
			printf("ok %zu - %s # SKIP %s\n", i + 1, cases[i].name,
			    test_skip_why);
		} else {
			printf("not ok %zu - %s\n", i + 1, cases[i].name);
			failed++;
		}
	}
	return failed ? 1 : 0;
}

void
test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	longjmp(test_jmp, 1);
}

void
test_skip(const char *why)
{
	test_skipped = 1;
	snprintf(test_skip_why, sizeof test_skip_why, "%s", why);
	longjmp(test_jmp, 1);
}

void
test_assert_int(const char *file, int line, const char *as, const char *bs,
    long long a, long long b, int eq)
{
	if ((a == b) == eq)
		return;
	test_fail(file, line, "%s %s %s: %lld vs %lld", as, eq ? "==" : "!=",
	    bs, a, b);
}

/* Print a string for a diagnostic with control characters escaped. */
static void
test_print_quoted(const char *s)
{
	if (s == NULL) {
		printf("NULL");
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			printf("\\n");
		else if (*s == '\t')
			printf("\\t");
		else if ((unsigned char)*s < 0x20)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

void
test_assert_str(const char *file, int line, const char *as, const char *bs,
    const char *a, const char *b, int eq)
{
	int	 same;

	if (a == NULL || b == NULL)
		same = a == b;
	else
		same = strcmp(a, b) == 0;
	if (same == eq)
		return;
	printf("# %s:%d: %s %s %s\n#   left:  ", file, line, as,
	    eq ? "==" : "!=", bs);
	test_print_quoted(a);
	printf("\n#   right: ");
	test_print_quoted(b);
	printf("\n");
	longjmp(test_jmp, 1);
}

void
test_assert_mem(const char *file, int line, const char *as, const char *bs,
    const void *a, size_t alen, const void *b, size_t blen)
{
	const unsigned char	*pa = a, *pb = b;
	size_t			 i, n;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return;
	n = alen < blen ? alen : blen;
	for (i = 0; i < n && pa[i] == pb[i]; i++)
		;
	/* Show the line around the first difference: that is what helps. */
	printf("# %s:%d: %s == %s: lengths %zu vs %zu, first difference at "
	    "byte %zu\n", file, line, as, bs, alen, blen, i);
	{
		size_t	 s = i > 60 ? i - 60 : 0;
		char	*ca = strndup((const char *)pa + s, (i - s) + 60 < alen - s ?
			    (i - s) + 60 : alen - s);
		char	*cb = strndup((const char *)pb + s, (i - s) + 60 < blen - s ?
			    (i - s) + 60 : blen - s);

		printf("#   left:  ");
		test_print_quoted(ca);
		printf("\n#   right: ");
		test_print_quoted(cb);
		printf("\n");
		free(ca);
		free(cb);
	}
	longjmp(test_jmp, 1);
}

const char *
test_data(const char *rel)
{
	static char	 path[4096];
	const char	*srcdir;

	if ((srcdir = getenv("srcdir")) == NULL)
		srcdir = ".";
	snprintf(path, sizeof path, "%s/tests/data/%s", srcdir, rel);
	return path;
}

char *
test_read_file(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*p = NULL;
	size_t	 len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(p, cap + 1);
			if (p == NULL)
				abort();
		}
		n = fread(p + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	p[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return p;
}

char *
test_tmpdir(void)
{
	const char	*base;
	char		*path;

	if ((base = getenv("TMPDIR")) == NULL || *base == '\0')
		base = "/tmp";
	if (asprintf(&path, "%s/feedfold-test.XXXXXX", base) < 0)
		abort();
	if (mkdtemp(path) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return path;
}

static int
test_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void
test_rmtree(const char *path)
{
	nftw(path, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
