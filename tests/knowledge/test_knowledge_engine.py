"""The Answer an adapter gets: kinds, roles, meeting details, sections, text."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import Answerer, render_text

CRISIS_CORE = ["gemeentesecretaris", "ciso", "dspo", "cio"]


def test_responsible_answer_quotes_statement_with_section(answerer: Answerer) -> None:
    answer = answerer.answer("Wie stelt een DPIA op?")
    assert answer.kind == "responsible"
    assert answer.role_ids == ["dspo"]
    dspo = answer.roles[0]
    assert dspo.departmental
    assert dspo.statements[0].section == "6.5"
    assert "DPIA" in dspo.statements[0].text
    assert answer.sections == ["6.5"]
    assert "§6.5" in answer.text and "DSPO" in answer.text


def test_english_question_gets_english_answer(answerer: Answerer) -> None:
    answer = answerer.answer("Who may intervene in a security incident?")
    assert answer.language == "en"
    assert answer.role_ids == ["ciso"]
    assert "intervene" in answer.roles[0].statements[0].text
    assert "§6.7" in answer.text


def test_members_answer_lists_core_and_optional_members(answerer: Answerer) -> None:
    answer = answerer.answer("Wie zit in het ICT-crisisoverleg?")
    assert answer.kind == "members"
    assert answer.role_ids == CRISIS_CORE
    assert [r.role_id for r in answer.optional_roles] == ["afdelingsmanager", "communicatie", "fg"]
    assert not {r.role_id for r in answer.optional_roles} & set(answer.role_ids)
    assert answer.meeting is not None
    assert (answer.meeting.frequency, answer.meeting.cadence, answer.meeting.section) == \
        ("per incident", "per-incident", "7.3")
    assert answer.sections == ["7.3"]
    assert "gemeentesecretaris, CISO, DSPO en CIO" in answer.text


def test_role_duties_answer(answerer: Answerer) -> None:
    answer = answerer.answer("Wat doet de CISO?")
    assert answer.kind == "role_duties"
    assert answer.role_ids == ["ciso"]
    assert len(answer.roles[0].statements) >= 3
    assert "6.7" in answer.sections


def test_role_question_with_topic_stays_on_that_role(answerer: Answerer) -> None:
    answer = answerer.answer("Mag de CISO ingrijpen zonder toestemming?")
    assert answer.kind == "role_duties"
    assert "ingrijpen" in answer.roles[0].statements[0].text


def test_reporting_question_is_not_about_the_fg(answerer: Answerer) -> None:
    answer = answerer.answer("Bij wie meld ik een datalek?")
    assert answer.kind == "responsible"
    assert answer.role_ids == ["afdelingsmanager"]


def test_recipient_question_names_the_other_roles(answerer: Answerer) -> None:
    answer = answerer.answer("Aan wie rapporteert de DSPO?")
    assert answer.role_ids == ["afdelingsmanager", "ciso", "fg"]


def test_out_of_scope_declines_with_suggestions(answerer: Answerer) -> None:
    answer = answerer.answer("Wie organiseert de kerstborrel?")
    assert answer.kind == "out_of_scope"
    assert answer.roles == [] and answer.sections == []
    assert answer.suggestions
    assert answer.text.startswith("Dat staat niet in het informatiebeveiligingsbeleid.")
    english = answerer.answer("Who repairs the printers?")
    assert english.text.startswith("The information security policy does not cover that.")
    assert english.suggestions[0].startswith("Who")


def test_to_dict_matches_the_cli_contract(answerer: Answerer) -> None:
    data = json.loads(json.dumps(answerer.answer("Wie coördineert ENSIA?").to_dict()))
    assert data["roles"] == ["ciso"]
    assert data["answer"] and data["sections"]


def test_render_text_is_the_text_property(answerer: Answerer) -> None:
    answer = answerer.answer("who does the dpia")
    assert render_text(answer) == answer.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gets_a_consistent_answer(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.language in ("nl", "en")
    assert (answer.kind == "out_of_scope") == (answer.roles == [])
    assert answer.text


def test_optional_meeting_members_are_named_with_their_note(answerer: Answerer) -> None:
    answer = answerer.answer("wie kan er eventueel aanschuiven bij het ICT-crisisoverleg?")
    assert answer.role_ids == ["communicatie", "fg"]
    assert answer.meeting is not None and answer.meeting.id == "ict-crisisoverleg"
    assert answer.roles[0].note and "§7.3" in answer.text


def test_a_named_member_of_a_meeting(answerer: Answerer) -> None:
    assert answerer.answer("Moet er iemand van communicatie bij het crisisoverleg zitten?").role_ids == ["communicatie"]
    assert answerer.answer("Zit de FG in het crisisoverleg?").role_ids == ["fg"]


def test_a_member_described_by_its_note(answerer: Answerer) -> None:
    answer = answerer.answer("Met wie stemt de DSPO vooraf af voor het privacyoverleg?")
    assert answer.role_ids == ["afdelingsmanager"]


def test_the_policy_names_no_chair(answerer: Answerer) -> None:
    assert answerer.answer("Wie zit het ICT crisisoverleg voor?").kind == "out_of_scope"
    assert answerer.answer("Who chairs the crisis meeting?").kind == "out_of_scope"


def test_a_meeting_described_by_its_members(answerer: Answerer) -> None:
    answer = answerer.answer("Hoe vaak komen de CISO, de DSPO en de FG bij elkaar?")
    assert answer.kind == "members" and answer.meeting is not None and answer.meeting.id == "iv-privacy-overleg"


def test_outside_topics_decline_unless_a_policy_topic_is_named(answerer: Answerer) -> None:
    assert answerer.answer("Wie installeert de authenticator app op mijn telefoon?").role_ids == []
    assert answerer.answer("Wie beslist over de aanschaf van een nieuw zaaksysteem?").role_ids == []
    stolen = answerer.answer("Mijn laptop met klantgegevens is gestolen, bij wie meld ik dat?")
    assert stolen.role_ids[0] == "afdelingsmanager"


def test_a_decisive_outside_topic_declines_even_with_a_policy_topic(answerer: Answerer) -> None:
    assert answerer.answer("Wie meldt een datalek bij de Autoriteit Persoonsgegevens?").role_ids == []


def test_long_chatty_question_is_not_diluted_by_unknown_words(answerer: Answerer) -> None:
    answer = answerer.answer("ik twijfel of we een bestand met persoonsgegevens mogen delen met een andere "
                             "afdeling, bij wie moet ik zijn?")
    assert answer.role_ids[:1] == ["dspo"]


def test_role_named_as_subject_in_another_sentence_is_not_the_object(answerer: Answerer) -> None:
    answer = answerer.answer("Mag mijn afdelingsmanager zijn verantwoordelijkheid delegeren aan de DSPO? "
                             "Wie blijft er dan verantwoordelijk?")
    assert answer.role_ids[0] == "afdelingsmanager"


def test_explain_shows_word_classes_and_the_answer(answerer: Answerer) -> None:
    text = answerer.explain("Wie stelt een DPIA op?")
    assert "topic" in text and "dspo" in text and text.splitlines()[-1].startswith("answer: responsible")


def test_besides_a_role_the_answer_is_another_role(answerer: Answerer) -> None:
    assert answerer.answer("wie kan naast het college een controle op informatiebeveiliging laten uitvoeren"
                           ).role_ids[0] == "gemeenteraad"
    supporters = answerer.answer("who supports department managers in complying with security and privacy law, "
                                 "besides the DSPO?").role_ids
    assert supporters[:2] == ["ciso", "fg"] and "dspo" not in supporters and "afdelingsmanager" not in supporters


def test_the_role_between_two_others(answerer: Answerer) -> None:
    answer = answerer.answer("welke rol staat tussen het college en de afdelingsmanagers bij informatiebeveiliging")
    assert answer.role_ids == ["directie"]


def test_recipients_are_read_from_the_wording(answerer: Answerer) -> None:
    assert answerer.answer("aan wie wordt de raadsinformatiebrief gestuurd").role_ids == ["gemeenteraad"]
    assert answerer.answer("aan wie legt de directie verantwoording af").role_ids[0] == "college"
    reports = answerer.answer("bij wie komen de managementrapportages van de afdelingsmanagers terecht").role_ids
    assert reports[:2] == ["ciso", "directie"]


def test_a_role_after_to_is_the_object(answerer: Answerer) -> None:
    assert answerer.answer("wie moet mogelijke hiaten direct aan de leidinggevende melden").role_ids[0] == "medewerker"


def test_parts_of_a_meeting(answerer: Answerer) -> None:
    assert answerer.answer("naast de vaste leden, wie van het getroffen proces moet er bij het ICT crisisoverleg "
                           "zijn?").role_ids[0] == "afdelingsmanager"
    assert answerer.answer("wie zijn de vaste deelnemers van het crisisoverleg").role_ids == CRISIS_CORE
    assert answerer.answer("welke opdrachtgever zit er bij de ENSIA presentaties").role_ids == ["ambtelijk-opdrachtgever"]
    assert answerer.answer("welke leden zitten er naast de ciso in het privacyoverleg").role_ids == ["dspo", "fg"]
    # the note "de DSPO stemt vooraf af met de proceseigenaar", asked from the other side
    assert answerer.answer("wie heeft vooraf afstemming met de proceseigenaar voor het kwartaaloverleg met de "
                           "CISO en FG").role_ids == ["dspo"]


def test_being_at_a_meeting_is_asking_for_its_members(answerer: Answerer) -> None:
    answer = answerer.answer("servers are down - who must be in the ICT crisis meeting")
    assert answer.kind == "members" and answer.role_ids == CRISIS_CORE
    assert answerer.answer("who takes the minutes at the information security and privacy meeting").role_ids == []


def test_what_the_policy_touches_but_assigns_to_no_one(answerer: Answerer) -> None:
    assert answerer.answer("who notifies affected residents after a data breach").role_ids == []
    assert answerer.answer("wie is verantwoordelijk voor de afspraken over informatiebeveiliging met leveranciers"
                           ).role_ids == []
