"""From report to crisis over Slack: a critical /meld pages the CISO to decide; the card's
"Opschalen naar crisis" button declares the crisis and pages the team."""

from __future__ import annotations


def _buttons(call) -> dict[str, str]:  # noqa: ANN001
    return {e["text"]["text"]: e["action_id"] for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]}


def test_critical_report_pages_ciso_and_the_card_escalates_to_a_crisis(slack_bot) -> None:  # noqa: ANN001
    slack_bot.slack.command("/meld", "ransomware: alle bestanden op de balie-pc's zijn versleuteld", user_id="U01EMP")
    slack_bot.fake.wait_for("response_url")
    slack_bot.delivered()
    decision = [c for c in slack_bot.fake.calls_to("chat.postMessage") if any("crisis.convene" in a for a in _buttons(c).values())]
    assert {c.params["channel"] for c in decision} == {"U01CISO", "U01CISO2"}

    ciso_card = next(c for c in slack_bot.fake.calls_to("chat.postMessage")
                     if c.params["channel"] == "U01CISO" and "🚨 Opschalen naar crisis" in _buttons(c))
    action_id = _buttons(ciso_card)["🚨 Opschalen naar crisis"]
    assert slack_bot.slack.button("U01CISO", action_id, "MELD-2026-0001").status == 200
    slack_bot.fake.wait_for("conversations.create", timeout=10)
    slack_bot.delivered()
    paged = {c.params["channel"] for c in slack_bot.fake.calls_to("chat.postMessage")
             if any(a.startswith("crisis.ack") for a in _buttons(c).values())}
    assert {"U01GSEC", "U01CIO", "U01DSPOB", "U01MGRB"} <= paged
