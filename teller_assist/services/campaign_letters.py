"""Notification for the whole group of a campaign (issue 17, item 6): for every member holding a line this
campaign granted, the pre-credit agreement and the notification letter issued exactly as the counter
issues them (``services.documents.issue_all``: recorded, audited, the first the original and any later one
a 副本) and kept as the counter keeps them (``services.printing.save_copy``: the data folder's
``printed/app{N}-{kind}-{copy}.pdf``); merged print files in delivery order (``campaigns.delivery``) for
door-to-door delivery, optionally sent to a CUPS queue; the approval text queued in the SMS outbox for
members with a phone; and the members' signatures recorded one by one or from a list, through the
counter's own signing (``services.applications.sign``: targets struck, KPIs counting it).

A run is resumable: what an earlier run (stopped, cancelled, crashed) issued and kept is used as it is;
only what is not kept is issued, and a document issued before but not kept here comes out as a 副本. Merged
files already written from the same documents are not written again; files the printer took are not sent
again (``letters-state.json`` in the output folder).

Who may: head office, or an officer (teller, lobby manager, branch head) of the campaign's branch, as for
a campaign's surveys and submissions (``campaign_batches._may_work``); letters only while the campaign is
open; every refusal audited under the operator, every run audited as ``campaign_letters``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from teller_assist.campaigns.delivery import (
    DOCUMENT_CHOICES,
    DOCUMENTS,
    PrintFile,
    Recipient,
    print_files,
)
from teller_assist.documents.merge import MergeError, merge_files
from teller_assist.documents.render import DocumentData, render
from teller_assist.documents.templates import TemplateError
from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import mask_free_text
from teller_assist.identity.phone import InvalidPhone, parse_mobile
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.prequal.workflow import rate_text
from teller_assist.services import applications as apps
from teller_assist.services import audit, documents, printing
from teller_assist.services.campaign_batches import _may_work, _open
from teller_assist.services.campaigns import PURPOSE, CampaignRefused, _campaign, _current, _refused
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store import applications as store_apps
from teller_assist.store import campaigns as store_campaigns
from teller_assist.store.applications import ApplicationRecord
from teller_assist.store.audit import AuditEntry
from teller_assist.store.campaigns import CampaignRow, GrantedMember
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord

log = logging.getLogger(__name__)

KINDS = DOCUMENTS  # what each granted member receives, in this order
CHOICES = DOCUMENT_CHOICES  # or only one of them
GRANTED = ("approved", "signed")
STATE_FILE = "letters-state.json"

Progress = Callable[[str, int, int], None]  # (stage: "issue" | "merge" | "print", done, of)
Cancelled = Callable[[], bool]


class LettersCancelled(UserFacingError):
    """The run was cancelled between two members: what was issued is kept; run it again to go on."""

    exit_code = 130

    def __init__(self, done: int, of: int) -> None:
        super().__init__(
            f"已取消：{of} 人中已完成 {done} 人，已出具的文书均已保存",
            f"cancelled: {done} of {of} people done; every document issued is kept",
            hint_zh="再次运行同一命令即从中断处继续（已出具的不重复出具）",
            hint_en="run the same command again to go on where it stopped",
        )
        self.done, self.of = done, of


@dataclass
class LettersRun:
    campaign: str
    people: int
    kinds: tuple[str, ...] = DOCUMENTS  # the documents this run issued each person
    originals: int = 0  # documents issued as originals in this run
    copies: int = 0  # documents issued again (副本) in this run: issued before, not kept here
    kept_before: int = 0  # documents an earlier run issued and kept, used as they are
    files: list[Path] = field(default_factory=list)  # the merged print files, in delivery order
    printed: dict[str, str] = field(default_factory=dict)  # print file -> CUPS job, over every run
    texts: int = 0  # SMS texts queued in this run
    rendered_ahead: int = 0  # documents rendered by worker processes
    problem: UserFacingError | None = None  # what kept paper from coming out (everything kept)
    # whose text (first) or paper (then, in delivery order) was refused, each with the reason
    refused: list[LetterRefused] = field(default_factory=list)


@dataclass(frozen=True)
class LetterRefused:
    """A member whose paper (``paper``) or whose approval text (not ``paper``: the documents came out)
    was refused, in a clerk's words: left out of the print files when it is the paper; the run goes on
    to the others and a later run tries them again."""

    application_id: int
    id_masked: str
    name: str
    line_no: int
    reason_zh: str
    reason_en: str
    paper: bool = True


class _RenderRefused(documents.DocumentRefused):
    """The renderer could not set a member's document (a character no font has, a field too long for the
    page, ...): that member's paper is refused, the others' goes on."""

    def __init__(self, kind: str, exc: BaseException) -> None:
        what = documents.KINDS.get(kind, kind)
        super().__init__(
            f"{what}无法生成，请核对该成员的姓名等信息后重新出具",
            f"the {kind} could not be set on paper; check the member's name and details, then run again",
        )
        log.warning("a %s could not be rendered: %s", kind, type(exc).__name__)


def _refuse_officer(store: Store, op: OperatorRecord, action: str, campaign: CampaignRow) -> CampaignRefused:
    what = {"letters": "出具通知书", "sign": "登记签约"}[action]
    return _refused(
        store,
        op,
        action,
        campaign.code,
        CampaignRefused(
            f"只有总行管理员或网点 {campaign.branch_code} 的员工可以为该活动{what}",
            f"only head office or the staff of branch {campaign.branch_code} may {action} for this campaign",
            hint_zh="请由本网点员工登录后操作",
            hint_en="sign in as one of the branch's staff",
        ),
        "not head office or an officer of the owning branch",
    )


def _kept(folder: Path) -> dict[tuple[int, str], list[int]]:
    """The documents kept in the data folder: (application, kind) -> the copy numbers kept."""
    out: dict[tuple[int, str], list[int]] = {}
    try:
        names = [e.name for e in os.scandir(folder)]
    except FileNotFoundError:
        return out
    for name in names:
        if not (name.startswith("app") and name.endswith(".pdf")):
            continue
        parts = name[3:-4].split("-")
        if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit():
            out.setdefault((int(parts[0]), parts[1]), []).append(int(parts[2]))
    return out


def _path(folder: Path, app_id: int, kind: str, copy_no: int) -> Path:
    return folder / f"app{app_id}-{kind}-{copy_no}.pdf"


def _read_state(out: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
        return {"merged": dict(data.get("merged", {})), "printed": dict(data.get("printed", {}))}
    except (OSError, ValueError, AttributeError):
        return {"merged": {}, "printed": {}}


def _write_state(out: Path, state: dict[str, dict[str, str]]) -> None:
    documents.write_pdf(json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"), out / STATE_FILE)


def _texts(
    ctx: Context, people: Sequence[GrantedMember], records: dict[int, ApplicationRecord]
) -> tuple[list[tuple[int, str, str]], list[GrantedMember]]:
    """The approval text for each member with a phone on the roster, as the approval writes it; and the
    members whose phone is not a mobile number a text can go to (a masked one, digits missing)."""
    from teller_assist.documents.sms import approval_text, load_sms_template

    template = load_sms_template()
    out = []
    bad = []
    for m in people:
        if not m.phone:
            continue
        try:
            phone = parse_mobile(m.phone)
        except InvalidPhone:
            bad.append(m)
            continue
        record = records.get(m.application_id)
        if record is None or record.valid_until is None:
            continue
        text = approval_text(
            template,
            bank_short_name=ctx.settings.bank_short_name,
            line_fen=record.line_fen,
            annual_rate=rate_text(record.annual_rate_bp),
            valid_until=record.valid_until,
        )
        out.append((m.application_id, phone, text))
    return out, bad


AHEAD_FROM = 20  # people to issue before worker processes pay for their start
GROUP = 25  # people whose documents are recorded in one transaction (each document its own audit row)
WINDOW = 6  # people rendered ahead per worker: the pool kept busy, the PDFs waiting in memory few


def _quiet() -> None:
    """A render worker leaves Ctrl-C to the run, which stops between two members and closes the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Ahead:
    """The renderer handed to ``documents.issue_all``: a document rendered ahead in a worker process
    when it is the one asked for (same application, copy mark, day: the same ``DocumentData``), else
    rendered here (a copy number another desktop took meanwhile, say)."""

    def __init__(
        self,
        records: dict[int, ApplicationRecord],
        settings: Settings,
        today: dt.date,
        workers: int,
        issued: dict[int, dict[str, int]],
        key: bytes,
    ) -> None:
        self.records, self.settings, self.today, self.issued = records, settings, today, issued
        self.pool: ProcessPoolExecutor | None = None
        if workers > 0:
            self.pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_quiet)
        self.window = WINDOW * max(workers, 1)
        self.futures: dict[DocumentData, Future[bytes]] = {}
        self.next = 0
        self.hits = 0
        self.key = key

    def up_to(self, plan: Sequence[tuple[int, dict[str, Path], tuple[str, ...]]], at: int) -> None:
        if self.pool is None:
            return
        self.next = max(self.next, at)
        while self.next < min(len(plan), at + self.window):
            app_id, _mine, missing = plan[self.next]
            self.next += 1
            if not missing:
                continue
            record = self.records.get(app_id)
            if record is None:
                continue
            for kind in missing:
                try:
                    data = documents.document_data(
                        record, kind, self.settings, self.settings.masking, self.key,
                        copy=self.issued.get(app_id, {}).get(kind, 0) > 0, today=self.today, full_id=True,
                    )  # fmt: skip
                except UserFacingError:
                    continue  # refused again, in its place, by the issue itself
                self.futures[data] = self.pool.submit(render, data)

    def __call__(self, data: DocumentData) -> bytes:
        future = self.futures.pop(data, None)
        try:
            if future is None:
                return render(data)
            self.hits += 1
            return future.result()
        except UserFacingError:
            raise
        except Exception as exc:  # the renderer refused this document: this member's paper is refused
            raise _RenderRefused(data.kind, exc) from exc

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.futures.clear()


def issue_letters(
    ctx: Context,
    operator: OperatorRecord | None,
    code: str,
    out: Path,
    *,
    printer: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
    kinds: Sequence[str] = KINDS,
) -> LettersRun:
    """Issue, keep, merge (and print with ``printer``) the agreement and the letter of every member the
    campaign granted a line, in delivery order; queue their SMS texts. Cancelled between two members:
    raises ``LettersCancelled`` (audited), everything issued so far kept. ``workers`` processes render
    the coming members' documents while this one records and keeps each in order (default: one per
    core, up to 4, when there are at least ``AHEAD_FROM`` people to issue; 0: all rendered here).
    ``kinds``: the documents to issue (``CHOICES``), each person's in the order of ``KINDS``."""
    store, settings = ctx.store, ctx.settings
    chosen = tuple(k for k in KINDS if k in kinds)
    if not chosen or any(k not in KINDS for k in kinds):
        raise UserFacingError(
            "只能出具协议、告知函或两者", "only agreements, letters or both can be issued for a campaign"
        )
    moment = ctx.now()  # every document of the run dated and stamped from this one reading
    today, stamped = ctx.day_of(moment), ctx.at(moment)
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_work(op, campaign.branch_code):
        raise _refuse_officer(store, op, "letters", campaign)
    _open(store, op, "letters", campaign)
    key = documents.document_key(ctx)  # a desktop without the bank's key is refused before anything
    granted = store_campaigns.granted_here(store, campaign.id, GRANTED)
    run = LettersRun(campaign.code, len(granted), chosen)
    detail: dict[str, object] = {}

    def finish(cancel: bool) -> None:
        detail.update(
            documents=list(chosen),
            people=run.people,
            originals=run.originals,
            copies=run.copies,
            kept_before=run.kept_before,
            files=len(run.files),
            printed=len(run.printed),
            texts=run.texts,
            printer=printer or None,
            cancelled=cancel,
            # by application, never an ID: whose paper or text was refused, and why
            refused=[
                {"application": r.application_id, "paper": r.paper, "reason": r.reason_en}
                for r in run.refused
            ],
        )
        audit.log(
            store,
            "campaign_letters",
            operator=op.login,
            subject=campaign.code,
            purpose=PURPOSE,
            detail=detail,
            now=ctx.now(),
        )

    mask = settings.masking
    people = {m.application_id: m for m in granted}
    records = store_apps.get_applications(store, list(people))  # read once, not per document
    texts, bad_phones = _texts(ctx, granted, records)
    run.refused += [
        LetterRefused(
            m.application_id, mask.resident_id(m.id_no), m.name, m.line_no,
            "名单上的手机号无效（如已打码或位数不对），未加入短信待发；通知书照常出具",
            "the phone on the roster is not a valid mobile (masked, or digits missing): no text queued; "
            "the letters are issued as usual",
            paper=False,
        )
        for m in bad_phones
    ]  # fmt: skip
    run.texts = store_campaigns.queue_texts(
        store,
        texts,
        moment,
        lambda n: AuditEntry(
            "campaign_sms", op.login, ctx.workstation, campaign.code, PURPOSE, {"queued": n}
        ),
    )
    folder = settings.paths.data_dir / "printed"
    kept = _kept(folder)
    issued = store_campaigns.issued_kinds(store, list(people))
    files = print_files(
        campaign.scenario,
        [Recipient(m.application_id, m.id_no, m.name, m.extras) for m in granted],
    )
    sources: dict[int, list[Path]] = {}
    plan: list[tuple[int, dict[str, Path], tuple[str, ...]]] = []  # in delivery order
    ends: dict[int, PrintFile] = {}  # the plan's index of each print file's last person -> the file
    for file in files:
        for r in file.people:
            app_id = r.application_id
            have = issued.get(app_id, {})
            mine: dict[str, Path] = {}
            for kind in chosen:
                copies = [n for n in kept.get((app_id, kind), []) if n < have.get(kind, 0)]
                if copies:
                    mine[kind] = _path(folder, app_id, kind, max(copies))
                    run.kept_before += 1
            plan.append((app_id, mine, tuple(k for k in chosen if k not in mine)))
        ends[len(plan) - 1] = file
    to_render = sum(1 for _a, _m, missing in plan if missing)
    count = (
        workers if workers is not None else (min(os.cpu_count() or 1, 4) if to_render >= AHEAD_FROM else 0)
    )
    ahead = _Ahead(records, settings, today, count, issued, key)
    merger = _Merger(out)
    destination = f"campaign {campaign.code}"
    waiting: list[tuple[int, dict[str, Path], list[documents.Rendered]]] = []  # rendered, not recorded

    def refuse(app_id: int, exc: UserFacingError) -> None:
        who = people[app_id]
        run.refused.append(
            LetterRefused(
                app_id, mask.resident_id(who.id_no), who.name, who.line_no,
                mask_free_text(exc.message_zh, mask), mask_free_text(exc.message_en, mask),
            )
        )  # fmt: skip

    def keep(doc: documents.Issued, app_id: int, mine: dict[str, Path]) -> None:
        mine[doc.kind] = printing.save_copy(doc.pdf, folder, f"app{app_id}-{doc.kind}-{doc.copy_no}")
        issued.setdefault(app_id, {})[doc.kind] = doc.copy_no + 1
        if doc.copy_no:
            run.copies += 1
        else:
            run.originals += 1

    def record_waiting() -> None:
        """Record the waiting people's documents in one transaction, then keep each: a crash between
        the two leaves them recorded and not kept, and the next run issues them again as 副本."""
        rendered = [d for _a, _m, ds in waiting for d in ds]
        recorded = iter(
            documents.record_rendered(
                stamped, rendered, operator=op.login, destination=destination, moment=moment
            )
        )
        for app_id, mine, ds in waiting:
            taken = []  # copy numbers another desktop took meanwhile: issued again, as the next copy
            for d in ds:
                doc = next(recorded)
                if doc is None:
                    taken.append(d.data.kind)
                else:
                    keep(doc, app_id, mine)
            if taken:

                def keep_here(doc: documents.Issued, a: int = app_id, m: dict[str, Path] = mine) -> None:
                    keep(doc, a, m)

                try:
                    documents.issue_all(
                        stamped, app_id, tuple(taken), operator=op.login, destination=destination,
                        each=keep_here, pdf_for=ahead,
                    )  # fmt: skip
                except (documents.DocumentKeyProblem, TemplateError):
                    raise
                except UserFacingError as exc:
                    refuse(app_id, exc)
                    continue
            sources[app_id] = [mine[k] for k in chosen]
        waiting.clear()

    try:
        for done, (app_id, mine, missing) in enumerate(plan):
            if cancelled is not None and cancelled():
                record_waiting()
                finish(True)
                raise LettersCancelled(done, run.people)
            ahead.up_to(plan, done)
            if not missing:
                sources[app_id] = [mine[k] for k in chosen]
            else:
                record, numbers = records[app_id], issued.get(app_id, {})
                try:
                    ds = [
                        documents.rendered(stamped, record, k, numbers.get(k, 0), key, today, ahead)
                        for k in missing
                    ]
                except (documents.DocumentKeyProblem, TemplateError):
                    raise  # the desktop's, not the member's: nobody's paper could come out
                except UserFacingError as exc:  # this member's paper: refused, the others go on
                    refuse(app_id, exc)
                else:
                    waiting.append((app_id, mine, ds))
            last_of = ends.get(done)
            if len(waiting) >= GROUP or last_of is not None:
                record_waiting()
            if last_of is not None and not any(r.paper for r in run.refused):
                # the file's people all issued and kept: merged now, while the workers render on
                merger.merge(last_of, sources)
            if progress is not None:
                progress("issue", done + 1, run.people)
        record_waiting()
    finally:
        ahead.close()
        run.rendered_ahead = ahead.hits
    if any(r.paper for r in run.refused):  # the print files leave out those whose paper was refused
        kept_people = [r for f in files for r in f.people if r.application_id in sources]
        files = print_files(campaign.scenario, kept_people)
    _files(run, files, sources, merger, printer, progress, cancelled, finish)
    finish(False)
    log.info("campaign %s: letters for %d people, %d files", campaign.code, run.people, len(run.files))
    return run


class _Merger:
    """The merged print files of an output folder, and which documents each was merged from
    (``letters-state.json``): a file is merged again only when its documents changed."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.state = _read_state(out)

    def merge(self, file: PrintFile, sources: dict[int, list[Path]]) -> Path:
        paths = [p for r in file.people for p in sources[r.application_id]]
        signature = hashlib.sha256("\n".join(p.name for p in paths).encode()).hexdigest()[:32]
        target = self.out / f"{file.stem}.pdf"
        if self.state["merged"].get(file.stem) == signature and target.exists():
            return target
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            merge_files(paths, target)
        except MergeError as exc:
            raise UserFacingError(
                f"无法合并打印文件 {target.name}：保存的文书已损坏（{exc}）",
                f"cannot merge {target.name}: a kept document is damaged ({exc})",
                hint_zh="请将损坏的文书移出数据目录的 printed 文件夹后重新运行（将重新出具为副本）",
                hint_en="move the damaged document out of the data folder's printed folder and run "
                "again (it is issued again, as a copy)",
            ) from None
        self.state["merged"][file.stem] = signature
        self.state["printed"].pop(file.stem, None)  # other documents now: this file was never sent
        _write_state(self.out, self.state)
        return target


def _files(
    run: LettersRun,
    files: Sequence[PrintFile],
    sources: dict[int, list[Path]],
    merger: _Merger,
    printer_name: str | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    finish: Callable[[bool], None],
) -> None:
    """Merge each print file (unless the same documents were merged before) and send it (unless the
    printer took it before)."""
    merger.out.mkdir(parents=True, exist_ok=True)
    state = merger.state
    queue: printing.PrinterState | None = None
    if printer_name:
        try:
            queue = printing.check_printer(printer_name)
        except printing.PrintError as exc:
            run.problem = exc
    for i, file in enumerate(files, 1):
        if cancelled is not None and cancelled():
            finish(True)
            raise LettersCancelled(run.people, run.people)
        target = merger.merge(file, sources)
        run.files.append(target)
        if progress is not None:
            progress("merge", i, len(files))
        if queue is not None and run.problem is None and file.stem not in state["printed"]:
            try:
                job = printing.submit(queue, target, f"{run.campaign} {file.stem}")
            except printing.PrintError as exc:
                run.problem = exc
                continue
            state["printed"][file.stem] = job
            _write_state(merger.out, state)
    run.printed = {stem: job for stem, job in state["printed"].items() if stem in {f.stem for f in files}}


# --- signatures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    """One person of a signing list: signed now, or why not (in a clerk's words)."""

    given: str  # as given, masked when it is an ID
    name: str | None
    application_id: int | None
    signed: bool
    reason_zh: str | None = None
    reason_en: str | None = None


def sign_members(
    ctx: Context, operator: OperatorRecord | None, code: str, raw_ids: Sequence[str]
) -> list[Signed]:
    """Record that each of the members (resident IDs) signed the agreement delivered to them: through
    the counter's own signing (``applications.sign``: refused until the agreement was issued, the
    documents' signatures and the strike of every target list in one transaction, its ``sign`` audit row).
    One person's refusal (not a member, nothing granted, already signed, lapsed) never stops the rest;
    the list ends with a ``campaign_sign`` audit row with the counts. A closed campaign still records
    signatures (a signature given is a fact); who may: as for the letters."""
    store, mask = ctx.store, ctx.settings.masking
    ctx = ctx.at(ctx.now())  # the clock read once: the IDs read, each signature and the list's row agree
    today = ctx.today()
    op = _current(store, operator)
    campaign = _campaign(store, code)
    if not _may_work(op, campaign.branch_code):
        raise _refuse_officer(store, op, "sign", campaign)
    actor = apps.Actor(op, ctx.workstation)
    out: list[Signed] = []
    seen: set[str] = set()
    for raw in raw_ids:
        given = raw.strip()
        try:
            id_no = parse_resident_id(given, today=today).value
        except InvalidResidentId as exc:
            out.append(
                Signed(
                    mask.resident_id(given),
                    None,
                    None,
                    False,
                    f"身份证号无效：{exc.rule.zh}",
                    f"invalid resident ID: {exc.rule.en}",
                )
            )
            continue
        shown = mask.resident_id(id_no)
        if id_no in seen:
            out.append(Signed(shown, None, None, False, "名单中重复", "listed twice"))
            continue
        seen.add(id_no)
        member = store_campaigns.member(store, campaign.id, id_no)
        if member is None or member.status == "removed":
            out.append(
                Signed(
                    shown,
                    None,
                    None,
                    False,
                    f"不是活动 {campaign.code} 的成员",
                    f"not a member of {campaign.code}",
                )
            )
            continue
        found = store_campaigns.application_of(store, campaign.id, id_no)
        if found is None or found[1] not in GRANTED:
            out.append(
                Signed(
                    shown,
                    member.name,
                    None if found is None else found[0],
                    False,
                    "本活动未给此人授信",
                    "this campaign granted them no line",
                )
            )
            continue
        if found[1] == "signed":
            out.append(Signed(shown, member.name, found[0], False, "已签约", "already signed"))
            continue
        try:
            apps.sign(ctx, found[0], actor)
        except UserFacingError as exc:
            out.append(Signed(shown, member.name, found[0], False, exc.message_zh, exc.message_en))
            continue
        out.append(Signed(shown, member.name, found[0], True))
    audit.log(
        store,
        "campaign_sign",
        operator=op.login,
        subject=campaign.code,
        purpose=PURPOSE,
        detail={
            "listed": len(raw_ids),
            "signed": sum(1 for s in out if s.signed),
            "refused": sum(1 for s in out if not s.signed),
        },
        now=ctx.now(),
    )
    return out
