"""Three operators and an administrator for workflow tests, made through the service (real hashes)."""

from __future__ import annotations

from dataclasses import dataclass

from teller_assist.services.applications import Actor
from teller_assist.services.operators import add_operator
from teller_assist.store.engine import Store
from tests.helpers.context import context_of
from tests.helpers.operators import PASSWORD, admin_of


@dataclass
class Team:
    teller: Actor
    manager: Actor  # lobby manager: up to 50,000
    head: Actor  # branch head: up to 300,000
    admin: Actor


def make_team(store: Store) -> Team:
    admin = admin_of(store, "admin1")

    def person(login: str, role: str) -> Actor:
        record = add_operator(
            context_of(store),
            admin, login=login, name=login, role=role, password=PASSWORD, branch_code="0101"
        )
        return Actor(record, "ws-test")

    return Team(
        person("teller1", "teller"),
        person("manager1", "lobby_manager"),
        person("head1", "branch_head"),
        Actor(admin, "ws-test"),
    )


def agreement_printed(store: Store, app_id: int, operator: str = "teller1") -> None:
    """The agreement came out of the printer, recorded as a print records it (the original, audited):
    only then has the customer something to sign."""
    import datetime as dt

    from teller_assist.store.documents import issued_count, record_issue

    record_issue(
        store,
        application_id=app_id,
        kind="agreement",
        operator=operator,
        workstation="ws-test",
        destination="test printer",
        sha256="0" * 64,
        now=dt.datetime.now(dt.UTC),
        expected_copy_no=issued_count(store, app_id, "agreement"),
    )
