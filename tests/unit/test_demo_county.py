from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest

from teller_assist.demo.county import FORMATS, KIND_ORDER, generate_county, plan_chunks
from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.identity.uscc import parse_uscc
from teller_assist.money import parse_yuan

AS_OF = dt.date(2026, 11, 28)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def read(path: Path, kind: str) -> tuple[list[str], list[list[str]]]:
    fmt = FORMATS[kind]
    text = path.read_bytes().decode(fmt.encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter, strict=True))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("county")
    summary = generate_county(out, people=20_000, seed=7, as_of=AS_OF, processes=1)
    return out, summary.rows


def test_same_seed_same_bytes_whatever_the_process_count(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_county(a, people=3_000, seed=3, as_of=AS_OF, processes=1)
    generate_county(b, people=3_000, seed=3, as_of=AS_OF, processes=2)
    generate_county(c, people=3_000, seed=4, as_of=AS_OF, processes=1)
    assert digest(a) == digest(b)
    assert digest(a) != digest(c)


def test_chunks_stay_within_the_sequence_bands() -> None:
    assert len(plan_chunks(620_000)) == 50
    assert sum(n for _, n in plan_chunks(620_001)) == 620_001
    assert plan_chunks(1) == [(0, 1)]


def test_every_file_has_its_header_encoding_and_delimiter(county: tuple[Path, dict[str, int]]) -> None:
    out, rows = county
    for kind in KIND_ORDER:
        path = out / f"{kind}_{AS_OF:%Y%m%d}.csv"
        header, body = read(path, kind)
        fmt = FORMATS[kind]
        assert header == [zh if fmt.chinese_headers and zh else en for en, zh in fmt.columns]
        assert len(body) == rows[kind]
        assert all(len(r) == len(header) for r in body)
    raw = (out / f"customers_{AS_OF:%Y%m%d}.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really GB18030, as core systems write it
    assert (out / f"utility_agreements_{AS_OF:%Y%m%d}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_people_are_valid_unique_and_realistic(county: tuple[Path, dict[str, int]]) -> None:
    out, _ = county
    _, customers = read(out / f"customers_{AS_OF:%Y%m%d}.csv", "customers")
    ids = [r[0] for r in customers]
    assert len(set(ids)) == len(ids) == 20_000
    ages = []
    regions: Counter[str] = Counter()
    for id_no, name, gender, birth, phone, *_ in customers:
        rid = parse_resident_id(id_no, today=AS_OF)
        assert (gender == "男") == (rid.gender == "M")
        assert birth == f"{rid.birth_date:%Y%m%d}"
        assert name and len(name) <= 4
        assert phone == "" or (len(phone) == 11 and phone.startswith("1"))
        ages.append(rid.age_on(AS_OF))
        regions[rid.region_code] += 1
    minors = sum(a < 18 for a in ages) / len(ages)
    seniors = sum(a > 65 for a in ages) / len(ages)
    assert 0.10 < minors < 0.22 and 0.10 < seniors < 0.22
    assert regions["321183"] > regions["321123"] > 0  # current and historic Jurong codes
    rare = [r[1] for r in customers if any(ord(c) > 0xFFFF or 0x3400 <= ord(c) <= 0x4DBF for c in r[1])]
    assert rare, "some names carry Extension A/B characters (decoded from GB18030 intact)"


def test_payroll_withholding_and_lists_are_in_proportion(county: tuple[Path, dict[str, int]]) -> None:
    out, rows = county
    _, payroll = read(out / f"payroll_{AS_OF:%Y%m%d}.csv", "payroll")
    paid = {r[1].upper() for r in payroll}
    assert 0.20 < len(paid) / 20_000 < 0.30
    kinds = Counter(parse_uscc(r[2]).value[:2] for r in payroll)
    assert {"11", "12", "91", "92"} <= set(kinds)
    assert all(parse_yuan(r[5]) > 0 for r in payroll)
    assert any("," in r[5] for r in payroll)  # thousands separators, as the core system writes them
    months = Counter(r[1] for r in payroll)
    assert any(n < 12 for n in months.values()) and any(n == 12 for n in months.values())

    _, agreements = read(out / f"utility_agreements_{AS_OF:%Y%m%d}.csv", "utility_agreements")
    holders = {r[1] for r in agreements}
    assert 0.35 < len(holders) / 20_000 < 0.50
    agreement_nos = {r[0] for r in agreements}
    _, debits = read(out / f"utility_debits_{AS_OF:%Y%m%d}.csv", "utility_debits")
    assert {r[1] for r in debits} <= agreement_nos
    results = Counter(r[4] for r in debits)
    assert results["failed"] > 0 and results["ok"] > 20 * results["failed"]
    # the last 12 full calendar months before the extract date
    assert all(dt.date(2025, 11, 1) <= dt.date.fromisoformat(r[2]) < dt.date(2026, 11, 1) for r in debits)

    _, negative = read(out / f"negative_list_{AS_OF:%Y%m%d}.csv", "negative_list")
    assert 0.018 < len(negative) / 20_000 < 0.032
    _, tags = read(out / f"group_tags_{AS_OF:%Y%m%d}.csv", "group_tags")
    expired = [t for t in tags if dt.date.fromisoformat(t[4]) < AS_OF]
    assert 0 < len(expired) < len(tags) / 3
    _, targets = read(out / f"targets_{AS_OF:%Y%m%d}.csv", "targets")
    assert {t[0] for t in targets} >= {"2026-walk-in"}
    assert not ({t[1] for t in targets} & {n[0] for n in negative})
    assert rows["drawdowns"] > 0
