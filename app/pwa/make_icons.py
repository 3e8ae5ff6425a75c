"""Draw KneeReady's icons: the favicon SVG and the PNGs a phone installs (192/512 px, maskable
versions inside the safe zone, the 180 px Apple touch icon, 96 px shortcut icons).

    make icons        # or: .venv/bin/python -m app.pwa.make_icons

Renders with Playwright and Debian's chromium (the venv has no Pillow), writes static/icons/.
Run it after changing the drawing below, and commit what it writes.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

ICONS = Path(__file__).resolve().parents[2] / "static" / "icons"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

BACKGROUND = (
    '<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">'
    '<stop offset="0" stop-color="#2a57de"/><stop offset="1" stop-color="#1a3aa6"/></linearGradient></defs>'
    '<rect width="64" height="64" rx="{radius}" fill="url(#bg)"/>'
)
# A runner's leg mid-stride, the knee marked green, with speed lines: ready to run.
LEG = (
    '<g transform="translate(32 32) scale({scale}) translate(-25.7 -28.5)">'
    '<path d="M24 10c3 7 7 12 11.5 18.5-2.5 6-4.5 12-6.5 18.5h9" fill="none" stroke="#fff" '
    'stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>'
    '<circle cx="35.5" cy="28.5" r="6.3" fill="#7dd3a0" stroke="#1f47c5" stroke-width="2.2"/>'
    '<path d="M12 24h6M10 32h7M12 40h5" stroke="#fff" stroke-opacity=".5" stroke-width="3" stroke-linecap="round"/>'
    "</g>"
)
# (file, size, corner radius in the 64-unit drawing, leg scale). Maskable icons fill the square
# and keep the leg inside the central circle of 80% that every launcher mask leaves visible.
PNGS = (
    ("icon-192.png", 192, 14, 1.0),
    ("icon-512.png", 512, 14, 1.0),
    ("icon-maskable-192.png", 192, 0, 0.88),
    ("icon-maskable-512.png", 512, 0, 0.88),
    ("apple-touch-icon.png", 180, 0, 0.9),  # iOS rounds the corners itself
)
SHORTCUTS = ("checkin", "warmup")


def icon_svg(radius: float = 14, scale: float = 1.0) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            + BACKGROUND.format(radius=radius) + LEG.format(scale=scale) + "</svg>")


def shortcut_svg(name: str) -> str:
    """A shortcut's icon: its tab-bar symbol, white on the brand blue."""
    sprite = (ICONS / "sprite.svg").read_text()
    symbol = re.search(rf'<symbol id="{name}" viewBox="0 0 24 24">(.*?)</symbol>', sprite).group(1)
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' + BACKGROUND.format(radius=32)
            + '<g transform="translate(14 14) scale(1.5)" fill="none" stroke="#fff" stroke-width="2.2" '
            'stroke-linecap="round" stroke-linejoin="round">' + symbol + "</g></svg>")


def render(page, svg: str, size: int, path: Path) -> None:
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(f'<body style="margin:0">{svg.replace("<svg ", f"<svg width={size} height={size} ", 1)}</body>')
    page.screenshot(path=str(path), omit_background=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    (ICONS / "favicon.svg").write_text(icon_svg() + "\n")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for filename, size, radius, scale in PNGS:
            render(page, icon_svg(radius, scale), size, ICONS / filename)
        for name in SHORTCUTS:
            render(page, shortcut_svg(name), 96, ICONS / f"shortcut-{name}-96.png")
        browser.close()
    print(f"wrote favicon.svg and {len(PNGS) + len(SHORTCUTS)} PNGs to {ICONS}")


if __name__ == "__main__":
    main()
