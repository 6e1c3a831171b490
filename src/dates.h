/*
 * dates.h: feed dates to UTC and back.
 *
 * dates_parse() accepts what feeds really publish: RFC 822/1123/2822 and
 * their variants (missing comma or seconds, 2-digit years, named and
 * military zones, GMT+N, wrong day names), RFC 3339 / W3C-DTF (partial
 * dates, fractions, offsets), ISO 8601 basic, asctime and a few others.
 */
#ifndef FEEDFOLD_DATES_H
#define FEEDFOLD_DATES_H

#include <stddef.h>
#include <stdint.h>

#define DATES_BUFSIZE	32	/* enough for dates_format() of any int64 */

/* 0 with *t = Unix seconds UTC, or -1 when s is not a date we know. */
int	 dates_parse(const char *s, int64_t *t);
/* "YYYY-MM-DDTHH:MM:SSZ" into buf; returns buf. */
char	*dates_format(int64_t t, char *buf, size_t size);

#endif
