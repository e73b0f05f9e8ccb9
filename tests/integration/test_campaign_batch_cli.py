"""`teller-assist campaign survey|submit|batch show|batch approve|batch reject` run as a branch's staff
would, each its own process: a member's survey kept, the members submitted in one batch, the batch shown
masked with its exceptions first, refused to a teller and to its maker (exit 3), approved within the
lobby manager's authority, the rest by a second branch head, one member rejected with a reason, and the
campaign's progress in `campaign show --json`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from teller_assist.identity.masking import Masking
from tests.helpers.cli import add_users, as_user
from tests.helpers.extracts import COMPANY, rid
from tests.helpers.surveys import walk_in_answers

MASK = Masking()
START = dt.date.today()  # a campaign cannot be made for a period already over
PERIOD = ("--from", START.isoformat(), "--to", (START + dt.timedelta(days=90)).isoformat())
CODE = "ent-某厂-2026"
A, B, C, D = (rid(seq=s) for s in (51, 53, 55, 57))


def test_a_batch_from_submission_to_four_eyes_approval(env: dict[str, str], tmp_path: Path) -> None:
    add_users(
        env, ("head1", "branch_head"), ("head2", "branch_head"), ("manager1", "lobby_manager"),
        ("teller1", "teller"),
    )  # fmt: skip
    made = as_user(
        env, "campaign", "create", CODE, "--scenario", "enterprise", "--group", "某厂", "--uscc", COMPANY,
        "--branch", "0101", *PERIOD, user="head1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    roster = tmp_path / "某厂员工.csv"
    roster.write_text(
        "\n".join(
            [
                "身份证号,姓名,部门,同意查询征信,同意处理个人信息",
                f"{A},张一,财务部,是,是",
                f"{B},张二,生产部,是,是",
                f"{C},张三,生产部,是,是",
                f"{D},张四,生产部,,",  # no consents yet
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    loaded = as_user(env, "campaign", "import", CODE, str(roster), user="head1")
    assert loaded.returncode == 0, loaded.stderr

    survey = tmp_path / "张一.json"
    answers = walk_in_answers(household_income=80000) | {"years_with_employer": 6, "hr_evaluation": "fair"}
    survey.write_text(json.dumps({"scenario": "enterprise", "answers": answers}), encoding="utf-8")
    kept = as_user(
        env, "campaign", "survey", CODE, "--member", A, "--survey", str(survey), "--json", user="teller1"
    )
    assert kept.returncode == 0, kept.stderr
    assert json.loads(kept.stdout)["grantable_fen"] == 160_000_00  # 2 x 80,000 declared, with the survey

    submitted = as_user(env, "campaign", "submit", CODE, "--json", user="head1")
    assert submitted.returncode == 0, submitted.stderr
    sub = json.loads(submitted.stdout)
    batch = str(sub["batch"])
    assert (sub["submitted"], sub["submitted_fen"], sub["with_survey"]) == (3, 220_000_00, 1)
    assert sub["skipped"]["no_consent"] == 1
    assert [m["id_masked"] for m in sub["skipped_members"]] == [MASK.resident_id(D)]
    assert all(i not in submitted.stdout for i in (A, B, C, D))

    shown = as_user(env, "campaign", "batch", "show", batch, "--json", user="manager1")
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert (view["count"], view["total_fen"], view["authority_fen"], view["approvable"]) == (
        3,
        220_000_00,
        50_000_00,
        2,
    )
    assert view["applications"][0]["exceptions"] == ["over_authority"] and view["applications"][0]["held"]
    assert view["bands"]["100,001–200,000"] == {"people": 1, "fen": 160_000_00}
    assert all(i not in shown.stdout for i in (A, B, C, D))
    text = as_user(env, "campaign", "batch", "show", batch, user="manager1")
    assert "例外 exceptions：超出审批权限，待更高权限人员审批 1" in text.stdout, text.stdout

    teller = as_user(env, "campaign", "batch", "approve", batch, user="teller1")
    assert teller.returncode == 3 and "有审批权限的人员" in teller.stderr and "Traceback" not in teller.stderr
    maker = as_user(env, "campaign", "batch", "approve", batch, user="head1")
    assert maker.returncode == 3 and "经办人不能审批自己提交的批次" in maker.stderr

    no_reason = as_user(env, "campaign", "batch", "reject", batch, "--member", B, user="manager1")
    assert no_reason.returncode == 2  # the reason is required
    rejected = as_user(
        env, "campaign", "batch", "reject", batch, "--member", B, "--reason", "已离职", user="manager1"
    )
    assert rejected.returncode == 0, rejected.stderr
    assert "已拒绝，原因：已离职" in rejected.stdout and B not in rejected.stdout

    approved = as_user(env, "campaign", "batch", "approve", batch, "--json", user="manager1")
    assert approved.returncode == 0, approved.stderr
    first = json.loads(approved.stdout)
    assert (first["approved"], first["approved_fen"], first["left"]) == (1, 30_000_00, {"over_authority": 1})
    higher = as_user(env, "campaign", "batch", "approve", batch, user="head2")
    assert higher.returncode == 0 and "已批准 approved 1 笔，合计 160,000 元" in higher.stdout, higher.stdout

    again = as_user(env, "campaign", "submit", CODE, "--json", user="head1")
    assert json.loads(again.stdout)["batch"] is None  # nobody twice

    progress = as_user(env, "campaign", "show", CODE, "--json", user="teller1")
    assert progress.returncode == 0, progress.stderr
    figures = json.loads(progress.stdout)["progress"]
    assert {k: figures[k] for k in ("members", "surveyed", "submitted", "decided", "granted", "signed")} == {
        "members": 4, "surveyed": 1, "submitted": 3, "decided": 3, "granted": 2, "signed": 0
    }  # fmt: skip
    assert figures["granted_fen"] == 190_000_00
    assert json.loads(progress.stdout)["batches"][0]["waiting"] == 0
    human = as_user(env, "campaign", "show", CODE, user="teller1")
    assert "进度 progress" in human.stdout and "已授信 2" in human.stdout, human.stdout
