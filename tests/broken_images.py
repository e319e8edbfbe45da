#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the broken and unusual image files the CLI and GIMP tests feed
to Atelier, each made from a small valid image so that only the named
fault is there:

  bad-huffman.jpg   a DHT segment whose code counts sum past 256 (the
                    segment lengths are right: a marker walk passes it)
  bad-sos.jpg       an SOS naming a component the frame does not have
  bad-sampling.jpg  a frame with a sampling factor of 0
  cut-zlib.png      IDAT holds half of its zlib stream, CRCs valid
  bad-filter.png    a row's filter byte is 7, zlib and CRCs valid
  bomb.png          a 60000 x 60000 header over a few bytes of data
  cut.tif           a strip TIFF cut in its pixel data
  cut.webp          a lossy WebP cut in its bitstream
  animated.webp     a two-frame animated WebP
  cmyk.jpg          CMYK with Adobe's inverted values (as Photoshop and
                    PIL write it): left half red ink (M+Y), right half
                    cyan ink
  cmyk.tif          the same in a CMYK TIFF (plain ink values)
  good.png          the valid image the others were made from (64 x 48)

  tests/broken_images.py DIR
"""
import io
import struct
import sys
import zlib

from PIL import Image, ImageDraw


def base_image():
    im = Image.new("RGB", (64, 48))
    px = im.load()
    for y in range(48):
        for x in range(64):
            px[x, y] = (x * 4, y * 5, (x + y) * 2)
    ImageDraw.Draw(im).ellipse((16, 8, 48, 40), fill=(240, 220, 40))
    return im


def encoded(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return bytearray(buf.getvalue())


def jpeg_segments(data):
    """(marker, offset of the segment's length field) up to SOS."""
    i = 2
    while i + 4 <= len(data):
        assert data[i] == 0xFF
        marker = data[i + 1]
        yield marker, i + 2
        if marker == 0xDA:
            return
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]


def segment(data, wanted):
    return next(off for m, off in jpeg_segments(data) if m == wanted)


def png_chunks(data):
    i = 8
    while i < len(data):
        n = struct.unpack(">I", data[i:i + 4])[0]
        yield data[i + 4:i + 8], i, n
        i += 12 + n


def png_with_idat(data, idat):
    out = bytearray(data[:8])
    for kind, i, n in png_chunks(data):
        if kind == b"IDAT":
            continue
        if kind == b"IEND":
            out += struct.pack(">I", len(idat)) + b"IDAT" + idat
            out += struct.pack(">I", zlib.crc32(b"IDAT" + idat))
        out += data[i:i + 12 + n]
    return out


def idat_of(data):
    return b"".join(data[i + 8:i + 8 + n] for kind, i, n in png_chunks(data)
                    if kind == b"IDAT")


def main(d):
    im = base_image()
    im.save(d + "/good.png")
    jpg = encoded(im, "JPEG", quality=90)

    bad = bytearray(jpg)
    off = segment(bad, 0xC4)            # length, Tc/Th, then 16 counts
    bad[off + 3:off + 19] = bytes([255] * 16)
    open(d + "/bad-huffman.jpg", "wb").write(bad)

    bad = bytearray(jpg)
    off = segment(bad, 0xDA)            # length, Ns, then (Cs, Td/Ta) pairs
    bad[off + 3] = 9
    open(d + "/bad-sos.jpg", "wb").write(bad)

    bad = bytearray(jpg)
    off = segment(bad, 0xC0)            # length, P, Y, X, Nf, (C, HV, Tq)
    bad[off + 9] = 0x00
    open(d + "/bad-sampling.jpg", "wb").write(bad)

    png = encoded(im, "PNG")
    stream = idat_of(png)
    open(d + "/cut-zlib.png", "wb").write(
        png_with_idat(png, stream[:len(stream) // 2]))
    raw = bytearray(zlib.decompress(stream))
    raw[5 * (1 + 64 * 3)] = 7            # row 5's filter byte
    open(d + "/bad-filter.png", "wb").write(
        png_with_idat(png, zlib.compress(bytes(raw))))

    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    bomb = bytearray(b"\x89PNG\r\n\x1a\n")
    for kind, body in ((b"IHDR", ihdr),
                       (b"IDAT", zlib.compress(b"\0" * 4096)),
                       (b"IEND", b"")):
        bomb += struct.pack(">I", len(body)) + kind + body
        bomb += struct.pack(">I", zlib.crc32(kind + body))
    open(d + "/bomb.png", "wb").write(bomb)

    tif = encoded(im, "TIFF")
    # PIL writes the IFD first and the pixels after it: cut in the pixels
    open(d + "/cut.tif", "wb").write(tif[:len(tif) - len(tif) // 3])

    webp = encoded(im, "WEBP", quality=80)
    open(d + "/cut.webp", "wb").write(webp[:len(webp) * 2 // 3])

    second = im.transpose(Image.FLIP_LEFT_RIGHT)
    im.save(d + "/animated.webp", save_all=True, append_images=[second],
            duration=100, loop=0)

    cmyk = Image.new("CMYK", (64, 48), (0, 255, 255, 0))
    ImageDraw.Draw(cmyk).rectangle((32, 0, 63, 47), fill=(255, 0, 0, 0))
    cmyk.save(d + "/cmyk.jpg", quality=95)
    cmyk.save(d + "/cmyk.tif")


if __name__ == "__main__":
    main(sys.argv[1])
