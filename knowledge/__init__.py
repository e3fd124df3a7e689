"""The policy knowledge base and the question-answering engine.

    from knowledge import Answerer
    answer = Answerer().answer("Wie stelt een DPIA op?")
    answer.role_ids, answer.text, answer.sections
"""

from knowledge.engine import Answer, Answerer, AnswerKind, MeetingInfo, Quote, RoleMatch
from knowledge.policy import Language, Policy, PolicyError, load_policy
from knowledge.render import render_text

__all__ = [
    "Answer", "AnswerKind", "Answerer", "Language", "MeetingInfo", "Policy", "PolicyError", "Quote",
    "RoleMatch", "load_policy", "render_text",
]
