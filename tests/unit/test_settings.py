from __future__ import annotations

from pathlib import Path

import pytest

from teller_assist.settings import SettingsError, load_settings, redact_url


def write(env: dict[str, str], text: str) -> Path:
    path = Path(env["TELLER_ASSIST_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(env: dict[str, str]) -> None:
    s = load_settings(env)
    assert s.uses_embedded_sqlite
    assert s.paths.sqlite_file == Path(env["TELLER_ASSIST_DATA_DIR"]) / "teller-assist.db"
    assert s.masking.id_head == 4 and s.masking.phone_tail == 4
    assert s.language == "zh_CN"


def test_file_then_environment_then_command_line(env: dict[str, str]) -> None:
    path = write(
        env,
        'branch_code = "0101"\nbranch_name = "华阳支行"\nprinter = "counter-1"\n'
        "[masking]\nid_head = 6\nid_tail = 2\n",
    )
    env = {**env, "TELLER_ASSIST_PRINTER": "counter-2", "TELLER_ASSIST_DB": "postgresql://a@h/db"}
    s = load_settings(env, database_url="postgresql://b@h/db")
    assert s.branch_name == "华阳支行" and s.sources["branch_name"] == str(path)
    assert s.printer == "counter-2" and s.sources["printer"] == "TELLER_ASSIST_PRINTER"
    assert s.database_url == "postgresql://b@h/db" and s.sources["database_url"] == "--db"
    assert s.masking.resident_id("32118319900101001X") == "321183**********1X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("branch_code = ", "TOML"),
        ("colour = 'red'", "colour"),
        ("idle_lock_minutes = 'soon'", "idle_lock_minutes"),
        ("key_store = 'post-it'", "key_store"),
        ("[masking]\nid_head = 9", "masking"),
        ("language = 'fr'", "language"),
    ],
)
def test_bad_settings_name_the_problem(env: dict[str, str], text: str, message: str) -> None:
    write(env, text)
    with pytest.raises(SettingsError) as info:
        load_settings(env)
    assert message in info.value.describe()


def test_public_view_never_shows_a_password(env: dict[str, str]) -> None:
    s = load_settings(env, database_url="postgresql://teller:s3cret@db.branch/ta")
    view = s.public_view()
    assert "s3cret" not in repr(view)
    assert view["database_url"]["value"] == "postgresql://teller:***@db.branch/ta"


def test_redact_url_without_password_is_unchanged() -> None:
    assert redact_url("postgresql://teller@db/ta") == "postgresql://teller@db/ta"
