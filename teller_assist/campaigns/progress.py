"""A campaign's progress at a date D, by person (issue 17, item 7): members, matched, eligible, decided,
surveyed, submitted, granted, notified, signed, used.

Pure: each member's plain facts in (their standing on the campaign, their eligibility at D, the day a
completed survey was recorded, every application they have, whichever way it came), the counts out.

Every figure counts people, each once however many applications they have:

- **members** 成员: on the campaign (the latest roster's people; those it no longer lists are not);
- **matched** 本行客户: members matched to a customer the bank knows (the names agreeing);
- **eligible** 符合准入: members eligible at D as the decision engine says (not on the negative list as
  the card reads it, that is as it stands now; age at D within the policy's band). For a past D the
  KPIs read the list's history instead;
- **surveyed** 已调查: members with a completed survey recorded on the campaign by D;
- **submitted** 已提交: members with an application submitted through the campaign by D, whatever
  became of it;
- **decided** 已审批: of those, members whose campaign application an approver decided by D (approved,
  or rejected with a reason);
- **granted** 已授信: members holding a granted line at D (approved or signed, decided by D and still
  valid at D), from this campaign, another one or the counter: a person's line counts once, wherever it
  came from (``spec/programme.md``, the KPIs' definition);
- **notified** 已告知: of the granted, those whose line's notification letter was issued, or whose
  approval text was handed to the SMS platform, by D;
- **signed** 已签约: members holding a signed line at D (signed by D, still valid at D);
- **used** 已用信: of the signed, those with a drawdown from their signing day to D.

``MEANING`` says the same in the words the faces show beside each figure (Chinese and English).
``granted_fen`` and ``signed_fen`` are the lines those people hold (fen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from teller_assist import vocabulary

__all__ = ["FIGURES", "FIGURE_ZH", "MEANING", "LineFacts", "PersonFacts", "Progress", "count_progress"]

FIGURES = (
    "members",
    "matched",
    "eligible",
    "decided",
    "surveyed",
    "submitted",
    "granted",
    "notified",
    "signed",
    "used",
)
FIGURE_ZH = vocabulary.CAMPAIGN_FIGURE_ZH  # the words live in teller_assist.vocabulary
# what each figure counts, in one place (the faces show it beside the figure; the README says the same)
MEANING = {
    "members": ("最新名单上的人（已移出的不计）", "people on the latest roster (the removed not counted)"),
    "matched": ("与本行客户信息相符的成员", "members matched to a customer the bank knows"),
    "eligible": (
        "测算日符合准入的成员（不在负面清单，年龄在政策范围内）",
        "members eligible at the date (not on the negative list, age within the policy's band)",
    ),
    "decided": (
        "本活动提交的申请已由审批人作出决定（批准或拒绝）的成员，每人计一次",
        "members whose application submitted through this campaign an approver decided (approved or "
        "rejected), each once",
    ),
    "surveyed": ("本活动已登记完整调查的成员", "members with a completed survey kept on the campaign"),
    "submitted": (
        "经本活动提交过申请的成员，无论结果",
        "members with an application submitted through this campaign, whatever became of it",
    ),
    "granted": (
        "持有有效授信额度的成员（已批准或已签约且在有效期内；来自本活动、其他活动或柜面，每人计一次）",
        "members holding a granted line (approved or signed, still valid; from this campaign, another "
        "one or the counter, each once)",
    ),
    "notified": (
        "已授信中已出具告知函或已发送审批短信的",
        "of the granted, those whose letter was issued or approval text handed to the SMS platform",
    ),
    "signed": ("持有已签约有效额度的成员", "members holding a signed line still valid"),
    "used": ("已签约中自签约日起有用信的", "of the signed, those with a drawdown from the signing day"),
}
GRANTED_STATUSES = ("approved", "signed", "expired")  # "expired" was held until its last valid day
DECIDED_STATUSES = ("approved", "signed", "expired", "rejected")


@dataclass(frozen=True)
class LineFacts:
    """One application of a member's."""

    status: str
    here: bool  # submitted through this campaign
    submitted_on: dt.date | None
    decided_on: dt.date | None
    valid_until: dt.date | None
    signed_on: dt.date | None
    line_fen: int
    notified_on: dt.date | None  # the first letter issued or text handed over (local day)
    first_drawn_on: dt.date | None  # the first drawdown on or after the signing day (up to D)

    def held(self, day: dt.date) -> bool:
        return (
            self.status in GRANTED_STATUSES
            and self.decided_on is not None
            and self.valid_until is not None
            and self.decided_on <= day <= self.valid_until
        )

    def signed(self, day: dt.date) -> bool:
        return self.held(day) and self.signed_on is not None and self.signed_on <= day

    def used(self, day: dt.date) -> bool:
        return (
            self.signed(day)
            and self.first_drawn_on is not None
            and self.signed_on is not None
            and self.signed_on <= self.first_drawn_on <= day
        )


@dataclass(frozen=True)
class PersonFacts:
    status: str  # matched, new_to_bank, refused, removed
    eligible: bool  # at D
    surveyed_on: dt.date | None
    lines: tuple[LineFacts, ...] = ()


@dataclass(frozen=True)
class Progress:
    day: dt.date
    members: int = 0
    matched: int = 0
    eligible: int = 0
    decided: int = 0
    surveyed: int = 0
    submitted: int = 0
    granted: int = 0
    notified: int = 0
    signed: int = 0
    used: int = 0
    granted_fen: int = 0
    signed_fen: int = 0

    def figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURES}


def count_progress(people: Sequence[PersonFacts], day: dt.date) -> Progress:
    counts = dict.fromkeys((*FIGURES, "granted_fen", "signed_fen"), 0)
    for p in people:
        if p.status == "removed":
            continue
        counts["members"] += 1
        counts["matched"] += p.status == "matched"
        counts["eligible"] += p.eligible
        counts["surveyed"] += p.surveyed_on is not None and p.surveyed_on <= day
        here = [x for x in p.lines if x.here and x.submitted_on is not None and x.submitted_on <= day]
        counts["submitted"] += bool(here)
        counts["decided"] += any(
            x.status in DECIDED_STATUSES and x.decided_on is not None and x.decided_on <= day for x in here
        )
        held = next((x for x in p.lines if x.held(day)), None)
        if held is None:
            continue
        counts["granted"] += 1
        counts["granted_fen"] += held.line_fen
        counts["notified"] += held.notified_on is not None and held.notified_on <= day
        if held.signed(day):
            counts["signed"] += 1
            counts["signed_fen"] += held.line_fen
            counts["used"] += held.used(day)
    return Progress(day, **counts)
