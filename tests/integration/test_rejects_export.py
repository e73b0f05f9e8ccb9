"""Refused rows exported without a digit of an ID, a phone or an amount in them, whatever stands around
them: the file read back."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from teller_assist.services.context import Context
from teller_assist.services.imports import Importer, export_rejects, import_paths
from teller_assist.store.engine import Store
from tests.helpers.extracts import GOV, MAN, WOMAN, write

TODAY = dt.date(2026, 11, 28)
PAYROLL = "txn_id,id_no,employer_code,employer_name,pay_date,amount"


def test_exported_refused_rows_hold_no_id_phone_or_amount(
    store: Store, ctx: Context, tmp_path: Path
) -> None:
    legacy = "110101850314002"
    bad_uscc = GOV[:-1] + ("0" if GOV[-1] != "0" else "1")
    write(
        tmp_path,
        "payroll_20261127.csv",
        [
            PAYROLL,
            f"P1,{MAN}5,{GOV},局,2026-10-01,8523.50",  # a full ID plus a digit
            f"P2,{MAN[:17]},{GOV},局,2026-10-01,8523.50",  # a 17-digit prefix
            f"P3,abc{MAN}def,{GOV},局,2026-10-01,8523.50",  # glued to letters
            f"P4,{MAN},{bad_uscc},局,2026-10-01,8523.50",  # a person's exact pay
            f"P5,{legacy}x,{GOV},局,2026-10-01,0",
        ],
    )
    write(
        tmp_path,
        "customers_20261127.csv",
        [
            "id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code",
            f"{MAN},张三,女,19850314,13951234567,句容{WOMAN}号,,,321183",  # gender does not match
            f"{WOMAN},李四,,,139512345678,,,,",  # a phone plus a digit
        ],
    )
    report = import_paths(store, [tmp_path], today=TODAY)
    assert sum(f.rejected for f in report.files) == 7
    out = tmp_path / "rejects.csv"
    assert export_rejects(ctx, out, by=Importer("os:test")) == 7
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    text = "\n".join(",".join(row[4:]) for row in table)  # the reason and the row as read
    for secret in (MAN, MAN[:17], WOMAN, legacy, "13951234567", "8523", "19850314", "321183", MAN[6:14]):
        assert secret not in text, secret
    assert all(len(run) <= 4 for row in table[1:] for run in re.findall(r"\d+", row[5])), table
    assert MAN[:4] in text and MAN[-4:] in text  # what the masking settings leave to recognise a person
