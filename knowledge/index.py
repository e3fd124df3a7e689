"""Search index over the policy: vocabulary, concept phrases, and weighted terms per statement.

Words are turned into *terms*: a stem ("controleert" -> "control") or a concept for a known
phrase ("data protection impact assessment" -> "g:dpia", "security officer" -> "r:ciso",
"crisisteam" -> "m:ict-crisisoverleg"). Statements and meetings are *candidates*; a question
is scored against each candidate by the share of its (idf-weighted) words the candidate covers.

Every content word of a question gets a *class* that says what it tells about the question:

    role      part of a role's name ("de CISO")
    meeting   part of a meeting's name ("crisisoverleg")
    topic     a glossary topic: a subject of the policy ("DPIA", "datalek", "capaciteit")
    context   a glossary context word: policy vocabulary that is also common outside it
              ("systeem", "budget", "team"); it helps choose a statement but does not make
              a question about the policy
    domain    names the whole domain ("informatiebeveiliging", "volgens het beleid")
    framing   a common word for the domain ("beveiliging", "security"): like domain, but no anchor
    action    a glossary action ("melden", "controleren")
    known     a word of a statement's wording or keywords without a glossary meaning
    outside   a word of an outside topic in language.yaml ("printer", "verlof", "aanschaf")
    unknown   anything else; it weighs little, so chatty questions are not diluted

The engine decides from these classes whether the policy covers a question (see
Analysis.anchors and engine.Answerer._in_scope).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

from knowledge.policy import LANGUAGES, Language, Meeting, Policy, Role, Statement, Text
from knowledge.text import (
    GAP,
    LanguageResources,
    OutsideTopic,
    contains_phrase,
    detect_language,
    find_phrase,
    sound,
    stem,
    tokenize,
)

ROLE_PREFIX = "r:"
MEETING_PREFIX = "m:"
TERM_PREFIX = "g:"

KEYWORD_WEIGHT = 1.0  # a statement's keywords say what it is about
TEXT_WEIGHT = 0.6     # its wording only partly does
NAME_WEIGHT = 1.0     # a meeting's name and aliases
COMPOUND_QUALITY = 0.8  # an unknown compound ("zaaksysteem") only roughly means its known parts
# How much a question word the policy never uses counts when matching. In a question that names
# a policy topic it is mostly chat ("ik twijfel of we een bestand met persoonsgegevens mogen
# delen"): a share of the average policy term. In a question that names none it may well be
# the subject ("wie regelt de beveiliging bij een evenement"): relative to the rarest policy
# term, the last content word most (it is usually the subject), earlier ones a little less.
UNKNOWN_SHARE = 0.3
UNKNOWN_SUBJECT_FACTOR = 1.25
UNKNOWN_INNER_FACTOR = 0.8
GAPPED_FACTOR = 0.5   # each word of a two-word topic with a word between them
BROADER_FACTOR = 0.7  # a statement naming only the wider term ("plan") covers "beveiligingsplan" this much
KNOWN_SHARE = 0.6     # a word known only from some statement's wording counts at most as an average term
DOMAIN_SHARE = 0.4    # "informatiebeveiliging": every statement is about it, so it decides little
MAX_PHRASE = 6
MIN_COMPOUND_PART = 5
# Typo tolerance (see Index._read_typo). A question word that is no known word (policy vocabulary,
# small words, the words of language.yaml and words.yaml) nor a form of one is read as the known
# word nearest to it, when that word is clearly nearer than any other. The cost of a typo: its
# edits (a letter replaced, added, left out, two swapped: 1 each), or where the words sound alike
# (text.sound: c/k/s/z, ph/f, y/ij/ei/ie, dt/d/t endings, double letters) SOUND_COST per edit.
MIN_TYPO_LENGTH = 4      # shorter words are never typos; words of this length only swap or leave out a letter
TYPO_BUDGET = ((12, 2.0), (9, 1.5), (4, 1.0))  # (from length, the most a typo may cost): longer words, more
MIN_COMPOUND_TYPO = 10   # from this length a word may be a compound with a typo in one part
SOUND_COST = 0.5         # a letter spelled as it sounds is half a typo ("privasy" 0.5, "privacie" 1)
NEIGHBOUR_COST = 0.5     # so is a slip of the fingers: a letter replaced by its neighbour on the keyboard ("audiy":
                         # audit, not audio) or two letters swapped
TYPO_MARGIN = 0.5        # the runner-up (another word, not another form of it) must be this much further
_SENTENCE_END = re.compile(r"[.?!;]+")
_CLAUSE_END = re.compile(r"[.;:,()]+")  # a Dutch separable verb and its particle stand in one clause  # an outside word inside an unknown compound ("koffiemachine") counts from this length

TokenClass = Literal["role", "meeting", "topic", "context", "domain", "framing", "action", "known", "outside",
                     "unknown"]


@dataclass(frozen=True)
class Token:
    """A content word of a question (after stopwords), possibly typo-corrected or split."""

    surface: str
    stems: tuple[str, ...]  # main stem first; more for separable verbs ("stelt ... op")
    quality: float = 1.0    # lower for compound parts (a typo-corrected word counts as the word: it is only
                            # corrected when one known word is clearly nearest)
    word: int = -1          # index in Analysis.words of the (first) question word it comes from
    source: str = ""        # that question word as typed (after normalising)


@dataclass(frozen=True)
class Feature:
    term: str
    start: int     # token span [start, end)
    end: int
    size: int = 1  # question words it spans, small words included ("has an owner": 3)
    factor: float = 1.0  # less than 1 for the wider term of a term ("plan" for "beveiligingsplan")


@dataclass(frozen=True)
class Mention:
    id: str
    start: int
    end: int


@dataclass(frozen=True)
class OutsideHit:
    """A question word (or phrase) that belongs to a topic outside the policy."""

    words: str
    topic: str
    decisive: bool


@dataclass
class Analysis:
    """Everything the engine needs to know about one question."""

    words: list[str]                 # all normalised words, stopwords included
    tokens: list[Token]              # content words
    features: list[Feature]
    roles: list[Mention]             # roles named in the question, in order
    meetings: list[Mention]
    language: Language
    is_who: bool                     # asks "who"
    asks_recipient: bool             # asks to whom ("aan wie rapporteert de CISO")
    asks_relation: bool              # "who is responsible for the DSPOs": a role as object
    member_cue: bool                 # asks who takes part ("wie zit in", "who attends")
    first_person: bool               # the asker speaks of themself ("bij wie meld ik")
    framing: frozenset[int] = frozenset()  # words that only name the domain ("informatiebeveiliging")
    ngrams: frozenset[tuple[str, ...]] = frozenset()  # stems of every run of 2+ content words
    stems: list[str] = field(default_factory=list)  # stems of all words, stopwords included
    classes: list[TokenClass] = field(default_factory=list)  # per token, see the module docstring
    weights: list[float] = field(default_factory=list)       # per token: how much it counts in matching
    outside: list[OutsideHit] = field(default_factory=list)
    duty_cue: bool = False           # "wat doet ...", "what role does ... play"
    identity_role: str | None = None  # "wie is de FG": the role right after "wie is"
    chair_cue: bool = False          # "wie zit het overleg voor", "who chairs"
    optional_cue: bool = False       # "wie kan eventueel aanschuiven", "who may join"
    frequency_cue: bool = False      # "hoe vaak", "how often"
    besides_cue: bool = False        # "naast", "besides", "apart from"
    besides_roles: list[str] = field(default_factory=list)  # "naast het college", "besides the DSPO": not the answer
    between_cue: bool = False        # "welke rol staat tussen het college en de managers"
    between_roles: list[str] = field(default_factory=list)  # the college and the managers
    receiving_roles: list[str] = field(default_factory=list)  # "hiaten aan de leidinggevende melden": the object
    asking_roles: list[str] = field(default_factory=list)  # "the council wants a check, who can they ask"
    core_cue: bool = False           # "de vaste leden", "the core members"
    object_roles: list[str] = field(default_factory=list)  # roles named in a sentence that asks "who"
    subject_roles: list[str] = field(default_factory=list)  # the first role named in a sentence that does not
    typos: dict[str, str] = field(default_factory=dict)  # word as typed -> the word it is read as


    @property
    def role_ids(self) -> list[str]:
        return list(dict.fromkeys(m.id for m in self.roles))

    @property
    def terms(self) -> frozenset[str]:
        """Every term the question names: concepts and stems."""
        return frozenset(f.term for f in self.features)

    def topic_positions(self) -> list[int]:
        """Content words that are not part of a role name, not mere framing and not outside."""
        covered = {i for m in self.roles for i in range(m.start, m.end)} | self.framing
        return [i for i in range(len(self.tokens)) if i not in covered and self.classes[i] != "outside"]

    def positions(self, *kinds: TokenClass) -> list[int]:
        return [i for i, kind in enumerate(self.classes) if kind in kinds]

    @property
    def anchors(self) -> list[str]:
        """The words that make this a question about the policy: a topic, a meeting, the domain
        named unmistakably ("informatieveiligheid"), or a policy action on a role in a who-question
        ("wie controleert het college")."""
        found = self.positions("topic", "meeting", "domain")
        if self.is_who and self.positions("role") and self.positions("action"):
            found += self.positions("role", "action")
        return [self.tokens[i].surface for i in sorted(set(found))]

    @property
    def topics(self) -> list[str]:
        """The anchors that name a subject: a topic, a meeting or the domain (not a role and a verb)."""
        return [self.tokens[i].surface for i in self.positions("topic", "meeting", "domain")]

    @property
    def unknown(self) -> list[str]:
        return [self.tokens[i].surface for i in self.positions("unknown")]


@dataclass(frozen=True)
class Candidate:
    """A statement or a meeting a question can be about, with its weighted terms."""

    terms: dict[str, float]
    weight: float
    keyword_phrases: frozenset[tuple[str, ...]] = frozenset()  # multi-word keywords, stemmed content words
    exact_phrases: tuple[tuple[str, ...], ...] = ()  # keywords with small words ("every system"), all words stemmed
    concept_sets: tuple[frozenset[str], ...] = ()  # keywords that relate to a role, as sets of concepts ("controleert
                                                   # het college": control + the college), in any order or wording
    statement: Statement | None = None
    meeting: Meeting | None = None


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    coverage: float         # share of the question's weight this candidate covers, 0..1
    topic_coverage: float = 1.0   # share of the weight of the question's topics it covers (1 if none)
    action_coverage: float = 1.0  # share of the weight of the question's actions (verbs) it covers (1 if none)
    covered: tuple[float, ...] = ()  # per question word: the weight it covers


class Index:
    def __init__(self, policy: Policy, resources: LanguageResources) -> None:
        self.policy = policy
        self.resources = resources
        self._stopwords = resources.all_stopwords
        self.vocabulary, self.lexicon = self._collect_vocabulary()
        # The lexicon a typo is measured against: the policy's words, the small words, and the real
        # words of the language resources (cue phrases, outside topics, everyday words): "leden" is
        # no "leiden", "politie" no "politiek", "supplier" no "supplies". By the first letter of
        # their sound ("krisis" is looked for among the c-words too).
        real = resources.known_words | resources.everyday_words
        self._meaningful = self.vocabulary | self._stopwords | resources.known_words  # all but everyday words
        self._lexicon = self._meaningful | real
        self._typo_targets: dict[str, tuple[list[str], list[str]]] = {}
        for word in sorted(self._lexicon):
            if len(word) >= MIN_TYPO_LENGTH - 1 and word.isalpha():
                key = sound(word)
                for initial in {word[0], key[0]}:
                    words, sounds = self._typo_targets.setdefault(initial, ([], []))
                    words.append(word)
                    sounds.append(key)
        self._typo_reading = lru_cache(maxsize=8192)(self._read_typo)  # type: ignore[method-assign]
        # The roles a policy text names do not change: computed once per text.
        self.roles_named_in = lru_cache(maxsize=1024)(self.roles_named_in)  # type: ignore[method-assign]
        self.recipients_named_in = lru_cache(maxsize=1024)(self.recipients_named_in)  # type: ignore[method-assign]
        self._split_compound = lru_cache(maxsize=8192)(self._split)
        self._outside_word = lru_cache(maxsize=8192)(self._outside_topic)
        self._known_stems = {stem(word) for word in self.vocabulary}
        self._phrases, self._raw_phrases = self._collect_phrases()
        self._raw_by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in self._raw_phrases:
            self._raw_by_first.setdefault(key[0], []).append(key)
        self._name_words = {w for r in policy.roles for a in r.aliases.all for w in tokenize(a)} | {
            w for m in policy.meetings for a in (*m.aliases.all, m.name.nl, m.name.en) for w in tokenize(a)}
        self._outside_words: dict[str, OutsideTopic] = {}
        for topic in resources.outside:
            for word in topic.words:
                self._outside_words.setdefault(word, topic)
                if stem(word) not in self._known_stems:  # "plant" is outside, but its stem "plan" is policy
                    self._outside_words.setdefault(stem(word), topic)
        self._outside_parts = sorted((w for w in self._outside_words if len(w) >= MIN_COMPOUND_PART),
                                     key=len, reverse=True)
        self.term_kinds = {TERM_PREFIX + t.id: t.kind for t in policy.glossary}
        self.broader = {TERM_PREFIX + t.id: TERM_PREFIX + t.broader for t in policy.glossary if t.broader}
        self.candidates = self._build_candidates()
        document_frequency = Counter(term for c in self.candidates for term in c.terms)
        total = len(self.candidates)
        self.idf = {term: math.log(1 + total / df) for term, df in document_frequency.items()}
        self.mean_idf = sum(self.idf.values()) / len(self.idf)
        self.unknown_weight = UNKNOWN_SHARE * self.mean_idf
        self.unknown_subject_weight = UNKNOWN_SUBJECT_FACTOR * max(self.idf.values())
        self.unknown_inner_weight = UNKNOWN_INNER_FACTOR * max(self.idf.values())
        self.domain_weight = DOMAIN_SHARE * self.mean_idf
        self.known_weight = KNOWN_SHARE * self.mean_idf
        # The most a term can contribute anywhere: a word known only from statement wording
        # (TEXT_WEIGHT) matters less in a question than a keyword or a glossary term.
        self._strength = {term: max(c.terms.get(term, 0.0) for c in self.candidates) for term in self.idf}

    # ----- building -------------------------------------------------------------------

    def _texts(self) -> Iterable[tuple[str, Language | None]]:
        """Every text in the policy, with its language when it has exactly one."""
        for role in self.policy.roles:
            for language in LANGUAGES:
                yield from ((alias, language) for alias in role.aliases.get(language))
            for statement in role.statements:
                yield statement.text.nl, "nl"
                yield statement.text.en, "en"
                yield from ((keyword, None) for keyword in statement.keywords)
        for meeting in self.policy.meetings:
            for language in LANGUAGES:
                yield meeting.name.get(language), language
                yield meeting.purpose.get(language), language
                yield meeting.frequency.get(language), language
                yield from ((alias, language) for alias in meeting.aliases.get(language))
            for participant in (*meeting.conditional, *meeting.optional):
                yield participant.note.nl, "nl"
                yield participant.note.en, "en"
        for term in self.policy.glossary:
            yield from ((synonym, None) for synonym in term.synonyms)

    def _collect_vocabulary(self) -> tuple[set[str], dict[str, Language]]:
        vocabulary: set[str] = set()
        seen_in: dict[str, set[Language]] = {}
        for text, language in self._texts():
            for word in tokenize(text):
                if word in self._stopwords:
                    continue
                vocabulary.add(word)
                if language:
                    seen_in.setdefault(word, set()).add(language)
        lexicon = {word: next(iter(langs)) for word, langs in seen_in.items() if len(langs) == 1}
        return vocabulary, lexicon

    def _collect_phrases(self) -> tuple[dict[tuple[str, ...], set[str]], dict[tuple[str, ...], set[str]]]:
        """Stemmed phrase -> concepts: glossary synonyms, role aliases, meeting names.

        A phrase is matched on its content words ("data protection impact assessment"), so
        words between them do not matter. A phrase that is mostly stopwords ("in charge",
        "step in", "buy-in", "de raad") would shrink to one common word that way; it is
        matched word for word instead (the second dict, on all words of the question).
        """
        named: list[tuple[str, str]] = [(s, TERM_PREFIX + t.id) for t in self.policy.glossary for s in t.synonyms]
        named += [(a, ROLE_PREFIX + r.id) for r in self.policy.roles for a in r.aliases.all]
        named += [(a, MEETING_PREFIX + m.id) for m in self.policy.meetings
                  for a in (*m.aliases.all, m.name.nl, m.name.en)]
        phrases: dict[tuple[str, ...], set[str]] = {}
        raw: dict[tuple[str, ...], set[str]] = {}
        for text, concept in named:
            words = tokenize(text)
            key = self._stem_phrase(text)
            if len(words) > 1 and len(key) < 2:
                raw.setdefault(tuple(stem(w) for w in words), set()).add(concept)
            elif key:
                phrases.setdefault(key, set()).add(concept)
                if len(key) == 2 and concept.startswith(TERM_PREFIX):  # "scherm ontgrendeld" / "ontgrendeld scherm"
                    phrases.setdefault(key[::-1], set()).add(concept)
        return phrases, raw

    def _stem_phrase(self, text: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in self._join_compounds([w for w in tokenize(text) if w not in self._stopwords]))

    def _build_candidates(self) -> list[Candidate]:
        candidates = []
        for statement in self.policy.statements:
            terms: dict[str, float] = {}
            self._add_terms(terms, [statement.text.nl], TEXT_WEIGHT, dutch=True)
            self._add_terms(terms, [statement.text.en], TEXT_WEIGHT)
            self._add_terms(terms, statement.keywords, KEYWORD_WEIGHT)
            phrases = frozenset(p for p in map(self._stem_phrase, statement.keywords) if len(p) > 1)
            exact = tuple(tuple(stem(w) for w in tokenize(k)) for k in statement.keywords
                          if len(tokenize(k)) > len(self._stem_phrase(k)) >= 1)
            concepts = tuple(dict.fromkeys(c for c in map(self._concept_set, statement.keywords)
                                           if len(c) > 1 and any(t.startswith(ROLE_PREFIX) for t in c)))
            candidates.append(Candidate(terms=terms, weight=statement.weight, keyword_phrases=phrases,
                                        exact_phrases=exact, concept_sets=concepts, statement=statement))
        for meeting in self.policy.meetings:
            terms = {MEETING_PREFIX + meeting.id: NAME_WEIGHT}
            self._add_terms(terms, [meeting.name.nl, meeting.name.en, *meeting.aliases.all], NAME_WEIGHT)
            for text in (meeting.name.nl, meeting.name.en, *meeting.aliases.all):  # "ICT", "crisis" on their own too
                for token in self._policy_tokens(tokenize(text)):
                    for term in token.stems:
                        terms[term] = max(terms.get(term, 0.0), NAME_WEIGHT)
            self._add_terms(terms, [meeting.purpose.nl, meeting.purpose.en,
                                    meeting.frequency.nl, meeting.frequency.en], TEXT_WEIGHT)
            candidates.append(Candidate(terms=terms, weight=1.0, meeting=meeting))
        for candidate in candidates:  # a statement about a "beveiligingsplan" is about a "plan"
            for term, weight in list(candidate.terms.items()):
                wider = self.broader.get(term)
                while wider:
                    candidate.terms[wider] = max(candidate.terms.get(wider, 0.0), weight)
                    wider = self.broader.get(wider)
        framing = [TERM_PREFIX + t.id for t in self.policy.glossary if t.kind == "framing"]
        domain = {TERM_PREFIX + t.id for t in self.policy.glossary if t.kind == "domain"}
        for candidate in candidates:  # a statement about "informatiebeveiliging" is about "beveiliging"
            strength = max((w for t, w in candidate.terms.items() if t in domain), default=0.0)
            for term in framing if strength else ():
                candidate.terms[term] = max(candidate.terms.get(term, 0.0), strength)
        return candidates

    def _concept_set(self, keyword: str) -> frozenset[str]:
        """A keyword as the concepts it names (and the stems of its other words): "holds the
        college to account" is {r:college, g:aanspreken}, as is "het college aanspreken"."""
        words = tokenize(keyword)
        tokens = self._policy_tokens(words)
        features = _drop_nested([*self._features(tokens, words), *self._raw_features(words, tokens)])
        concepts = {f.term for f in features if ":" in f.term}
        covered = {i for f in features if ":" in f.term for i in range(f.start, f.end)}
        return frozenset(concepts | {t.stems[0] for i, t in enumerate(tokens) if i not in covered})

    def _add_terms(self, terms: dict[str, float], texts: Iterable[str], weight: float,
                   dutch: bool = False) -> None:
        """The terms of policy texts. In Dutch wording a separable verb is read per clause, as in
        a question: "stelt het gewenste niveau ... vast" is "vaststellen"."""
        for text in texts:
            for clause in _CLAUSE_END.split(text) if dutch else [text]:
                words = tokenize(clause)
                tokens = self._policy_tokens(words, dutch)
                for feature in [*self._features(tokens, words), *self._raw_features(words, tokens)]:
                    terms[feature.term] = max(terms.get(feature.term, 0.0), weight)

    def _policy_tokens(self, words: list[str], dutch: bool = False) -> list[Token]:
        """Tokens of a policy text: no typo correction needed."""
        content = self._join_compounds_indexed([(i, w) for i, w in enumerate(words) if w not in self._stopwords])
        return [Token(w, self._stems(w, self._particles_after(words, i, "nl") if dutch else []), word=i, source=w)
                for i, w in content]

    def meeting_own_candidate(self, meeting: Meeting, keep: frozenset[str] = frozenset()) -> Candidate:
        """What names a meeting and its purpose, without the everyday words in its name (but the
        terms in `keep`, such as "overleg"): the "team" of "crisisteam" says nothing about departments."""
        own = next(c.terms for c in self.candidates if c.meeting is meeting)
        return Candidate(terms={t: w for t, w in own.items() if self.term_kinds.get(t) != "context" or t in keep},
                         weight=1.0)

    def note_candidate(self, note: Text, meeting: Meeting, keep: frozenset[str] = frozenset()) -> Candidate:
        """A meeting member's note ("de DSPO stemt vooraf af met de proceseigenaar") as a
        candidate: only the words it adds to the meeting's own (its name, its purpose)."""
        terms: dict[str, float] = {}
        self._add_terms(terms, [note.nl], KEYWORD_WEIGHT, dutch=True)
        self._add_terms(terms, [note.en], KEYWORD_WEIGHT)
        own = self.meeting_own_candidate(meeting, keep).terms
        return Candidate(terms={t: w for t, w in terms.items() if t not in own}, weight=1.0)

    # ----- questions ------------------------------------------------------------------

    def analyse(self, question: str) -> Analysis:
        typos: dict[str, str] = {}  # word as typed -> the known word it is read as
        sentences = [self.resources.rewrite(self._correct_typos(tokenize(part), typos))
                     for part in _SENTENCE_END.split(question)]
        words = [word for sentence in sentences for word in sentence]
        sentence_of = [n for n, sentence in enumerate(sentences) for _ in sentence]
        who_sentences = {n for n, sentence in enumerate(sentences)
                         if any(contains_phrase(sentence, p) for p in self.resources.who_words)}
        language = detect_language(words, self.lexicon, self.resources)
        small = self._stopwords | self.resources.false_friends.get(language, frozenset())  # Dutch "direct"
        content = self._join_compounds_indexed([(i, w) for i, w in enumerate(words) if w not in small])
        tokens = [token for index, word in content
                  for token in self._understand(word, self._particles_after(words, index, language), index)]
        tokens = self._drop_used_particles(tokens, words, language)
        outside_spans = self._outside_phrases(words, tokens)
        features = [f for f in [*self._features(tokens, words), *self._raw_features(words, tokens)]
                    if not any(s <= f.start and f.end <= e for s, e, _ in outside_spans)]
        features = _drop_nested(features)
        features += [Feature(self.broader[f.term], f.start, f.end, f.size, BROADER_FACTOR)
                     for f in features if f.term in self.broader]
        roles = self._mentions(features, ROLE_PREFIX)
        meetings = self._mentions(features, MEETING_PREFIX)
        classes, outside = self._classify(tokens, features, outside_spans)
        resources = self.resources
        analysis = Analysis(
            words=words,
            tokens=tokens,
            features=features,
            roles=[m for m in roles if classes[m.start] == "role"],
            meetings=[m for m in meetings if classes[m.start] == "meeting"],
            language=language,
            is_who=any(contains_phrase(words, p) for p in resources.who_words),
            asks_recipient=any(contains_phrase(words, p) for p in resources.recipient_cues)
            or any(w in resources.receive_cues for w in words)
            or words[-1:] in (["to"], ["under"], ["onder"]),  # "who does the CISO report to", "... valt de CISO onder"
            asks_relation=any(w in resources.relation_words for w in words),
            member_cue=any(contains_phrase(words, p) for p in resources.member_cues),
            first_person=any(w in resources.first_person for w in words),
            framing=frozenset(i for i, kind in enumerate(classes) if kind in ("domain", "framing")),
            ngrams=frozenset(tuple(t.stems[0] for t in tokens[i:j]) for i in range(len(tokens))
                             for j in range(i + 2, min(len(tokens), i + MAX_PHRASE) + 1)),
            stems=[stem(w) for w in words],
            classes=classes,
            outside=outside,
            duty_cue=any(contains_phrase(words, p) for p in resources.duty_cues),
            chair_cue=self._asks_chair(words),
            optional_cue=any(contains_phrase(words, p) for p in resources.optional_cues),
            frequency_cue=any(contains_phrase(words, p) for p in resources.frequency_cues),
            besides_cue=any(contains_phrase(words, p) for p in resources.extra_cues["besides_cues"]),
            between_cue=any(contains_phrase(words, p) for p in resources.extra_cues["between_cues"]),
            core_cue=any(contains_phrase(words, p) for p in resources.extra_cues["core_member_cues"]),
            typos=typos,
        )
        analysis.weights = self._token_weights(analysis)
        # "Mag mijn manager dit delegeren? Wie blijft verantwoordelijk?": the manager is not the object of "wie"
        analysis.object_roles = list(dict.fromkeys(m.id for m in analysis.roles
                                                   if sentence_of[tokens[m.start].word] in who_sentences))
        firsts: dict[int, str] = {}
        for mention in analysis.roles:
            firsts.setdefault(sentence_of[tokens[mention.start].word], mention.id)
        analysis.subject_roles = list(dict.fromkeys(r for n, r in firsts.items() if n not in who_sentences))
        analysis.identity_role = self._identity_role(analysis)
        analysis.besides_roles = self._roles_after_cue(analysis, resources.extra_cues["besides_cues"])
        analysis.between_roles = self._roles_after_cue(analysis, resources.extra_cues["between_cues"])
        analysis.asking_roles = self._asking_roles(analysis)
        analysis.receiving_roles = self._roles_after_cue(analysis, tuple((w,) for w in resources.receiving_prepositions))
        analysis.asks_recipient = analysis.asks_recipient or self._recipient_after_role(analysis)
        return analysis

    def _classify(self, tokens: list[Token], features: list[Feature],
                  outside_spans: list[tuple[int, int, OutsideTopic]]) -> tuple[list[TokenClass], list[OutsideHit]]:
        """The class of every token (see the module docstring), and the outside words found."""
        classes: list[TokenClass] = []
        hits = [OutsideHit(topic.name, topic.name, topic.decisive) for s, e, topic in outside_spans if s < 0]
        for i, token in enumerate(tokens):
            here = [f for f in features if f.start <= i < f.end and ":" in f.term and f.factor != BROADER_FACTOR]
            in_phrase = any(f.end - f.start > 1 for f in here)
            span_topic = next((t for s, e, t in outside_spans if s <= i < e), None)
            word_topic = None if in_phrase else self._outside_word(token.source or token.surface)
            topic = span_topic or word_topic
            if topic is not None:
                classes.append("outside")
                if span_topic is None or i == next(s for s, e, t in outside_spans if s <= i < e):
                    hits.append(OutsideHit(token.source or token.surface, topic.name, topic.decisive))
                continue
            classes.append(self._concept_class(here) or (
                "known" if any(stem in self._strength for stem in token.stems) else "unknown"))
        return classes, hits

    def _concept_class(self, here: list[Feature]) -> TokenClass | None:
        """The class a token gets from the concepts covering it: role > meeting > topic >
        context > domain > action, except that a framing phrase ("volgens het beleid",
        "according to the policy") makes its words framing, though "beleid" alone is context."""
        kinds: set[TokenClass] = set()
        for feature in here:
            if feature.term.startswith(ROLE_PREFIX):
                kinds.add("role")
            elif feature.term.startswith(MEETING_PREFIX):
                kinds.add("meeting")
            else:
                kind = self.term_kinds.get(feature.term, "topic")
                if kind == "domain" and feature.end - feature.start > 1:
                    kinds.add("domain-phrase")  # type: ignore[arg-type]
                kinds.add(kind)  # type: ignore[arg-type]
        if "domain" in kinds and "framing" in kinds:  # "informatie beveiliging": the domain
            kinds.discard("framing")  # type: ignore[arg-type]
        for kind in ("role", "meeting", "domain-phrase", "topic", "context", "domain", "framing", "action"):
            if kind in kinds:
                return "domain" if kind == "domain-phrase" else kind  # type: ignore[return-value]
        return None

    def _outside_topic(self, word: str) -> OutsideTopic | None:
        """The outside topic of a question word: the word itself, or for a word the policy
        does not use, a part of the compound ("koffiemachine", "parkeergarage").
        Cached as self._outside_word."""
        found = self._outside_words.get(word) or self._outside_words.get(stem(word))
        if found or word in self.vocabulary or len(word) < MIN_COMPOUND_PART + 2:
            return found
        for part in self._outside_parts:
            if len(part) < len(word) and (word.startswith(part) or word.endswith(part)):
                return self._outside_words[part]
        return None

    def _outside_phrases(self, words: list[str], tokens: list[Token]) -> list[tuple[int, int, OutsideTopic]]:
        """Token spans of multi-word outside entries ("autoriteit persoonsgegevens")."""
        spans = []
        for topic in self.resources.outside:
            for phrase in topic.phrases:
                start = find_phrase(words, phrase)
                if start is None:
                    continue
                end = start + len(phrase) if GAP not in phrase else words.index(phrase[-1], start + 1) + 1
                inside = [i for i, t in enumerate(tokens) if start <= t.word < end]
                spans.append((inside[0], inside[-1] + 1, topic) if inside else (-1, -1, topic))  # "hoe laat": no content word
        return spans

    def _asks_chair(self, words: list[str]) -> bool:
        """"Wie is de voorzitter", "who chairs", and the split Dutch verb "wie zit het overleg voor"."""
        if any(contains_phrase(words, p) for p in self.resources.chair_cues):
            return True
        return words[:1] == ["wie"] and any(w in ("zit", "zitten") for w in words[1:3]) and words[-1:] == ["voor"]

    def _identity_role(self, analysis: Analysis) -> str | None:
        """The role in "wie is de FG", "who is the mayor of Helmond", "wat is de IBD": named right
        after the cue (a determiner may stand between), not as a possessor ("the DSPO's boss")."""
        words = analysis.words
        for cue in self.resources.identity_cues:
            start = find_phrase(words, cue)
            if start is None:
                continue
            position = start + len(cue)
            while position < len(words) and words[position] in self.resources.determiners:
                position += 1
            for mention in analysis.roles:
                first = analysis.tokens[mention.start].word
                last = analysis.tokens[mention.end - 1].word
                if first == position and words[last + 1:last + 2] != ["s"]:
                    return mention.id
        return None

    def _asking_roles(self, analysis: Analysis) -> list[str]:
        """Roles named before the who-word that a pronoun after it stands for: in "de raad wil een
        onafhankelijke toets, wie kunnen ze vragen" the council asks, it is not the answer."""
        words = analysis.words
        starts = [start for p in self.resources.who_words if (start := find_phrase(words, p)) is not None]
        if not starts:
            return []
        who = min(starts)
        if not any(w in self.resources.asker_pronouns for w in words[who + 1:who + 4]):
            return []
        return list(dict.fromkeys(m.id for m in analysis.roles if analysis.tokens[m.start].word < who))

    def _roles_after_cue(self, analysis: Analysis, cues: tuple[tuple[str, ...], ...]) -> list[str]:
        """Roles named right after a cue, with the roles listed with them: "naast het college",
        "besides the DSPO and the CISO" (determiners and list words may stand between)."""
        words, small = analysis.words, self.resources.determiners | self.resources.list_words
        starts = [find_phrase(words, cue) for cue in cues]
        ends = sorted(start + len(cue) for start, cue in zip(starts, cues) if start is not None)
        found = []
        for end in ends:
            position = end
            for mention in analysis.roles:
                first = analysis.tokens[mention.start].word
                if first < position:
                    continue
                if any(w not in small for w in words[position:first]):
                    break
                found.append(mention.id)
                position = analysis.tokens[mention.end - 1].word + 1
        return list(dict.fromkeys(found))

    def _recipient_after_role(self, analysis: Analysis) -> bool:
        """"Which roles does the DSPO report to": a role, then "report to"."""
        if not analysis.roles or not analysis.is_who:
            return False
        first_role_word = analysis.tokens[analysis.roles[0].start].word
        for cue in self.resources.recipient_cues_after_role:
            start = find_phrase(analysis.words, cue)
            if start is not None and start > first_role_word:
                return True
        return False

    def _drop_used_particles(self, tokens: list[Token], words: list[str], language: Language) -> list[Token]:
        """The particle of a separable verb is part of the verb, not a word of its own: in "legt de
        directie verantwoording af" the "af" belongs to "afleggen"."""
        used = set()
        for token in tokens:
            for particle in self._particles_after(words, token.word, language):
                if stem(particle + token.surface) in token.stems[1:]:
                    used.add(words.index(particle, token.word + 1))
                    break
        return [t for t in tokens if not (t.word in used and t.surface in self.resources.particles)]

    def _particles_after(self, words: list[str], index: int, language: Language) -> list[str]:
        """Dutch separable-verb particles that follow the word: "stelt een DPIA op"."""
        if language != "nl":
            return []
        return [w for w in words[index + 1:] if w in self.resources.particles]

    def roles_named_in(self, text: str) -> list[str]:
        """Role ids a policy text names, in order ("... aan de directie en/of portefeuillehouder")."""
        words = tokenize(text)
        tokens = self._policy_tokens(words)
        features = _drop_nested_names([*self._features(tokens, words), *self._raw_features(words, tokens)])
        return list(dict.fromkeys(m.id for m in self._mentions(features, ROLE_PREFIX)))

    def name_terms(self, role: Role) -> list[frozenset[str]]:
        """The glossary topics in each of a role's names: "ambtelijk opdrachtgever" is
        {ambtelijk, opdrachtgever}; a name without any ("CISO") has none."""
        found = []
        for name in (role.name.nl, role.name.en, *role.aliases.all):
            words = tokenize(name)
            tokens = self._policy_tokens(words)
            terms = frozenset(f.term for f in [*self._features(tokens, words), *self._raw_features(words, tokens)]
                              if self.term_kinds.get(f.term) == "topic")
            if terms:
                found.append(terms)
        return found

    def recipients_named_in(self, text: str) -> list[str]:
        """Role ids a policy text names as the ones something goes to: after "aan", "voor", "to",
        "for", with the roles listed with them ("rapporteert aan de afdelingsmanager, de CISO en
        de FG"), not the roles elsewhere in the text ("laat afdelingsmanagers zich verantwoorden,
        rapporteert aan het college")."""
        words = tokenize(text)
        tokens = self._policy_tokens(words)
        features = _drop_nested_names([*self._features(tokens, words), *self._raw_features(words, tokens)])
        mentions = self._mentions(features, ROLE_PREFIX)
        to, articles = self.resources.recipient_prepositions, self.resources.determiners
        listing = self.resources.list_words | articles
        found: list[str] = []
        previous_end = None  # word index after the last recipient, while a list goes on
        for mention in mentions:
            first, last = tokens[mention.start].word, tokens[mention.end - 1].word
            small = first
            while small and words[small - 1] in articles:
                small -= 1
            after_to = bool(small) and words[small - 1] in to
            listed = previous_end is not None and all(w in listing for w in words[previous_end:first])
            if after_to or listed:
                found.append(mention.id)
                previous_end = last + 1
            else:
                previous_end = None
        return list(dict.fromkeys(found))

    def _join_compounds(self, words: list[str]) -> list[str]:
        return [w for _, w in self._join_compounds_indexed(list(enumerate(words)))]

    def _join_compounds_indexed(self, words: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Write two words as one where the policy does: "crisis team" -> "crisisteam"; only
        words next to each other ("elk systeem een eigenaar" is no "systeemeigenaar")."""
        joined: list[tuple[int, str]] = []
        last = -2  # question word index of the last word joined
        for index, word in words:
            if joined and index == last + 1 and joined[-1][1] + word in self.vocabulary:
                joined[-1] = (joined[-1][0], joined[-1][1] + word)
            else:
                joined.append((index, word))
            last = index
        return joined

    def _understand(self, word: str, particles: list[str], index: int) -> list[Token]:
        """Map a question word (typos already corrected) onto the policy's vocabulary: as is,
        split, or its known last part."""
        if word in self.vocabulary or stem(word) in self._known_stems:
            return [Token(word, self._stems(word, particles), word=index, source=word)]
        parts = self._split_compound(word)
        if parts:
            return [Token(part, (stem(part),), COMPOUND_QUALITY, index, word) for part in parts]
        if word.startswith("ge") and stem(word[2:]) in self._known_stems:  # "gecommuniceerd", "gecontroleerd"
            return [Token(word[2:], self._stems(word[2:], particles), word=index, source=word)]
        tail = self._compound_tail(word)
        if tail:
            return [Token(tail, (stem(tail),), COMPOUND_QUALITY, index, word)]
        return [Token(word, self._stems(word, particles), word=index, source=word)]

    def _stems(self, word: str, particles: list[str]) -> tuple[str, ...]:
        """The word's stem, then other readings: the parts of a compound the policy does not
        name as a whole ("beveiligingsregels" is also "beveiliging" and "regels", but
        "crisisteam" is the crisis team) and the separable verb ("stelt ... op" is "opstellen")."""
        stems = [stem(word)]
        if (stem(word),) not in self._phrases:
            stems += [stem(part) for part in self._split_compound(word) or ()]
        stems += [stem(particle + word) for particle in particles if stem(particle + word) in self._known_stems]
        return tuple(dict.fromkeys(stems))

    def _split(self, word: str) -> tuple[str, str] | None:
        """Split a Dutch compound into two policy words ("ensiarapportage" -> ensia, rapportage).
        Cached as self._split_compound."""
        for cut in range(len(word) - 4, 3, -1):
            head, tail = word[:cut], word[cut:]
            if tail in self.vocabulary:
                if head in self.vocabulary:
                    return head, tail
                if head.endswith("s") and head[:-1] in self.vocabulary:
                    return head[:-1], tail
        return None

    def _compound_tail(self, word: str) -> str | None:
        """The known last part of an unknown compound: "zaaksysteem" -> "systeem"."""
        for cut in range(3, len(word) - 5):
            if word[cut:] in self.vocabulary:
                return word[cut:]
        return None

    def _correct_typos(self, words: list[str], typos: dict[str, str]) -> list[str]:
        """The words with each typo replaced by the known word it stands for (noted in `typos`)."""
        corrected = []
        for word in words:
            reading = self._typo_reading(word)
            if reading:
                typos[word] = reading
            corrected.append(reading or word)
        return corrected

    def _read_typo(self, word: str) -> str | None:
        """The known word a question word is a typo of, or None (cached as self._typo_reading):
        - never for a known word or one shorter than MIN_TYPO_LENGTH;
        - a form of a known word ("bewaarde", "geborgd", "controles", "haalt") stays as it is, unless
          two letters were swapped ("reviewde"), or it sounds exactly like one policy word, small word
          or word of language.yaml with no fewer letters ("lijding", "voorziter", "rapporteerd"; but
          "haalt" is no "halt": a doubled letter is how a form spells a long vowel);
        - a word the policy's stems cover is read as that policy word already: at most spelled right
          ("employese", "verantwoordlijk");
        - a compound of policy words only when it sounds exactly like a known word ("crisissoverleg",
          but "opdrachtnever" is "opdracht" and "never");
        - otherwise the known word clearly nearest to it (see _clearly_nearest), or a compound of two
          policy words with a typo in one (see _compound_typo)."""
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha() or word in self._lexicon:
            return None
        key = sound(word)
        words, sounds = self._typo_targets.get(word[0], ((), ()))
        if key[0] != word[0]:  # "krisis", "ceisis": the c-words and the k-words
            more = [(w, k) for w, k in zip(*self._typo_targets.get(key[0], ((), ()))) if w[0] != word[0]]
            words, sounds = [*words, *(w for w, _ in more)], [*sounds, *(k for _, k in more)]
        costs = _typo_costs(word, key, words, sounds)
        best = _clearly_nearest(word, costs)
        sounds_like = best if best and costs[best][2] == 0 else None  # spelled as it sounds
        forms = [form for form in _lemma_forms(word) if form in self._lexicon]
        if forms:  # an ending of its own, or two letters swapped
            if sounds_like in self._meaningful and len(sounds_like) >= len(word):
                return sounds_like
            spelled = {stem(form) for form in forms} | {stem(word)}
            return best if best and sorted(best) == sorted(word) and stem(best) in spelled else None
        if stem(word) in self._known_stems:  # read as a policy word already; at most spelled right
            if sounds_like in self._meaningful:
                return sounds_like
            return best if best and stem(best) == stem(word) else None
        if self._split_compound(word):
            return sounds_like
        return best or self._compound_typo(word)

    def _compound_typo(self, word: str) -> str | None:
        """A compound of two policy words with a typo in one of them ("privacywakahond",
        "beveiligingstrainiingen"): the compound spelled right, when only one reading fits."""
        if len(word) < MIN_COMPOUND_TYPO:
            return None
        readings = set()
        for cut in range(MIN_TYPO_LENGTH, len(word) - MIN_TYPO_LENGTH + 1):
            head, tail = word[:cut], word[cut:]
            if head in self.vocabulary or (head.endswith("s") and head[:-1] in self.vocabulary):
                if len(tail) >= MIN_COMPOUND_PART and tail not in self._lexicon:
                    read = self._typo_reading(tail)
                    if read in self.vocabulary:
                        readings.add(head + read)
            elif tail in self.vocabulary and len(head) >= MIN_COMPOUND_PART and head not in self._lexicon:
                part, link = (head[:-1], "s") if head.endswith("s") else (head, "")  # "beveilgings|beleid"
                read = self._typo_reading(part)
                if read in self.vocabulary:
                    readings.add(read + link + tail)
        return readings.pop() if len(readings) == 1 else None

    def _features(self, tokens: list[Token], words: list[str]) -> list[Feature]:
        """Stems of single words, and every known phrase (overlapping phrases all count).
        The words of a phrase of several words stand for the phrase only: "information
        security" does not also mean "informs", nor "houdt toezicht" "houdt" by itself."""
        concepts = []
        for size in range(min(MAX_PHRASE, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if size > 1 and not self._glued(tokens[start:start + size], words):
                    continue  # "process has an owner" is no "process owner"
                for key in self._phrase_keys(tokens[start:start + size]):
                    for concept in self._phrases.get(key, ()):
                        if size > 1 or self._names_exactly(tokens[start], concept):
                            span = tokens[start + size - 1].word - tokens[start].word + 1
                            concepts.append(Feature(concept, start, start + size, max(span, size)))
        # A glossary topic of two words with one other word between ("verzoek van X om gegevens"):
        # weaker evidence, so it overrules nothing (size 1) and shares its weight (factor 0.5).
        for start in range(len(tokens) - 2):
            for concept in self._phrases.get((tokens[start].stems[0], tokens[start + 2].stems[0]), ()):
                if self.term_kinds.get(concept) == "topic":
                    concepts += [Feature(concept, start, start + 1, 1, GAPPED_FACTOR),
                                 Feature(concept, start + 2, start + 3, 1, GAPPED_FACTOR)]
        in_phrase = {i for f in concepts if f.end - f.start > 1 for i in range(f.start, f.end)}
        return [Feature(s, i, i + 1) for i, token in enumerate(tokens) if i not in in_phrase
                for s in token.stems] + concepts

    def _raw_features(self, words: list[str], tokens: list[Token]) -> list[Feature]:
        """Phrases matched word for word, stopwords included ("in charge", "de raad")."""
        if not self._raw_phrases:
            return []
        stems = [stem(w) for w in words]
        by_first = self._raw_by_first
        starts: dict[tuple[str, ...], int] = {}  # each phrase where it first occurs
        for start, first in enumerate(stems):
            for key in by_first.get(first, ()):
                if key not in starts and tuple(stems[start:start + len(key)]) == key:
                    starts[key] = start
        features = []
        for key, start in starts.items():
            inside = [i for i, t in enumerate(tokens) if start <= t.word < start + len(key)]
            size = sum(w not in self.resources.determiners for w in words[start:start + len(key)])  # "het bestuur": 1
            if inside:
                features += [Feature(concept, inside[0], inside[-1] + 1, size) for concept in self._raw_phrases[key]]
        return features

    @staticmethod
    def _phrase_keys(tokens: list[Token]) -> list[tuple[str, ...]]:
        if len(tokens) == 1:
            return [(s,) for s in tokens[0].stems]
        return [tuple(token.stems[0] for token in tokens)]

    def _glued(self, tokens: list[Token], words: list[str]) -> bool:
        """The words of a phrase stand together, or with only small linking words between
        ("gat in de beveiliging", "verzoek om gegevens"), not a verb ("process has an owner"),
        nor only an article after a word that is no preposition ("hoe vertrouwelijk de gegevens zijn"
        is no "vertrouwelijke gegevens"; "volgens het beleid" is "volgens beleid")."""
        glue, articles = self.resources.phrase_glue, self.resources.determiners
        for a, b in pairwise(tokens):
            between = words[a.word + 1:b.word]
            if any(w not in glue for w in between) or (
                    between and all(w in articles for w in between) and words[a.word] not in self.resources.prepositions):
                return False
        return True

    def _names_exactly(self, token: Token, concept: str) -> bool:
        """A one-word role or meeting name must be the word itself (or its plural), not just
        share its stem: "communiceert" is not the communications team, "staffing" not staff."""
        if not concept.startswith((ROLE_PREFIX, MEETING_PREFIX)):
            return True
        word = token.surface
        return any(w in self._name_words for w in (word, word[:-1], word[:-2], word[:-3]) if w)

    @staticmethod
    def _mentions(features: list[Feature], prefix: str) -> list[Mention]:
        found = [Mention(f.term[len(prefix):], f.start, f.end) for f in features if f.term.startswith(prefix)]
        return sorted(found, key=lambda m: m.start)

    # ----- scoring --------------------------------------------------------------------

    def _token_weights(self, analysis: Analysis) -> list[float]:
        """How much each question word matters: what its best term can contribute anywhere;
        little for an unknown word or a word that only names the domain; nothing for an
        outside word (the engine decides about those separately)."""
        weights = [0.0] * len(analysis.tokens)
        for feature in analysis.features:
            idf = self.idf.get(feature.term)
            if idf is None:
                continue
            for i in range(feature.start, feature.end):
                weights[i] = max(weights[i], idf * self._strength[feature.term] * feature.factor)
        for mention in analysis.roles:  # a role no statement names is still a known word
            for i in range(mention.start, mention.end):
                weights[i] = weights[i] or self.mean_idf
        anchored = bool(analysis.anchors)
        last = len(weights) - 1
        for i, kind in enumerate(analysis.classes):
            if kind == "outside":
                weights[i] = 0.0
            elif kind in ("domain", "framing"):
                weights[i] = min(weights[i] or self.domain_weight, self.domain_weight)
            elif kind == "known":  # a word of some statement's wording, without a glossary meaning
                weights[i] = min(weights[i], self.known_weight)
            elif kind == "unknown" or not weights[i]:
                weights[i] = self.unknown_weight if anchored else \
                    self.unknown_subject_weight if i == last else self.unknown_inner_weight
        return weights

    def score(self, analysis: Analysis, candidate: Candidate, positions: list[int] | None = None,
              own_role: str | None = None) -> Match:
        """Coverage of the question's words (or of `positions` only) by the candidate's terms.
        `own_role`: the candidate's role, named in the question as its subject ("mag mijn
        manager delegeren"): its statements need not name it to cover that name."""
        weights = analysis.weights
        wanted = range(len(analysis.tokens)) if positions is None else positions
        best = [0.0] * len(analysis.tokens)
        for mention in analysis.roles:
            if mention.id == own_role:
                for i in range(mention.start, mention.end):
                    best[i] = weights[i]
        for feature in analysis.features:
            term_weight = candidate.terms.get(feature.term)
            if term_weight is None:
                continue
            value = self.idf.get(feature.term, self.mean_idf) * term_weight * feature.factor  # (note words may be in no statement)
            for i in range(feature.start, feature.end):
                best[i] = max(best[i], min(value, weights[i]) * analysis.tokens[i].quality)
        total = sum(weights[i] for i in wanted)
        if total == 0:
            return Match(candidate, 0.0)
        return Match(candidate, sum(best[i] for i in wanted) / total,
                     _share(best, weights, [i for i in wanted if analysis.classes[i] in ("topic", "meeting")]),
                     _share(best, weights, [i for i in wanted if analysis.classes[i] == "action"]), tuple(best))

    def cue_positions(self, analysis: Analysis) -> set[int]:
        """Tokens that belong to a member or optional-member cue ("members", "aanschuiven")."""
        cue_words = {w for p in (*self.resources.member_cues, *self.resources.optional_cues) for w in p}
        return {i for i, t in enumerate(analysis.tokens) if (t.source or t.surface) in cue_words}


def _share(best: list[float], weights: list[float], positions: list[int]) -> float:
    total = sum(weights[i] for i in positions)
    return sum(best[i] for i in positions) / total if total else 1.0


def _drop_nested(features: list[Feature]) -> list[Feature]:
    """In a question the longest phrase wins: "has an owner" is about assigning an owner, not
    also about "owner"; "security incident" not also about "security"; "bestuur" in
    "bestuurlijke rapportage" is no mention of the college."""
    concepts = [f for f in features if ":" in f.term]
    in_phrase = {i for f in concepts if f.size > 1 for i in range(f.start, f.end)}

    def nested(f: Feature) -> bool:
        if ":" not in f.term:  # a plain word inside a phrase stands for the phrase only
            return f.start in in_phrase
        return any(o.start <= f.start and f.end <= o.end and o.size > f.size for o in concepts)

    return [f for f in features if not nested(f)]


def _drop_nested_names(features: list[Feature]) -> list[Feature]:
    """A role or meeting name inside a longer phrase is not a mention: "manager" in "security
    manager", "bestuur" in "bestuurlijke rapportage"."""
    def nested(f: Feature) -> bool:
        return any(o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
                   for o in features if ":" in o.term)

    return [f for f in features if not (f.term.startswith((ROLE_PREFIX, MEETING_PREFIX)) and nested(f))]


# Endings of word forms: plurals, verb forms, participles, -ing and -er (Dutch and English), longest first.
_ENDINGS = ("ingen", "ing", "den", "ten", "ers", "en", "es", "ed", "er", "de", "te", "s", "e", "d", "t")
_LONG_VOWEL = re.compile(r"(aa|ee|oo|uu)(?=[^aeiou]$)")


def _lemma_forms(word: str) -> list[str]:
    """What a word may be a form of: without one ending, with "en", "e" or "t" instead, with a long
    vowel or a doubled consonant written single as before an ending, or a participle without its
    "ge" and d/t ("bewaarde": bewaren; "geborgd": borgen; "hands": hand; "stopped": stop)."""
    forms = [word]
    roots = [(word, _ENDINGS)]
    if word.startswith("ge") and len(word) > 6:
        roots.append((word[2:], ("en", "d", "t")))
    for root, root_endings in roots:
        for ending in root_endings:
            if root.endswith(ending) and len(root) - len(ending) >= 3:
                base = root[:-len(ending)]
                forms += [base, base + "en", base + "e", base + "t"]
                single = base[:-1] if base[-1] == base[-2] and base[-1] not in "aeiou" else base
                for short in {_LONG_VOWEL.sub(lambda m: m.group(0)[0], base), single}:
                    forms += [short, short + "en", short + "e"]  # open syllable: "bewar-en", "stop-en"
    return forms


def _same_word(a: str, b: str) -> bool:
    """Two forms of one word: the same stem (without a participle's final d: "ontgrendeld",
    "ontgrendelt"), or one a form of the other ("delegated", "delegate")."""
    def lemma(word: str) -> str:
        return stem(word[:-1] if word.endswith("d") and not word.endswith("ed") and len(word) > 5 else word)

    return lemma(a) == lemma(b) or a in _lemma_forms(b) or b in _lemma_forms(a)


def _typo_budget(length: int) -> float:
    """The most edits a typo of this length may have: longer words leave more letters right."""
    return next((budget for shortest, budget in TYPO_BUDGET if length >= shortest), 0.0)


def _typo_costs(word: str, key: str, words: list[str], sounds: list[str]) -> dict[str, tuple[float, int, int]]:
    """Known words within the budget of the word's length: (cost, edits, edits between the sounds).
    The cost is the edits (a letter replaced, added, left out, two swapped: 1 each), or when the
    words sound alike (`key`, `sounds`), SOUND_COST per edit and 1 per edit between the sounds
    ("privasy" 0.5, "privacie" 1). A word of MIN_TYPO_LENGTH letters may only have two letters
    swapped or one left out ("dpai", "ensi") or sound exactly alike: with a letter more or another
    letter it is as often another word."""
    budget = _typo_budget(len(word))
    if not budget or not words:
        return {}
    short = len(word) == MIN_TYPO_LENGTH
    costs: dict[str, tuple[float, int, int]] = {}
    for found, edits, _ in process.extract(word, words, scorer=DamerauLevenshtein.distance,
                                           score_cutoff=int(budget), limit=None):
        if not short or len(found) == len(word) + 1 or sorted(found) == sorted(word):
            cost = _keyboard_cost(word, found, edits)
            if cost <= budget:
                costs[found] = (cost, int(edits), DamerauLevenshtein.distance(key, sound(found)))
    for _, apart, i in process.extract(key, sounds, scorer=DamerauLevenshtein.distance,
                                       score_cutoff=int(budget), limit=None):
        found = words[i]
        if found in costs or (short and apart):
            continue
        edits = DamerauLevenshtein.distance(word, found)
        cost = SOUND_COST * edits + apart
        if cost <= budget:
            costs[found] = (cost, edits, apart)
    return {found: (min(cost, SOUND_COST * edits + apart), edits, apart)
            for found, (cost, edits, apart) in costs.items()}


_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {key: (row, column) for row, keys in enumerate(_KEY_ROWS) for column, key in enumerate(keys)}


def _neighbours(a: str, b: str) -> bool:
    """Keys next to each other on a keyboard (in a row, or in the row above or below)."""
    if a not in _KEY_AT or b not in _KEY_AT:
        return False
    (row_a, col_a), (row_b, col_b) = _KEY_AT[a], _KEY_AT[b]
    return (row_a == row_b and abs(col_a - col_b) == 1) or (abs(row_a - row_b) == 1 and col_b - col_a in (
        (-1, 0) if row_b > row_a else (0, 1)))


def _keyboard_cost(word: str, found: str, edits: int) -> float:
    """The edits from `found` to `word`, a letter replaced by its neighbour on the keyboard or two
    letters swapped costing NEIGHBOUR_COST ("audiy" is "audit" more than "audio")."""
    if Levenshtein.distance(word, found) > edits:  # two letters swapped (one slip of the fingers)
        return NEIGHBOUR_COST * edits if edits == 1 else float(edits)
    return sum(NEIGHBOUR_COST if op.tag == "replace" and _neighbours(found[op.dest_pos], word[op.src_pos]) else 1.0
               for op in Levenshtein.editops(word, found))


def _clearly_nearest(word: str, costs: dict[str, tuple[float, int, int]]) -> str | None:
    """The cheapest word, when every other word (not a form of it) costs at least TYPO_MARGIN more."""
    if not costs:
        return None
    # Of equal cost, the same letters first (a swap: "volgesn" is "volgens", not "volgen"), then the fewest edits.
    ranked = sorted((cost, sorted(found) != sorted(word), edits, found) for found, (cost, edits, _) in costs.items())
    best_cost, _, _, best = ranked[0]
    rivals = [cost for cost, _, _, found in ranked[1:] if not _same_word(found, best)]
    if rivals and rivals[0] < best_cost + TYPO_MARGIN:
        return None
    return best
