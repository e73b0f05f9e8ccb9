"""A roster's rows as a campaign's members: every row accounted for, and a member's line counted once.

Each row of a decided roster (:mod:`teller_assist.campaigns.batch`) ends as one of:

- **matched**: a customer the bank knows, the names agreeing;
- **new to the bank**: someone the bank has no record of (they still get the base line);
- **refused** with a reason a clerk understands. A refused row whose resident ID is valid (a name that
  differs from the bank's record, a bad phone, a missing consent, a village group the campaign does not
  have) is still that person's membership, marked refused until a corrected roster clears it; a row
  without a valid ID, or repeating a person already on the roster, is counted and handed back only.

Pure: the decided roster in, the members to keep out; the date is an argument. Nothing here stores a
line: a member's line is the person's, worked out from the bank's data when it is asked for
(:func:`prequalify`), so a person on several campaigns holds one line, not a copy per campaign.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from teller_assist import vocabulary
from teller_assist.campaigns.batch import MemberDecision, RosterDecision
from teller_assist.campaigns.roster import Refusal
from teller_assist.identity.masking import Masking
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.lookup.card import CustomerCard
from teller_assist.prequal.bands import Tally, band_of, empty_bands
from teller_assist.prequal.engine import decide
from teller_assist.prequal.group import GroupEvidence
from teller_assist.prequal.policy import Policy

MEMBER_STATUSES = ("matched", "new_to_bank", "refused", "removed")
MEMBER_STATUS_ZH = vocabulary.MEMBER_STATUS_ZH  # the words live in teller_assist.vocabulary
# roster columns kept as the member's own typed columns (the rest of the scenario's go to ``extras``)
TYPED_FIELDS = (
    "evaluation",
    "evaluated_by",
    "evaluated_on",
    "key_household",
    "permanent_staff",
    "consent_credit_inquiry",
    "consent_personal_info",
)
MAX_NAME = 64


@dataclass(frozen=True)
class MemberRow:
    """One person of a campaign as the latest roster gives them."""

    id_no: str
    name: str
    status: str  # matched, new_to_bank or refused
    line_no: int
    reason: str | None = None  # why refused (Chinese, a clerk's words)
    phone: str | None = None
    evaluation: str | None = None
    evaluated_by: str | None = None
    evaluated_on: dt.date | None = None
    key_household: bool = False
    permanent_staff: bool = False
    extras: Mapping[str, str] = field(default_factory=dict)
    consented: bool = False  # both consents marked 是 on the roster

    @property
    def accepted(self) -> bool:
        return self.status != "refused"

    def __repr__(self) -> str:  # no one's ID, name or phone in a log
        return f"MemberRow({Masking().resident_id(self.id_no)}, {self.status}, line {self.line_no})"


@dataclass(frozen=True)
class ImportPlan:
    """What a roster makes of a campaign's members: one row per person, every refused row of the file,
    and the accepted members' decisions (for the totals shown after the import)."""

    scenario: str
    rows: int
    members: tuple[MemberRow, ...]
    refused: tuple[Refusal, ...]
    decided: tuple[MemberDecision, ...]

    def count(self, status: str) -> int:
        return sum(1 for m in self.members if m.status == status)

    @property
    def holding(self) -> int:
        return sum(1 for d in self.decided if d.holding is not None)

    @property
    def eligible(self) -> int:
        return sum(1 for d in self.decided if d.decision.eligible)


def plain_group(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def village_group_refusal(group: str, village_groups: Sequence[str]) -> tuple[str, str] | None:
    """A member's 村民小组 that is not one of the village's (when the campaign names them)."""
    if not village_groups or not group.strip() or plain_group(group) in village_groups:
        return None
    return (
        f"村民小组“{plain_group(group)}”不是本村的小组（{'、'.join(village_groups)}）",
        f"the village group is not one of the village's ({len(village_groups)} groups)",
    )


def _accepted(d: MemberDecision) -> MemberRow:
    m = d.member
    ev = m.evidence
    extras = {k: v for k, v in m.fields.items() if k not in TYPED_FIELDS}
    return MemberRow(
        m.id_no,
        m.name,
        "matched" if d.known else "new_to_bank",
        m.line_no,
        None,
        m.phone,
        ev.evaluation,
        ev.evaluated_by,
        ev.evaluated_on,
        ev.key_household,
        ev.permanent_staff,
        extras,
        m.consented,
    )


def _valid_id(text: str, as_of: dt.date) -> str | None:
    try:
        return parse_resident_id(text, today=as_of).value
    except InvalidResidentId:
        return None


def plan_import(decision: RosterDecision, as_of: dt.date, village_groups: Sequence[str] = ()) -> ImportPlan:
    """Every row of ``decision`` accounted for: the members (one per person) and the refused rows."""
    refused = list(decision.refused)
    decided: list[MemberDecision] = []
    members: dict[str, MemberRow] = {}
    for d in decision.decided:
        why = village_group_refusal(d.member.fields.get("village_group", ""), village_groups)
        if why is not None:
            refused.append(Refusal(d.member.line_no, d.member.id_no, d.member.name, *why))
            continue
        decided.append(d)
        members[d.member.id_no] = _accepted(d)
    refused.sort(key=lambda r: r.line_no)
    for r in refused:  # the first refusal of a person not otherwise on the roster keeps their place
        id_no = _valid_id(r.id_no, as_of)
        if id_no is None or id_no in members:
            continue
        name = " ".join(r.name.split())[:MAX_NAME]
        members[id_no] = MemberRow(id_no, name, "refused", r.line_no, r.reason_zh)
    ordered = tuple(sorted(members.values(), key=lambda m: m.line_no))
    return ImportPlan(
        decision.scenario,
        len(decision.decided) + len(decision.refused),
        ordered,
        tuple(refused),
        tuple(decided),
    )


@dataclass(frozen=True)
class Held:
    """A member the new roster no longer lists but who could be one of its refused rows (the same name,
    or an ID one or two characters off theirs): kept as they were, not removed, until a corrected roster
    says who the row is."""

    id_no: str
    name: str
    line_no: int  # the refused row that could be them
    reason_zh: str  # why that row was refused
    reason_en: str


def _plain_name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _typo_of(given: str, id_no: str) -> bool:
    """The row's ID could be ``id_no`` mistyped: the same length, at most two characters differ."""
    text = "".join(unicodedata.normalize("NFKC", given).split()).upper()
    return len(text) == len(id_no) and sum(a != b for a, b in zip(text, id_no, strict=True)) <= 2


def held_back(absent: Mapping[str, str], refused: Sequence[Refusal]) -> list[Held]:
    """Of the members a new roster no longer lists (``absent``: resident ID -> name), those who could be
    one of its refused rows: a row giving the same name, or an ID at most two characters off theirs.
    One refused row holds back every member it could be (two 张三 absent, one row: both kept)."""
    out = []
    for id_no, name in absent.items():
        plain = _plain_name(name)
        for r in sorted(refused, key=lambda r: r.line_no):
            if (plain and _plain_name(r.name) == plain) or _typo_of(r.id_no, id_no):
                out.append(Held(id_no, name, r.line_no, r.reason_zh, r.reason_en))
                break
    return out


@dataclass
class Prequalified:
    """A campaign's members decided from today's data: eligible or not, and the lines still to grant by
    band. Someone already holding (or awaiting) a pre-credit is counted apart with the line they hold:
    their line counts once, not again for this campaign."""

    decided: int = 0
    eligible: int = 0
    holding: int = 0
    holding_fen: int = 0
    grantable: dict[str, Tally] = field(default_factory=empty_bands)
    potential: dict[str, Tally] = field(default_factory=empty_bands)


def prequalify(
    members: Sequence[tuple[CustomerCard, GroupEvidence]], policy: Policy, as_of: dt.date
) -> Prequalified:
    out = Prequalified()
    for card, evidence in members:
        out.decided += 1
        held = card.open_application
        if held is not None:
            out.holding += 1
            out.holding_fen += held.line_fen
            continue
        decision = decide(card, None, policy, as_of, evidence)
        out.eligible += decision.eligible
        out.grantable[band_of(decision.grantable_fen)].add(decision.grantable_fen)
        out.potential[band_of(decision.potential_fen)].add(decision.potential_fen)
    return out
