#!/usr/bin/env python3
"""Draws the extension's icons as PNG files: the normal one, a calm blue shield with a white
tick, and the alarm shown when Cảnh Giác is not protecting, a red warning triangle with a white
exclamation mark (a different colour and a different shape, so the two are never confused).

Made at build time so the repository holds no binary assets. Usage: scripts/icons.py OUT_DIR
"""
import os
import struct
import sys
import zlib

RED = (198, 40, 40, 255)
BLUE = (21, 88, 176, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def shield(x: float, y: float) -> tuple:
    """The normal icon's colour at (x, y) in a unit square, y downwards: shield with a tick."""
    # Shield: straight sides down to 55%, then a curve to the point at the bottom.
    if 0.12 <= x <= 0.88 and 0.06 <= y <= 0.94:
        half = 0.38 if y < 0.55 else 0.38 * max(0.0, 1 - ((y - 0.55) / 0.39) ** 2) ** 0.5
        if abs(x - 0.5) <= half:
            return WHITE if near_tick(x, y) else BLUE
    return CLEAR


def near_tick(x: float, y: float) -> bool:
    """Whether (x, y) lies on the tick: two strokes meeting at its lowest point."""
    strokes = (((0.30, 0.48), (0.45, 0.63)), ((0.45, 0.63), (0.71, 0.33)))
    for (ax, ay), (bx, by) in strokes:
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        if (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= 0.065 ** 2:
            return True
    return False


def alarm(x: float, y: float) -> tuple:
    """The alarm icon's colour at (x, y): a red triangle with a white exclamation mark."""
    if 0.04 <= y <= 0.94 and abs(x - 0.5) <= 0.48 * (y - 0.04) / 0.90:
        bar = abs(x - 0.5) <= 0.07 and 0.30 <= y <= 0.66
        dot = (x - 0.5) ** 2 + (y - 0.80) ** 2 <= 0.075 ** 2
        return WHITE if bar or dot else RED
    return CLEAR


def png(size: int, pixel) -> bytes:
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
            f.write(png(size, shield))
    for size in (16, 32):
        with open(os.path.join(out, f"alarm-{size}.png"), "wb") as f:
            f.write(png(size, alarm))
