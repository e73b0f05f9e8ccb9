"""Tables: one per kind of core-bank extract (``docs/extracts.md``), plus import batches and refused rows.

Money is integer fen. Dates are local dates. Resident IDs are stored in their 18-character form.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from teller_assist.store.base import Base, Fen, IdNo, Str16, Str32, Str64, Str200
from teller_assist.vocabulary import OPEN_APPLICATION_STATUSES

__all__ = [
    "EXTRACT_KINDS",
    "Application",
    "AuditEvent",
    "AuditHead",
    "AuthorityGrant",
    "Base",
    "Campaign",
    "CampaignApplication",
    "CampaignBatch",
    "CampaignMember",
    "Customer",
    "DocumentIssue",
    "Drawdown",
    "GroupTag",
    "ImportBatch",
    "ImportReject",
    "KpiChange",
    "KpiIndicator",
    "KpiSnapshot",
    "NegativeListEntry",
    "Operator",
    "PayrollCredit",
    "RegionBranch",
    "SmsOutbox",
    "SurveyDraft",
    "Target",
    "TargetAssignment",
    "TargetList",
    "TargetListBranch",
    "TargetStrike",
    "TargetTask",
    "TaskOutcome",
    "TaskSweep",
    "UtilityAgreement",
    "UtilityDebit",
]

EXTRACT_KINDS = (
    "customers",
    "payroll",
    "utility_agreements",
    "utility_debits",
    "negative_list",
    "drawdowns",
    "group_tags",
    "targets",
)


class ImportBatch(Base):
    """One extract file, loaded completely or not at all."""

    __tablename__ = "import_batch"
    __table_args__ = (CheckConstraint("status IN ('loaded', 'refused')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[Str32] = mapped_column(index=True)
    file_name: Mapped[Str200]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[Str16]
    extract_date: Mapped[dt.date | None]
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_loaded: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of strings
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]


class ImportReject(Base):
    """A refused row: its line number, the reason in a clerk's words, and the row as read."""

    __tablename__ = "import_reject"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int]
    reason: Mapped[Str200]
    raw: Mapped[str] = mapped_column(Text)


class Customer(Base):
    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("gender IN ('M', 'F')", name="gender"),
        # a person's branch, read in ID order (unique, so SQLite prefers it to the key's own index)
        Index("ix_customer_kpi_branch", "id_no", "branch_code", unique=True),
        Index("ix_customer_kpi_birth", "birth_date", "branch_code"),  # who is within the age band
    )

    id_no: Mapped[IdNo] = mapped_column(primary_key=True)
    name: Mapped[Str64]
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None]
    phone: Mapped[str | None] = mapped_column(String(11))
    address: Mapped[str | None] = mapped_column(String(200))
    customer_no: Mapped[str | None] = mapped_column(String(32), index=True)
    branch_code: Mapped[str | None] = mapped_column(String(16), index=True)
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class PayrollCredit(Base):
    __tablename__ = "payroll_credit"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_payroll_credit_id_no_pay_date", "id_no", "pay_date"),
    )

    txn_id: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo]
    employer_code: Mapped[str] = mapped_column(String(18))
    employer_name: Mapped[Str200]
    pay_date: Mapped[dt.date]
    amount_fen: Mapped[Fen]
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class UtilityAgreement(Base):
    __tablename__ = "utility_agreement"
    __table_args__ = (
        CheckConstraint(
            "utility IN ('water', 'electricity', 'gas', 'telecom', 'property', 'tv')", name="utility"
        ),
        CheckConstraint("status IN ('active', 'cancelled')", name="status"),
    )

    agreement_no: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(index=True)
    utility: Mapped[Str16]
    signed_on: Mapped[dt.date]
    status: Mapped[Str16] = mapped_column(default="active")
    cancelled_on: Mapped[dt.date | None]
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class UtilityDebit(Base):
    __tablename__ = "utility_debit"
    __table_args__ = (
        CheckConstraint("result IN ('ok', 'failed')", name="result"),
        # covering: a card counts ok and failed debits per agreement from the index alone
        Index("ix_utility_debit_agreement_no_debit_date_result", "agreement_no", "debit_date", "result"),
    )

    txn_id: Mapped[Str64] = mapped_column(primary_key=True)
    agreement_no: Mapped[Str64] = mapped_column(ForeignKey("utility_agreement.agreement_no"))
    debit_date: Mapped[dt.date]
    amount_fen: Mapped[Fen]
    result: Mapped[Str16]
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class NegativeListEntry(Base):
    """A listing. The current list is the entries not lifted; lifted ones are history."""

    __tablename__ = "negative_list_entry"
    __table_args__ = (
        CheckConstraint(
            "reason IN ('credit_report', 'court_defaulter', 'bad_habit', 'fraud', 'other')", name="reason"
        ),
        Index(
            "uq_negative_list_entry_active_id_no",
            "id_no",
            unique=True,
            sqlite_where=text("lifted_batch_id IS NULL"),
            postgresql_where=text("lifted_batch_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(index=True)
    reason: Mapped[Str32]
    listed_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)  # never shown at the counter
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))  # first listed by
    lifted_on: Mapped[dt.date | None]
    lifted_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Drawdown(Base):
    __tablename__ = "drawdown"
    # covering: a person's drawdowns by day with their amounts, for the card and the KPIs
    __table_args__ = (Index("ix_drawdown_id_no_drawn_on_amount_fen", "id_no", "drawn_on", "amount_fen"),)

    txn_id: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo]
    drawn_on: Mapped[dt.date]
    amount_fen: Mapped[Fen]
    loan_no: Mapped[str | None] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class GroupTag(Base):
    __tablename__ = "group_tag"
    __table_args__ = (
        CheckConstraint(
            "tag IN ('civil_servant', 'party_member', 'veteran', 'exemplary_resident', "
            "'integrity_business', 'family_farm')",
            name="tag",
        ),
    )

    id_no: Mapped[IdNo] = mapped_column(primary_key=True)
    tag: Mapped[Str32] = mapped_column(primary_key=True)
    grade: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str | None] = mapped_column(String(200))
    valid_until: Mapped[dt.date | None]
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class Target(Base):
    __tablename__ = "target"
    __table_args__ = (
        CheckConstraint(
            "scenario IS NULL OR scenario IN ('village', 'enterprise', 'association', 'bureau', "
            "'community', 'market', 'walk_in')",
            name="scenario",
        ),
        # an officer's targets read from the index alone (migration 0016: was on the officer only)
        Index("ix_target_officer_key", "officer", "campaign", "id_no"),
    )

    campaign: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(primary_key=True, index=True)
    branch_code: Mapped[str | None] = mapped_column(String(16), index=True)
    officer: Mapped[str | None] = mapped_column(String(64))
    due_on: Mapped[dt.date | None]
    scenario: Mapped[str | None] = mapped_column(String(16))
    # the extract that brought it; none for a list head office issued (``target_list``, migration 0013)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class RegionBranch(Base):
    """Which branch serves a social-security region: head office's table, used to split its lists."""

    __tablename__ = "region_branch"
    __table_args__ = (CheckConstraint("length(region_code) = 6", name="region_code"),)

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    branch_code: Mapped[Str16]
    set_by: Mapped[Str64]
    set_at: Mapped[dt.datetime]


class TargetList(Base):
    """A target list head office issued: its people are the ``target`` rows of campaign ``code``."""

    __tablename__ = "target_list"
    __table_args__ = (
        CheckConstraint("people > 0", name="people"),
        CheckConstraint("due_on > issued_on", name="due_on"),
    )

    code: Mapped[Str64] = mapped_column(primary_key=True)
    issued_by: Mapped[Str64]
    issued_at: Mapped[dt.datetime]
    issued_on: Mapped[dt.date]  # the bank's local day
    due_on: Mapped[dt.date]  # the branches' indicators are people signed by this day
    percent: Mapped[Str16]  # each branch's indicator as a percentage of its targets (exact, as typed)
    people: Mapped[int] = mapped_column(Integer)
    filters: Mapped[str] = mapped_column(Text)  # JSON: how the people were chosen (never anyone's data)


class TargetListBranch(Base):
    """Each branch's share of an issued list and its indicator (指标任务)."""

    __tablename__ = "target_list_branch"
    __table_args__ = (
        CheckConstraint("people > 0", name="people"),
        CheckConstraint("indicator >= 0 AND indicator <= people", name="indicator"),
    )

    list_code: Mapped[Str64] = mapped_column(ForeignKey("target_list.code"), primary_key=True)
    branch_code: Mapped[Str16] = mapped_column(primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[int] = mapped_column(Integer)


_TARGET_KEY = (["campaign", "id_no"], ["target.campaign", "target.id_no"])


class TargetAssignment(Base):
    """Every change of a target's officer, by whom and when (the current one is ``target.officer``)."""

    __tablename__ = "target_assignment"
    __table_args__ = (
        ForeignKeyConstraint(*_TARGET_KEY, name="fk_target_assignment_target"),
        Index("ix_target_assignment_target", "campaign", "id_no"),
        Index("ix_target_assignment_assigned_at", "assigned_at"),  # changed since the sweep (0018)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign: Mapped[Str64]
    id_no: Mapped[IdNo]
    officer: Mapped[str | None] = mapped_column(String(64))  # None: taken back to the branch
    previous: Mapped[str | None] = mapped_column(String(64))
    assigned_by: Mapped[Str64]
    assigned_at: Mapped[dt.datetime]


class TaskOutcome(Base):
    """What happened on a task, recorded by the target's officer."""

    __tablename__ = "task_outcome"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('survey', 'submit', 'deliver_letter', 'get_signed', 'follow_up_usage', 'renew')",
            name="kind",
        ),
        CheckConstraint("outcome IN ('done', 'not_reached', 'declined', 'appointment')", name="outcome"),
        CheckConstraint("outcome <> 'declined' OR reason IS NOT NULL", name="declined_reason"),
        CheckConstraint("(outcome = 'appointment') = (appointment_on IS NOT NULL)", name="appointment_on"),
        CheckConstraint("NOT for_good OR outcome = 'declined'", name="for_good"),
        ForeignKeyConstraint(*_TARGET_KEY, name="fk_task_outcome_target"),
        Index("ix_task_outcome_person", "id_no", "recorded_on"),
        Index("ix_task_outcome_recorded_at", "recorded_at"),  # recorded since the tasks' sweep
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign: Mapped[Str64]
    id_no: Mapped[IdNo]
    kind: Mapped[Str16]
    outcome: Mapped[Str16]
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    reason: Mapped[str | None] = mapped_column(String(200))
    appointment_on: Mapped[dt.date | None]
    for_good: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_on: Mapped[dt.date]  # the bank's local day
    recorded_by: Mapped[Str64]
    recorded_at: Mapped[dt.datetime]


class TargetStrike(Base):
    """A struck target (销号), once: the reason and the day, and who recorded it (a person, or the
    program's own sweep when the data shows it: a signing, an ineligibility)."""

    __tablename__ = "target_strike"
    __table_args__ = (
        CheckConstraint("reason IN ('signed', 'ineligible', 'declined')", name="reason"),
        ForeignKeyConstraint(*_TARGET_KEY, name="fk_target_strike_target"),
        Index("ix_target_strike_struck_on", "struck_on"),
    )

    campaign: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(primary_key=True)
    reason: Mapped[Str16]
    struck_on: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[Str64]
    recorded_at: Mapped[dt.datetime]


class TargetTask(Base):
    """Each target's task of the day as the night's sweep found it (``kind`` None: no task that day),
    with what a face shows beside it: read at login instead of every person's facts, the people whose
    facts changed since the sweep computed again (``services.targets``). Rewritten by every sweep."""

    __tablename__ = "target_task"

    campaign: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(primary_key=True)
    branch_code: Mapped[str | None] = mapped_column(String(16), index=True)
    officer: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    due_on: Mapped[dt.date | None]
    value_fen: Mapped[int | None] = mapped_column(BigInteger)
    application_id: Mapped[int | None]
    appointment: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(String(64))
    moved: Mapped[bool] = mapped_column(Boolean, default=False)  # the customer record's home moved


class TaskSweep(Base):
    """The one sweep whose tasks ``target_task`` holds: its day, when it read the data, and the age
    band it judged by (another band, or an import after it, and the kept tasks are not used)."""

    __tablename__ = "task_sweep"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    day: Mapped[dt.date]
    swept_at: Mapped[dt.datetime]
    min_age: Mapped[int]
    max_age: Mapped[int]


class Operator(Base):
    """A member of staff who logs in: teller, lobby manager, branch head or head-office administrator."""

    __tablename__ = "operator"
    __table_args__ = (
        CheckConstraint("role IN ('teller', 'lobby_manager', 'branch_head', 'hq_admin')", name="role"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
        UniqueConstraint("id", "role", name="uq_operator_id_role"),  # target of application's checker key
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[Str64] = mapped_column(unique=True)
    name: Mapped[Str64]
    role: Mapped[Str16]
    branch_code: Mapped[str | None] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)  # Argon2id, PHC string format
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    password_changed_at: Mapped[dt.datetime]
    # set by an administrator's reset: the operator must choose a new password before anything else
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


APPLICATION_STATUSES = ("submitted", "approved", "rejected", "cancelled", "signed", "expired")
OPEN_STATUSES = OPEN_APPLICATION_STATUSES  # at most one of these per person
_OPEN_SQL = "status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"


class AuthorityGrant(Base):
    """Every approval authority the policy has ever given a role, in fen (migration 0017; whole yuan before).

    An approved application names its checker's role and authority, and this key proves the pair was
    really granted: a row cannot claim an authority the bank's policy never gave.
    """

    __tablename__ = "authority_grant"
    __table_args__ = (CheckConstraint("max_line_fen > 0", name="max_line"),)

    role: Mapped[Str16] = mapped_column(primary_key=True)
    max_line_fen: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_version: Mapped[Str32]
    first_seen: Mapped[dt.datetime]


class Application(Base):
    """A pre-credit application: submitted -> approved | rejected | cancelled; approved -> signed | expired;
    signed -> expired. The rules that must never be bypassed are constraints, not only Python."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'cancelled', 'signed', 'expired')",
            name="status",
        ),
        CheckConstraint("line_fen > 0", name="line"),
        CheckConstraint("annual_rate_bp > 0 AND annual_rate_bp < 10000", name="annual_rate_bp"),
        CheckConstraint("version >= 1", name="version"),
        # maker and checker are two people: no role or setting bypasses this
        CheckConstraint("checker_id IS NULL OR checker_id <> maker_id", name="maker_checker"),
        # a decided application names who decided and when
        CheckConstraint(
            "(status IN ('submitted', 'cancelled')) OR (checker_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_by",
        ),
        # an approval needs an authority that covers the line
        CheckConstraint(
            "status NOT IN ('approved', 'signed', 'expired') OR "
            "(checker_authority_fen IS NOT NULL AND line_fen <= checker_authority_fen "
            "AND agreement_no IS NOT NULL AND valid_until IS NOT NULL)",
            name="authority_covers_line",
        ),
        CheckConstraint("status <> 'rejected' OR reject_reason IS NOT NULL", name="reject_reason"),
        CheckConstraint("status <> 'signed' OR signed_at IS NOT NULL", name="signed_at"),
        ForeignKeyConstraint(
            ["checker_id", "checker_role"],
            ["operator.id", "operator.role"],
            name="fk_application_checker_operator",
        ),
        ForeignKeyConstraint(
            ["checker_role", "checker_authority_fen"],
            ["authority_grant.role", "authority_grant.max_line_fen"],
            name="fk_application_checker_authority_grant",
        ),
        Index(
            "uq_application_one_open",
            "id_no",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_application_status_submitted", "status", "submitted_at"),
        # every column the KPIs read, in person order (the rows themselves carry wide JSON)
        Index(
            "ix_application_kpi",
            "id_no",
            "status",
            "decided_on",
            "valid_until",
            "signed_on",
            "line_fen",
            "branch_code",
            "maker_id",
        ),
        Index("ix_application_decided_on", "decided_on"),
        Index("ix_application_signed_on", "signed_on"),
        Index("ix_application_maker_id", "maker_id"),  # an officer's work
        Index("ix_application_closed_at", "closed_at"),  # cancelled or expired since the tasks' sweep
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(index=True)
    name: Mapped[str | None] = mapped_column(String(64))  # unknown for a walk-in the bank has not seen
    scenario: Mapped[Str16]
    status: Mapped[Str16]
    version: Mapped[int] = mapped_column(default=1)  # optimistic locking: every change bumps it
    survey: Mapped[str] = mapped_column(Text)  # JSON answers as checked at submission
    consents: Mapped[str] = mapped_column(Text)  # JSON {consent key: {"at": ISO time, "by": login}}
    decision: Mapped[str] = mapped_column(Text)  # JSON snapshot of the recomputed decision
    policy_version: Mapped[Str32]
    policy_sha256: Mapped[str] = mapped_column(String(64))
    line_fen: Mapped[int] = mapped_column(Integer)  # whole yuan before migration 0017
    annual_rate_bp: Mapped[int] = mapped_column(Integer)  # percent x 100: 3.85% is 385
    branch_code: Mapped[str | None] = mapped_column(String(16))
    workstation: Mapped[Str64]
    maker_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    checker_id: Mapped[int | None]
    checker_role: Mapped[str | None] = mapped_column(String(16))
    checker_authority_fen: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime]
    decided_at: Mapped[dt.datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    agreement_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    valid_until: Mapped[dt.date | None]
    signed_at: Mapped[dt.datetime | None]
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    closed_at: Mapped[dt.datetime | None]  # cancelled or expired
    # the bank's local days of those moments, which the KPIs count by (migration 0012)
    submitted_on: Mapped[dt.date | None]
    decided_on: Mapped[dt.date | None]
    signed_on: Mapped[dt.date | None]


class AuditEvent(Base):
    """One audited action. Append-only (triggers refuse UPDATE and DELETE; on PostgreSQL the privileges
    are revoked too) and chained: each row's hash covers its fields and the previous row's hash."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime]
    operator: Mapped[str | None] = mapped_column(String(64))  # login, or "os:<user>" from the command line
    workstation: Mapped[Str64]
    action: Mapped[Str32] = mapped_column(index=True)
    subject: Mapped[str | None] = mapped_column(String(64))  # resident ID, application or login acted on
    purpose: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)  # JSON, never personal data
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The chain's head: one row, locked by every append so that appends are serial and a removed tail
    is seen (the head names the last sequence number and hash)."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class DocumentIssue(Base):
    """Each time an agreement, authorisation or letter is printed or saved: the first is the original,
    every later one is a copy (副本) with its number."""

    __tablename__ = "document_issue"
    __table_args__ = (
        CheckConstraint("kind IN ('agreement', 'authorization', 'letter')", name="kind"),
        CheckConstraint("copy_no >= 0", name="copy_no"),
        UniqueConstraint("application_id", "kind", "copy_no", name="uq_document_issue_copy"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    kind: Mapped[Str16]
    copy_no: Mapped[int]
    issued_at: Mapped[dt.datetime]
    operator: Mapped[Str64]
    workstation: Mapped[Str64]
    destination: Mapped[Str64]  # a printer's name, or "file"
    sha256: Mapped[str] = mapped_column(String(64))


class DocumentSignature(Base):
    """The customer signed an issued document (the agreement, the authorisation), recorded with the
    application's signature in one transaction (migration 0009)."""

    __tablename__ = "document_signature"
    __table_args__ = (CheckConstraint("kind IN ('agreement', 'authorization')", name="kind"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), primary_key=True)
    kind: Mapped[Str16] = mapped_column(primary_key=True)
    signed_at: Mapped[dt.datetime]
    operator: Mapped[Str64]  # who recorded the signature
    workstation: Mapped[Str64]


class SmsOutbox(Base):
    """Texts waiting for the bank's SMS platform: queued with the approval, exported exactly once."""

    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    phone: Mapped[str] = mapped_column(String(11))  # in full: the export is the one place it leaves
    text: Mapped[str] = mapped_column(Text)
    queued_at: Mapped[dt.datetime]
    exported_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    export_batch: Mapped[str | None] = mapped_column(String(32))


class SurveyDraft(Base):
    """A survey being filled at the counter, saved as it is typed so a crash or restart loses nothing;
    removed when the application is submitted."""

    __tablename__ = "survey_draft"

    id_no: Mapped[IdNo] = mapped_column(primary_key=True)
    scenario: Mapped[Str16]
    answers: Mapped[str] = mapped_column(Text)  # JSON, consents left out
    operator: Mapped[Str64]
    updated_at: Mapped[dt.datetime]


class KeyFingerprint(Base):
    """A secret every desktop must share (the documents' verification key), known here by its
    fingerprint only: the secret itself stays in each desktop's keyring. A desktop without it, or with
    a different one, is told so instead of inventing its own."""

    __tablename__ = "key_fingerprint"

    name: Mapped[Str32] = mapped_column(primary_key=True)
    fingerprint: Mapped[Str64]
    recorded_at: Mapped[dt.datetime]


class KpiIndicator(Base):
    """An indicator (指标任务) head office gives a branch or a campaign: so many people signed (or
    granted) within a period. Campaign indicators move to the campaigns themselves later."""

    __tablename__ = "kpi_indicator"
    __table_args__ = (
        CheckConstraint("scope_kind IN ('branch', 'campaign')", name="scope_kind"),
        CheckConstraint("measure IN ('signed', 'granted')", name="measure"),
        CheckConstraint("people > 0", name="people"),
        CheckConstraint("ends_on >= starts_on", name="period"),
        UniqueConstraint("scope_kind", "scope_key", "starts_on", name="uq_kpi_indicator_scope_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope_kind: Mapped[Str16]
    scope_key: Mapped[Str64]
    measure: Mapped[Str16]
    people: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    set_by: Mapped[Str64]
    set_at: Mapped[dt.datetime]


class KpiChange(Base):
    """The KPIs' changes by group and day, as :mod:`teller_assist.store.kpi` sums them from the rows,
    kept for the days before the snapshot's ``live_from`` (the later days are read from the rows)."""

    __tablename__ = "kpi_change"

    view: Mapped[Str32] = mapped_column(primary_key=True)  # see store.kpi.SNAPSHOT_VIEWS
    grp: Mapped[Str200] = mapped_column(primary_key=True)
    kind: Mapped[Str16] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)


class KpiSnapshot(Base):
    """When ``kpi_change`` was built and what it saw, so that a reader can tell it is still whole."""

    __tablename__ = "kpi_snapshot"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    built_at: Mapped[dt.datetime]
    live_from: Mapped[dt.date]
    batch_id: Mapped[int] = mapped_column(Integer)  # the newest import batch it saw
    audit_seq: Mapped[int] = mapped_column(Integer)  # the last audited action it saw
    rows: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    # the eligible people kept too, for these days and this age band (the policy's when it was built)
    eligible_from: Mapped[dt.date | None]
    eligible_until: Mapped[dt.date | None]
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    max_application_id: Mapped[int | None] = mapped_column(Integer)  # the newest they saw


_CAMPAIGN_SCENARIOS = "('village', 'enterprise', 'association', 'bureau', 'community', 'market')"


class Campaign(Base):
    """A group campaign (issue 17, migration 0014): the group it serves, the owning branch, the period,
    optionally an indicator, and what its latest roster was. Its people are ``campaign_member`` rows."""

    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint(f"scenario IN {_CAMPAIGN_SCENARIOS}", name="scenario"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint("indicator IS NULL OR indicator > 0", name="indicator"),
        CheckConstraint("indicator_measure IN ('signed', 'granted')", name="indicator_measure"),
        # an enterprise and a bureau are known by their unified social credit code
        CheckConstraint(
            "scenario NOT IN ('enterprise', 'bureau') OR group_uscc IS NOT NULL", name="group_uscc"
        ),
        CheckConstraint(
            "(status = 'closed') = (closed_at IS NOT NULL AND closed_by IS NOT NULL)", name="closed"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[Str64] = mapped_column(unique=True)
    scenario: Mapped[Str16]
    group_name: Mapped[Str200]
    group_uscc: Mapped[str | None] = mapped_column(String(18))
    village_groups: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: a village's 村民小组
    branch_code: Mapped[Str16] = mapped_column(index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    indicator: Mapped[int | None] = mapped_column(Integer)  # people
    indicator_measure: Mapped[Str16] = mapped_column(default="signed")
    status: Mapped[Str16] = mapped_column(default="open")
    created_by: Mapped[Str64]
    created_at: Mapped[dt.datetime]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[dt.datetime | None]
    # the latest roster imported (its file's name masked, its fingerprint, its rows), by whom and when
    roster_file: Mapped[str | None] = mapped_column(String(200))
    roster_sha256: Mapped[str | None] = mapped_column(String(64))
    roster_rows: Mapped[int | None] = mapped_column(Integer)
    roster_by: Mapped[str | None] = mapped_column(String(64))
    roster_at: Mapped[dt.datetime | None]


class CampaignMember(Base):
    """One person on a campaign, as its latest roster gives them: the membership, never a copy of a line
    (a person on several campaigns is one person with one line). A member the latest roster no longer
    lists is kept, marked removed."""

    __tablename__ = "campaign_member"
    __table_args__ = (
        CheckConstraint("status IN ('matched', 'new_to_bank', 'refused', 'removed')", name="status"),
        CheckConstraint("status <> 'refused' OR reason IS NOT NULL", name="refused_reason"),
        CheckConstraint("evaluation IS NULL OR evaluation IN ('good', 'fair', 'poor')", name="evaluation"),
        CheckConstraint("line_no > 0", name="line_no"),
    )

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(primary_key=True, index=True)  # index: a person's campaigns
    name: Mapped[Str64]
    phone: Mapped[str | None] = mapped_column(String(11))  # masked wherever shown
    evaluation: Mapped[str | None] = mapped_column(String(8))
    evaluated_by: Mapped[str | None] = mapped_column(String(200))
    evaluated_on: Mapped[dt.date | None]
    key_household: Mapped[bool] = mapped_column(Boolean, default=False)
    permanent_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    extras: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the scenario's other roster columns
    line_no: Mapped[int] = mapped_column(Integer)  # the row in the latest roster that gave it
    status: Mapped[Str16]
    reason: Mapped[str | None] = mapped_column(String(200))  # why refused, in a clerk's words
    added_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # what the member brings to a submission (migration 0015): both consents given on the roster (when
    # the import first said so, and who loaded it), and a completed survey recorded for them (its checked
    # answers as JSON, the consents' times and operator inside)
    consent_at: Mapped[dt.datetime | None]
    consent_by: Mapped[str | None] = mapped_column(String(64))
    survey: Mapped[str | None] = mapped_column(Text)
    survey_scenario: Mapped[str | None] = mapped_column(String(16))
    surveyed_at: Mapped[dt.datetime | None]
    surveyed_by: Mapped[str | None] = mapped_column(String(64))


class CampaignBatch(Base):
    """A campaign's members submitted in one go (migration 0015): by whom, when, under which policy, how
    many applications and how many members were left out, by reason (JSON counts)."""

    __tablename__ = "campaign_batch"
    __table_args__ = (CheckConstraint("applications > 0", name="applications"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    submitted_by: Mapped[Str64]
    submitted_at: Mapped[dt.datetime]
    submitted_on: Mapped[dt.date]
    policy_version: Mapped[Str32]
    applications: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[str] = mapped_column(Text)


class CampaignApplication(Base):
    """Which batch (and campaign) an application came from; the application itself is an ordinary one,
    under every rule of ``application``."""

    __tablename__ = "campaign_application"

    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("campaign_batch.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
