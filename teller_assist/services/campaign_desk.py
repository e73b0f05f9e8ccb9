"""The 客群活动 desk: what the window needs of group campaigns beyond the command line's calls.

Making, listing, showing, closing and loading rosters are :mod:`teller_assist.services.campaigns`'
(checked there against the operator's role and branch, and audited there). This module adds what a
window does with them:

- each listed campaign with its member count (the list the operator may see, as ``campaign list``);
- a campaign's members each with the person it is about (the whole ID, kept in memory for the key that
  opens the card at the counter; never shown — the line shows the masked one), read twice and matched
  line by line, so a roster loaded meanwhile never puts a person on another's line;
- a roster's refused rows as a face shows them (every number in the ID masked) and, on request, as the
  workbook ``--refused-out`` writes, audited as an export;
- the batch grant (:mod:`teller_assist.services.campaign_batches`): what a submission would take, for
  the confirmation, then the submission; an approver's batch, approved in one step, rejected one by
  one — each checked, refused and audited there exactly as on the command line;
- the group's notification (:mod:`teller_assist.services.campaign_letters`): the letters for every
  granted member into a folder (by default one under the data folder), resumable, with progress and
  cancel; signatures recorded from a list file of IDs, the refused ones masked;
- a market's till records (:func:`campaigns.import_till`) with their refused rows masked;
- a refusal of everything while the window is locked, audited under the operator.

Functions here read, compute and call the services, and may run on a worker thread; the window asks
whether it is locked on its own thread and passes the answer in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from teller_assist.campaigns.campaign import CampaignSpec
from teller_assist.campaigns.grant import SubmissionPlan
from teller_assist.campaigns.roster import Refusal
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking, mask_free_text, mask_refused_row
from teller_assist.services import audit
from teller_assist.services import campaign_batches as batches
from teller_assist.services import campaigns as service
from teller_assist.services.campaign_batches import BatchApproval, BatchView, Submission
from teller_assist.services.campaign_letters import Cancelled, LettersRun, Progress, Signed
from teller_assist.services.campaigns import CampaignRow, CampaignShow, MemberLine, RosterImport, TillImport
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store import operators as store_ops
from teller_assist.store.applications import ApplicationRecord
from teller_assist.store.operators import OperatorRecord

__all__ = [
    "CHANGED",
    "LOCKED",
    "CampaignDetail",
    "CampaignLine",
    "DeskMember",
    "DeskRefused",
    "Imported",
    "RefusedLine",
    "SignedLine",
    "TillDone",
    "approve",
    "batch",
    "close",
    "create",
    "detail",
    "export_refused",
    "import_file",
    "import_till",
    "letters",
    "letters_folder",
    "masked_refusals",
    "overview",
    "plan_submission",
    "read_id_list",
    "refuse_locked",
    "reject",
    "sign_from_list",
    "submit",
]

PURPOSE = service.PURPOSE


class DeskRefused(UserFacingError):
    """Something the desk does not do now: the window is locked, the members changed meanwhile."""

    exit_code = 3


LOCKED = DeskRefused(
    "屏幕已锁定，请先解锁", "the screen is locked", hint_zh="输入密码解锁", hint_en="unlock first"
)
CHANGED = DeskRefused(
    "活动成员刚有变化（名单正在导入？），请稍后重新打开",
    "the campaign's members changed meanwhile (a roster being loaded?); open it again",
)


def refuse_locked(
    ctx: Context, operator: OperatorRecord | None, action: str, code: str | None
) -> DeskRefused:
    """The lock's refusal of ``action``, audited under the operator who was refused (nobody's data in
    it); returned for the caller to raise or say."""
    if operator is not None:
        audit.log(
            ctx.store,
            "campaign_refused",
            operator=operator.login,
            subject=None if code is None else code[:64],
            purpose=PURPOSE,
            detail={"action": action, "reason": "screen locked", "role": operator.role},
            now=ctx.now(),
        )
    return LOCKED


# --- the list ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignLine:
    """One campaign as the list shows it: the service's row and its members (the removed not counted)."""

    campaign: CampaignRow
    members: int


def overview(
    ctx: Context, operator: OperatorRecord | None, *, status: str | None = None, locked: bool = False
) -> tuple[CampaignLine, ...]:
    """The campaigns the operator may see, as :func:`campaigns.list_campaigns` lists them (its role
    check, its order, its audit row), each with how many people are on it now."""
    if locked:
        raise refuse_locked(ctx, operator, "list", None)
    store = ctx.store
    rows = service.list_campaigns(ctx, operator, status=status)
    out = []
    for c in rows:
        counts = store_campaigns.status_counts(store, c.id)
        out.append(CampaignLine(c, sum(n for s, n in counts.items() if s != "removed")))
    return tuple(out)


# --- one campaign --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskMember:
    """One member as the service lists them (masked), and the person it is about (for the keys only)."""

    line: MemberLine
    id_no: str = field(repr=False)

    def __repr__(self) -> str:  # never the whole ID in a log
        return f"DeskMember({self.line.line_no}, {self.line.id_masked!r}, {self.line.status!r})"


@dataclass(frozen=True)
class CampaignDetail:
    shown: CampaignShow  # the service's counts (its member lines are in ``members``)
    members: tuple[DeskMember, ...]


def _same(stored: store_campaigns.StoredMember, line: MemberLine, masking: Masking) -> bool:
    return (
        stored.line_no == line.line_no
        and stored.name == line.name
        and stored.status == line.status
        and masking.resident_id(stored.id_no) == line.id_masked
    )


def detail(
    ctx: Context, operator: OperatorRecord | None, code: str, *, locked: bool = False
) -> CampaignDetail:
    """A campaign as :func:`campaigns.show_campaign` shows it with its members (its role check, its
    masking, its audit row), each member with the person it is about. The members are read again and
    matched line by line; a list that changed between the two readings is read once more, then refused
    rather than shown with a person on the wrong line."""
    if locked:
        raise refuse_locked(ctx, operator, "show", code)
    store, masking = ctx.store, ctx.settings.masking
    for _attempt in range(2):
        shown = service.show_campaign(ctx, operator, code, members=True)
        lines = shown.member_lines or ()
        stored = store_campaigns.members(store, shown.campaign.id)
        if len(stored) == len(lines) and all(
            _same(s, line, masking) for s, line in zip(stored, lines, strict=True)
        ):
            members = tuple(DeskMember(line, s.id_no) for s, line in zip(stored, lines, strict=True))
            return CampaignDetail(shown, members)
    raise CHANGED


# --- making and closing --------------------------------------------------------------------------------


def create(
    ctx: Context, operator: OperatorRecord | None, spec: CampaignSpec, *, locked: bool = False
) -> CampaignRow:
    """Make the campaign through :func:`campaigns.create_campaign` (who may is checked and audited
    there); refused first while the window is locked."""
    if locked:
        raise refuse_locked(ctx, operator, "create", spec.code)
    return service.create_campaign(ctx, operator, spec)


def close(ctx: Context, operator: OperatorRecord | None, code: str, *, locked: bool = False) -> CampaignRow:
    """Close the campaign through :func:`campaigns.close_campaign`; refused first while locked."""
    if locked:
        raise refuse_locked(ctx, operator, "close", code)
    return service.close_campaign(ctx, operator, code)


# --- rosters -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusedLine:
    """A refused roster row as a face shows it: the ID with every number in it masked, the reason's
    quoted numbers too."""

    line_no: int
    name: str
    id_masked: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Imported:
    done: RosterImport
    refused: tuple[RefusedLine, ...]
    operator: str  # who loaded it: only they export its refused rows
    held: tuple[RefusedLine, ...] = ()  # members kept, not removed: (the refused row's line, name, masked ID)

    @property
    def code(self) -> str:
        return self.done.campaign.code


def import_file(
    ctx: Context,
    operator: OperatorRecord | None,
    code: str,
    path: Path,
    *,
    locked: bool = False,
    progress: service.ImportProgress | None = None,
) -> Imported:
    """Load a roster through :func:`campaigns.import_roster` (who may is checked, the load done in one
    transaction and audited there), with the refused rows ready to show, masked; ``progress`` is told
    each stage as it goes."""
    if locked:
        raise refuse_locked(ctx, operator, "import", code)
    masking = ctx.settings.masking
    done = service.import_roster(ctx, operator, code, path, progress=progress)
    refused = tuple(
        RefusedLine(
            r.line_no,
            r.name,
            mask_refused_row(r.id_no, masking),
            mask_free_text(r.reason_zh, masking),
            mask_free_text(r.reason_en, masking),
        )
        for r in done.plan.refused
    )
    held = tuple(
        RefusedLine(
            h.line_no,
            h.name,
            masking.resident_id(h.id_no),
            f"第 {h.line_no} 行被拒，请更正后重新导入",
            f"line {h.line_no} was refused; correct it and load the roster again",
        )
        for h in done.held
    )
    assert operator is not None  # the service refused nobody signed in
    return Imported(done, refused, operator.login, held)


def export_refused(
    ctx: Context, operator: OperatorRecord | None, imported: Imported, out: Path, *, locked: bool = False
) -> int:
    """The refused rows of a roster this operator just loaded, as the workbook ``campaign import
    --refused-out`` writes (:func:`campaigns.write_refused`: masked, no formula, private, whole or not
    at all), audited as an export (``campaign_refused_export``: the campaign, the rows, the file's
    name). Only the operator who loaded it, still active; never while locked."""
    if locked:
        raise refuse_locked(ctx, operator, "export", imported.code)
    store, masking = ctx.store, ctx.settings.masking
    now = None if operator is None else store_ops.get_operator(store, operator.login)
    if now is None or not now.active or now.must_change_password or now.login != imported.operator:
        raise DeskRefused(
            "只有导入该名单的操作员可以导出其未通过的行",
            "only the operator who loaded the roster may export its refused rows",
            hint_zh="请重新导入名单后再导出",
        )
    try:
        written = service.write_refused(ctx, imported.done.plan.refused, out)
    except OSError as exc:
        raise UserFacingError(
            f"无法写入 {out.name}：{exc.strerror or exc}；未导出",
            f"cannot write {out.name}: {exc.strerror or exc}; nothing was exported",
            hint_zh="请检查磁盘空间和权限，或换一个位置",
            hint_en="check the disk space and permissions, or choose another place",
        ) from None
    try:
        audit.log(
            store,
            "campaign_refused_export",
            operator=now.login,
            subject=imported.code[:64],
            purpose=PURPOSE,
            detail={
                "rows": written,
                "file": mask_free_text(out.name, masking),
                "sha256": imported.done.sha256,
            },
            now=ctx.now(),
        )
    except BaseException:
        out.unlink(missing_ok=True)  # not audited: not exported
        raise
    return written


# --- batch grant ---------------------------------------------------------------------------------------


def plan_submission(
    ctx: Context, operator: OperatorRecord | None, code: str, *, locked: bool = False
) -> SubmissionPlan:
    """Who a submission would take now and at which line (nothing written), for the confirmation's count
    and total; refused as the submission is (who may, a closed campaign), and first while locked."""
    if locked:
        raise refuse_locked(ctx, operator, "submit", code)
    return batches.plan_campaign(ctx, operator, code)


def submit(ctx: Context, operator: OperatorRecord | None, code: str, *, locked: bool = False) -> Submission:
    """Submit the campaign's members in one batch through :func:`campaign_batches.submit_campaign`
    (base lines without a survey, more only with a completed one; one transaction, audited there)."""
    if locked:
        raise refuse_locked(ctx, operator, "submit", code)
    return batches.submit_campaign(ctx, operator, code)


def batch(
    ctx: Context,
    operator: OperatorRecord | None,
    batch_id: int,
    *,
    code: str | None = None,
    locked: bool = False,
) -> BatchView:
    """A batch as this operator sees it (:func:`campaign_batches.show_batch`: the count, the total, the
    bands, exceptions first, IDs masked; audited there)."""
    if locked:
        raise refuse_locked(ctx, operator, "batch_show", code)
    return batches.show_batch(ctx, operator, batch_id)


def approve(
    ctx: Context,
    operator: OperatorRecord | None,
    batch_id: int,
    *,
    sms_sender: str | None = None,
    code: str | None = None,
    locked: bool = False,
) -> BatchApproval:
    """Approve in one step what the approver's authority covers (:func:`campaign_batches.approve_batch`:
    never the maker, each row checked and audited, the database enforcing both)."""
    if locked:
        raise refuse_locked(ctx, operator, "batch_approve", code)
    return batches.approve_batch(ctx, operator, batch_id, sms_sender=sms_sender)


def reject(
    ctx: Context,
    operator: OperatorRecord | None,
    batch_id: int,
    application_id: int,
    reason: str,
    *,
    code: str | None = None,
    locked: bool = False,
) -> ApplicationRecord:
    """Reject one application of the batch with the reason the customer reads
    (:func:`campaign_batches.reject_in_batch`: a reason required, never by the maker, audited)."""
    if locked:
        raise refuse_locked(ctx, operator, "batch_reject", code)
    return batches.reject_in_batch(ctx, operator, batch_id, reason, application_id=application_id)


# --- notification for the whole group, signatures, till records -------------------------------------------


def letters_folder(settings: Settings, code: str) -> Path:
    """Where a campaign's merged print files go unless the operator says otherwise: a folder of its own
    under the data folder (the documents themselves are kept in ``printed/``, as the counter keeps them)."""
    safe = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in code).strip(". ") or "campaign"
    return settings.paths.data_dir / "campaign-letters" / safe


def letters(
    ctx: Context,
    operator: OperatorRecord | None,
    code: str,
    out: Path,
    *,
    printer: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    locked: bool = False,
    kinds: tuple[str, ...] = ("agreement", "letter"),
) -> LettersRun:
    """The agreement and the letter (``kinds``: or one of them) of every member the campaign granted a
    line, through
    :func:`campaign_letters.issue_letters` (who may, the issue, keeping, merging in delivery order, the
    printer, the SMS outbox, resuming and its audit rows are all there); refused first while locked.
    Cancelled between two members it raises ``LettersCancelled``: running it again goes on."""
    from teller_assist.services.campaign_letters import issue_letters

    if locked:
        raise refuse_locked(ctx, operator, "letters", code)
    return issue_letters(
        ctx, operator, code, out, printer=printer or None, progress=progress, cancelled=cancelled, kinds=kinds
    )


def read_id_list(path: Path) -> list[str]:
    """The resident IDs of a list file: one a line, or a CSV's first column (UTF-8 or GB18030); blank
    lines, comments and a header line (no digit in its first field) left out."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserFacingError(
            f"无法读取 {path.name}：{exc.strerror or exc}",
            f"cannot read {path.name}: {exc.strerror or exc}",
            hint_zh="请检查文件是否存在、是否有权限读取",
            hint_en="check that the file exists and may be read",
        ) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("gb18030", errors="replace")
    out = []
    for line in content.splitlines():
        first = line.replace("\t", ",").split(",")[0].strip().strip('"')
        if first and not first.startswith("#") and any(c.isdigit() for c in first):
            out.append(first)
    if not out:
        raise UserFacingError(
            f"{path.name} 中没有身份证号",
            f"{path.name} lists no resident ID",
            hint_zh="每行一个身份证号（或 CSV 的第一列）",
            hint_en="one resident ID a line (or a CSV's first column)",
        )
    return out


@dataclass(frozen=True)
class SignedLine:
    """One person of a signing list as a face shows it: the ID masked, the reason's numbers masked."""

    id_masked: str
    name: str
    application_id: int | None
    signed: bool
    reason_zh: str = ""
    reason_en: str = ""


def _shown(s: Signed, masking: Masking) -> SignedLine:
    return SignedLine(
        s.given,  # masked by the signing (an ID, or what a bad line held)
        s.name or "",
        s.application_id,
        s.signed,
        mask_free_text(s.reason_zh or "", masking),
        mask_free_text(s.reason_en or "", masking),
    )


def sign_from_list(
    ctx: Context, operator: OperatorRecord | None, code: str, path: Path, *, locked: bool = False
) -> tuple[SignedLine, ...]:
    """Record the signatures of the people a list file names (:func:`read_id_list`) through
    :func:`campaign_letters.sign_members` (who may, the counter's own signing, one person's refusal never
    stopping the rest, the audit rows); every line masked. Refused first while locked."""
    from teller_assist.services.campaign_letters import sign_members

    if locked:
        raise refuse_locked(ctx, operator, "sign", code)
    ids = read_id_list(path)
    done = sign_members(ctx, operator, code, ids)
    return tuple(_shown(s, ctx.settings.masking) for s in done)


def sign_one(
    ctx: Context, operator: OperatorRecord | None, code: str, id_no: str, *, locked: bool = False
) -> SignedLine:
    """Record one member's signature (``campaign sign --id``) through
    :func:`campaign_letters.sign_members`: the same checks, refusals and audit rows as a list of one;
    masked. Refused first while locked."""
    from teller_assist.services.campaign_letters import sign_members

    if locked:
        raise refuse_locked(ctx, operator, "sign", code)
    (done,) = sign_members(ctx, operator, code, [id_no])
    return _shown(done, ctx.settings.masking)


@dataclass(frozen=True)
class TillDone:
    done: TillImport
    refused: tuple[RefusedLine, ...]  # masked

    @property
    def code(self) -> str:
        return self.done.campaign.code


def import_till(
    ctx: Context, operator: OperatorRecord | None, code: str, path: Path, *, locked: bool = False
) -> TillDone:
    """Load a market's till records through :func:`campaigns.import_till` (a market campaign only, who
    may, one transaction, ``campaign_till_import`` audited there), the refused rows masked to be shown.
    Refused first while locked."""
    if locked:
        raise refuse_locked(ctx, operator, "import_till", code)
    done = service.import_till(ctx, operator, code, path)
    return TillDone(done, masked_refusals(done.refused, ctx.settings.masking))


def masked_refusals(
    refused: tuple[Refusal, ...] | list[Refusal], masking: Masking
) -> tuple[RefusedLine, ...]:
    """Refused rows as a face shows them: every number of the row as given masked, the reasons' too."""
    return tuple(
        RefusedLine(
            r.line_no,
            r.name,
            mask_refused_row(r.id_no, masking),
            mask_free_text(r.reason_zh, masking),
            mask_free_text(r.reason_en, masking),
        )
        for r in refused
    )
