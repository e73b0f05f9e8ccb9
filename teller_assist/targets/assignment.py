"""A branch's targets given to its officers by village (or by household address), balanced by load.

Pure: the targets waiting (each with the customer's address from the core system's extract), the
officers and what each already holds in, the plan out. The extract has no village column of its own, so
the village is read from the address (:func:`village_of`): the text up to its village group (…村3组),
else up to its village or community (…村, …社区), else everything before the house number (句容市
崇明街道上湾205号 → 句容市崇明街道上湾). A person without an address belongs to no village.

Balance first decides each officer's share (:func:`quotas`): the new targets raise the officers with the
fewest open targets to one level, so that afterwards the loads differ by at most one; an officer already
above that level gets nothing. Then:

- ``village``: the villages, largest first, each given whole to one officer — the officer who already
  serves people of that village if their share still has room, else the one with the most room left — as
  long as that officer stays within their share plus a small tolerance (:data:`SLACK_PERCENT` of the
  average share); a village too big for any officer's room is split, its people in address order, so
  each part is a run of neighbouring houses. People without an address fill what is left.
- ``address``: the households (the same address), in address order, cut into one run per officer: each
  officer gets a stretch of neighbouring houses, never half a household.

Every target is in the plan exactly once; nothing is guessed about a person beyond their address.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from teller_assist import vocabulary

__all__ = [
    "MODES",
    "MODE_ZH",
    "SLACK_PERCENT",
    "Pending",
    "Plan",
    "balance",
    "household_of",
    "natural_key",
    "quotas",
    "village_of",
]

MODES = ("village", "address")
MODE_ZH = vocabulary.ASSIGN_MODE_ZH  # the words live in teller_assist.vocabulary
SLACK_PERCENT = 5
"""How far past their share an officer may go to keep a village whole, in percent of the average share."""

_REMARK = re.compile(r"[（(][^（）()]*[)）]")
_SPACE = re.compile(r"\s+")
_GROUP = re.compile(r"^(.+?(?:[0-9一二三四五六七八九十百]+(?:村民小组|小组|组|队)|村民小组))")
_VILLAGE = re.compile(r"^(.+?(?:村委会|居委会|村|社区|小区|新村))")
_HOUSE = re.compile(r"^(.*?)(?:[0-9]+|[一二三四五六七八九十百]+号)")
_DIGITS = re.compile(r"(\d+)")


def _clean(address: str | None) -> str:
    if not address:
        return ""
    text = unicodedata.normalize("NFKC", address)
    text = _REMARK.sub("", text)
    return _SPACE.sub("", text).strip("，,;；。")


def village_of(address: str | None) -> str:
    """The village (or village group, or street) an address lies in, as a key; "" when unknown."""
    text = _clean(address)
    if not text:
        return ""
    for pattern in (_GROUP, _VILLAGE):
        found = pattern.match(text)
        if found:
            return found.group(1)
    found = _HOUSE.match(text)
    if found and found.group(1):
        return found.group(1)
    return text


def household_of(address: str | None) -> str:
    """The address as one household's key (remarks and spaces left out); "" when unknown."""
    return _clean(address)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Numbers compared as numbers: 上湾21号 before 上湾205号."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part)


@dataclass(frozen=True)
class Pending:
    """A target waiting for an officer: its list, the person, the customer's address (None: unknown)."""

    campaign: str
    id_no: str
    address: str | None = None

    def __repr__(self) -> str:  # never the whole ID in a log
        return f"Pending({self.campaign!r}, …{self.id_no[-4:]})"


@dataclass(frozen=True)
class Plan:
    """Who gets which target; each officer's open targets before and the number added; the villages (or
    households) kept with one officer and those split across officers."""

    mode: str
    moves: tuple[tuple[Pending, str], ...]
    before: Mapping[str, int]
    added: Mapping[str, int]
    groups: int
    split: tuple[str, ...]

    def after(self, officer: str) -> int:
        return self.before.get(officer, 0) + self.added.get(officer, 0)


def quotas(loads: Mapping[str, int], officers: Sequence[str], new: int) -> dict[str, int]:
    """How many of ``new`` targets each officer takes so that the loads end as level as they can: the
    officers with the fewest open targets are raised to one level (the lower logins first for the one
    left over), an officer above it takes none. The shares add up to ``new`` exactly."""
    if new < 0:
        raise ValueError("new must not be negative")
    if not officers:
        return {}
    order = sorted(set(officers), key=lambda o: (loads.get(o, 0), o))
    held = [max(0, loads.get(o, 0)) for o in order]
    k = len(order)
    while k > 1 and (new + sum(held[:k])) // k < held[k - 1]:
        k -= 1
    total = new + sum(held[:k])
    base, extra = divmod(total, k)
    out = dict.fromkeys(order, 0)
    for i, officer in enumerate(order[:k]):
        out[officer] = base + (1 if i < extra else 0) - held[i]
    return out


def _person_order(p: Pending) -> tuple[object, ...]:
    return (natural_key(household_of(p.address)), p.id_no, p.campaign)


def _by_village(
    pending: Sequence[Pending],
    share: dict[str, int],
    serves: Mapping[str, Mapping[str, int]],
    slack: int,
) -> tuple[list[tuple[Pending, str]], int, list[str]]:
    groups: dict[str, list[Pending]] = defaultdict(list)
    loose: list[Pending] = []
    for p in pending:
        key = village_of(p.address)
        (groups[key] if key else loose).append(p)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), natural_key(kv[0])))
    ordered += [("", [p]) for p in sorted(loose, key=_person_order)]
    left = dict(share)
    moves: list[tuple[Pending, str]] = []
    split: list[str] = []
    for village, people in ordered:
        people = sorted(people, key=_person_order)
        takers: list[str] = []
        while people:
            roomiest = min(left, key=lambda o: (-left[o], o))
            known = serves.get(village, {}) if village else {}
            usual = min((o for o in known if o in left), key=lambda o: (-known[o], -left[o], o), default=None)
            chosen = usual if usual is not None and left[usual] + slack >= len(people) else roomiest
            n = len(people) if left[chosen] + slack >= len(people) else left[chosen]
            moves += [(p, chosen) for p in people[:n]]
            left[chosen] -= n
            people = people[n:]
            takers.append(chosen)
        if village and len(takers) > 1:
            split.append(village)
    return moves, len(groups) + len(loose), split


def _by_address(
    pending: Sequence[Pending], share: dict[str, int]
) -> tuple[list[tuple[Pending, str]], int, list[str]]:
    homes: dict[str, list[Pending]] = defaultdict(list)
    loose: list[Pending] = []
    for p in pending:
        key = household_of(p.address)
        (homes[key] if key else loose).append(p)
    ordered = sorted(homes.items(), key=lambda kv: (natural_key(village_of(kv[0])), natural_key(kv[0])))
    runs = [sorted(people, key=_person_order) for _key, people in ordered]
    runs += [[p] for p in sorted(loose, key=_person_order)]
    officers = [o for o in sorted(share) if share[o] > 0]
    moves: list[tuple[Pending, str]] = []
    left = dict(share)
    at = 0
    for household in runs:
        while at < len(officers) - 1 and left[officers[at]] <= 0:
            at += 1
        officer = officers[at]
        moves += [(p, officer) for p in household]
        left[officer] -= len(household)
    return moves, len(runs), []


def balance(
    mode: str,
    pending: Iterable[Pending],
    officers: Sequence[str],
    loads: Mapping[str, int],
    serves: Mapping[str, Mapping[str, int]] | None = None,
    *,
    slack_percent: int = SLACK_PERCENT,
) -> Plan:
    """Give every pending target to one of ``officers``. ``loads``: each officer's open targets now;
    ``serves``: village -> officer -> people of that village the officer already holds (``village``
    mode keeps a village with its officer where the share allows)."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if not officers:
        raise ValueError("no officers to balance among")
    people = list(pending)
    share = quotas(loads, officers, len(people))
    moves: list[tuple[Pending, str]] = []
    groups, split = 0, list[str]()
    if people and mode == "village":
        positive = [n for n in share.values() if n > 0]
        slack = math.ceil(sum(positive) / len(positive)) * slack_percent // 100
        moves, groups, split = _by_village(people, share, serves or {}, slack)
    elif people:
        moves, groups, split = _by_address(people, share)
    added: dict[str, int] = dict.fromkeys(sorted(set(officers)), 0)
    for _p, officer in moves:
        added[officer] += 1
    before = {o: loads.get(o, 0) for o in sorted(set(officers))}
    return Plan(mode, tuple(moves), before, added, groups, tuple(split))
