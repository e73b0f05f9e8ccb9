"""County-wide simulation: the same answers as deciding person by person, on both engines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from teller_assist.demo.county import generate_county
from teller_assist.prequal.engine import decide
from teller_assist.prequal.policy import default_policy_path, load_policy, parse_policy
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.services.lookup import lookup
from teller_assist.services.simulate import band_of, simulate
from teller_assist.store.engine import Store
from teller_assist.store.queries import customer_ids
from tests.helpers.cli import run_cli
from tests.helpers.context import context_of

AS_OF = dt.date(2026, 11, 28)


def test_simulation_matches_person_by_person_decisions(store: Store, ctx: Context, tmp_path: Path) -> None:
    generate_county(tmp_path / "county", people=600, seed=11, as_of=AS_OF, processes=1)
    assert import_paths(store, [tmp_path / "county"], today=AS_OF).exit_code == 0
    policy = load_policy(default_policy_path())
    cheaper = parse_policy(
        default_policy_path().read_bytes().replace(b"floor = 200000", b"floor = 150000"), "cheaper.toml"
    )
    result = simulate(ctx, [policy, cheaper], as_of=AS_OF)
    run = result.runs[0]
    assert run.people == 600 and run.coverage == 1.0 and run.with_line == run.eligible > 0

    ids = customer_ids(store)
    expected_now = expected_confirmed = eligible = 0
    bands: dict[str, int] = {}
    for id_no in ids:
        d = decide(lookup(context_of(store), id_no, as_of=AS_OF), None, policy, AS_OF)
        if d.eligible:
            eligible += 1
            expected_now += d.grantable_fen
            expected_confirmed += d.potential_fen
            bands[band_of(d.potential_fen)] = bands.get(band_of(d.potential_fen), 0) + 1
    assert run.eligible == eligible
    assert run.now.total.exposure_fen == expected_now == 30_000_00 * eligible
    assert run.confirmed.total.exposure_fen == expected_confirmed
    assert {k: t.people for k, t in run.confirmed.by_band.items() if t.people} == bands
    assert sum(t.exposure_fen for t in run.confirmed.by_evidence.values()) == expected_confirmed
    assert result.runs[1].confirmed.total.exposure_fen <= expected_confirmed


def test_simulate_command(env: dict[str, str], tmp_path: Path, sqlite_store: Store) -> None:
    generate_county(tmp_path / "county", people=300, seed=12, as_of=AS_OF, processes=1)
    import_paths(sqlite_store, [tmp_path / "county"], today=AS_OF)
    sqlite_store.dispose()
    out = run_cli(
        "simulate", "--as-of", "2026-11-28", "--json", "--against", str(default_policy_path()), env=env
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    first, second = data["runs"]
    assert first["coverage"] == 1.0 and first["people"] == 300
    assert first["exposure_evidence_confirmed_fen"] == second["exposure_evidence_confirmed_fen"]
    csv_out = run_cli("simulate", "--as-of", "2026-11-28", "--csv", env=env)
    assert csv_out.stdout.splitlines()[0] == "policy,version,measure,group,key,people,exposure"
    # the sheet is for people: whole yuan, as before lines were fen (the JSON says fen, by its keys)
    [total] = [r for r in csv_out.stdout.splitlines() if ",as_is,total,all," in r]
    assert total.endswith(f",{first['exposure_as_is_fen'] // 100}") and first["exposure_as_is_fen"] % 100 == 0
