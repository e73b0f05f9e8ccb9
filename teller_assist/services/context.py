"""What every service a face calls works in: one :class:`Context` (the store, the settings, the credit
policy in force, the clock, this workstation's name), made once by the face and passed first.

A face (the window, the command line) opens the database, loads the policy and makes the context; the
services it calls take the context and take the day and the moment from its clock, so that the day a
service reads by and the moment it stamps on what it writes can never disagree. Inside the services, the
helpers and the domain's pure functions still take just the parts they use (a store, a policy, a date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from teller_assist.errors import UserFacingError
from teller_assist.prequal.policy import Policy
from teller_assist.services.audit import workstation
from teller_assist.services.clock import SYSTEM_CLOCK, Clock
from teller_assist.settings import Settings
from teller_assist.store.engine import Store

NO_POLICY = UserFacingError(
    "授信政策未载入，不能计算额度",
    "the credit policy is not loaded: no line can be computed",
    hint_zh="请检查授信政策文件（设置中的 policy_file）",
    hint_en="check the policy file (the policy_file setting)",
)


@dataclass(frozen=True)
class Context:
    """The store, the settings, the policy in force (None: it did not load, and what needs it is
    refused with :data:`NO_POLICY`), the clock and this workstation, for the services a face calls."""

    store: Store
    settings: Settings
    policy: Policy | None = None
    clock: Clock = SYSTEM_CLOCK
    workstation: str = field(default_factory=workstation)

    def today(self) -> dt.date:
        return self.clock.today()

    def now(self) -> dt.datetime:
        return self.clock.now()

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The day a service reads and records by, for the moment it read from :meth:`now`."""
        return self.clock.day_of(moment)

    def dated(self, day: dt.date) -> Context:
        """The same context dated ``day``: read and recorded as of that day, every moment stamped as it
        really is (a command's ``--as-of``; the audit trail is never back-dated by it)."""
        return dataclasses.replace(self, clock=self.clock.dated_on(day))

    def on(self, day: dt.date) -> Context:
        """The same context on ``day``, its clock moved there and still running (a test's day)."""
        return dataclasses.replace(self, clock=Clock.on(day))

    def at(self, moment: dt.datetime) -> Context:
        """The same context with its clock stopped at ``moment`` (still dated, when it was): a backfill
        writing the past, a test naming the moment it means, a service handing on its one reading."""
        return dataclasses.replace(self, clock=self.clock.stopped(moment))

    def in_force(self) -> Policy:
        """The policy, or the plain refusal when none is loaded."""
        if self.policy is None:
            raise NO_POLICY
        return self.policy
