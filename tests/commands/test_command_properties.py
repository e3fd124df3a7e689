"""Property tests: every command text, driven through the router on a real database.

Whatever anyone types after `/wie`, `/meld`, `/crisis` or `/agenda`, or as a plain question:
- the bot answers; an unhandled exception (the router's "Er ging iets mis … foutcode") fails the test;
- every message, to the typist and in the outbox for others, fits Slack's limits once rendered;
- nothing typed becomes markup: no `<…>` except mentions of people in the roster;
- what is stored is what was typed. "Verbatim" means, per text:
  * NUL is no character anyone types and PostgreSQL cannot hold it: it becomes U+FFFD
    where text enters the bot (`commands.text.without_nul`, in the router), for every text;
  * a report's text: exactly as typed (but for NUL);
  * a crisis description, log line or action: `clean(without_nul(typed))`, i.e. as typed
    without C0 control characters other than tab, newline and carriage return, and without
    surrounding whitespace (a crisis text is posted to a room and pages people; a bell or
    escape sequence there is never meant). A log line or action is kept up to 3000
    characters (`LOG_LIMIT`), longer ones are cut on a word boundary with "…".
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from commands import build_router
from commands.ask import MAX_QUESTION, answerer
from commands.context import Actor, Context
from commands.escalate.command import LOG_LIMIT
from commands.escalate.team import UnknownDepartment, split_department
from commands.report.workflow import canonical
from commands.router import Router, SharedMessage
from commands.text import clean, shorten, without_nul
from storage import crises
from storage.people import get_member
from storage.reports import Report, reference_for, storable
from tests.support.reports import reference_in, report
from tests.support.slack_safety import (
    assert_outbox_safe,
    assert_result_safe,
    known_ids,
    last_outbox_id,
)
from tests.support.user_text import HUGE_TEXT, USER_TEXT

ON_DATABASE = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings(ON_DATABASE, max_examples=12)
ROSTER_USERS = ("U01EMP", "U01EMP2", "U01CISO", "U01DSPOB", "U01MGRS", "U01FG", "U01AUDIT", "U01GSEC", "U01COMM")
USERS = st.sampled_from((*ROSTER_USERS, "U0STRANGER"))
DEPARTMENTS = ("Burgerzaken", "Sociaal Domein", "Informatievoorziening en Automatisering", "Communicatie")
_unique = itertools.count(1)


@pytest.fixture
def router() -> Router:
    return build_router()


def _run(router: Router, ctx: Context, user: str, command: str, text: str):  # noqa: ANN202
    """Run a command and check everything the bot said and queued for others."""
    known = known_ids(ctx) | {user}
    before = last_outbox_id(ctx)
    result = router.run_command(ctx, Actor(user), command, text)
    assert_result_safe(result, known)
    assert_outbox_safe(ctx, before, known)
    return result


def _count(ctx: Context, model: type) -> int:
    with ctx.db.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


# --- /meld ------------------------------------------------------------------------------------


@ON_DATABASE
@given(user=USERS, text=USER_TEXT)
def test_meld_answers_anything_and_a_receipt_means_the_text_is_stored_verbatim(roster: Context, router: Router, user: str, text: str) -> None:
    result = _run(router, roster, user, "meld", text)
    title = result.messages[0].title or "" if result.messages else ""
    if "Melding ontvangen" in title:
        assert report(roster, reference_in(result)).text == storable(text)


@FEW
@given(text=st.one_of(USER_TEXT, HUGE_TEXT))
def test_meld_with_a_description_always_files_it_verbatim(roster: Context, router: Router, text: str) -> None:
    typed = f"gezien: {text}"
    result = _run(router, roster, "U01EMP", "meld", typed)
    stored = report(roster, reference_in(result))
    assert stored.text == storable(typed)
    assert "\x00" not in stored.text


@ON_DATABASE
@given(user=USERS, year=st.integers(0, 99_999), number=st.integers(0, 10**12), case=st.sampled_from([str.upper, str.lower, str.title]),
       before=st.sampled_from(["", " ", "\t", "\n "]), after=st.sampled_from(["", " ", "\n"]))
def test_meld_with_a_reference_looks_it_up_and_never_files_a_report(
    roster: Context, router: Router, user: str, year: int, number: int, case, before: str, after: str,  # noqa: ANN001
) -> None:
    typed = before + case(f"meld-{year}-{number}") + after
    reports = _count(roster, Report)
    result = _run(router, roster, user, "meld", typed)
    assert _count(roster, Report) == reports, f"{typed!r} was filed as a report"
    assert "niet gevonden" in result.messages[0].text or result.messages[0].title


@ON_DATABASE
@given(year=st.integers(1000, 9999), number=st.integers(1, 999_999), case=st.sampled_from([str.upper, str.lower]),
       space=st.sampled_from(["", " ", "  \t"]))
def test_reference_parsing_round_trips(year: int, number: int, case, space: str) -> None:  # noqa: ANN001
    reference = reference_for(year, number)
    assert canonical(space + case(reference) + space) == reference
    assert canonical(space + case(f"MELD-{year}-{number}") + space) == reference


@ON_DATABASE
@given(user=USERS, text=USER_TEXT, sub=st.sampled_from(["status", "STATUS ", "help", "?", "onthul ", "onthul MELD-2026-1 ", ""]))
def test_meld_subcommands_with_odd_text_answer_clearly(roster: Context, router: Router, user: str, text: str, sub: str) -> None:
    _run(router, roster, "U01EMP", "meld", "phishingmail met een link")  # something to list and look up
    _run(router, roster, user, "meld", sub + text[:200])
    _run(router, roster, user, "meld", sub)


# --- /crisis ----------------------------------------------------------------------------------


def _crisis_text(prefix: str, text: str) -> str:
    return f"{prefix}{next(_unique)} {text}"


@ON_DATABASE
@given(text=USER_TEXT)
def test_crisis_description_is_stored_as_typed(roster: Context, router: Router, text: str) -> None:
    assume("afdeling" not in text.lower())  # the option is taken out of the description (tested below)
    typed = _crisis_text("storing", text)
    result = _run(router, roster, "U01CISO", "crisis", typed)
    reference = re.search(r"CRISIS-\d{4}-\d{4}", result.messages[0].text)
    assert reference, result.messages[0].text
    with roster.db.session() as session:
        crisis = crises.by_reference(session, reference.group(0))
        assert crisis is not None
        assert crisis.description == clean(without_nul(typed))


@ON_DATABASE
@given(user=USERS, text=USER_TEXT)
def test_crisis_request_from_anyone_is_stored_as_typed(roster: Context, router: Router, user: str, text: str) -> None:
    assume("afdeling" not in text.lower())
    typed = _crisis_text("probleem", text)
    result = _run(router, roster, user, "crisis", typed)
    reference = re.search(r"CRISIS-\d{4}-\d{4}", result.messages[0].text)
    assert reference, result.messages[0].text
    with roster.db.session() as session:
        crisis = crises.by_reference(session, reference.group(0))
        assert crisis is not None and crisis.description == clean(without_nul(typed))


def _open_crisis(router: Router, ctx: Context) -> str:
    """The reference of an open crisis the CISO is in (declared once per test database)."""
    with ctx.db.session() as session:
        found = [c.reference for c in crises.active(session) if c.status == crises.OPEN and c.description == "testcrisis"]
    if found:
        return found[0]
    result = router.run_command(ctx, Actor("U01CISO"), "crisis", "testcrisis")
    return re.search(r"CRISIS-\d{4}-\d{4}", result.messages[0].text).group(0)


@ON_DATABASE
@given(text=USER_TEXT, kind=st.sampled_from(["log", "actie", "LOG"]))
def test_crisis_log_and_action_keep_the_text(roster: Context, router: Router, text: str, kind: str) -> None:
    reference = _open_crisis(router, roster)
    result = _run(router, roster, "U01CISO", "crisis", f"{kind} {reference} {text}")
    expected = shorten(clean(without_nul(text)), LOG_LIMIT)
    with roster.db.session() as session:
        crisis = crises.by_reference(session, reference)
        events = crises.events(session, crisis.id)
        actions = crises.actions(session, crisis.id)
    if not expected:
        assert "Wat wil je" in result.messages[0].text or "Welke actie" in result.messages[0].text
    elif kind.lower() == "log":
        assert events[-1].kind == "log" and events[-1].text == f"Sanne de Vries: {expected}"
    else:
        assert actions[-1].text == expected


@ON_DATABASE
@given(user=USERS, sub=st.sampled_from(["status", "log", "actie", "klaar", "erbij", "sluit", "ik kom", "help", "STATUS", ""]),
       text=USER_TEXT, separator=st.sampled_from([" ", "\n", "\t", "  "]))
def test_crisis_subcommands_with_odd_text_answer_clearly(
    roster: Context, router: Router, user: str, sub: str, text: str, separator: str,
) -> None:
    _open_crisis(router, roster)
    _run(router, roster, user, "crisis", f"{sub}{separator}{text}")


@ON_DATABASE
@given(separator=st.sampled_from(["\n", "\t", "  ", "\n\n"]), sub=st.sampled_from(["log", "actie", "status"]))
def test_a_subcommand_on_its_own_line_is_never_a_new_crisis(roster: Context, router: Router, separator: str, sub: str) -> None:
    """A phone puts a newline after `/crisis log`: that is a log line, not a declaration that pages everyone."""
    reference = _open_crisis(router, roster)
    with roster.db.session() as session:
        before = len(crises.active(session))
    result = _run(router, roster, "U01CISO", "crisis", f"{sub}{separator}{reference}{separator}de firewall is herstart")
    with roster.db.session() as session:
        assert len(crises.active(session)) == before, result.messages[0].text


@ON_DATABASE
@given(department=st.sampled_from(DEPARTMENTS), quoted=st.booleans(), joiner=st.sampled_from([" ", "-", "_", "  "]),
       case=st.sampled_from([str.lower, str.upper, str.title, lambda s: s]), before=USER_TEXT, after=USER_TEXT,
       equals=st.sampled_from(["=", "= ", " = ", ":", "=\t"]))
def test_the_department_option_names_a_roster_department(
    roster: Context, department: str, quoted: bool, joiner: str, case, before: str, after: str, equals: str,  # noqa: ANN001
) -> None:
    assume("afdeling" not in (before + after).lower() and '"' not in after[:1])
    name = f'"{case(department)}"' if quoted else case(joiner.join(department.split()))
    before, after = clean(before[:100]), clean(after[:100])
    typed = f"{before} afdeling{equals}{name} {after}".strip()
    with roster.db.session() as session:
        found, description = split_department(session, typed, get_member(session, "U01CISO"))
    assert found == department
    assert "afdeling" not in description.lower()
    assert description == f"{before} {after}".strip() or description.split() == f"{before} {after}".split()


@ON_DATABASE
@given(name=USER_TEXT.filter(lambda t: t.strip() and '"' not in t), text=USER_TEXT)
def test_an_unknown_department_is_named_in_the_answer(roster: Context, router: Router, name: str, text: str) -> None:
    assume(not any(name.lower().startswith(d.lower().split()[0]) for d in DEPARTMENTS))
    typed = clean(f"afdeling={name} {text}")
    with roster.db.session() as session:
        try:
            split_department(session, typed, None)
        except UnknownDepartment as unknown:
            assert unknown.known == sorted(DEPARTMENTS)
    _run(router, roster, "U01CISO", "crisis", f"afdeling={name} {text}")


# --- /agenda, /wie, questions, unknown commands ---------------------------------------------------


@ON_DATABASE
@given(user=USERS, text=st.one_of(USER_TEXT, st.sampled_from(["alles", " ALLES ", "mij", "iedereen\n", "all"])))
def test_agenda_answers_anything(roster: Context, router: Router, user: str, text: str) -> None:
    _run(router, roster, user, "agenda", text)


@FEW
@given(user=USERS, text=USER_TEXT)
def test_questions_are_answered_without_echoing_markup(roster: Context, router: Router, user: str, text: str) -> None:
    _run(router, roster, user, "wie", text)
    known = known_ids(roster)
    result = router.ask(roster, Actor(user), text)
    assert_result_safe(result, known)


@ON_DATABASE
@given(name=st.text(max_size=30), text=USER_TEXT)
def test_an_unknown_command_is_named_safely(roster: Context, router: Router, name: str, text: str) -> None:
    assume(name not in router.commands)
    result = _run(router, roster, "U01EMP", name, text)
    assert "ken ik niet" in result.messages[0].text


@FEW
@given(text=HUGE_TEXT)
def test_a_long_question_is_read_up_to_the_limit_and_says_so(roster: Context, router: Router, text: str, monkeypatch) -> None:  # noqa: ANN001
    """The engine's time grows with the square of the unknown words: a 40,000-character paste
    must not hold a worker for seconds."""
    engine = answerer(roster.options.policy_dir)
    read: list[str] = []
    with monkeypatch.context() as patched:
        patched.setattr(engine, "answer", lambda question, original=engine.answer: read.append(question) or original(question))
        result = router.ask(roster, Actor("U01EMP"), text)
    assert_result_safe(result, known_ids(roster))
    if text.strip():
        assert len(read) == 1 and len(read[0]) <= MAX_QUESTION
        assert "eerste 1000 tekens" in (result.messages[0].footnote or "") or "first 1000" in (result.messages[0].footnote or "")


# --- buttons: a button carries only a value; a forged or stale one gets a clear answer -----------------

USERS_AND_ITEMS = ("U01EMP", "U01CISO", "ensia-deelrapportage", "bestuurlijke-rapportage", "2027-04-01", "2027-05-01", "<!channel>")


BUTTON_VALUES = st.one_of(
    USER_TEXT,
    st.builds("|".join, st.lists(st.one_of(USER_TEXT, st.sampled_from(USERS_AND_ITEMS)), min_size=2, max_size=4)),
    st.sampled_from(["MELD-2026-0001", "meld-2026-1", "CRISIS-2026-0001", "iv-privacy-overleg|2027-02-09|U01EMP",
                     "x|2026-13-01|U01EMP", "ensia-deelrapportage|2027-04-01|<!channel>", "||", ""]),
)


@pytest.mark.parametrize("action", sorted(build_router().actions) + ["zzz"])
def test_any_button_value_gets_a_clear_answer(roster: Context, router: Router, action: str) -> None:
    _run(router, roster, "U01EMP", "meld", "datalek: BSN-lijst naar de verkeerde ontvanger")  # MELD-2026-0001

    @settings(ON_DATABASE, max_examples=10)
    @given(user=USERS, value=BUTTON_VALUES)
    def press(user: str, value: str) -> None:
        known = known_ids(roster) | {user}
        before = last_outbox_id(roster)
        result = router.press(roster, Actor(user), action, value)
        assert_result_safe(result, known)
        assert_outbox_safe(roster, before, known)

    press()


@pytest.mark.parametrize("action,value", [
    ("remind.done", "ensia-deelrapportage|2027-04-01|<!channel>"),
    ("remind.done", "ensia-deelrapportage|2027-04-01|U01CISO> <!here"),
    ("remind.done", "x|y|" + "U" * 5000),
    ("report.view", "<!channel> MELD-2026-0001"),
    ("crisis.ack", "CRISIS-2026-0001<!channel>"),
    ("crisis.from_report", "<@U01CISO>"),
])
def test_forged_button_values_are_never_echoed_as_markup(roster: Context, router: Router, action: str, value: str) -> None:
    result = router.press(roster, Actor("U01EMP"), action, value)
    assert_result_safe(result, known_ids(roster))


# --- "Meld als onveilig": the reported message is stored as it was written --------------------------


@ON_DATABASE
@given(text=USER_TEXT, author=st.sampled_from(["U01EMP2", "U01CISO", ""]),
       link=st.sampled_from(["https://gemeente.slack.com/archives/C0GENERAL/p1700000000000100", ""]))
def test_a_reported_message_is_stored_verbatim(roster: Context, router: Router, text: str, author: str, link: str) -> None:
    known = known_ids(roster)
    before = last_outbox_id(roster)
    result = router.run_shortcut(roster, Actor("U01EMP"), "report_message", SharedMessage(text, author, link, "C0GENERAL"))
    assert_result_safe(result, known)
    assert_outbox_safe(roster, before, known)
    stored = report(roster, reference_in(result))
    assert (stored.text, stored.source_author, stored.source_link) == (storable(text), author or None, link or None)
