"""What the counter may do next for the person on screen: pure rules over the card, the decision and
the application, so the window shows at once what is possible and why not (the services refuse the
same things again when asked)."""

from __future__ import annotations

from dataclasses import dataclass

from teller_assist import vocabulary
from teller_assist.lookup.card import ApplicationFact, CustomerCard
from teller_assist.money import yuan_text
from teller_assist.prequal.engine import Decision
from teller_assist.prequal.workflow import STATUS_ZH

STATUS_EN = vocabulary.APPLICATION_STATUS_EN  # the words live in teller_assist.vocabulary


@dataclass(frozen=True)
class Blocked:
    """Why no survey and no submission can be made for this person now, in both languages."""

    zh: str
    en: str


def standing_line(card: CustomerCard) -> ApplicationFact | None:
    """The pre-credit this person holds now (submitted, approved or signed): the card's headline."""
    return card.open_application


def survey_blocked(card: CustomerCard, decision: Decision | None) -> Blocked | None:
    """A person who already holds an open pre-credit, or whom the policy excludes, gets no survey and
    no submission; ``None`` when both may go ahead."""
    held = standing_line(card)
    if held is not None:
        return Blocked(
            f"该客户已有{STATUS_ZH.get(held.status, held.status)}的预授信（申请 {held.id}，"
            f"{yuan_text(held.line_fen)}元），不能再次申请",
            f"This person already holds a pre-credit ({STATUS_EN.get(held.status, held.status)}, "
            f"application {held.id}, ¥{yuan_text(held.line_fen)}); no new application",
        )
    if decision is not None and not decision.eligible:
        return Blocked(
            "不可授信，不能调查和提交：" + "；".join(decision.reasons),
            "Not eligible, no survey or submission: " + "; ".join(decision.reasons),
        )
    return None
