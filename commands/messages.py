"""The platform-neutral shape of everything the bot says.

Text uses a small subset of Slack's mrkdwn (``*bold*``, ``_italic_``, `` `code` ``,
``<@U123>`` mentions, ``<url|label>`` links) because every adapter can render it: Slack
natively, the console by simplifying it. Anything a user typed must pass through
`commands.text.escape` before it is put into a message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ButtonStyle = Literal["primary", "danger"] | None


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # e.g. "report.take"; routed by commands.actions
    value: str = ""
    style: ButtonStyle = None
    confirm: str | None = None  # ask "are you sure?" with this text before acting


@dataclass(frozen=True)
class Fields:
    """Short label/value pairs, shown side by side where the screen allows."""

    pairs: tuple[tuple[str, str], ...]


Block = str | Fields  # a paragraph of mrkdwn, or a set of fields


@dataclass
class Message:
    """One message: a title, paragraphs, optional buttons and a footnote."""

    text: str  # one-line summary: notification text and fallback
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    footnote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        blocks: list[Block] = [
            Fields(tuple(tuple(p) for p in b["pairs"])) if isinstance(b, dict) else b
            for b in data.get("blocks", [])
        ]
        return cls(
            text=data["text"],
            title=data.get("title"),
            blocks=blocks,
            buttons=[Button(**b) for b in data.get("buttons", [])],
            footnote=data.get("footnote"),
        )


FieldKind = Literal["text", "multiline", "choice", "yesno", "date", "number"]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[Choice, ...] = ()
    default: str | None = None
    optional: bool = False
    hint: str | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Form:
    """A form the adapter shows (a Slack modal, or questions one by one in the console)."""

    form_id: str  # routed by commands.forms on submission
    title: str
    fields: tuple[FormField, ...]
    submit_label: str = "Versturen"
    context: str = ""  # opaque state carried to the submission (e.g. a message link)


@dataclass
class Result:
    """What a command returns to the adapter that called it.

    `messages` go to the requester only (ephemeral in Slack). `form` asks the adapter to
    open a form. `update` replaces the message whose button was pressed. Messages for other
    people are not here: commands put them in the outbox (commands.outbox).
    """

    messages: list[Message] = field(default_factory=list)
    form: Form | None = None
    update: Message | None = None

    @classmethod
    def say(cls, message: Message) -> Result:
        return cls(messages=[message])
