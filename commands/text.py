"""Helpers for putting user-supplied and generated text safely into messages."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """Escape text a user typed so it can never become a mention, link or @channel.

    Slack treats only ``&``, ``<`` and ``>`` as control characters in message text.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def without_nul(text: str) -> str:
    """NUL is no character anyone types, and PostgreSQL cannot store or even compare it: it
    becomes U+FFFD (the replacement character) wherever text enters the bot."""
    return text.replace("\x00", "\ufffd")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def clean(text: str) -> str:
    """Strip control characters (not newlines or tabs) and surrounding whitespace."""
    return _CONTROL.sub("", text).strip()


def shorten(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters on a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip() + "…"
