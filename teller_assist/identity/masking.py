"""The one place where personal numbers are masked for screens, paper and logs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teller_assist.vocabulary import CANDIDATE_ZH

MASK_CHAR = "*"
MASKED_AMOUNT = "***"  # an income or a debt: nothing of it stays, not even its number of digits


@dataclass(frozen=True, slots=True)
class Masking:
    """How many characters of an ID or a phone stay visible (the ``[masking]`` settings)."""

    id_head: int = 4
    id_tail: int = 4
    phone_head: int = 3
    phone_tail: int = 4

    def __post_init__(self) -> None:
        for name in ("id_head", "id_tail", "phone_head", "phone_tail"):
            if getattr(self, name) < 0:
                raise ValueError(f"masking.{name} must not be negative")
        if self.id_head + self.id_tail > 8:
            raise ValueError("masking: at most 8 characters of a resident ID may stay visible")
        if self.phone_head + self.phone_tail > 7:
            raise ValueError("masking: at most 7 digits of a phone number may stay visible")

    def resident_id(self, value: str) -> str:
        return mask(value, self.id_head, self.id_tail)

    def phone(self, value: str) -> str:
        return mask(value, self.phone_head, self.phone_tail)

    def income(self, value: str) -> str:
        """An income or debt figure, masked whole."""
        return MASKED_AMOUNT if value else ""

    def amounts(self, text: str) -> str:
        """The incomes and debts inside the decision's words masked (see ``mask_personal_amounts``)."""
        return mask_personal_amounts(text)


def mask(value: str, head: int, tail: int) -> str:
    """Keep ``head`` leading and ``tail`` trailing characters, replace the rest with ``*``.

    When the value is too short for that, at most a third of it stays visible, at its end: a short
    value is never shown whole.
    """
    n = len(value)
    if n == 0:
        return ""
    if head + tail >= n:
        keep = min(tail, n // 3)
        return MASK_CHAR * (n - keep) + (value[n - keep :] if keep else "")
    return value[:head] + MASK_CHAR * (n - head - tail) + (value[n - tail :] if tail else "")


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


# A person's own money in the decision's words (prequal.engine's evidence): the payroll's monthly average
# (月均8,500元), the declared household income (申报家庭年收入120,000元) and debts (负债20,000元).
_PERSONAL_AMOUNT = re.compile(r"(?P<head>月均|年收入|负债)(?P<amount>\d[\d,]*(?:\.\d+)?)(?=元)")

# ...and every figure computed from them on the way to the line, which would give them away by arithmetic
# (月均***元 → 10倍月均工资73,778.70元 is a monthly 7,377.87): the candidate an income gives (N倍月均工资,
# the survey's "= N元"), the largest candidate when it is one of those, the settled-household uplift
# (10% of the candidate) and the figure before rounding. Those last two are masked whatever the candidate:
# their own words do not say whether it rests on an income. What stays: the bank's fixed figures (base,
# floors, tag grades, cap) and the line itself, rounded down to the policy's step, which tells no more
# than a band (a 1,000 yuan step of ten months' pay is a monthly pay within 100 yuan).
# the engine's candidates computed from a person's own money
INCOME_CANDIDATES = ("payroll", "survey", "till_sales")
_DERIVED_AMOUNT = re.compile(
    r"(?P<head>\d+倍月均(?:工资|销售额)"  # payroll, a merchant's till: N倍月均工资X元
    r"|负债\*{3}元\s*=\s*"  # survey: 申报家庭年收入***元×2 − 负债***元 = X元
    r"|取最高候选额度：(?:"  # the largest candidate, when an income gave it
    + "|".join(re.escape(CANDIDATE_ZH[code]) for code in INCOME_CANDIDATES)
    + ")"
    r"|(?:稳定户|评议为好，)上浮\d+%\s*→\s*\+"  # an uplift: a share of the candidate
    r"|向下取整到[\d,]+元：)"  # the figure before rounding
    r"(?P<amount>-?\d[\d,]*(?:\.\d+)?)(?=元)"  # a candidate may be negative (debts above the income)
)


def mask_personal_amounts(text: str) -> str:
    """``text`` with every income and debt figure, and every figure computed from one, replaced by ``***``.

    The rule: a masked figure must not be derivable from what is shown beside it. Only the bank's own
    fixed figures and the final line (rounded to the policy's step) stay readable."""
    text = _PERSONAL_AMOUNT.sub(lambda m: m["head"] + MASKED_AMOUNT, text)
    return _DERIVED_AMOUNT.sub(lambda m: m["head"] + MASKED_AMOUNT, text)


def masks_factor_amount(code: str, source: str) -> bool:
    """Whether a decision factor's own amount (``Factor.amount_fen``, shown by machines beside its words)
    is masked with the incomes: by the same rule as ``mask_personal_amounts``. ``source`` is the candidate
    that set the line (``Decision.source``)."""
    if code in (*INCOME_CANDIDATES, "settled_household", "group_evaluation", "rounding"):
        return True
    return code in ("largest_candidate", "cap") and source in INCOME_CANDIDATES


def mask_free_text(value: str, masking: Masking) -> str:
    """Mask every resident-ID-like and mobile-like number, and every income or debt written the way the
    decision writes it, inside free text (a log line, an audit detail)."""
    value = _ID_LIKE.sub(lambda m: masking.resident_id(m.group(0)), value)
    value = _PHONE_LIKE.sub(lambda m: masking.phone(m.group(0)), value)
    return mask_personal_amounts(value)


# A refused row is whatever the file held: an ID with a digit too many, 17 digits whose check character
# anyone can compute, an ID glued to letters, a legacy 15-digit ID, a phone, a person's exact pay. So in a
# refused row every number is masked, whatever stands around it: a run of 15 to 18 digits (with a
# trailing X) by the resident-ID rule, a run of exactly 11 digits that looks like a mobile by the phone
# rule (both leave only the characters the masking settings allow), and every other number, with its
# decimals, reads *** (longer runs, dates and amounts included: the line number says where to look).
_LONG_RUN = r"\d{15,}[Xx]?"
_NUMBER = r"\d+(?:[.．]\d+)*"
_ROW_NUMBERS = re.compile(rf"(?P<long>{_LONG_RUN})|(?P<number>{_NUMBER})")
_LONG_OR_PHONE = re.compile(rf"{_LONG_RUN}|(?<!\d)1[3-9]\d{{9}}(?!\d)")
_ECHOED = re.compile(r"(?<=无效：).*", re.DOTALL)  # a refusal that quotes the value it refused


def _id_sized(digits: str) -> bool:
    return 15 <= len(digits.rstrip("Xx")) <= 18


def _mask_number(match: re.Match[str], masking: Masking) -> str:
    digits = match.group(0)
    if match.group("long"):
        return masking.resident_id(digits) if _id_sized(digits) else MASKED_AMOUNT
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return masking.phone(digits)
    return MASKED_AMOUNT


def mask_refused_row(value: str, masking: Masking) -> str:
    """A refused row as read, fit to be shown or exported: every number in it masked (see above)."""
    return _ROW_NUMBERS.sub(lambda m: _mask_number(m, masking), value)


def _mask_long_or_phone(match: re.Match[str], masking: Masking) -> str:
    digits = match.group(0)
    if len(digits) == 11:
        return masking.phone(digits)
    return masking.resident_id(digits) if _id_sized(digits) else MASKED_AMOUNT


def mask_refusal_reason(value: str, masking: Masking) -> str:
    """The reason a row was refused, fit to be shown: the program's own words keep their counts (列数不符：
    表头6列，本行5列), a value the reason quotes is masked like the row, and any ID- or phone-like run of
    digits is masked wherever it stands."""
    value = _ECHOED.sub(lambda m: mask_refused_row(m.group(0), masking), value)
    return _LONG_OR_PHONE.sub(lambda m: _mask_long_or_phone(m, masking), value)
