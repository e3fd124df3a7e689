"""Filing reports: the quick path, the form, the shortcut; verbatim storage, escaping, references."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from commands.context import Actor
from commands.report.catalogue import guess
from commands.router import SharedMessage
from tests.support.reports import (
    all_reports,
    audit,
    direct_messages,
    events,
    meld,
    reference_in,
    report,
    text_of,
)

NASTY = {
    "broadcast": "<!channel> <!here> <!everyone> kijk hier",
    "mention": "stuur naar <@U01CISO> en <#C123|algemeen>",
    "link": "<https://evil.example/login|Inloggen bij de gemeente>",
    "ampersand": "Tom & Jerry &amp; &lt;b&gt;",
    "markup": "*vet* _schuin_ `code` ~weg~ > citaat\n```blok```",
    "sql": "'; DROP TABLE report; -- \" OR 1=1",
    "emoji": "🔥💻 laptop kwijt 🙈 ‍👩‍💻",
    "html": "<script>alert('x')</script>",
}


def test_quick_report_is_stored_numbered_and_confirmed_to_the_reporter(roster, router) -> None:  # noqa: ANN001
    result = meld(router, roster, "U01EMP", "Ik kreeg een phishingmail over een pakketje")

    reference = reference_in(result)
    assert reference == "MELD-2026-0001"
    stored = report(roster, reference)
    assert (stored.category, stored.status, stored.department, stored.reporter_id) == ("phishing", "nieuw", "Burgerzaken", "U01EMP")
    said = text_of(result.messages[0])
    assert "Phishing (geschat uit je tekst)" in said
    assert "<@U01DSPOB> (DSPO van Burgerzaken)" in said and "<@U01CISO> (CISO)" in said
    assert [b.label for b in result.messages[0].buttons] == ["Aanvullen", "Categorie wijzigen"]
    assert [e.action for e in events(roster, reference)] == ["gemeld"]
    assert [(a.actor, a.subject) for a in audit(roster, "report.file")] == [("U01EMP", reference)]


def test_references_count_per_year(roster, router, clock) -> None:  # noqa: ANN001
    clock.set(datetime(2026, 12, 31, 22, 59, tzinfo=UTC))  # 23:59 in Amsterdam
    assert reference_in(meld(router, roster, "U01EMP", "een")) == "MELD-2026-0001"
    assert reference_in(meld(router, roster, "U01EMP", "twee")) == "MELD-2026-0002"
    clock.advance(minutes=2)  # 00:01 on New Year's Day in Amsterdam, still 2026 in UTC
    assert reference_in(meld(router, roster, "U01EMP", "drie")) == "MELD-2027-0001"


def test_concurrent_reports_get_distinct_consecutive_numbers(roster, router) -> None:  # noqa: ANN001
    references: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(12)

    def file(n: int) -> None:
        try:
            start.wait()
            references.append(reference_in(meld(router, roster, "U01EMP", f"melding {n}")))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=file, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert sorted(references) == [f"MELD-2026-{n:04d}" for n in range(1, 13)]
    assert len(all_reports(roster)) == 12


@pytest.mark.parametrize("name", sorted(NASTY))
def test_text_is_stored_verbatim_and_shown_escaped(roster, router, name) -> None:  # noqa: ANN001
    text = NASTY[name]
    result = meld(router, roster, "U01EMP", text)
    reference = reference_in(result)

    assert report(roster, reference).text == text
    for message in [*direct_messages(roster)["U01CISO"], *meld(router, roster, "U01CISO", reference).messages]:
        shown = text_of(message)
        assert "&lt;" in shown or "<" not in text
        for raw in ("<!channel>", "<!here>", "<@U01CISO> en", "<https://evil", "<script>"):
            assert raw not in shown


def test_over_long_text_is_stored_whole_and_cut_where_shown(roster, router) -> None:  # noqa: ANN001
    text = ("Lange melding & <b>details</b> " * 200)[:4500] + "EINDE"
    reference = reference_in(meld(router, roster, "U01EMP", text))

    assert report(roster, reference).text == text
    card = text_of(direct_messages(roster)["U01DSPOB"][0])
    assert "EINDE" not in card and "…" in card
    assert "&amp;" in card and "<b>" not in card
    assert "EINDE" in text_of(meld(router, roster, "U01DSPOB", reference).messages[0])


def test_text_with_a_nul_character_is_kept_readable(roster, router) -> None:  # noqa: ANN001
    reference = reference_in(meld(router, roster, "U01EMP", "vreemd\x00teken"))
    assert report(roster, reference).text == "vreemd\ufffdteken"  # PostgreSQL cannot store NUL


@pytest.mark.parametrize("text,category,personal_data,severity", [
    ("phishingmail ontvangen over een pakketje", "phishing", False, "middel"),
    ("Ik heb op de link geklikt in een verdachte mail", "phishing", False, "middel"),
    ("Mijn laptop is gestolen uit de auto", "verlies-diefstal", False, "middel"),
    ("telefoon kwijt met cliëntgegevens erop", "verlies-diefstal", True, "middel"),
    ("Collega heeft zijn wachtwoord gedeeld in de chat", "onveilig-gedrag", False, "middel"),
    ("collega deelt wachtwoord met de stagiair", "onveilig-gedrag", False, "middel"),
    ("zij delen hun inlogcodes", "onveilig-gedrag", False, "middel"),
    ("brief met BSN naar het verkeerde adres gestuurd", "datalek", True, "middel"),
    ("lijst met persoonsgegevens op een openbare share", "datalek", True, "middel"),
    ("De server is niet goed beveiligd, iedereen kan erbij", "kwetsbaarheid", False, "middel"),
    ("Alle bestanden zijn versleuteld, ransomware!", "beveiligingsincident", False, "kritiek"),
    ("Mijn account is gehackt", "beveiligingsincident", False, "hoog"),
    ("iets raars gezien", "beveiligingsincident", False, "middel"),
])
def test_category_and_severity_are_guessed_from_the_text(text, category, personal_data, severity) -> None:  # noqa: ANN001
    guessed = guess(text)
    assert (guessed.category, guessed.personal_data, guessed.severity) == (category, personal_data, severity)


def test_meld_without_text_opens_the_form_with_the_reporters_department(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP2", "  ").form

    assert form is not None and form.form_id == "report.new" and form.context
    fields = {f.name: f for f in form.fields}
    assert fields["department"].default == "Sociaal Domein"
    assert {c.value for c in fields["category"].choices} == {
        "beveiligingsincident", "datalek", "kwetsbaarheid", "phishing", "verlies-diefstal", "onveilig-gedrag"}
    assert all_reports(roster) == []


def _form_values(**overrides: str) -> dict[str, str]:
    values = {"category": "datalek", "what": "Excel met 40 dossiers naar verkeerde ontvanger", "discovered_date": "",
              "discovered_time": "", "department": "Sociaal Domein", "personal_data": "ja", "people_affected": "40",
              "severity": "hoog", "anonymous": "nee"}
    return values | overrides


def test_form_report_keeps_every_answer(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP2", "").form
    assert form is not None
    values = _form_values(discovered_date="2026-11-29", discovered_time="16:45")
    assert router.check_form(form.form_id, values) == {}
    result = router.submit(roster, Actor("U01EMP2"), form.form_id, values, form.context)

    stored = report(roster, reference_in(result))
    assert (stored.category, stored.severity, stored.department, stored.people_affected) == ("datalek", "hoog", "Sociaal Domein", 40)
    assert stored.personal_data and not stored.anonymous
    assert stored.discovered_at == datetime(2026, 11, 29, 15, 45, tzinfo=UTC)
    assert stored.ap_deadline == datetime(2026, 12, 2, 15, 45, tzinfo=UTC)
    assert "uiterlijk wo 2 december 16:45" in text_of(result.messages[0])


def test_a_form_submitted_twice_files_once(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP2", "").form
    assert form is not None
    first = router.submit(roster, Actor("U01EMP2"), form.form_id, _form_values(), form.context)
    second = router.submit(roster, Actor("U01EMP2"), form.form_id, _form_values(), form.context)

    assert reference_in(first) == reference_in(second)
    assert "niets dubbel opgeslagen" in text_of(second.messages[0])
    assert len(all_reports(roster)) == 1
    assert len(direct_messages(roster)["U01DSPOS"]) == 1


def test_someone_elses_form_id_files_a_report_of_their_own(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP2", "").form
    assert form is not None
    first = router.submit(roster, Actor("U01EMP2"), form.form_id, _form_values(), form.context)
    other = router.submit(roster, Actor("U01EMP"), form.form_id, _form_values(what="iets anders"), form.context)

    assert reference_in(first) != reference_in(other)
    assert report(roster, reference_in(other)).reporter_id == "U01EMP"


@pytest.mark.parametrize("values,field", [
    ({"discovered_time": "25:00"}, "discovered_time"),
    ({"discovered_date": "30-11-2026"}, "discovered_date"),
    ({"people_affected": "veel"}, "people_affected"),
    ({"people_affected": "99999999999"}, "people_affected"),
    ({"category": "iets"}, "category"),
])
def test_form_check_names_the_field_that_is_wrong(router, values, field) -> None:  # noqa: ANN001
    assert set(router.check_form("report.new", _form_values(**values))) == {field}


def test_a_date_without_a_time_counts_from_the_start_of_that_day(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP", "").form
    assert form is not None
    result = router.submit(roster, Actor("U01EMP"), form.form_id, _form_values(discovered_date="2026-11-28"), form.context)

    stored = report(roster, reference_in(result))
    assert stored.discovered_at == datetime(2026, 11, 27, 23, 0, tzinfo=UTC) and not stored.discovered_time_known
    assert "tijdstip onbekend" in text_of(direct_messages(roster)["U01FG"][0])


def test_message_shortcut_reports_the_message_with_its_link(roster, router) -> None:  # noqa: ANN001
    shared = SharedMessage(text="Het wachtwoord van de gedeelde mailbox is Welkom123!", author="U01EMP2",
                           link="https://gemeente.slack.com/archives/C1/p1700000000000100", channel="C1")
    result = router.run_shortcut(roster, Actor("U01EMP"), "report_message", shared)

    stored = report(roster, reference_in(result))
    assert (stored.text, stored.source_link, stored.source_author) == (shared.text, shared.link, "U01EMP2")
    assert stored.category == "onveilig-gedrag"
    card = text_of(direct_messages(roster)["U01MGRB"][0])
    assert f"<{shared.link}|het gemelde bericht>" in card and "<@U01EMP2>" in card


def test_an_empty_message_is_reported_too(roster, router) -> None:  # noqa: ANN001
    shared = SharedMessage(text="", author="U01EMP2", link="https://gemeente.slack.com/archives/C1/p1", channel="C1")
    reference = reference_in(router.run_shortcut(roster, Actor("U01EMP"), "report_message", shared))

    assert report(roster, reference).text == ""
    assert "(geen omschrijving)" in text_of(direct_messages(roster)["U01CISO"][0])


def test_meld_help_explains_and_files_nothing(roster, router) -> None:  # noqa: ANN001
    assert "/meld status" in text_of(meld(router, roster, "U01EMP", "help").messages[0])
    assert all_reports(roster) == []
