"""Pure rules behind the coach board's "Silent N days" and "Reminders off"."""
from __future__ import annotations

import pytest

from app.domain.coaching import QUIET_DAYS, silent_days
from app.domain.reminders import NUDGE_AFTER_DAYS, all_off


def test_silence_counts_from_the_same_day_the_nudge_goes():
    assert QUIET_DAYS == NUDGE_AFTER_DAYS == 3
    assert [silent_days(n) for n in (None, 0, 1, 2, 3, 4, 30)] == [None, None, None, None, 3, 4, 30]


@pytest.mark.parametrize("email_on, push_on, has_device, daily_on, training_on, off", [
    (True, False, False, True, False, False),
    (False, True, True, False, True, False),
    (False, True, False, True, True, True),  # push chosen, nowhere to push to
    (False, False, True, True, True, True),
    (True, True, True, False, False, True),  # every kind off
])
def test_all_off(email_on, push_on, has_device, daily_on, training_on, off):
    assert all_off(email_on=email_on, push_on=push_on, has_device=has_device, daily_on=daily_on,
                   training_on=training_on) is off
