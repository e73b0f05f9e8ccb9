"""The command line has one date parser, and every date option uses it (`--as-of 20261128` on `apply`
as on `lookup`)."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from teller_assist.cli import build_parser
from teller_assist.cli.dates import parse_date


def test_both_spellings_of_a_date_and_a_clear_refusal() -> None:
    assert parse_date("2026-11-28") == parse_date("20261128") == dt.date(2026, 11, 28)
    for bad in ("2026-02-30", "20261328", "28/11/2026", "2026112", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD 或 YYYYMMDD"):
            parse_date(bad)


def date_options(parser: argparse.ArgumentParser, path: str = "") -> dict[str, object]:
    """Every option taking a date, in every subcommand: its place and its parser."""
    found: dict[str, object] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= date_options(sub, f"{path} {name}".strip())
        elif action.metavar == "DATE" or action.dest in ("as_of", "start", "end"):
            found[f"{path} {action.option_strings}"] = action.type
    return found


def test_every_date_option_uses_the_one_parser() -> None:
    options = date_options(build_parser())
    assert len(options) >= 8 and any(place.startswith("apply ") for place in options), options
    assert {place: kind for place, kind in options.items() if kind is not parse_date} == {}
    done = build_parser().parse_args(
        ["apply", "ID", "--survey", "s.json", "--as-of", "20261128", "--user", "t"]
    )
    assert done.as_of == dt.date(2026, 11, 28)
