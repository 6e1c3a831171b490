/*
 * imgsize.c: image type and size from header bytes (imgsize.h).
 *
 * imgsize_probe() first matches magic bytes: each format's magic is
 * checked against however many bytes there are, so that a short buffer
 * which could still become an image asks for more and one that cannot is
 * refused at once. The matching format's reader then walks its header.
 *
 * Every reader works on (p, len) and reads a field only after checking that
 * the field lies inside len; offsets are compared as "n > len - off", never
 * as "off + n > len", so that no sum can wrap. The walks (JPEG segments,
 * GIF blocks, ISO BMFF boxes) move forward by at least one byte per step,
 * so their cost is linear in len, and the box walk of AVIF/HEIF nests a
 * fixed number of loops (meta, iprp, ipco) instead of recursing.
 */
#include <stdint.h>
#include <string.h>

#include "imgsize.h"

/* SVG width, height and viewBox values above this are not sizes. */
#define IMGSIZE_SVG_MAX		1000000.0
/* The ftyp box of a real AVIF/HEIF file is tens of bytes. */
#define IMGSIZE_FTYP_MAX	4096
/* Properties associated with the primary item that we look at. */
#define IMGSIZE_ASSOC_MAX	32

#define IMGSIZE_FOURCC(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const struct imgsize_format {
	enum imgsize_type	 type;
	const char		*mime;
	const char		*ext;
} imgsize_formats[] = {
	{ IMGSIZE_UNKNOWN,	NULL,		NULL },
	{ IMGSIZE_PNG,		"image/png",	"png" },
	{ IMGSIZE_JPEG,		"image/jpeg",	"jpg" },
	{ IMGSIZE_GIF,		"image/gif",	"gif" },
	{ IMGSIZE_WEBP,		"image/webp",	"webp" },
	{ IMGSIZE_AVIF,		"image/avif",	"avif" },
	{ IMGSIZE_HEIF,		"image/heif",	"heif" },
	{ IMGSIZE_SVG,		"image/svg+xml", "svg" },
};

static uint32_t
imgsize_be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
imgsize_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
imgsize_le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
imgsize_le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
imgsize_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | imgsize_le24(p);
}

static void
imgsize_set_type(struct imgsize *out, enum imgsize_type type)
{
	out->type = type;
	out->mime = imgsize_formats[type].mime;
	out->ext = imgsize_formats[type].ext;
}

/*
 * Width and height as displayed: EXIF orientations 5-8 are a quarter
 * turn, so the stored width is the displayed height.
 */
static int
imgsize_set_size(struct imgsize *out, uint32_t w, uint32_t h)
{
	if (w == 0 || h == 0)
		return IMGSIZE_BROKEN;
	if (out->orientation >= 5) {
		out->width = h;
		out->height = w;
	} else {
		out->width = w;
		out->height = h;
	}
	return 0;
}

/*
 * Compare the literal lit with p at offset off, as far as p goes: 1 when
 * all of it matches, 0 when the bytes there so far match (more are
 * needed), -1 when a byte differs.
 */
static int
imgsize_magic(const unsigned char *p, size_t len, size_t off,
    const char *lit, size_t litlen)
{
	size_t	 i;

	for (i = 0; i < litlen; i++) {
		if (off + i >= len)
			return 0;
		if (p[off + i] != (unsigned char)lit[i])
			return -1;
	}
	return 1;
}

/* Both parts of a two-part magic: -1 if either fails, 1 if both match. */
static int
imgsize_magic2(int a, int b)
{
	if (a < 0 || b < 0)
		return -1;
	return a && b;
}

/* ---- PNG ----------------------------------------------------------------- */

/*
 * The IHDR chunk comes first, right after the signature. Apple's "CgBI"
 * PNGs (iOS-optimised, still served by some sites) put one chunk before it.
 */
static int
imgsize_png(const unsigned char *p, size_t len, struct imgsize *out)
{
	size_t	 off = 8;
	uint32_t w, h;

	if (len < off + 8)
		return IMGSIZE_NEEDMORE;
	if (memcmp(p + off + 4, "CgBI", 4) == 0) {
		uint32_t clen = imgsize_be32(p + off);

		if (clen > 64)
			return IMGSIZE_BROKEN;
		off += 12 + clen;
		if (len < off + 8)
			return IMGSIZE_NEEDMORE;
	}
	if (memcmp(p + off + 4, "IHDR", 4) != 0 ||
	    imgsize_be32(p + off) != 13)
		return IMGSIZE_BROKEN;
	if (len < off + 16)
		return IMGSIZE_NEEDMORE;
	w = imgsize_be32(p + off + 8);
	h = imgsize_be32(p + off + 12);
	/* The PNG spec caps both at 2^31 - 1. */
	if (w > INT32_MAX || h > INT32_MAX)
		return IMGSIZE_BROKEN;
	return imgsize_set_size(out, w, h);
}

/* ---- JPEG ---------------------------------------------------------------- */

/*
 * The orientation (tag 0x0112) from IFD0 of an APP1 "Exif" payload, or 1.
 * Anything odd about the TIFF structure just means "no orientation": a
 * broken EXIF block does not make the image unreadable.
 */
static int
imgsize_exif_orientation(const unsigned char *p, size_t n)
{
	const unsigned char *t;
	size_t	 tn, off, e, i, count;
	int	 le;
	uint32_t v;

	if (n < 6 || memcmp(p, "Exif\0\0", 6) != 0)
		return 1;
	t = p + 6;
	tn = n - 6;
	if (tn < 8)
		return 1;
	if (t[0] == 'I' && t[1] == 'I')
		le = 1;
	else if (t[0] == 'M' && t[1] == 'M')
		le = 0;
	else
		return 1;
	if ((le ? imgsize_le16(t + 2) : imgsize_be16(t + 2)) != 42)
		return 1;
	off = le ? imgsize_le32(t + 4) : imgsize_be32(t + 4);
	if (off > tn || tn - off < 2)
		return 1;
	count = le ? imgsize_le16(t + off) : imgsize_be16(t + off);
	for (i = 0; i < count; i++) {
		e = off + 2 + 12 * i;	/* off < 64K, i < 64K: no wrap */
		if (e > tn || tn - e < 12)
			return 1;
		if ((le ? imgsize_le16(t + e) : imgsize_be16(t + e)) != 0x0112)
			continue;
		/* SHORT, count 1: the value sits in the first two bytes. */
		if ((le ? imgsize_le16(t + e + 2) :
		    imgsize_be16(t + e + 2)) != 3)
			return 1;
		v = le ? imgsize_le16(t + e + 8) : imgsize_be16(t + e + 8);
		return v >= 1 && v <= 8 ? (int)v : 1;
	}
	return 1;
}

/* SOF0-SOF15 carry the frame size; C4 (DHT), C8 (JPG), CC (DAC) do not. */
static int
imgsize_jpeg_is_sof(unsigned m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/*
 * Walk the marker segments after SOI up to the first frame header. APPn
 * (EXIF, ICC profiles, Photoshop), DQT, DHT and COM segments are skipped by
 * their length; RSTn and TEM have none. Bytes between segments that are not
 * a marker are skipped as libjpeg does ("extraneous bytes before marker"),
 * and any number of 0xFF fill bytes may precede a marker.
 */
static int
imgsize_jpeg(const unsigned char *p, size_t len, struct imgsize *out)
{
	size_t	 i = 2, seglen;
	unsigned m;

	for (;;) {
		while (i < len && p[i] != 0xff)
			i++;
		while (i < len && p[i] == 0xff)
			i++;
		if (i >= len)
			return IMGSIZE_NEEDMORE;
		m = p[i++];
		if (m == 0x00 || m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;
		/* SOI again, EOI, or SOS: no frame header came first. */
		if (m == 0xd8 || m == 0xd9 || m == 0xda)
			return IMGSIZE_BROKEN;
		if (len - i < 2)
			return IMGSIZE_NEEDMORE;
		seglen = imgsize_be16(p + i);
		if (seglen < 2)
			return IMGSIZE_BROKEN;
		if (imgsize_jpeg_is_sof(m)) {
			/* Length, precision, height, width. */
			if (seglen < 8)
				return IMGSIZE_BROKEN;
			if (len - i < 7)
				return IMGSIZE_NEEDMORE;
			/* Height 0 (size given later by DNL): unsupported. */
			return imgsize_set_size(out, imgsize_be16(p + i + 5),
			    imgsize_be16(p + i + 3));
		}
		if (m == 0xe1 && len - i >= seglen && out->orientation == 1)
			out->orientation = imgsize_exif_orientation(p + i + 2,
			    seglen - 2);
		if (len - i < seglen)
			return IMGSIZE_NEEDMORE;
		i += seglen;
	}
}

/* ---- GIF ----------------------------------------------------------------- */

/*
 * The logical screen gives the size. A few encoders write 0x0 there; then,
 * as browsers do, the first image descriptor's size is used, found by
 * skipping the global colour table and the extension blocks before it.
 */
static int
imgsize_gif(const unsigned char *p, size_t len, struct imgsize *out)
{
	uint32_t w, h;
	size_t	 i, skip;

	if (len < 10)
		return IMGSIZE_NEEDMORE;
	w = imgsize_le16(p + 6);
	h = imgsize_le16(p + 8);
	if (w != 0 && h != 0)
		return imgsize_set_size(out, w, h);
	if (len < 13)
		return IMGSIZE_NEEDMORE;
	i = 13;
	if (p[10] & 0x80)
		i += (size_t)3 << ((p[10] & 7) + 1);
	for (;;) {
		if (i >= len)
			return IMGSIZE_NEEDMORE;
		if (p[i] == 0x2c) {
			if (len - i < 9)
				return IMGSIZE_NEEDMORE;
			return imgsize_set_size(out, imgsize_le16(p + i + 5),
			    imgsize_le16(p + i + 7));
		}
		if (p[i] != 0x21)
			return IMGSIZE_BROKEN;	/* trailer or garbage */
		i += 2;		/* introducer, label */
		for (;;) {	/* data sub-blocks up to a zero length */
			if (i >= len)
				return IMGSIZE_NEEDMORE;
			skip = p[i++];
			if (skip == 0)
				break;
			i += skip;
		}
	}
}

/* ---- WebP ---------------------------------------------------------------- */

/*
 * RIFF....WEBP, then the first chunk: "VP8 " (lossy: a key frame header
 * with two 14-bit sizes), "VP8L" (lossless: a 0x2f byte, then two 14-bit
 * sizes minus one), or "VP8X" (extended: two 24-bit canvas sizes minus
 * one).
 */
static int
imgsize_webp(const unsigned char *p, size_t len, struct imgsize *out)
{
	uint32_t bits;

	if (len < 16)
		return IMGSIZE_NEEDMORE;
	if (memcmp(p + 12, "VP8 ", 4) == 0) {
		if (len < 30)
			return IMGSIZE_NEEDMORE;
		/* Bit 0 of the frame tag is 0 on a key frame. */
		if ((p[20] & 1) != 0 || p[23] != 0x9d || p[24] != 0x01 ||
		    p[25] != 0x2a)
			return IMGSIZE_BROKEN;
		return imgsize_set_size(out, imgsize_le16(p + 26) & 0x3fff,
		    imgsize_le16(p + 28) & 0x3fff);
	}
	if (memcmp(p + 12, "VP8L", 4) == 0) {
		if (len < 25)
			return IMGSIZE_NEEDMORE;
		if (p[20] != 0x2f)
			return IMGSIZE_BROKEN;
		bits = imgsize_le32(p + 21);
		return imgsize_set_size(out, (bits & 0x3fff) + 1,
		    ((bits >> 14) & 0x3fff) + 1);
	}
	if (memcmp(p + 12, "VP8X", 4) == 0) {
		if (len < 30)
			return IMGSIZE_NEEDMORE;
		return imgsize_set_size(out, imgsize_le24(p + 24) + 1,
		    imgsize_le24(p + 27) + 1);
	}
	return IMGSIZE_BROKEN;
}

/* ---- AVIF / HEIF (ISO BMFF) ---------------------------------------------- */

struct imgsize_box {
	uint32_t	 type;
	size_t		 off;		/* payload start */
	size_t		 len;		/* payload length */
};

/*
 * The box at *pos within [*pos, end): 0 with *box filled and *pos moved
 * past it; 1 at end; IMGSIZE_NEEDMORE when the box runs past end and end
 * is the end of what we have (partial); IMGSIZE_BROKEN otherwise. A size
 * of 0 means "to the end of the parent".
 */
static int
imgsize_box_next(const unsigned char *p, size_t *pos, size_t end, int partial,
    struct imgsize_box *box)
{
	size_t	 at = *pos, hdr = 8;
	uint64_t size;

	if (at >= end)
		return partial ? IMGSIZE_NEEDMORE : 1;
	if (end - at < 8)
		return partial ? IMGSIZE_NEEDMORE : IMGSIZE_BROKEN;
	size = imgsize_be32(p + at);
	box->type = imgsize_be32(p + at + 4);
	if (size == 1) {
		if (end - at < 16)
			return partial ? IMGSIZE_NEEDMORE : IMGSIZE_BROKEN;
		size = (uint64_t)imgsize_be32(p + at + 8) << 32 |
		    imgsize_be32(p + at + 12);
		hdr = 16;
	} else if (size == 0) {
		if (partial)
			return IMGSIZE_NEEDMORE;
		size = end - at;
	}
	if (size < hdr)
		return IMGSIZE_BROKEN;
	if (size > end - at)
		return partial ? IMGSIZE_NEEDMORE : IMGSIZE_BROKEN;
	box->off = at + hdr;
	box->len = (size_t)size - hdr;
	*pos = at + (size_t)size;
	return 0;
}

/* The item id of a 'pitm' payload, or 0. */
static uint32_t
imgsize_pitm(const unsigned char *p, const struct imgsize_box *b)
{
	if (b->len >= 6 && p[b->off] == 0)
		return imgsize_be16(p + b->off + 4);
	if (b->len >= 8 && p[b->off] != 0)
		return imgsize_be32(p + b->off + 4);
	return 0;
}

/*
 * The ipco indexes (1-based) of the properties associated with item in an
 * 'ipma' payload, into idx (at most IMGSIZE_ASSOC_MAX). Returns how many.
 */
static size_t
imgsize_ipma(const unsigned char *p, const struct imgsize_box *b,
    uint32_t item, unsigned *idx)
{
	size_t	 i = b->off, end = b->off + b->len, n = 0;
	uint32_t entries, e, id, a, count;
	int	 version, wide;

	if (b->len < 8)
		return 0;
	version = p[i];
	wide = p[i + 3] & 1;	/* flags bit 0: 15-bit indexes */
	entries = imgsize_be32(p + i + 4);
	i += 8;
	for (e = 0; e < entries; e++) {
		if (end - i < (version < 1 ? 3u : 5u))
			return n;
		id = version < 1 ? imgsize_be16(p + i) : imgsize_be32(p + i);
		i += version < 1 ? 2 : 4;
		count = p[i++];
		for (a = 0; a < count; a++) {
			unsigned v;

			if (end - i < (wide ? 2u : 1u))
				return n;
			v = wide ? imgsize_be16(p + i) & 0x7fff : p[i] & 0x7fu;
			i += wide ? 2 : 1;
			if (id == item && n < IMGSIZE_ASSOC_MAX)
				idx[n++] = v;
		}
		if (id == item)
			return n;
	}
	return n;
}

/*
 * The size of the primary item: 'pitm' names it, 'ipma' lists its
 * properties, 'ipco' holds them in order; its 'ispe' is the size and its
 * 'irot' the rotation. Grid images have an ispe per tile too, which is why
 * the first ispe is only a fallback, for files without pitm or ipma.
 */
static int
imgsize_meta(const unsigned char *p, const struct imgsize_box *meta,
    struct imgsize *out)
{
	struct imgsize_box b, c, ipco = { 0, 0, 0 };
	size_t	 pos, end, cpos, nassoc = 0, k;
	uint32_t item = 0, w = 0, h = 0, fw = 0, fh = 0;
	unsigned assoc[IMGSIZE_ASSOC_MAX], index;
	int	 r, have_ipma = 0, angle = 0, found = 0;

	if (meta->len < 4)
		return IMGSIZE_BROKEN;
	pos = meta->off + 4;	/* full box: version and flags */
	end = meta->off + meta->len;
	while ((r = imgsize_box_next(p, &pos, end, 0, &b)) == 0) {
		if (b.type == IMGSIZE_FOURCC('p', 'i', 't', 'm'))
			item = imgsize_pitm(p, &b);
		if (b.type != IMGSIZE_FOURCC('i', 'p', 'r', 'p'))
			continue;
		cpos = b.off;
		while (imgsize_box_next(p, &cpos, b.off + b.len, 0, &c) == 0) {
			if (c.type == IMGSIZE_FOURCC('i', 'p', 'c', 'o'))
				ipco = c;
			else if (c.type == IMGSIZE_FOURCC('i', 'p', 'm', 'a') &&
			    !have_ipma && item != 0) {
				nassoc = imgsize_ipma(p, &c, item, assoc);
				have_ipma = nassoc > 0;
			}
		}
	}
	if (r < 0)
		return r;
	if (ipco.off == 0)
		return IMGSIZE_BROKEN;

	cpos = ipco.off;
	for (index = 1; imgsize_box_next(p, &cpos, ipco.off + ipco.len, 0,
	    &c) == 0; index++) {
		int	 mine = 0;

		for (k = 0; k < nassoc; k++)
			mine |= assoc[k] == index;
		if (c.type == IMGSIZE_FOURCC('i', 's', 'p', 'e') &&
		    c.len >= 12) {
			if (mine) {
				w = imgsize_be32(p + c.off + 4);
				h = imgsize_be32(p + c.off + 8);
				found = 1;
			} else if (fw == 0) {
				fw = imgsize_be32(p + c.off + 4);
				fh = imgsize_be32(p + c.off + 8);
			}
		}
		if (c.type == IMGSIZE_FOURCC('i', 'r', 'o', 't') &&
		    c.len >= 1 && mine)
			angle = p[c.off] & 3;
	}
	if (!found) {
		w = fw;
		h = fh;
	}
	/* irot turns anti-clockwise; in EXIF terms 90 is 8, 270 is 6. */
	out->orientation = angle == 1 ? 8 : angle == 2 ? 3 : angle == 3 ? 6 : 1;
	return imgsize_set_size(out, w, h);
}

/*
 * Which HEIF family the ftyp brands name: AVIF wins over the others, then
 * the HEVC brands (HEIC), then the generic image brands; anything else
 * (an MP4 or QuickTime file) is not an image.
 */
static int
imgsize_ftyp(const unsigned char *p, size_t size, struct imgsize *out)
{
	size_t	 i;
	int	 heic = 0, heif = 0;

	for (i = 8; i + 4 <= size; i += 4) {
		if (i == 12)
			continue;	/* minor version, not a brand */
		if (memcmp(p + i, "avif", 4) == 0 ||
		    memcmp(p + i, "avis", 4) == 0) {
			imgsize_set_type(out, IMGSIZE_AVIF);
			return 0;
		}
		if (memcmp(p + i, "heic", 4) == 0 ||
		    memcmp(p + i, "heix", 4) == 0 ||
		    memcmp(p + i, "heim", 4) == 0 ||
		    memcmp(p + i, "heis", 4) == 0)
			heic = 1;
		if (memcmp(p + i, "mif1", 4) == 0 ||
		    memcmp(p + i, "msf1", 4) == 0 ||
		    memcmp(p + i, "miaf", 4) == 0)
			heif = 1;
	}
	if (!heic && !heif)
		return IMGSIZE_NOTIMAGE;
	imgsize_set_type(out, IMGSIZE_HEIF);
	if (heic) {
		out->mime = "image/heic";
		out->ext = "heic";
	}
	return 0;
}

/*
 * The top-level boxes after ftyp, up to 'meta'. Encoders put meta before
 * mdat, so this rarely needs more than the first kilobyte; when mdat comes
 * first we need all of it, and say so.
 */
static int
imgsize_bmff(const unsigned char *p, size_t len, struct imgsize *out)
{
	struct imgsize_box b;
	size_t	 pos, size;
	int	 r;

	size = imgsize_be32(p);
	if (len < size)
		return IMGSIZE_NEEDMORE;
	if ((r = imgsize_ftyp(p, size, out)) != 0)
		return r;
	pos = size;
	for (;;) {
		r = imgsize_box_next(p, &pos, len, 1, &b);
		if (r < 0)
			return r;
		if (b.type == IMGSIZE_FOURCC('m', 'e', 't', 'a'))
			return imgsize_meta(p, &b, out);
	}
}

/* ---- SVG ----------------------------------------------------------------- */

static int
imgsize_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/*
 * A number at *s (advanced past it): digits, an optional fraction and an
 * optional exponent, with an optional sign. 0 on success.
 */
static int
imgsize_svg_number(const unsigned char **s, const unsigned char *end,
    double *v)
{
	const unsigned char *q = *s;
	double	 x = 0, scale = 1;
	int	 neg = 0, digits = 0, e = 0, eneg = 0, edigits = 0;

	if (q < end && (*q == '+' || *q == '-'))
		neg = *q++ == '-';
	for (; q < end && *q >= '0' && *q <= '9'; q++, digits++)
		x = x * 10 + (*q - '0');
	if (q < end && *q == '.') {
		for (q++; q < end && *q >= '0' && *q <= '9'; q++, digits++) {
			scale /= 10;
			x += (*q - '0') * scale;
		}
	}
	if (digits == 0)
		return -1;
	if (q < end && (*q == 'e' || *q == 'E') && end - q > 1 &&
	    ((q[1] >= '0' && q[1] <= '9') || q[1] == '-' || q[1] == '+')) {
		q++;
		if (*q == '+' || *q == '-')
			eneg = *q++ == '-';
		for (; q < end && *q >= '0' && *q <= '9'; q++, edigits++) {
			if (e < 1000)
				e = e * 10 + (*q - '0');
		}
		if (edigits == 0)
			return -1;
		while (e-- > 0 && x != 0 && x < 1e300 && x > 1e-300)
			x = eneg ? x / 10 : x * 10;
	}
	*v = neg ? -x : x;
	*s = q;
	return 0;
}

/* A width or height attribute: a number, then "px" or nothing. */
static int
imgsize_svg_length(const unsigned char *s, size_t n, double *v)
{
	const unsigned char *end = s + n;

	while (s < end && imgsize_isspace(*s))
		s++;
	if (imgsize_svg_number(&s, end, v) != 0)
		return -1;
	if (end - s >= 2 && s[0] == 'p' && s[1] == 'x')
		s += 2;
	while (s < end && imgsize_isspace(*s))
		s++;
	if (s != end || !(*v > 0) || *v > IMGSIZE_SVG_MAX)
		return -1;
	return 0;
}

/* viewBox="min-x min-y width height", separated by spaces and/or commas. */
static int
imgsize_svg_viewbox(const unsigned char *s, size_t n, double *w, double *h)
{
	const unsigned char *end = s + n;
	double	 v[4];
	int	 i;

	for (i = 0; i < 4; i++) {
		while (s < end && (imgsize_isspace(*s) || *s == ','))
			s++;
		if (imgsize_svg_number(&s, end, &v[i]) != 0)
			return -1;
	}
	while (s < end && imgsize_isspace(*s))
		s++;
	if (s != end || !(v[2] > 0) || !(v[3] > 0) ||
	    v[2] > IMGSIZE_SVG_MAX || v[3] > IMGSIZE_SVG_MAX)
		return -1;
	*w = v[2];
	*h = v[3];
	return 0;
}

static uint32_t
imgsize_round(double v)
{
	uint32_t r = (uint32_t)(v + 0.5);

	return r == 0 ? 1 : r;	/* 0.3px is still an image */
}

/* Position of the literal lit in [i, n), or n. */
static size_t
imgsize_find(const unsigned char *p, size_t i, size_t n, const char *lit)
{
	size_t	 k = strlen(lit);

	for (; i < n && n - i >= k; i++) {
		if (memcmp(p + i, lit, k) == 0)
			return i;
	}
	return n;
}

static int
imgsize_ieq(const unsigned char *s, size_t n, const char *lit)
{
	size_t	 i;

	if (strlen(lit) != n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

/*
 * The attributes of the root <svg> tag starting at p[i] (just after the
 * name), up to its '>'. Entities in values are not decoded: sizes never
 * need them.
 */
static int
imgsize_svg_attrs(const unsigned char *p, size_t i, size_t n, int more,
    struct imgsize *out)
{
	const unsigned char *name = NULL, *val;
	size_t	 nlen, vlen;
	double	 w = 0, h = 0, vw = 0, vh = 0;
	int	 have_w = 0, have_h = 0, have_vb = 0;
	unsigned char q;

	for (;;) {
		while (i < n && imgsize_isspace(p[i]))
			i++;
		if (i >= n)
			return more;
		if (p[i] == '>' || p[i] == '/')
			break;
		name = p + i;
		while (i < n && !imgsize_isspace(p[i]) && p[i] != '=' &&
		    p[i] != '>' && p[i] != '/')
			i++;
		nlen = (size_t)(p + i - name);
		while (i < n && imgsize_isspace(p[i]))
			i++;
		if (i >= n)
			return more;
		if (p[i] != '=')
			continue;	/* an attribute without value */
		i++;
		while (i < n && imgsize_isspace(p[i]))
			i++;
		if (i >= n)
			return more;
		q = p[i];
		if (q != '"' && q != '\'')
			return IMGSIZE_BROKEN;
		val = p + ++i;
		while (i < n && p[i] != q)
			i++;
		if (i >= n)
			return more;
		vlen = (size_t)(p + i - val);
		i++;
		if (imgsize_ieq(name, nlen, "width"))
			have_w = imgsize_svg_length(val, vlen, &w) == 0;
		else if (imgsize_ieq(name, nlen, "height"))
			have_h = imgsize_svg_length(val, vlen, &h) == 0;
		else if (imgsize_ieq(name, nlen, "viewbox"))
			have_vb = imgsize_svg_viewbox(val, vlen, &vw, &vh) == 0;
	}
	/* One side given: the viewBox's aspect ratio gives the other. */
	if (have_vb && have_w && !have_h) {
		h = w * vh / vw;
		have_h = h <= IMGSIZE_SVG_MAX;
	} else if (have_vb && have_h && !have_w) {
		w = h * vw / vh;
		have_w = w <= IMGSIZE_SVG_MAX;
	}
	if (have_w && have_h)
		return imgsize_set_size(out, imgsize_round(w),
		    imgsize_round(h));
	if (have_vb)
		return imgsize_set_size(out, imgsize_round(vw),
		    imgsize_round(vh));
	return 0;	/* an SVG with no intrinsic size */
}

/*
 * SVG is text: skip a BOM, white space, the XML declaration, processing
 * instructions, comments and a DOCTYPE (an HTML one is a refusal), then the
 * root element must be svg (any prefix). Only IMGSIZE_SVG_SCAN bytes are
 * looked at. Returns IMGSIZE_NOTIMAGE as soon as the text cannot be SVG.
 */
static int
imgsize_svg(const unsigned char *p, size_t len, struct imgsize *out)
{
	size_t	 n = len < IMGSIZE_SVG_SCAN ? len : IMGSIZE_SVG_SCAN;
	size_t	 i = 0, j, start;
	int	 more = len < IMGSIZE_SVG_SCAN ? IMGSIZE_NEEDMORE :
		    IMGSIZE_NOTIMAGE;
	int	 r;

	if ((r = imgsize_magic(p, n, 0, "\xef\xbb\xbf", 3)) == 0)
		return more;
	if (r == 1)
		i = 3;
	for (;;) {
		while (i < n && imgsize_isspace(p[i]))
			i++;
		if (i >= n)
			return more;
		if (p[i] != '<')
			return IMGSIZE_NOTIMAGE;
		if (n - i < 2)
			return more;
		if (p[i + 1] == '?') {
			if ((j = imgsize_find(p, i + 2, n, "?>")) == n)
				return more;
			i = j + 2;
			continue;
		}
		if (p[i + 1] == '!') {
			if (n - i < 4)
				return more;
			if (p[i + 2] == '-' && p[i + 3] == '-') {
				if ((j = imgsize_find(p, i + 4, n, "-->")) == n)
					return more;
				i = j + 3;
				continue;
			}
			/* <!DOCTYPE name ... [internal subset]> */
			if (n - i < 10)
				return more;
			if (!imgsize_ieq(p + i + 2, 7, "doctype"))
				return IMGSIZE_NOTIMAGE;
			j = i + 9;
			while (j < n && imgsize_isspace(p[j]))
				j++;
			start = j;
			while (j < n && !imgsize_isspace(p[j]) && p[j] != '>' &&
			    p[j] != '[')
				j++;
			if (j >= n)
				return more;
			if (imgsize_ieq(p + start, j - start, "html"))
				return IMGSIZE_NOTIMAGE;
			for (r = 0; j < n; j++) {
				if (p[j] == '[')
					r = 1;
				else if (p[j] == ']')
					r = 0;
				else if (p[j] == '>' && !r)
					break;
			}
			if (j >= n)
				return more;
			i = j + 1;
			continue;
		}
		break;
	}
	/* The root element's name; a prefix ("svg:svg") is allowed. */
	start = ++i;
	while (i < n && !imgsize_isspace(p[i]) && p[i] != '>' && p[i] != '/')
		i++;
	if (i >= n)
		return more;
	for (j = i; j > start && p[j - 1] != ':'; j--)
		;
	if (i - j != 3 || memcmp(p + j, "svg", 3) != 0)
		return IMGSIZE_NOTIMAGE;
	imgsize_set_type(out, IMGSIZE_SVG);
	return imgsize_svg_attrs(p, i, n,
	    more == IMGSIZE_NEEDMORE ? more : IMGSIZE_BROKEN, out);
}

/* ---- dispatch ------------------------------------------------------------ */

int
imgsize_probe(const void *buf, size_t len, struct imgsize *out)
{
	const unsigned char *p = buf;
	int	 m, any = 0, r;
	size_t	 i;

	memset(out, 0, sizeof *out);
	out->orientation = 1;
	if (len == 0)
		return IMGSIZE_NEEDMORE;

	r = IMGSIZE_NOTIMAGE;
	if ((m = imgsize_magic(p, len, 0, "\x89PNG\r\n\x1a\n", 8)) == 1) {
		imgsize_set_type(out, IMGSIZE_PNG);
		r = imgsize_png(p, len, out);
		goto done;
	}
	any |= m == 0;
	if ((m = imgsize_magic(p, len, 0, "\xff\xd8\xff", 3)) == 1) {
		imgsize_set_type(out, IMGSIZE_JPEG);
		r = imgsize_jpeg(p, len, out);
		goto done;
	}
	any |= m == 0;
	/* "GIF87a" or "GIF89a". */
	m = imgsize_magic2(imgsize_magic(p, len, 0, "GIF8", 4),
	    len <= 4 ? 0 : p[4] == '7' || p[4] == '9' ? 1 : -1);
	m = imgsize_magic2(m, imgsize_magic(p, len, 5, "a", 1));
	if (m == 1) {
		imgsize_set_type(out, IMGSIZE_GIF);
		r = imgsize_gif(p, len, out);
		goto done;
	}
	any |= m == 0;
	m = imgsize_magic2(imgsize_magic(p, len, 0, "RIFF", 4),
	    imgsize_magic(p, len, 8, "WEBP", 4));
	if (m == 1) {
		imgsize_set_type(out, IMGSIZE_WEBP);
		r = imgsize_webp(p, len, out);
		goto done;
	}
	any |= m == 0;
	/*
	 * ISO BMFF: a big-endian ftyp size (16 to IMGSIZE_FTYP_MAX, a
	 * multiple of 4), then "ftyp". Checking the size range lets text
	 * fail here after its first byte or two.
	 */
	m = 1;
	for (i = 0; i < 4 && m == 1; i++) {
		if (i >= len)
			m = 0;
		else if (i < 2 && p[i] != 0)
			m = -1;
	}
	if (m == 1 && (imgsize_be32(p) < 16 ||
	    imgsize_be32(p) > IMGSIZE_FTYP_MAX || imgsize_be32(p) % 4 != 0))
		m = -1;
	m = imgsize_magic2(m, imgsize_magic(p, len, 4, "ftyp", 4));
	if (m == 1) {
		r = imgsize_bmff(p, len, out);
		goto done;
	}
	any |= m == 0;
	r = imgsize_svg(p, len, out);
	if (r == IMGSIZE_NOTIMAGE && any)
		r = IMGSIZE_NEEDMORE;
done:
	if (r != 0) {
		out->width = out->height = 0;
		if (r == IMGSIZE_NOTIMAGE)
			imgsize_set_type(out, IMGSIZE_UNKNOWN);
	}
	return r;
}
