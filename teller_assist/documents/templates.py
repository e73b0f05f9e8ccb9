"""Document templates: TOML files under resources/documents/ that the bank can edit (not code)."""

from __future__ import annotations

import functools
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from teller_assist.errors import UserFacingError
from teller_assist.resources import resource

KINDS = {
    "agreement": "预授信协议",
    "authorization": "个人信用信息查询及个人信息处理授权书",
    "letter": "授信告知函",
}
PLACEHOLDERS = frozenset(
    {
        "bank_name",
        "branch_name",
        "agreement_no",
        "name",
        "id_masked",
        "id_number",
        "part",
        "line_amount",
        "annual_rate",
        "valid_from",
        "valid_until",
        "app_url",
        "issue_date",
    }
)


WIDE_SPACE = "&nbsp;" * 4  # about the width of one Chinese character


class TemplateError(UserFacingError):
    pass


@dataclass(frozen=True)
class Section:
    heading: str
    text: str
    reasons: bool = False


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    sign_left: str
    sign_right: str
    sign_date: str

    def fill(self, text: str, values: dict[str, str]) -> str:
        """``text`` with its placeholders filled; a full-width space (　) keeps its width, as on a form's
        "日期：　　　年　　月　　日" (ReportLab would fold a run of spaces into one)."""
        return string.Template(text.replace("\u3000", WIDE_SPACE)).substitute(values)


def _check(text: str, where: str) -> str:
    for match in string.Template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if match.group("invalid") is not None:
            raise TemplateError(
                f"模板 {where} 中有无效的 $ 符号", f"template {where}: a stray $ (write $$ for $)"
            )
        if name and name not in PLACEHOLDERS:
            raise TemplateError(
                f"模板 {where} 中有未知的占位符 ${name}",
                f"template {where}: unknown placeholder ${name}",
                hint_zh="可用：" + "、".join(sorted(PLACEHOLDERS)),
                hint_en=", ".join(sorted(PLACEHOLDERS)),
            )
    return text


def load_template(kind: str, folder: Path | None = None) -> Template:
    if kind not in KINDS:
        raise TemplateError(
            f"未知的文书类型 {kind}", f"unknown document kind {kind}", hint_en=", ".join(KINDS)
        )
    path = (folder / f"{kind}.toml") if folder else resource("documents", f"{kind}.toml")
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(
            f"无法读取文书模板 {path}：{exc}", f"cannot read the template {path}: {exc}"
        ) from None
    return _parse(kind, path, source)


@functools.lru_cache(maxsize=16)
def _parse(kind: str, path: Path, source: str) -> Template:
    """The template in ``source`` (read afresh for every document, so an edit shows on the next; parsed
    once per text: a campaign prints thousands of the same)."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(
            f"无法读取文书模板 {path}：{exc}", f"cannot read the template {path}: {exc}"
        ) from None
    try:
        sections = tuple(
            Section(
                _check(str(s.get("heading", "")), f"{path.name} sections[{i}].heading"),
                _check(str(s["text"]), f"{path.name} sections[{i}].text"),
                bool(s.get("reasons", False)),
            )
            for i, s in enumerate(data["sections"])
        )
        signatures = data.get("signatures", {})
        return Template(
            kind,
            _check(str(data["title"]), f"{path.name} title"),
            _check(str(data.get("subtitle", "")), f"{path.name} subtitle"),
            sections,
            _check(str(signatures.get("left", "")), f"{path.name} signatures.left"),
            _check(str(signatures.get("right", "")), f"{path.name} signatures.right"),
            _check(str(signatures.get("date", "")), f"{path.name} signatures.date"),
        )
    except KeyError as exc:
        raise TemplateError(f"文书模板 {path} 缺少 {exc}", f"template {path} lacks {exc}") from None
