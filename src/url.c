/*
 * url.c: URL resolution and canonical forms (url.h), on curl's URL API.
 *
 * curl parses and resolves (RFC 3986, dot segments, relative references);
 * this file only prepares the input and edits curl's output. Two things are
 * done by hand because curl does not do them the way feedfold needs:
 *
 *  - Bytes a URL may not hold (spaces, controls, non-ASCII) are percent-
 *    encoded with upper-case hex before curl sees the string, outside the
 *    authority so that an IDN host stays as written. curl's own
 *    CURLU_URLENCODE writes lower-case hex, which would make the same link
 *    from two feeds two different keys.
 *  - The host is lower-cased and tracking parameters are dropped from curl's
 *    rebuilt URL, so that a URL with nothing to change comes back byte for
 *    byte (DESIGN: originalUrl and webUrl are then the same string).
 *
 * Both run once per feed entry, so each call costs one curl parse and at
 * most three small allocations.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <curl/curl.h>

#include "url.h"
#include "xmalloc.h"

/* Longer input is refused: no real link is this long. */
#define URL_MAX		(64 * 1024)

/* Flags for every curl_url_set: any scheme, so that url_scheme can say. */
#define URL_SET_FLAGS	(CURLU_NON_SUPPORT_SCHEME)

/*
 * Tracking parameter names, dropped from canonical URLs. Compared without
 * regard to ASCII case, so the table holds lower-case names and is sorted
 * by strcmp (byte order: '_' sorts before the letters); url_tracking_cmp
 * is what bsearch uses, and a test checks the order. Sources: Google
 * (gclid, gclsrc, dclid, gbraid, wbraid, srsltid, _ga, _gl), Microsoft
 * (msclkid), Meta (fbclid, igshid), Twitter/X (twclid), TikTok (ttclid),
 * Yandex (yclid, _openstat), Mailchimp (mc_cid, mc_eid), HubSpot (_hsenc,
 * _hsmi, __hsfp, __hssc, __hstc), Marketo (mkt_tok), Adobe (s_cid), Vero
 * (vero_id, vero_conv), Omeda (oly_anon_id, oly_enc_id), Reddit
 * (rb_clickid), Wicked Reports (wickedid).
 */
static const char *url_tracking_names[] = {
	"__hsfp",
	"__hssc",
	"__hstc",
	"_ga",
	"_gl",
	"_hsenc",
	"_hsmi",
	"_openstat",
	"dclid",
	"fbclid",
	"gbraid",
	"gclid",
	"gclsrc",
	"igshid",
	"mc_cid",
	"mc_eid",
	"mkt_tok",
	"msclkid",
	"oly_anon_id",
	"oly_enc_id",
	"rb_clickid",
	"s_cid",
	"srsltid",
	"ttclid",
	"twclid",
	"vero_conv",
	"vero_id",
	"wbraid",
	"wickedid",
	"yclid",
};

/*
 * Whole families of campaign parameters, by prefix: Google Analytics
 * (utm_source, utm_medium, ...), Matomo (mtm_*) and its predecessor Piwik
 * (pk_*). Lower-case, sorted by strcmp like the table above.
 */
static const char *url_tracking_prefixes[] = {
	"mtm_",
	"pk_",
	"utm_",
};

struct url_key {
	const char	*s;
	size_t		 len;
};

/* Case-insensitive byte order of a (name, len) key against a table row. */
static int
url_tracking_cmp(const void *k, const void *row)
{
	const struct url_key	*key = k;
	const char		*name = *(const char *const *)row;
	size_t			 i;
	int			 a, b;

	for (i = 0; i < key->len && name[i] != '\0'; i++) {
		a = tolower((unsigned char)key->s[i]);
		b = (unsigned char)name[i];
		if (a != b)
			return a - b;
	}
	if (i < key->len)
		return 1;
	return name[i] == '\0' ? 0 : -1;
}

int
url_is_tracking_param(const char *name, size_t len)
{
	struct url_key	 key = { name, len };
	size_t		 i, plen;
	unsigned char	 c;

	/*
	 * The prefixes are lower case: the first byte, lowered as
	 * strncasecmp lowers it, rules out most of them without a call.
	 */
	c = len > 0 ? (unsigned char)name[0] : 0;
	if (c >= 'A' && c <= 'Z')
		c |= 0x20;
	for (i = 0; i < sizeof url_tracking_prefixes /
	    sizeof url_tracking_prefixes[0]; i++) {
		if (c != (unsigned char)url_tracking_prefixes[i][0])
			continue;
		plen = strlen(url_tracking_prefixes[i]);
		if (len > plen &&
		    strncasecmp(name, url_tracking_prefixes[i], plen) == 0)
			return 1;
	}
	return bsearch(&key, url_tracking_names, sizeof url_tracking_names /
	    sizeof url_tracking_names[0], sizeof url_tracking_names[0],
	    url_tracking_cmp) != NULL;
}

/* The table order, for the test that keeps the bsearch honest. */
int
url_tracking_table_sorted(void)
{
	size_t	 i, n = sizeof url_tracking_names / sizeof url_tracking_names[0];

	for (i = 1; i < n; i++) {
		if (strcmp(url_tracking_names[i - 1], url_tracking_names[i]) >= 0)
			return 0;
	}
	n = sizeof url_tracking_prefixes / sizeof url_tracking_prefixes[0];
	for (i = 1; i < n; i++) {
		if (strcmp(url_tracking_prefixes[i - 1],
		    url_tracking_prefixes[i]) >= 0)
			return 0;
	}
	return 1;
}

/*
 * Where the authority of s ends, when s has one ("scheme://auth" or
 * "//auth"); else 0. Only used to leave the host unencoded.
 */
static size_t
url_authority_end(const char *s)
{
	const char	*p = s;

	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	if (p != s && *p == ':')
		p++;
	else
		p = s;
	if (p[0] != '/' || p[1] != '/')
		return 0;
	p += 2;
	return (size_t)(p - s) + strcspn(p, "/?#\\");
}

/*
 * Trim s (len bytes), drop tabs and newlines inside it (as browsers do:
 * feeds wrap long links), and percent-encode what a URL may not hold.
 * Returns NULL when nothing is left or the input is too long. Caller frees.
 */
static char *
url_prepare(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 len, i, auth, o = 0;
	unsigned char		 c;
	char			*out;

	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len > URL_MAX)
		return NULL;
	auth = url_authority_end(s);
	out = xmalloc(len * 3 + 1);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (i >= auth && (c <= 0x20 || c >= 0x7f || c == '"' ||
		    c == '<' || c == '>')) {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * curl takes "file:x/y" with the path "x/y" but writes it back as
 * "file://x/y", where x is a host: the same URL parsed again is another
 * one (found by fuzz_url). Make such a path absolute.
 */
static int
url_file_path(CURLU *h)
{
	char	*path, *fixed;
	int	 rc = 0;

	if (curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		return -1;
	if (*path != '/') {
		fixed = xasprintf("/%s", path);
		if (curl_url_set(h, CURLUPART_PATH, fixed, 0) != CURLUE_OK)
			rc = -1;
		free(fixed);
	}
	curl_free(path);
	return rc;
}

/* Parse s (prepared) into a new handle; NULL if curl refuses it. */
static CURLU *
url_parse(const char *s)
{
	CURLU	*h;

	if ((h = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, s, URL_SET_FLAGS) != CURLUE_OK) {
		curl_url_cleanup(h);
		return NULL;
	}
	if (strncasecmp(s, "file:", 5) == 0 && url_file_path(h) != 0) {
		curl_url_cleanup(h);
		return NULL;
	}
	return h;
}

/* url prepared and parsed; NULL if either refuses it. */
static CURLU *
url_open(const char *url)
{
	CURLU	*h;
	char	*in;

	if ((in = url_prepare(url)) == NULL)
		return NULL;
	h = url_parse(in);
	free(in);
	return h;
}

/* The whole URL of h as a string we own (curl's memory is not ours). */
static char *
url_get(CURLU *h, CURLUPart part, unsigned int flags)
{
	char	*s, *copy;

	if (curl_url_get(h, part, &s, flags) != CURLUE_OK)
		return NULL;
	copy = xstrdup(s);
	curl_free(s);
	return copy;
}

/*
 * Nonzero when curl takes the file URL s back. Without its fragment
 * "file:e:#x" is "file:///e:", which curl reads as a Windows drive letter
 * and refuses (found by fuzz_url); only file URLs pay for this second parse.
 */
static int
url_file_ok(const char *s)
{
	CURLU	*h;
	int	 ok;

	if ((h = curl_url()) == NULL)
		return 0;
	ok = curl_url_set(h, CURLUPART_URL, s, URL_SET_FLAGS) == CURLUE_OK;
	curl_url_cleanup(h);
	return ok;
}

/*
 * curl decodes an escaped host ("https:/%7F" and the like) and then hands
 * back bytes it would refuse in a URL of its own (found by fuzz_url).
 * Nonzero when the authority of s holds none of them.
 */
static int
url_host_ok(const char *s)
{
	size_t	 auth, i;

	if ((auth = url_authority_end(s)) == 0)
		return 1;
	for (i = 0; i < auth; i++) {
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;
	}
	return 1;
}

/*
 * The fast path. Nearly every link in a feed is an absolute http(s) URL
 * that curl hands back byte for byte, and a curl parse and rebuild costs
 * more than the rest of an entry's normalization. url_plain says, with a
 * cheap scan, whether the len bytes at s are such a URL for certain:
 *
 *  - the scheme is "http://" or "https://", written in lower case;
 *  - the authority is a host name alone (no userinfo, no port) of
 *    letters, digits, '-' and '.', in non-empty labels, whose last label
 *    starts with a letter: curl rewrites numeric IPv4 forms ("127.1",
 *    "0x7f.1"), so those go its way;
 *  - a path follows ("http://host" becomes "http://host/" in curl) with
 *    no "." or ".." segment (curl removes them) and nothing before the
 *    query that starts with "/." at all, to stay clear of both;
 *  - every byte is one RFC 3986 allows in its place (unreserved, sub-
 *    delimiters, ':', '@', '/', '?', one '#'), and every '%' is followed
 *    by two hex digits;
 *  - the query and the fragment, when there, are not empty (curl drops
 *    an empty one with its '?' or '#').
 *
 * Anything else, or anything in doubt, goes through curl as before. *auth
 * gets where the authority ends. The differential check in
 * docs/parsing.md compares both paths on every URL of the benchmark
 * corpus and the fixtures.
 */
static const unsigned char url_plain_class[256] = {
	/*
	 * 1: allowed after the authority; 2: allowed in a host name;
	 * 4: allowed after the authority with nothing to check.
	 */
	['a'] = 7, ['b'] = 7, ['c'] = 7, ['d'] = 7, ['e'] = 7, ['f'] = 7,
	['g'] = 7, ['h'] = 7, ['i'] = 7, ['j'] = 7, ['k'] = 7, ['l'] = 7,
	['m'] = 7, ['n'] = 7, ['o'] = 7, ['p'] = 7, ['q'] = 7, ['r'] = 7,
	['s'] = 7, ['t'] = 7, ['u'] = 7, ['v'] = 7, ['w'] = 7, ['x'] = 7,
	['y'] = 7, ['z'] = 7,
	['A'] = 7, ['B'] = 7, ['C'] = 7, ['D'] = 7, ['E'] = 7, ['F'] = 7,
	['G'] = 7, ['H'] = 7, ['I'] = 7, ['J'] = 7, ['K'] = 7, ['L'] = 7,
	['M'] = 7, ['N'] = 7, ['O'] = 7, ['P'] = 7, ['Q'] = 7, ['R'] = 7,
	['S'] = 7, ['T'] = 7, ['U'] = 7, ['V'] = 7, ['W'] = 7, ['X'] = 7,
	['Y'] = 7, ['Z'] = 7,
	['0'] = 7, ['1'] = 7, ['2'] = 7, ['3'] = 7, ['4'] = 7, ['5'] = 7,
	['6'] = 7, ['7'] = 7, ['8'] = 7, ['9'] = 7,
	['-'] = 7, ['.'] = 7,
	['_'] = 5, ['~'] = 5, ['!'] = 5, ['$'] = 5, ['&'] = 5, ['\''] = 5,
	['('] = 5, [')'] = 5, ['*'] = 5, ['+'] = 5, [','] = 5, [';'] = 5,
	['='] = 5, [':'] = 5, ['@'] = 5, ['/'] = 1, ['?'] = 1,
};

#ifdef __SSE2__
/*
 * Past the run from i on of letters, digits, '-', '.' and '_', sixteen
 * bytes at a time while sixteen are left: the slugs and words that make
 * most of a path. All are class 4; the byte loop of url_plain() goes on
 * from where this stops.
 */
static size_t
url_plain_run16(const unsigned char *p, size_t i, size_t len)
{
	const __m128i	 a = _mm_set1_epi8('a' - 1), z = _mm_set1_epi8('z' + 1);
	const __m128i	 d0 = _mm_set1_epi8('0' - 1);
	const __m128i	 d9 = _mm_set1_epi8('9' + 1);
	const __m128i	 low = _mm_set1_epi8(0x20), dash = _mm_set1_epi8('-');
	const __m128i	 dot = _mm_set1_epi8('.'), under = _mm_set1_epi8('_');
	__m128i		 v, l, ok;
	unsigned int	 m;

	while (len - i >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/*
		 * Setting 0x20 makes capitals small letters and nothing else
		 * one; bytes past ASCII are negative, in no range (signed).
		 */
		l = _mm_or_si128(v, low);
		ok = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(l, a),
		    _mm_cmplt_epi8(l, z)), _mm_and_si128(_mm_cmpgt_epi8(v, d0),
		    _mm_cmplt_epi8(v, d9)));
		ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(v, dash),
		    _mm_or_si128(_mm_cmpeq_epi8(v, dot),
		    _mm_cmpeq_epi8(v, under))));
		m = (unsigned int)_mm_movemask_epi8(ok);
		if (m != 0xffff)
			return i + (size_t)__builtin_ctz(~m);
		i += 16;
	}
	return i;
}
#endif

static int
url_plain_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
url_plain(const char *s, size_t len, size_t *auth)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, host, label;
	int			 query = 0, frag = 0;

	if (len > URL_MAX)
		return 0;
	if (len > 8 && memcmp(p, "https://", 8) == 0)
		i = 8;
	else if (len > 7 && memcmp(p, "http://", 7) == 0)
		i = 7;
	else
		return 0;
	host = label = i;
	for (; i < len && (url_plain_class[p[i]] & 2); i++) {
		if (p[i] != '.')
			continue;
		if (i == label)
			return 0;	/* an empty label */
		label = i + 1;
	}
	if (i == host || label == i || !((p[label] >= 'a' && p[label] <= 'z') ||
	    (p[label] >= 'A' && p[label] <= 'Z')))
		return 0;
	if (i == len || p[i] != '/')
		return 0;
	*auth = i;
	for (; i < len; i++) {
		/* Most bytes: letters, digits and the like, nothing to note. */
#ifdef __SSE2__
		i = url_plain_run16(p, i, len);
#endif
		while (i < len && (url_plain_class[p[i]] & 4))
			i++;
		if (i == len)
			break;
		if (url_plain_class[p[i]] & 1) {
			/* curl drops an empty query: "a?" and "a?#f". */
			if (p[i] == '?' && !query && (i + 1 == len ||
			    p[i + 1] == '#'))
				return 0;
			if (p[i] == '?')
				query = 1;
			else if (p[i] == '/' && !query && !frag &&
			    i + 1 < len && p[i + 1] == '.')
				return 0;
			continue;
		}
		if (p[i] == '%' && i + 2 < len && url_plain_hex(p[i + 1]) &&
		    url_plain_hex(p[i + 2])) {
			i += 2;
			continue;
		}
		/* And an empty fragment. */
		if (p[i] == '#' && !frag && i + 1 < len) {
			frag = query = 1;
			continue;
		}
		return 0;
	}
	return 1;
}

/* s without the whitespace around it: *len bytes from the result. */
static const char *
url_trim(const char *s, size_t *len)
{
	size_t	 n;

	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return s;
}

char *
url_resolve(const char *base, const char *ref)
{
	CURLU		*h = NULL;
	const char	*t, *bt;
	char		*r, *b = NULL, *out = NULL;
	size_t		 tlen, blen, auth, n;

	if (ref == NULL)
		return NULL;
	t = url_trim(ref, &tlen);
	if (url_plain(t, tlen, &auth))
		return xstrndup(t, tlen);
	/*
	 * A fragment alone points into the base document itself (RFC 3986
	 * 5.2.2: the base's path and query stay). curl 7.88 drops the last
	 * path segment and the query instead, so join the two here.
	 */
	if (base != NULL && tlen > 0 && t[0] == '#') {
		bt = url_trim(base, &blen);
		if ((n = strcspn(bt, "#")) < blen)
			blen = n;
		if (blen + tlen > URL_MAX)
			return NULL;
		b = xmalloc(blen + tlen + 1);
		memcpy(b, bt, blen);
		memcpy(b + blen, t, tlen);
		b[blen + (tlen > 1 ? tlen : 0)] = '\0';
		out = url_resolve(NULL, b);
		free(b);
		return out;
	}
	/* A path against a plain base: "/a/b" on "https://host/x/y". */
	if (base != NULL && tlen > 0 && t[0] == '/' && (tlen == 1 ||
	    t[1] != '/')) {
		bt = url_trim(base, &blen);
		if (url_plain(bt, blen, &auth) && auth + tlen <= URL_MAX) {
			out = xmalloc(auth + tlen + 1);
			memcpy(out, bt, auth);
			memcpy(out + auth, t, tlen);
			out[auth + tlen] = '\0';
			if (url_plain(out, auth + tlen, &auth))
				return out;
			free(out);
			out = NULL;
		}
	}

	if ((r = url_prepare(ref)) == NULL)
		return NULL;
	if (base != NULL && (b = url_prepare(base)) != NULL)
		h = url_parse(b);
	if (h == NULL) {
		/* No usable base: ref must stand on its own. */
		if ((h = url_parse(r)) == NULL)
			goto out;
	} else if (curl_url_set(h, CURLUPART_URL, r, URL_SET_FLAGS) !=
	    CURLUE_OK || (strncasecmp(r, "file:", 5) == 0 &&
	    url_file_path(h) != 0))
		goto out;
	out = url_get(h, CURLUPART_URL, 0);
	if (out != NULL && !url_host_ok(out)) {
		free(out);
		out = NULL;
	}
out:
	curl_url_cleanup(h);
	free(b);
	free(r);
	return out;
}

/*
 * Rewrite the query q (without '?', ending at NUL or '#') into out without
 * tracking or empty parameters. Returns the bytes written.
 */
static size_t
url_filter_query(const char *q, char *out)
{
	const char	*p = q, *end, *eq;
	size_t		 o = 0, len, nlen;

	while (*p != '\0' && *p != '#') {
		end = p + strcspn(p, "&#");
		len = (size_t)(end - p);
		eq = memchr(p, '=', len);
		nlen = eq != NULL ? (size_t)(eq - p) : len;
		if (len != 0 && !url_is_tracking_param(p, nlen)) {
			if (o != 0)
				out[o++] = '&';
			memcpy(out + o, p, len);
			o += len;
		}
		p = end;
		if (*p == '&')
			p++;
	}
	return o;
}

/*
 * url_canonical for a URL url_plain accepts: the same string with the
 * host in lower case, without the fragment and the tracking parameters.
 */
static char *
url_canonical_plain(const char *t, size_t len, size_t auth)
{
	char	*s, *q, *out;
	size_t	 i, o;

	s = xstrndup(t, len);
	for (i = 0; i < auth; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	s[auth + strcspn(s + auth, "#")] = '\0';
	if ((q = strchr(s + auth, '?')) == NULL)
		return s;
	out = xmalloc(strlen(s) + 1);
	o = (size_t)(q - s);
	memcpy(out, s, o);
	out[o++] = '?';
	i = url_filter_query(q + 1, out + o);
	if (i == 0)
		o--;	/* nothing left: no '?' either */
	o += i;
	out[o] = '\0';
	free(s);
	return out;
}

/* One pass; *plain says whether it took url_plain's fast path. */
static char *
url_canonical_once(const char *url, int *plain)
{
	CURLU		*h;
	const char	*t;
	char		*s, *p, *q, *out;
	size_t		 auth, i, o, tlen;

	t = url_trim(url, &tlen);
	if ((*plain = url_plain(t, tlen, &auth)))
		return url_canonical_plain(t, tlen, auth);
	if ((h = url_open(url)) == NULL)
		return NULL;
	curl_url_set(h, CURLUPART_FRAGMENT, NULL, 0);
	s = url_get(h, CURLUPART_URL, CURLU_NO_DEFAULT_PORT);
	curl_url_cleanup(h);
	if (s == NULL)
		return NULL;
	if (!url_host_ok(s)) {
		free(s);
		return NULL;
	}

	/* Lower-case the host: after any userinfo, up to the path. */
	if ((auth = url_authority_end(s)) != 0) {
		p = strstr(s, "//") + 2;
		for (q = p; q < s + auth; q++) {
			if (*q == '@')
				p = q + 1;
		}
		for (; p < s + auth; p++)
			*p = (char)tolower((unsigned char)*p);
	}

	if (strncmp(s, "file:", 5) == 0 && !url_file_ok(s)) {
		free(s);
		return NULL;
	}
	if ((q = strchr(s + auth, '?')) == NULL)
		return s;
	out = xmalloc(strlen(s) + 1);
	o = (size_t)(q - s);
	memcpy(out, s, o);
	out[o++] = '?';
	i = url_filter_query(q + 1, out + o);
	if (i == 0)
		o--;	/* nothing left: no '?' either */
	o += i;
	out[o] = '\0';
	free(s);
	return out;
}

/*
 * One pass of curl is not always a fixed point: "http://%30//" comes back
 * as "http://0//", whose host curl only reads as IPv4 ("0.0.0.0") on the
 * next parse (found by fuzz_url). A canonical URL is a deduplication key,
 * so it must be its own canonical form: pass again until nothing changes.
 * A URL url_plain accepts is a fixed point already; after curl, the
 * next pass nearly always takes the fast path, and a URL that still
 * moves after a few passes is refused rather than handed on unstable.
 */
char *
url_canonical(const char *url)
{
	char	*s, *again;
	int	 n, plain;

	if (url == NULL || (s = url_canonical_once(url, &plain)) == NULL)
		return NULL;
	if (plain)
		return s;
	for (n = 0; n < 4; n++) {
		if ((again = url_canonical_once(s, &plain)) == NULL) {
			free(s);
			return NULL;
		}
		if (strcmp(again, s) == 0) {
			free(again);
			return s;
		}
		free(s);
		s = again;
	}
	free(s);
	return NULL;
}

/* host (ours) lower-cased and without "www."; NULL when empty. */
static char *
url_domain_tidy(char *host)
{
	char	*p;

	if (*host == '\0') {
		free(host);
		return NULL;
	}
	for (p = host; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strncmp(host, "www.", 4) == 0 && host[4] != '\0')
		memmove(host, host + 4, strlen(host + 4) + 1);
	return host;
}

/* url_domain for a URL url_plain accepts (auth: where its host ends). */
static char *
url_domain_plain(const char *t, size_t auth)
{
	const char	*p = strstr(t, "//") + 2;

	return url_domain_tidy(xstrndup(p, (size_t)(t + auth - p)));
}

/* One part of url as curl parses it. */
static char *
url_get_part(const char *url, CURLUPart part)
{
	CURLU	*h;
	char	*v;

	if ((h = url_open(url)) == NULL)
		return NULL;
	v = url_get(h, part, 0);
	curl_url_cleanup(h);
	return v;
}

char *
url_domain(const char *url)
{
	const char	*t;
	char		*host;
	size_t		 tlen, auth;

	if (url == NULL)
		return NULL;
	t = url_trim(url, &tlen);
	if (url_plain(t, tlen, &auth))
		return url_domain_plain(t, auth);
	if ((host = url_get_part(url, CURLUPART_HOST)) == NULL)
		return NULL;
	return url_domain_tidy(host);
}

char *
url_canonical_domain(const char *url, char **domain)
{
	const char	*t;
	size_t		 tlen, auth;

	if (url == NULL) {
		*domain = NULL;
		return NULL;
	}
	t = url_trim(url, &tlen);
	if (url_plain(t, tlen, &auth)) {
		*domain = url_domain_plain(t, auth);
		return url_canonical_plain(t, tlen, auth);
	}
	*domain = url_domain(url);
	return url_canonical(url);
}

char *
url_scheme(const char *url)
{
	if (url == NULL)
		return NULL;
	return url_get_part(url, CURLUPART_SCHEME);
}
