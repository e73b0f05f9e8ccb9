"""The command line's one date parser: every option that takes a date (``--as-of``, ``--date``, ``--from``,
``--to``, ``--due``...) reads it here, so ``--as-of 20261128`` means the same on every command."""

from __future__ import annotations

import argparse
import datetime as dt


def parse_date(text: str) -> dt.date:
    """YYYY-MM-DD or YYYYMMDD, a local date."""
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期格式应为 YYYY-MM-DD 或 YYYYMMDD：{text!r} (a date is YYYY-MM-DD or YYYYMMDD)"
        ) from None
