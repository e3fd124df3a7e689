"""Search index over the policy: vocabulary, concept phrases, and weighted terms per statement.

Words are turned into *terms*: a stem ("controleert" -> "control") or a concept for a known
phrase ("data protection impact assessment" -> "g:dpia", "security officer" -> "r:ciso",
"crisisteam" -> "m:ict-crisisoverleg"). Statements and meetings are *candidates*; a question
is scored against each candidate by the share of its (idf-weighted) words the candidate covers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from knowledge.policy import LANGUAGES, Language, Meeting, Policy, Statement
from knowledge.text import LanguageResources, contains_phrase, detect_language, stem, tokenize

ROLE_PREFIX = "r:"
MEETING_PREFIX = "m:"
TERM_PREFIX = "g:"

KEYWORD_WEIGHT = 1.0  # a statement's keywords say what it is about
TEXT_WEIGHT = 0.6     # its wording only partly does
NAME_WEIGHT = 1.0     # a meeting's name and aliases
FUZZY_QUALITY = 0.9   # a typo-corrected word counts a little less
# Weight of a question word the policy never uses, relative to its rarest word. The last
# content word of a question is usually its subject ("wie regelt de beveiliging bij een
# evenement"), so an unknown one there weighs most; unknown words earlier are more often
# verbs or fillers ("wie mag de stekker eruit trekken bij een incident").
UNKNOWN_FACTOR = 1.25
UNKNOWN_INNER_FACTOR = 0.8
COMPOUND_QUALITY = 0.8  # an unknown compound ("zaaksysteem") only roughly means its known parts
MAX_PHRASE = 6


@dataclass(frozen=True)
class Token:
    """A content word of a question (after stopwords), possibly typo-corrected."""

    surface: str
    stems: tuple[str, ...]  # main stem first; more for separable verbs ("stelt ... op")
    quality: float = 1.0    # lower for typo-corrected words and compound tails


@dataclass(frozen=True)
class Feature:
    term: str
    start: int  # token span [start, end)
    end: int


@dataclass(frozen=True)
class Mention:
    id: str
    start: int
    end: int


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

    @property
    def role_ids(self) -> list[str]:
        return list(dict.fromkeys(m.id for m in self.roles))

    def topic_positions(self) -> list[int]:
        """Content words that are not part of a role name and not mere framing."""
        covered = {i for m in self.roles for i in range(m.start, m.end)} | self.framing
        return [i for i in range(len(self.tokens)) if i not in covered]


@dataclass(frozen=True)
class Candidate:
    """A statement or a meeting a question can be about, with its weighted terms."""

    terms: dict[str, float]
    weight: float
    keyword_phrases: frozenset[tuple[str, ...]] = frozenset()  # multi-word keywords, stemmed
    statement: Statement | None = None
    meeting: Meeting | None = None


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    coverage: float  # share of the question's weight this candidate covers, 0..1


class Index:
    def __init__(self, policy: Policy, resources: LanguageResources) -> None:
        self.policy = policy
        self.resources = resources
        self._stopwords = resources.all_stopwords
        self.vocabulary, self.lexicon = self._collect_vocabulary()
        # Typo targets by first letter; long stopwords too, so "verantwoordleijk" is dropped.
        self._by_initial: dict[str, list[str]] = {}
        for word in sorted(self.vocabulary | {w for w in self._stopwords if len(w) >= 6}):
            self._by_initial.setdefault(word[0], []).append(word)
        self._correct = lru_cache(maxsize=4096)(self._closest)
        self._split_compound = lru_cache(maxsize=8192)(self._split)
        self._known_stems = {stem(word) for word in self.vocabulary}
        self._phrases = self._collect_phrases()
        self.candidates = self._build_candidates()
        document_frequency = Counter(term for c in self.candidates for term in c.terms)
        total = len(self.candidates)
        self.idf = {term: math.log(1 + total / df) for term, df in document_frequency.items()}
        self.unknown_idf = UNKNOWN_FACTOR * max(self.idf.values())
        self.unknown_inner_idf = UNKNOWN_INNER_FACTOR * max(self.idf.values())
        self.mean_idf = sum(self.idf.values()) / len(self.idf)
        # The most a term can contribute anywhere: a word known only from statement wording
        # (TEXT_WEIGHT) matters less in a question than a keyword or a glossary term.
        self._strength = {term: max(c.terms.get(term, 0.0) for c in self.candidates) for term in self.idf}
        self.domain_terms = frozenset(TERM_PREFIX + t.id for t in policy.glossary if t.kind == "domain")
        self.action_terms = frozenset(TERM_PREFIX + t.id for t in policy.glossary if t.kind == "action")

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

    def _collect_phrases(self) -> dict[tuple[str, ...], set[str]]:
        """Stemmed phrase -> concepts: glossary synonyms, role aliases, meeting names."""
        named: list[tuple[str, str]] = [(s, TERM_PREFIX + t.id) for t in self.policy.glossary for s in t.synonyms]
        named += [(a, ROLE_PREFIX + r.id) for r in self.policy.roles for a in r.aliases.all]
        named += [(a, MEETING_PREFIX + m.id) for m in self.policy.meetings
                  for a in (*m.aliases.all, m.name.nl, m.name.en)]
        phrases: dict[tuple[str, ...], set[str]] = {}
        for text, concept in named:
            key = self._stem_phrase(text)
            if key:
                phrases.setdefault(key, set()).add(concept)
        return phrases

    def _stem_phrase(self, text: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in self._join_compounds([w for w in tokenize(text) if w not in self._stopwords]))

    def _build_candidates(self) -> list[Candidate]:
        candidates = []
        for statement in self.policy.statements:
            terms: dict[str, float] = {}
            self._add_terms(terms, [statement.text.nl, statement.text.en], TEXT_WEIGHT)
            self._add_terms(terms, statement.keywords, KEYWORD_WEIGHT)
            phrases = frozenset(p for p in map(self._stem_phrase, statement.keywords) if len(p) > 1)
            candidates.append(Candidate(terms=terms, weight=statement.weight, keyword_phrases=phrases,
                                        statement=statement))
        for meeting in self.policy.meetings:
            terms = {MEETING_PREFIX + meeting.id: NAME_WEIGHT}
            self._add_terms(terms, [meeting.name.nl, meeting.name.en, *meeting.aliases.all], NAME_WEIGHT)
            self._add_terms(terms, [meeting.purpose.nl, meeting.purpose.en,
                                    meeting.frequency.nl, meeting.frequency.en], TEXT_WEIGHT)
            candidates.append(Candidate(terms=terms, weight=1.0, meeting=meeting))
        return candidates

    def _add_terms(self, terms: dict[str, float], texts: Iterable[str], weight: float) -> None:
        for text in texts:
            for feature in self._features(self._policy_tokens(text)):
                terms[feature.term] = max(terms.get(feature.term, 0.0), weight)

    def _policy_tokens(self, text: str) -> list[Token]:
        """Tokens of a policy text: no typo correction needed."""
        return [Token(w, self._stems(w, [])) for w in self._join_compounds(
            [w for w in tokenize(text) if w not in self._stopwords])]

    # ----- questions ------------------------------------------------------------------

    def analyse(self, question: str) -> Analysis:
        words = tokenize(question)
        content = self._join_compounds([w for w in words if w not in self._stopwords])
        language = detect_language(words, self.lexicon, self.resources)
        tokens = [token for word in content
                  for token in self._understand(word, self._particles_after(words, word, language))]
        features = self._features(tokens)
        roles = self._mentions(features, ROLE_PREFIX)
        meetings = self._mentions(features, MEETING_PREFIX)
        resources = self.resources
        return Analysis(
            words=words,
            tokens=tokens,
            features=features,
            roles=roles,
            meetings=meetings,
            language=language,
            is_who=any(contains_phrase(words, p) for p in resources.who_words),
            asks_recipient=any(contains_phrase(words, p) for p in resources.recipient_cues)
            or (language == "en" and words[-1:] == ["to"]),
            asks_relation=any(w in resources.relation_words for w in words),
            member_cue=any(contains_phrase(words, p) for p in resources.member_cues),
            first_person=any(w in resources.first_person for w in words),
            framing=self._framing(features),
            ngrams=frozenset(tuple(t.stems[0] for t in tokens[i:j]) for i in range(len(tokens))
                             for j in range(i + 2, min(len(tokens), i + MAX_PHRASE) + 1)),
        )

    def _framing(self, features: list[Feature]) -> frozenset[int]:
        """Positions that only name the domain: "(bij) informatiebeveiliging", "volgens het beleid"."""
        return frozenset(i for f in features if f.term in self.domain_terms for i in range(f.start, f.end))

    def _particles_after(self, words: list[str], word: str, language: Language) -> list[str]:
        """Dutch separable-verb particles that follow the word: "stelt een DPIA op"."""
        if language != "nl" or word not in words:
            return []
        return [w for w in words[words.index(word) + 1:] if w in self.resources.particles]

    def roles_named_in(self, text: str) -> list[str]:
        """Role ids a policy text names, in order ("... aan de directie en/of portefeuillehouder")."""
        features = self._features(self._policy_tokens(text))
        return list(dict.fromkeys(m.id for m in self._mentions(features, ROLE_PREFIX)))

    def _join_compounds(self, words: list[str]) -> list[str]:
        """Write two words as one where the policy does: "crisis team" -> "crisisteam"."""
        joined: list[str] = []
        for word in words:
            if joined and joined[-1] + word in self.vocabulary:
                joined[-1] += word
            else:
                joined.append(word)
        return joined

    def _understand(self, word: str, particles: list[str]) -> list[Token]:
        """Map a question word onto the policy's vocabulary: as is, split, or typo-corrected."""
        if word in self.vocabulary or stem(word) in self._known_stems:
            return [Token(word, self._stems(word, particles))]
        parts = self._split_compound(word)
        if parts:
            return [Token(part, (stem(part),), COMPOUND_QUALITY) for part in parts]
        corrected = self._correct(word)
        if corrected in self._stopwords:
            return []
        if corrected:
            return [Token(corrected, self._stems(corrected, particles), FUZZY_QUALITY)]
        tail = self._compound_tail(word)
        if tail:
            return [Token(tail, (stem(tail),), COMPOUND_QUALITY)]
        return [Token(word, self._stems(word, particles))]

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

    def _closest(self, word: str) -> str | None:
        """Typo tolerance: the nearest policy word or stopword with the same first letter,
        1 edit (2 for words of 10+ letters). Cached as self._correct."""
        return _closest_word(word, self._by_initial.get(word[0], []))

    def _features(self, tokens: list[Token]) -> list[Feature]:
        """Stems of single words, and every known phrase (overlapping phrases all count)."""
        features = [Feature(s, i, i + 1) for i, token in enumerate(tokens) for s in token.stems]
        for size in range(min(MAX_PHRASE, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                for key in self._phrase_keys(tokens[start:start + size]):
                    for concept in self._phrases.get(key, ()):
                        features.append(Feature(concept, start, start + size))
        return _drop_nested_names(features)

    @staticmethod
    def _phrase_keys(tokens: list[Token]) -> list[tuple[str, ...]]:
        if len(tokens) == 1:
            return [(s,) for s in tokens[0].stems]
        return [tuple(token.stems[0] for token in tokens)]

    @staticmethod
    def _mentions(features: list[Feature], prefix: str) -> list[Mention]:
        found = [Mention(f.term[len(prefix):], f.start, f.end) for f in features if f.term.startswith(prefix)]
        return sorted(found, key=lambda m: m.start)

    # ----- scoring --------------------------------------------------------------------

    def token_weights(self, analysis: Analysis) -> list[float]:
        """How much each question word matters: what its best term can contribute, else unknown_idf."""
        weights = [0.0] * len(analysis.tokens)
        for feature in analysis.features:
            idf = self.idf.get(feature.term)
            if idf is None:
                continue
            for i in range(feature.start, feature.end):
                weights[i] = max(weights[i], idf * self._strength[feature.term])
        for mention in analysis.roles:  # a role no statement names is still a known word
            for i in range(mention.start, mention.end):
                weights[i] = weights[i] or self.mean_idf
        last = len(weights) - 1
        return [w or (self.unknown_idf if i == last else self.unknown_inner_idf) for i, w in enumerate(weights)]

    def score(self, analysis: Analysis, candidate: Candidate, positions: list[int] | None = None) -> Match:
        """Coverage of the question's words (or of `positions` only) by the candidate's terms."""
        weights = self.token_weights(analysis)
        wanted = set(range(len(analysis.tokens)) if positions is None else positions)
        best = [0.0] * len(analysis.tokens)
        for feature in analysis.features:
            term_weight = candidate.terms.get(feature.term)
            if term_weight is None:
                continue
            value = self.idf[feature.term] * term_weight
            for i in range(feature.start, feature.end):
                best[i] = max(best[i], min(value, weights[i]) * analysis.tokens[i].quality)
        total = sum(weights[i] for i in wanted)
        if total == 0:
            return Match(candidate, 0.0)
        return Match(candidate, sum(best[i] for i in wanted) / total)

    def names_topic(self, analysis: Analysis) -> bool:
        """The question names a subject of the policy: a glossary topic or a meeting."""
        return any(f.term in self.idf and (f.term.startswith(MEETING_PREFIX) or (
            f.term.startswith(TERM_PREFIX) and f.term not in self.action_terms)) for f in analysis.features)

    def names_action(self, analysis: Analysis) -> bool:
        """The question names something the policy has roles do ("controleren", "melden")."""
        return any(f.term in self.action_terms and f.term in self.idf for f in analysis.features)


def _drop_nested_names(features: list[Feature]) -> list[Feature]:
    """A role or meeting name inside a longer phrase is not a mention: "manager" in "security
    manager", "bestuur" in "bestuurlijke rapportage"."""
    def nested(f: Feature) -> bool:
        return any(o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
                   for o in features if ":" in o.term)

    return [f for f in features if not (f.term.startswith((ROLE_PREFIX, MEETING_PREFIX)) and nested(f))]


def _closest_word(word: str, vocabulary: list[str]) -> str | None:
    if len(word) < 5 or word.isdigit():
        return None
    max_edits = 1 if len(word) <= 9 else 2
    candidates = [v for v in vocabulary if abs(len(v) - len(word)) <= max_edits]
    found = process.extractOne(word, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=max_edits)
    return found[0] if found else None
