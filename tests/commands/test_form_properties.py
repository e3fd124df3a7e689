"""Property tests: every registered form, filled in with anything (missing fields, empty
values, choices that are not offered, 40,000 characters, odd dates, times and numbers, keys
the form does not have, a context that is not the one it was opened with).

`router.check_form` either names the fields that are wrong, in words, or lets it through;
`router.submit` then answers clearly: stored, or refused with a reason. Never a crash, never
a message outside Slack's limits, never user markup, and a filed report holds what was typed.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from commands import build_router
from commands.context import Actor, Context
from commands.messages import Form, FormField
from commands.report.catalogue import CATEGORIES, SEVERITIES
from commands.report.filing import MAX_PEOPLE
from commands.router import Router
from storage.people import department_names
from storage.reports import storable
from tests.support.reports import reference_in, report
from tests.support.slack_safety import (
    assert_form_safe,
    assert_outbox_safe,
    assert_result_safe,
    known_ids,
    last_outbox_id,
)
from tests.support.user_text import HUGE_TEXT, USER_TEXT

ON_DATABASE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ODD_DATES = ("2026-11-30", "2026-02-30", "0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01", "20261130", "2026-W48-1",
             " 2026-11-29 ", "٢٠٢٦-١١-٣٠", "30-11-2026", "2026-11-30T10:00", "morgen", "")
ODD_TIMES = ("14:30", "7.05", "24:00", "23:59", "00:00", "٠٧:٣٠", "99:99", "14:3", " 9:15 ", "14:30:00", "")
ODD_NUMBERS = ("40", "0", "-1", "²", "٣", "1e6", "4.5", "0x10", "1_000", " 12 ", "100000000", "100000001",
               "9" * 5000, "", "veel")
USERS = st.sampled_from(["U01CISO", "U01CISO", "U01DSPOB", "U01EMP", "U01EMP2", "U01FG", "U0STRANGER"])


@pytest.fixture
def router() -> Router:
    return build_router()


def _field_value(field: FormField) -> st.SearchStrategy[str]:
    """Mostly a value the form could send (so submissions get through to storing), often an odd one."""
    offered = [c.value for c in field.choices] or (["ja", "nee"] if field.kind == "yesno" else [])
    if "time" in field.name:
        plausible, odd = st.sampled_from(["14:30", "08:05", ""]), st.sampled_from(ODD_TIMES)
    elif field.kind == "date":
        plausible, odd = st.sampled_from(["2026-11-29", "2026-11-30", ""]), st.sampled_from(ODD_DATES)
    elif field.kind == "number":
        plausible, odd = st.sampled_from(["40", "1", ""]), st.sampled_from(ODD_NUMBERS)
    elif offered:
        plausible, odd = st.sampled_from(offered), USER_TEXT
    else:
        plausible, odd = USER_TEXT, HUGE_TEXT
    return st.sampled_from([plausible] * 9 + [odd, st.just(""), USER_TEXT]).flatmap(lambda chosen: chosen)


def values_for(form: Form) -> st.SearchStrategy[dict[str, str]]:
    """Every field of the form, some left out, plus keys the form does not have."""
    names = [field.name for field in form.fields]
    every = st.fixed_dictionaries({field.name: _field_value(field) for field in form.fields})
    left_out = st.sets(st.sampled_from(names), max_size=2)
    extra = st.dictionaries(st.text(max_size=20), USER_TEXT, max_size=2)
    return st.tuples(every, left_out, extra).map(
        lambda drawn: {**drawn[2], **{k: v for k, v in drawn[0].items() if k not in drawn[1]}}
    )


def _opened(router: Router, ctx: Context, form_id: str) -> Form:
    """The form as a user gets it: /meld for a new report, a handler's button on a fresh possible data breach for the rest."""
    if form_id == "report.new":
        form = router.run_command(ctx, Actor("U01EMP"), "meld", "").form
    else:
        receipt = router.run_command(ctx, Actor("U01EMP"), "meld", "lijst met BSN's naar de verkeerde ontvanger gemaild")
        form = router.press(ctx, Actor("U01CISO"), form_id, reference_in(receipt)).form
    assert form is not None and form.form_id == form_id
    assert_form_safe(form)
    return form


def _check_and_submit(router: Router, ctx: Context, form: Form, user: str, values: dict[str, str], context: str) -> Any:
    problems = router.check_form(form.form_id, values)
    assert isinstance(problems, dict)
    assert all(isinstance(name, str) and isinstance(problem, str) and problem.strip() for name, problem in problems.items())
    if currently_in_test_context():
        event("field errors" if problems else "submitted")
    if problems:
        return None
    known = known_ids(ctx) | {user}
    before = last_outbox_id(ctx)
    result = router.submit(ctx, Actor(user), form.form_id, values, context)
    assert_result_safe(result, known)
    assert_outbox_safe(ctx, before, known)
    return result


FORM_IDS = ("report.new", "report.assign", "report.close", "report.recategorise", "report.amend", "report.ap")


def test_every_registered_form_is_covered(router: Router) -> None:
    assert set(router.forms) == set(FORM_IDS)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_any_submission_gets_field_errors_or_a_clean_answer(roster: Context, router: Router, form_id: str) -> None:
    form = _opened(router, roster, form_id)

    @settings(ON_DATABASE, max_examples=20)
    @given(user=USERS, values=values_for(form), context=st.one_of(st.just(form.context), st.just(form.context), USER_TEXT))
    def submit_anything(user: str, values: dict[str, str], context: str) -> None:
        _check_and_submit(router, roster, form, user, values, context)

    submit_anything()


@ON_DATABASE
@given(data=st.data())
def test_a_filed_form_stores_what_was_typed(roster: Context, router: Router, data: st.DataObject) -> None:
    form = _opened(router, roster, "report.new")
    values = data.draw(values_for(form))
    values["what"] = data.draw(st.one_of(USER_TEXT, HUGE_TEXT))
    values.setdefault("category", "phishing")
    result = _check_and_submit(router, roster, form, "U01EMP", values, form.context)
    if result is None:
        return
    filed = report(roster, reference_in(result))
    assert filed.text == storable(values["what"])
    assert filed.category in CATEGORIES and filed.severity in SEVERITIES
    assert filed.people_affected is None or 0 <= filed.people_affected <= MAX_PEOPLE
    assert filed.discovered_at <= filed.created_at
    with roster.db.session() as session:
        assert filed.department is None or filed.department in department_names(session)


@pytest.mark.parametrize("values,field", [
    ({"category": "phishing", "people_affected": "²"}, "people_affected"),
    ({"category": "phishing", "people_affected": "9" * 5000}, "people_affected"),
    ({"category": "phishing", "people_affected": "٣"}, "people_affected"),
    ({"category": "phishing", "discovered_date": "0001-01-01"}, "discovered_date"),
    ({"category": "phishing", "discovered_date": "9999-12-31", "discovered_time": "23:59"}, "discovered_date"),
    ({"category": "tja"}, "category"),
    ({"category": "phishing", "severity": "erg"}, "severity"),
    ({"category": "phishing", "discovered_time": "25:00"}, "discovered_time"),
])
def test_odd_report_form_values_are_field_errors(router: Router, values: dict[str, str], field: str) -> None:
    assert field in router.check_form("report.new", values)


@pytest.mark.parametrize("values,field", [
    ({"ap_decision": "gemeld", "ap_date": "0001-01-01", "ap_time": "10:00"}, "ap_date"),
    ({"ap_decision": "gemeld", "ap_date": "gisteren", "ap_time": "10:00"}, "ap_date"),
    ({"ap_decision": "gemeld", "ap_date": "2026-11-30", "ap_time": "10"}, "ap_time"),
    ({"ap_decision": "misschien"}, "ap_decision"),
    ({"ap_decision": "niet-melden", "ap_reference": "x" * 101}, "ap_reference"),
])
def test_odd_ap_values_are_field_errors(router: Router, values: dict[str, str], field: str) -> None:
    assert field in router.check_form("report.ap", values)


def test_a_department_that_is_not_in_the_roster_is_not_stored(roster: Context, router: Router) -> None:
    form = _opened(router, roster, "report.new")
    values = {"category": "phishing", "what": "nepmail", "department": "<!channel> " + "Afdeling X" * 100}
    filed = report(roster, reference_in(_check_and_submit(router, roster, form, "U01EMP2", values, form.context)))
    assert filed.department == "Sociaal Domein"  # the reporter's own


def test_a_form_context_that_is_not_a_filing_id_gets_a_new_one(roster: Context, router: Router) -> None:
    form = _opened(router, roster, "report.new")
    result = _check_and_submit(router, roster, form, "U01EMP", {"category": "phishing", "what": "nepmail"}, "<!channel>" * 400)
    filed = report(roster, reference_in(result))
    assert len(filed.filing_id) == 32 and filed.filing_id != form.context


def test_nul_becomes_the_replacement_character_everywhere_it_enters(roster: Context, router: Router) -> None:
    form = _opened(router, roster, "report.new")
    values = {"category": "phishing", "what": "a\x00b", "department": "Burger\x00zaken"}
    filed = report(roster, reference_in(_check_and_submit(router, roster, form, "U01EMP", values, form.context + "\x00")))
    assert filed.text == "a\ufffdb" and filed.department == "Burgerzaken"  # the reporter's own: no such department
