"""The pure rules of a campaign's batches and progress: who a submission takes and at which line, why
each other member is left out; what an approver sees of a batch (exceptions first, bands, the exact
total) and may approve in one step; the progress figures counted by person at a date."""

from __future__ import annotations

import datetime as dt

from teller_assist.campaigns.grant import (
    HELD,
    BatchItem,
    Candidate,
    Consent,
    plan_submission,
    review_batch,
    survey_needed,
)
from teller_assist.campaigns.progress import LineFacts, PersonFacts, count_progress
from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.ingest.kinds import KINDS
from teller_assist.lookup.card import ApplicationFact, CardFacts, CustomerFacts, TagFact, build_card
from teller_assist.prequal.group import GroupEvidence
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey, check_survey
from tests.helpers.extracts import rid
from tests.unit.test_prequal import POLICY

TODAY = dt.date(2026, 11, 30)
AT = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)
ROSTER = Consent(AT, "head1", "roster")


def card(id_no: str, *, negative: str | None = None, holding: bool = False, civil_servant: bool = False):  # type: ignore[no-untyped-def]
    held = (ApplicationFact(9, "submitted", 30_000_00, 485, None, None),) if holding else ()
    tags = (TagFact("civil_servant", None, dt.date(2030, 1, 1)),) if civil_servant else ()
    facts = CardFacts(CustomerFacts("某人", None, "0101", None, "C1"), (), (), negative, tags, (), {}, held)
    return build_card(parse_resident_id(id_no, today=TODAY), facts, TODAY, tuple(KINDS))


def village_survey(policy: Policy = POLICY):  # type: ignore[no-untyped-def]
    answers = {
        "household_members": 3, "farmland_mu": "2", "main_produce": "稻谷", "committee_evaluation": "fair",
        "phone": "13951234567", "consent_credit_inquiry": True, "consent_personal_info": True,
    }  # fmt: skip
    return check_survey(Survey("village", answers), policy)


def candidate(seq: int, line_no: int, **changes: object) -> Candidate:
    id_no = rid(seq=seq)
    values: dict[str, object] = {
        "id_no": id_no, "name": "某人", "line_no": line_no, "status": "matched", "card": card(id_no),
        "evidence": GroupEvidence("village"), "consent": ROSTER,
    }  # fmt: skip
    values.update(changes)
    return Candidate(**values)  # type: ignore[arg-type]


def test_a_submission_takes_each_member_by_the_first_rule_that_applies() -> None:
    cs = rid(seq=11)
    old = rid(born=dt.date(1955, 1, 1), seq=13)
    plan = plan_submission(
        [
            candidate(21, 9, status="refused"),
            candidate(23, 2, card=card(rid(seq=23), holding=True)),
            candidate(25, 3, card=card(rid(seq=25), negative="fraud")),
            candidate(13, 4, id_no=old, card=card(old)),  # 71 years old
            candidate(27, 5, consent=None),
            candidate(29, 6),  # the base line
            candidate(11, 7, id_no=cs, card=card(cs, civil_servant=True)),  # 200,000 once surveyed
            candidate(11, 8, id_no=cs, card=card(cs, civil_servant=True), survey=village_survey()),
            candidate(31, 10, evidence=GroupEvidence("village", key_household=True)),
            candidate(33, 11, rejected_here=True),
            candidate(35, 12, card=card(rid(seq=35), negative="fraud"), consent=None),  # the list first
        ],
        POLICY,
        TODAY,
    )
    assert [(s.line_no, s.reason) for s in plan.skipped] == [
        (2, "holding"), (3, "negative_list"), (4, "ineligible"), (5, "no_consent"), (9, "refused"),
        (11, "rejected"), (12, "negative_list"),
    ]  # fmt: skip
    assert "超过65周岁" in plan.skipped[2].detail
    taken = {s.candidate.line_no: (s.line_fen, s.survey_needed) for s in plan.submit}
    assert taken == {
        6: (30_000_00, False), 7: (30_000_00, True), 8: (200_000_00, False), 10: (30_000_00, True)
    }  # fmt: skip
    assert plan.total == 290_000_00 and plan.survey_needed == 2 and plan.with_survey == 1
    bands = plan.bands()
    assert (bands["≤30,000"].people, bands["≤30,000"].exposure_fen) == (3, 90_000_00)
    assert bands["100,001–200,000"].exposure_fen == 200_000_00
    assert plan.skipped_counts == {
        "refused": 1, "removed": 0, "holding": 1, "rejected": 1, "negative_list": 2, "ineligible": 1,
        "no_consent": 1,
    }  # fmt: skip
    consents = plan.submit[0].consent.as_json()
    assert consents == {
        c: {"at": "2026-11-29T08:00:00+00:00", "by": "head1", "source": "roster"}
        for c in ("consent_credit_inquiry", "consent_personal_info")
    }


def test_survey_needed_is_read_from_the_decision_snapshot() -> None:
    assert survey_needed({"survey_complete": False, "grantable_fen": 30_000_00, "potential_fen": 200_000_00})
    # a snapshot kept before lines were fen says the same in yuan
    assert survey_needed({"survey_complete": False, "grantable_limit": 30_000, "potential_limit": 200_000})
    assert not survey_needed(
        {"survey_complete": True, "grantable_limit": 200_000, "potential_limit": 200_000}
    )
    assert not survey_needed({"survey_complete": False, "grantable_limit": 30_000, "potential_limit": 30_000})
    key = {"code": "key_household", "applies": True}
    assert survey_needed(
        {"survey_complete": False, "grantable_limit": 1, "potential_limit": 1, "factors": [key]}
    )


def item(app_id: int, line: int, line_no: int | None = None, **changes: object) -> BatchItem:
    values: dict[str, object] = {
        "application_id": app_id, "version": 1, "id_no": rid(seq=app_id), "name": "某人",
        "line_no": app_id if line_no is None else line_no, "line_fen": line * 100, "status": "submitted",
        "maker_id": 7, "negative_now": False, "member_now": True, "survey_needed": False,
    }  # fmt: skip
    values.update(changes)
    return BatchItem(**values)  # type: ignore[arg-type]


def test_an_approver_sees_the_exceptions_first_and_approves_only_the_rest() -> None:
    items = [
        item(1, 30_000),
        item(2, 240_000),  # over a lobby manager's 50,000
        item(3, 30_000, negative_now=True),
        item(4, 30_000, survey_needed=True),  # noted, still approvable
        item(5, 30_000, member_now=False, line_no=None),
        item(6, 30_000, status="approved"),
        item(7, 45_001, status="rejected"),
    ]
    review = review_batch(items, approver_id=8, authority_fen=50_000_00)
    assert [r.item.application_id for r in review.items] == [2, 3, 5, 4, 1, 6, 7]
    assert [r.exceptions for r in review.items][:4] == [
        ("over_authority",), ("negative_list",), ("not_member",), ("survey_needed",)
    ]  # fmt: skip
    assert [r.item.application_id for r in review.approvable] == [4, 1]
    assert (review.count, review.total, review.approvable_total) == (7, 435_001_00, 60_000_00)
    assert review.exception_counts() == {
        "own": 0, "over_authority": 1, "negative_list": 1, "not_member": 1, "survey_needed": 1
    }  # fmt: skip
    assert review.by_status()["submitted"] == 5 and review.bands()["30,001–50,000"].exposure_fen == 45_001_00

    own = review_batch(items, approver_id=7, authority_fen=300_000_00)  # the maker sees all of it held
    assert own.approvable == [] and all("own" in r.exceptions for r in own.items)
    no_role = review_batch(items, approver_id=9, authority_fen=None)  # nothing over an authority it lacks
    assert all("over_authority" not in r.exceptions for r in no_role.items)
    assert "survey_needed" not in HELD and {"own", "over_authority"} <= HELD


D = dt.date(2026, 12, 10)


def line(**changes: object) -> LineFacts:
    values: dict[str, object] = {
        "status": "approved", "here": True, "submitted_on": dt.date(2026, 12, 1),
        "decided_on": dt.date(2026, 12, 2), "valid_until": dt.date(2028, 12, 1), "signed_on": None,
        "line_fen": 30_000_00, "notified_on": None, "first_drawn_on": None,
    }  # fmt: skip
    values.update(changes)
    return LineFacts(**values)  # type: ignore[arg-type]


def test_progress_counts_people_at_a_date() -> None:
    people = [
        PersonFacts("matched", True, dt.date(2026, 12, 1), (line(
            signed_on=dt.date(2026, 12, 3), status="signed", first_drawn_on=dt.date(2026, 12, 4),
            notified_on=dt.date(2026, 12, 2)),)),
        PersonFacts("new_to_bank", True, None, (line(status="rejected", valid_until=None),)),
        PersonFacts("matched", True, None, (line(here=False, line_fen=160_000_00),)),  # the counter's line
        PersonFacts("matched", False, None, ()),  # on the negative list
        PersonFacts("new_to_bank", True, None, (line(status="submitted", decided_on=None,
                                                     valid_until=None),)),
        PersonFacts("matched", True, None, (line(valid_until=dt.date(2026, 12, 9), status="expired"),)),
        PersonFacts("removed", True, None, (line(),)),  # no longer on the roster: not counted
        PersonFacts("refused", True, None, (line(signed_on=dt.date(2026, 12, 11), status="signed"),)),
    ]  # fmt: skip
    p = count_progress(people, D)
    assert p.figures() == {
        "members": 7, "matched": 4, "eligible": 6, "decided": 4, "surveyed": 1, "submitted": 5,
        "granted": 3, "notified": 1, "signed": 1, "used": 1,
    }  # fmt: skip
    assert (p.granted_fen, p.signed_fen) == (30_000_00 + 160_000_00 + 30_000_00, 30_000_00)
    early = count_progress(people, dt.date(2026, 12, 2))  # decided that day; not yet signed or drawn
    assert (early.granted, early.signed, early.used, early.notified) == (4, 0, 0, 1)
    assert count_progress(people, dt.date(2026, 11, 30)).figures() == {
        "members": 7, "matched": 4, "eligible": 6, "decided": 0, "surveyed": 0, "submitted": 0,
        "granted": 0, "notified": 0, "signed": 0, "used": 0,
    }  # fmt: skip
