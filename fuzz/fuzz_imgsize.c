/*
 * fuzz_imgsize.c: libFuzzer target for imgsize_probe().
 *
 * The input is the start of a file. Besides memory safety it checks what
 * the image cache relies on to stop a download early: an answer other than
 * IMGSIZE_NEEDMORE for a prefix is final, so the whole input must give the
 * same answer, type and size. Seeds: tests/data/images.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imgsize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_imgsize_check(const uint8_t *data, size_t size)
{
	struct imgsize	 out;
	int		 r;

	r = imgsize_probe(data, size, &out);
	if (r != 0 && r != IMGSIZE_NOTIMAGE && r != IMGSIZE_NEEDMORE &&
	    r != IMGSIZE_BROKEN)
		abort();
	if (r == 0 && out.type != IMGSIZE_SVG &&
	    (out.width == 0 || out.height == 0))
		abort();
	if (r == 0 && (out.mime == NULL || out.ext == NULL))
		abort();
	if (r != 0 && (out.width != 0 || out.height != 0))
		abort();
	if (out.orientation < 1 || out.orientation > 8)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imgsize	 full, part;
	size_t		 cuts[3], i;
	int		 r, rp;

	if (size > 1024 * 1024)
		return 0;
	fuzz_imgsize_check(data, size);
	r = imgsize_probe(data, size, &full);

	cuts[0] = size / 2;
	cuts[1] = size > 0 ? data[0] % (size + 1) : 0;
	cuts[2] = size > 0 ? size - 1 : 0;
	for (i = 0; i < 3; i++) {
		rp = imgsize_probe(data, cuts[i], &part);
		if (rp == IMGSIZE_NEEDMORE)
			continue;
		if (rp != r || part.type != full.type ||
		    part.width != full.width || part.height != full.height ||
		    part.orientation != full.orientation)
			abort();
	}
	return 0;
}
