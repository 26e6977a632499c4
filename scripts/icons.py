#!/usr/bin/env python3
"""Draws the extension's icons (a red shield with a white exclamation mark) as PNG files.

Made at build time so the repository holds no binary assets. Usage: scripts/icons.py OUT_DIR
"""
import os
import struct
import sys
import zlib

RED = (198, 40, 40, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x: float, y: float) -> tuple:
    """Colour at (x, y) in a unit square, y downwards."""
    # Shield: straight sides down to 55%, then a curve to the point at the bottom.
    if 0.12 <= x <= 0.88 and 0.06 <= y <= 0.94:
        half = 0.38 if y < 0.55 else 0.38 * max(0.0, 1 - ((y - 0.55) / 0.39) ** 2) ** 0.5
        if abs(x - 0.5) <= half:
            bar = abs(x - 0.5) <= 0.065 and 0.2 <= y <= 0.6
            dot = (x - 0.5) ** 2 + (y - 0.74) ** 2 <= 0.075 ** 2
            return WHITE if bar or dot else RED
    return CLEAR


def png(size: int) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter type 0
        for i in range(size):
            # 4x4 supersampling keeps small sizes smooth.
            acc = [0, 0, 0, 0]
            for sj in range(4):
                for si in range(4):
                    c = pixel((i + (si + 0.5) / 4) / size, (j + (sj + 0.5) / 4) / size)
                    for k in range(4):
                        acc[k] += c[k]
            row.extend(v // 16 for v in acc)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "icons"
    os.makedirs(out, exist_ok=True)
    for size in (16, 32, 48, 128):
        with open(os.path.join(out, f"icon-{size}.png"), "wb") as f:
            f.write(png(size))
