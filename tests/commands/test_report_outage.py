"""When the database is down: the reporter is told, nothing is dropped, and nothing is filed twice."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from dataclasses import replace
from pathlib import Path

from sqlmodel import func, select

from commands.context import Actor
from commands.report.filing import Filing, accepted_journal, file_in, replay_spool, settle_accepted
from storage import report_spool
from storage.reports import Report
from tests.support.reports import (
    all_reports,
    direct_messages,
    events,
    meld,
    reference_in,
    report,
    text_of,
    unreachable,
)


def test_reporter_is_told_and_the_text_is_kept_when_the_database_is_down(roster, router) -> None:  # noqa: ANN001
    text = "Phishing <!channel> met link & bijlage 🎣"
    result = meld(router, unreachable(roster), "U01EMP", text)

    said = text_of(result.messages[0])
    assert "niet bereikbaar" in said and "*niet* verloren" in said and "privébericht" not in said
    assert "Phishing &lt;!channel&gt; met link &amp; bijlage 🎣" in said  # echoed, escaped
    spooled = report_spool.waiting(roster.options.spool_dir)
    assert len(spooled) == 1 and spooled[0].stat().st_mode & 0o077 == 0  # readable by the bot only
    assert report_spool.read(spooled[0])["draft"]["text"] == text


def test_spooled_reports_are_filed_when_the_database_is_back(roster, router, clock) -> None:  # noqa: ANN001
    submitted = clock()
    meld(router, unreachable(roster), "U01EMP", "laptop gestolen uit de trein")
    clock.advance(minutes=20)

    later = reference_in(meld(router, roster, "U01EMP2", "phishingmail"))

    assert later == "MELD-2026-0002"  # the spooled one went in first
    first = report(roster, "MELD-2026-0001")
    assert (first.text, first.department, first.created_at) == ("laptop gestolen uit de trein", "Burgerzaken", submitted)
    assert [e.action for e in events(roster, "MELD-2026-0001")] == ["gemeld", "later ingeschreven"]
    receipt = direct_messages(roster, "report:MELD-2026-0001:receipt:")["U01EMP"][0]
    assert "staat nu in het register" in text_of(receipt)
    assert report_spool.waiting(roster.options.spool_dir) == []


def test_a_spooled_report_that_did_reach_the_database_is_not_filed_again(roster, router) -> None:  # noqa: ANN001
    meld(router, unreachable(roster), "U01EMP", "wachtwoord gedeeld op een post-it")
    [path] = report_spool.waiting(roster.options.spool_dir)
    copy = path.read_text(encoding="utf-8")
    assert replay_spool(roster) == 1
    path.write_text(copy, encoding="utf-8")  # as if the process died after filing, before removing the file

    assert replay_spool(roster) == 1
    assert len(all_reports(roster)) == 1
    assert report_spool.waiting(roster.options.spool_dir) == []


def test_a_form_submitted_during_the_outage_and_again_after_it_files_once(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP", "").form
    assert form is not None
    values = {"category": "phishing", "what": "mail van de 'directeur'", "personal_data": "nee", "severity": "middel",
              "anonymous": "nee", "department": "Burgerzaken"}
    router.submit(unreachable(roster), Actor("U01EMP"), form.form_id, values, form.context)
    again = router.submit(roster, Actor("U01EMP"), form.form_id, values, form.context)

    assert reference_in(again) == "MELD-2026-0001"
    assert len(all_reports(roster)) == 1


def test_anonymous_report_waits_sealed_and_stays_findable_for_the_reporter(roster, router) -> None:  # noqa: ANN001
    form = meld(router, roster, "U01EMP", "").form
    assert form is not None
    values = {"category": "onveilig-gedrag", "what": "manager deelt wachtwoorden", "personal_data": "nee",
              "severity": "middel", "anonymous": "ja", "department": "Burgerzaken"}
    result = router.submit(unreachable(roster), Actor("U01EMP"), form.form_id, values, form.context)

    assert "/meld status" in text_of(result.messages[0])
    [path] = report_spool.waiting(roster.options.spool_dir)
    assert "U01EMP" not in path.read_text(encoding="utf-8")
    replay_spool(roster)
    stored = all_reports(roster)[0]
    assert stored.anonymous and stored.reporter_id is None and stored.reporter_sealed
    assert "MELD-2026-0001" in text_of(meld(router, roster, "U01EMP", "status").messages[0])
    assert "U01EMP" not in direct_messages(roster)  # no receipt that would tie them to it


def test_reporter_is_told_plainly_when_even_the_spool_fails(roster, router, tmp_path) -> None:  # noqa: ANN001
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    down = replace(unreachable(roster), options=replace(roster.options, spool_dir=blocked / "spool"))

    said = text_of(meld(router, down, "U01EMP", "datalek: lijst met BSN's gemaild").messages[0])

    assert "*niet* worden bewaard" in said and "Kopieer je tekst" in said
    assert "lijst met BSN's gemaild" in said


def test_a_broken_spool_entry_does_not_block_the_others(roster, router) -> None:  # noqa: ANN001
    meld(router, unreachable(roster), "U01EMP", "eerste")
    spool: Path = roster.options.spool_dir
    (spool / "kapot.json").write_text(json.dumps({"filing_id": "x"}), encoding="utf-8")

    assert replay_spool(roster) == 1
    assert [r.text for r in all_reports(roster)] == ["eerste"]
    assert [p.name for p in report_spool.waiting(spool)] == ["kapot.json"]


# --- accepted before the ack, filed after ----------------------------------------------------


def _journal_lines(ctx) -> list[str]:  # noqa: ANN001
    path = accepted_journal(ctx).path
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_an_accepted_report_is_filed_once_by_the_normal_path(roster, router) -> None:  # noqa: ANN001
    actor = Actor("U01EMP", request="trigger.1")
    router.accept_command(roster, actor, "meld", "laptop kwijt in de trein")
    assert len(_journal_lines(roster)) == 1
    result = router.run_command(roster, actor, "meld", "laptop kwijt in de trein")
    assert "MELD-2026-0001" in result.messages[0].text
    assert _journal_lines(roster) == []  # nothing outstanding: emptied


def test_a_report_accepted_by_a_process_that_died_is_filed_once_after_a_restart(roster, router) -> None:  # noqa: ANN001
    actor = Actor("U01EMP", request="trigger.2")
    router.accept_command(roster, actor, "meld", "usb-stick gevonden")
    gone = subprocess.Popen(["true"])
    gone.wait()
    journal = accepted_journal(roster)
    shutil.copy(journal.path, journal.path.with_name(f"journal-{socket.gethostname()}-{gone.pid}.jsonl"))  # "killed"

    router.recover(roster)  # what a restart does
    assert report(roster, "MELD-2026-0001").text == "usb-stick gevonden"
    assert "U01EMP" in direct_messages(roster, "report:MELD-2026-0001:receipt:")  # told by direct message
    assert [o for o in journal.orphans()] == []
    router.run_command(roster, actor, "meld", "usb-stick gevonden")  # this process's worker, late: no second report
    with roster.db.reading() as session:
        assert session.exec(select(func.count()).select_from(Report)).one() == 1


def test_a_report_accepted_here_and_filed_by_another_process_is_let_go(roster, router) -> None:  # noqa: ANN001
    """`serve --queue`: the web process accepts, a worker process files (commands.work_queue)."""
    actor = Actor("U01EMP", request="trigger.3")
    router.accept_command(roster, actor, "meld", "wachtwoord op een post-it")
    journal = accepted_journal(roster)
    [filing_id] = journal.outstanding()
    router.recover(roster)
    assert journal.outstanding() == [filing_id]  # not filed yet: kept

    [entry] = _journal_entries(roster)
    with roster.db.session() as session:  # what the worker process does; it does not share this journal
        file_in(session, roster, Filing.from_dict(entry), department_of="U01EMP")
    assert settle_accepted(roster, older_than=0) == 1
    assert journal.outstanding() == [] and _journal_lines(roster) == []
    router.recover(roster)  # nothing left to replay either
    with roster.db.reading() as session:
        assert session.exec(select(func.count()).select_from(Report)).one() == 1


def _journal_entries(ctx) -> list[dict]:  # noqa: ANN001
    return [json.loads(line)["entry"] for line in _journal_lines(ctx) if "accepted" in json.loads(line)]


def test_subcommands_are_not_accepted_as_reports(roster, router) -> None:  # noqa: ANN001
    for text in ("", "status", "help", "MELD-2026-0001", "onthul MELD-2026-0001"):
        router.accept_command(roster, Actor("U01CISO", request=f"t-{text}"), "meld", text)
    assert _journal_lines(roster) == []
