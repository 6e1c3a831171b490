/*
 * fuzz_dates.c: libFuzzer target for dates_parse() and dates_format().
 *
 * The input is one date string. Whatever it is, parsing must not read past
 * its NUL or overflow, and a parsed date must format and parse back to the
 * same second (dates_format's output is one of the forms dates_parse
 * accepts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, buf[DATES_BUFSIZE];
	int64_t	 t, back;

	if (size > 4096)
		return (0);
	s = malloc(size + 1);
	if (s == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';
	if (dates_parse(s, &t) == 0) {
		dates_format(t, buf, sizeof buf);
		/* Years 0 and 10000 are reachable through offsets only. */
		if (t >= -62135596800LL && t <= 253402300799LL) {
			if (dates_parse(buf, &back) != 0 || back != t)
				abort();
		}
	}
	free(s);
	return (0);
}
