#!/usr/bin/env python3
"""Counts non-white pixels in a region of an RGB(A) PNG, and pixels of a
given colour. Pure python3 (zlib), no PIL.
Usage: png_region.py FILE X0 Y0 X1 Y1 [RRGGBB...]  -> prints "nonwhite N" and "RRGGBB N" lines."""
import struct, sys, zlib

def read_png(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, w = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, 'unsupported PNG'
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line); prev = line
    return w, h, bpp, rows

w, h, bpp, rows = read_png(sys.argv[1])
x0, y0, x1, y1 = (int(v) for v in sys.argv[2:6])
colours = {c.lower(): 0 for c in sys.argv[6:]}
nonwhite = 0
for y in range(max(0, y0), min(h, y1)):
    r = rows[y]
    for x in range(max(0, x0), min(w, x1)):
        px = r[x * bpp:x * bpp + 3]
        if px[0] < 240 or px[1] < 240 or px[2] < 240: nonwhite += 1
        hexv = '%02x%02x%02x' % (px[0], px[1], px[2])
        if hexv in colours: colours[hexv] += 1
print('size', w, h)
print('nonwhite', nonwhite)
for k, v in colours.items(): print(k, v)
