/*
 * amp.h: the AMP cache URL (cdnAmpWebUrl) of an AMP page (ampWebUrl).
 *
 * Google's AMP cache serves a publisher's AMP page from a subdomain of
 * cdn.ampproject.org named after the publisher's host, by the rules of the
 * AMP project's reference implementation (amp-toolbox cache-url, whose
 * test vectors test_amp.c checks): the host from punycode to Unicode, '-'
 * doubled, '.' made '-', back to punycode, lower-case, "0-...-0" around a
 * result with '-' in its 3rd and 4th places; a host that cannot give a
 * valid DNS label that way gets the base32 of its SHA-256 instead.
 * docs/enrichment.md has the details. Nothing here touches the network.
 */
#ifndef FEEDFOLD_AMP_H
#define FEEDFOLD_AMP_H

#include <stddef.h>
#include <stdint.h>

#define AMP_CACHE_DOMAIN	"cdn.ampproject.org"
#define AMP_LABEL_MAX		63	/* a DNS label */
#define AMP_HOST_MAX		253	/* a DNS name, in its ASCII form */

/*
 * The AMP cache URL of an absolute http or https URL: "https://" SUB "."
 * AMP_CACHE_DOMAIN "/c/s/" (or "/c/" for http) then the host, the port if
 * it is not the default, the path and the query; the user, password and
 * fragment are left out. A new string owned by the caller, or NULL when
 * url is not an absolute http(s) URL with a host, or the host is longer
 * than AMP_HOST_MAX in ASCII or holds bad punycode or UTF-8.
 */
char	*amp_cache_url(const char *url);

/*
 * The cache subdomain (one DNS label, no dot) for host, which may be in
 * ASCII, punycode ("xn--...") or UTF-8, with any ASCII case. A new string
 * owned by the caller, or NULL as for amp_cache_url().
 */
char	*amp_cache_subdomain(const char *host);

/*
 * RFC 3492 punycode of one label, without the "xn--" prefix (exposed for
 * the tests of RFC 3492's samples).
 *
 * amp_punycode_encode: n code points into out (outsize bytes, with the
 * NUL). Returns the length written, or -1 when out is too small or the
 * input cannot be encoded (overflow, U+0000, a code point past U+10FFFF).
 *
 * amp_punycode_decode: len bytes into at most *n code points; *n is set
 * to the count. Returns 0, or -1 on bad input (a non-basic character
 * before the last '-', a bad digit, a truncated number, overflow, a
 * surrogate or a code point past U+10FFFF) or when *n is too small.
 */
int	 amp_punycode_encode(const uint32_t *in, size_t n, char *out,
	    size_t outsize);
int	 amp_punycode_decode(const char *in, size_t len, uint32_t *out,
	    size_t *n);

#endif
