"""What every command does the same way: its settings, the database opened (checked, never upgraded: only
`db upgrade` upgrades a database other desktops' older programs may share), the operator signed in, and
the bank's local date."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from teller_assist.settings import Settings, load_settings

if TYPE_CHECKING:  # the data layer loads with the command that needs it
    from teller_assist.services.database import Store
    from teller_assist.services.operators import OperatorRecord


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings, with ``--db`` over the settings file and the environment."""
    return load_settings(database_url=args.db)


@contextlib.contextmanager
def opened(settings: Settings) -> Iterator[Store]:
    """The database, its schema checked (behind or ahead is refused in words), closed after the block."""
    from teller_assist.services.database import open_database

    done = open_database(settings, upgrade=False)
    try:
        yield done.store
    finally:
        done.store.dispose()


@contextlib.contextmanager
def signed_in(
    args: argparse.Namespace, login: str | None = None
) -> Iterator[tuple[Store, OperatorRecord | None, Settings]]:
    """(store, operator, settings): the password read first (``--password-stdin`` or a prompt), then the
    database opened and the operator signed in. Without a login (``--user`` omitted where a command
    allows it: the night's job) the operator is None and the command acts as the OS account."""
    from teller_assist.cli.workflow import read_login_password
    from teller_assist.services.operators import authenticate

    settings = settings_of(args)
    login = login or args.user
    password = read_login_password(args.password_stdin) if login else ""
    with opened(settings) as store:
        yield store, authenticate(store, login, password) if login else None, settings


def today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - the bank's local date
