/*
 * fuzz_parse.c: libFuzzer target for the feed parser.
 *
 * The first input byte chooses how the rest is pushed (its low bits: the
 * push size, 1 to 64 bytes or all at once) and whether an HTTP charset is
 * passed; the rest is the document. Every entry delivered is checked for
 * what the record promises (valid UTF-8 strings, a known type, a quality in
 * range) and the same document pushed whole must give the same number of
 * entries when the document is well-formed. The byte filter in front of
 * libxml2 must give the same bytes with its AVX2 scan as without.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parse_input.h"
#include "record.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_charsets[] = {
	NULL, "utf-8", "iso-8859-1", "shift_jis", "utf-16", "koi8-r",
	"gb2312", "x-unknown",
};

/* Abort unless s is NULL or valid UTF-8 without NUL inside. */
static void
fuzz_check_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 n, i;

	if (s == NULL)
		return;
	while (*p != '\0') {
		if (*p < 0x80)
			n = 0;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 1;
		else if ((*p & 0xf0) == 0xe0)
			n = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 3;
		else
			abort();
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				abort();
		}
		p += n + 1;
	}
}

static void
fuzz_entry(struct entry *e, void *arg)
{
	size_t	*count = arg;
	size_t	 i;

	fuzz_check_utf8(e->title);
	fuzz_check_utf8(e->excerpt);
	fuzz_check_utf8(e->original_url);
	fuzz_check_utf8(e->web_url);
	fuzz_check_utf8(e->provider_name);
	fuzz_check_utf8(e->provider_domain);
	fuzz_check_utf8(e->guid);
	for (i = 0; i < e->ntopics; i++)
		fuzz_check_utf8(e->topics[i]);
	for (i = 0; i < e->nimages; i++)
		fuzz_check_utf8(e->images[i].url);
	if (e->type == NULL || (strcmp(e->type, "article") != 0 &&
	    strcmp(e->type, "video") != 0 && strcmp(e->type, "audio") != 0))
		abort();
	if (e->quality < 0 || e->quality > 100)
		abort();
	(*count)++;
	entry_free(e);
}

/* The filter's output for data pushed chunk bytes at a time. */
static char *
fuzz_filter(const char *encoding, const uint8_t *data, size_t size,
    size_t chunk, size_t *outlen)
{
	struct parse_input	*in;
	const char		*o;
	char			*out;
	size_t			 off, n, ol, len = 0, cap = size * 8 + 64;

	if ((out = malloc(cap)) == NULL)
		abort();
	in = parse_input_new(encoding);
	for (off = 0; off <= size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		o = parse_input_filter(in, (const char *)data + off, n,
		    off + n == size, &ol);
		/* At most 8 references of 10 bytes for a 32-byte entity. */
		if (len + ol > cap)
			abort();
		memcpy(out + len, o, ol);
		len += ol;
		if (off + n == size)
			break;
	}
	parse_input_free(in);
	*outlen = len;
	return out;
}

static void
fuzz_filter_same(const uint8_t *data, size_t size, size_t chunk)
{
	static const char *const encodings[] = { NULL, "CP1252", "KOI8-R" };
	char	*a, *b;
	size_t	 alen, blen, e;

	for (e = 0; e < 3; e++) {
		parse_input_avx2(0);
		a = fuzz_filter(encodings[e], data, size, chunk, &alen);
		parse_input_avx2(1);
		b = fuzz_filter(encodings[e], data, size, chunk, &blen);
		if (alen != blen || memcmp(a, b, alen) != 0)
			abort();
		free(a);
		free(b);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_opts	 opts;
	struct parse_feed_info	 info, winfo;
	struct parser		*p;
	size_t			 chunk, off, n, pushed = 0, whole = 0;
	int			 exact;

	if (size < 1)
		return 0;
	memset(&opts, 0, sizeof opts);
	opts.url = "http://fuzz.example.org/feeds/feed.xml";
	opts.charset = fuzz_charsets[(data[0] >> 6) & 3 ? (data[0] >> 5) & 7 :
	    0];
	chunk = (data[0] & 31) != 0 ? (size_t)(data[0] & 31) * 2 : size;
	data++;
	size--;

	p = parser_new(&opts, fuzz_entry, &pushed);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (parser_feed(p, data + off, n) < 0)
			break;
	}
	parser_finish(p, &info, NULL);
	fuzz_check_utf8(info.title);
	fuzz_check_utf8(info.link);
	exact = info.wellformed && !info.stopped;
	parse_feed_info_clear(&info);
	parser_free(p);

	/*
	 * Streaming may not change what comes out of a well-formed document.
	 * Past an XML error it may: libxml2's push parser recovers from some
	 * (a "]]>" in text, a broken start tag) differently as the pushes
	 * fall; and where iconv gives up on undecodable bytes depends on
	 * them too. The fixtures pin their own malformed cases both ways.
	 */
	parse_buffer(&opts, data, size, fuzz_entry, &whole, &winfo, NULL);
	if (exact && winfo.wellformed && !winfo.stopped && pushed != whole)
		abort();
	parse_feed_info_clear(&winfo);

	fuzz_filter_same(data, size, chunk);
	return 0;
}
