"""The approval text for the customer, from resources/documents/sms.toml (the bank may edit it)."""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from pathlib import Path

from teller_assist.documents.templates import TemplateError
from teller_assist.money import yuan_text
from teller_assist.resources import resource

PLACEHOLDERS = frozenset({"bank_short_name", "line", "annual_rate", "valid_until"})


def load_sms_template(path: Path | None = None) -> string.Template:
    path = path or resource("documents", "sms.toml")
    try:
        text = str(tomllib.loads(path.read_text(encoding="utf-8"))["text"])
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise TemplateError(
            f"无法读取短信模板 {path}：{exc}", f"cannot read the SMS template {path}: {exc}"
        ) from None
    template = string.Template(text)
    unknown = set(template.get_identifiers()) - PLACEHOLDERS
    if unknown or not template.is_valid():
        raise TemplateError(
            f"短信模板 {path} 中有未知的占位符或无效的 $：{'、'.join(sorted(unknown)) or '$'}",
            f"SMS template {path}: unknown placeholders or a stray $: {', '.join(sorted(unknown)) or '$'}",
            hint_zh="可用：" + "、".join(sorted(PLACEHOLDERS)),
        )
    return template


def approval_text(
    template: string.Template, *, bank_short_name: str, line_fen: int, annual_rate: str, valid_until: dt.date
) -> str:
    return template.substitute(
        bank_short_name=bank_short_name,
        line=yuan_text(line_fen),
        annual_rate=annual_rate,
        valid_until=f"{valid_until:%Y年%m月%d日}",
    )
