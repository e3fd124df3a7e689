"""Ask: the policy's answer plus today's people, in the question's language, escaped."""

from __future__ import annotations

from pathlib import Path

from commands.ask import answer_question, ask
from commands.context import Actor, Context
from commands.roster import RosterView, import_roster, parse_roster
from storage.people import Member


def _text(ctx: Context, user: str, question: str) -> str:
    [message] = ask(ctx, Actor(user), question).messages
    return "\n".join([message.text, *map(str, message.blocks), message.footnote or ""])


def test_departmental_role_names_the_askers_own_dspo(roster: Context) -> None:
    text = _text(roster, "U01EMP2", "Wie stelt een DPIA op?")  # Sociaal Domein
    assert "§6.5" in text
    assert "Voor jouw afdeling (Sociaal Domein): <@U01DSPOS>" in text
    assert "U01DSPOB" not in text


def test_departmental_role_for_someone_without_department_lists_all(roster: Context) -> None:
    text = _text(roster, "U01FG", "Wie stelt een DPIA op?")
    assert "Per afdeling:" in text
    assert "<@U01DSPOB> (Burgerzaken)" in text and "<@U01DSPOS> (Sociaal Domein)" in text


def test_organisation_wide_role_names_the_holder(roster: Context) -> None:
    text = _text(roster, "U01EMP", "wie coördineert ensia?")
    assert "CISO" in text and "👤 Nu: <@U01CISO>" in text


def test_group_question_lists_every_member_with_people(roster: Context) -> None:
    text = _text(roster, "U01EMP", "Wie zit in het ICT crisisoverleg?")
    for person in ("U01GSEC", "U01CISO", "U01DSPOB", "U01CIO"):
        assert f"<@{person}>" in text
    assert "Waar nodig ook" in text and "<@U01FG>" in text and "<@U01COMM>" in text


def test_vacant_role_says_so(ctx: Context) -> None:
    import_roster(ctx, parse_roster("people:\n  - id: U1\n    name: Iemand\n    roles: [medewerker]\n"))
    text = _text(ctx, "U1", "wie is de FG?")
    assert "niemand in het rooster; meld dit bij de CISO" in text


def test_english_question_gets_an_english_answer(roster: Context) -> None:
    text = _text(roster, "U01EMP", "Who is the internal privacy supervisor?")
    assert "👤 Now: <@U01FG>" in text
    assert "Source:" in text


def test_out_of_scope_is_honest_and_points_to_the_ciso(roster: Context) -> None:
    text = _text(roster, "U01EMP", "Wie organiseert de kerstborrel?")
    assert "Dat staat niet in het informatiebeveiligingsbeleid." in text
    assert "Twijfel je? Vraag het de CISO: <@U01CISO>." in text
    reply = answer_question(roster, "Who repairs the printers?", RosterView(()), None)
    assert reply.answer.role_ids == []
    assert "does not cover" in reply.message.blocks[0]


def test_empty_question_explains_how_to_ask(roster: Context) -> None:
    assert "`/wie stelt een DPIA op?`" in _text(roster, "U01EMP", "   ")


def test_roster_names_are_escaped_and_mentions_come_from_ids(roster: Context) -> None:
    odd = RosterView((Member("U01X", "<!channel> & co", ("ciso",), "<b>Afdeling</b>"),))
    reply = answer_question(roster, "wie coördineert ensia?", odd, None)
    rendered = "\n".join(map(str, reply.message.blocks))
    assert "<!channel>" not in rendered and "<b>" not in rendered
    assert "<@U01X>" in rendered


def test_typed_question_is_never_echoed_unescaped(roster: Context) -> None:
    text = _text(roster, "U01EMP", "<!channel> wie stelt een <@U01CISO> DPIA op?")
    assert "<!channel>" not in text


def test_policy_dir_option_selects_other_policy_data(roster: Context, tmp_path: Path) -> None:
    from dataclasses import replace

    from knowledge.policy import DEFAULT_POLICY_DIR

    for file in Path(DEFAULT_POLICY_DIR).glob("*.yaml"):
        (tmp_path / file.name).write_text(file.read_text(encoding="utf-8").replace("2020-2024", "2025-2029"), encoding="utf-8")
    other = Context(roster.db, replace(roster.options, policy_dir=tmp_path), roster.clock)
    assert "2025-2029" in _text(other, "U01EMP", "Wie stelt een DPIA op?")
