"""Tables: one per kind of core-bank extract (``spec/extracts.md``), plus import batches and refused rows.

Money is integer fen. Dates are local dates. Resident IDs are stored in their 18-character form.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from teller_assist.store.base import Base, Fen, IdNo, Str16, Str32, Str64, Str200

__all__ = [
    "EXTRACT_KINDS",
    "Base",
    "Customer",
    "Drawdown",
    "GroupTag",
    "ImportBatch",
    "ImportReject",
    "NegativeListEntry",
    "Operator",
    "PayrollCredit",
    "Target",
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
    __table_args__ = (CheckConstraint("gender IN ('M', 'F')", name="gender"),)

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
    __table_args__ = (Index("ix_drawdown_id_no_drawn_on", "id_no", "drawn_on"),)

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
    )

    campaign: Mapped[Str64] = mapped_column(primary_key=True)
    id_no: Mapped[IdNo] = mapped_column(primary_key=True, index=True)
    branch_code: Mapped[str | None] = mapped_column(String(16), index=True)
    officer: Mapped[str | None] = mapped_column(String(64))
    due_on: Mapped[dt.date | None]
    scenario: Mapped[str | None] = mapped_column(String(16))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class Operator(Base):
    """A member of staff who logs in: teller, lobby manager, branch head or head-office administrator."""

    __tablename__ = "operator"
    __table_args__ = (
        CheckConstraint("role IN ('teller', 'lobby_manager', 'branch_head', 'hq_admin')", name="role"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
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
