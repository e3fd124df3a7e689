"""Normalising, stemming and language detection."""

from __future__ import annotations

import pytest

from knowledge import Answerer
from knowledge.text import find_phrase, load_language, normalise, stem, tokenize


def test_normalise_strips_case_accents_and_punctuation() -> None:
    assert normalise("Wie coördineert  ENSIA?") == "wie coordineert ensia"
    assert normalise("DSPO's & B&W") == "dspo s b w"


@pytest.mark.parametrize("forms", [
    ["controleert", "controleren", "controle"],
    ["melden", "meldt", "meld"],
    ["incident", "incidenten"],
    ["applicatie", "applicaties", "application", "applications"],
    ["coordineert", "coordinates", "coordinator", "coordination"],
    ["rapportage", "rapporteert", "rapporteren"],
])
def test_stem_conflates_word_forms(forms: list[str]) -> None:
    assert len({stem(form) for form in forms}) == 1


@pytest.mark.parametrize(("question", "language"), [
    ("Wie stelt een DPIA op?", "nl"),
    ("wie is verantwoordleijk voor ensia", "nl"),
    ("Bij wie meld ik een datalek?", "nl"),
    ("Wat doet de CISO?", "nl"),
    ("Who does the DPIA?", "en"),
    ("who coordnates ensia", "en"),
    ("Where do I report a data breach?", "en"),
    ("What does the FG do?", "en"),
    ("Who is in the ICT crisis team?", "en"),
    ("CISO?", "nl"),
    ("DPIA", "nl"),
    ("", "nl"),
])
def test_language_of_question(answerer: Answerer, question: str, language: str) -> None:
    assert answerer.answer(question).language == language


def test_idioms_are_rewritten_before_analysis() -> None:
    resources = load_language()
    assert resources.rewrite(["wie", "moet", "ik", "dit", "laten", "weten"]) == ["wie", "moet", "ik", "dit", "melden"]
    assert resources.rewrite(["who", "makes", "sure", "of", "it"])[:2] == ["who", "ensures"]


def test_gapped_phrase() -> None:
    assert find_phrase(["hoe", "vraag", "ik", "een", "paspoort", "aan"], ("vraag", "...", "aan")) == 1
    assert find_phrase(["wie", "vraagt", "iets"], ("vraag", "...", "aan")) is None


def test_no_outside_word_is_a_one_word_policy_term(answerer: Answerer) -> None:
    """An outside word (language.yaml) must not be a one-word glossary synonym or role name,
    or questions about that policy word would be declined."""
    policy = answerer.policy
    names = {" ".join(tokenize(n)) for t in policy.glossary for n in t.synonyms}
    names |= {" ".join(tokenize(a)) for r in policy.roles for a in r.aliases.all}
    clashes = [(topic.name, word) for topic in answerer.index.resources.outside for word in topic.words
               if word in names]
    assert clashes == []


@pytest.mark.parametrize(("typed", "read"), [
    # a letter left out, added, doubled, replaced (a neighbouring key), two swapped
    ("privcy", "privacy"), ("incdent", "incident"), ("dpai", "dpia"), ("ensai", "ensia"), ("ensi", "ensia"),
    ("informatiebeveliging", "informatiebeveiliging"), ("infomatiebeveiliging", "informatiebeveiliging"),
    ("gemeentesecretais", "gemeentesecretaris"), ("afdelingsmanger", "afdelingsmanager"),
    ("burgemeesterr", "burgemeester"), ("diirectie", "directie"), ("crjsis", "crisis"), ("chwecks", "checks"),
    ("voilgens", "volgens"), ("volgesn", "volgens"), ("risicoanalhse", "risicoanalyse"), ("clinet", "client"),
    ("reviewde", "reviewed"), ("employese", "employees"), ("gemeentesecretari", "gemeentesecretaris"),
    ("audiy", "audit"), ("managefs", "managers"), ("berach", "breach"),
    # spelled as it sounds: c/k/s/z, ph/f, y/ij/ei/ie, dt/d/t, -ty/-tie, double and single letters
    ("privasy", "privacy"), ("privacie", "privacy"), ("autitor", "auditor"), ("kontroleert", "controleert"),
    ("kommunicatie", "communicatie"), ("crizisteam", "crisisteam"), ("rapporteerd", "rapporteert"),
    ("ijgenaar", "eigenaar"), ("afdelingsmannagers", "afdelingsmanagers"), ("colegee", "college"),
    ("acceptabbel", "acceptabel"), ("securitie", "security"), ("opdragt", "opdracht"), ("lijding", "leiding"),
    ("voorziter", "voorzitter"), ("crisissoverleg", "crisisoverleg"), ("polisy", "policy"),
    # small words and words of language.yaml
    ("verantwoordleijk", "verantwoordelijk"), ("verantwoordlijk", "verantwoordelijk"),
    # a compound of policy words with a typo in one part
    ("privacywakahond", "privacywaakhond"), ("beveilgingsbeleid", "beveiligingsbeleid"),
])
def test_typos_are_corrected(answerer: Answerer, typed: str, read: str) -> None:
    assert answerer.index.analyse(f"wie {typed}").typos == {typed: read}


@pytest.mark.parametrize(("question", "roles"), [
    ("wie is de toezichthouder op privasy", ["fg"]), ("wie is de toezichthouder op privacie", ["fg"]),
    ("wie is de toezichthouder op privcy", ["fg"]), ("wat doet de autitor", ["it-auditor"]),
    ("wat doet de gemeentesecretais", ["gemeentesecretaris"]), ("wat doet de afdelingsmanger", ["afdelingsmanager"]),
    ("wie maakt de dpai", ["dspo"]), ("wie coördineert ensai", ["ciso"]), ("wie is de coordinator infosec", ["ciso"]),
    ("wie kontroleert het colegee", ["gemeenteraad"]), ("who repairs the prnters", []),
])
def test_questions_with_typos(answerer: Answerer, question: str, roles: list[str]) -> None:
    assert answerer.answer(question).role_ids[:len(roles) or None] == roles


# Real words that are one edit from a policy word: never corrected into it ("politie" is no
# "politiek", "leden" no "leiden", "police" no "policy").
TRAPS = ["politie", "bewaren", "office", "leden", "supplier", "police", "polite", "lezen", "noemen", "storen",
         "raken", "lijden", "tranen", "kamer", "beach", "throat", "safely", "makers", "audio", "spijl", "scheur",
         "bries", "lijnen", "platte", "hakken", "collection", "geplakt", "krachten", "daarop", "waardoor", "normaal",
         "going", "reuse", "slip", "ruler", "maaien", "perron", "snack", "belly", "delivery", "geborgd", "bewaarde",
         "controles", "organisaties", "namens", "wants", "hands", "nachts", "meting", "staf", "kwijt", "trein",
         "cities", "beeld", "mede", "gezorgd", "werkte", "stoppen", "haalt", "betaalt", "lijkt", "noemt"]


@pytest.mark.parametrize("word", ["politie", "bewaren", "office", "leden", "supplier"])
def test_real_words_are_no_typos(answerer: Answerer, word: str) -> None:
    """A short word with another letter, or without its last one, is as often another real word;
    words of the language resources are real words."""
    assert [t.source for t in answerer.index.analyse(f"wie {word}").tokens] == [word]
    assert all(t.quality == 1.0 for t in answerer.index.analyse(f"wie {word}").tokens)


def test_everyday_words_are_no_typos(answerer: Answerer) -> None:
    """Real words (words.yaml, language.yaml, their forms) stay as typed, whatever policy word is near."""
    index = answerer.index
    assert {word: index._typo_reading(word) for word in TRAPS if index._typo_reading(word)} == {}


@pytest.mark.parametrize("question", [
    "wie betaalt de kaarsen voor de kerstboom", "wie bewaart de sleutels van de kast", "wie haalt de taart",
    "hoe laat gaat de trein naar eindhoven", "wie leest de post van de burgemeester voor",
    "wie regelt de tranen en troost bij een afscheid", "wie maakt de plannen voor het nieuwe zwembad",
    "who fixes the broken chair in the office", "who books the train tickets for the trip",
    "wie mag de politie bellen bij een inbraak in het gemeentehuis", "wie zijn de leden van de personeelsvereniging",
    "wie noemt de nieuwe straat", "who is the police officer for our district", "wie storen de vergadering steeds",
    "wie lijdt onder de drukte op de afdeling",
])
def test_everyday_questions_near_policy_words_stay_declined(answerer: Answerer, question: str) -> None:
    answer = answerer.answer(question)
    assert answer.role_ids == [], (answer.role_ids, answerer.index.analyse(question).typos)


def test_everyday_words_are_normalised() -> None:
    words = load_language().everyday_words
    assert len(words) > 5000
    assert all(word.isalpha() and word == normalise(word) for word in words)


@pytest.mark.parametrize("word", ["wie", "raad", "ciso", "cios", "leid", "meden", "staf", "owneg", "kwarter",
                                  "contat", "collegw"])
def test_short_or_ambiguous_words_are_not_corrected(answerer: Answerer, word: str) -> None:
    """Words under four letters are never typos; a typo as near to two different words
    ("cios": ciso or cio's; "meden": melden or mede; "owneg": owner or owned; "kwarter": kwartier or
    quarter; "contat": contact or contant; "collegw": college or collega) is left alone."""
    assert answerer.index._typo_reading(word) is None


def test_plural_of_words_in_age() -> None:
    assert stem("rapportages") == stem("rapportage")
    assert stem("managementrapportages") == stem("managementrapportage")


def test_separable_verbs_in_the_policy_wording(answerer: Answerer) -> None:
    """"Stelt het gewenste niveau ... vast" is "vaststellen", as in a question."""
    statement = next(c for c in answerer.index.candidates if c.statement
                     and c.statement.text.nl.startswith("Stelt het gewenste niveau"))
    assert "g:vaststellen" in statement.terms


def test_recipients_named_in_policy_wording(answerer: Answerer) -> None:
    index = answerer.index
    assert index.recipients_named_in("Rapporteert periodiek aan de afdelingsmanager, de CISO en de FG.") == \
        ["afdelingsmanager", "ciso", "fg"]
    assert index.recipients_named_in("Laat afdelingsmanagers zich verantwoorden over informatieveiligheid in hun "
                                     "processen, rapporteert periodiek aan het college en spreekt managers aan.") == \
        ["college"]


def test_false_friends_are_small_words_in_their_language(answerer: Answerer) -> None:
    assert "direct" not in [t.surface for t in answerer.index.analyse("wie meld ik het direct").tokens]
    assert "g:sturing" in {f.term for f in answerer.index.analyse("who can direct the DSPOs").features}
