"""Answer "who is responsible for ...?" questions from the policy.

    answerer = Answerer(load_policy())
    answer = answerer.answer("Wie stelt een DPIA op?")
    answer.role_ids   -> ["dspo"]
    answer.text       -> "DSPO (decentrale security & privacy officer), per afdeling — §6.5: “Stelt ...”"

The engine knows no chat platform and no database; people's names are added elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from knowledge.index import ROLE_PREFIX, Analysis, Candidate, Index, Match
from knowledge.policy import (
    Language,
    Meeting,
    Participant,
    Policy,
    Role,
    Statement,
    load_policy,
)
from knowledge.text import LanguageResources, find_phrase, load_language

AnswerKind = Literal["responsible", "members", "role_duties", "out_of_scope"]

# When is a question answered? (see _in_scope)
MIN_COVERAGE = 0.45          # without a policy topic, the answer must cover this share of the question's weight
MIN_ANCHORED_COVERAGE = 0.3  # with one ("DPIA", "datalek", a meeting), unknown words weigh little anyway
# Which roles are named?
RUNNER_UP_RATIO = 0.85       # other roles this close to the best are named too ...
MAX_ROLES = 3                # ... up to this many
MENTIONED_ROLE_FACTOR = 0.5  # in "wie controleert het college" the college is the object, not the answer
                             # (unless the statement names its own role: "spreekt collega's aan")
ASKER_FACTOR = 0.3           # in "bij wie meld ik ..." the asker (an employee) is not the answer, nor in
                             # "de raad wil een toets, wie kunnen ze vragen" the council
WEIGHT_INFLUENCE = 0.7       # how much a statement's weight (roles.yaml) counts: 1.3 ranks it 21% higher
TOPIC_FLOOR = 0.6            # a statement that covers none of the question's policy topics counts this much,
TOPIC_ENOUGH = 0.5           # one that covers this share of their weight fully
ACTION_FLOOR = 0.85          # a statement that does not do what the question asks ("krijgt") counts this much,
ASKER_ACTION_FLOOR = 0.6     # less still when the asker says what they want to do ("bij wie meld ik ...")
ROLE_SUPPORT = 0.3           # a role's other statements that cover the rest of the question add this share of it
KEYWORD_PHRASE_BONUS = 0.1   # the question contains one of the statement's keyword phrases as is
FOCUS_RATIO = 0.5            # "stelt de FG een DPIA op?": answer about the FG unless another role fits far better
RELATION_COVERAGE = 0.6      # "wie ondersteunen de afdelingsmanager": the manager's own statement names them
DOMINANT_COVERAGE = 0.7      # a role named in a who-question is still the answer when its statements
DOMINANT_RATIO = 1.5         # cover the rest this well, and this much better than any other role's
MEETING_WORDS = frozenset({"g:overleg", "g:kwartaal"})  # glossary terms that speak of meeting
MEETING_MARGIN = 1.5         # a meeting the question does not name answers only when it fits this much better
NOTE_COVERAGE = 0.5          # "met wie stemt de DSPO vooraf af": a meeting member's note answers it
WRONG_WAY_FACTOR = 0.6       # a statement naming the role the question sends something to, but not as its receiver
PEER_BONUS = 1.0             # "naast het college, wie ...": a statement like the college's ranks up to 2x higher
DESCRIBED_SHARE = 0.5        # "welke opdrachtgever zit erbij": this share of a member's name describes it
MAX_DUTIES = 4


@dataclass(frozen=True)
class Quote:
    """A short quote of the policy in the answer's language, with its section ("6.7")."""

    section: str
    text: str


@dataclass(frozen=True)
class RoleMatch:
    role_id: str
    name: str
    departmental: bool  # every department has its own holder (afdelingsmanager, dspo)
    statements: list[Quote]
    score: float
    note: str = ""      # why an optional member joins ("the DSPO aligns with the process owner beforehand")


@dataclass(frozen=True)
class MeetingInfo:
    id: str
    name: str
    frequency: str
    cadence: str        # machine readable: quarterly, yearly, per-incident
    purpose: str
    section: str


@dataclass(frozen=True)
class Answer:
    question: str
    language: Language
    kind: AnswerKind
    roles: list[RoleMatch] = field(default_factory=list)
    optional_roles: list[RoleMatch] = field(default_factory=list)
    meeting: MeetingInfo | None = None
    sections: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def role_ids(self) -> list[str]:
        return [r.role_id for r in self.roles]

    @property
    def text(self) -> str:
        """The plain-text reply (see knowledge.render)."""
        from knowledge.render import render_text  # render imports this module
        return render_text(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; `roles` holds role ids as in the `ask --json` contract."""
        return {
            "question": self.question,
            "language": self.language,
            "kind": self.kind,
            "roles": self.role_ids,
            "answer": self.text,
            "sections": self.sections,
            "matches": [_role_dict(r) for r in self.roles],
            "optional_roles": [_role_dict(r) for r in self.optional_roles],
            "meeting": None if self.meeting is None else vars(self.meeting).copy(),
            "suggestions": self.suggestions,
        }


def _role_dict(role: RoleMatch) -> dict[str, Any]:
    return {"role": role.role_id, "name": role.name, "departmental": role.departmental,
            "score": round(role.score, 3), "note": role.note,
            "statements": [{"section": q.section, "text": q.text} for q in role.statements]}


class Answerer:
    """Answers questions about the policy; build once, then call answer() per question.

    How a question is answered (each step explained at its method):
      1. Outside the policy?  A word of an outside topic in language.yaml (printer, verlof,
         aanschaf, ...) declines the question unless it also names a policy topic (_outside).
      2. About a meeting?     Members, or some of them (_meeting_subset); the policy names no
         chair, so "who chairs" is declined (_meeting_question, _meeting_of).
      3. Between two roles?   "Welke rol staat tussen het college en de managers" (_between).
      4. About a named role?  "Wat doet de CISO", "wie is de FG", "mag de CISO ingrijpen":
         that role's duties (_focus_role, _stays_on_focus).
      5. To whom?             "Aan wie rapporteert de DSPO": the roles its statement sends
         something to (_recipients); without a role, those of the best statement (_receivers).
      6. Otherwise every statement is scored by the share of the question's weighted words it
         covers; the best roles are named if the question is in scope (_in_scope); "naast X"
         sets X aside (_peer_terms, _responsible).
    """

    def __init__(self, policy: Policy | None = None, resources: LanguageResources | None = None) -> None:
        self.policy = policy or load_policy()
        self.index = Index(self.policy, resources or load_language())
        self._notes = {(m.id, p.role): self.index.note_candidate(p.note, m, MEETING_WORDS) for m in self.policy.meetings
                       for p in (*m.conditional, *m.optional)}
        self._meeting_terms = {c.meeting.id: frozenset(c.terms) for c in self.index.candidates if c.meeting}
        self._meeting_own = {m.id: self.index.meeting_own_candidate(m, MEETING_WORDS) for m in self.policy.meetings}
        for statement in self.policy.statements:  # read once, so that no question pays for it
            self.index.roles_named_in(statement.text.nl)
            self.index.recipients_named_in(statement.text.nl)
        self._name_terms = {r.id: self.index.name_terms(r) for r in self.policy.roles}

    def answer(self, question: str) -> Answer:
        analysis = self.index.analyse(question)
        language = analysis.language
        if not analysis.tokens or self._outside(analysis):
            return self._out_of_scope(question, language)
        if analysis.meetings:
            about_meeting = self._meeting_question(question, analysis)
            if about_meeting is not None:
                return about_meeting
        if analysis.between_cue:  # "welke rol zit tussen de CISO en de afdelingsmanager"
            between = self._between(question, analysis)
            if between is not None:
                return between
        gathering = self._meeting_of(analysis)
        if gathering is not None:
            return self._meeting_subset(question, analysis, gathering) or self._members(question, language, gathering)
        focus = self._focus_role(analysis)
        if focus and not analysis.topic_positions():
            return self._role_duties(question, analysis, focus)
        if analysis.asks_recipient and analysis.roles:
            recipients = self._recipients(question, analysis)
            if recipients:
                return recipients
        matches = self._ranked_matches(analysis)
        if focus and self._stays_on_focus(analysis, focus, matches):
            return self._role_duties(question, analysis, focus)
        if not matches or not self._in_scope(analysis, matches[0][1]):
            return self._out_of_scope(question, language)
        best = matches[0][1].candidate
        statements = [(rank, match) for rank, match in matches if match.candidate.statement]
        if best.meeting and (analysis.meetings or analysis.member_cue or not statements
                             or matches[0][0] >= MEETING_MARGIN * statements[0][0]):
            return self._meeting_subset(question, analysis, best.meeting) or \
                self._members(question, language, best.meeting)
        if not statements or not self._in_scope(analysis, statements[0][1]):
            return self._out_of_scope(question, language)
        if analysis.asks_recipient and not analysis.roles:
            receivers = self._receivers(question, analysis, statements[0])
            if receivers:
                return receivers
        return self._responsible(question, analysis, statements)

    def explain(self, question: str) -> str:
        """Why a question gets its answer: word classes, weights, scope and the best statements.
        For editors of the YAML (`python -m knowledge explain "..."`)."""
        analysis = self.index.analyse(question)
        lines = [f"question: {question!r} (language {analysis.language})"]
        if analysis.typos:
            lines.append("typos: " + ", ".join(f"{typed!r} -> {read!r}" for typed, read in analysis.typos.items()))
        lines += [f"  {t.source or t.surface!r:24} -> {t.surface!r:20} {kind:8} weight {w:.2f}"
                  for t, kind, w in zip(analysis.tokens, analysis.classes, analysis.weights)]
        lines.append(f"policy topics: {analysis.anchors or 'none'}; outside: "
                     f"{[(h.words, h.topic) for h in analysis.outside] or 'none'}; roles named: {analysis.role_ids}")
        for rank, match in self._ranked_matches(analysis)[:5]:
            c = match.candidate
            label = f"{c.statement.role} §{c.statement.section}: {c.statement.text.nl}" if c.statement \
                else f"meeting {c.meeting.id}" if c.meeting else "?"
            lines.append(f"  {rank:.2f} (covers {match.coverage:.0%}) {label}")
        answer = self.answer(question)
        lines.append(f"answer: {answer.kind} {answer.role_ids}")
        return "\n".join(lines)

    # ----- deciding -------------------------------------------------------------------

    def _outside(self, analysis: Analysis) -> bool:
        """The question is about something the policy does not cover: it names an outside topic
        (language.yaml) and no policy topic or meeting (a policy verb on a role is not enough, nor the
        domain: "wie controleert
        de declaraties van de wethouders"), or a decisive outside topic ("melden bij de
        Autoriteit Persoonsgegevens": the policy does not say who does that)."""
        if any(hit.decisive for hit in analysis.outside):
            return True
        # "wie controleert de declaraties van de wethouders"; naming the domain is not enough either:
        # "de afspraken over informatiebeveiliging met leveranciers" are about the suppliers
        return bool(analysis.outside) and not analysis.positions("topic", "meeting")

    def _in_scope(self, analysis: Analysis, match: Match) -> bool:
        """Answer when the question names a policy topic (a meeting, the domain, or a policy
        action on a role: see Analysis.anchors) and the best statement covers a fair share of it;
        without one, only when one statement covers most of it (unknown words then weigh
        heavily: they may be the subject, as in "wie is de wethouder van cultuur")."""
        if analysis.anchors:
            return match.coverage >= MIN_ANCHORED_COVERAGE
        return match.coverage >= MIN_COVERAGE

    def _focus_role(self, analysis: Analysis) -> str | None:
        """The role a question is about: "wat doet de CISO", "who is the FG", "mag de CISO ingrijpen"."""
        roles = analysis.role_ids
        if not roles:
            return None
        if analysis.identity_role:
            return analysis.identity_role
        if analysis.duty_cue:
            return roles[0]
        if analysis.is_who and analysis.asks_relation:
            return None
        if not analysis.topic_positions():
            return roles[0]
        return None if analysis.is_who else roles[0]

    def _ranked_matches(self, analysis: Analysis) -> list[tuple[float, Match]]:
        """All candidates with a match, best first, by coverage x statement weight x role factors."""
        mentioned = set(analysis.object_roles) - (self._dominant_roles(analysis) - set(analysis.asking_roles)) \
            if analysis.is_who else set()
        aside = set(analysis.besides_roles)
        peers = self._peer_terms(analysis, aside)
        # "naast de afdelingsmanager, wie rapporteert aan de CISO": a statement naming the manager
        # does not fit better for it
        wanted = [i for i in range(len(analysis.tokens))
                  if not any(m.id in aside and m.start <= i < m.end for m in analysis.roles)] if aside else None
        ranked = []
        named_subjects = set(analysis.subject_roles) - mentioned
        for candidate in self.index.candidates:
            role = _role_of(candidate)
            match = self.index.score(analysis, candidate, wanted, own_role=role if role in named_subjects else None)
            if match.coverage <= 0:
                continue
            topical = min(1.0, match.topic_coverage / TOPIC_ENOUGH)
            floor = ASKER_ACTION_FLOOR if analysis.first_person else ACTION_FLOOR
            weight = 1 + WEIGHT_INFLUENCE * (candidate.weight - 1)
            rank = match.coverage * weight * (TOPIC_FLOOR + (1 - TOPIC_FLOOR) * topical) \
                * (floor + (1 - floor) * match.action_coverage)
            if candidate.keyword_phrases & analysis.ngrams or any(
                    find_phrase(analysis.stems, p) is not None for p in candidate.exact_phrases) or any(
                    concepts <= analysis.terms for concepts in candidate.concept_sets):
                rank *= 1 + KEYWORD_PHRASE_BONUS
            if role in mentioned and (ROLE_PREFIX + role not in candidate.terms or role in analysis.receiving_roles):
                rank *= MENTIONED_ROLE_FACTOR  # "wie moet hiaten aan de leidinggevende melden": not the manager
            if (role == "medewerker" and analysis.first_person) or role in analysis.asking_roles:
                rank *= ASKER_FACTOR
            if role in aside:
                continue
            if candidate.statement and any(  # "wie rapporteert aan de CISO": not "ontvangt de rapportage van de CISO"
                    ROLE_PREFIX + r in candidate.terms and r != role
                    and r not in self.index.recipients_named_in(candidate.statement.text.nl)
                    for r in analysis.receiving_roles):
                rank *= WRONG_WAY_FACTOR
            if peers and candidate.statement:  # "naast het college, wie kan een controle laten uitvoeren"
                rank *= 1 + PEER_BONUS * max(_overlap(candidate.terms, terms) for terms in peers)
            ranked.append((rank, match))
        ranked.sort(key=lambda item: item[0], reverse=True)
        return ranked

    def _peer_terms(self, analysis: Analysis, aside: set[str]) -> list[frozenset[str]]:
        """The terms of the best statement of each role the question sets aside: another role
        with the same duty is what "wie kan naast het college een controle laten uitvoeren" asks."""
        topic = analysis.topic_positions()
        found = []
        for role_id in aside:
            scored = [self.index.score(analysis, c, topic) for c in self._role_candidates(role_id)]
            best = max(scored, key=lambda m: m.coverage, default=None)
            if best is not None and best.coverage >= MIN_COVERAGE:
                found.append(frozenset(best.candidate.terms))
        return found

    def _dominant_roles(self, analysis: Analysis) -> set[str]:
        """Roles the question names that are not its object: their own statements cover the
        rest of the question far better than any other role's ("via wie krijgen we
        vertrouwelijke waarschuwingen van de IBD" is about the IBD's own duty)."""
        topic = analysis.topic_positions()
        if not topic:
            return set()
        best: dict[str, float] = {}
        for candidate in self.index.candidates:
            role = _role_of(candidate)
            if role:
                best[role] = max(best.get(role, 0.0), self.index.score(analysis, candidate, topic).coverage)
        dominant = set()
        for role in analysis.object_roles:
            own = best.get(role, 0.0)
            other = max((c for r, c in best.items() if r != role), default=0.0)
            if own >= DOMINANT_COVERAGE and own >= DOMINANT_RATIO * other:
                dominant.add(role)
        return dominant

    def _stays_on_focus(self, analysis: Analysis, role_id: str, matches: list[tuple[float, Match]]) -> bool:
        """Answer about the named role if its statements cover the rest of the question, unless
        another role covers it far better ("stelt de FG een DPIA op?" is about the DSPO)."""
        topic = analysis.topic_positions()
        own = max((self.index.score(analysis, c, topic).coverage for c in self._role_candidates(role_id)),
                  default=0.0)
        other = max((self.index.score(analysis, m.candidate, topic).coverage for _, m in matches
                     if _role_of(m.candidate) != role_id), default=0.0)
        return own >= MIN_COVERAGE and own >= FOCUS_RATIO * other

    def _meeting_question(self, question: str, analysis: Analysis) -> Answer | None:
        """A question naming a meeting of §7.3:
        - who chairs it: the policy names no chair, so declined; nor does it say who brings the
          coffee (an outside word and no question about members);
        - some of its members (see _meeting_subset);
        - otherwise, with a "who takes part" cue or nothing else to go on, all members.
        Returns None when the question asks something else about it (then statements decide)."""
        meeting = self.policy.meeting(analysis.meetings[0].id)
        if analysis.chair_cue or (analysis.outside and not (analysis.member_cue or analysis.optional_cue)):
            return self._out_of_scope(question, analysis.language)  # no chair; "de koffie bij het crisisoverleg"
        if self._decides_on_members(analysis):
            return self._out_of_scope(question, analysis.language)  # "wie bepaalt wie er in het crisisteam zit"
        subset = self._meeting_subset(question, analysis, meeting)
        if subset is not None:
            return subset
        others = self._other_positions(analysis)
        if analysis.member_cue or not [i for i in others if analysis.classes[i] in ("topic", "known", "action")]:
            return self._members(question, analysis.language, meeting)
        return None

    @staticmethod
    def _decides_on_members(analysis: Analysis) -> bool:
        """"Wie bepaalt wie er in het crisisteam zit": a decision about who takes part, which the
        policy leaves to no one (a verb between two who-words)."""
        whos = [i for i, w in enumerate(analysis.words) if w in ("wie", "who")]
        return len(whos) >= 2 and any(
            kind == "action" and whos[0] < token.word < whos[1]
            for token, kind in zip(analysis.tokens, analysis.classes))

    def _meeting_subset(self, question: str, analysis: Analysis, meeting: Meeting) -> Answer | None:
        """Some members of a meeting the question is about:
        - besides the members it names: "wie zit er naast de CISO in het privacyoverleg";
        - a member the question names: "moet er iemand van communicatie bij het crisisoverleg
          zitten?" (in a who-question only the members who join depending on the situation,
          since "wie zit er bij de CISO in het overleg" does not ask about the CISO);
        - the one a member's note speaks of: "met wie stemt de DSPO vooraf af" (the process
          owner), "wie stemt vooraf af met de proceseigenaar" (the DSPO);
        - a member the question describes by its name: "welke opdrachtgever zit bij de ENSIA
          presentaties" (the official principal);
        - besides the core members: "naast de vaste leden, wie moet er nog bij zijn";
        - the members who may join: "wie kan er eventueel aanschuiven".
        None when the question asks for all members (or something else)."""
        language = analysis.language
        members = [*meeting.participants, *(p.role for p in (*meeting.conditional, *meeting.optional))]
        extra = members[len(meeting.participants):]
        named = [r for r in analysis.role_ids if r in members]
        aside = [r for r in analysis.besides_roles if r in members]
        if aside:  # "wie zit er naast de CISO in het privacyoverleg"
            rest = [r for r in meeting.participants if r not in aside] or [r for r in extra if r not in aside]
            return self._participants(question, language, meeting, rest)
        eligible = extra if analysis.is_who else members
        asked = [r for r in named if r in eligible]
        if asked and not set(meeting.participants) <= set(asked) and (
                analysis.member_cue or analysis.optional_cue or not analysis.is_who):
            return self._participants(question, language, meeting, asked)
        own = self.index.score(analysis, self._meeting_own[meeting.id]).covered
        others = [i for i in self._other_positions(analysis) if not own[i]]  # not the meeting's own words
        for role in extra:
            if others and self.index.score(analysis, self._notes[(meeting.id, role)], others).coverage >= NOTE_COVERAGE:
                note = next(p.note for p in (*meeting.conditional, *meeting.optional) if p.role == role)
                spoken_of = [r for r in (*self.index.roles_named_in(note.nl), role) if r not in analysis.role_ids]
                return self._participants(question, language, meeting, list(dict.fromkeys(spoken_of)) or [role])
        described = self._described_members(analysis, meeting, [r for r in members if r not in named])
        if described:
            return self._participants(question, language, meeting, described)
        if analysis.optional_cue and meeting.optional:
            return self._participants(question, language, meeting, [p.role for p in meeting.optional])
        if analysis.besides_cue and analysis.core_cue and extra:  # "naast de vaste leden, wie moet er nog bij zijn"
            return self._participants(question, language, meeting, extra)
        return None

    def _other_positions(self, analysis: Analysis) -> list[int]:
        """Content words other than roles, meeting names and member cues."""
        cues = self.index.cue_positions(analysis)
        return [i for i in analysis.topic_positions() if analysis.classes[i] != "meeting" and i not in cues]

    def _described_members(self, analysis: Analysis, meeting: Meeting, candidates: list[str]) -> list[str]:
        """Members the question describes by the words of their name rather than naming them:
        "namens de ambtelijke organisatie opdrachtgever" is the ambtelijk opdrachtgever. Words
        of the meeting's own name or purpose ("opdrachtgever" in the opdrachtgever overleg) do
        not describe a member."""
        own = self._meeting_terms[meeting.id]
        members = _members_of(meeting)
        outsiders = {i for m in analysis.roles if m.id not in members for i in range(m.start, m.end)}
        asked = {f.term for f in analysis.features if self.index.term_kinds.get(f.term) == "topic"
                 and (analysis.classes[f.start] == "topic" or f.start in outsiders)} - own  # "namens het bestuur"
        if not asked:
            return []
        scores = {}
        for role_id in candidates:
            best = 0.0
            for words in self._name_terms.get(role_id, []):
                wanted = words - own
                if wanted:
                    best = max(best, len(wanted & asked) / len(wanted))
            scores[role_id] = best
        top = max(scores.values(), default=0.0)
        return [r for r, score in scores.items() if score >= DESCRIBED_SHARE and score == top]

    def _meeting_of(self, analysis: Analysis) -> Meeting | None:
        """"Hoe vaak komen de CISO, de DSPO en de FG bij elkaar?": a meeting the question
        describes by several of its members and a cue for meeting (taking part, how often)."""
        named = set(analysis.role_ids)
        meeting_words = any(f.term in MEETING_WORDS for f in analysis.features)  # "overleg", "per kwartaal"
        if len(named) < 2 or not (analysis.member_cue or analysis.frequency_cue or meeting_words):
            return None
        fitting = [m for m in self.policy.meetings if named <= _members_of(m)]
        return max(fitting, key=lambda m: len(named & set(m.participants)) / len(named | set(m.participants)),
                   default=None)

    def _recipients(self, question: str, analysis: Analysis) -> Answer | None:
        """"Aan wie rapporteert de CISO?": the roles named in the CISO's best matching statement."""
        subject = analysis.role_ids[0]
        receive = self.index.resources.receive_cues  # "wie ontvangt de rapportage van de CISO": what the CISO makes
        topic = [i for i in analysis.topic_positions() if analysis.tokens[i].source not in receive]
        scored = [self.index.score(analysis, c, topic) for c in self._role_candidates(subject)]
        best = max(scored, key=lambda m: m.coverage, default=None)
        if best is None or best.coverage < MIN_COVERAGE or best.candidate.statement is None:
            return None
        statement = best.candidate.statement
        named = [r for r in self.index.recipients_named_in(statement.text.nl) if r != subject] or \
            [r for r in self.index.roles_named_in(statement.text.nl) if r != subject]
        if not named:
            return None
        language = analysis.language
        roles = [self._role_match(self.policy.role(r), [statement], best.coverage, language) for r in named]
        return Answer(question=question, language=language, kind="responsible", roles=roles,
                      sections=_sections(roles))

    def _between(self, question: str, analysis: Analysis) -> Answer | None:
        """"Welke rol staat tussen het college en de afdelingsmanagers": the role whose duties
        link both, best one duty that names both ("laat de managers zich verantwoorden en
        rapporteert aan het college")."""
        ends = analysis.between_roles
        if len(ends) != 2:
            return None
        linking: dict[str, list[Statement]] = {}   # duties from the one to the other
        naming: dict[str, list[Statement]] = {}    # duties that name both
        for candidate in self.index.candidates:
            statement = candidate.statement
            if statement is None or statement.role in ends:
                continue
            named = set(self.index.roles_named_in(statement.text.nl)) & set(ends)
            if len(named) == 2:
                naming.setdefault(statement.role, []).append(statement)
                if len(set(self.index.recipients_named_in(statement.text.nl)) & named) == 1:
                    linking.setdefault(statement.role, []).append(statement)
        found = linking or naming
        if not found:
            return None
        role_id = max(found, key=lambda r: len(found[r]))
        statement = found[role_id][0]
        language = analysis.language
        roles = [self._role_match(self.policy.role(role_id), [statement], 1.0, language)]
        return Answer(question=question, language=language, kind="responsible", roles=roles,
                      sections=_sections(roles))

    def _receivers(self, question: str, analysis: Analysis, best: tuple[float, Match]) -> Answer | None:
        """"Aan wie wordt de raadsinformatiebrief gestuurd": the roles the best statement sends
        something to (the college accounts to the council with it), not its own role."""
        statement = best[1].candidate.statement
        assert statement is not None
        named = [r for r in self.index.recipients_named_in(statement.text.nl) if r != statement.role]
        if not named:
            return None
        language = analysis.language
        roles = [self._role_match(self.policy.role(r), [statement], best[0], language) for r in named]
        return Answer(question=question, language=language, kind="responsible", roles=roles,
                      sections=_sections(roles))

    def _role_ranks(self, analysis: Analysis, matches: list[tuple[float, Match]]) -> dict[str, tuple[float, Statement]]:
        """Each role's best statement and its rank, raised a little when the role's other
        statements cover what the best one misses ("eindverantwoordelijk" + "applicatie":
        the manager is operationally responsible and owns the applications)."""
        best: dict[str, tuple[float, Match]] = {}
        covered: dict[str, list[float]] = {}
        for rank, match in matches:
            statement = match.candidate.statement
            if statement is None:
                continue
            best.setdefault(statement.role, (rank, match))
            per_word = covered.setdefault(statement.role, [0.0] * len(match.covered))
            for i, value in enumerate(match.covered):
                per_word[i] = max(per_word[i], value)
        total = sum(analysis.weights) or 1.0
        content = analysis.positions("topic", "context", "known")  # not names or verbs: many statements have those
        ranks = {}
        for role_id, (rank, match) in best.items():
            extra = sum(covered[role_id][i] - match.covered[i] for i in content) / total
            assert match.candidate.statement is not None
            ranks[role_id] = (rank * (1 + ROLE_SUPPORT * extra), match.candidate.statement)
        return ranks

    def _related_roles(self, analysis: Analysis) -> list[tuple[str, Statement, float]]:
        """"Welke rollen ondersteunen de afdelingsmanager?": a statement of the role the question
        names as its object can itself name the answer ("ondersteund door DSPO, CISO en FG")."""
        if not analysis.is_who:
            return []
        topic = analysis.topic_positions()
        found = []
        for role_id in [r for r in analysis.role_ids if r not in analysis.besides_roles]:
            scored = [self.index.score(analysis, c, topic) for c in self._role_candidates(role_id)]
            best = max(scored, key=lambda m: m.coverage, default=None)
            if best is None or best.coverage < RELATION_COVERAGE or best.candidate.statement is None:
                continue
            statement = best.candidate.statement
            # "wie rapporteert aan de CISO": not the roles the CISO itself reports to
            receiving = self.index.recipients_named_in(statement.text.nl) if role_id in analysis.receiving_roles else []
            found += [(r, statement, best.coverage) for r in self.index.roles_named_in(statement.text.nl)
                      if r not in analysis.role_ids and r not in receiving]
        return found

    def _role_candidates(self, role_id: str) -> list[Candidate]:
        return [c for c in self.index.candidates if c.statement and c.statement.role == role_id]

    # ----- building answers -----------------------------------------------------------

    def _responsible(self, question: str, analysis: Analysis, matches: list[tuple[float, Match]]) -> Answer:
        language = analysis.language
        best_per_role = self._role_ranks(analysis, matches)
        if analysis.besides_roles:  # "wie kan naast het college ...": no role the question names
            best_per_role = {r: v for r, v in best_per_role.items() if r not in analysis.role_ids} or best_per_role
        top = max(rank for rank, _ in best_per_role.values())
        ordered = sorted(best_per_role.items(), key=lambda item: item[1][0], reverse=True)
        roles = [self._role_match(self.policy.role(role_id), [statement], rank, language)
                 for role_id, (rank, statement) in ordered if rank >= RUNNER_UP_RATIO * top][:MAX_ROLES]
        related = [self._role_match(self.policy.role(role_id), [statement], coverage, language)
                   for role_id, statement, coverage in self._related_roles(analysis)]
        if analysis.besides_roles and related:  # "who supports the managers, besides the DSPO": the managers'
            roles = related + roles               # own statement names who supports them
        else:
            roles += related
        roles = [r for i, r in enumerate(roles) if r.role_id not in {o.role_id for o in roles[:i]}]  # once each
        return Answer(question=question, language=language, kind="responsible", roles=roles,
                      sections=_sections(roles))

    def _role_duties(self, question: str, analysis: Analysis, role_id: str) -> Answer:
        language = analysis.language
        role = self.policy.role(role_id)
        topic = analysis.topic_positions()
        scored = [(self.index.score(analysis, c, topic).coverage * c.weight if topic else 0.0, c.weight, -i, c)
                  for i, c in enumerate(self._role_candidates(role_id))]
        scored.sort(key=lambda item: item[:3], reverse=True)
        relevant = [c for score, *_, c in scored if score > 0] if topic else []
        chosen = (relevant or [c for *_, c in scored])[:MAX_DUTIES]
        quotes = [_quote(c.statement, language) for c in chosen if c.statement]
        quotes += [_membership_quote(m, language) for m in self.policy.meetings if role_id in _members_of(m)]
        match = RoleMatch(role.id, role.name.get(language), role.departmental, quotes[:MAX_DUTIES + 1], 1.0)
        return Answer(question=question, language=language, kind="role_duties", roles=[match],
                      sections=_sections([match]))

    def _members(self, question: str, language: Language, meeting: Meeting) -> Answer:
        quote = [_membership_quote(meeting, language)]
        roles = [self._role_match(self.policy.role(r), [], 1.0, language, quote) for r in meeting.participants]
        optional = [self._participant_match(p, meeting, language) for p in (*meeting.conditional, *meeting.optional)]
        return Answer(question=question, language=language, kind="members", roles=roles, optional_roles=optional,
                      meeting=_meeting_info(meeting, language), sections=[meeting.section])

    def _participants(self, question: str, language: Language, meeting: Meeting, role_ids: list[str]) -> Answer:
        """Particular members of a meeting, each with why they take part."""
        notes = {p.role: p.note.get(language) for p in (*meeting.conditional, *meeting.optional)}
        roles = []
        for role_id in role_ids:
            role = self.policy.role(role_id)
            text = _membership_quote(meeting, language).text
            note = notes.get(role_id, "")
            if note:
                text = f"{text[:-1]} — {note}."
            roles.append(RoleMatch(role.id, role.name.get(language), role.departmental,
                                   [Quote(meeting.section, text)], 1.0, note))
        return Answer(question=question, language=language, kind="responsible", roles=roles,
                      meeting=_meeting_info(meeting, language), sections=[meeting.section])

    def _out_of_scope(self, question: str, language: Language) -> Answer:
        return Answer(question=question, language=language, kind="out_of_scope",
                      suggestions=list(self.policy.suggestions.get(language)[:3]))

    def _participant_match(self, participant: Participant, meeting: Meeting, language: Language) -> RoleMatch:
        role = self.policy.role(participant.role)
        note = participant.note.get(language)
        return RoleMatch(role.id, role.name.get(language), role.departmental,
                         [Quote(meeting.section, note)], 0.5, note)

    @staticmethod
    def _role_match(role: Role, statements: list[Statement], score: float, language: Language,
                    quotes: list[Quote] | None = None) -> RoleMatch:
        return RoleMatch(role.id, role.name.get(language), role.departmental,
                         quotes if quotes is not None else [_quote(s, language) for s in statements],
                         round(score, 3))


def _overlap(terms: dict[str, float], other: frozenset[str]) -> float:
    """Jaccard overlap of two statements' terms."""
    return len(other.intersection(terms)) / len(other.union(terms)) if other else 0.0


def _role_of(candidate: Candidate) -> str | None:
    return candidate.statement.role if candidate.statement else None


def _members_of(meeting: Meeting) -> set[str]:
    return set(meeting.participants) | {p.role for p in (*meeting.conditional, *meeting.optional)}


def _meeting_info(meeting: Meeting, language: Language) -> MeetingInfo:
    return MeetingInfo(id=meeting.id, name=meeting.name.get(language), frequency=meeting.frequency.get(language),
                       cadence=meeting.cadence, purpose=meeting.purpose.get(language), section=meeting.section)


def _quote(statement: Statement, language: Language) -> Quote:
    return Quote(statement.section, statement.text.get(language))


_MEMBERSHIP = {"nl": "Neemt deel aan het {name} ({frequency}).", "en": "Takes part in the {name} ({frequency})."}


def _membership_quote(meeting: Meeting, language: Language) -> Quote:
    text = _MEMBERSHIP[language].format(name=meeting.name.get(language), frequency=meeting.frequency.get(language))
    return Quote(meeting.section, text)


def _sections(roles: list[RoleMatch]) -> list[str]:
    return list(dict.fromkeys(q.section for r in roles for q in r.statements))
