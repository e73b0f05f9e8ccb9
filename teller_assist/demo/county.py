"""Generate a synthetic county (default: 句容, Jurong) as core-bank extract files.

Deterministic: the same ``people``, ``seed`` and ``as_of`` give byte-identical files, however many
processes do the work. People are generated in chunks; each chunk has its own random stream derived
from the seed and its own band of ID sequence numbers, so IDs never collide across chunks.

Written as the bank's core system writes them: some files GB18030 with Chinese headers, some UTF-8
(one with a BOM), delimiters ``,``, ``|`` and TAB, amounts with thousands separators, both date forms.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import multiprocessing
import os
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from teller_assist.demo import history as demo_history
from teller_assist.demo.names import GIVEN_CHARS, RARE_GIVEN_CHARS, SURNAMES
from teller_assist.identity import uscc
from teller_assist.identity.resident_id import check_character

MAX_CHUNKS = 50  # 1000 sequence numbers / 20 per chunk
SEQ_BAND = 1000 // MAX_CHUNKS
COUNTY_NOW = "321183"  # 句容市 since 1995
COUNTY_OLD = "321123"  # 句容县 before 1995
MIGRANT_REGIONS = ("321181", "321182", "321102", "320115", "320121", "320482", "340104", "411323", "513022")

TOWNS: tuple[tuple[str, str], ...] = (  # (town, branch code)
    ("华阳街道", "0101"),
    ("崇明街道", "0102"),
    ("黄梅街道", "0103"),
    ("开发区", "0104"),
    ("下蜀镇", "0105"),
    ("宝华镇", "0106"),
    ("郭庄镇", "0107"),
    ("白兔镇", "0108"),
    ("茅山镇", "0109"),
    ("后白镇", "0110"),
    ("边城镇", "0111"),
    ("天王镇", "0112"),
)
VILLAGE_WORDS = "东西南北前后上下新老大小"
VILLAGE_ROOTS = ("庄", "村", "塘", "桥", "岗", "湾", "店", "圩", "冲", "山")
MOBILE_PREFIXES = (
    "139",
    "138",
    "137",
    "136",
    "135",
    "134",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "176",
    "133",
    "153",
    "180",
    "181",
    "189",
    "177",
    "199",
    "191",
    "198",
)
AGE_BANDS: tuple[tuple[int, int, float], ...] = (  # (min age, max age, share)
    (0, 17, 0.16),
    (18, 30, 0.15),
    (31, 45, 0.22),
    (46, 60, 0.24),
    (61, 65, 0.07),
    (66, 95, 0.16),
)
UTILITIES: tuple[tuple[str, str, float, int, int], ...] = (  # (code, 中文, weight, min yuan, max yuan)
    ("electricity", "电费", 45, 40, 420),
    ("water", "水费", 30, 15, 120),
    ("telecom", "通讯费", 12, 30, 199),
    ("gas", "燃气费", 8, 20, 160),
    ("property", "物业费", 3, 80, 400),
    ("tv", "有线电视", 2, 25, 30),
)
NEGATIVE_REASONS: tuple[tuple[str, float, str], ...] = (
    ("credit_report", 40, "征信报告显示连续逾期"),
    ("court_defaulter", 30, "法院失信被执行人名单"),
    ("bad_habit", 10, "经核实有赌博行为"),
    ("fraud", 5, "涉嫌骗贷"),
    ("other", 15, "其他原因，详见档案"),
)


@dataclass(frozen=True)
class FileFormat:
    kind: str
    encoding: str  # codec name as Python knows it
    delimiter: str
    chinese_headers: bool
    columns: tuple[tuple[str, str], ...]  # (english, chinese)


FORMATS: dict[str, FileFormat] = {
    f.kind: f
    for f in (
        FileFormat(
            "customers",
            "gb18030",
            ",",
            True,
            (
                ("id_no", "身份证号"),
                ("name", "姓名"),
                ("gender", "性别"),
                ("birth_date", "出生日期"),
                ("phone", "手机号"),
                ("address", "地址"),
                ("customer_no", "客户号"),
                ("branch_code", "网点号"),
                ("region_code", "社保区域"),
            ),
        ),
        FileFormat(
            "payroll",
            "utf-8",
            "|",
            False,
            (
                ("txn_id", ""),
                ("id_no", ""),
                ("employer_code", ""),
                ("employer_name", ""),
                ("pay_date", ""),
                ("amount", ""),
            ),
        ),
        FileFormat(
            "utility_agreements",
            "utf-8-sig",
            "\t",
            True,
            (
                ("agreement_no", "协议号"),
                ("id_no", "身份证号"),
                ("utility", "代扣类型"),
                ("signed_on", "签约日期"),
                ("status", "状态"),
                ("cancelled_on", "解约日期"),
            ),
        ),
        FileFormat(
            "utility_debits",
            "utf-8",
            ",",
            False,
            (("txn_id", ""), ("agreement_no", ""), ("debit_date", ""), ("amount", ""), ("result", "")),
        ),
        FileFormat(
            "negative_list",
            "gb18030",
            "|",
            True,
            (("id_no", "身份证号"), ("reason", "原因"), ("listed_on", "列入日期"), ("note", "备注")),
        ),
        FileFormat(
            "drawdowns",
            "utf-8",
            ",",
            False,
            (("txn_id", ""), ("id_no", ""), ("drawn_on", ""), ("amount", ""), ("loan_no", "")),
        ),
        FileFormat(
            "group_tags",
            "utf-8",
            ",",
            False,
            (("id_no", ""), ("tag", ""), ("grade", ""), ("source", ""), ("valid_until", "")),
        ),
        FileFormat(
            "targets",
            "gb18030",
            ",",
            True,
            (
                ("campaign", "活动"),
                ("id_no", "身份证号"),
                ("branch_code", "网点号"),
                ("officer", "客户经理"),
                ("due_on", "截止日期"),
                ("scenario", "场景"),
            ),
        ),
    )
}
KIND_ORDER = tuple(FORMATS)


@dataclass(frozen=True)
class Employer:
    code: str
    name: str
    kind: str  # "11", "12", "91", "92"
    pay_day: int
    salary_low: int  # yuan
    salary_high: int


def _uscc(rng: random.Random, prefix: str) -> str:
    body = prefix + COUNTY_NOW + "".join(rng.choice(uscc.ALPHABET[:10]) for _ in range(8))
    body += rng.choice(uscc.ALPHABET)
    return body + uscc.check_character(body)


_GOV_NAMES = (
    "财政局",
    "教育局",
    "公安局",
    "人力资源和社会保障局",
    "农业农村局",
    "市场监督管理局",
    "卫生健康委员会",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "民政局",
    "司法局",
    "审计局",
    "统计局",
    "税务局",
    "应急管理局",
    "生态环境局",
    "文体广电和旅游局",
    "退役军人事务局",
)
_PUBLIC_NAMES = (
    "人民医院",
    "中医院",
    "第一中学",
    "第三中学",
    "实验小学",
    "华阳中心小学",
    "职业教育中心",
    "疾病预防控制中心",
    "图书馆",
    "广播电视台",
    "妇幼保健院",
    "茅山风景区管理处",
    "下蜀中心卫生院",
    "宝华中学",
    "后白中心小学",
    "郭庄中学",
    "气象台",
    "公证处",
)
_COMPANY_WORDS = (
    "宏达",
    "恒信",
    "华盛",
    "金陵",
    "茅山",
    "赤山",
    "天成",
    "永利",
    "新锐",
    "东方",
    "长江",
    "福瑞",
    "鑫源",
    "嘉禾",
    "润泽",
    "盛世",
    "联创",
    "瑞丰",
    "和美",
    "方圆",
)
_COMPANY_TRADES = (
    "机械制造",
    "电子科技",
    "建材",
    "食品",
    "纺织",
    "农业开发",
    "物流",
    "建筑工程",
    "汽车配件",
    "新材料",
    "茶业",
    "苗木",
    "化工",
    "印刷",
    "服饰",
)
_SHOP_TRADES = ("商行", "超市", "五金店", "饭店", "理发店", "茶叶店", "农资店", "建材经营部", "汽修部")


def make_employers(seed: int) -> list[Employer]:
    rng = random.Random(f"teller-assist-demo:{seed}:employers")
    out: list[Employer] = []
    for name in _GOV_NAMES:
        out.append(Employer(_uscc(rng, "11"), f"句容市{name}", "11", rng.randint(5, 15), 6000, 10500))
    for name in _PUBLIC_NAMES:
        out.append(Employer(_uscc(rng, "12"), f"句容市{name}", "12", rng.randint(5, 15), 4800, 9000))
    for i in range(600):
        word = _COMPANY_WORDS[i % len(_COMPANY_WORDS)]
        trade = _COMPANY_TRADES[(i // len(_COMPANY_WORDS)) % len(_COMPANY_TRADES)]
        suffix = "" if i < 300 else str(i // 300 + 1)
        out.append(
            Employer(
                _uscc(rng, "91"),
                f"句容市{word}{trade}{suffix}有限公司",
                "91",
                rng.randint(1, 28),
                2800,
                rng.choice((6000, 8000, 12000)),
            )
        )
    for i in range(200):
        town = TOWNS[i % len(TOWNS)][0]
        out.append(
            Employer(
                _uscc(rng, "92"),
                f"句容市{town}{rng.choice(_COMPANY_WORDS)}{rng.choice(_SHOP_TRADES)}",
                "92",
                rng.randint(1, 28),
                2300,
                5200,
            )
        )
    return out


def _pick_weighted(rng: random.Random, cumulative: Sequence[float], items: Sequence[str]) -> str:
    return rng.choices(items, cum_weights=cumulative, k=1)[0]


def _month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    """First days of the ``months`` full calendar months before ``as_of``, oldest first."""
    y, m = as_of.year, as_of.month
    out = []
    for _ in range(months):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(dt.date(y, m, 1))
    return out[::-1]


def _fmt_amount(fen: int, grouping: bool) -> str:
    whole, cents = divmod(fen, 100)
    return f"{whole:,}.{cents:02d}" if grouping else f"{whole}.{cents:02d}"


@dataclass
class ChunkResult:
    index: int
    texts: dict[str, str]
    counts: dict[str, int]
    history: str = ""  # applications of the year's programme (demo_history.COLUMNS), when asked
    history_rows: int = 0


@dataclass
class _Chunk:
    index: int
    start: int
    count: int
    seed: int
    as_of: dt.date
    employers: list[Employer]
    rows: dict[str, list[list[str]]] = field(default_factory=lambda: {k: [] for k in KIND_ORDER})
    history: bool = False


def _generate_chunk(chunk: _Chunk) -> ChunkResult:
    rng = random.Random(f"teller-assist-demo:{chunk.seed}:{chunk.index}")
    as_of = chunk.as_of
    rows = chunk.rows
    used: set[str] = set()
    surnames = [s for s, _ in SURNAMES]
    surname_cum = list(itertools.accumulate(w for _, w in SURNAMES))
    age_cum = list(itertools.accumulate(b[2] for b in AGE_BANDS))
    util_cum = list(itertools.accumulate(u[2] for u in UTILITIES))
    neg_cum = list(itertools.accumulate(r[1] for r in NEGATIVE_REASONS))
    employers = chunk.employers
    by_kind = {k: [e for e in employers if e.kind == k] for k in ("11", "12", "91", "92")}
    emp_kinds = ["11", "12", "91", "92"]
    emp_cum = list(itertools.accumulate((8, 15, 65, 12)))
    months = _month_starts(as_of, 12)
    iso_cache: dict[dt.date, str] = {}
    compact_cache: dict[dt.date, str] = {}

    def iso(d: dt.date) -> str:
        s = iso_cache.get(d)
        if s is None:
            s = iso_cache[d] = d.isoformat()
        return s

    def compact(d: dt.date) -> str:
        s = compact_cache.get(d)
        if s is None:
            s = compact_cache[d] = f"{d.year:04d}{d.month:02d}{d.day:02d}"
        return s

    today_ord = as_of.toordinal()
    seq_base = chunk.index * SEQ_BAND
    txn = itertools.count(1)
    tag_sources = {
        "civil_servant": "句容市委组织部",
        "party_member": "句容市委组织部",
        "veteran": "句容市退役军人事务局",
        "exemplary_resident": "句容市精神文明建设办公室",
        "integrity_business": "句容市市场监督管理局",
        "family_farm": "句容市农业农村局",
    }

    # the year's programme has a stream of its own: the extracts are the same with or without it
    hrng = random.Random(f"teller-assist-demo:{chunk.seed}:{chunk.index}:history")
    htxn = itertools.count(1)
    history_rows: list[list[str]] = []

    for n in range(chunk.count):
        # --- who ------------------------------------------------------------------------------
        band = AGE_BANDS[rng.choices(range(len(AGE_BANDS)), cum_weights=age_cum, k=1)[0]]
        age = rng.randint(band[0], band[1])
        birth = dt.date.fromordinal(today_ord - age * 365 - rng.randint(0, 364) - age // 4)
        male = rng.random() < 0.5
        migrant = rng.random() < 0.05
        if migrant:
            region = rng.choice(MIGRANT_REGIONS)
        elif birth.year < 1995 and rng.random() < 0.55:
            region = COUNTY_OLD
        else:
            region = COUNTY_NOW
        while True:
            seq = seq_base + 2 * rng.randrange(SEQ_BAND // 2) + (1 if male else 0)
            if seq == 0:  # sequence 000 is never issued
                continue
            first17 = f"{region}{compact(birth)}{seq:03d}"
            if first17 not in used:
                used.add(first17)
                break
            birth = birth - dt.timedelta(days=1)
        id_no = first17 + check_character(first17)
        surname = _pick_weighted(rng, surname_cum, surnames)
        given_len = 1 if rng.random() < 0.25 else 2
        given = "".join(rng.choice(GIVEN_CHARS) for _ in range(given_len))
        if rng.random() < 0.0005:
            given = given[:-1] + rng.choice(RARE_GIVEN_CHARS)
        name = surname + given
        town, branch = TOWNS[rng.randrange(len(TOWNS))]
        phone = (
            rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if age >= 12 and rng.random() < 0.9
            else ""
        )
        village = rng.choice(VILLAGE_WORDS) + rng.choice(VILLAGE_ROOTS)
        address = f"江苏省句容市{town}{village}{rng.randint(1, 220)}号"
        if rng.random() < 0.01:
            address += "（“老宅”，东侧）"
        customer_no = f"{6200000000 + chunk.start + n}"
        rows["customers"].append(
            [
                id_no,
                name,
                "男" if male else "女",
                compact(birth),
                phone,
                address,
                customer_no,
                branch,
                COUNTY_NOW if not migrant or rng.random() < 0.7 else region,
            ]
        )
        adult = age >= 18

        # --- payroll ----------------------------------------------------------------------------
        civil_servant = False
        salary: int | None = None
        if 18 <= age <= 62 and rng.random() < 0.42:
            ekind = _pick_weighted(rng, emp_cum, emp_kinds)
            emp = rng.choice(by_kind[ekind])
            civil_servant = ekind == "11"
            salary = rng.randint(emp.salary_low, emp.salary_high) * 100
            pay_months = months if rng.random() < 0.8 else sorted(rng.sample(months, rng.randint(1, 11)))
            written_id = id_no.lower() if id_no.endswith("X") and rng.random() < 0.05 else id_no
            for month in pay_months:
                fen = max(100, salary + rng.randint(-40000, 40000) if rng.random() < 0.3 else salary)
                pay = month.replace(day=min(emp.pay_day, 28))
                rows["payroll"].append(
                    [
                        f"P{chunk.index:02d}{next(txn):09d}",
                        written_id,
                        emp.code,
                        emp.name,
                        iso(pay),
                        _fmt_amount(fen, True),
                    ]
                )

        # --- withholding --------------------------------------------------------------------------
        if adult and rng.random() < 0.48:
            for _ in range(1 if rng.random() < 0.8 else 2):
                _code, zh, _w, low, high = UTILITIES[
                    rng.choices(range(len(UTILITIES)), cum_weights=util_cum, k=1)[0]
                ]
                agreement = f"W{chunk.index:02d}{next(txn):09d}"
                recent = rng.random() < 0.08
                signed = (
                    months[rng.randint(0, 11)]
                    if recent
                    else dt.date.fromordinal(today_ord - rng.randint(400, 4000))
                )
                cancelled = rng.random() < 0.03 and not recent  # cancelled after it was signed
                cancelled_on = months[rng.randint(3, 11)] if cancelled else None
                rows["utility_agreements"].append(
                    [
                        agreement,
                        id_no,
                        zh,
                        compact(signed),
                        "解约" if cancelled else "正常",
                        compact(cancelled_on) if cancelled_on else "",
                    ]
                )
                bad_payer = rng.random() < 0.04
                base = rng.randint(low, high) * 100
                for month in months:
                    if month < signed or (cancelled_on is not None and month >= cancelled_on):
                        continue
                    day = month.replace(day=20)
                    failed = bad_payer and rng.random() < 0.25
                    rows["utility_debits"].append(
                        [
                            f"U{chunk.index:02d}{next(txn):09d}",
                            agreement,
                            iso(day),
                            _fmt_amount(max(100, base + rng.randint(-base // 4, base // 4)), False),
                            "failed" if failed else "ok",
                        ]
                    )

        # --- negative list, tags, drawdowns, targets ------------------------------------------------
        listed = adult and rng.random() < 0.025 * 1.2  # adults only; about 2.5% of everyone
        listed_on: dt.date | None = None
        if listed:
            i = rng.choices(range(len(NEGATIVE_REASONS)), cum_weights=neg_cum, k=1)[0]
            reason, _w, note = NEGATIVE_REASONS[i]
            listed_on = dt.date.fromordinal(today_ord - rng.randint(10, 1800))
            rows["negative_list"].append([id_no, reason, compact(listed_on), note])
        if adult:
            tags: list[tuple[str, str]] = []
            if civil_servant and rng.random() < 0.8:
                tags.append(("civil_servant", ""))
            if rng.random() < 0.06:
                tags.append(("party_member", ""))
            if rng.random() < 0.02:
                tags.append(("veteran", ""))
            if rng.random() < 0.01:
                tags.append(("exemplary_resident", ""))
            if rng.random() < 0.01:
                tags.append(("integrity_business", rng.choice("ABC")))
            if rng.random() < 0.008:
                tags.append(("family_farm", str(rng.randint(1, 5))))
            for tag_name, grade in tags:  # about 15% of tags have expired
                valid = (
                    today_ord + rng.randint(30, 1000)
                    if rng.random() < 0.85
                    else today_ord - rng.randint(1, 700)
                )
                rows["group_tags"].append(
                    [id_no, tag_name, grade, tag_sources[tag_name], iso(dt.date.fromordinal(valid))]
                )
            if rng.random() < 0.03:
                loan = f"L{chunk.index:02d}{next(txn):09d}"
                for _ in range(rng.randint(1, 5)):
                    rows["drawdowns"].append(
                        [
                            f"D{chunk.index:02d}{next(txn):09d}",
                            id_no,
                            iso(dt.date.fromordinal(today_ord - rng.randint(1, 360))),
                            _fmt_amount(rng.randint(10, 500) * 10000, False),
                            loan,
                        ]
                    )
            target: tuple[str, str, str] | None = None
            if not listed and age <= 65:
                r = rng.random()
                if r < 0.12:
                    due = iso(dt.date.fromordinal(today_ord + rng.randint(30, 120)))
                    officer = f"jr{branch}{rng.randint(1, 6):02d}"
                    if r < 0.08:
                        rows["targets"].append(["2026-walk-in", id_no, branch, officer, due, "walk_in"])
                        target = ("2026-walk-in", officer, "walk_in")
                    else:
                        rows["targets"].append([f"village-{town}", id_no, branch, officer, due, "village"])
                        target = (f"village-{town}", officer, "village")
            if chunk.history:
                person = demo_history.Person(
                    id_no, name, branch, birth, listed_on, phone, salary, civil_servant, target
                )
                apps, draws = demo_history.person_history(hrng, person, as_of)
                history_rows.extend(apps)
                if draws:
                    loan = f"HL{chunk.index:02d}{next(htxn):09d}"
                    for day, fen in draws:
                        rows["drawdowns"].append(
                            [
                                f"H{chunk.index:02d}{next(htxn):09d}",
                                id_no,
                                iso(day),
                                _fmt_amount(fen, False),
                                loan,
                            ]
                        )

    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    for kind, kind_rows in rows.items():
        fmt = FORMATS[kind]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=fmt.delimiter, lineterminator="\r\n").writerows(kind_rows)
        texts[kind] = buffer.getvalue()
        counts[kind] = len(kind_rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(history_rows)
    return ChunkResult(chunk.index, texts, counts, buffer.getvalue(), len(history_rows))


@dataclass(frozen=True)
class DemoSummary:
    people: int
    seed: int
    as_of: dt.date
    files: dict[str, Path]
    rows: dict[str, int]
    history: Path | None = None  # the year's applications (not an extract: loaded by the store's bulk path)
    history_rows: int = 0


HISTORY_FOLDER = "history"


def history_file(out_dir: Path, as_of: dt.date) -> Path:
    return out_dir / HISTORY_FOLDER / f"applications_{as_of:%Y%m%d}.csv"


def file_name(kind: str, as_of: dt.date) -> str:
    return f"{kind}_{as_of:%Y%m%d}.csv"


def _header(fmt: FileFormat) -> str:
    names = [zh if fmt.chinese_headers and zh else en for en, zh in fmt.columns]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=fmt.delimiter, lineterminator="\r\n").writerow(names)
    return buffer.getvalue()


def plan_chunks(people: int) -> list[tuple[int, int]]:
    """(start, count) of each chunk: at most 50, so each gets its own band of sequence numbers."""
    chunks = min(MAX_CHUNKS, max(1, -(-people // 2000)))
    size = -(-people // chunks)
    return [(s, min(size, people - s)) for s in range(0, people, size)]


def generate_county(
    out_dir: Path,
    *,
    people: int,
    seed: int,
    as_of: dt.date,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    history: bool = False,
) -> DemoSummary:
    """Write the county's extract files into ``out_dir`` and return what was written.

    With ``history``, also the year of the programme before ``as_of``: its applications in
    ``history/applications_*.csv`` and their drawdowns in the drawdowns extract.
    ``progress(done_people, total_people)`` is called after each chunk.
    """
    if people < 1:
        raise ValueError("people must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    employers = make_employers(seed)
    chunks = [
        _Chunk(i, start, count, seed, as_of, employers, history=history)
        for i, (start, count) in enumerate(plan_chunks(people))
    ]
    paths = {kind: out_dir / file_name(kind, as_of) for kind in KIND_ORDER}
    totals = dict.fromkeys(KIND_ORDER, 0)
    handles = {}
    history_path = history_file(out_dir, as_of) if history else None
    history_rows = 0
    try:
        for kind, path in paths.items():
            fmt = FORMATS[kind]
            handle = path.open("w", encoding=fmt.encoding, newline="")
            handle.write(_header(fmt))
            handles[kind] = handle
        if history_path is not None:
            history_path.parent.mkdir(exist_ok=True)
            handles["history"] = history_path.open("w", encoding="utf-8", newline="")
            csv.writer(handles["history"], lineterminator="\r\n").writerow(demo_history.COLUMNS)
        done = 0
        for result in _run(chunks, processes):
            for kind, text in result.texts.items():
                handles[kind].write(text)
                totals[kind] += result.counts[kind]
            if history_path is not None:
                handles["history"].write(result.history)
                history_rows += result.history_rows
            done += chunks[result.index].count
            if progress is not None:
                progress(done, people)
    finally:
        for handle in handles.values():
            handle.close()
    return DemoSummary(people, seed, as_of, paths, totals, history_path, history_rows)


def _run(chunks: list[_Chunk], processes: int | None) -> Iterator[ChunkResult]:
    workers = processes if processes is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or len(chunks) == 1:
        yield from map(_generate_chunk, chunks)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap(_generate_chunk, chunks)
