"""`teller-assist apply / approve / reject / sign / applications / audit` as a script would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import add_users, run_cli
from tests.helpers.cli import as_user as run_as
from tests.helpers.extracts import MAN, WOMAN
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers


def as_user(env: dict[str, str], *args: str, user: str, password: str = PASSWORD) -> tuple[int, str, str]:
    done = run_as(env, *args, user=user, password=password)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.long
def test_the_whole_life_from_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    add_users(env, ("teller1", "teller"), ("manager1", "lobby_manager"), ("head1", "branch_head"))
    survey = tmp_path / "survey.json"
    survey.write_text(json.dumps({"scenario": "walk_in", "answers": walk_in_answers()}), encoding="utf-8")

    # a stranger to the bank: named at submission, as the agreement must name its party
    code, out, err = as_user(
        env, "apply", MAN, "--survey", str(survey), "--name", "王建国", "--json", user="teller1"
    )
    assert code == 0, err
    app = json.loads(out)
    assert app["status"] == "submitted" and app["limit_fen"] == 160_000_00 and app["annual_rate"] == "4.35"
    assert app["agreement_no"] is None and MAN not in out and app["id_masked"].startswith("3211")

    # a second open application for the same person: one line, non-zero
    code, _out, err = as_user(env, "apply", MAN, "--survey", str(survey), user="manager1")
    assert code != 0 and "已有未结" in err and len(err.strip().splitlines()) == 1

    # the maker approving their own; a lobby manager above their authority
    code, _out, err = as_user(env, "approve", str(app["id"]), user="teller1")
    assert code != 0 and len(err.strip().splitlines()) == 1
    code, _out, err = as_user(env, "approve", str(app["id"]), user="manager1")
    assert code != 0 and "超出审批权限" in err

    code, out, err = as_user(env, "approve", str(app["id"]), "--json", user="head1")
    assert code == 0, err
    approved = json.loads(out)
    assert approved["status"] == "approved" and approved["agreement_no"].startswith("YSX")

    code, _out, err = as_user(env, "reject", str(app["id"]), "--reason", "迟到", user="manager1")
    assert code != 0 and "已被处理" in err

    # the approval queued the customer's text; the export hands it over exactly once
    sms_file = tmp_path / "sms.csv"
    exported = run_cli("sms", "export", "--out", str(sms_file), env=env)
    assert exported.returncode == 0 and "1 条" in exported.stdout, exported.stderr
    body = sms_file.read_text(encoding="utf-8")
    assert "13951234567" in body and "预授信额度160,000元" in body and approved["agreement_no"] not in body
    again = run_cli("sms", "export", "--out", str(tmp_path / "sms2.csv"), env=env)
    assert again.returncode == 0 and "没有待发短信" in again.stdout and not (tmp_path / "sms2.csv").exists()

    code, _out, err = as_user(env, "sign", str(app["id"]), "--json", user="teller1")
    assert code == 3 and "尚未打印" in err  # nothing to sign before the agreement is out
    agreement = str(tmp_path / "agreement.pdf")
    printed = run_cli("document", "agreement", str(app["id"]), "--out", agreement, env=env)
    assert printed.returncode == 0, printed.stderr
    code, out, err = as_user(env, "sign", str(app["id"]), "--json", user="teller1")
    assert code == 0 and json.loads(out)["status"] == "signed", err

    # a wrong password is refused before anything happens
    code, _out, err = as_user(
        env, "apply", WOMAN, "--survey", str(survey), user="teller1", password="wrong-1"
    )
    assert code != 0 and "密码错误" in err

    listed = run_cli("applications", "--status", "signed", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["status"], r["limit_fen"]) for r in rows] == [(app["id"], "signed", 160_000_00)]
    assert {"id", "status", "limit_fen", "annual_rate", "agreement_no"} <= set(rows[0])

    verify = run_cli("audit", "verify", env=env)
    assert verify.returncode == 0 and "完整" in verify.stdout, verify.stderr

    assert run_cli("lookup", MAN, "--purpose", "walk-in", env=env).returncode == 0
    out_csv = tmp_path / "audit.csv"
    exported = run_cli("audit", "export", "--out", str(out_csv), env=env)
    assert exported.returncode == 0, exported.stderr
    text = out_csv.read_text(encoding="utf-8-sig")
    for action in ("user_add", "login", "login_failed", "submit", "approve", "sign", "lookup"):
        assert f",{action}," in text, action
    assert MAN not in text and WOMAN not in text and PASSWORD not in text


def test_invalid_id_fails_before_the_password(env: dict[str, str], tmp_path: Path) -> None:
    survey = tmp_path / "s.json"
    survey.write_text(json.dumps({"scenario": "walk_in", "answers": walk_in_answers()}), encoding="utf-8")
    done = run_cli("apply", MAN[:-1] + "0", "--survey", str(survey), "--user", "x", env=env)
    assert done.returncode == 2 and "校验" in done.stderr and "Traceback" not in done.stderr
