/*
 * test_imgsize.c: image type and size from header bytes, on real files
 * made with ImageMagick, cwebp, avifenc and heif-enc
 * (tests/data/images/make.sh), every prefix of them, and hand-made hostile
 * headers.
 */
#include <stdlib.h>
#include <string.h>

#include "imgsize.h"
#include "test.h"
#include "xmalloc.h"

struct image_case {
	const char	*file;
	enum imgsize_type type;
	const char	*mime;
	const char	*ext;
	uint32_t	 width;
	uint32_t	 height;
	int		 orientation;
};

/* What the fixtures are: make.sh gave each its own size. */
static const struct image_case images[] = {
	{ "png.png", IMGSIZE_PNG, "image/png", "png", 37, 23, 1 },
	{ "baseline.jpg", IMGSIZE_JPEG, "image/jpeg", "jpg", 41, 29, 1 },
	{ "progressive.jpg", IMGSIZE_JPEG, "image/jpeg", "jpg", 43, 31, 1 },
	/* Orientation 6 (RightTop): stored 41x29, shown 29x41. */
	{ "exif.jpg", IMGSIZE_JPEG, "image/jpeg", "jpg", 29, 41, 6 },
	/* Little-endian EXIF, orientation 3 (a half turn), ICC after it. */
	{ "exif-le.jpg", IMGSIZE_JPEG, "image/jpeg", "jpg", 41, 29, 3 },
	{ "quirks.jpg", IMGSIZE_JPEG, "image/jpeg", "jpg", 41, 29, 1 },
	{ "gif89a.gif", IMGSIZE_GIF, "image/gif", "gif", 47, 19, 1 },
	{ "gif87a.gif", IMGSIZE_GIF, "image/gif", "gif", 13, 11, 1 },
	{ "gif-zero-screen.gif", IMGSIZE_GIF, "image/gif", "gif", 47, 19, 1 },
	{ "lossy.webp", IMGSIZE_WEBP, "image/webp", "webp", 53, 37, 1 },
	{ "lossless.webp", IMGSIZE_WEBP, "image/webp", "webp", 53, 37, 1 },
	{ "extended.webp", IMGSIZE_WEBP, "image/webp", "webp", 59, 41, 1 },
	{ "image.avif", IMGSIZE_AVIF, "image/avif", "avif", 61, 43, 1 },
	{ "alpha.avif", IMGSIZE_AVIF, "image/avif", "avif", 61, 43, 1 },
	{ "grid.avif", IMGSIZE_AVIF, "image/avif", "avif", 132, 66, 1 },
	/* irot 1: a quarter turn anti-clockwise. */
	{ "rotated.avif", IMGSIZE_AVIF, "image/avif", "avif", 43, 61, 8 },
	/* A grid of 64x64 tiles whose first ispe is a tile's. */
	{ "image.heic", IMGSIZE_HEIF, "image/heic", "heic", 61, 43, 1 },
	{ "px.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 120, 80, 1 },
	{ "unitless.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 300, 150, 1 },
	{ "viewbox.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 640, 480, 1 },
	{ "percent.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 200, 100, 1 },
	{ "width-only.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 50, 25, 1 },
	{ "prefixed.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 8, 30, 1 },
	/* No usable size: an image all the same, without width and height. */
	{ "nosize.svg", IMGSIZE_SVG, "image/svg+xml", "svg", 0, 0, 1 },
};

static char *
read_image(const char *name, size_t *len)
{
	char	*rel = xasprintf("images/%s", name);
	char	*data = test_read_file(test_data(rel), len);

	free(rel);
	if (data == NULL)
		test_fail(__FILE__, __LINE__, "cannot read %s", name);
	return data;
}

static void
check_image(const struct image_case *c, const struct imgsize *got)
{
	ASSERT_INT_EQ(got->type, c->type);
	ASSERT_STR_EQ(got->mime, c->mime);
	ASSERT_STR_EQ(got->ext, c->ext);
	ASSERT_INT_EQ(got->width, c->width);
	ASSERT_INT_EQ(got->height, c->height);
	ASSERT_INT_EQ(got->orientation, c->orientation);
}

static void
test_fixtures(void)
{
	struct imgsize	 out;
	size_t		 i, len;
	char		*data;

	for (i = 0; i < sizeof images / sizeof images[0]; i++) {
		data = read_image(images[i].file, &len);
		ASSERT_INT_EQ(imgsize_probe(data, len, &out), 0);
		check_image(&images[i], &out);
		free(data);
	}
}

/*
 * Every prefix of every fixture: first "need more" (with the type once the
 * magic is there), then from some length on the full answer, which never
 * changes again. Raster headers must be known before the end of the file,
 * which is what lets a download stop early.
 */
static void
test_every_prefix(void)
{
	struct imgsize	 out;
	size_t		 i, k, len, known;
	char		*data;
	int		 r;

	for (i = 0; i < sizeof images / sizeof images[0]; i++) {
		data = read_image(images[i].file, &len);
		known = 0;
		for (k = 0; k <= len; k++) {
			r = imgsize_probe(k == 0 ? NULL : data, k, &out);
			if (r == IMGSIZE_NEEDMORE && known == 0) {
				ASSERT_INT_EQ(out.width, 0);
				ASSERT(out.type == IMGSIZE_UNKNOWN ||
				    out.type == images[i].type);
				continue;
			}
			if (r != 0)
				test_fail(__FILE__, __LINE__, "%s: prefix %zu "
				    "of %zu: %d", images[i].file, k, len, r);
			if (known == 0)
				known = k;
			check_image(&images[i], &out);
		}
		if (images[i].type != IMGSIZE_SVG && known >= len)
			test_fail(__FILE__, __LINE__, "%s: size known only at "
			    "the end (%zu)", images[i].file, known);
		free(data);
	}
}

/* Where the formats put their sizes: the answer comes exactly there. */
static size_t
known_at(const char *file)
{
	struct imgsize	 out;
	size_t		 k, len;
	char		*data = read_image(file, &len);

	for (k = 0; k <= len; k++) {
		if (imgsize_probe(data, k, &out) == 0)
			break;
	}
	free(data);
	return k;
}

static void
test_header_lengths(void)
{
	ASSERT_INT_EQ(known_at("png.png"), 24);
	ASSERT_INT_EQ(known_at("gif89a.gif"), 10);
	ASSERT_INT_EQ(known_at("lossless.webp"), 25);
	ASSERT_INT_EQ(known_at("lossy.webp"), 30);
	ASSERT_INT_EQ(known_at("extended.webp"), 30);
}

static void
test_truncated(void)
{
	static const struct {
		const char	*file;
		enum imgsize_type type;
	} cases[] = {
		{ "truncated.png", IMGSIZE_PNG },
		{ "truncated-exif.jpg", IMGSIZE_JPEG },
		{ "truncated.webp", IMGSIZE_WEBP },
		{ "truncated.avif", IMGSIZE_AVIF },
	};
	struct imgsize	 out;
	size_t		 i, len;
	char		*data;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		data = read_image(cases[i].file, &len);
		ASSERT_INT_EQ(imgsize_probe(data, len, &out), IMGSIZE_NEEDMORE);
		ASSERT_INT_EQ(out.type, cases[i].type);
		ASSERT_NOT_NULL(out.ext);
		ASSERT_INT_EQ(out.width, 0);
		ASSERT_INT_EQ(out.height, 0);
		free(data);
	}
}

/*
 * What servers send instead of images is refused, and early: the first
 * few bytes are enough, so no download of a big error page goes on.
 */
static void
test_not_images(void)
{
	static const char *files[] = {
		"page.html", "page-nodoctype.html", "error.txt", "error.json",
	};
	struct imgsize	 out;
	size_t		 i, len;
	char		*data;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		data = read_image(files[i], &len);
		ASSERT_INT_EQ(imgsize_probe(data, len, &out), IMGSIZE_NOTIMAGE);
		ASSERT_INT_EQ(out.type, IMGSIZE_UNKNOWN);
		ASSERT_NULL(out.mime);
		ASSERT_INT_EQ(imgsize_probe(data, 16, &out), IMGSIZE_NOTIMAGE);
		free(data);
	}
	/* A letter cannot start any image: refused on the first byte. */
	ASSERT_INT_EQ(imgsize_probe("F", 1, &out), IMGSIZE_NOTIMAGE);
	/* '<' may be SVG; so may a BOM, or white space. */
	ASSERT_INT_EQ(imgsize_probe("<", 1, &out), IMGSIZE_NEEDMORE);
	ASSERT_INT_EQ(imgsize_probe("\xef\xbb", 2, &out), IMGSIZE_NEEDMORE);
	ASSERT_INT_EQ(imgsize_probe("  \n", 3, &out), IMGSIZE_NEEDMORE);
	ASSERT_INT_EQ(imgsize_probe("\xef\xbb\xbf<html>", 9, &out),
	    IMGSIZE_NOTIMAGE);
	ASSERT_INT_EQ(imgsize_probe("<?xml version=\"1.0\"?><rss>", 26, &out),
	    IMGSIZE_NOTIMAGE);
	ASSERT_INT_EQ(imgsize_probe(NULL, 0, &out), IMGSIZE_NEEDMORE);
	/* BMP is not among the formats we read. */
	ASSERT_INT_EQ(imgsize_probe("BM\x36\0\0\0\0\0\0\0\x36\0\0\0", 14, &out),
	    IMGSIZE_NOTIMAGE);
	/* RIFF, but a WAVE file. */
	ASSERT_INT_EQ(imgsize_probe("RIFF\x24\0\0\0WAVEfmt ", 16, &out),
	    IMGSIZE_NOTIMAGE);
	/* ISO BMFF, but an MP4 video: its brands name no image. */
	ASSERT_INT_EQ(imgsize_probe("\0\0\0\x18" "ftypisom\0\0\x02\0"
	    "isomiso2\0\0\0\x08" "free", 32, &out), IMGSIZE_NOTIMAGE);
}

/* Magic bytes of a format, then a header that cannot be read. */
static void
test_broken(void)
{
	struct imgsize	 out;

	/* PNG whose first chunk is not IHDR, and one with width 0. */
	ASSERT_INT_EQ(imgsize_probe("\x89PNG\r\n\x1a\n\0\0\0\x0dIDAT"
	    "\0\0\0\x10\0\0\0\x10", 24, &out), IMGSIZE_BROKEN);
	ASSERT_INT_EQ(out.type, IMGSIZE_PNG);
	ASSERT_INT_EQ(imgsize_probe("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"
	    "\0\0\0\0\0\0\0\x10", 24, &out), IMGSIZE_BROKEN);
	/* Width above 2^31 - 1. */
	ASSERT_INT_EQ(imgsize_probe("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"
	    "\x80\0\0\0\0\0\0\x10", 24, &out), IMGSIZE_BROKEN);
	/* JPEG: scan data (SOS) or the end before any frame header. */
	ASSERT_INT_EQ(imgsize_probe("\xff\xd8\xff\xda\0\x08", 6, &out),
	    IMGSIZE_BROKEN);
	ASSERT_INT_EQ(imgsize_probe("\xff\xd8\xff\xd9", 4, &out),
	    IMGSIZE_BROKEN);
	/* A segment length below 2 would loop forever if believed. */
	ASSERT_INT_EQ(imgsize_probe("\xff\xd8\xff\xe0\0\x01", 6, &out),
	    IMGSIZE_BROKEN);
	ASSERT_INT_EQ(imgsize_probe("\xff\xd8\xff\xe0\0\x00", 6, &out),
	    IMGSIZE_BROKEN);
	/* SOF0 with a short length, and one with height 0 (DNL). */
	ASSERT_INT_EQ(imgsize_probe("\xff\xd8\xff\xc0\0\x05\x08\0\x10\0\x10",
	    11, &out), IMGSIZE_BROKEN);
	ASSERT_INT_EQ(imgsize_probe("\xff\xd8\xff\xc0\0\x11\x08\0\0\0\x10",
	    11, &out), IMGSIZE_BROKEN);
	/* WebP with an unknown first chunk; VP8 without its start code. */
	ASSERT_INT_EQ(imgsize_probe("RIFF\x24\0\0\0WEBPVP9 \0\0\0\0", 20,
	    &out), IMGSIZE_BROKEN);
	ASSERT_INT_EQ(out.type, IMGSIZE_WEBP);
	ASSERT_INT_EQ(imgsize_probe("RIFF\x24\0\0\0WEBPVP8 \x0a\0\0\0"
	    "\0\0\0\x9d\x01\x2b\x10\0\x10\0", 30, &out), IMGSIZE_BROKEN);
	/* GIF with a 0x0 screen and no frame before the trailer. */
	ASSERT_INT_EQ(imgsize_probe("GIF89a\0\0\0\0\0\0\0\x3b", 14, &out),
	    IMGSIZE_BROKEN);
	/* An SVG root tag with an unquoted attribute value. */
	ASSERT_INT_EQ(imgsize_probe("<svg width=10 height=10>", 24, &out),
	    IMGSIZE_BROKEN);
	ASSERT_INT_EQ(out.type, IMGSIZE_SVG);
}

/* Append an ISO BMFF box: size, type, payload. */
static size_t
box(unsigned char *at, const char *type, const void *payload, size_t len)
{
	size_t	 size = 8 + len;

	at[0] = (unsigned char)(size >> 24);
	at[1] = (unsigned char)(size >> 16);
	at[2] = (unsigned char)(size >> 8);
	at[3] = (unsigned char)size;
	memcpy(at + 4, type, 4);
	if (len > 0)
		memmove(at + 8, payload, len);
	return size;
}

/*
 * AVIF whose mdat comes before meta: nothing is known until meta is
 * complete, and then the answer is the same as for the real file.
 */
static void
test_avif_mdat_first(void)
{
	struct imgsize	 out;
	unsigned char	*f, *mdat;
	size_t		 len, n, ftyp, k, first = 0;
	char		*data = read_image("image.avif", &len);

	ftyp = ((size_t)(unsigned char)data[2] << 8) | (unsigned char)data[3];
	ASSERT(ftyp > 0 && ftyp < len);
	mdat = xcalloc(1, 5000);
	f = xmalloc(len + 5000 + 8);
	memcpy(f, data, ftyp);
	n = ftyp + box(f + ftyp, "mdat", mdat, 5000);
	memcpy(f + n, data + ftyp, len - ftyp);
	n += len - ftyp;
	for (k = 0; k <= n; k++) {
		int	 r = imgsize_probe(f, k, &out);

		if (r == 0 && first == 0)
			first = k;
		ASSERT(r == 0 || r == IMGSIZE_NEEDMORE);
	}
	ASSERT(first > ftyp + 5008);
	ASSERT_INT_EQ(imgsize_probe(f, n, &out), 0);
	ASSERT_INT_EQ(out.width, 61);
	ASSERT_INT_EQ(out.height, 43);
	free(f);
	free(mdat);
	free(data);
}

/* Box sizes that lie: smaller than their header, past their parent. */
static void
test_avif_hostile_boxes(void)
{
	static const unsigned char ftyp[] =
	    "\0\0\0\x14" "ftypavif\0\0\0\0" "avif";
	unsigned char	 f[256], meta[128], iprp[64];
	struct imgsize	 out;
	size_t		 n, m, k;

	/* A box of size 4: smaller than its own header. */
	memcpy(f, ftyp, 20);
	memcpy(f + 20, "\0\0\0\x04meta", 8);
	ASSERT_INT_EQ(imgsize_probe(f, 28, &out), IMGSIZE_BROKEN);
	ASSERT_INT_EQ(out.type, IMGSIZE_AVIF);

	/* meta > iprp > ipco whose child claims 2^32 - 1 bytes. */
	memset(meta, 0, sizeof meta);
	k = box(iprp + 8, "ipco", "\xff\xff\xff\xffispe", 8);
	k = box(iprp, "iprp", iprp + 8, k);
	memcpy(meta + 4, iprp, k);	/* after version and flags */
	m = box(f + 20, "meta", meta, 4 + k);
	n = 20 + m;
	ASSERT_INT_EQ(imgsize_probe(f, n, &out), IMGSIZE_BROKEN);

	/* meta without ipco. */
	m = box(f + 20, "meta", "\0\0\0\0", 4);
	ASSERT_INT_EQ(imgsize_probe(f, 20 + m, &out), IMGSIZE_BROKEN);

	/* A 64-bit size so big it can only mean "more". */
	memcpy(f + 20, "\0\0\0\x01" "mdat\x7f\xff\xff\xff\xff\xff\xff\xff", 16);
	ASSERT_INT_EQ(imgsize_probe(f, 36, &out), IMGSIZE_NEEDMORE);
}

/* The scan for the root tag is capped; past the cap, not an image. */
static void
test_svg_scan_cap(void)
{
	struct imgsize	 out;
	size_t		 n = IMGSIZE_SVG_SCAN + 100;
	char		*s = xmalloc(n);

	memset(s, ' ', n);
	memcpy(s, "<!--", 4);
	ASSERT_INT_EQ(imgsize_probe(s, IMGSIZE_SVG_SCAN - 1, &out),
	    IMGSIZE_NEEDMORE);
	ASSERT_INT_EQ(imgsize_probe(s, n, &out), IMGSIZE_NOTIMAGE);
	/* The same bytes with the comment closed early are an SVG. */
	memcpy(s + 4, "-->", 3);
	memcpy(s + n - 30, "<svg width='3' height='2'/>", 27);
	ASSERT_INT_EQ(imgsize_probe(s, n, &out), IMGSIZE_NOTIMAGE);
	memmove(s + 100, s + n - 30, 27);
	ASSERT_INT_EQ(imgsize_probe(s, n, &out), 0);
	ASSERT_INT_EQ(out.width, 3);
	ASSERT_INT_EQ(out.height, 2);
	free(s);
}

/* Lengths: units other than px fall back to the viewBox. */
static void
test_svg_lengths(void)
{
	static const struct {
		const char	*svg;
		uint32_t	 w, h;
	} cases[] = {
		{ "<svg width=' 12px ' height=\"4\">", 12, 4 },
		{ "<svg width='1e2' height='2.5E1'>", 100, 25 },
		{ "<svg width='0.2' height='1'>", 1, 1 },
		{ "<svg width='1cm' height='5cm' viewBox='0 0 30 15'>",
		  30, 15 },
		{ "<svg width='-5' height='5' viewBox='0 0 8 4'>", 10, 5 },
		{ "<svg width='5' height='5' viewBox='0 0 0 4'>", 5, 5 },
		{ "<svg viewBox='0 0 -8 4'>", 0, 0 },
		{ "<svg viewBox='0 0 8'>", 0, 0 },
		{ "<svg width='1e999' height='5'>", 0, 0 },
		{ "<svg width='2000000' height='5'>", 0, 0 },
		{ "<svg\n  WIDTH='6'\theight='7' checked>", 6, 7 },
		{ "<svg height='9' viewBox='0 0 30 10'>", 27, 9 },
	};
	struct imgsize	 out;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (imgsize_probe(cases[i].svg, strlen(cases[i].svg),
		    &out) != 0)
			test_fail(__FILE__, __LINE__, "%s: refused",
			    cases[i].svg);
		ASSERT_INT_EQ(out.type, IMGSIZE_SVG);
		if (out.width != cases[i].w || out.height != cases[i].h)
			test_fail(__FILE__, __LINE__, "%s: %ux%u, want %ux%u",
			    cases[i].svg, out.width, out.height, cases[i].w,
			    cases[i].h);
	}
}

/*
 * A JPEG whose EXIF block lies about its IFD: the orientation is dropped,
 * never read out of bounds, and the size still comes from the frame.
 */
static void
test_jpeg_bad_exif(void)
{
	static const unsigned char jpg[] =
	    "\xff\xd8"
	    /* IFD0 offset far past the block. */
	    "\xff\xe1\0\x16" "Exif\0\0" "MM\0\x2a\xff\xff\xff\xf0"
	    "\0\0\0\0\0\0"
	    /* 65535 entries announced, none there. */
	    "\xff\xe1\0\x18" "Exif\0\0" "II\x2a\0\x08\0\0\0" "\xff\xff"
	    "\0\0\0\0\0\0"
	    /* SOF2: 7 high, 5 wide, three components. */
	    "\xff\xc2\0\x11\x08\0\x07\0\x05\x03\x01\x11\0\x02\x11\x01"
	    "\x03\x11\x01";
	struct imgsize	 out;

	ASSERT_INT_EQ(imgsize_probe(jpg, sizeof jpg - 1, &out), 0);
	ASSERT_INT_EQ(out.width, 5);
	ASSERT_INT_EQ(out.height, 7);
	ASSERT_INT_EQ(out.orientation, 1);
}

static const struct test_case cases[] = {
	TEST(test_fixtures),
	TEST(test_every_prefix),
	TEST(test_header_lengths),
	TEST(test_truncated),
	TEST(test_not_images),
	TEST(test_broken),
	TEST(test_avif_mdat_first),
	TEST(test_avif_hostile_boxes),
	TEST(test_svg_scan_cap),
	TEST(test_svg_lengths),
	TEST(test_jpeg_bad_exif),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
