/*
 * amp.c: AMP cache URLs (amp.h).
 *
 * The subdomain rules follow the AMP project's reference implementation
 * (amp-toolbox's cache-url), whose published test vectors are in
 * test_amp.c. A host gets a human-readable label when
 *
 *  - its ASCII (punycode) form is at most 63 characters, has a dot, is not
 *    an IP address and holds only letters, digits, '-' and '.', with no
 *    label that starts or ends with '-';
 *  - it does not have '-' in both its 3rd and 4th places (unless it starts
 *    "xn", an IDN label), as DNS reserves such labels;
 *  - its Unicode form does not mix left-to-right and right-to-left letters,
 *    which IDNA's bidi rule forbids within one label;
 *
 * and the label built from it (Unicode form, '-' doubled, '.' made '-',
 * punycode, lower-case, "0-...-0" around it when its 3rd and 4th places
 * are '-') is at most 63 characters. Any other host gets the fallback: the
 * base32 (RFC 4648, lower-case, no padding) of the SHA-256 of its ASCII
 * form, 52 characters.
 *
 * Not done: IDNA's Unicode mapping and normalisation (NFC, case folding of
 * non-ASCII letters). Hosts reach us from URL parsers, already mapped; an
 * unmapped one gets a label the cache would not use, never a crash.
 *
 * Punycode (RFC 3492) is implemented here rather than taken from libidn2,
 * so that feedfold needs no new library for it; every length it works on
 * is bounded by AMP_HOST_MAX, so it uses fixed arrays.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/sha.h>

#include "amp.h"
#include "xmalloc.h"

/* RFC 3492, section 5: the parameters of punycode. */
#define AMP_PC_BASE	36
#define AMP_PC_TMIN	1
#define AMP_PC_TMAX	26
#define AMP_PC_SKEW	38
#define AMP_PC_DAMP	700
#define AMP_PC_BIAS	72
#define AMP_PC_N	128

/* A host in both forms, labels joined by '.'. */
struct amp_host {
	char		 ascii[AMP_HOST_MAX + 1];	/* lower-case */
	size_t		 alen;
	/* A label decodes to no more code points than it has bytes. */
	uint32_t	 cp[AMP_HOST_MAX + 1];
	size_t		 ncp;
};

/* ---- punycode (RFC 3492) ------------------------------------------------- */

static char
amp_pc_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static uint32_t
amp_pc_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	return AMP_PC_BASE;
}

/* RFC 3492, section 6.1. */
static uint32_t
amp_pc_adapt(uint32_t delta, uint32_t numpoints, int first)
{
	uint32_t k = 0;

	delta = first ? delta / AMP_PC_DAMP : delta / 2;
	delta += delta / numpoints;
	while (delta > ((AMP_PC_BASE - AMP_PC_TMIN) * AMP_PC_TMAX) / 2) {
		delta /= AMP_PC_BASE - AMP_PC_TMIN;
		k += AMP_PC_BASE;
	}
	return k + (AMP_PC_BASE - AMP_PC_TMIN + 1) * delta /
	    (delta + AMP_PC_SKEW);
}

static uint32_t
amp_pc_threshold(uint32_t k, uint32_t bias)
{
	if (k <= bias)
		return AMP_PC_TMIN;
	if (k >= bias + AMP_PC_TMAX)
		return AMP_PC_TMAX;
	return k - bias;
}

int
amp_punycode_encode(const uint32_t *in, size_t n, char *out, size_t outsize)
{
	uint32_t cur = AMP_PC_N, delta = 0, bias = AMP_PC_BIAS, m, q, k, t;
	size_t	 o = 0, h, b, j;

	if (outsize == 0)
		return -1;
	for (j = 0; j < n; j++) {
		/* A NUL would end the C string early. */
		if (in[j] == 0 || in[j] > 0x10ffff)
			return -1;
		if (in[j] < 0x80) {
			if (o + 1 >= outsize)
				return -1;
			out[o++] = (char)in[j];
		}
	}
	h = b = o;
	if (b > 0) {
		if (o + 1 >= outsize)
			return -1;
		out[o++] = '-';
	}
	while (h < n) {
		m = UINT32_MAX;
		for (j = 0; j < n; j++) {
			if (in[j] >= cur && in[j] < m)
				m = in[j];
		}
		if (m - cur > (UINT32_MAX - delta) / (h + 1))
			return -1;
		delta += (m - cur) * (uint32_t)(h + 1);
		cur = m;
		for (j = 0; j < n; j++) {
			if (in[j] < cur && ++delta == 0)
				return -1;
			if (in[j] != cur)
				continue;
			for (q = delta, k = AMP_PC_BASE;; k += AMP_PC_BASE) {
				t = amp_pc_threshold(k, bias);
				if (q < t)
					break;
				if (o + 1 >= outsize)
					return -1;
				out[o++] = amp_pc_digit(t + (q - t) %
				    (AMP_PC_BASE - t));
				q = (q - t) / (AMP_PC_BASE - t);
			}
			if (o + 1 >= outsize)
				return -1;
			out[o++] = amp_pc_digit(q);
			bias = amp_pc_adapt(delta, (uint32_t)h + 1, h == b);
			delta = 0;
			h++;
		}
		delta++;
		cur++;
	}
	out[o] = '\0';
	return (int)o;
}

int
amp_punycode_decode(const char *in, size_t len, uint32_t *out, size_t *n)
{
	uint32_t cur = AMP_PC_N, i = 0, bias = AMP_PC_BIAS, oldi, w, k, t, d;
	size_t	 b = 0, j, o = 0, max = *n, pos;

	*n = 0;
	for (j = 0; j < len; j++) {
		if (in[j] == '-')
			b = j;
	}
	for (j = 0; j < b; j++) {
		if ((unsigned char)in[j] >= 0x80 || o >= max)
			return -1;
		out[o++] = (unsigned char)in[j];
	}
	for (pos = b > 0 ? b + 1 : 0; pos < len; ) {
		for (oldi = i, w = 1, k = AMP_PC_BASE;; k += AMP_PC_BASE) {
			if (pos >= len)
				return -1;
			if ((d = amp_pc_value((unsigned char)in[pos++])) >=
			    AMP_PC_BASE)
				return -1;
			if (d > (UINT32_MAX - i) / w)
				return -1;
			i += d * w;
			t = amp_pc_threshold(k, bias);
			if (d < t)
				break;
			if (w > UINT32_MAX / (AMP_PC_BASE - t))
				return -1;
			w *= AMP_PC_BASE - t;
		}
		bias = amp_pc_adapt(i - oldi, (uint32_t)o + 1, oldi == 0);
		if (i / (o + 1) > UINT32_MAX - cur)
			return -1;
		cur += i / (uint32_t)(o + 1);
		i %= (uint32_t)(o + 1);
		if (cur > 0x10ffff || (cur >= 0xd800 && cur <= 0xdfff) ||
		    o >= max)
			return -1;
		memmove(out + i + 1, out + i, (o - i) * sizeof *out);
		out[i++] = cur;
		o++;
	}
	*n = o;
	return 0;
}

/* ---- hosts --------------------------------------------------------------- */

/* One UTF-8 character at s[*i] (strict: no overlong forms, surrogates). */
static int
amp_utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	unsigned char c = s[*i];
	size_t	 n, k;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return 0;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1; v = c & 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2; v = c & 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3; v = c & 0x07; min = 0x10000;
	} else
		return -1;
	if (len - *i <= n)
		return -1;
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			return -1;
		v = v << 6 | (s[*i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	*cp = v;
	*i += n + 1;
	return 0;
}

static int
amp_host_add(struct amp_host *h, const char *s, size_t n)
{
	if (n > AMP_HOST_MAX - h->alen)
		return -1;
	memcpy(h->ascii + h->alen, s, n);
	h->alen += n;
	h->ascii[h->alen] = '\0';
	return 0;
}

/*
 * One label of len bytes into both forms: an ASCII label is lower-cased
 * and, when it is "xn--...", decoded; a UTF-8 one is encoded.
 */
static int
amp_host_label(struct amp_host *h, const unsigned char *s, size_t len)
{
	uint32_t cps[AMP_HOST_MAX + 1];
	char	 enc[AMP_HOST_MAX + 1], low[AMP_HOST_MAX + 1];
	size_t	 i, n = 0, ascii = 1;

	if (len == 0 || len > AMP_HOST_MAX * 4)
		return -1;
	for (i = 0; i < len; i++)
		ascii &= s[i] < 0x80;
	if (ascii) {
		/* Room in both forms before writing either (fuzz_amp). */
		if (len > AMP_HOST_MAX - h->alen)
			return -1;
		for (i = 0; i < len; i++)
			low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] + 'a' - 'A' : s[i]);
		if (len > 4 && memcmp(low, "xn--", 4) == 0) {
			n = AMP_HOST_MAX + 1 - h->ncp;
			if (amp_punycode_decode(low + 4, len - 4,
			    h->cp + h->ncp, &n) != 0)
				return -1;
			h->ncp += n;
		} else {
			for (i = 0; i < len; i++)
				h->cp[h->ncp++] = (unsigned char)low[i];
		}
		return amp_host_add(h, low, len);
	}
	for (i = 0; i < len; ) {
		if (n >= AMP_HOST_MAX ||
		    amp_utf8_next(s, len, &i, &cps[n]) != 0)
			return -1;
		if (cps[n] >= 'A' && cps[n] <= 'Z')
			cps[n] += 'a' - 'A';
		n++;
	}
	if (amp_punycode_encode(cps, n, enc, sizeof enc) < 0 ||
	    amp_host_add(h, "xn--", 4) != 0 ||
	    amp_host_add(h, enc, strlen(enc)) != 0)
		return -1;
	/* The ASCII form fits, and it is longer than the code points. */
	memcpy(h->cp + h->ncp, cps, n * sizeof *cps);
	h->ncp += n;
	return 0;
}

static int
amp_host_parse(const char *host, struct amp_host *h)
{
	const unsigned char *s = (const unsigned char *)host, *dot;
	size_t	 len = strlen(host);

	h->alen = h->ncp = 0;
	h->ascii[0] = '\0';
	/* "example.com." is example.com. */
	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0)
		return -1;
	for (;;) {
		dot = memchr(s, '.', len);
		if (amp_host_label(h, s, dot != NULL ? (size_t)(dot - s) :
		    len) != 0)
			return -1;
		if (dot == NULL)
			return 0;
		if (amp_host_add(h, ".", 1) != 0 || h->ncp >= AMP_HOST_MAX)
			return -1;
		h->cp[h->ncp++] = '.';
		len -= (size_t)(dot - s) + 1;
		s = dot + 1;
	}
}

/*
 * Letters of either direction, as the reference implementation sorts
 * them; code points past U+FFFF count as left-to-right, as they do there.
 */
static int
amp_is_rtl(uint32_t c)
{
	return (c >= 0x591 && c <= 0x6ef) || (c >= 0x6fa && c <= 0x7ff) ||
	    c == 0x200f || (c >= 0xfb1d && c <= 0xfdff) ||
	    (c >= 0xfe70 && c <= 0xfefc);
}

static int
amp_is_ltr(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) ||
	    (c >= 0xf8 && c <= 0x2b8) || (c >= 0x300 && c <= 0x590) ||
	    (c >= 0x800 && c <= 0x1fff) || c == 0x200e ||
	    (c >= 0x2c00 && c <= 0xfb1c) || (c >= 0xfe00 && c <= 0xfe6f) ||
	    c >= 0xfefd;
}

static int
amp_hyphen34(const char *s, size_t len)
{
	return len >= 4 && s[2] == '-' && s[3] == '-' &&
	    !(s[0] == 'x' && s[1] == 'n');
}

/* Whether the host may have a human-readable label (see the top). */
static int
amp_host_readable(const struct amp_host *h)
{
	size_t	 i;
	int	 ltr = 0, rtl = 0, ipv4 = 1;
	char	 c;

	if (h->alen > AMP_LABEL_MAX || strchr(h->ascii, '.') == NULL ||
	    amp_hyphen34(h->ascii, h->alen))
		return 0;
	for (i = 0; i < h->alen; i++) {
		c = h->ascii[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.'))
			return 0;
		/* LDH: no label starts or ends with '-'. */
		if (c == '-' && (i == 0 || i + 1 == h->alen ||
		    h->ascii[i - 1] == '.' || h->ascii[i + 1] == '.'))
			return 0;
		ipv4 &= (c >= '0' && c <= '9') || c == '.';
	}
	if (ipv4)
		return 0;
	for (i = 0; i < h->ncp; i++) {
		ltr |= amp_is_ltr(h->cp[i]);
		rtl |= amp_is_rtl(h->cp[i]);
	}
	return !(ltr && rtl);
}

/* base32 (RFC 4648, lower-case, unpadded) of SHA-256 of the ASCII form. */
static char *
amp_fallback(const struct amp_host *h)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char md[SHA256_DIGEST_LENGTH];
	char	 out[(SHA256_DIGEST_LENGTH * 8 + 4) / 5 + 1];
	size_t	 i, o = 0, bits = 0;
	uint32_t acc = 0;

	SHA256((const unsigned char *)h->ascii, h->alen, md);
	for (i = 0; i < sizeof md; i++) {
		acc = (acc << 8 | md[i]) & 0xfff;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return xstrdup(out);
}

char *
amp_cache_subdomain(const char *host)
{
	struct amp_host h;
	uint32_t cps[2 * AMP_LABEL_MAX];
	char	 label[AMP_LABEL_MAX + 1], enc[AMP_LABEL_MAX + 1];
	size_t	 i, n = 0, len;
	int	 ascii = 1;

	if (host == NULL || amp_host_parse(host, &h) != 0)
		return NULL;
	if (!amp_host_readable(&h))
		return amp_fallback(&h);
	/* The ASCII form is at most 63 bytes, so this fits. */
	for (i = 0; i < h.ncp; i++) {
		if (h.cp[i] == '-')
			cps[n++] = '-';
		cps[n++] = h.cp[i] == '.' ? '-' : h.cp[i];
		ascii &= h.cp[i] < 0x80;
	}
	if (ascii) {
		if (n > AMP_LABEL_MAX)
			return amp_fallback(&h);
		for (i = 0; i < n; i++)
			label[i] = (char)cps[i];
		label[n] = '\0';
	} else {
		/* Room for "xn--" in front within the 63. */
		if (amp_punycode_encode(cps, n, enc, sizeof enc - 4) < 0)
			return amp_fallback(&h);
		memcpy(label, "xn--", 4);
		memcpy(label + 4, enc, strlen(enc) + 1);
	}
	len = strlen(label);
	if (amp_hyphen34(label, len)) {
		if (len + 4 > AMP_LABEL_MAX)
			return amp_fallback(&h);
		return xasprintf("0-%s-0", label);
	}
	return xstrdup(label);
}

char *
amp_cache_url(const char *url)
{
	CURLU	*u;
	char	*scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	char	*query = NULL, *sub = NULL, *res = NULL, *p;

	if (url == NULL || (u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto done;
	/* Both may be absent; a default port is as good as none. */
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) !=
	    CURLUE_OK)
		port = NULL;
	if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
		query = NULL;
	for (p = host; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	if ((sub = amp_cache_subdomain(host)) == NULL)
		goto done;
	res = xasprintf("https://%s." AMP_CACHE_DOMAIN "/c/%s%s%s%s%s%s%s", sub,
	    scheme[4] == 's' ? "s/" : "", host, port != NULL ? ":" : "",
	    port != NULL ? port : "", path, query != NULL ? "?" : "",
	    query != NULL ? query : "");
done:
	free(sub);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return res;
}
