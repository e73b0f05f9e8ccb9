"""The daily tasks and the strikes, pure: each kind from the facts that bring it, the edges of its days
(the 30th and 31st day after signing, the 60th and 61st before expiry, an appointment's day), the
outcomes' effects, the strikes' precedence, the order of the list; the split of a list by region."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from teller_assist.targets.lists import (
    BranchShare,
    ListRefused,
    check_branch_code,
    check_list_code,
    check_region_code,
    indicator_for,
    parse_percent,
    split_by_region,
)
from teller_assist.targets.tasks import (
    AgeBand,
    ApplicationFacts,
    Outcome,
    Strike,
    TargetFacts,
    Task,
    TaskRefused,
    check_outcome,
    daily_tasks,
    signing_strike,
    strike_of,
    task_of,
)

D = dt.date
DAY = D(2026, 11, 28)
ID = "11010519491231002X"
ID2 = "110105198001010015"
BAND = AgeBand(18, 65)


def target(**kw: object) -> TargetFacts:
    base: dict[str, object] = {
        "campaign": "L1",
        "id_no": ID,
        "branch_code": "0101",
        "officer": "jr1",
        "due_on": D(2026, 12, 31),
        "listed_on": D(2026, 11, 1),
        "birth_date": D(1980, 1, 1),
    }
    base.update(kw)
    return TargetFacts(**base)  # type: ignore[arg-type]


def approved(app_id: int = 7, line: int = 50_000, **kw: object) -> ApplicationFacts:
    base: dict[str, object] = {
        "id": app_id,
        "status": "approved",
        "line_fen": line * 100,  # ``line`` in yuan
        "decided_on": D(2026, 11, 20),
        "valid_until": D(2027, 11, 19),
    }
    base.update(kw)
    return ApplicationFacts(**base)  # type: ignore[arg-type]


LINE_UNTIL = D(2027, 11, 19)


def signed(
    signed_on: D, valid_until: D = LINE_UNTIL, app_id: int = 7, line: int = 50_000
) -> ApplicationFacts:
    return ApplicationFacts(app_id, "signed", line * 100, D(2026, 1, 2), signed_on, valid_until)


def kind(f: TargetFacts, day: D = DAY) -> str | None:
    t = task_of(f, day, BAND)
    return None if t is None else t.kind


# --- each kind ---------------------------------------------------------------------------------------


def test_no_application_is_a_survey_due_by_the_list_and_a_draft_makes_it_submit() -> None:
    t = task_of(target(), DAY, BAND)
    assert t == Task("L1", ID, "0101", "jr1", "survey", D(2026, 12, 31), None, None)
    assert kind(target(survey_draft=True)) == "submit"


@pytest.mark.parametrize(
    ("status", "signed_on", "expected"),
    [
        ("submitted", None, None),  # with the approver
        ("rejected", None, None),  # the branch's judgement, not a task
        ("cancelled", None, "survey"),
        ("expired", None, "survey"),  # approved and let lapse unsigned: start again
    ],
)
def test_the_newest_application_decides_the_working_task(
    status: str, signed_on: D | None, expected: str | None
) -> None:
    app = ApplicationFacts(3, status, 30_000_00, D(2026, 11, 1), signed_on, D(2026, 11, 27))
    assert kind(target(application=app)) == expected


def test_approved_brings_the_letter_first_then_the_signing() -> None:
    f = target(application=approved())
    t = task_of(f, DAY, BAND)
    assert t is not None and (t.kind, t.due_on, t.value_fen, t.application_id) == (
        "deliver_letter",
        D(2026, 11, 20),
        5_000_000,
        7,
    )
    delivered = dataclasses.replace(f, outcomes=(Outcome("deliver_letter", "done", D(2026, 11, 27), 7),))
    t = task_of(delivered, DAY, BAND)
    # the sign-by date is the list's or the approval's, whichever comes first
    assert t is not None and (t.kind, t.due_on) == ("get_signed", D(2026, 12, 31))
    short = dataclasses.replace(delivered, application=approved(valid_until=D(2026, 12, 5)))
    t = task_of(short, DAY, BAND)
    assert t is not None and t.due_on == D(2026, 12, 5)
    # a letter delivered for an earlier application does not count for this one
    other = dataclasses.replace(f, outcomes=(Outcome("deliver_letter", "done", D(2026, 11, 27), 6),))
    assert kind(other) == "deliver_letter"


def test_usage_follow_up_comes_on_the_31st_day_unused_and_not_on_the_30th() -> None:
    on = D(2026, 10, 29)
    f = target(application=signed(on), signed=signed(on))
    assert (DAY - on).days == 30
    assert kind(f, DAY) is None
    t = task_of(f, DAY + dt.timedelta(days=1), BAND)
    assert t is not None and (t.kind, t.due_on, t.value_fen) == (
        "follow_up_usage",
        D(2026, 11, 29),
        5_000_000,
    )
    # a drawdown on or before the day ends it; one after the day does not yet
    assert kind(dataclasses.replace(f, first_drawn_on=D(2026, 11, 29)), D(2026, 11, 29)) is None
    assert kind(dataclasses.replace(f, first_drawn_on=D(2026, 11, 30)), D(2026, 11, 29)) == "follow_up_usage"


def test_renew_within_60_days_of_expiry_not_61_and_not_after_expiry() -> None:
    until = DAY + dt.timedelta(days=60)
    f = target(
        application=signed(D(2026, 1, 5), until),
        signed=signed(D(2026, 1, 5), until),
        first_drawn_on=D(2026, 2, 1),
    )
    t = task_of(f, DAY, BAND)
    assert t is not None and (t.kind, t.due_on) == ("renew", until)
    assert kind(f, DAY - dt.timedelta(days=1)) is None  # 61 days before
    assert kind(f, until) == "renew"  # the expiry day itself
    assert kind(f, until + dt.timedelta(days=1)) is None  # expired: nothing to renew
    # a newer application under way replaces the renewal
    newer = dataclasses.replace(f, application=ApplicationFacts(9, "submitted", 60_000_00))
    assert kind(newer) is None


def test_renew_comes_before_the_usage_follow_up_when_both_are_due() -> None:
    until = DAY + dt.timedelta(days=10)
    f = target(application=signed(D(2026, 1, 5), until), signed=signed(D(2026, 1, 5), until))
    assert kind(f) == "renew"


# --- outcomes ----------------------------------------------------------------------------------------


def test_not_reached_and_done_close_the_day_and_the_data_decides_the_next() -> None:
    for outcome in ("not_reached", "done"):
        f = target(outcomes=(Outcome("survey", outcome, DAY),))
        assert kind(f, DAY) is None
        assert kind(f, DAY + dt.timedelta(days=1)) == "survey"


def test_done_closes_the_letter_the_follow_up_and_the_renewal_for_good() -> None:
    on = D(2026, 9, 1)
    f = target(
        application=signed(on), signed=signed(on), outcomes=(Outcome("follow_up_usage", "done", DAY, 7),)
    )
    assert kind(f, DAY) is None and kind(f, DAY + dt.timedelta(days=40)) is None


def test_declined_rests_30_days_and_for_good_strikes() -> None:
    f = target(outcomes=(Outcome("survey", "declined", DAY, reason="暂无资金需求"),))
    assert kind(f, DAY + dt.timedelta(days=29)) is None
    assert kind(f, DAY + dt.timedelta(days=30)) == "survey"
    final = target(outcomes=(Outcome("survey", "declined", DAY, reason="已在他行贷款", for_good=True),))
    assert strike_of(final, DAY, BAND) == Strike("declined", DAY, "已在他行贷款")
    assert kind(final, DAY + dt.timedelta(days=60)) is None
    assert strike_of(final, DAY - dt.timedelta(days=1), BAND) is None  # not before it was said


def test_an_appointment_hides_the_task_until_its_day_and_brings_it_back_that_day() -> None:
    on = D(2026, 12, 3)
    f = target(outcomes=(Outcome("survey", "appointment", DAY, appointment_on=on),))
    assert kind(f, DAY) is None and kind(f, D(2026, 12, 2)) is None
    t = task_of(f, on, BAND)
    assert t is not None and (t.kind, t.due_on, t.appointment) == ("survey", on, True)
    later = task_of(f, D(2026, 12, 4), BAND)  # missed: still there, overdue since the appointment
    assert later is not None and (later.due_on, later.appointment) == (on, False)
    # a later outcome replaces the appointment
    again = dataclasses.replace(f, outcomes=(*f.outcomes, Outcome("survey", "not_reached", on, seq=1)))
    assert kind(again, on) is None


# --- strikes -------------------------------------------------------------------------------------------


def test_struck_by_signing_anywhere_on_or_after_listing_or_holding_a_line_then() -> None:
    after = target(signed=signed(D(2026, 11, 10)), application=signed(D(2026, 11, 10)))
    assert strike_of(after, DAY, BAND) == Strike("signed", D(2026, 11, 10))
    assert strike_of(after, D(2026, 11, 9), BAND) is None  # not before the signing day
    holding = target(
        signed=signed(D(2026, 3, 1), D(2027, 2, 28)), application=signed(D(2026, 3, 1), D(2027, 2, 28))
    )
    assert strike_of(holding, DAY, BAND) == Strike("signed", D(2026, 11, 1))  # the listing day
    lapsed = target(
        signed=signed(D(2025, 3, 1), D(2026, 2, 28)), application=signed(D(2025, 3, 1), D(2026, 2, 28))
    )
    assert strike_of(lapsed, DAY, BAND) is None
    # struck by signing keeps the care of the line, not the working tasks
    assert kind(after, DAY) is None


def test_struck_when_ineligible_negative_list_or_past_the_age_band() -> None:
    listed = target(negative_since=D(2026, 11, 20))
    assert strike_of(listed, DAY, BAND) == Strike("ineligible", D(2026, 11, 20), "negative")
    assert kind(listed) is None
    before = target(negative_since=D(2020, 1, 1))  # listed before the target: struck on listing
    assert strike_of(before, DAY, BAND) == Strike("ineligible", D(2026, 11, 1), "negative")
    old = target(birth_date=D(1960, 11, 29))  # 65 until tomorrow: still within the band
    assert strike_of(old, DAY, BAND) is None
    assert strike_of(old, DAY + dt.timedelta(days=1), BAND) == Strike("ineligible", D(2026, 11, 29), "age")
    older = target(birth_date=D(1960, 11, 28))  # 66 today
    assert strike_of(older, DAY, BAND) == Strike("ineligible", DAY, "age")


def test_the_first_strike_wins_and_a_recorded_mark_is_the_truth() -> None:
    both = target(
        signed=signed(D(2026, 11, 20)),
        application=signed(D(2026, 11, 20)),
        negative_since=D(2026, 11, 20),
    )
    assert strike_of(both, DAY, BAND) == Strike("signed", D(2026, 11, 20))  # same day: signed first
    earlier = dataclasses.replace(both, negative_since=D(2026, 11, 19))
    assert strike_of(earlier, DAY, BAND) == Strike("ineligible", D(2026, 11, 19), "negative")
    marked = dataclasses.replace(both, strike=Strike("declined", D(2026, 11, 2), "不需要"))
    assert strike_of(marked, DAY, BAND) == Strike("declined", D(2026, 11, 2), "不需要")


def test_a_signature_strikes_a_target_as_the_sweep_would() -> None:
    """The rule the signature applies at once is the sweep's: the same strike for the same facts."""
    listed = D(2026, 11, 1)
    assert signing_strike(listed, DAY, D(2028, 11, 27)) == Strike("signed", DAY)
    assert signing_strike(None, DAY, None) == Strike("signed", DAY)
    # signed before being listed: struck on the listing day while the line is still held, else not
    assert signing_strike(listed, D(2026, 10, 1), D(2028, 9, 30)) == Strike("signed", listed)
    assert signing_strike(listed, D(2024, 10, 1), D(2026, 9, 30)) is None
    for signed_on, until in ((DAY, D(2028, 11, 27)), (D(2026, 10, 1), D(2028, 9, 30))):
        facts = target(listed_on=listed, signed=signed(signed_on, valid_until=until))
        assert strike_of(facts, DAY, BAND) == signing_strike(listed, signed_on, until)


# --- the list --------------------------------------------------------------------------------------


def test_the_list_is_ordered_by_due_date_then_value_and_a_person_is_visited_once() -> None:
    a = target(campaign="A", id_no=ID, due_on=D(2026, 12, 31))
    b = target(campaign="B", id_no=ID2, due_on=D(2026, 12, 1))
    big = target(
        campaign="C", id_no="110105199001010012", application=approved(8, 200_000, decided_on=D(2026, 12, 1))
    )
    small = target(
        campaign="C", id_no="110105199001010039", application=approved(9, 30_000, decided_on=D(2026, 12, 1))
    )
    undated = target(campaign="D", id_no="110105199001010055", due_on=None)
    same_person = target(campaign="E", id_no=ID, due_on=D(2026, 12, 20))  # on two lists of one officer
    other_officer = target(campaign="F", id_no=ID, officer="jr2", due_on=D(2026, 12, 25))
    tasks = daily_tasks([a, b, big, small, undated, same_person, other_officer], DAY, BAND)
    assert [(t.campaign, t.id_no[-4:], t.kind) for t in tasks] == [
        ("C", "0012", "deliver_letter"),  # 1 Dec, 200,000 yuan
        ("C", "0039", "deliver_letter"),  # 1 Dec, 30,000 yuan
        ("B", "0015", "survey"),  # 1 Dec, value unknown
        ("E", "002X", "survey"),  # the person's earlier due of their two lists
        ("F", "002X", "survey"),  # another officer's visit is theirs
        ("D", "0055", "survey"),  # no due date: last
    ]


# --- recording ---------------------------------------------------------------------------------------


def test_an_outcome_is_checked_before_it_is_recorded() -> None:
    assert check_outcome("survey", "appointment", DAY, appointment_on=DAY) == Outcome(
        "survey", "appointment", DAY, appointment_on=DAY
    )
    assert check_outcome("renew", "declined", DAY, reason="  搬走了 ", for_good=True).reason == "搬走了"
    for kw, words in [
        ({"outcome": "declined"}, "原因"),
        ({"outcome": "appointment"}, "日期"),
        ({"outcome": "appointment", "appointment_on": DAY - dt.timedelta(days=1)}, "早于今天"),
        ({"outcome": "appointment", "appointment_on": DAY + dt.timedelta(days=400)}, "超过一年"),
        ({"outcome": "done", "appointment_on": DAY}, "只有预约"),
        ({"outcome": "done", "for_good": True}, "只有客户拒绝"),
        ({"outcome": "finished"}, "未知的结果"),
        ({"outcome": "declined", "reason": "x" * 201}, "过长"),
    ]:
        outcome = str(kw.pop("outcome"))
        with pytest.raises(TaskRefused) as refused:
            check_outcome("survey", outcome, DAY, **kw)  # type: ignore[arg-type]
        assert words in refused.value.message_zh and refused.value.message_en
    with pytest.raises(TaskRefused):
        check_outcome("visit", "done", DAY)


# --- lists ---------------------------------------------------------------------------------------------


def test_a_list_splits_by_region_counts_the_unrouted_and_rounds_the_indicator_up() -> None:
    people = [
        ("110105199001010012", "330101"),
        ("110105199001010039", "330101"),
        ("110105199001010055", "330102"),
        ("110105199001010071", "339999"),  # a region with no branch
        ("110105199001010098", None),  # no region at all
        ("110105199001010012", "330102"),  # listed twice: the first row counts
    ]
    split = split_by_region(people, {"330101": "0101", "330102": "0102"}, Decimal("30"))
    assert split.shares == (BranchShare("0101", 2, 1), BranchShare("0102", 1, 1))
    assert split.unrouted == {"": 1, "339999": 1} and split.unrouted_people == 2
    assert split.assigned == (
        ("110105199001010012", "0101"),
        ("110105199001010039", "0101"),
        ("110105199001010055", "0102"),
    )
    assert split.people == 3


@pytest.mark.parametrize(
    ("people", "percent", "expected"),
    [(10, "30", 3), (11, "30", 4), (3, "33.3", 1), (1000, "12.5", 125), (1001, "12.5", 126), (7, "100", 7)],
)
def test_the_indicator_is_exact(people: int, percent: str, expected: int) -> None:
    assert indicator_for(people, parse_percent(percent)) == expected


@pytest.mark.parametrize("bad", ["0", "-5", "100.01", "abc", "NaN", "Infinity", ""])
def test_a_bad_percentage_is_refused(bad: str) -> None:
    with pytest.raises(ListRefused):
        parse_percent(bad)


def test_codes_are_checked() -> None:
    assert check_list_code(" 2026-总行-首批 ") == "2026-总行-首批"
    assert check_region_code("330101") == "330101"
    assert check_branch_code("0101") == "0101"
    for bad in ("", "a b", "=cmd", "x" * 65, "tab\there"):
        with pytest.raises(ListRefused):
            check_list_code(bad)
    for bad in ("33010", "3301011", "33O101"):
        with pytest.raises(ListRefused):
            check_region_code(bad)
    for bad in ("", "01 01", "x" * 17, "分行"):
        with pytest.raises(ListRefused):
            check_branch_code(bad)
