"""A year of the programme for the demo county: applications granted, signed and expired with realistic
lags, and drawdowns after signing. Pure and deterministic (the chunk's own random stream).

Applications are not an extract of the core system: they are written to ``history/applications_*.csv``
beside the extracts and loaded through the store's bulk path (``services.demo_history``); their
drawdowns go into the drawdowns extract like any other. Makers and checkers are the demo branches'
staff, so maker and checker always differ and a checker's authority covers the line, as the database
requires (migration 0004).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from teller_assist.demo.names import GIVEN_CHARS, SURNAMES

__all__ = ["COLUMNS", "DemoOperator", "Person", "demo_operators", "person_history"]

ONE_DAY = dt.timedelta(days=1)
WINDOW_DAYS = 365
LOBBY_AUTHORITY = 50_000  # the bundled policy's lobby-manager authority, in yuan
OFFICERS_PER_BRANCH = 6

COLUMNS = (
    "id_no",
    "name",
    "scenario",
    "status",
    "line",
    "annual_rate_bp",
    "branch_code",
    "maker",
    "checker",
    "submitted_at",
    "decided_at",
    "valid_until",
    "signed_at",
    "signer",
    "closed_at",
    "reject_reason",
    "phone",
)
REJECT_REASONS = ("调查核实收入与申报不符", "客户提供的资料不全", "家庭负债较高，暂缓授信", "经营情况待核实")


@dataclass(frozen=True, slots=True)
class DemoOperator:
    login: str
    name: str
    role: str
    branch: str


def _name(seed: str) -> str:
    rng = random.Random(seed)
    surname = rng.choice([s for s, _ in SURNAMES[:60]])
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2))))


def officer_login(branch: str, n: int) -> str:
    return f"jr{branch}{n:02d}"


def demo_operators(branches: tuple[str, ...]) -> list[DemoOperator]:
    """Each demo branch's staff: six customer managers (who also serve at the counter), two lobby
    managers (approve up to 50,000 yuan) and the branch head (up to 300,000)."""
    out: list[DemoOperator] = []
    for b in branches:
        out += [
            DemoOperator(officer_login(b, n), _name(f"jr{b}{n}"), "teller", b)
            for n in range(1, OFFICERS_PER_BRANCH + 1)
        ]
        out += [DemoOperator(f"dt{b}{n:02d}", _name(f"dt{b}{n}"), "lobby_manager", b) for n in (1, 2)]
        out.append(DemoOperator(f"zh{b}", _name(f"zh{b}"), "branch_head", b))
    return out


@dataclass(frozen=True, slots=True)
class Person:
    id_no: str
    name: str
    branch: str
    born: dt.date
    listed_on: dt.date | None
    phone: str
    monthly_pay_fen: int | None  # payroll through the bank, if any
    civil_servant: bool
    target: tuple[str, str, str] | None  # (campaign, officer, scenario)


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _eligible(p: Person, day: dt.date) -> bool:
    return 18 <= _age(p.born, day) <= 65 and (p.listed_on is None or day < p.listed_on)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _valid_until(approved: dt.date) -> dt.date:
    return _add_years(approved, 2) - ONE_DAY


def _line(rng: random.Random, p: Person) -> int:
    """A plausible line in whole yuan under the bundled policy's shape (base, payroll, floors, survey)."""
    line = 30_000
    if p.monthly_pay_fen:
        line = max(line, p.monthly_pay_fen * 10 // 100)
    if p.civil_servant and rng.random() < 0.7:
        line = max(line, 200_000)
    if rng.random() < 0.3:  # a completed survey supports more
        line = max(line, rng.choice((50_000, 80_000, 100_000, 150_000, 200_000)))
    return min(300_000, line // 1000 * 1000)


def _rate_bp(line: int) -> int:
    return 435 if line <= 50_000 else (405 if line <= 100_000 else 385)


def _moment(day: dt.date, minutes: int) -> dt.datetime:
    """A local wall-clock time on ``day``, ``minutes`` after midnight (naive: the loader places it)."""
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _programme_day(rng: random.Random, first: dt.date, days: int) -> dt.date:
    """A day in the window, later days likelier (the programme gathered pace), weekends rarer."""
    while True:
        day = first + dt.timedelta(days=int(days * rng.random() ** 0.75))
        if day.weekday() < 5 or rng.random() < 0.25:
            return day


def _drawdowns(
    rng: random.Random, line: int, signed: dt.date, last_day: dt.date
) -> list[tuple[dt.date, int]]:
    """A signed line's drawdowns (day, fen), from a few days after signing, while the line is valid."""
    if rng.random() >= 0.62:
        return []
    out: list[tuple[dt.date, int]] = []
    day = signed + dt.timedelta(days=int(rng.expovariate(1 / 20)) + (0 if rng.random() < 0.15 else 2))
    more = 1 + int(rng.expovariate(1 / 4))
    while day <= last_day and len(out) <= more:
        yuan = max(1000, int(line * rng.uniform(0.05, 0.45)) // 100 * 100)
        out.append((day, yuan * 100))
        day += dt.timedelta(days=rng.randint(8, 40))
    return out


def person_history(
    rng: random.Random, p: Person, as_of: dt.date
) -> tuple[list[list[str]], list[tuple[dt.date, int]]]:
    """The person's applications (rows of :data:`COLUMNS`) and drawdowns over the year before ``as_of``."""
    last_day = as_of - ONE_DAY
    first_day = as_of - dt.timedelta(days=WINDOW_DAYS)
    apps: list[list[str]] = []
    draws: list[tuple[dt.date, int]] = []
    branch = p.branch
    officer = p.target[1] if p.target else officer_login(branch, rng.randint(1, OFFICERS_PER_BRANCH))
    scenario = p.target[2] if p.target else "walk_in"

    def application(submitted: dt.date, *, pilot: bool = False) -> dt.date | None:
        """One application submitted on ``submitted``; returns the day after its line ends (or None)."""
        line = _line(rng, p)
        maker = officer if rng.random() < 0.8 else f"dt{branch}{rng.randint(1, 2):02d}"
        if line > LOBBY_AUTHORITY or maker.startswith("dt"):
            checker = f"zh{branch}" if line > LOBBY_AUTHORITY or rng.random() < 0.5 else None
            if checker is None:
                checker = f"dt{branch}{2 if maker.endswith('01') else 1:02d}"
        else:
            checker = f"dt{branch}{rng.randint(1, 2):02d}"
        at = _moment(submitted, rng.randint(8 * 60 + 30, 16 * 60 + 30))
        fate = rng.random()
        row: dict[str, object] = {
            "id_no": p.id_no,
            "name": p.name,
            "scenario": scenario,
            "line": line,
            "annual_rate_bp": _rate_bp(line),
            "branch_code": branch,
            "maker": maker,
            "submitted_at": at,
            "phone": p.phone,
        }
        if not pilot and submitted >= last_day - ONE_DAY and fate < 0.15:
            apps.append(_row({**row, "status": "submitted"}))
            return None
        decided = at + dt.timedelta(minutes=rng.randint(5, 90))
        if fate < 0.02:
            apps.append(_row({**row, "status": "cancelled", "closed_at": decided}))
            return submitted + ONE_DAY
        if fate < 0.05:
            apps.append(
                _row(
                    {
                        **row,
                        "status": "rejected",
                        "checker": checker,
                        "decided_at": decided,
                        "closed_at": decided,
                        "reject_reason": rng.choice(REJECT_REASONS),
                    }
                )
            )
            return submitted + ONE_DAY
        valid_until = _valid_until(submitted)
        signed: dt.datetime | None = None
        if rng.random() < (0.8 if p.target else 0.72):
            lag = 0 if rng.random() < 0.45 else 1 + min(90, int(rng.expovariate(1 / 12)))
            sign_day = submitted + dt.timedelta(days=lag)
            if sign_day <= last_day:
                signed = (
                    decided + dt.timedelta(minutes=rng.randint(10, 40))
                    if lag == 0
                    else _moment(sign_day, rng.randint(9 * 60, 16 * 60 + 30))
                )
        expired = valid_until < last_day
        status = "expired" if expired else ("signed" if signed else "approved")
        apps.append(
            _row(
                {
                    **row,
                    "status": status,
                    "checker": checker,
                    "decided_at": decided,
                    "valid_until": valid_until,
                    "signed_at": signed,
                    "signer": maker if signed else None,
                    "closed_at": _moment(valid_until + ONE_DAY, 2 * 60 + rng.randint(0, 50))
                    if expired
                    else None,
                }
            )
        )
        if signed is not None:
            draws.extend(_drawdowns(rng, line, signed.date(), min(valid_until, last_day)))
        return valid_until + ONE_DAY if expired else None

    # a pilot two years back: its line expired during the year, and many came back for a new one
    if rng.random() < 0.06:
        pilot_day = as_of - dt.timedelta(days=730 + rng.randint(2, WINDOW_DAYS - 5))
        if _eligible(p, pilot_day) and pilot_day.weekday() < 5:
            ended = application(pilot_day, pilot=True)
            if ended is not None and ended > first_day:  # the line expired during the year
                again = ended + dt.timedelta(days=rng.randint(10, 90))
                if again <= last_day and rng.random() < 0.6 and _eligible(p, again):
                    application(again)
                return apps, draws
            # refused two years ago: a fresh start in the programme
    if rng.random() >= (0.9 if p.target else 0.68):
        return apps, draws
    day = _programme_day(rng, first_day, WINDOW_DAYS)
    if not _eligible(p, day):
        return apps, draws
    ended = application(day)
    if ended is not None and ended <= last_day and rng.random() < 0.7:  # rejected or cancelled: back later
        again = ended + dt.timedelta(days=rng.randint(3, 40))
        if again <= last_day and _eligible(p, again):
            application(again)
    return apps, draws


def _row(values: dict[str, object]) -> list[str]:
    return [_text(values.get(c)) for c in COLUMNS]
