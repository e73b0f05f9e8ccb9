"""`teller-assist campaign create|list|show|close|import` run as a branch head, a teller and head office
would, each its own process: a bad group code said in one line (exit 2), a role refused (exit 3), a roster
loaded with its refused rows handed back (exit 1), a corrected one updating the members, the campaign
shown masked, closed, and refusing a roster after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook

from teller_assist.identity.masking import Masking
from tests.helpers.cli import add_users, as_user
from tests.helpers.extracts import COMPANY, MAN, WOMAN, rid

MASK = Masking()
NEW = rid(seq=95)
START = dt.date.today()  # a campaign cannot be made for a period already over
END = START + dt.timedelta(days=90)
PERIOD = ("--from", START.isoformat(), "--to", END.isoformat())


def roster(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["身份证号,姓名,村民小组,评议,评议人,手机号", *rows]) + "\n", encoding="utf-8")
    return path


def test_a_campaign_from_creation_to_a_corrected_roster_and_closing(
    env: dict[str, str], tmp_path: Path
) -> None:
    add_users(env, ("head1", "branch_head"), ("teller1", "teller"))
    code = "village-后白-2026"
    made = as_user(
        env, "campaign", "create", code, "--scenario", "village", "--group", "后白镇后白村",
        "--village-group", "一组", "--village-group", "二组", "--branch", "0101", *PERIOD,
        "--indicator", "2", user="head1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"已新建 created: 活动 {code}：整村 后白镇后白村，网点 0101" in made.stdout

    bad = as_user(
        env, "campaign", "create", "ent-1", "--scenario", "enterprise", "--group", "某厂",
        "--uscc", COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1"), "--branch", "0101", *PERIOD,
        user="head1",
    )  # fmt: skip
    assert bad.returncode == 2 and "统一社会信用代码无效：单位信用代码校验位错误" in bad.stderr
    assert "Traceback" not in bad.stderr
    teller = as_user(
        env, "campaign", "create", "village-2", "--scenario", "village", "--group", "前进村",
        "--branch", "0101", *PERIOD, user="teller1",
    )  # fmt: skip
    assert teller.returncode == 3 and "只有总行管理员或网点 0101 的负责人可以新建" in teller.stderr

    first = roster(
        tmp_path / "后白村.csv",
        [
            f"{MAN},张三,一组,好,村委会 张主任,13951234567",
            f"{WOMAN},李四,三组,,,",  # a group the village does not have
            f"{NEW},王五,二组,,,",
            f"{MAN},张三,一组,,,",  # the same person again
        ],
    )
    out = tmp_path / "退回.xlsx"
    loaded = as_user(
        env, "campaign", "import", code, str(first), "--as-of", "20261130", "--refused-out", str(out),
        "--json", user="head1",
    )  # fmt: skip
    assert loaded.returncode == 1, loaded.stderr  # rows were refused: said by the exit code
    data = json.loads(loaded.stdout)
    assert (data["rows"], data["new_to_bank"], data["refused_members"], data["refused_rows"]) == (4, 2, 1, 2)
    assert (data["added"], data["updated"], data["removed"]) == (3, 0, 0)
    assert [r["line"] for r in data["refused"]] == [3, 5] and data["refused_file"] == str(out)
    assert all(i not in loaded.stdout for i in (MAN, WOMAN, NEW))
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[2]][:3] == [3, "李四", MASK.resident_id(WOMAN)]

    corrected = roster(
        tmp_path / "后白村（更正）.csv",
        [f"{MAN},张三,一组,好,村委会 张主任,13951234567", f"{WOMAN},李四,二组,,,"],
    )
    again = as_user(env, "campaign", "import", code, str(corrected), "--as-of", "20261130", user="head1")
    assert again.returncode == 0, again.stderr
    assert "新增 0，更新 1，未变 1，不在新名单中（保留并标记为已移出）1" in again.stdout

    shown = as_user(
        env, "campaign", "show", code, "--as-of", "20261130", "--json", "--members", user="teller1"
    )
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    assert view["by_status"] == {"matched": 0, "new_to_bank": 2, "refused": 0, "removed": 1}
    assert view["members"] == 2 and view["indicator"] == {"people": 2, "measure": "signed"}
    assert view["indicator_progress"] == {  # as kpi show --scope campaign:CODE counts it: nobody signed yet
        "measure": "signed", "people": 2, "from": START.isoformat(), "to": END.isoformat(), "done": 0,
        "completion_percent": "0.00",
    }  # fmt: skip
    assert view["prequalified"]["bands"]["≤30,000"]["grantable_people"] == 2
    first_member = view["member_list"][0]
    assert (first_member["line"], first_member["id_masked"], first_member["phone_masked"]) == (
        2, MASK.resident_id(MAN), MASK.phone("13951234567")
    )  # fmt: skip
    assert all(secret not in shown.stdout for secret in (MAN, WOMAN, NEW, "13951234567"))
    listed = as_user(env, "campaign", "list", "--json", user="teller1")
    assert [c["code"] for c in json.loads(listed.stdout)] == [code]

    # 李四's ID mistyped: she is kept, not removed, and the command says which line to put right
    typo = WOMAN[:10] + str((int(WOMAN[10]) + 1) % 10) + WOMAN[11:]
    fixed = roster(
        tmp_path / "后白村（再更正）.csv",
        [f"{MAN},张三,一组,好,村委会 张主任,13951234567", f"{typo},李四,二组,,,"],
    )
    held = as_user(env, "campaign", "import", code, str(fixed), "--as-of", "20261130", user="head1")
    assert held.returncode == 1, held.stderr
    said = f"  {MASK.resident_id(WOMAN)} 李四 未移除：第 3 行被拒，请更正后重新导入"
    assert said in held.stdout, held.stdout
    assert "已移出）0，可能是被拒行而未移除 1" in held.stdout and WOMAN not in held.stdout
    back = as_user(env, "campaign", "import", code, str(corrected), "--as-of", "20261130", user="head1")
    assert back.returncode == 0, back.stderr

    assert as_user(env, "campaign", "close", code, user="teller1").returncode == 3
    closed = as_user(env, "campaign", "close", code, user="head1")
    assert closed.returncode == 0 and f"已结束 closed: 活动 {code}" in closed.stdout
    late = as_user(env, "campaign", "import", code, str(corrected), user="head1")
    assert (
        late.returncode == 3
        and "由 head1 结束，不再接收名单" in late.stderr
        and "Traceback" not in late.stderr
    )
    text = as_user(env, "campaign", "show", code, "--as-of", "20261130", user="head1")
    assert (
        "已结束" in text.stdout
        and "成员 members 2：本行客户 0，新客户 2，未通过 0，已移出名单 1" in text.stdout
    )
