"""The choice fields' light options (app/forms.py) give what WTForms' own option fields give:
the same ids, names, values, labels, ticks and HTML, answered or not, whatever the form."""
from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict
from wtforms import SelectMultipleField

from app.forms import LightOptions, Option


def _wtforms_options(field):
    """The options as WTForms itself builds them (its per-option Field)."""
    return list(super(LightOptions, field).__iter__())


def _facts(option) -> tuple:
    return (option.id, option.name, option.data, option.checked, option.label.text, str(option.label),
            str(option()), str(option(class_="x")), sorted(vars(option.flags).items()))


def _choice_fields(form):
    return [field for field in form if isinstance(field, LightOptions)]


def _forms():
    from app.checkin.forms import CheckinForm, QuickCheckForm
    from app.domain.triage import LOCATIONS, RED_FLAGS
    from app.outcomes.forms import make_round_form
    from app.reminders.forms import ReminderSettingsForm

    today = date(2026, 6, 10)
    flags, place = list(RED_FLAGS)[:2], next(iter(LOCATIONS))
    answered = MultiDict([("pain_now", "3"), ("worst_pain", ""), ("stiffness", "over_30"), ("swelling", "mild"),
                          ("red_flags", flags[0]), ("red_flags", flags[1]), ("locations", place),
                          ("training_days", "1"), ("training_days", "4"), ("rating_1", "7"), ("groc", "-2")])
    hostile = MultiDict([("pain_now", "not-a-score"), ("red_flags", "made-up"), ("groc", "99")])
    for formdata in (None, answered, hostile):
        yield CheckinForm(formdata=formdata, ask_after_session=True, today=today, athlete_id=1)
        yield QuickCheckForm(formdata=formdata, today=today, athlete_id=1)
        yield ReminderSettingsForm(formdata=formdata)
        yield make_round_form(True, [], formdata=formdata)
        yield make_round_form(False, ["Running 5 km", "Stairs"], formdata=formdata)


def test_light_options_are_wtforms_options(app):
    """Empty, answered and hostile answers, on every form with choice fields a runner fills in."""
    with app.test_request_context("/checkin", method="POST"):
        fields = [field for form in _forms() for field in _choice_fields(form)]
        assert len(fields) > 10
        multiple = 0
        for field in fields:
            ours, theirs = list(field), _wtforms_options(field)
            assert all(isinstance(option, Option) for option in ours)
            assert [_facts(o) for o in ours] == [_facts(o) for o in theirs], field.name
            multiple += isinstance(field, SelectMultipleField) and any(o.checked for o in ours)
        assert multiple  # ticked chips were compared, not only empty ones


def test_a_choice_view_is_worked_out_once_per_state_of_its_field(app):
    """app/web.py keeps each choice field's view per process: the same state gives the kept view,
    and anything that changes what the fieldset shows gives another."""
    from app.forms import ChoiceChips, ChoiceRadio, Form
    from app.web import choice_view

    class Pick(Form):
        answer = ChoiceRadio("Pick one", [("a", "A"), ("b", "B")], "Pick one, please.")
        tags = ChoiceChips("Tick any", [("x", "X"), ("y", "Y")])

    class PickOther(Form):
        answer = ChoiceRadio("Pick one", [("a", "A"), ("c", "C")], "Pick one, please.")

    def form(kind=Pick, **data):
        return kind(formdata=MultiDict(data) if data else None, meta={"csrf": False})

    with app.test_request_context("/"):
        blank = choice_view(form().answer)
        assert choice_view(form().answer) is blank
        picked = choice_view(form(answer="b").answer)
        assert picked is not blank and [o[3] for o in picked.options if " checked " in o[3]] == [picked.options[1][3]]
        assert [o[1] for o in choice_view(form(PickOther).answer).options] == ["a", "c"]
        refused = form(answer="z")
        refused.validate()
        view = choice_view(refused.answer)
        assert view.errors == ("Pick one, please.",) and view.described_by == "answer-error"
        ticked = choice_view(form(tags="y").tags)
        assert ticked is not choice_view(form().tags) and " checked " in ticked.options[1][3]
        styled = form().answer
        styled.render_kw = {"class": "big"}  # extra attributes: worked out afresh, never kept
        assert choice_view(styled) is not choice_view(styled)


def test_a_text_area_is_wtforms_text_area_with_the_text_never_kept(app):
    """The check-in's and the coach's note render as WTForms renders them, in every state (empty,
    written, hostile, refused, with the template's attributes or a render_kw); the person's text
    is escaped every time and is no part of what is kept."""
    from wtforms.validators import DataRequired, Length
    from wtforms.widgets import TextArea

    from app.forms import Form, RememberedTextArea, TextField, strip

    class Note(Form):
        note = TextField("Note", filters=[strip], description="A hint.",
                         validators=[DataRequired("Write it."), Length(max=20, message="Too long.")])

    widget, wtforms = RememberedTextArea(), TextArea()
    texts = ["", "Sore after hills", '<script>alert("x")</script> & "quotes"', "x" * 30, "second\r\nline"]
    attributes = [{}, {"aria-describedby": "note-hint", "required": True}, {"class_": "big", "rows": 3}]
    with app.test_request_context("/"):
        for text in texts:
            for extra in attributes:
                form = Note(formdata=MultiDict({"note": text}), meta={"csrf": False})
                form.validate()
                assert str(widget(form.note, **extra)) == str(wtforms(form.note, **extra)), (text, extra)
                assert str(form.note(**extra)) == str(wtforms(form.note, **extra))
                form.note.render_kw = {"placeholder": "Say more"}
                assert str(form.note(**extra)) == str(TextArea()(form.note, **extra, placeholder="Say more"))
        kept = " ".join(str(opening) for opening in widget.openings.values())
        assert widget.openings and "Sore" not in kept and "script" not in kept
