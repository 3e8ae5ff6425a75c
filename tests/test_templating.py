"""app/templating.py: templates' globals are Jinja's ChainMap with a faster keys(), and imports
keep Jinja's rules for which globals an imported template sees."""
from __future__ import annotations

from collections import ChainMap

from jinja2 import DictLoader

from app.templating import Environment, Globals


def test_a_templates_globals_are_its_own_over_the_environments(app):
    template = app.jinja_env.from_string("{{ own }} {{ url_for('main.today') }}", globals={"own": "mine"})
    assert isinstance(template.globals, Globals)
    assert set(template.globals.keys()) == set(ChainMap({"own": "mine"}, app.jinja_env.globals).keys())
    assert template.globals["own"] == "mine" and template.globals["url_for"] is app.jinja_env.globals["url_for"]
    with app.test_request_context("/"):
        assert template.render() == "mine /today"


def test_an_imported_template_sees_the_globals_its_importer_adds(app):
    """Jinja renders an imported template afresh with the importer's globals it lacks (and uses
    its cached module otherwise): the comparison the faster keys() serves."""
    page = "{% from 'macros.html' import show %}{{ show() }}"
    environment = Environment(app, loader=DictLoader({
        "macros.html": "{% macro show() %}{{ extra | default('none') }}{% endmacro %}",
        "with.html": page, "without.html": page, "other.html": page,
    }))
    assert environment.get_template("without.html").render() == "none"
    assert environment.get_template("with.html", globals={"extra": "mine"}).render() == "mine"
    assert environment.get_template("other.html", globals={"extra": "theirs"}).render() == "theirs"
    assert environment.get_template("without.html").render() == "none"
