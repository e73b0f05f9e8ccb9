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


SECRET = "s3cret-Pw"
URLS_WITH_A_PASSWORD = (
    f"postgresql://teller:{SECRET}@db.branch/ta",
    f"postgresql://teller@db.branch/ta?password={SECRET}",
    f"postgresql://teller@db.branch/ta?sslmode=require&PASSWORD={SECRET}",
    f"postgresql://teller@db.branch/ta?pass%77ord={SECRET}",
    f"postgresql://teller@db.branch/ta?sslpassword={SECRET}",
    f"postgresql+psycopg://teller@/ta?host=/run/pg&options=-c%20password%3D{SECRET}",
    f"postgresql://teller:{SECRET}/x@db.branch/ta",
)


@pytest.mark.parametrize("url", URLS_WITH_A_PASSWORD)
@pytest.mark.parametrize("source", ["settings.toml", "x.conf", "environment", "--db"])
def test_a_password_in_the_database_url_is_refused_from_every_source(
    env: dict[str, str], url: str, source: str
) -> None:
    """Userinfo or query parameter, whatever the settings file is called, from the environment or the
    command line: refused, saying where a password belongs, never repeating it."""
    database_url = None
    if source in ("settings.toml", "x.conf"):
        env = {**env, "TELLER_ASSIST_CONFIG": str(Path(env["TELLER_ASSIST_CONFIG"]).with_name(source))}
        write(env, f'database_url = "{url}"\n')
    elif source == "environment":
        env = {**env, "TELLER_ASSIST_DB": url}
    else:
        database_url = url
    with pytest.raises(SettingsError) as info:
        load_settings(env, database_url=database_url)
    said = info.value.describe()
    assert "密码" in said and "db set-password" in said and ".pgpass" in said
    assert SECRET not in said


def test_the_database_url_without_a_password_is_accepted(env: dict[str, str]) -> None:
    url = "postgresql+psycopg://teller@/ta?host=/run/pg&sslmode=require&passfile=/home/t/.pgpass"
    assert load_settings(env, database_url=url).database_url == url


@pytest.mark.parametrize("url", URLS_WITH_A_PASSWORD)
def test_public_view_never_shows_a_password_even_one_that_slipped_in(env: dict[str, str], url: str) -> None:
    import dataclasses

    s = dataclasses.replace(load_settings(env), database_url=url)  # past the check, as a bug might
    view = s.public_view()
    assert SECRET not in repr(view) and "***" in view["database_url"]["value"]
    assert redact_url(url).startswith(url.split("://")[0] + "://teller")


def test_redact_url_without_password_is_unchanged() -> None:
    assert redact_url("postgresql://teller@db/ta") == "postgresql://teller@db/ta"
    assert redact_url("postgresql://teller@/ta?host=/run/pg") == "postgresql://teller@/ta?host=/run/pg"
