"""The exercise drawings as static files: static/figures/<slug>.svg, one per library item,
written from the content file by `make figures` and committed, so they are served, versioned,
long-cached and precached like every other static file.

    .venv/bin/python -m app.library.figures          # write the files, print their sizes
    .venv/bin/python -m app.library.figures --check  # exit 1 if a file is missing or stale
"""
from __future__ import annotations

import html
import re
import sys
from functools import lru_cache
from pathlib import Path

from app.domain.content import Library, load_library
from app.domain.figure import gzip_size, render_svg

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
FOLDER = "figures"


def filename(slug: str) -> str:
    """The drawing's name for url_for('static', filename=…)."""
    return f"{FOLDER}/{slug}.svg"


_HEAD = re.compile(r'width="(\d+)" height="(\d+)".*?<desc id="d">(.*?)</desc>', re.S)


def drawing_info(static: str | Path, slug: str) -> dict | None:
    """File name, size and text alternative of a written drawing; None when there is none."""
    path = Path(static, filename(slug))
    try:
        return _read_info(path, path.stat().st_mtime_ns)
    except (FileNotFoundError, NotADirectoryError):
        return None


@lru_cache(maxsize=128)
def _read_info(path: Path, mtime_ns: int) -> dict | None:
    match = _HEAD.search(path.read_text(encoding="utf-8")[:4000])
    if match is None:
        return None
    width, height, desc = match.groups()
    return {"filename": f"{FOLDER}/{path.name}", "width": int(width), "height": int(height),
            "alt": f"Drawing of {html.unescape(desc)}"}


def drawings(library: Library | None = None) -> dict[str, str]:
    """Every library item's SVG, by file name."""
    library = library or load_library()
    return {filename(e.slug): render_svg(e.figure, e.name) for e in library.exercises if e.figure}


def stale(static: Path = STATIC, library: Library | None = None) -> list[str]:
    """Files that are missing, differ from the content, or belong to no library item."""
    wanted = drawings(library)
    problems = [name for name, svg in wanted.items()
                if not (static / name).is_file() or (static / name).read_text(encoding="utf-8") != svg]
    present = {f"{FOLDER}/{p.name}" for p in (static / FOLDER).glob("*.svg")}
    return sorted(problems + sorted(present - set(wanted)))


def write(static: Path = STATIC, library: Library | None = None) -> dict[str, str]:
    """Write every drawing and remove drawings of items that left the library."""
    wanted = drawings(library)
    folder = static / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.svg"):
        if f"{FOLDER}/{old.name}" not in wanted:
            old.unlink()
    for name, svg in wanted.items():
        (static / name).write_text(svg, encoding="utf-8")
    return wanted


def main(argv: list[str]) -> int:
    if "--check" in argv:
        problems = stale()
        for name in problems:
            print(f"stale or missing: static/{name} (run `make figures`)")
        return 1 if problems else 0
    written = write()
    sizes = sorted((gzip_size(svg), name) for name, svg in written.items())
    total = sum(size for size, _ in sizes)
    print(f"{len(sizes)} drawings in static/{FOLDER}/: {total / 1000:.1f} KB gzipped in all, "
          f"largest {sizes[-1][0]} B ({sizes[-1][1]}), raw {sum(len(s) for s in written.values()) / 1000:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
