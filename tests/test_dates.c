/*
 * test_dates.c: dates_parse() over the forms feeds publish, from the table
 * in tests/data/dates/dates.tsv, and dates_format().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dates.h"
#include "test.h"

/* Undo the fixture's "\t" and "\n" escapes in place. */
static void
unescape(char *s)
{
	char	*o = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == 't') {
			*o++ = '\t';
			s++;
		} else if (s[0] == '\\' && s[1] == 'n') {
			*o++ = '\n';
			s++;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

static void
test_dates_table(void)
{
	char		*data, *line, *next, *tab, buf[DATES_BUFSIZE];
	size_t		 len;
	int		 cases = 0, failed = 0, rc;
	int64_t		 t;

	data = test_read_file(test_data("dates/dates.tsv"), &len);
	ASSERT_NOT_NULL(data);
	for (line = data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		tab = strrchr(line, '\t');
		ASSERT_NOT_NULL(tab);
		*tab++ = '\0';
		unescape(line);
		cases++;
		rc = dates_parse(line, &t);
		if (strcmp(tab, "-") == 0) {
			if (rc == 0) {
				printf("# \"%s\": expected no date, got %s\n",
				    line, dates_format(t, buf, sizeof buf));
				failed++;
			}
			continue;
		}
		if (rc != 0) {
			printf("# \"%s\": expected %s, got no date\n", line, tab);
			failed++;
		} else if (strcmp(dates_format(t, buf, sizeof buf), tab) != 0) {
			printf("# \"%s\": expected %s, got %s\n", line, tab, buf);
			failed++;
		}
	}
	free(data);
	printf("# %d date strings, %d wrong\n", cases, failed);
	ASSERT(cases >= 150);
	ASSERT_INT_EQ(failed, 0);
}

static void
test_dates_format_known(void)
{
	char	buf[DATES_BUFSIZE];

	ASSERT_STR_EQ(dates_format(0, buf, sizeof buf), "1970-01-01T00:00:00Z");
	ASSERT_STR_EQ(dates_format(1705671720, buf, sizeof buf),
	    "2024-01-19T13:42:00Z");
	ASSERT_STR_EQ(dates_format(-1, buf, sizeof buf), "1969-12-31T23:59:59Z");
	ASSERT_STR_EQ(dates_format(-86400, buf, sizeof buf),
	    "1969-12-31T00:00:00Z");
	ASSERT_STR_EQ(dates_format(951782400, buf, sizeof buf),
	    "2000-02-29T00:00:00Z");
	ASSERT_STR_EQ(dates_format(-62135596800LL, buf, sizeof buf),
	    "0001-01-01T00:00:00Z");
	ASSERT_STR_EQ(dates_format(253402300799LL, buf, sizeof buf),
	    "9999-12-31T23:59:59Z");
	ASSERT_STR_EQ(dates_format(2147483648LL, buf, sizeof buf),
	    "2038-01-19T03:14:08Z");
}

/* Any int64 fits DATES_BUFSIZE, and a short buffer is cut, not overrun. */
static void
test_dates_format_extremes(void)
{
	char	buf[DATES_BUFSIZE], small[8];

	dates_format(INT64_MAX, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "292277026596-12-04T15:30:07Z");
	dates_format(INT64_MIN, buf, sizeof buf);
	ASSERT(strlen(buf) < sizeof buf);
	ASSERT(buf[strlen(buf) - 1] == 'Z');
	dates_format(1705671720, small, sizeof small);
	ASSERT_STR_EQ(small, "2024-01");
}

/*
 * dates_format() writes by hand what gmtime_r() and snprintf's "%04lld"
 * say, from year -9999 (a minus sign is one of the four) through years
 * before 1000 and past 9999, whole and cut to every size.
 */
static void
test_dates_format_as_snprintf(void)
{
	char		 want[64], got[DATES_BUFSIZE], cut[DATES_BUFSIZE];
	struct tm	 tm;
	time_t		 tt;
	int64_t		 t;
	size_t		 size;
	int		 n = 0;

	for (t = -377705116800LL; t <= 3155760000000LL;
	    t += 97 * 86400 + 3601) {
		tt = (time_t)t;
		ASSERT(gmtime_r(&tt, &tm) != NULL);
		snprintf(want, sizeof want, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
		    (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec);
		ASSERT_STR_EQ(dates_format(t, got, sizeof got), want);
		n++;
	}
	ASSERT(n > 400000);
	t = -62198755200LL;		/* year -1, "-001" */
	for (size = 0; size <= sizeof got; size++) {
		memset(cut, 'x', sizeof cut);
		dates_format(t, cut, size);
		if (size == 0)
			ASSERT(cut[0] == 'x');
		else {
			dates_format(t, got, sizeof got);
			snprintf(want, size, "%s", got);
			ASSERT_STR_EQ(cut, want);
		}
	}
}

/* Every day of years 1..9999 (one a week) formats and parses back. */
static void
test_dates_round_trip(void)
{
	char	buf[DATES_BUFSIZE];
	int64_t	t, back;
	int	n = 0;

	for (t = -62135596800LL; t <= 253402300799LL;
	    t += 7 * 86400 + 3723) {
		dates_format(t, buf, sizeof buf);
		ASSERT_INT_EQ(dates_parse(buf, &back), 0);
		if (back != t)
			test_fail(__FILE__, __LINE__, "%s: %lld != %lld", buf,
			    (long long)back, (long long)t);
		n++;
	}
	ASSERT(n > 500000);
}

/*
 * The same instant in every form: the parser agrees with itself whatever
 * the layout.
 */
static void
test_dates_same_instant(void)
{
	static const char *const forms[] = {
		"Fri, 19 Jan 2024 13:42:00 GMT",
		"Fri, 19 Jan 2024 08:42:00 EST",
		"Fri, 19 Jan 2024 14:42:00 +0100",
		"2024-01-19T13:42:00Z",
		"2024-01-19T19:12:00+05:30",
		"20240119T134200Z",
		"Fri Jan 19 13:42:00 2024",
		"January 19, 2024 1:42 PM GMT",
		"Fri Jan 19 2024 05:42:00 GMT-0800 (Pacific Standard Time)",
	};
	size_t	i;
	int64_t	t;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		ASSERT_INT_EQ(dates_parse(forms[i], &t), 0);
		ASSERT_INT_EQ(t, 1705671720);
	}
}

/* The word table is sorted for bsearch, so every row is found. */
static void
test_dates_word_table_sorted(void)
{
	size_t	i, n = dates_word_count();

	ASSERT(n > 50);
	for (i = 0; i < n; i++) {
		if (i > 0)
			ASSERT(strcmp(dates_word_name(i - 1),
			    dates_word_name(i)) < 0);
		ASSERT(dates_word_known(dates_word_name(i)));
	}
	ASSERT_NULL(dates_word_name(n));
	ASSERT(!dates_word_known("pacific"));
}

/* A failed parse leaves *t alone; NULL is no date. */
static void
test_dates_failure_keeps_value(void)
{
	int64_t	t = 42;

	ASSERT_INT_EQ(dates_parse("not a date", &t), -1);
	ASSERT_INT_EQ(t, 42);
	ASSERT_INT_EQ(dates_parse(NULL, &t), -1);
	ASSERT_INT_EQ(t, 42);
}

static const struct test_case cases[] = {
	TEST(test_dates_table),
	TEST(test_dates_format_known),
	TEST(test_dates_format_extremes),
	TEST(test_dates_format_as_snprintf),
	TEST(test_dates_round_trip),
	TEST(test_dates_same_instant),
	TEST(test_dates_word_table_sorted),
	TEST(test_dates_failure_keeps_value),
};

int
main(void)
{
	return (TEST_MAIN(cases));
}
