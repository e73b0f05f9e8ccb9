"""The demo county's group campaigns: two of each scenario, each with the roster its group would hand the
bank — a village committee's household list, an enterprise's or a bureau's staff list from HR, an
association's members, a compound's registrations, a market's merchants — written as groups write them:
``.xlsx`` workbooks with a title line above the Chinese headers, and ``.csv`` files in GB18030.

The members are the county's own people (from the customers and payroll extracts just generated), with
the neighbours the bank does not know yet (new to the bank: they still get the base line) and the slips a
real roster has (an ID mistyped, a person listed twice), so the import has something to hand back.
Deterministic for a seed. Writing files only: the campaigns are made and the rosters loaded through the
ordinary services (``services.demo_campaigns``).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from teller_assist.demo.county import (
    COUNTY_NOW,
    FORMATS,
    MOBILE_PREFIXES,
    TOWNS,
    Employer,
    _uscc,
)
from teller_assist.demo.names import GIVEN_CHARS, SURNAMES
from teller_assist.identity.resident_id import check_character

__all__ = ["CAMPAIGNS_FOLDER", "DemoCampaign", "write_campaigns"]

CAMPAIGNS_FOLDER = "campaigns"
GROUPS = ("一组", "二组", "三组")
DEPARTMENTS = ("生产部", "销售部", "财务部", "行政部", "技术部")
OFFICES = ("办公室", "综合科", "业务科", "财务科", "执法大队")
CONSENTS = ("同意查询征信", "同意处理个人信息")
MIN_PEOPLE = 3  # a group with fewer of the county's people gets no demo campaign


@dataclass(frozen=True)
class DemoCampaign:
    code: str
    scenario: str
    group_name: str
    branch_code: str
    roster: Path
    group_uscc: str | None = None
    village_groups: tuple[str, ...] = ()
    indicator: int | None = None


@dataclass(frozen=True)
class _Person:
    id_no: str
    name: str
    phone: str
    address: str
    branch: str
    born: dt.date


def _people(customers: Path, as_of: dt.date) -> list[_Person]:
    """The county's adults of working age (18–60 at ``as_of``), as the customers extract lists them."""
    fmt = FORMATS["customers"]
    out = []
    with customers.open(encoding=fmt.encoding, newline="") as handle:
        rows = csv.reader(handle, delimiter=fmt.delimiter)
        next(rows)
        for id_no, name, _g, birth, phone, address, _no, branch, _region in rows:
            born = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
            age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
            if 18 <= age <= 60:
                out.append(_Person(id_no, name, phone, address, branch, born))
    return out


def _staff(payroll: Path) -> dict[str, set[str]]:
    """Each employer's staff (by the employer's code), as the payroll extract pays them."""
    fmt = FORMATS["payroll"]
    out: dict[str, set[str]] = defaultdict(set)
    with payroll.open(encoding=fmt.encoding, newline="") as handle:
        rows = csv.reader(handle, delimiter=fmt.delimiter)
        next(rows)
        for row in rows:
            out[row[2]].add(row[1])
    return out


class _Newcomers:
    """People the bank does not know yet: valid IDs of the county, none of them a customer's."""

    def __init__(self, rng: random.Random, known: set[str]) -> None:
        self.rng, self.used = rng, {i[:17] for i in known}
        self.surnames = [s for s, _w in SURNAMES[:60]]

    def person(self, as_of: dt.date) -> tuple[str, str]:
        rng = self.rng
        while True:
            born = dt.date(as_of.year - rng.randint(22, 58), rng.randint(1, 12), rng.randint(1, 28))
            first17 = f"{COUNTY_NOW}{born:%Y%m%d}{rng.randint(900, 999):03d}"
            if first17 not in self.used:
                self.used.add(first17)
                break
        name = rng.choice(self.surnames) + "".join(
            rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2)))
        )
        return first17 + check_character(first17), name

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


def _slips(rng: random.Random, rows: list[list[object]], id_col: int) -> None:
    """What a hand-made roster has: one ID mistyped (its check character), one person listed twice."""
    if len(rows) < 6:
        return
    bad = list(rows[rng.randrange(len(rows))])
    id_no = str(bad[id_col])
    bad[id_col] = id_no[:-1] + ("0" if id_no[-1] != "0" else "1")
    rows.insert(rng.randrange(len(rows)), bad)
    rows.insert(rng.randrange(len(rows)), list(rows[rng.randrange(len(rows))]))


def _number(rows: list[list[object]]) -> list[list[object]]:
    return [[i, *row] for i, row in enumerate(rows, start=1)]


def _write_xlsx(path: Path, title: str, header: Sequence[str], rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append([title])
    sheet.append(["序号", *header])
    for row in _number(rows):
        sheet.append(row)
    for column in ("C", "D", "E"):
        sheet.column_dimensions[column].width = 20
    book.save(path)
    return path


def _write_csv(path: Path, header: Sequence[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["序号", *header])
        writer.writerows(_number(rows))
    return path


def _evaluation(rng: random.Random) -> str:
    return rng.choices(("好", "一般", "差", ""), (60, 25, 5, 10))[0]


def _consents(rng: random.Random, share: float = 0.9) -> list[str]:
    yes = "是" if rng.random() < share else ""
    return [yes, yes]


def write_campaigns(
    out_dir: Path,
    customers: Path,
    payroll: Path,
    employers: Sequence[Employer],
    *,
    as_of: dt.date,
    seed: int,
    size: int = 60,
) -> list[DemoCampaign]:
    """Write the demo campaigns' rosters into ``out_dir`` and return the campaigns, villages first (a
    newcomer's first campaign is a village's). ``size``: about how many people a roster lists."""
    rng = random.Random(f"teller-assist-demo:{seed}:campaigns")
    out_dir.mkdir(parents=True, exist_ok=True)
    people = _people(customers, as_of)
    known = {p.id_no for p in people}
    newcomers = _Newcomers(rng, known)
    year = as_of.year
    town_branch = dict(TOWNS)
    taken: set[str] = set()  # a person on one demo campaign of each kind at most (some on two)
    out: list[DemoCampaign] = []

    def pick(candidates: Sequence[_Person], n: int) -> list[_Person]:
        free = [p for p in candidates if p.id_no not in taken]
        chosen = rng.sample(free, min(n, len(free)))
        taken.update(p.id_no for p in chosen)
        return chosen

    # --- villages: the two biggest villages of 后白镇 and 茅山镇, with their neighbours new to the bank
    for town, fmt in (("后白镇", "xlsx"), ("茅山镇", "csv")):
        by_village: dict[str, list[_Person]] = defaultdict(list)
        for p in people:
            rest = p.address.removeprefix(f"江苏省句容市{town}")
            if rest != p.address:
                by_village[rest[:2]].append(p)
        # (a county too small to have anyone there still has the village, all new to the bank)
        village = max(sorted(by_village), key=lambda v: len(by_village[v])) if by_village else "后白"
        members = [(p.id_no, p.name, p.phone) for p in pick(by_village[village], size)]
        members += [(*newcomers.person(as_of), newcomers.phone()) for _ in range(size // 2)]
        rng.shuffle(members)
        rows: list[list[object]] = []
        household = 0
        head = ""
        for i, (id_no, name, phone) in enumerate(members):
            if i == 0 or rng.random() < 0.45:
                household += 1
                head = name
            evaluation = _evaluation(rng)
            rows.append(
                [
                    f"H{household:03d}",
                    head,
                    name,
                    id_no,
                    GROUPS[household % len(GROUPS)],
                    "是" if rng.random() < 0.08 else "",
                    evaluation,
                    "村委会 主任" if evaluation else "",
                    phone,
                    *_consents(rng),
                ]
            )
        _slips(rng, rows, 3)
        header: tuple[str, ...] = (
            "户号",
            "户主",
            "姓名",
            "身份证号",
            "村民小组",
            "重点户",
            "评议",
            "评议人",
            "手机号",
            *CONSENTS,
        )
        name = f"{town}{village}村"
        path = out_dir / f"{name}村民名单.{fmt}"
        if fmt == "xlsx":
            _write_xlsx(path, f"{name}村民花名册（{year}年）", header, rows)
        else:
            _write_csv(path, header, rows)
        out.append(
            DemoCampaign(
                f"village-{name}-{year}",
                "village",
                name,
                town_branch[town],
                path,
                village_groups=GROUPS,
                indicator=len(members) // 2,
            )
        )

    # --- enterprises and bureaus: HR's staff lists, from the payroll the bank already pays
    staff = _staff(payroll)
    by_id = {p.id_no: p for p in people}
    staff_lists: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
        ("91", "enterprise", ("部门",), "xlsx"),
        ("11", "bureau", ("科室", "在编"), "csv"),
    )
    for kind, scenario, header_own, fmt in staff_lists:
        ranked = sorted(
            (e for e in employers if e.kind == kind),
            key=lambda e: (
                any(c.isdigit() for c in e.name),  # 瑞丰食品有限公司 before 瑞丰食品2有限公司
                -len([i for i in staff.get(e.code, ()) if i in by_id]),
                e.code,
            ),
        )
        for employer, fmt_each in zip(ranked[:2], (fmt, "csv" if fmt == "xlsx" else "xlsx"), strict=True):
            paid = [by_id[i] for i in sorted(staff.get(employer.code, ())) if i in by_id]
            chosen = pick(paid, size)
            if len(chosen) < MIN_PEOPLE:
                continue  # a county too small for this group
            rows = []
            for p in chosen:
                evaluation = _evaluation(rng)
                own: list[object] = (
                    [rng.choice(DEPARTMENTS)]
                    if scenario == "enterprise"
                    else [rng.choice(OFFICES), "是" if rng.random() < 0.8 else "否"]
                )
                rows.append(
                    [
                        p.name,
                        p.id_no,
                        *own,
                        evaluation,
                        "人力资源部" if evaluation else "",
                        p.phone,
                        *_consents(rng, 0.95),
                    ]
                )
            _slips(rng, rows, 1)
            header = ("姓名", "身份证号", *header_own, "评议", "评议人", "手机号", *CONSENTS)
            short = employer.name.removeprefix("句容市")
            path = out_dir / f"{short}员工名单.{fmt_each}"
            if fmt_each == "xlsx":
                _write_xlsx(path, f"{employer.name}在职人员名单", header, rows)
            else:
                _write_csv(path, header, rows)
            branch = Counter(p.branch for p in chosen).most_common(1)[0][0] if chosen else TOWNS[0][1]
            out.append(
                DemoCampaign(
                    f"{scenario}-{short}-{year}", scenario, employer.name, branch, path, employer.code
                )
            )

    # --- associations, communities and markets: a town's people, as the group lists them
    in_branch: dict[str, list[_Person]] = defaultdict(list)
    for p in people:
        in_branch[p.branch].append(p)
    groups = (
        ("association", "句容市个体劳动者协会", "0101", "xlsx"),
        ("association", "茅山镇茶叶协会", "0109", "csv"),
        ("community", "华阳街道文昌东路社区", "0101", "csv"),
        ("community", "崇明街道福地社区", "0102", "xlsx"),
        ("market", "句容农贸市场", "0101", "xlsx"),
        ("market", "宝华镇综合市场", "0106", "csv"),
    )
    for scenario, group, branch, fmt in groups:
        chosen = pick(in_branch[branch], size // 2)
        if len(chosen) < MIN_PEOPLE:
            continue
        rows = []
        for i, p in enumerate(chosen, start=1):
            if scenario == "association":
                extra: list[object] = [f"HY{i:04d}"]
                evaluation = _evaluation(rng)
                rated = [evaluation, "协会秘书处" if evaluation else ""]
                consents = _consents(rng)
            elif scenario == "community":
                extra = [
                    f"{rng.randint(1, 30)}幢{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
                ]
                rated = ["", ""]
                consents = ["是", "是"]  # a registration desk takes both, or nothing
            else:
                extra = [f"{rng.choice('ABCD')}-{rng.randint(1, 80):02d}", _uscc(rng, "92")]
                rated = ["", ""]
                consents = _consents(rng, 0.85)
            rows.append([p.name, p.id_no, *extra, *rated, p.phone, *consents])
        _slips(rng, rows, 1)
        header_own = {
            "association": ("会员编号",),
            "community": ("住址",),
            "market": ("商铺", "商铺统一社会信用代码"),
        }[scenario]
        header = ("姓名", "身份证号", *header_own, "评议", "评议人", "手机号", *CONSENTS)
        path = out_dir / f"{group}名单.{fmt}"
        if fmt == "xlsx":
            _write_xlsx(path, f"{group}{'会员' if scenario == 'association' else ''}名单", header, rows)
        else:
            _write_csv(path, header, rows)
        out.append(DemoCampaign(f"{scenario}-{group}-{year}", scenario, group, branch, path))
    return out
