"""Unified social credit codes (统一社会信用代码, GB 32100-2015) and the kind of organisation.

The check character comes from python-stdnum's ``cn.uscc``. Its ``validate`` wants the first eight
characters to be digits, which refuses real codes of authorities registered with a letter (``N2…``
village collectives, ``Y1…``), so the format is checked here and only the arithmetic is borrowed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from teller_assist.vocabulary import Bilingual

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ALPHABET_SET = frozenset(ALPHABET)
_DIGITS = frozenset("0123456789")


class OrgKind(Bilingual):
    """What kind of organisation a code belongs to, as the credit policy sees it."""

    GOVERNMENT_ORGAN = ("机关", "government organ")
    PUBLIC_INSTITUTION = ("事业单位", "public institution")
    COMPANY = ("企业", "company")
    INDIVIDUAL_BUSINESS = ("个体工商户", "individual business")
    FARMERS_COOPERATIVE = ("农民专业合作社", "farmers' cooperative")
    SOCIAL_ORGANISATION = ("社会组织", "social organisation")
    MASS_ORGANISATION = ("群众团体", "mass organisation")
    VILLAGE_COLLECTIVE = ("农村集体经济组织", "rural collective")
    OTHER = ("其他组织", "other organisation")


_KINDS: dict[str, OrgKind] = {
    "11": OrgKind.GOVERNMENT_ORGAN,
    "12": OrgKind.PUBLIC_INSTITUTION,
    "13": OrgKind.MASS_ORGANISATION,
    "51": OrgKind.SOCIAL_ORGANISATION,
    "52": OrgKind.SOCIAL_ORGANISATION,
    "53": OrgKind.SOCIAL_ORGANISATION,
    "59": OrgKind.SOCIAL_ORGANISATION,
    "81": OrgKind.MASS_ORGANISATION,
    "91": OrgKind.COMPANY,
    "92": OrgKind.INDIVIDUAL_BUSINESS,
    "93": OrgKind.FARMERS_COOPERATIVE,
    "N1": OrgKind.VILLAGE_COLLECTIVE,
    "N2": OrgKind.VILLAGE_COLLECTIVE,
    "N3": OrgKind.VILLAGE_COLLECTIVE,
}


class UsccRule(Bilingual):
    LENGTH = ("单位信用代码长度错误，应为18位", "a social credit code has 18 characters")
    CHARACTERS = (
        "单位信用代码含非法字符",
        "a social credit code uses digits and the letters 0-9A-Y without I, O, S, V, Z",
    )
    REGION = ("单位信用代码第3至8位应为地区代码数字", "characters 3 to 8 are the region code digits")
    CHECK_CHARACTER = ("单位信用代码校验位错误", "the check character does not match")


class InvalidUscc(ValueError):
    def __init__(self, rule: UsccRule) -> None:
        self.rule = rule
        super().__init__(f"{rule.zh} ({rule.en})")


@dataclass(frozen=True, slots=True)
class Uscc:
    value: str

    @property
    def kind(self) -> OrgKind:
        return classify(self.value)

    @property
    def region_code(self) -> str:
        return self.value[2:8]


def normalise(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def check_character(first17: str) -> str:
    from stdnum.cn import uscc as stdnum_uscc  # ~20 ms to import: only when a code is checked

    result: str = stdnum_uscc.calc_check_digit(first17)
    return result


def parse_uscc(raw: str) -> Uscc:
    text = normalise(raw)
    if len(text) != 18:
        raise InvalidUscc(UsccRule.LENGTH)
    if not set(text) <= _ALPHABET_SET:
        raise InvalidUscc(UsccRule.CHARACTERS)
    if not set(text[2:8]) <= _DIGITS:
        raise InvalidUscc(UsccRule.REGION)
    if check_character(text[:17]) != text[17]:
        raise InvalidUscc(UsccRule.CHECK_CHARACTER)
    return Uscc(text)


def classify(code: str) -> OrgKind:
    """The kind of organisation from the first two characters (registration authority and type)."""
    return _KINDS.get(code[:2], OrgKind.OTHER)
