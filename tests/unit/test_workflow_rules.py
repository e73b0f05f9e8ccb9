"""The application's moves, from the README's words, not from the code's own table:

    submitted → approved | rejected | cancelled, approved → signed | expired, signed → expired

Every pair of statuses is written out below, legal or not, so a move added to (or dropped from) the
table in prequal/workflow.py shows here."""

from __future__ import annotations

import pytest

from teller_assist.prequal import workflow

STATUSES = ("submitted", "approved", "rejected", "cancelled", "signed", "expired")

# from (row) → to (column): Y legal, . not
MATRIX = """
             submitted approved rejected cancelled signed expired
submitted        .        Y        Y        Y        .      .
approved         .        .        .        .        Y      Y
rejected         .        .        .        .        .      .
cancelled        .        .        .        .        .      .
signed           .        .        .        .        .      Y
expired          .        .        .        .        .      .
"""

# the move that leads to each status
MOVE_TO = {
    "approved": "approve",
    "rejected": "reject",
    "cancelled": "cancel",
    "signed": "sign",
    "expired": "expire",
}


def legal_pairs() -> set[tuple[str, str]]:
    header, *rows = MATRIX.strip().splitlines()
    columns = header.split()
    assert tuple(columns) == STATUSES
    pairs = set()
    for row in rows:
        source, *marks = row.split()
        assert len(marks) == len(STATUSES) and set(marks) <= {"Y", "."}
        pairs.update((source, target) for target, mark in zip(columns, marks, strict=True) if mark == "Y")
    assert {row.split()[0] for row in rows} == set(STATUSES)
    return pairs


def test_the_matrix_says_what_the_readme_says() -> None:
    assert legal_pairs() == {
        ("submitted", "approved"),
        ("submitted", "rejected"),
        ("submitted", "cancelled"),
        ("approved", "signed"),
        ("approved", "expired"),
        ("signed", "expired"),
    }


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_each_pair_of_statuses(source: str, target: str) -> None:
    moves = workflow.TRANSITIONS[source]
    assert (target in moves.values()) == ((source, target) in legal_pairs())
    if (source, target) in legal_pairs():
        assert moves[MOVE_TO[target]] == target


def test_nothing_else_is_in_the_table() -> None:
    assert set(workflow.TRANSITIONS) == set(STATUSES)
    assert {(s, t) for s, moves in workflow.TRANSITIONS.items() for t in moves.values()} == legal_pairs()


@pytest.mark.parametrize(
    ("move", "from_statuses"),
    [
        ("approve", ("submitted",)),
        ("reject", ("submitted",)),
        ("cancel", ("submitted",)),
        ("sign", ("approved",)),
        ("expire", ("approved", "signed")),
    ],
)
def test_each_move_leaves_only_where_the_readme_says(move: str, from_statuses: tuple[str, ...]) -> None:
    assert set(workflow.leaving(move)) == set(from_statuses)
