/*
 * fuzz_url.c: libFuzzer target for the URL functions.
 *
 * The input is split at its first NUL into a base and a reference. Besides
 * memory safety it checks the properties the rest of feedfold relies on:
 * a canonical URL is its own canonical form (so that deduplication keys
 * are stable), and holds no fragment, upper-case scheme or tracking
 * parameter.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_url_check(const char *url)
{
	char	*canon, *again, *s, *d;
	const char *p;

	if ((canon = url_canonical(url)) == NULL)
		return;
	again = url_canonical(canon);
	if (again == NULL || strcmp(again, canon) != 0)
		abort();
	if (strchr(canon, '#') != NULL)
		abort();
	for (p = canon; *p != ':' && *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			abort();
	}
	s = url_scheme(canon);
	d = url_domain(canon);
	free(s);
	free(d);
	free(again);
	free(canon);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*buf, *ref, *r;
	size_t	 blen;

	if (size > 65536)
		return 0;
	buf = malloc(size + 2);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	blen = strlen(buf);
	ref = buf + blen + (blen < size ? 1 : 0);
	if (blen == size)
		ref = buf + size + 1;	/* no NUL: ref is empty */

	fuzz_url_check(buf);
	fuzz_url_check(ref);
	if ((r = url_resolve(buf, ref)) != NULL) {
		fuzz_url_check(r);
		free(r);
	}
	free(url_domain(buf));
	free(url_scheme(ref));
	(void)url_is_tracking_param(buf, blen);
	free(buf);
	return 0;
}
