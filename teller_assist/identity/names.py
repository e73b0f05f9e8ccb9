"""A person's name as typed at the counter for someone the bank has never seen: the name the agreement
will name, so it must look like a name on a resident ID card.

Chinese names: Han characters, including the extensions (䶮, 𠀀), with the middle dot of transliterated
names (阿依古丽·买买提); or, for the few IDs issued with a Latin name, letters and single spaces.
"""

from __future__ import annotations

import itertools
import unicodedata

MAX_LENGTH = 30
DOTS = "·•．"  # the middle dot as typed by different input methods


def _han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH") or ch == "〇"


def name_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` is not a usable name (Chinese, English), or None when it is."""
    name = text.strip()
    if not name:
        return "请填写客户姓名（与身份证一致）", "enter the customer's name as on the ID card"
    if len(name) > MAX_LENGTH:
        return f"姓名过长（最多{MAX_LENGTH}个字）", f"the name is too long ({MAX_LENGTH} characters at most)"
    if all(_han(ch) or ch in DOTS for ch in name):
        if len([ch for ch in name if _han(ch)]) < 2:
            return "姓名至少两个汉字", "a Chinese name has at least two characters"
        doubled = any(a in DOTS and b in DOTS for a, b in itertools.pairwise(name))
        if name[0] in DOTS or name[-1] in DOTS or doubled:
            return "间隔号只能在姓名的两部分之间", "a middle dot goes only between two parts of the name"
        return None
    if all(ch.isascii() and (ch.isalpha() or ch == " ") for ch in name) and "  " not in name:
        return None
    return (
        "姓名只能是汉字（少数民族姓名可用间隔号·）或英文字母",
        "a name is Han characters (with · between the parts of a transliterated name) or Latin letters",
    )


def clean_name(text: str) -> str:
    """The name as it is kept: trimmed, every kind of middle dot as ·."""
    name = text.strip()
    for dot in DOTS[1:]:
        name = name.replace(dot, DOTS[0])
    return name
