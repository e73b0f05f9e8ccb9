"""The agreement and the letter for an approved application: what they say, the verification code,
originals and copies (副本), and checking a paper a customer brings back."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from teller_assist.documents import verification
from teller_assist.documents.render import DocumentData, render
from teller_assist.documents.templates import KINDS
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.prequal.workflow import rate_text
from teller_assist.security import keys
from teller_assist.services.applications import applied_factors
from teller_assist.services.audit import now_utc, workstation
from teller_assist.settings import Settings
from teller_assist.store import applications as store_apps
from teller_assist.store import documents as store_docs
from teller_assist.store.applications import ApplicationRecord
from teller_assist.store.engine import Store

log = logging.getLogger(__name__)
PRINTABLE = ("approved", "signed")


class DocumentRefused(UserFacingError):
    pass


@dataclass(frozen=True)
class Issued:
    kind: str
    pdf: bytes
    copy_no: int  # 0 = the original
    verification_code: str


def document_key(store: Store, settings: Settings) -> bytes:
    demo_file = settings.paths.data_dir / "DEMO-MODE-document.key" if store.demo_mode else None
    return keys.document_key(demo_file)


def code_for(record: ApplicationRecord, key: bytes) -> str:
    assert record.agreement_no is not None and record.valid_until is not None
    return verification.verification_code(
        key, record.agreement_no, record.line, record.annual_rate_bp, record.valid_until, record.id_no
    )


def document_data(
    record: ApplicationRecord,
    kind: str,
    settings: Settings,
    masking: Masking,
    key: bytes,
    *,
    copy: bool,
    today: dt.date,
) -> DocumentData:
    if kind not in KINDS:
        raise DocumentRefused(
            f"未知的文书类型 {kind}", f"unknown document kind {kind}", hint_en=", ".join(KINDS)
        )
    if record.status not in PRINTABLE or record.agreement_no is None or record.valid_until is None:
        raise DocumentRefused(
            f"申请 {record.id} 尚未批准（{record.status}），不能出具{KINDS[kind]}",
            f"application {record.id} is {record.status}; only approved or signed ones are printed",
        )
    approved_on = (record.decided_at or record.submitted_at).astimezone().date()
    return DocumentData(
        kind=kind,
        bank_name=settings.bank_name,
        branch_name=settings.branch_name or "本行营业网点",
        agreement_no=record.agreement_no,
        # a walk-in the bank had no record of: a blank the customer fills in by hand on the agreement
        name=record.name or ("＿" * 6 if kind == "agreement" else "客户"),
        id_masked=masking.resident_id(record.id_no),
        line_fen=record.line * 100,
        annual_rate=rate_text(record.annual_rate_bp),
        valid_from=approved_on,
        valid_until=record.valid_until,
        # as recorded at submission, never recomputed for paper; incomes and debts masked on paper too
        reasons=tuple(masking.amounts(reason) for reason in applied_factors(record)),
        app_url=settings.app_download_url,
        issue_date=today,
        verification_code=code_for(record, key),
        copy=copy,
    )


def issue(
    store: Store,
    settings: Settings,
    app_id: int,
    kind: str,
    *,
    operator: str,
    destination: str,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Issued:
    """Render the document and record the issue: the first is the original, later ones copies (副本),
    each with its audit row ('print' or 'reprint')."""
    record = store_apps.get_application(store, app_id)
    if record is None:
        raise DocumentRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")
    key = document_key(store, settings)
    moment = now or now_utc()
    copy_no = store_docs.issued_count(store, app_id, kind)
    for _attempt in range(5):
        data = document_data(record, kind, settings, settings.masking, key, copy=copy_no > 0, today=today)
        pdf = render(data)
        done = store_docs.record_issue(
            store,
            application_id=app_id,
            kind=kind,
            operator=operator,
            workstation=workstation(),
            destination=destination[:64],
            sha256=hashlib.sha256(pdf).hexdigest(),
            now=moment,
            expected_copy_no=copy_no,
        )
        if done is not None:
            log.info(
                "application %d: %s issued as %s to %s by %s",
                app_id,
                kind,
                copy_no or "original",
                destination,
                operator,
            )
            return Issued(kind, pdf, copy_no, data.verification_code)
        copy_no = store_docs.issued_count(store, app_id, kind)  # another desktop was first: a copy
    raise DocumentRefused("文书编号冲突，请重试", "could not number the copy; try again")


def write_pdf(pdf: bytes, out: Path) -> None:
    """Write atomically: a half-written PDF never takes the place of a good one."""
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(pdf)
    tmp.replace(out)


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    record: ApplicationRecord | None
    says: str  # what the genuine paper says, in a clerk's words (masked)


def verify(store: Store, settings: Settings, code: str, agreement_no: str) -> Verdict:
    """Is the paper in front of the clerk genuine? The code must match the agreement's current record."""
    record = store_apps.application_by_agreement(store, agreement_no.strip().upper())
    if record is None or record.valid_until is None:
        return Verdict(False, None, f"没有协议编号为 {agreement_no} 的预授信")
    key = document_key(store, settings)
    genuine = verification.matches(
        key,
        code,
        agreement_no.strip().upper(),
        record.line,
        record.annual_rate_bp,
        record.valid_until,
        record.id_no,
    )
    says = (
        f"{record.name or ''} {settings.masking.resident_id(record.id_no)}，额度 {record.line:,} 元，"
        f"年利率 {rate_text(record.annual_rate_bp)}%，有效期至 {record.valid_until}，当前状态 {record.status}"
    )
    return Verdict(genuine, record, says)


def preview(
    store: Store, settings: Settings, app_id: int, kinds: tuple[str, ...], today: dt.date
) -> list[tuple[str, bytes]]:
    """What printing now would produce (original or 副本), without recording anything."""
    record = store_apps.get_application(store, app_id)
    if record is None:
        raise DocumentRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")
    key = document_key(store, settings)
    out = []
    for kind in kinds:
        copy = store_docs.issued_count(store, app_id, kind) > 0
        data = document_data(record, kind, settings, settings.masking, key, copy=copy, today=today)
        out.append((KINDS[kind] + ("（副本）" if copy else ""), render(data)))
    return out
