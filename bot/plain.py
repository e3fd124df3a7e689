"""Messages as plain text for a terminal: names instead of ids, links spelled out."""

from __future__ import annotations

import re
from collections.abc import Callable

from commands.messages import Fields, Message
from commands.text import unescape

MENTION = re.compile(r"<@([A-Za-z0-9_.-]+)>")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>|<(https?://[^>]+)>")
EMPHASIS = re.compile(r"(?<![\w*_])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*_])")


def plain(mrkdwn: str, name_of: Callable[[str], str]) -> str:
    """mrkdwn as a person reads it: "@Name" for mentions, "label (url)" for links, no emphasis
    markers, entities undone (so text a user typed reads exactly as typed)."""
    text = MENTION.sub(lambda m: "@" + name_of(m.group(1)), mrkdwn)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(1) else m.group(3), text)
    text = EMPHASIS.sub(r"\2", text)  # *bold* and _italic_ markers; a terminal shows them as noise
    return unescape(text)


def message_lines(message: Message) -> list[str]:
    """The message's parts in reading order (buttons are left to the caller)."""
    lines: list[str] = []
    if message.title:
        lines.append(message.title)
    elif not message.blocks:
        lines.append(message.text)
    for block in message.blocks:
        if isinstance(block, Fields):
            lines.extend(f"{label}: {value}" for label, value in block.pairs)
        else:
            lines.append(block)
    if message.footnote:
        lines.append(f"({message.footnote})")
    return lines


def message_text(message: Message, name_of: Callable[[str], str]) -> str:
    return plain("\n".join(message_lines(message)), name_of)
