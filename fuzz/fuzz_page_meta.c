/*
 * fuzz_page_meta.c: libFuzzer target for page_meta.
 *
 * The input is a page. It is parsed twice, whole and in pieces whose sizes
 * come from its first byte: the stop scan carries state across pieces, so
 * both must find the same head, and every URL found must be an absolute
 * http(s) URL. Seeds: tests/data/pages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "page_meta.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_page_meta_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
fuzz_page_meta_url(const char *u)
{
	if (u != NULL && strncmp(u, "http://", 7) != 0 &&
	    strncmp(u, "https://", 8) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char page_url[] = "https://news.example.com/a/story.html";
	struct page_meta_parser *p;
	struct page_meta *whole, *parts;
	size_t	 step, off;

	if (size > 512 * 1024)
		return 0;
	whole = page_meta_parse(page_url, NULL, data, size);

	step = size > 0 ? (size_t)data[0] % 61 + 1 : 1;
	p = page_meta_parser_new(page_url, NULL, 0);
	for (off = 0; off < size; off += step) {
		if (page_meta_parser_feed(p, data + off,
		    size - off < step ? size - off : step))
			break;
	}
	parts = page_meta_parser_finish(p);

	fuzz_page_meta_url(whole->amp_url);
	fuzz_page_meta_url(whole->canonical_url);
	fuzz_page_meta_url(whole->image_url);
	if (!fuzz_page_meta_same(whole->amp_url, parts->amp_url) ||
	    !fuzz_page_meta_same(whole->canonical_url, parts->canonical_url) ||
	    !fuzz_page_meta_same(whole->image_url, parts->image_url) ||
	    !fuzz_page_meta_same(whole->site_name, parts->site_name) ||
	    whole->image_width != parts->image_width ||
	    whole->published != parts->published)
		abort();
	page_meta_free(whole);
	page_meta_free(parts);
	return 0;
}
