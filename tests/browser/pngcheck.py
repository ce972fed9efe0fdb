#!/usr/bin/env python3
"""Say whether a PNG screenshot shows a drawn page or a blank one.

Usage: pngcheck.py FILE.png [MIN_INK_PERCENT]

Decodes the PNG with the standard library alone (8-bit greyscale, RGB or
RGBA, not interlaced: what Chromium writes), takes the most common colour
as the background, and counts the pixels that differ from it ("ink").
Prints one line: size, distinct colours, ink share, rows with ink.  Exits 1
when the ink is below MIN_INK_PERCENT (default 0.05) or fewer than 10 rows
carry ink: a page that drew nothing, or only a stray line.
"""
import struct
import sys
import zlib
from collections import Counter


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, hdr = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, ctype, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        raise ValueError("unsupported PNG layout")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev, off = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[off], bytearray(raw[off + 1:off + 1 + stride])
        off += 1 + stride
        unfilter(ftype, line, prev, channels)
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def unfilter(ftype, line, prev, bpp):
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ftype == 1:
            line[i] = (line[i] + a) & 255
        elif ftype == 2:
            line[i] = (line[i] + b) & 255
        elif ftype == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif ftype == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pred) & 255


def main():
    path = sys.argv[1]
    min_ink = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05
    width, height, ch, rows = read_png(path)
    colours = Counter()
    for row in rows:
        colours.update(row[i:i + ch] for i in range(0, len(row), ch))
    background, bg_count = colours.most_common(1)[0]
    total = width * height
    ink_rows = sum(1 for row in rows
                   if any(row[i:i + ch] != background
                          for i in range(0, len(row), ch)))
    ink = 100.0 * (total - bg_count) / total
    print("%s: %dx%d, %d colours, ink %.2f%%, %d rows with ink"
          % (path, width, height, len(colours), ink, ink_rows))
    return 0 if ink >= min_ink and ink_rows >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
