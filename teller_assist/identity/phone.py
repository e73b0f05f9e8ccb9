"""Mainland China mobile numbers: eleven digits starting ``13``-``19``."""

from __future__ import annotations

import re
import unicodedata

_MOBILE = re.compile(r"1[3-9]\d{9}")


class InvalidPhone(ValueError):
    def __init__(self, detail_zh: str, detail_en: str) -> None:
        self.detail_zh = detail_zh
        super().__init__(f"{detail_zh} ({detail_en})")


def parse_mobile(raw: str) -> str:
    """Normalise (full-width, spaces, dashes, a ``+86`` prefix) and validate; return 11 digits."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch for ch in text if ch not in " -()\t")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    if not text.isascii() or not text.isdigit():
        raise InvalidPhone("手机号只能包含数字", "a mobile number has digits only")
    if len(text) != 11:
        raise InvalidPhone("手机号应为11位", "a mainland mobile number has 11 digits")
    if not _MOBILE.fullmatch(text):
        raise InvalidPhone("不是大陆手机号段（应以13-19开头）", "not a mainland mobile number (13x-19x)")
    return text
