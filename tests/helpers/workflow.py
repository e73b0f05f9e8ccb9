"""Three operators and an administrator for workflow tests, made through the service (real hashes)."""

from __future__ import annotations

from dataclasses import dataclass

from teller_assist.services.applications import Actor
from teller_assist.services.operators import add_operator
from teller_assist.store.engine import Store
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
            store, admin, login=login, name=login, role=role, password=PASSWORD, branch_code="0101"
        )
        return Actor(record, "ws-test")

    return Team(
        person("teller1", "teller"),
        person("manager1", "lobby_manager"),
        person("head1", "branch_head"),
        Actor(admin, "ws-test"),
    )
