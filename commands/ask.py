"""Ask: "wie is verantwoordelijk voor …?" answered from the policy, with today's people.

The knowledge engine picks the roles and quotes the policy; this use case adds who holds
those roles now (from the roster), the asker's own DSPO or manager for departmental roles,
and shapes it as a short message for a phone, in the language of the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from commands.context import Actor, Context
from commands.messages import Message, Result
from commands.roster import RosterView
from commands.router import Router
from commands.text import escape, mention, shorten
from knowledge.engine import Answer, Answerer, RoleMatch
from knowledge.policy import load_policy
from storage.people import Member

# Bodies and outside organisations: nobody in the roster "holds" them, so no vacancy.
NOT_IN_ROSTER = frozenset({"gemeenteraad", "college", "ibd", "medewerker"})
MAX_PEOPLE = 6
# The engine reads at most this much of a question: a question is a sentence or two, and the
# engine's time grows with the square of the number of unknown words (a 40,000-character paste
# took 10 s). 1000 characters answer in well under 50 ms.
MAX_QUESTION = 1000

WORDS = {
    "nl": {
        "now": "Nu", "for_department": "Voor jouw afdeling ({department})", "per_department": "Per afdeling",
        "vacant": "niemand in het rooster; meld dit bij de CISO", "more": "en {n} meer",
        "optional": "Waar nodig ook", "purpose": "Doel", "source": "Bron", "ask_ciso": "Twijfel je? Vraag het de CISO: {people}.",
        "usage": "Stel je vraag achter `/wie`, bijvoorbeeld `/wie stelt een DPIA op?` of `/wie zit in het crisisoverleg?`",
        "not_covered": "Dat staat niet in het informatiebeveiligingsbeleid.", "suggest": "Je kunt bijvoorbeeld vragen:",
        "long": "Je vraag is lang; ik heb de eerste {n} tekens gelezen.",
    },
    "en": {
        "now": "Now", "for_department": "For your department ({department})", "per_department": "Per department",
        "vacant": "nobody in the roster; please tell the CISO", "more": "and {n} more",
        "optional": "Where needed also", "purpose": "Purpose", "source": "Source", "ask_ciso": "Not sure? Ask the CISO: {people}.",
        "usage": "Put your question after `/wie`, e.g. `/wie who drafts a DPIA?`",
        "not_covered": "The information security policy does not cover that.", "suggest": "You could ask, for example:",
        "long": "Your question is long; I read its first {n} characters.",
    },
}


@lru_cache(maxsize=4)
def answerer(policy_dir: Path | None = None) -> Answerer:
    """Built once per process (loading and indexing the policy takes a moment)."""
    return Answerer(load_policy(policy_dir))


@dataclass(frozen=True)
class Reply:
    """An answer with the people who hold its roles today."""

    answer: Answer
    message: Message
    people: dict[str, list[Member]]


def ask(ctx: Context, actor: Actor, text: str) -> Result:
    question = text.strip()
    if not question:
        return Result.say(Message(text=WORDS["nl"]["usage"]))
    with ctx.db.reading() as session:
        roster = RosterView.load(session)
    return Result.say(answer_question(ctx, question, roster, roster.member(actor.user_id)).message)


def answer_question(ctx: Context, question: str, roster: RosterView, asker: Member | None) -> Reply:
    engine = answerer(ctx.options.policy_dir)
    read = shorten(question, MAX_QUESTION)
    answer = engine.answer(read)
    department = asker.department if asker else None
    people = {
        role.role_id: _people_for(role, roster, department)
        for role in [*answer.roles, *answer.optional_roles]
    }
    source = engine.policy.title.get(answer.language)
    message = compose(answer, people, department, roster.holders("ciso"), source)
    if read != question:
        cut = WORDS[answer.language]["long"].format(n=MAX_QUESTION)
        message.footnote = f"{message.footnote} · {cut}" if message.footnote else cut
    return Reply(answer, message, people)


def _people_for(role: RoleMatch, roster: RosterView, department: str | None) -> list[Member]:
    if role.departmental and department:
        own = roster.holders(role.role_id, department)
        if own:
            return own
    return roster.holders(role.role_id)


def compose(
    answer: Answer, people: dict[str, list[Member]], department: str | None, cisos: list[Member], source: str
) -> Message:
    words = WORDS[answer.language]
    if answer.kind == "out_of_scope":
        return _not_covered(answer, words, cisos)
    if answer.kind == "members":
        blocks = _members_blocks(answer, people, department, words)
    elif answer.kind == "role_duties":
        role = answer.roles[0]
        duties = "\n".join(f"• {escape(q.text)} (§{q.section})" for q in role.statements)
        blocks = [f"*{escape(role.name)}*\n{duties}\n{_people_line(role, people, department, words)}"]
    else:
        blocks = [_role_block(role, people, department, words) for role in answer.roles]
    sections = ", ".join(f"§{s}" for s in answer.sections)
    title = answer.meeting.name if answer.meeting else " / ".join(_short(r.name) for r in answer.roles)
    return Message(
        text=f"{escape(title)} ({sections})",
        blocks=blocks,
        footnote=f"{words['source']}: {escape(source)}, {sections}",
    )


def _role_block(role: RoleMatch, people: dict[str, list[Member]], department: str | None, words: dict[str, str]) -> str:
    quote = role.statements[0]
    line = f"*{escape(role.name)}* · §{quote.section}\n“{escape(quote.text)}”"
    people_line = _people_line(role, people, department, words)
    return f"{line}\n{people_line}" if people_line else line


def _members_blocks(answer: Answer, people: dict[str, list[Member]], department: str | None, words: dict[str, str]) -> list[str]:
    meeting = answer.meeting
    assert meeting is not None, "a members answer names its meeting"
    lines = [f"*{escape(meeting.name)}* · §{meeting.section} · {escape(meeting.frequency)}"]
    lines += [f"• {escape(_short(r.name))}: {_names(r, people, department, words)}" for r in answer.roles]
    blocks = ["\n".join(lines)]
    if answer.optional_roles:
        optional = [f"• {escape(_short(r.name))}" + (f" ({escape(r.note)})" if r.note else "")
                    + f": {_names(r, people, department, words)}" for r in answer.optional_roles]
        blocks.append(f"_{words['optional']}:_\n" + "\n".join(optional))
    blocks.append(f"_{words['purpose']}:_ {escape(meeting.purpose)}")
    return blocks


def _people_line(role: RoleMatch, people: dict[str, list[Member]], department: str | None, words: dict[str, str]) -> str:
    if role.role_id in NOT_IN_ROSTER and not people.get(role.role_id):
        return ""
    holders = people.get(role.role_id, [])
    if role.departmental and department and holders and all(m.department == department for m in holders):
        label = words["for_department"].format(department=escape(department))
    elif role.departmental and len({m.department for m in holders}) > 1:
        label = words["per_department"]
    else:
        label = words["now"]
    return f"👤 {label}: {_names(role, people, department, words)}"


def _names(role: RoleMatch, people: dict[str, list[Member]], department: str | None, words: dict[str, str]) -> str:
    holders = people.get(role.role_id, [])
    if not holders:
        return "—" if role.role_id in NOT_IN_ROSTER else words["vacant"]
    with_department = role.departmental and len({m.department for m in holders}) > 1
    shown = [mention(m.id) + (f" ({escape(m.department or '?')})" if with_department else "") for m in holders[:MAX_PEOPLE]]
    if len(holders) > MAX_PEOPLE:
        shown.append(words["more"].format(n=len(holders) - MAX_PEOPLE))
    return ", ".join(shown)


def _not_covered(answer: Answer, words: dict[str, str], cisos: list[Member]) -> Message:
    suggestions = "\n".join(f"• {escape(s)}" for s in answer.suggestions)
    blocks = [f"🤷 {words['not_covered']}", f"{words['suggest']}\n{suggestions}"]
    footnote = words["ask_ciso"].format(people=", ".join(mention(m.id) for m in cisos)) if cisos else None
    return Message(text=words["not_covered"], blocks=blocks, footnote=footnote)


def _short(name: str) -> str:
    """"DSPO (decentrale security & privacy officer)" -> "DSPO"."""
    return name.split(" (", 1)[0]


def register(router: Router) -> None:
    router.command("wie", ask)
    router.question = ask
