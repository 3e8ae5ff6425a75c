"""How long the physio report takes for a year of daily data: the PDF (fpdf2, charts drawn) and
the FHIR R4 bundle (one Observation per daily pain score), each built from the database.

One athlete with 365 days of check-ins, warm-ups and strength sessions (bench/history.py) and
a questionnaire round every 4 weeks (14 rounds: 41 QuestionnaireResponses, no GROC at baseline). SQLite in a
temporary folder; nothing leaves this machine.

    .venv/bin/python bench/outcomes.py                  # 20 timed runs of each
    .venv/bin/python bench/outcomes.py --runs 50 --pdf /tmp/report.pdf
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.library.loader import sync_exercises  # noqa: E402
from app.models import AthleteProfile, OutcomeResponse, User  # noqa: E402
from app.outcomes import fhir, pdf, report, service  # noqa: E402
from bench.history import build  # noqa: E402

TODAY = date(2026, 11, 30)
DAYS = 365


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pdf", help="also write one PDF here, to look at")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kneeready-outcomes-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "TESTING": True})
        with app.app_context():
            db.create_all()
            sync_exercises()
            build(1, DAYS, TODAY, tag="outcomes")
            athlete = db.session.scalar(db.select(User).where(User.is_athlete.is_(True)))
            profile = db.session.get(AthleteProfile, athlete.id)
            profile.created_at = datetime.combine(TODAY - timedelta(days=DAYS), datetime.min.time())
            _rounds(athlete.id)
            _time(athlete, profile, args)
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rounds(athlete_id: int) -> None:
    """A round every 4 weeks from the start, the knee slowly better."""
    rng = random.Random(3)
    activities = ["running downhill", "stairs", "squatting"]
    for n, day in enumerate(range(DAYS, -1, -28)):
        local = TODAY - timedelta(days=day)
        answers = {key: min(len(item.options) - 1, max(0, 2 - n // 5 + rng.choice((-1, 0, 0, 1))))
                   for key, item in ((i.key, i) for i in report.outcomes.AKPS_ITEMS)}
        scored = service.score_round({k: str(v) for k, v in answers.items()}, activities,
                                     [str(min(10, 3 + n // 2))] * 3, str(min(7, n // 2)), baseline=n == 0)
        service.save_round(athlete_id, local, scored)


def _time(athlete: User, profile: AthleteProfile, args) -> None:
    start, end = TODAY - timedelta(days=DAYS - 1), TODAY
    pdf_ms, fhir_ms, size, entries = [], [], 0, 0
    for _ in range(args.runs):
        began = time.perf_counter()
        data = report.build(athlete, profile, start, end, TODAY)
        body = pdf.render(data, "a4")
        pdf_ms.append((time.perf_counter() - began) * 1000)
        size = len(body)
        db.session.expire_all()
        began = time.perf_counter()
        bundle = fhir.period_bundle(athlete, start, end, datetime.now(UTC).isoformat())
        text = json.dumps(bundle, indent=1)
        fhir_ms.append((time.perf_counter() - began) * 1000)
        entries = len(bundle["entry"])
        db.session.expire_all()
    if args.pdf:
        Path(args.pdf).write_bytes(body)
    count = db.session.scalar(db.select(db.func.count(OutcomeResponse.id)))
    print(f"A year of data: {len(data.daily_pain)} daily pain scores, {count} questionnaire responses.")
    for label, times, extra in (("PDF ", pdf_ms, f"{size / 1024:.0f} KiB"),
                                ("FHIR", fhir_ms, f"{entries} entries, {len(text) / 1024:.0f} KiB")):
        times.sort()
        print(f"{label}: median {statistics.median(times):.0f} ms, worst {times[-1]:.0f} ms over {len(times)} runs"
              f" (read from the database each time; {extra})")


if __name__ == "__main__":
    main()
