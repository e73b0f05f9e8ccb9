"""The approval SMS: queued with the approval, exported to the SMS platform exactly once, on both
engines; the phone leaves the database in full only through that export."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest

from teller_assist.documents.sms import load_sms_template
from teller_assist.documents.templates import TemplateError
from teller_assist.prequal.policy import Policy
from teller_assist.services import applications as apps
from teller_assist.services import sms
from teller_assist.services.context import Context
from teller_assist.store import audit as store_audit
from teller_assist.store import sms as store_sms
from teller_assist.store.engine import Store
from tests.helpers.extracts import rid
from tests.helpers.workflow import Team
from tests.integration.test_applications import NOW, survey

PHONE = "13951234567"  # walk_in_answers' phone


def approve(ctx: Context, team: Team, seq: int, sender: str | None = "句容农商银行") -> int:
    record = apps.submit(ctx.at(NOW), rid(seq=seq), survey(), team.teller)
    apps.approve(ctx.at(NOW), record.id, team.head, sms_sender=sender)
    return record.id


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_queued_with_the_approval_and_exported_once(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    first = approve(ctx, team, 60)
    approve(ctx, team, 61, sender=None)  # a caller that sends no text queues none
    assert store_sms.pending_count(store) == 1
    out = tmp_path / "sms-1.csv"
    assert sms.export(ctx, out, operator="ops") == 1
    rows = read(out)
    assert rows == [
        {
            "mobile": PHONE,
            "content": "【句容农商银行】尊敬的客户，您已获得我行预授信额度160,000元，年利率4.35%，"
            "有效期至2028年11月27日，可通过手机银行随借随还，不用不计息。",
            "ref": f"APP{first}",
        }
    ]
    assert sms.export(ctx, tmp_path / "sms-2.csv", operator="ops") == 0  # exactly once
    assert not (tmp_path / "sms-2.csv").exists()
    with pytest.raises(Exception, match="已存在"):
        sms.export(ctx, out, operator="ops")  # never overwrite a file that may already be sent
    exports = [e for e in store_audit.export_rows(store, None, None) if e.action == "export"]
    assert len(exports) == 2 and PHONE not in "".join(e.detail for e in exports)


def test_a_failed_write_marks_nothing(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    approve(ctx, team, 62)
    with pytest.raises(FileNotFoundError):
        sms.export(ctx, tmp_path / "missing-folder" / "sms.csv", operator="ops")
    assert store_sms.pending_count(store) == 1
    assert sms.export(ctx, tmp_path / "sms.csv", operator="ops") == 1


def test_two_exports_at_once_take_each_text_once(
    store: Store, ctx: Context, team: Team, policy: Policy, tmp_path: Path
) -> None:
    ids = [approve(ctx, team, 70 + i) for i in range(12)]
    gate = threading.Barrier(2)
    counts: list[int] = []

    def run(n: int) -> None:
        gate.wait()
        counts.append(sms.export(ctx, tmp_path / f"sms-{n}.csv", operator=f"ops{n}"))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refs = [row["ref"] for path in tmp_path.glob("sms-*.csv") for row in read(path)]
    assert sum(counts) == 12
    assert sorted(refs) == sorted(f"APP{i}" for i in ids)


def test_an_unknown_placeholder_in_the_sms_template_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sms.toml"
    path.write_text('text = "【$bank_short_name】额度$line元 $customer"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match="customer"):
        load_sms_template(path)
    assert load_sms_template().get_identifiers()
