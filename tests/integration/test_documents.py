"""The agreement and the letter of a real approved application, read back with poppler's tools
(pdftotext, pdffonts, pdftoppm) and the QR code decoded from the rendered page."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import add_users, as_user, run_cli, write_survey
from tests.helpers.extracts import MAN, rid
from tests.helpers.surveys import walk_in_answers

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
STRANGER = rid("321183", seq=93)


def cli(env: dict[str, str], *args: str, stdin: str | None = None, code: int = 0) -> str:
    done = run_cli(*args, env=env, stdin=stdin)
    assert done.returncode == code, done.stderr
    return done.stdout


def approved_application(
    env: dict[str, str], tmp_path: Path, who: str, name: str | None = None
) -> dict[str, Any]:
    if "teller1" not in cli(env, "users", "list"):
        add_users(env, ("teller1", "teller"), ("head1", "branch_head"))
    survey = write_survey(tmp_path / "survey.json", walk_in_answers())
    extra = ["--name", name] if name else []
    applied = as_user(env, "apply", who, "--survey", str(survey), *extra, "--json", user="teller1")
    assert applied.returncode == 0, applied.stderr
    approved = as_user(env, "approve", str(json.loads(applied.stdout)["id"]), "--json", user="head1")
    assert approved.returncode == 0, approved.stderr
    return dict(json.loads(approved.stdout))


def text_of(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_agreement_says_what_it_must_and_verifies(env: dict[str, str], tmp_path: Path) -> None:
    name = "王䶮<font size=40>&"  # a rare character, and markup that must print as typed
    app = approved_application(env, tmp_path, STRANGER, name)
    out = tmp_path / "agreement.pdf"
    printed = cli(env, "document", "agreement", str(app["id"]), "--out", str(out))
    assert "原件" in printed
    code = printed.split("验证码 ")[1].split("）")[0]
    text = text_of(out)
    for expected in (
        "预授信协议",
        str(app["agreement_no"]),
        "王䶮<font size=40>&",
        "3211**********" + STRANGER[-4:],
        "人民币壹拾陆万元整（¥160,000.00）",
        "年利率4.35%",
        f"{dt.date.fromisoformat(app['valid_until']):%Y年%m月%d日}",  # approved today, by the clock
        "手机银行",
        "受信人（签字）",
        "授信人（盖章）",
        "第 1 页 共",
        code,
    ):
        assert "".join(expected.split()) in "".join(text.split()), expected  # pdftotext drops CJK spacing
    assert STRANGER not in text
    # the reasons print the line the declared income gives, never the income or the debts themselves
    assert "申报家庭年收入***元×2−负债***元=160,000元" in "".join(text.split())
    assert "80,000" not in text
    fonts_out = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts_out.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts_out  # embedded, subset
    assert any("HanaMinA" in row for row in rows)  # 䶮 comes from the fallback font
    assert all("+" in row.split()[0] for row in rows)  # subset names (ABCDEF+Font)

    # the page renders, and its QR code carries the mobile-app URL
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    decoded = [b.text for page in pages for b in zxingcpp.read_barcodes(Image.open(page))]
    assert decoded == ["https://m.example-rcb.cn/app"]

    genuine = run_cli("verify", code, str(app["agreement_no"]), env=env)
    assert genuine.returncode == 0 and "真实" in genuine.stdout and "160,000" in genuine.stdout
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    forged = run_cli("verify", wrong, str(app["agreement_no"]), env=env)
    assert forged.returncode == 5 and "不符" in forged.stdout
    assert run_cli("verify", code, "YSX20990101999999", env=env).returncode == 5


def test_a_second_issue_is_a_copy_and_audited(env: dict[str, str], tmp_path: Path) -> None:
    app = approved_application(env, tmp_path, MAN)
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    cli(env, "document", "letter", str(app["id"]), "--out", str(first))
    assert "副本" in cli(env, "document", "letter", str(app["id"]), "--out", str(second))
    assert "副本" not in text_of(first) and "授信告知函" in text_of(first)
    assert "副本" in text_of(second)
    cli(env, "audit", "export", "--out", str(tmp_path / "audit.csv"))
    audit = (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")
    assert ",print," in audit and ",reprint," in audit
    assert cli(env, "audit", "verify").startswith("审计链完整")


def test_an_unapproved_application_is_not_printed(env: dict[str, str], tmp_path: Path) -> None:
    app = approved_application(env, tmp_path, MAN)
    first = run_cli("document", "agreement", str(app["id"]), "--out", str(tmp_path / "a.pdf"), env=env)
    assert first.returncode == 0, first.stderr
    assert as_user(env, "sign", str(app["id"]), user="teller1").returncode == 0
    survey = tmp_path / "survey.json"
    applied = as_user(env, "apply", STRANGER, "--survey", str(survey), "--json", user="teller1")
    other = json.loads(applied.stdout)
    done = run_cli("document", "agreement", str(other["id"]), "--out", str(tmp_path / "x.pdf"), env=env)
    assert done.returncode != 0 and "尚未批准" in done.stderr and not (tmp_path / "x.pdf").exists()
