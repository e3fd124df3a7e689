"""Text handling shared by the index and the questions: normalising, tokens, stems, language."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.policy import Language

DEFAULT_LANGUAGE_FILE = Path(__file__).resolve().parent / "language.yaml"
WORDS_FILE = "words.yaml"  # everyday words, next to the language file

_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = frozenset("aeiouy")

# Suffixes removed by stem(), longest first; (suffix, replacement). One rule applies per word.
# Deliberately light: it only has to map the word forms of one question onto those of the
# policy (controleert / controleren / controle, melden / meldt, applicatie / application).
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ically", "ic"), ("ical", "ic"), ("ally", "al"), ("elijkheden", ""), ("elijkheid", ""), ("lijkheden", ""), ("lijkheid", ""), ("elijke", ""), ("elijk", ""),
    ("lijke", ""), ("lijk", ""), ("iteiten", ""), ("iteit", ""), ("ations", ""), ("ation", ""), ("aties", ""),
    ("atie", ""), ("ities", ""), ("ity", ""), ("ingen", ""), ("ing", ""), ("eerde", ""), ("eerd", ""), ("eert", ""),
    ("eren", ""), ("eer", ""), ("ators", ""), ("ator", ""), ("ates", ""), ("ate", ""), ("ies", "y"),
    ("heid", ""), ("ages", ""), ("age", ""), ("en", ""), ("ed", ""), ("es", ""), ("e", ""), ("s", ""), ("t", ""),
)


def normalise(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", without_accents).strip()


def tokenize(text: str) -> list[str]:
    return normalise(text).split()


# Words the suffix rules would merge with a different word: "informatie" is not "informeert".
_STEM_EXCEPTIONS = {"informatie": "informatie", "information": "informatie", "press": "press", "pers": "pers"}

# Further cue lists of language.yaml, read as phrases (see there): "naast de CISO", "tussen X en Y",
# "de vaste leden".
EXTRA_CUES = ("besides_cues", "between_cues", "core_member_cues")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Conflate Dutch and English word forms (controleert / controleren / controle).

    Repeats "strip one suffix, undouble a final consonant" until nothing changes, so that
    "incidenten" -> "incident" -> ... ends where "incident" ends.
    """
    if word.isdigit():
        return word
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    while (shorter := _strip_suffix(word)) != word:
        word = shorter
    return word


def _strip_suffix(word: str) -> str:
    if len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "t" and word[-2] in _VOWELS:
                continue  # "meldt" -> "meld", but keep "budget", "audit"
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


@dataclass(frozen=True)
class OutsideTopic:
    """A kind of question the policy does not cover (facilities, HR, IT helpdesk, ...).

    `decisive` topics decline a question even when it also names a policy topic ("hoe verleng
    ik mijn paspoort" is a public service, whatever the policy says about passports); the
    others decline it only when it names no policy topic ("wie installeert de authenticator
    app" is helpdesk work, but "mijn laptop met klantgegevens is gestolen" is a data breach).
    """

    name: str
    decisive: bool
    words: frozenset[str]                # single words, normalised; compounds match on a part
    phrases: tuple[tuple[str, ...], ...]  # multi-word entries, matched word for word


@dataclass(frozen=True)
class LanguageResources:
    """Generic language knowledge (not policy): stopwords, cue phrases, particles, outside topics."""

    stopwords: dict[Language, frozenset[str]]
    who_words: tuple[tuple[str, ...], ...]
    recipient_cues: tuple[tuple[str, ...], ...]
    relation_words: frozenset[str]
    member_cues: tuple[tuple[str, ...], ...]
    first_person: frozenset[str]
    particles: frozenset[str]
    duty_cues: tuple[tuple[str, ...], ...] = ()
    identity_cues: tuple[tuple[str, ...], ...] = ()
    determiners: frozenset[str] = frozenset()
    chair_cues: tuple[tuple[str, ...], ...] = ()
    optional_cues: tuple[tuple[str, ...], ...] = ()
    frequency_cues: tuple[tuple[str, ...], ...] = ()
    receive_cues: frozenset[str] = frozenset()
    recipient_cues_after_role: tuple[tuple[str, ...], ...] = ()
    phrase_glue: frozenset[str] = frozenset()
    outside: tuple[OutsideTopic, ...] = ()
    idioms: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # phrase -> the words it means
    false_friends: dict[Language, frozenset[str]] = field(default_factory=dict)  # small words in that language only
    extra_cues: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # further cue lists, by name
    everyday_words: frozenset[str] = frozenset()          # words.yaml: real words, never typos
    recipient_prepositions: frozenset[str] = frozenset()  # "rapporteert aan de CISO": the CISO receives
    list_words: frozenset[str] = frozenset()               # "de CISO, de directie en het bestuur"
    prepositions: frozenset[str] = frozenset()             # "volgens het beleid": an article may follow
    asker_pronouns: frozenset[str] = frozenset()           # "wie kunnen ze vragen": a role named before asks
    receiving_prepositions: frozenset[str] = frozenset()   # "wie meldt hiaten aan de leidinggevende"

    def rewrite(self, words: list[str]) -> list[str]:
        """Replace idioms by what they mean ("laten weten" -> "melden"), longest first. An idiom
        with a gap ("naar ... sturen") replaces its last word ("sturen" -> "versturen")."""
        for phrase, meaning in self.idioms:
            start = find_phrase(words, phrase)
            while start is not None:
                if GAP in phrase:
                    end = words.index(phrase[-1], start + 1)
                    words = words[:end] + list(meaning) + words[end + 1:]
                else:
                    words = words[:start] + list(meaning) + words[start + len(phrase):]
                start = find_phrase(words, phrase)
        return words

    @property
    def all_stopwords(self) -> frozenset[str]:
        return self.stopwords["nl"] | self.stopwords["en"]

    @property
    def known_words(self) -> frozenset[str]:
        """Every word of the language resources (cue phrases, outside topics, idioms, small-word
        lists): real words, never typos."""
        cues = (*self.who_words, *self.recipient_cues, *self.member_cues, *self.duty_cues, *self.identity_cues,
                *self.chair_cues, *self.optional_cues, *self.frequency_cues, *self.recipient_cues_after_role,
                *(phrase for topic in self.outside for phrase in topic.phrases))
        words = {w for phrase in cues for w in phrase if w != GAP}
        words |= {w for topic in self.outside for w in topic.words} | self.receive_cues | self.relation_words
        for extra in self.extra_cues.values():
            words |= {w for phrase in extra for w in phrase if w != GAP}
        words |= self.first_person | self.particles | self.determiners | self.phrase_glue | self.recipient_prepositions
        words |= self.list_words | self.prepositions | self.asker_pronouns | self.receiving_prepositions
        words |= {w for phrase, meaning in self.idioms for w in (*phrase, *meaning) if w != GAP}
        words |= {w for items in self.false_friends.values() for w in items}
        return frozenset(words)


def load_words(path: Path) -> frozenset[str]:
    """The everyday words of words.yaml (a text block per language; lines starting with # are notes)."""
    if not path.is_file():
        return frozenset()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return frozenset(word for block in data.values() for line in str(block).splitlines()
                     if not line.lstrip().startswith("#") for word in tokenize(line))


@lru_cache(maxsize=4)
def load_language(path: Path = DEFAULT_LANGUAGE_FILE) -> LanguageResources:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def check(items: list[object]) -> list[str]:
        odd = [item for item in items if not isinstance(item, str)]
        if odd:  # YAML reads bare on/off/yes/no as booleans
            raise ValueError(f"{path.name}: quote these entries: {odd}")
        return items  # type: ignore[return-value]

    def words(items: list[object]) -> frozenset[str]:
        return frozenset(token for item in check(items) for token in tokenize(item))

    def phrases(items: list[object]) -> tuple[tuple[str, ...], ...]:
        def words_of(item: str) -> tuple[str, ...]:  # tokenize, keeping the gap mark of "vraag ... aan"
            return tuple(w for part in item.split(GAP) for w in [*tokenize(part), GAP])[:-1]
        return tuple(words_of(item) for item in check(items) if tokenize(item))

    def outside(entry: dict[str, object]) -> OutsideTopic:
        entries = phrases(entry["words"])  # type: ignore[arg-type]
        return OutsideTopic(name=str(entry["topic"]), decisive=bool(entry.get("decisive", False)),
                            words=frozenset(e[0] for e in entries if len(e) == 1),
                            phrases=tuple(e for e in entries if len(e) > 1))

    return LanguageResources(
        stopwords={"nl": words(data["stopwords"]["nl"]), "en": words(data["stopwords"]["en"])},
        who_words=phrases(data["who_words"]),
        recipient_cues=phrases(data["recipient_cues"]),
        relation_words=words(data["relation_words"]),
        member_cues=phrases(data["member_cues"]),
        first_person=words(data["first_person"]),
        particles=words(data["particles"]),
        duty_cues=phrases(data.get("duty_cues", [])),
        identity_cues=phrases(data.get("identity_cues", [])),
        determiners=words(data.get("determiners", [])),
        chair_cues=phrases(data.get("chair_cues", [])),
        optional_cues=phrases(data.get("optional_cues", [])),
        frequency_cues=phrases(data.get("frequency_cues", [])),
        receive_cues=words(data.get("receive_cues", [])),
        outside=tuple(outside(entry) for entry in data.get("outside", [])),
        idioms=tuple(sorted(((phrases([str(i["phrase"])])[0], tuple(tokenize(str(i["means"]))))
                             for i in data.get("idioms", [])), key=lambda item: -len(item[0]))),
        recipient_cues_after_role=phrases(data.get("recipient_cues_after_role", [])),
        phrase_glue=words(data.get("phrase_glue", [])),
        recipient_prepositions=words(data.get("recipient_prepositions", [])),
        list_words=words(data.get("list_words", [])),
        prepositions=words(data.get("prepositions", [])),
        asker_pronouns=words(data.get("asker_pronouns", [])),
        receiving_prepositions=words(data.get("receiving_prepositions", [])),
        false_friends={language: words(items) for language, items in data.get("false_friends", {}).items()},
        extra_cues={name: phrases(data.get(name, [])) for name in EXTRA_CUES},
        everyday_words=load_words(path.with_name(WORDS_FILE)),
    )


# How a word sounds, roughly, in Dutch and English spelling: the spelling variants people mix up
# written one way ("privasy", "privacie" and "privacy" are all "privasi"; "kommunicatie" is
# "communicatie"; "rapporteerd" is "rapporteert"). Applied in this order.
_SOUND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"ph", "f"), (r"qu", "kw"), (r"x", "ks"), (r"ck", "k"),   # ph/f, qu/kw, x/ks, ck/k
    (r"c(?=[eiy])", "s"), (r"c(?!h)", "k"), (r"z", "s"),        # c/s, c/k, z/s
    (r"ch(?=t)", "g"),                                          # opdracht/opdragt, toezicht/toezigt
    (r"ij|ei|(?<![aeiou])(ie|y)", "i"),                         # ij/ei/y/ie/i (not the "ie" of "maaien")
    (r"ou", "au"),                                              # ou/au
    (r"dt$|d$", "t"),                                           # word-final dt/d/t
    (r"(.)\1+", r"\1"),                                        # double/single letters
))


@lru_cache(maxsize=16384)
def sound(word: str) -> str:
    """A phonetic key of a normalised word, for typo tolerance: words that sound alike in Dutch or
    English spelling ("privasy", "privacy") get the same key."""
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


def contains_phrase(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    return find_phrase(tokens, phrase) is not None


GAP = "..."


def find_phrase(tokens: list[str], phrase: tuple[str, ...]) -> int | None:
    """Where the phrase first occurs in the tokens (word for word), or None. A phrase of the
    form (first, "...", last) allows other words between ("vraag ik een paspoort aan")."""
    size = len(phrase)
    if not size:
        return None
    if size == 3 and phrase[1] == GAP:
        first = tokens.index(phrase[0]) if phrase[0] in tokens else -1
        return first if first >= 0 and phrase[2] in tokens[first + 1:] else None
    first = phrase[0]
    for i in range(len(tokens) - size + 1):
        if tokens[i] == first and tuple(tokens[i:i + size]) == phrase:
            return i
    return None


def detect_language(tokens: list[str], lexicon: dict[str, Language],
                    resources: LanguageResources) -> Language:
    """Dutch unless the question has more English than Dutch words (stopwords and policy vocabulary)."""
    votes = {"nl": 0, "en": 0}
    for token in tokens:
        in_nl = token in resources.stopwords["nl"]
        in_en = token in resources.stopwords["en"]
        if in_nl != in_en:
            votes["nl" if in_nl else "en"] += 1
        elif not in_nl and token in lexicon:
            votes[lexicon[token]] += 1
    return "en" if votes["en"] > votes["nl"] else "nl"
