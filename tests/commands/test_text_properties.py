"""Property tests: whatever a user types, escaping keeps it verbatim and inert."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.plain import plain
from bot.slack.blocks import message_blocks
from commands.messages import Fields, Message
from commands.text import escape, shorten, unescape

ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=5000)
MARKUP_TEXT = st.lists(st.sampled_from(["<!channel>", "<!here>", "<@U01CISO>", "&", "&amp;", "<", ">", "*", "_", "`",
                                        "'; DROP TABLE report;--", "\u202e", "\u200f", "👩‍💻", "\n", " ", "x"]), max_size=400).map("".join)


@given(st.one_of(ANY_TEXT, MARKUP_TEXT))
def test_escape_is_reversible_and_leaves_no_angle_brackets(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape(escaped) == text


@given(st.one_of(ANY_TEXT, MARKUP_TEXT))
def test_rendered_blocks_never_contain_user_markup_and_respect_limits(text: str) -> None:
    message = Message(text=escape(text[:100]), title=escape(text[:200]), blocks=[escape(text), Fields((("Tekst", escape(text[:1500])),))])
    blocks = message_blocks(message)
    assert len(blocks) <= 50
    for block in blocks:
        texts = [block["text"]["text"]] if "text" in block else [f["text"] for f in block.get("fields", [])]
        for rendered in texts:
            if block["type"] != "header":  # headers are plain text: Slack shows them literally
                assert "<" not in rendered and ">" not in rendered
            assert len(rendered) <= 3000


@given(st.one_of(ANY_TEXT, MARKUP_TEXT))
def test_console_shows_exactly_what_was_typed(text: str) -> None:
    assert plain(escape(text), str).replace("*", "").replace("_", "") == text.replace("*", "").replace("_", "")


@given(ANY_TEXT, st.integers(min_value=2, max_value=300))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short == text or short.endswith("…")
