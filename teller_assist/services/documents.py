"""The documents of an approved application — the agreement, the customer's authorisation for the
credit-report inquiry and personal-information processing, the letter: what they say, the verification
code, originals and copies (副本), and checking a paper a customer brings back."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from teller_assist.documents import verification
from teller_assist.documents.render import DocumentData, render
from teller_assist.documents.templates import KINDS as KINDS  # the documents' names, for the faces
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.money import yuan_text
from teller_assist.prequal.workflow import Status, rate_text
from teller_assist.security import keys
from teller_assist.services import audit
from teller_assist.services.applications import applied_factors
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store import applications as store_apps
from teller_assist.store import documents as store_docs
from teller_assist.store import fingerprints as store_fingerprints
from teller_assist.store.applications import ApplicationRecord
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store

log = logging.getLogger(__name__)
PRINTABLE = (Status.APPROVED, Status.SIGNED)
# What the counter prints for an approved application, in this order (the window's F8 and ``print``).
COUNTER_KINDS = ("agreement", "authorization", "letter")
# Documents the customer signs: each names its party, and F9 records the signature of each issued one.
NAMED = store_docs.SIGNED_KINDS


class DocumentRefused(UserFacingError):
    pass


@dataclass(frozen=True)
class Issued:
    kind: str
    pdf: bytes
    copy_no: int  # 0 = the original
    verification_code: str


DOCUMENT_KEY = "document-verification"  # its fingerprint's name in the database


class DocumentKeyProblem(UserFacingError):
    """This desktop cannot make or check verification codes that other desktops agree with."""


def _demo_file(store: Store, settings: Settings) -> Path | None:
    return settings.paths.data_dir / "DEMO-MODE-document.key" if store.demo_mode else None


def document_key(ctx: Context) -> bytes:
    """The documents' verification key, the same on every desktop of the bank. The first desktop to
    need one makes it and records its fingerprint; any other desktop must be given it (``teller-assist
    document-key export`` there, ``import`` here) and is refused, with what to do, until then. A desktop
    that made its own would print codes every other desktop calls forged."""
    store = ctx.store
    demo_file = _demo_file(store, ctx.settings)
    key = keys.document_key(demo_file)
    standing = store_fingerprints.recorded(store, DOCUMENT_KEY)
    if key is None:
        if standing is not None:
            raise DocumentKeyProblem(
                "本机没有文书验证密钥，无法出具或核对带验证码的文书",
                "this desktop has no document verification key, so it cannot print or check codes",
                hint_zh="请在已出具过文书的电脑上运行 teller-assist document-key export --out 文件，"
                "再在本机运行 teller-assist document-key import 文件，之后删除该文件",
                hint_en="run teller-assist document-key export --out FILE on a desktop that has printed "
                "documents, then teller-assist document-key import FILE here, and delete the file",
            )
        key = keys.new_document_key(demo_file)
    mine = keys.fingerprint(key)
    if standing is None:
        standing = store_fingerprints.record(store, DOCUMENT_KEY, mine, ctx.now())
    if standing != mine:
        raise DocumentKeyProblem(
            "本机的文书验证密钥与本行登记的不一致：用它出具的验证码在其他网点会被判为不符",
            "this desktop's document verification key differs from the bank's: its codes would fail "
            "everywhere else",
            hint_zh="请从已出具过文书的电脑导出密钥（teller-assist document-key export），"
            "在本机导入（teller-assist document-key import）",
            hint_en="export the key on a desktop that has printed documents and import it here",
        )
    return key


KEY_FILE_HEADER = "teller-assist document verification key v1"


def export_key(ctx: Context, out: Path, *, operator: str) -> str:
    """Write this desktop's key to ``out`` (mode 0600, refused if it exists) for another desktop to
    import; audited. Returns the key's fingerprint."""
    key = document_key(ctx)
    mine = keys.fingerprint(key)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UserFacingError(
            f"文件 {out} 已存在，未覆盖", f"{out} exists; not overwritten", hint_zh="请换一个文件名"
        ) from None
    except OSError as exc:
        raise UserFacingError(
            f"无法写入 {out}：{exc.strerror}", f"cannot write {out}: {exc.strerror}"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(f"{KEY_FILE_HEADER}\nfingerprint {mine}\n{key.decode('ascii')}\n")
        audit.log(
            ctx.store, "document_key_export", operator=operator, detail={"fingerprint": mine}, now=ctx.now()
        )
    except BaseException:  # no audit row, no key file
        out.unlink(missing_ok=True)
        raise
    return mine


def import_key(ctx: Context, source: Path, *, operator: str) -> str:
    """Keep the key in ``source`` (written by ``export_key``) as this desktop's, if it is the bank's
    (its fingerprint matches the one recorded); audited in the transaction that records it, the key
    kept in the keyring last before that commits. Returns its fingerprint."""
    bad = UserFacingError(
        f"{source} 不是文书验证密钥文件，或已损坏",
        f"{source} is not a document key file, or it is damaged",
        hint_zh="请用 teller-assist document-key export 重新导出",
        hint_en="export it again with teller-assist document-key export",
    )
    try:
        lines = source.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        raise bad from None
    if len(lines) != 3 or lines[0] != KEY_FILE_HEADER or not lines[1].startswith("fingerprint "):
        raise bad
    key = lines[2].strip().encode("ascii")
    theirs = keys.fingerprint(key)
    if not key or lines[1].removeprefix("fingerprint ") != theirs:
        raise bad
    not_the_banks = DocumentKeyProblem(
        "该密钥不是本行登记的文书验证密钥（可能来自另一个数据库）",
        "this is not the bank's document verification key (another database's, perhaps)",
        hint_zh="请从连接同一数据库、已出具过文书的电脑导出",
        hint_en="export it on a desktop using the same database that has printed documents",
    )
    store = ctx.store
    standing = store_fingerprints.recorded(store, DOCUMENT_KEY)
    if standing is not None and standing != theirs:
        raise not_the_banks
    adopted = store_fingerprints.adopt(
        store,
        DOCUMENT_KEY,
        theirs,
        ctx.now(),
        AuditEntry("document_key_import", operator, ctx.workstation, None, None, {"fingerprint": theirs}),
        lambda: keys.set_document_key(key, _demo_file(store, ctx.settings)),
    )
    if adopted != theirs:  # another desktop recorded a different key a moment ago
        raise not_the_banks
    return theirs


def code_for(record: ApplicationRecord, key: bytes) -> str:
    assert record.agreement_no is not None and record.valid_until is not None
    return verification.verification_code(
        key, record.agreement_no, record.line_fen, record.annual_rate_bp, record.valid_until, record.id_no
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
    full_id: bool = False,
) -> DocumentData:
    """What the document says. With ``full_id`` (paper being issued) the full resident ID is printed on
    the parts the bank keeps (``render.PARTS``); without it (a preview on screen, by default) it is left
    out altogether."""
    if kind not in KINDS:
        raise DocumentRefused(
            f"未知的文书类型 {kind}", f"unknown document kind {kind}", hint_en=", ".join(KINDS)
        )
    if record.status not in PRINTABLE or record.agreement_no is None or record.valid_until is None:
        raise DocumentRefused(
            f"申请 {record.id} 尚未批准（{record.status}），不能出具{KINDS[kind]}",
            f"application {record.id} is {record.status}; only approved or signed ones are printed",
        )
    name = (record.name or "").strip()
    if not name and kind in NAMED:
        raise DocumentRefused(
            f"申请 {record.id} 没有登记客户姓名，{KINDS[kind]}不能不写明当事人",
            f"application {record.id} has no customer name; the {kind} must name its party",
            hint_zh="新客户的姓名须在提交申请时登记（窗口中填写客户姓名，或 teller-assist apply --name）",
            hint_en="a new customer's name is recorded when the application is submitted "
            "(the window's name field, or teller-assist apply --name)",
        )
    approved_on = (record.decided_at or record.submitted_at).astimezone().date()
    return DocumentData(
        kind=kind,
        bank_name=settings.bank_name,
        branch_name=settings.branch_name or "本行营业网点",
        agreement_no=record.agreement_no,
        name=name or "客户",  # only the letter goes without: "尊敬的客户"
        id_masked=masking.resident_id(record.id_no),
        line_fen=record.line_fen,
        annual_rate=rate_text(record.annual_rate_bp),
        valid_from=approved_on,
        valid_until=record.valid_until,
        # as recorded at submission, never recomputed for paper; incomes, debts and every figure
        # computed from them masked on paper too (identity.masking.mask_personal_amounts)
        reasons=tuple(masking.amounts(reason) for reason in applied_factors(record)),
        app_url=settings.app_download_url,
        issue_date=today,
        verification_code=code_for(record, key),
        copy=copy,
        id_full=record.id_no if full_id else "",
    )


def issue(ctx: Context, app_id: int, kind: str, *, operator: str, destination: str) -> Issued:
    """Render the document and record the issue: the first is the original, later ones copies (副本),
    each with its audit row ('print' or 'reprint')."""
    return issue_all(ctx, app_id, (kind,), operator=operator, destination=destination)[0]


def issue_all(
    ctx: Context,
    app_id: int,
    kinds: tuple[str, ...],
    *,
    operator: str,
    destination: str,
    each: Callable[[Issued], None] | None = None,
    pdf_for: Callable[[DocumentData], bytes] = render,
) -> list[Issued]:
    """``issue`` for each of ``kinds`` in turn, the application and the key read once; each document is
    recorded (its own transaction and audit row) and handed to ``each`` before the next is rendered, so
    a failure later leaves the earlier ones issued and kept. ``pdf_for``: the renderer (a campaign's run
    hands over documents its worker processes rendered ahead). Dated and stamped from one reading of
    the context's clock."""
    store, settings = ctx.store, ctx.settings
    record = store_apps.get_application(store, app_id)
    if record is None:
        raise DocumentRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")
    key = document_key(ctx)
    moment = ctx.now()
    today = ctx.day_of(moment)
    done = []
    for kind in kinds:
        issued = _issue(
            store, settings, ctx.workstation, record, key, kind, operator, destination, today, moment, pdf_for
        )
        done.append(issued)
        if each is not None:
            each(issued)
    return done


def _issue(
    store: Store,
    settings: Settings,
    where: str,
    record: ApplicationRecord,
    key: bytes,
    kind: str,
    operator: str,
    destination: str,
    today: dt.date,
    moment: dt.datetime,
    pdf_for: Callable[[DocumentData], bytes] = render,
) -> Issued:
    app_id = record.id
    copy_no = store_docs.issued_count(store, app_id, kind)
    for _attempt in range(5):
        data = document_data(
            record, kind, settings, settings.masking, key, copy=copy_no > 0, today=today, full_id=True
        )
        pdf = pdf_for(data)
        done = store_docs.record_issue(
            store,
            application_id=app_id,
            kind=kind,
            operator=operator,
            workstation=where,
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


@dataclass(frozen=True)
class Rendered:
    """A document rendered for issue as copy ``copy_no`` (0 = the original) and not yet recorded."""

    record: ApplicationRecord
    data: DocumentData
    copy_no: int
    pdf: bytes


def rendered(
    ctx: Context,
    record: ApplicationRecord,
    kind: str,
    copy_no: int,
    key: bytes,
    today: dt.date,
    pdf_for: Callable[[DocumentData], bytes] = render,
) -> Rendered:
    """The document for issue as copy ``copy_no``, rendered (``pdf_for``) but not recorded: refused
    (``DocumentRefused``) when the application cannot have it."""
    settings = ctx.settings
    data = document_data(
        record, kind, settings, settings.masking, key, copy=copy_no > 0, today=today, full_id=True
    )
    return Rendered(record, data, copy_no, pdf_for(data))


def record_rendered(
    ctx: Context,
    documents: Sequence[Rendered],
    *,
    operator: str,
    destination: str,
    moment: dt.datetime,
) -> list[Issued | None]:
    """Record many rendered documents as issued in one transaction, each with its own audit row
    ('print' or 'reprint'), as ``issue`` records one (a campaign's letters record a few dozen people's
    at a time), in the order given. ``None`` for a document whose copy number another desktop took
    meanwhile: not recorded; issue it again (``issue_all``), as the next copy."""
    where, to = ctx.workstation, destination[:64]
    done = store_docs.record_issues(
        ctx.store,
        [
            store_docs.NewIssue(
                d.record.id, d.data.kind, d.copy_no, operator, where, to, hashlib.sha256(d.pdf).hexdigest()
            )
            for d in documents
        ],
        moment,
    )
    out: list[Issued | None] = []
    for d, recorded in zip(documents, done, strict=True):
        if not recorded:
            out.append(None)
            continue
        log.info(
            "application %d: %s issued as %s to %s by %s",
            d.record.id, d.data.kind, d.copy_no or "original", destination, operator,
        )  # fmt: skip
        out.append(Issued(d.data.kind, d.pdf, d.copy_no, d.data.verification_code))
    return out


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


def verify(ctx: Context, code: str, agreement_no: str) -> Verdict:
    """Is the paper in front of the clerk genuine? The code must match the agreement's current record."""
    record = store_apps.application_by_agreement(ctx.store, agreement_no.strip().upper())
    if record is None or record.valid_until is None:
        return Verdict(False, None, f"没有协议编号为 {agreement_no} 的预授信")
    key = document_key(ctx)
    genuine = verification.matches(
        key,
        code,
        agreement_no.strip().upper(),
        record.line_fen,
        record.annual_rate_bp,
        record.valid_until,
        record.id_no,
    )
    says = (
        f"{record.name or ''} {ctx.settings.masking.resident_id(record.id_no)}，"
        f"额度 {yuan_text(record.line_fen)} 元，"
        f"年利率 {rate_text(record.annual_rate_bp)}%，有效期至 {record.valid_until}，当前状态 {record.status}"
    )
    return Verdict(genuine, record, says)


def preview(ctx: Context, app_id: int, kinds: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """What printing now would produce (original or 副本, dated the context's day), without recording
    anything. On screen, so the resident ID is masked on every part, the bank's too; only the paper
    carries it in full."""
    return [(title, make()) for title, make in previews(ctx, app_id, kinds)]


def previews(ctx: Context, app_id: int, kinds: tuple[str, ...]) -> list[tuple[str, Callable[[], bytes]]]:
    """``preview``, each document rendered when it is asked for (the counter shows the first at once and
    renders the others when the teller turns to them). A refusal (not approved, no name) comes now."""
    store, settings, today = ctx.store, ctx.settings, ctx.today()
    record = store_apps.get_application(store, app_id)
    if record is None:
        raise DocumentRefused(f"没有编号为 {app_id} 的申请", f"no application {app_id}")
    key = document_key(ctx)
    out: list[tuple[str, Callable[[], bytes]]] = []
    for kind in kinds:
        copy = store_docs.issued_count(store, app_id, kind) > 0
        data = document_data(record, kind, settings, settings.masking, key, copy=copy, today=today)
        out.append((KINDS[kind] + ("（副本）" if copy else ""), functools.partial(render, data)))
    return out


def signatures(ctx: Context, app_id: int) -> dict[str, dt.datetime]:
    """Which documents of the application the customer signed, and when (recorded by F9 / ``sign``)."""
    return store_docs.signatures(ctx.store, app_id)
