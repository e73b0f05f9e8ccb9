"""Lines in fen give exactly the lines the engine gave in whole yuan.

``golden/prequal_lines_in_yuan.jsonl`` was written by the engine as it was before lines were fen (the
commit before migration 0017), over the seeded spread of :mod:`tests.helpers.prequal_cases`: per case
its number, the policy variant (the bundled policy, and rounding units of 1, 100, 500 and 10,000 yuan
with other bases and caps), the grantable and potential lines in whole yuan, and a digest of everything
else the decision says (eligibility, reasons, rate, validity, every factor's amount in fen and its words).
Every line must now be exactly 100 times that, and every word the same.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

from tests.helpers.prequal_cases import cases, decide_case, lines, rest_digest

GOLDEN = Path(__file__).parent / "golden" / "prequal_lines_in_yuan.jsonl"


def test_every_line_is_the_same_in_fen_as_it_was_in_yuan() -> None:
    golden = [json.loads(row) for row in GOLDEN.read_text(encoding="utf-8").splitlines()]
    spread = cases()
    assert [g[0] for g in golden] == [c["n"] for c in spread]  # the same cases, in the same order
    differ = []
    for (n, variant, grantable_yuan, potential_yuan, digest), case in zip(golden, spread, strict=True):
        assert variant == case["policy"]
        d = decide_case(case)
        now = lines(d)
        assert set(now) == {"grantable_fen", "potential_fen"}
        if (now["grantable_fen"], now["potential_fen"]) != (grantable_yuan * 100, potential_yuan * 100):
            differ.append((n, variant, (grantable_yuan, potential_yuan), now))
        elif rest_digest(d) != digest:
            differ.append((n, variant, "the words, factors, rate or validity changed", None))
    assert differ == []
    # the spread is wide: many lines, every rounding unit, rounding and capping both seen
    assert len({g[2] for g in golden}) > 80
    assert {g[1] for g in golden} >= {"default", "round_1", "round_10000"}
    seen = collections.Counter(
        f.code for case in spread[:200] for f in decide_case(case).factors if f.applies
    )
    assert seen["rounding"] > 20 and seen["cap"] > 10 and seen["survey_required"] > 10
