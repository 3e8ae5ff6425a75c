"""Every form endpoint under hostile posts: never a 500, always a 4xx that says why, nothing written."""
from __future__ import annotations

import pytest
from hypothesis import given

from tests.security.conftest import hostile_settings
from tests.security.endpoints import FORMS, hostile_posts


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.id)
def test_a_hostile_post_is_refused_with_a_message_and_writes_nothing(form, attack, world):
    attack.sign_in(form.who)

    @hostile_settings(form.examples)
    @given(hostile_posts(form, world))
    def post(request):
        response = attack.send(form.route, "POST", request.path, request.pairs, request.headers,
                               multipart=request.multipart)
        attack.assert_refused(response, request.messages,
                              attack.sent(request.path, request.pairs, request.headers, response))

    post()


# Posts covered elsewhere: they take hostile extras and ignore them (test_accepted.py).
IGNORING = {"/signout", "/coach/invitations", "/checkin/verdict"}


def test_every_route_that_takes_a_post_is_attacked_here(app):
    """A new form endpoint must get its spec in endpoints.py (or a reason in test_accepted.py)."""
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts - {form.route for form in FORMS} - IGNORING == set()
    assert {form.route for form in FORMS} <= posts
