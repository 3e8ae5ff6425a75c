"""Lighthouse (mobile preset) on Today, Check-in, Warm-up and the coach dashboard, against
Debian's chromium and the app under gunicorn. Prints the scores; exits 1 below 95.

    make bench-lighthouse        # or: .venv/bin/python bench/lighthouse.py
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ROOT, gunicorn, prepare_database, signed_in_cookie  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices")
PAGES = (  # (path, who)
    ("/today", "maya@demo.kneeready.app"),
    ("/checkin", "maya@demo.kneeready.app"),
    ("/warmup", "maya@demo.kneeready.app"),
    ("/coach", "coach@demo.kneeready.app"),
)
TARGET = 95


def run_lighthouse(url: str, cookie: str, out: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
               f"--extra-headers={json.dumps({'Cookie': cookie})}"]
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(command, check=True, env=env)
    report = json.loads(out.read_text())
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def pages_to_audit(argv: list[str]) -> tuple:
    """The default four pages, or the paths named on the command line."""
    if not argv:
        return PAGES
    return tuple((p, "coach@demo.kneeready.app" if p.startswith("/coach") else PAGES[0][1]) for p in argv)


def main(argv: list[str]) -> int:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=ROOT / "bench", check=True)
    failed = False
    with tempfile.TemporaryDirectory() as workdir:
        env = prepare_database(None, Path(workdir))
        with gunicorn(env, workers=2) as (base, _process):
            print(f"{'page':<12}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for path, email in pages_to_audit(argv):
                scores = run_lighthouse(base + path, signed_in_cookie(base, email), Path(workdir) / "r.json")
                failed |= any(score < TARGET for score in scores.values())
                print(f"{path:<12}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    print(f"target: every score >= {TARGET}: {'FAILED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
