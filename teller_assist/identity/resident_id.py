"""Resident ID numbers (居民身份证号码, GB 11643-1999).

Eighteen characters: a six-digit region code, the birth date ``YYYYMMDD``, a three-digit sequence
(odd for men, even for women) and a check character computed with ISO 7064 MOD 11-2 (``0``-``9`` or
``X``). Legacy fifteen-digit numbers (``YYMMDD``, no check character, all born in the 1900s) are
converted to eighteen.

Everything here is pure: the date used for "not in the future" and for ages is an argument.
"""

from __future__ import annotations

import operator
import unicodedata
from dataclasses import dataclass
from datetime import date

from teller_assist.identity.regions import RegionName, region_name
from teller_assist.vocabulary import Bilingual

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_DIGITS = frozenset("0123456789")
_ALLOWED = _DIGITS | {"X"}
# GB 11643 sets no earliest birth date and python-stdnum's cn.ric checks only for a real date; the
# oldest people ever issued a card were born in the 1880s. From 1850 every real resident fits, while
# years no one alive can have (a mistyped or made-up number) are refused.
EARLIEST_BIRTH_YEAR = 1850


class IdRule(Bilingual):
    """The rule a resident ID failed, with the words shown to staff."""

    EMPTY = ("未输入身份证号", "no resident ID given")
    LENGTH = (
        "身份证号长度错误，应为18位（或15位旧号）",
        "a resident ID has 18 characters (15 for legacy numbers)",
    )
    CHARACTERS = (
        "身份证号含非法字符，只能是数字，末位可为X",
        "only digits are allowed, and X as the last character",
    )
    CHECK_CHARACTER = ("身份证校验位错误", "the check character does not match")
    BIRTH_DATE = ("身份证中的出生日期无效", "the birth date in the ID is not a real date")
    FUTURE_BIRTH_DATE = ("身份证中的出生日期晚于今天", "the birth date in the ID is in the future")


class InvalidResidentId(ValueError):
    """A resident ID that failed one rule; ``rule`` says which."""

    def __init__(self, rule: IdRule, detail: str = "") -> None:
        self.rule = rule
        self.detail = detail
        super().__init__(f"{rule.zh}{('：' + detail) if detail else ''} ({rule.en})")


def normalise(raw: str) -> str:
    """Trim, fold full-width characters (NFKC) and upper-case a trailing ``x``.

    Inner spaces are removed too: IDs are often typed or printed in groups (``3211 8319 ...``).
    """
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17:
        raise ValueError("check_character needs exactly 17 digits")
    return _CHECK[sum(map(operator.mul, map(int, first17), _WEIGHTS)) % 11]


def _birth(text: str) -> date:
    try:
        born = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InvalidResidentId(IdRule.BIRTH_DATE, text) from None
    if born.year < EARLIEST_BIRTH_YEAR:
        raise InvalidResidentId(IdRule.BIRTH_DATE, text)
    return born


@dataclass(frozen=True, slots=True, order=True)
class ResidentId:
    """A validated 18-character resident ID. Build it with :func:`parse_resident_id`."""

    value: str

    @property
    def region_code(self) -> str:
        return self.value[:6]

    @property
    def birth_date(self) -> date:
        return date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    @property
    def gender(self) -> str:
        """``"M"`` or ``"F"``, from the parity of the sequence number."""
        return "M" if int(self.value[16]) % 2 else "F"

    def age_on(self, day: date) -> int:
        """Completed years of age on ``day`` (someone born on 29 February turns a year older on 1 March)."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def region(self) -> RegionName:
        return region_name(self.region_code)

    def __str__(self) -> str:  # never let the full number slip into a format string by accident
        return f"ResidentId({self.value[:4]}…{self.value[-4:]})"

    __repr__ = __str__


def to18(legacy15: str) -> str:
    """Convert a legacy 15-digit number (all digits) to its 18-character form."""
    first17 = legacy15[:6] + "19" + legacy15[6:]
    return first17 + check_character(first17)


def parse_resident_id(raw: str, *, today: date) -> ResidentId:
    """Validate ``raw`` and return the 18-character ID, or raise :class:`InvalidResidentId`.

    ``today`` is the date against which a birth date must not lie in the future.
    """
    text = normalise(raw)
    if not text:
        raise InvalidResidentId(IdRule.EMPTY)
    if len(text) == 15:
        if not set(text) <= _DIGITS:
            raise InvalidResidentId(IdRule.CHARACTERS)
        text = to18(text)
        born = _birth(text[6:14])
    elif len(text) == 18:
        if not set(text[:17]) <= _DIGITS or text[17] not in _CHECK:
            raise InvalidResidentId(IdRule.CHARACTERS)
        if check_character(text[:17]) != text[17]:
            raise InvalidResidentId(IdRule.CHECK_CHARACTER)
        born = _birth(text[6:14])
    else:
        if not set(text) <= _ALLOWED:
            raise InvalidResidentId(IdRule.CHARACTERS)
        raise InvalidResidentId(IdRule.LENGTH, f"实际{len(text)}位")
    if born > today:
        raise InvalidResidentId(IdRule.FUTURE_BIRTH_DATE)
    return ResidentId(text)


def partial_problem(raw: str) -> IdRule | None:
    """For validation as characters arrive: the rule a *prefix* already breaks, if any.

    A prefix that can still become a valid ID returns ``None``.
    """
    text = normalise(raw)
    if len(text) > 18:
        return IdRule.LENGTH
    if not set(text[:17]) <= _DIGITS:
        return IdRule.CHARACTERS
    if len(text) == 18 and text[17] not in _CHECK:
        return IdRule.CHARACTERS
    return None
