"""The agreement, the authorisation and the letter of a real approved application, read back with
poppler's tools (pdftotext, pdffonts, pdftoppm) and the QR code decoded from the rendered page."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import required
from tests.helpers.cli import add_users, as_user, run_cli, write_survey
from tests.helpers.extracts import MAN, rid
from tests.helpers.surveys import walk_in_answers

STRANGER = rid("321183", seq=93)


@pytest.fixture(autouse=True)
def _poppler() -> None:
    """Every test here reads its PDFs back with poppler's tools: skipped without them, failed in CI."""
    for tool in ("pdftotext", "pdffonts", "pdftoppm"):
        required.program(tool)


def cli(env: dict[str, str], *args: str, stdin: str | None = None, code: int = 0) -> str:
    done = run_cli(*args, env=env, stdin=stdin)
    assert done.returncode == code, done.stderr
    return done.stdout


def approved_application(
    env: dict[str, str], tmp_path: Path, who: str, name: str | None = "张三"
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


def pages_of(pdf: Path) -> list[str]:
    """Each page's text, without the spaces pdftotext puts between CJK characters."""
    return ["".join(page.split()) for page in text_of(pdf).split("\f") if page.strip()]


def flat(text: str) -> str:
    return "".join(text.split())


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
        "《个人信用信息查询及个人信息处理授权书》",
        code,
    ):
        assert "".join(expected.split()) in "".join(text.split()), expected  # pdftotext drops CJK spacing
    # two parts, each complete with its signatures and numbered on its own: the bank keeps the first,
    # with the full resident ID; the customer takes the second, with the masked one
    pages = pages_of(out)
    bank = [p for p in pages if p.startswith("第一联银行留存联")]
    customer = [p for p in pages if p.startswith("第二联客户联")]
    assert bank and customer and len(bank) + len(customer) == len(pages)
    assert STRANGER in "".join(bank) and STRANGER not in "".join(customer)
    assert "3211**********" + STRANGER[-4:] in "".join(customer)
    for part in (bank, customer):
        assert f"第1页共{len(part)}页" in part[0]
        assert "受信人（签字）" in part[-1] and "授信人（盖章）" in part[-1]
    # the reasons print no income or debt, nor any figure computed from them; only the line they give
    assert "申报家庭年收入***元×2−负债***元=***元" in flat(text)
    assert "80,000" not in text and "160,000元=" not in flat(text)
    fonts_out = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts_out.splitlines()[2:]
    assert rows and all(" yes yes " in row for row in rows), fonts_out  # embedded, subset
    assert any("HanaMinA" in row for row in rows)  # 䶮 comes from the fallback font
    assert all("+" in row.split()[0] for row in rows)  # subset names (ABCDEF+Font)

    genuine = run_cli("verify", code, str(app["agreement_no"]), env=env)
    assert genuine.returncode == 0 and "真实" in genuine.stdout and "160,000" in genuine.stdout
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    forged = run_cli("verify", wrong, str(app["agreement_no"]), env=env)
    assert forged.returncode == 5 and "不符" in forged.stdout
    assert run_cli("verify", code, "YSX20990101999999", env=env).returncode == 5


def test_the_agreement_page_renders_and_its_qr_code_carries_the_app_url(
    env: dict[str, str], tmp_path: Path
) -> None:
    zxingcpp = required.module("zxingcpp")  # before anything runs: never a skip half-way through
    from PIL import Image

    app = approved_application(env, tmp_path, STRANGER)
    out = tmp_path / "agreement.pdf"
    cli(env, "document", "agreement", str(app["id"]), "--out", str(out))
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    decoded = [b.text for page in pages for b in zxingcpp.read_barcodes(Image.open(page))]
    assert decoded == ["https://m.example-rcb.cn/app"] * 2  # one on each part (bank's and customer's)


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


def test_the_authorisation_names_the_customer_and_what_they_authorise(
    env: dict[str, str], tmp_path: Path
) -> None:
    app = approved_application(env, tmp_path, STRANGER, "李四")
    out = tmp_path / "authorization.pdf"
    printed = cli(env, "document", "authorization", str(app["id"]), "--out", str(out))
    assert "原件" in printed
    code = printed.split("验证码 ")[1].split("）")[0]
    text = flat(text_of(out))
    for expected in (
        "个人信用信息查询及个人信息处理授权书",
        "授权人：李四",
        STRANGER,  # the bank keeps the signed original: the full resident ID
        "被授权人：句容农村商业银行",  # the bank's name from the settings
        "中国人民银行征信中心",
        "个人信用报告",
        "敏感个人信息",
        "撤回本授权",
        f"{dt.date.fromisoformat(app['valid_until']):%Y年%m月%d日}",  # how long it lasts
        "授权人（签字）",
        "银行留存",
        code,
        str(app["agreement_no"]),
    ):
        assert "".join(expected.split()) in text, expected
    # verified like the other documents: the same code and agreement number
    genuine = run_cli("verify", code, str(app["agreement_no"]), env=env)
    assert genuine.returncode == 0 and "真实" in genuine.stdout


def test_a_document_the_customer_signs_names_them_or_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    app = approved_application(env, tmp_path, STRANGER, name=None)  # a walk-in the bank had never seen
    for kind in ("agreement", "authorization"):
        out = tmp_path / f"{kind}.pdf"
        done = run_cli("document", kind, str(app["id"]), "--out", str(out), env=env)
        assert done.returncode == 2 and not out.exists(), done.stderr
        assert "没有登记客户姓名" in done.stderr and "apply --name" in done.stderr
        assert "Traceback" not in done.stderr
    letter = tmp_path / "letter.pdf"
    cli(env, "document", "letter", str(app["id"]), "--out", str(letter))
    assert "尊敬的客户" in flat(text_of(letter))  # a letter may greet without a name


def test_the_full_id_reaches_the_banks_paper_and_never_a_log(env: dict[str, str], tmp_path: Path) -> None:
    app = approved_application(env, tmp_path, STRANGER, "王五")
    done = run_cli("print", str(app["id"]), "--printer", "NO-SUCH-PRINTER", env=env)
    assert done.returncode == 6 and STRANGER not in done.stdout + done.stderr
    data = Path(env["TELLER_ASSIST_DATA_DIR"])
    kept = sorted((data / "printed").glob("*.pdf"))
    assert [p.name.split("-")[1] for p in kept] == ["agreement", "authorization", "letter"]
    assert STRANGER in flat(text_of(kept[0])) and STRANGER in flat(text_of(kept[1]))  # the bank's paper
    assert STRANGER not in flat(text_of(kept[2]))  # the customer's letter
    logs = [p for p in data.rglob("*") if p.is_file() and p.suffix != ".pdf" and "printed" not in p.parts]
    assert any(p.parent.name == "logs" for p in logs)
    for path in logs:
        assert STRANGER.encode() not in path.read_bytes(), path
