/*
 * dates.h: feed dates to UTC and back.
 *
 * dates_parse() accepts what feeds really publish: RFC 822/1123/2822 and
 * their variants (missing comma or seconds, 2-digit years, named and
 * military zones, GMT+N, wrong day names), RFC 3339 / W3C-DTF (partial
 * dates, fractions, offsets), ISO 8601 basic, asctime and a few others
 * (docs/dates-and-text.md lists them). It allocates nothing, reads no
 * locale or TZ, and is safe to call from any thread.
 */
#ifndef FEEDFOLD_DATES_H
#define FEEDFOLD_DATES_H

#include <stddef.h>
#include <stdint.h>

#define DATES_BUFSIZE	32	/* enough for dates_format() of any int64 */

/*
 * 0 with *t = Unix seconds UTC (years 1..9999), or -1 when s (a C string,
 * may be NULL) is not a date we know; *t is then left alone. A date
 * without a zone is UTC; a date without a time is midnight.
 */
int	 dates_parse(const char *s, int64_t *t);
/*
 * "YYYY-MM-DDTHH:MM:SSZ" into buf (years before 1000 keep four digits,
 * years past 9999 get more); truncated to size like snprintf. Returns buf.
 */
char	*dates_format(int64_t t, char *buf, size_t size);

/*
 * The parser's word table (month and day names, zone abbreviations), for
 * the test that checks it is sorted for bsearch and that every row is
 * found. dates_word_name() is NULL past the end; dates_word_known() takes
 * a lower-case word.
 */
size_t	 dates_word_count(void);
const char *dates_word_name(size_t i);
int	 dates_word_known(const char *lower);

#endif
