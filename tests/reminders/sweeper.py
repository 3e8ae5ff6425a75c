"""One worker process for the two-worker test: waits for the start signal, sweeps, prints counts.

python -m tests.reminders.sweeper <now ISO> <start-file> <batch>; configured from the environment.
"""
from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path


def main() -> None:
    now, start, batch = datetime.fromisoformat(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    from app import create_app
    from app.reminders.sweep import sweep

    app = create_app()
    with app.app_context():
        while not start.exists():
            time.sleep(0.005)
        result = sweep(now, batch=batch)
    print(f"claimed={result.claimed} sent={result.sent}", flush=True)


if __name__ == "__main__":
    main()
