"""The system-wide settings layer: the bank's file under the user's, and the keys it locks."""

from __future__ import annotations

from pathlib import Path

import pytest

from teller_assist.settings import (
    SYSTEM_CONFIG_ENV,
    SettingsError,
    load_settings,
    system_config_file,
)


@pytest.fixture
def system_env(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {**env, SYSTEM_CONFIG_ENV: str(tmp_path / "etc" / "settings.toml")}


def write_system(env: dict[str, str], text: str) -> Path:
    path = Path(env[SYSTEM_CONFIG_ENV])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_user(env: dict[str, str], text: str) -> Path:
    path = Path(env["TELLER_ASSIST_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_system_values_sit_under_the_users(system_env: dict[str, str]) -> None:
    system = write_system(
        system_env, 'branch_code = "0101"\nprinter = "branch-laser"\n[masking]\nid_head = 6\nid_tail = 2\n'
    )
    user = write_user(system_env, 'printer = "counter-1"\n')
    s = load_settings(system_env)
    assert s.branch_code == "0101" and s.sources["branch_code"] == f"system {system}"
    assert s.masking.id_head == 6 and s.sources["mask_id_head"] == f"system {system}"
    assert s.printer == "counter-1" and s.sources["printer"] == str(user)
    assert s.warnings == ()
    view = s.public_view()
    assert view["branch_code"]["source"] == f"system {system}"
    assert view["bank_name"]["source"] == "default"


def test_a_locked_key_keeps_the_banks_value_with_a_warning(system_env: dict[str, str]) -> None:
    system = write_system(
        system_env,
        'database_url = "postgresql://teller@db.branch/ta"\npolicy_file = "/etc/teller-assist/policy.toml"\n'
        'locked = ["database_url", "policy_file"]\n',
    )
    user = write_user(system_env, 'database_url = "sqlite:////tmp/mine.db"\n')
    env = {**system_env, "TELLER_ASSIST_POLICY_FILE": "/home/teller/lenient.toml"}
    s = load_settings(env)
    assert s.database_url == "postgresql://teller@db.branch/ta"
    assert s.policy_file == "/etc/teller-assist/policy.toml"
    assert s.locked == frozenset({"database_url", "policy_file"})
    assert len(s.warnings) == 2
    assert any("database_url" in w and str(user) in w for w in s.warnings)
    assert any("policy_file" in w and "TELLER_ASSIST_POLICY_FILE" in w for w in s.warnings)
    view = s.public_view()
    assert view["policy_file"]["source"] == f"system {system} (ignored TELLER_ASSIST_POLICY_FILE) (locked)"
    assert view["database_url"]["value"] == "postgresql://teller@db.branch/ta"


def test_an_unlocked_key_of_the_system_file_is_the_users_to_change(system_env: dict[str, str]) -> None:
    write_system(system_env, 'database_url = "postgresql://teller@db.branch/ta"\nlocked = ["printer"]\n')
    s = load_settings({**system_env, "TELLER_ASSIST_DB": "postgresql://teller@db.test/ta"})
    assert s.database_url == "postgresql://teller@db.test/ta"
    assert s.sources["database_url"] == "TELLER_ASSIST_DB"
    assert s.warnings == ()


def test_db_on_the_command_line_cannot_choose_another_database(system_env: dict[str, str]) -> None:
    write_system(system_env, 'database_url = "postgresql://teller@db.branch/ta"\nlocked = ["database_url"]\n')
    with pytest.raises(SettingsError) as info:
        load_settings(system_env, database_url="sqlite:////tmp/elsewhere.db")
    assert "locked" in info.value.describe() and "--db" in info.value.describe()
    same = load_settings(system_env, database_url="postgresql://teller@db.branch/ta")
    assert same.database_url == "postgresql://teller@db.branch/ta" and same.warnings == ()


def test_a_lock_on_a_key_the_file_leaves_unset_holds_the_default(system_env: dict[str, str]) -> None:
    write_system(system_env, 'locked = ["key_store"]\n')
    s = load_settings({**system_env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    assert s.key_store == "keyring"
    assert s.warnings and "key_store" in s.warnings[0]


@pytest.mark.parametrize(
    ("system", "user", "expected", "refused"),
    [
        ("idle_lock_minutes = 5", "idle_lock_minutes = 2", {"idle_lock_minutes": 2}, False),
        ("idle_lock_minutes = 5", "idle_lock_minutes = 30", {"idle_lock_minutes": 5}, True),
        ("[masking]\nid_head = 4", "[masking]\nid_head = 2", {"mask_id_head": 2}, False),
        ("[masking]\nid_head = 4", "[masking]\nid_head = 6", {"mask_id_head": 4}, True),
        ("", "[masking]\nphone_tail = 7", {"mask_phone_tail": 4}, True),
        ("clipboard_watch = true", "clipboard_watch = false", {"clipboard_watch": False}, False),
        ("clipboard_watch = false", "clipboard_watch = true", {"clipboard_watch": False}, True),
        ("local_hook_port = 8765", "local_hook_port = 0", {"local_hook_port": 0}, False),
        ("local_hook_port = 8765", "local_hook_port = 9000", {"local_hook_port": 8765}, True),
        ('branch_code = "0101"', 'branch_code = "0102"', {"branch_code": "0101"}, True),
    ],
)
def test_a_user_may_narrow_a_locked_key_but_not_widen_it(
    system_env: dict[str, str], system: str, user: str, expected: dict[str, object], refused: bool
) -> None:
    key = next(iter(expected))
    lock = "masking" if key.startswith("mask_") else key
    # `locked` must stand before any table in TOML
    write_system(system_env, f'locked = ["{lock}"]\n{system}\n')
    write_user(system_env, user + "\n")
    s = load_settings(system_env)
    value = getattr(s.masking, key.removeprefix("mask_")) if key.startswith("mask_") else getattr(s, key)
    assert value == expected[key]
    assert bool(s.warnings) is refused
    source = s.public_view()[key]["source"]
    if refused:
        assert key in s.warnings[0]
        assert source.endswith("(locked)") and "ignored" in source
    else:
        assert source == f"{system_env['TELLER_ASSIST_CONFIG']} (narrower than the lock)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("branch_code = ", "TOML"),
        ("colour = 'red'", "colour"),
        ("locked = ['colour']", "colour"),
        ("locked = 'database_url'", "locked"),
        ("[masking]\nid_head = 9", "masking"),
    ],
)
def test_a_bad_system_file_is_named(system_env: dict[str, str], text: str, message: str) -> None:
    path = write_system(system_env, text)
    with pytest.raises(SettingsError) as info:
        load_settings(system_env)
    assert message in info.value.describe()
    if message != "masking":  # the masking range is checked once the layers are merged
        assert str(path) in info.value.describe()


def test_the_override_cannot_point_away_from_an_installed_system_file(tmp_path: Path) -> None:
    standard = tmp_path / "etc" / "teller-assist" / "settings.toml"
    elsewhere = tmp_path / "empty.toml"
    env = {SYSTEM_CONFIG_ENV: str(elsewhere)}
    assert system_config_file(env, standard) == elsewhere  # nothing installed: tests may use another file
    standard.parent.mkdir(parents=True)
    standard.write_text('locked = ["database_url"]\n', encoding="utf-8")
    assert system_config_file(env, standard) == standard
    assert system_config_file({}, standard) == standard
