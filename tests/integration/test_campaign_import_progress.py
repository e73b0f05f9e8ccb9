"""A roster import tells how far it is: each stage (read, check, match, decide, store) with its counts,
in order, from the service (the window's worker passes it on to its bar), and on the command line as a
bar on standard error when that is a terminal (silent in a pipe)."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
from pathlib import Path

from teller_assist.campaigns.campaign import check_spec
from teller_assist.prequal.policy import Policy
from teller_assist.services import campaigns
from teller_assist.services.context import Context
from teller_assist.store.engine import Store
from tests.helpers.cli import add_users, as_user
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.operators import PASSWORD
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 30)
CODE = "assoc-茶叶协会-2026"


def roster(path: Path, people: int) -> Path:
    born = dt.date(1970, 1, 1)
    rows = [
        f"{rid(born=born + dt.timedelta(days=n), seq=101)},王{'甲乙丙丁戊己庚辛壬癸'[n % 10]},A-{n}"
        for n in range(people)
    ]
    rows += [f"{MAN},张三,A-x", "3.21183E+17,王五,A-y"]  # one refused while reading
    path.write_text("\n".join(["身份证号,姓名,会员编号", *rows]) + "\n", encoding="utf-8")
    return path


def test_the_service_tells_each_stage_in_order_with_its_counts(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    spec = check_spec(
        code=CODE, scenario="association", group_name="茶叶协会", branch_code="0101",
        starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2027, 3, 31), today=TODAY,
    )  # fmt: skip
    campaigns.create_campaign(ctx, team.head.operator, spec)
    told: list[tuple[str, int, int]] = []
    done = campaigns.import_roster(
        ctx.on(TODAY), team.head.operator, CODE, roster(tmp_path / "会员.csv", 1_200),
        progress=lambda stage, n, total: told.append((stage, n, total)),
    )  # fmt: skip
    assert done.counts.added == 1_201
    stages = [stage for stage, _n, _t in told]
    assert sorted(set(stages), key=stages.index) == list(campaigns.IMPORT_STAGES)
    assert stages == sorted(stages, key=campaigns.IMPORT_STAGES.index)  # each stage once, in order
    last = {stage: (n, total) for stage, n, total in told}
    assert last == {
        "read": (1, 1), "check": (1_202, 1_202), "match": (1_201, 1_201), "decide": (1_201, 1_201),
        "store": (1_201, 1_201),
    }  # fmt: skip
    decided = [n for stage, n, _t in told if stage == "decide"]
    assert decided == [0, 500, 1_000, 1_201]  # as it goes, not only at the end
    assert all(0 <= n <= total for _s, n, total in told)


def test_the_command_line_shows_the_stages_on_a_terminal_and_nothing_in_a_pipe(
    env: dict[str, str], tmp_path: Path
) -> None:
    add_users(env, ("head1", "branch_head"))
    start = dt.date.today()
    made = as_user(
        env, "campaign", "create", CODE, "--scenario", "association", "--group", "茶叶协会",
        "--branch", "0101", "--from", start.isoformat(), "--to", (start + dt.timedelta(days=90)).isoformat(),
        user="head1",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    path = roster(tmp_path / "会员.csv", 20)
    leader, follower = pty.openpty()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")}
    with subprocess.Popen(
        [sys.executable, "-m", "teller_assist", "campaign", "import", CODE, str(path), "--user", "head1",
         "--password-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=follower,
        env={**clean, **env, "TELLER_ASSIST_KEY_STORE": "demo-file"},
    ) as proc:  # fmt: skip
        os.close(follower)
        out, _ = proc.communicate(PASSWORD.encode() + b"\n", timeout=120)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end closed
                break
            if not chunk:
                break
            shown += chunk
    os.close(leader)
    text = shown.decode()
    assert proc.returncode == 1, text
    for stage in ("读取文件", "逐行核对", "匹配本行客户", "测算额度", "写入成员"):
        assert f"导入名单 {stage} [" in text, text
    assert "22/22" in text and "21/21" in text  # rows checked; members matched, decided, written
    assert "新客户 21" in out.decode() and MAN not in text and WOMAN not in text
    piped = as_user(env, "campaign", "import", CODE, str(path), user="head1")
    assert piped.returncode == 1 and "未变 21" in piped.stdout  # a refused row: exit 1
    assert "导入名单" not in piped.stderr  # no bar in a pipe
