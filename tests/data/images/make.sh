#!/bin/sh
# How the image fixtures were made (Debian 12: imagemagick, webp,
# libavif-bin, libheif-examples). Not run by the build: the files are
# committed. Sizes are all different and never square, so that a swapped
# or misread field cannot pass. Run from this folder to remake them.
set -eu
C=/usr/bin/convert
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

$C -size 37x23 gradient:red-blue -strip png.png
$C -size 41x29 gradient:yellow-green -strip -quality 40 baseline.jpg
$C -size 43x31 gradient:white-black -strip -quality 40 -interlace JPEG \
    progressive.jpg
$C -size 47x19 xc:red -strip gif89a.gif
$C -size 13x11 xc:blue -strip GIF87:gif87a.gif
$C -size 53x37 gradient:red-blue -strip "$t/53.png"
cwebp -quiet -q 30 "$t/53.png" -o lossy.webp
cwebp -quiet -lossless "$t/53.png" -o lossless.webp
$C -size 59x41 xc:'rgba(255,0,0,0.5)' -strip "$t/59.png"
cwebp -quiet -q 30 "$t/59.png" -o extended.webp		# alpha: VP8X
$C -size 61x43 gradient:red-blue -strip "$t/61.png"
avifenc -s 10 "$t/61.png" image.avif >/dev/null
avifenc -s 10 --irot 1 "$t/61.png" rotated.avif >/dev/null
$C -size 61x43 xc:'rgba(0,255,0,0.5)' -strip "$t/61a.png"
avifenc -s 10 "$t/61a.png" alpha.avif >/dev/null	# two items
$C -size 132x66 gradient:red-blue -strip "$t/132.png"
avifenc -s 10 --grid 2x1 "$t/132.png" grid.avif >/dev/null
# heif-enc writes a grid of 64x64 tiles: the first ispe is a tile's.
heif-enc "$t/61.png" -o image.heic >/dev/null

# EXIF, fill bytes and stray markers are spliced into ImageMagick's JPEG
# after SOI (ImageMagick writes no EXIF orientation of its own).
python3 - <<'PY'
import struct

def seg(marker, payload):
    return b'\xff' + bytes([marker]) + struct.pack('>H', len(payload) + 2) + payload

def exif(bo, orientation, pad):
    p = '<' if bo == b'II' else '>'
    tiff = bo + struct.pack(p + 'HI', 42, 8)
    # IFD0: ImageDescription (points at the padding), Orientation.
    entries = [(0x010e, 2, len(pad), 8 + 2 + 2 * 12 + 4),
               (0x0112, 3, 1, orientation << (16 if p == '>' else 0))]
    ifd = struct.pack(p + 'H', len(entries))
    for tag, typ, cnt, val in entries:
        ifd += struct.pack(p + 'HHII', tag, typ, cnt, val)
    ifd += struct.pack(p + 'I', 0)
    return seg(0xe1, b'Exif\0\0' + tiff + ifd + pad)

base = open('baseline.jpg', 'rb').read()
assert base[:2] == b'\xff\xd8'
jfif_less = base[2:]
pad = bytes(range(256)) * 6      # 1.5 KB, a stand-in for a thumbnail
open('exif.jpg', 'wb').write(b'\xff\xd8' + exif(b'MM', 6, pad) + jfif_less)
open('exif-le.jpg', 'wb').write(b'\xff\xd8' + exif(b'II', 3, pad[:300]) +
                                seg(0xe2, b'ICC_PROFILE\0' + bytes(200)) +
                                jfif_less)
# Fill bytes before markers, a comment, an RST marker and a few stray
# bytes between segments: all before the frame header.
i = jfif_less.index(b'\xff\xc0')
quirks = (b'\xff\xd8' + b'\xff\xff\xff' + seg(0xfe, b'made by make.sh') +
          b'\xff\xd0' + b'\x00\x00' + jfif_less[:i] + b'\xff\xff' +
          jfif_less[i:])
open('quirks.jpg', 'wb').write(quirks)

# Truncated copies: the header is cut off.
open('truncated-exif.jpg', 'wb').write(open('exif.jpg', 'rb').read()[:600])
open('truncated.png', 'wb').write(open('png.png', 'rb').read()[:20])
open('truncated.webp', 'wb').write(open('lossy.webp', 'rb').read()[:24])
open('truncated.avif', 'wb').write(open('image.avif', 'rb').read()[:200])
PY

# A GIF whose logical screen says 0x0: the first frame gives the size.
python3 -c "
d = bytearray(open('gif89a.gif', 'rb').read()); d[6:10] = bytes(4)
open('gif-zero-screen.gif', 'wb').write(d)"
