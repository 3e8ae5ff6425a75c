"""Every exercise drawing on one page, rendered to docs/figures-contact-sheet.png for review.

Each drawing is shown as a reduced-motion browser shows it (its key poses side by side, with an
arrow), so one still image holds every pose of every item. Renders with Playwright and Debian's
chromium, from the files in static/figures/ (run `make figures` first; `make contact-sheet`
does both).

    .venv/bin/python bench/contact_sheet.py [--dark] [out.png]
"""
from __future__ import annotations

import html
import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from app.domain.content import load_library  # noqa: E402
from app.library.figures import filename  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
OUT = ROOT / "docs" / "figures-contact-sheet.png"
PAGE = """<!doctype html><meta charset="utf-8"><style>
:root {{ color-scheme: light dark; font: 13px system-ui, sans-serif; }}
body {{ margin: 12px; background: Canvas; color: CanvasText; }}
main {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; width: 1560px; }}
figure {{ margin: 0; border: 1px solid #8888; border-radius: 8px; padding: 6px; }}
img {{ display: block; height: 150px; max-width: 100%; margin: auto; object-fit: contain; }}
figcaption {{ font-weight: 600; }} small {{ display: block; font-weight: 400; opacity: .75; }}
</style><main>{cells}</main>"""


def sheet_html() -> str:
    cells = []
    for e in load_library().exercises:
        src = (ROOT / "static" / filename(e.slug)).as_uri()
        cells.append(f'<figure><img src="{src}" alt=""><figcaption>{html.escape(e.name)}'
                     f"<small>{e.slug} · {e.figure.view} · {e.kind}</small></figcaption></figure>")
    return PAGE.format(cells="".join(cells))


def render(out: Path, dark: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "sheet.html"
        page_path.write_text(sheet_html(), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                               "--force-prefers-reduced-motion"])
            page = browser.new_page(viewport={"width": 1584, "height": 900}, reduced_motion="reduce",
                                    color_scheme="dark" if dark else "light")
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    render(Path(args[0]) if args else OUT, dark="--dark" in sys.argv)
