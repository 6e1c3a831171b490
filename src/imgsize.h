/*
 * imgsize.h: an image's type and size from the first bytes of its file.
 *
 * The image cache calls imgsize_probe() on what it has downloaded so far:
 * no pixel is decoded, only the header that states the size is read (PNG
 * IHDR, JPEG SOFn, GIF logical screen, WebP VP8/VP8L/VP8X, AVIF/HEIF ispe,
 * SVG width/height/viewBox). The answer says whether the bytes are an image
 * at all, so that an HTML error page served under an image URL is refused
 * after a few bytes, and whether more bytes are needed, so that a download
 * can stop once the header is known. Nothing here allocates; hostile input
 * costs time linear in its length.
 */
#ifndef FEEDFOLD_IMGSIZE_H
#define FEEDFOLD_IMGSIZE_H

#include <stddef.h>
#include <stdint.h>

/* Not an image format we know (HTML, text, video, BMP, ...). */
#define IMGSIZE_NOTIMAGE	(-1)
/*
 * The bytes so far are a prefix of something we may know: call again with
 * more. At the end of the file this means a truncated image.
 */
#define IMGSIZE_NEEDMORE	(-2)
/* The magic bytes of a format we know, but a header we cannot read. */
#define IMGSIZE_BROKEN		(-3)

/*
 * An SVG's root tag must start within this many bytes; a bigger prolog
 * (comments, DOCTYPE) makes it IMGSIZE_NOTIMAGE, not IMGSIZE_NEEDMORE.
 */
#define IMGSIZE_SVG_SCAN	(64 * 1024)

enum imgsize_type {
	IMGSIZE_UNKNOWN = 0,
	IMGSIZE_PNG,
	IMGSIZE_JPEG,
	IMGSIZE_GIF,
	IMGSIZE_WEBP,
	IMGSIZE_AVIF,
	IMGSIZE_HEIF,		/* HEIC and other HEIF brands */
	IMGSIZE_SVG,
};

struct imgsize {
	enum imgsize_type type;
	const char	*mime;		/* static "image/png"; NULL: unknown */
	const char	*ext;		/* static "png"; NULL: unknown */
	uint32_t	 width;		/* pixels, as displayed */
	uint32_t	 height;
	/*
	 * EXIF orientation 1-8 (1: as stored). 5-8 turn the image a quarter,
	 * and width and height above are already swapped for it: they are
	 * what a browser lays out. AVIF/HEIF `irot` is mapped to the same
	 * values (6 or 8 for a quarter turn, 3 for a half).
	 */
	int		 orientation;
};

/*
 * Probe len bytes of the start of a file (buf may be NULL when len is 0).
 * Returns 0 when the type and size are known, or IMGSIZE_NOTIMAGE,
 * IMGSIZE_NEEDMORE or IMGSIZE_BROKEN. out is always filled: on a negative
 * return, type, mime and ext are set when the magic bytes were recognised
 * (so a downloader can name the file) and width and height are 0.
 *
 * The one success without a size: an SVG with neither usable width/height
 * (a unit other than px, a percentage) nor a viewBox returns 0 with width
 * and height 0, since it is a valid image that simply has no intrinsic
 * size (feedfold then writes no width or height).
 */
int	 imgsize_probe(const void *buf, size_t len, struct imgsize *out);

#endif
