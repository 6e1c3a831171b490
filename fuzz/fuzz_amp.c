/*
 * fuzz_amp.c: libFuzzer target for the AMP cache URL functions.
 *
 * The input is a host and a URL at once. Besides memory safety it checks
 * that every subdomain is a valid DNS label (1 to 63 of [a-z0-9-], no '-'
 * at either end), that a cache URL is on the cache domain, and that
 * punycode decodes what it encoded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "amp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_amp_label(const char *s)
{
	size_t	 i, n;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n == 0 || n > AMP_LABEL_MAX || s[0] == '-' || s[n - 1] == '-')
		abort();
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			abort();
	}
}

/* Code points from the input, 3 bytes each, surrogates moved aside. */
static void
fuzz_amp_roundtrip(const uint8_t *data, size_t size)
{
	uint32_t in[64], back[64];
	char	 out[512];
	size_t	 n = 0, i, nb = 64;

	for (i = 0; i + 3 <= size && n < 64; i += 3) {
		uint32_t c = ((uint32_t)data[i] << 16 | data[i + 1] << 8 |
		    data[i + 2]) % 0x110000;

		if (c >= 0xd800 && c <= 0xdfff)
			c -= 0x800;
		in[n++] = c;
	}
	if (amp_punycode_encode(in, n, out, sizeof out) < 0)
		return;
	if (amp_punycode_decode(out, strlen(out), back, &nb) != 0 ||
	    nb != n || memcmp(in, back, n * sizeof *in) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *r;
	uint32_t cp[300];
	size_t	 n = 300;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	r = amp_cache_subdomain(s);
	fuzz_amp_label(r);
	free(r);
	r = amp_cache_url(s);
	if (r != NULL && (strncmp(r, "https://", 8) != 0 ||
	    strstr(r, "." AMP_CACHE_DOMAIN "/c/") == NULL))
		abort();
	free(r);
	(void)amp_punycode_decode(s, size, cp, &n);
	fuzz_amp_roundtrip(data, size);
	free(s);
	return 0;
}
