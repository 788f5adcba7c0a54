"""Draws the xpyvorin kernel logos (a rounded square with a stylised "P" and a spark) as PNGs,
with the standard library only. Usage: make_logos.py OUT_DIR"""
import os
import struct
import sys
import zlib


def pixel(x, y, size):
    """RGBA of the logo at (x, y), sampled at the pixel centre in unit coordinates."""
    u, v = (x + 0.5) / size, (y + 0.5) / size
    # Rounded square background.
    r = 0.18
    dx = max(r - u, 0, u - (1 - r))
    dy = max(r - v, 0, v - (1 - r))
    if dx * dx + dy * dy > r * r:
        return (0, 0, 0, 0)
    bg = (int(40 + 60 * v), int(70 + 40 * v), int(160 + 40 * (1 - v)), 255)
    white = (255, 255, 255, 255)
    amber = (255, 196, 40, 255)
    # The "P": a stem and a bowl.
    if 0.26 <= u <= 0.38 and 0.2 <= v <= 0.82:
        return white
    bx, by = u - 0.46, v - 0.38
    ring = (bx * bx) / (0.2 ** 2) + (by * by) / (0.18 ** 2)
    if u >= 0.38 and 0.55 <= ring <= 1.0:
        return white
    # The spark: a small diamond at the lower right.
    if abs(u - 0.72) + abs(v - 0.72) <= 0.1:
        return amber
    return bg


def png(size):
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(pixel(x, y, size))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for size in (32, 64):
        with open(os.path.join(out_dir, f"logo-{size}x{size}.png"), "wb") as f:
            f.write(png(size))


if __name__ == "__main__":
    main()
