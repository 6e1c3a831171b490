/*
 * dates.c: placeholder until the date parser lands (issue 3).
 */
#include <stdio.h>

#include "dates.h"

int
dates_parse(const char *s, int64_t *t)
{
	(void)s;
	(void)t;
	return -1;
}

char *
dates_format(int64_t t, char *buf, size_t size)
{
	(void)t;
	if (size > 0)
		buf[0] = '\0';
	return buf;
}
