"""The customer card from real databases, and `teller-assist lookup`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from teller_assist.identity.resident_id import IdRule, InvalidResidentId, parse_resident_id
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_paths
from teller_assist.services.lookup import card_to_json, lookup, lookup_audited
from teller_assist.services.prequal import prequalify_audited
from teller_assist.settings import load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from tests.helpers.cli import run_cli
from tests.helpers.context import context_of
from tests.helpers.extracts import COMPANY, GOV, MAN, WOMAN, rid, write
from tests.helpers.surveys import walk_in_answers

AS_OF = dt.date(2026, 11, 28)


def load_fixture(store: Store, folder: Path) -> None:
    write(
        folder,
        "customers_20261127.csv",
        ["id_no,name,phone,branch_code,region_code", f"{MAN},张三,13951234567,0101,321183"],
    )
    payroll = ["txn_id,id_no,employer_code,employer_name,pay_date,amount"]
    for m in range(1, 11):
        payroll.append(f'P{m},{MAN},{GOV},句容市财政局,2026-{m:02d}-05,"8,000.00"')
    payroll.append(f"P11,{MAN},{GOV},句容市财政局,2026-11-05,9000")  # this month: outside the window
    payroll.append(f"P12,{WOMAN},{COMPANY},某公司,2026-10-05,3000")
    write(folder, "payroll_20261127.csv", payroll)
    write(
        folder,
        "utility_agreements_20261127.csv",
        [
            "agreement_no,id_no,utility,signed_on,status",
            f"W1,{MAN},water,2020-01-01,active",
            f"W2,{MAN},gas,2020-01-01,cancelled",
        ],
    )
    debits = ["txn_id,agreement_no,debit_date,amount,result"]
    debits += [f"D{m},W1,2026-{m:02d}-20,50,ok" for m in range(1, 11)]
    debits += ["D90,W1,2025-10-20,50,failed", "D91,W2,2026-05-20,30,failed"]  # before the window / cancelled
    write(folder, "utility_debits_20261127.csv", debits)
    write(folder, "negative_list_20261127.csv", ["id_no,reason,note", f"{WOMAN},fraud,秘密备注不得显示"])
    write(
        folder,
        "group_tags_20261127.csv",
        ["id_no,tag,grade,valid_until", f"{MAN},party_member,,2027-01-01", f"{MAN},veteran,,2026-01-01"],
    )
    write(
        folder,
        "targets_20261127.csv",
        [
            "campaign,id_no,branch_code,officer,due_on,scenario",
            f"2026-walk-in,{MAN},0101,jr010101,2026-12-31,walk_in",
        ],
    )
    report = import_paths(store, [folder], today=AS_OF)
    assert report.exit_code == 0, report.to_json()


def test_card_on_both_engines(store: Store, tmp_path: Path) -> None:
    load_fixture(store, tmp_path)
    card = lookup(context_of(store), MAN.lower(), as_of=AS_OF)
    assert card.known and card.name == "张三" and card.phone == "13951234567" and card.branch_code == "0101"
    assert card.payroll.months == 10 and card.payroll.average_monthly_fen == 800000
    assert card.payroll.last_pay_date == dt.date(2026, 11, 5)
    assert card.withholding.active_agreements == 1 and card.withholding.ok_debits == 10
    assert card.withholding.failed_debits == 1  # the cancelled agreement's failure in the window
    assert card.withholding.settled
    assert not card.negative_listed
    assert [(t.tag, t.valid) for t in card.tags] == [("party_member", True), ("veteran", False)]
    assert [t.campaign for t in card.targets] == ["2026-walk-in"]
    assert {f.kind: f.latest for f in card.freshness}["payroll"] == dt.date(2026, 11, 27)
    assert card.stale_kinds == ["drawdowns"]  # never loaded

    listed = lookup(context_of(store), WOMAN, as_of=AS_OF)
    data = card_to_json(listed, load_settings({}).masking)
    assert data["negative"] == {"listed": True, "category": "fraud"}
    assert "秘密备注" not in json.dumps(data, ensure_ascii=False)
    assert not data["customer"] and data["seen"] and data["payroll"]["employer_kind"] == "企业"

    stranger = lookup(context_of(store), rid(seq=201), as_of=AS_OF)
    assert not stranger.known and not stranger.seen


def test_invalid_id_names_the_rule(sqlite_store: Store) -> None:
    with pytest.raises(InvalidResidentId) as info:
        lookup(context_of(sqlite_store), "3211831985031400", as_of=AS_OF)
    assert info.value.rule is IdRule.LENGTH


def test_lookup_command(env: dict[str, str], tmp_path: Path, sqlite_store: Store) -> None:
    load_fixture(sqlite_store, tmp_path / "in")
    sqlite_store.dispose()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("lookup", *args, env=env, timeout=60)

    result = cli(MAN, "--as-of", "2026-11-28", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id_masked"] == MAN[:4] + "*" * 10 + MAN[-4:] and MAN not in result.stdout
    assert data["name"] == "张三" and data["customer"] is True
    assert data["payroll"] == {
        **data["payroll"],
        "months": 10,
        "average_monthly": "***",  # an income: masked unless an audited --reveal asks for it
        "total": "***",
        "employer": "句容市财政局",
        "employer_kind": "机关",
    }
    assert data["withholding"] == {
        "active_agreements": 1,
        "by_utility": {"water": 1},
        "ok_debits": 10,
        "failed_debits": 1,
        "settled": True,
    }
    assert data["negative"] == {"listed": False, "category": None}
    assert {"tag": "party_member", "grade": None, "valid": True, "valid_until": "2027-01-01"} in data["tags"]
    assert data["applications"] == [] and data["freshness"]["customers"] == "2026-11-27"
    assert "13951234567" not in result.stdout

    revealed = cli(MAN, "--as-of", "2026-11-28", "--json", "--reveal", "--purpose", "核实收入")
    assert revealed.returncode == 0, revealed.stderr
    payroll = json.loads(revealed.stdout)["payroll"]
    assert (payroll["average_monthly"], payroll["total"]) == ("8000.00", "80000.00")
    store = open_database(load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})).store
    try:
        last = list(store_audit.export_rows(store, None, None))[-1]
    finally:
        store.dispose()
    assert (last.action, last.subject, last.purpose) == ("reveal", MAN, "核实收入")

    text = cli(MAN, "--as-of", "20261128")
    assert text.returncode == 0 and "张三" in text.stdout and "稳定户" in text.stdout
    assert "月均***元" in text.stdout and "8000.00" not in text.stdout
    for bad, word in (
        ("32118319850314002", "长度"),
        ("3211831985031400A1", "非法字符"),
        (MAN[:-1] + ("1" if MAN[-1] != "1" else "2"), "校验位"),
        ("321183" + "19851314" + "0212", "出生日期"),
    ):
        if word == "出生日期":
            from teller_assist.identity.resident_id import check_character

            bad = "32118319851314021" + check_character("32118319851314021")
        out = cli(bad)
        assert out.returncode == 2 and word in out.stderr and "Traceback" not in out.stderr
        assert out.stderr.strip().count("\n") == 0


def test_prequal_command(env: dict[str, str], tmp_path: Path, sqlite_store: Store) -> None:
    load_fixture(sqlite_store, tmp_path / "in")
    sqlite_store.dispose()
    survey = tmp_path / "survey.json"
    survey.write_text(json.dumps({"scenario": "walk_in", "answers": walk_in_answers()}), encoding="utf-8")

    def cli(*args: str) -> dict:  # type: ignore[type-arg]
        out = run_cli("prequal", MAN, "--as-of", "2026-11-28", "--json", *args, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)  # type: ignore[no-any-return]

    before = cli()
    assert before["eligible"] is True and before["grantable_fen"] == 30000_00
    # 10 months of 8,000 from a government organ: the 200,000 floor, +10% settled household
    assert before["potential_fen"] == 220000_00 and before["survey_complete"] is False
    assert before["annual_rate"] == "4.65"  # 4.85 minus 0.20 for the valid party_member tag
    after = cli("--survey", str(survey))
    assert after["grantable_fen"] == 220000_00 and after["annual_rate"] == "3.65"
    assert after["valid_until"] == "2028-11-27" and after["policy_version"] == "2026.1"
    assert after["survey_complete"] is True and after["missing"] == []
    codes = {f["code"]: f for f in after["factors"]}
    assert codes["civil_servant"]["amount"] == "200000.00"
    civil_servant = codes["civil_servant"]["evidence"]
    assert civil_servant.startswith("近12个月中10个月由句容市财政局(机关)代发工资，月均***元")
    # the candidate a declared income gives is masked with it, in the words and in the amount: twice
    # the income less nothing would give the income back
    assert codes["survey"]["amount"] == "***"
    assert codes["survey"]["evidence"] == "申报家庭年收入***元×2 − 负债***元 = ***元"
    shown = {f["code"]: f for f in cli("--survey", str(survey), "--reveal")["factors"]}
    assert shown["survey"]["evidence"] == "申报家庭年收入80,000元×2 − 负债0元 = 160,000元"
    assert shown["survey"]["amount"] == "160000.00"

    bad_policy = tmp_path / "bad.toml"
    bad_policy.write_text("[policy]\nname = 'x'\n", encoding="utf-8")
    out = run_cli("policy", "check", str(bad_policy), env=env, timeout=60)
    assert out.returncode == 2 and "policy.version" in out.stderr and "Traceback" not in out.stderr


def test_many_cards_at_once_are_the_cards_one_at_a_time(store: Store, tmp_path: Path) -> None:
    """A roster's members are looked up seven statements per thousand people: every fact the same as the
    counter's own lookup, for known, listed, tagged, targeted and unknown people, across chunks."""
    from teller_assist.services.lookup import lookup_many
    from teller_assist.store import cards as store_cards

    load_fixture(store, tmp_path)
    others = [rid(seq=s) for s in range(101, 140, 2)]
    ids = [MAN, WOMAN, *others]
    store_cards.MANY_CHUNK, chunk = 7, store_cards.MANY_CHUNK  # several chunks, one split mid-way
    try:
        many = lookup_many(store, ids, as_of=AS_OF)
    finally:
        store_cards.MANY_CHUNK = chunk
    assert list(many) == ids
    for id_no in ids:
        assert many[id_no] == lookup(context_of(store), id_no, as_of=AS_OF), id_no
    assert many[MAN].payroll.months == 10 and many[MAN].withholding.active_agreements
    assert many[WOMAN].negative_listed and not many[others[0]].seen


def test_the_lookup_service_writes_the_audit_rows_a_lookup_owes(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    """The command line's lookup and prequal are one service call each: the card with its lookup row
    under the operator and purpose, and a reveal row only when the incomes are to be shown in full."""
    load_fixture(store, tmp_path)
    man = parse_resident_id(MAN, today=AS_OF)
    before = len(list(store_audit.export_rows(store, None, None)))
    card = lookup_audited(ctx, man, as_of=AS_OF, operator="os:clerk", purpose="核实收入", reveal=True)
    _, decision = prequalify_audited(ctx, man, survey=None, as_of=AS_OF, operator="os:clerk")
    rows = list(store_audit.export_rows(store, None, None))[before:]
    assert card.name == "张三" and decision.eligible
    assert [(r.action, r.operator, r.subject, r.purpose) for r in rows] == [
        ("lookup", "os:clerk", MAN, "核实收入"),
        ("reveal", "os:clerk", MAN, "核实收入"),
        ("lookup", "os:clerk", MAN, "prequal"),
    ]
    assert json.loads(rows[1].detail) == {"fields": ["income"]}


def test_many_cards_equal_single_lookups_for_gaps_listings_strangers(store: Store, tmp_path: Path) -> None:
    """``lookup_many`` reads a roster's members in a few set-based statements; every card must be the one
    the counter's own lookup builds: payroll with gaps, two employers paying on one day, credits before
    the window and in the current month, agreements with debits inside and outside the window, a
    listing (and a lifted one's neighbour), tags, targets, a person seen only in the payroll, a customer
    with no records at all, and IDs the bank has never seen; IDs given unsorted and repeated."""
    from teller_assist.services.lookup import lookup_many

    gappy, listed, bare, stranger, payee = (rid(seq=s) for s in (201, 203, 205, 207, 209))
    never = [rid(seq=s) for s in (301, 303)]
    write(
        tmp_path,
        "customers_20261127.csv",
        [
            "id_no,name,phone,branch_code,region_code",
            f"{gappy},李四,13951234568,0102,321183",
            f"{listed},王五,,0101,321183",
            f"{bare},赵六,13951234569,0103,321183",
        ],
    )
    pay = ["txn_id,id_no,employer_code,employer_name,pay_date,amount"]
    for m in (1, 2, 4, 7, 8, 10):  # six months of twelve, with gaps
        pay.append(f"G{m},{gappy},{GOV},句容市财政局,2026-{m:02d}-05,4000")
    pay.append(f"G20,{gappy},{COMPANY},某公司,2026-07-05,1500.50")  # a second employer, the same day
    pay.append(f"G21,{gappy},{COMPANY},某公司,2025-10-05,9999")  # before the window
    pay.append(f"G22,{gappy},{GOV},句容市财政局,2026-11-05,4100")  # the current month: outside
    pay.append(f"G30,{payee},{COMPANY},某公司,2026-03-15,2800")  # paid, but not a customer
    pay.append(f"G31,{listed},{COMPANY},某公司,2026-06-15,3000")
    write(tmp_path, "payroll_20261127.csv", pay)
    write(
        tmp_path,
        "utility_agreements_20261127.csv",
        [
            "agreement_no,id_no,utility,signed_on,status",
            f"A2,{gappy},electricity,2021-01-01,active",
            f"A1,{gappy},water,2019-01-01,active",
            f"A3,{payee},gas,2020-01-01,cancelled",
        ],
    )
    debits = ["txn_id,agreement_no,debit_date,amount,result"]
    debits += [f"E{m},A1,2026-{m:02d}-20,40,ok" for m in range(1, 12)]  # November's is outside
    debits += ["E90,A2,2026-03-20,60,failed", "E91,A2,2025-10-20,60,failed", "E92,A3,2026-02-20,30,ok"]
    write(tmp_path, "utility_debits_20261127.csv", debits)
    write(tmp_path, "negative_list_20261127.csv", ["id_no,reason,note", f"{listed},court_defaulter,内部备注"])
    write(
        tmp_path,
        "group_tags_20261127.csv",
        ["id_no,tag,grade,valid_until", f"{gappy},veteran,,2026-01-01", f"{gappy},party_member,,"],
    )
    write(
        tmp_path,
        "targets_20261127.csv",
        [
            "campaign,id_no,branch_code,officer,due_on,scenario",
            f"2026-village,{stranger},0101,jr010101,2026-12-31,village",
            f"2026-walk-in,{gappy},0102,jr010201,2026-12-15,walk_in",
        ],
    )
    report = import_paths(store, [tmp_path], today=AS_OF)
    assert report.exit_code == 0, [(f.kind, f.rejected) for f in report.files]
    ids = [stranger, never[1], gappy, bare, listed, payee, never[0], gappy]
    many = lookup_many(store, ids, as_of=AS_OF)
    assert set(many) == set(ids)
    for id_no in ids:
        assert many[id_no] == lookup(context_of(store), id_no, as_of=AS_OF), id_no
    g = many[gappy]
    assert (g.payroll.months, g.payroll.regularity, g.payroll.total_fen) == (6, "irregular", 2_550_050)
    assert g.withholding.ok_debits == 10 and g.withholding.failed_debits == 1 and g.withholding.settled
    assert many[listed].negative_listed and many[listed].payroll.months == 1
    assert many[payee].seen and not many[payee].known and many[payee].payroll.has_pay
    assert many[bare].known and not many[bare].payroll.has_pay and not many[bare].withholding.agreements
    assert many[stranger].targets and not many[stranger].known
    assert not any(many[n].seen for n in never)
