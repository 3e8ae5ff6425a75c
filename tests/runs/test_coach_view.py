"""What a coach sees of an athlete's running: the athlete page's chart and list, and the board's
attention sort. Access goes through app/coach/access.py: anyone but an actively linked coach gets
the 404 the rest of the coach pages give."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.coaching import AthleteDay, attention
from app.extensions import db
from app.models import Run
from tests.fixtures.coaching import text
from tests.conftest import TEST_TODAY

TODAY = TEST_TODAY


def add_runs(app, athlete_id, *runs):
    with app.app_context():
        for days_before, km, pain in runs:
            db.session.add(Run(athlete_id=athlete_id, local_date=TODAY - timedelta(days=days_before),
                               distance_m=km * 1000, duration_s=km * 360, terrain="road", pain_during=pain,
                               source="manual"))
        db.session.commit()


def test_the_coach_sees_the_athletes_runs_chart_and_spikes(client, app, cast, login):
    add_runs(app, cast.athlete, (10, 10, 0), (2, 13, 4))
    login(cast.coach)
    page = text(client.get(f"/coach/athletes/{cast.athlete}"))
    assert "Running load and pain" in page and "Weekly running distance and pain" in page
    assert "1 spike (a run over the 10% ceiling) and 1 pain-marked run in 12 weeks" in page
    assert "Spike:</strong> 30% longer" in page
    assert "Add pain an hour after" not in page  # the coach cannot edit


@pytest.mark.parametrize("who", ["stranger", "former", "pending"])
def test_coaches_without_an_active_link_see_nothing(client, app, cast, login, who):
    add_runs(app, cast.athlete, (2, 13, 4))
    login(getattr(cast, who))
    response = client.get(f"/coach/athletes/{cast.athlete}")
    assert response.status_code == 404 and "13.0 km" not in text(response)


def test_spikes_and_pain_marked_runs_feed_the_attention_sort(client, app, cast, login):
    add_runs(app, cast.athlete, (10, 10, 0), (2, 13, 4))
    login(cast.coach)
    page = text(client.get("/coach"))
    assert "1 pain-marked run · 1 running spike" in page


def test_pain_marked_runs_rank_with_amber_and_spikes_with_held():
    base = AthleteDay("Riley", TODAY, "green", 0, None, TODAY)
    assert attention(base)[0] == 4
    assert attention(AthleteDay("Riley", TODAY, "green", 0, None, TODAY, run_spikes=1)) == (3, ("1 running spike",))
    assert attention(AthleteDay("Riley", TODAY, "green", 0, None, TODAY, pain_marked_runs=2)) == (
        2, ("2 pain-marked runs",))
