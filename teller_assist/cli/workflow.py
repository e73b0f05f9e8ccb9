"""Command-line subcommands for applications, approvals and the audit trail (scripted and batch use).

Passwords come from a prompt or from one line on stdin (``--password-stdin``), never from the command
line. A refusal exits non-zero with its reason in one line.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from teller_assist.cli.common import opened, settings_of
from teller_assist.cli.table import table
from teller_assist.errors import UserFacingError
from teller_assist.prequal.workflow import Status
from teller_assist.settings import Settings

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REFUSED = 3  # a rule refused the action (maker = checker, authority, already decided, ...)
EXIT_TAMPERED = 4  # audit verify found a broken chain
EXIT_NOT_GENUINE = 5  # verify: the paper does not match the record

STATUSES = tuple(Status)  # the values `--status` takes


def parse_date(text: str) -> dt.date:
    """The command line's one date parser: YYYY-MM-DD or YYYYMMDD, a local date."""
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期格式应为 YYYY-MM-DD 或 YYYYMMDD：{text!r} (a date is YYYY-MM-DD or YYYYMMDD)"
        ) from None


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    def login_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--user", required=True, metavar="LOGIN", help="操作员登录名 the operator's login")
        p.add_argument(
            "--password-stdin", action="store_true", help="从标准输入读取密码 read the password from stdin"
        )
        p.add_argument("--json", action="store_true")

    apply = sub.add_parser("apply", parents=[common], help="提交预授信申请 submit an application")
    apply.add_argument("id_no", metavar="ID")
    apply.add_argument("--survey", type=Path, required=True, metavar="FILE", help="调查表JSON the survey")
    apply.add_argument("--name", help="客户姓名（非本行客户时）the name, for someone the bank has not seen")
    apply.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=argparse.SUPPRESS)
    login_options(apply)

    for verb, help_text in (
        ("approve", "批准申请 approve"),
        ("reject", "拒绝申请 reject"),
        ("sign", "签约 signed"),
    ):
        p = sub.add_parser(verb, parents=[common], help=help_text)
        p.add_argument("app_id", type=int, metavar="APP")
        if verb == "reject":
            p.add_argument("--reason", required=True, help="拒绝原因 the reason")
        p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=argparse.SUPPRESS)
        login_options(p)

    cancel = sub.add_parser("cancel", parents=[common], help="撤销申请 withdraw a submitted application")
    cancel.add_argument("app_id", type=int, metavar="APP")
    login_options(cancel)

    lst = sub.add_parser("applications", parents=[common], help="申请列表 list applications")
    lst.add_argument("--status", choices=STATUSES)
    lst.add_argument("--json", action="store_true")
    lst.add_argument(
        "--expire", action="store_true", help="先关闭已到期的额度 close lines past validity first"
    )

    doc = sub.add_parser(
        "document",
        parents=[common],
        help="出具协议、授权书或告知函 write the agreement, authorisation or letter",
    )
    doc.add_argument("kind", choices=("agreement", "authorization", "letter"))
    doc.add_argument("app_id", type=int, metavar="APP")
    doc.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")

    prn = sub.add_parser(
        "print",
        parents=[common],
        help="打印协议、授权书和告知函 print the agreement, authorisation and letter",
    )
    prn.add_argument("app_id", type=int, metavar="APP")
    prn.add_argument("--printer", metavar="NAME", help="打印机（默认：设置中的 printer）the CUPS queue")
    prn.add_argument(
        "--kind",
        choices=("agreement", "authorization", "letter", "all", "both"),
        default="all",
        help="默认全部 all by default (both: the former name of all)",
    )

    ver = sub.add_parser("verify", parents=[common], help="核对纸质文书真伪 check a printed document")
    ver.add_argument("code", metavar="CODE")
    ver.add_argument("agreement_no", metavar="AGREEMENT_NO")

    dk = sub.add_parser("document-key", parents=[common], help="文书验证密钥 the documents' verification key")
    dk_sub = dk.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    dk_exp = dk_sub.add_parser(
        "export", parents=[common], help="写入文件，供另一台电脑导入 write it to a file for another desktop"
    )
    dk_exp.add_argument("--out", type=Path, required=True, metavar="FILE")
    dk_imp = dk_sub.add_parser("import", parents=[common], help="从文件导入本机 keep the key in a file here")
    dk_imp.add_argument("file", type=Path, metavar="FILE")

    sms = sub.add_parser("sms", parents=[common], help="短信 the SMS outbox")
    sms_sub = sms.add_subparsers(dest="sms_command", metavar="ACTION", required=True)
    sms_exp = sms_sub.add_parser("export", parents=[common], help="导出待发短信 export queued texts (once)")
    sms_exp.add_argument("--out", type=Path, required=True, metavar="FILE.csv")

    aud = sub.add_parser("audit", parents=[common], help="审计记录 the audit trail")
    aud_sub = aud.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    averify = aud_sub.add_parser("verify", parents=[common], help="校验审计链 check the chain")
    averify.add_argument(
        "--anchors",
        type=Path,
        metavar="FILE",
        help="同时核对总行保存的锚点文件（发现重算与截断）also check head office's anchor file "
        "(finds a recomputed or truncated chain)",
    )
    anchor = aud_sub.add_parser(
        "anchor",
        parents=[common],
        help="把审计链头（序号与哈希）追加到总行保存的锚点文件 append the chain's head to head "
        "office's anchor file (mode 0600; at least daily)",
    )
    anchor.add_argument("--out", type=Path, required=True, metavar="FILE")
    exp = aud_sub.add_parser("export", parents=[common], help="导出审计记录 export rows as CSV")
    exp.add_argument("--from", dest="start", type=parse_date, metavar="DATE")
    exp.add_argument("--to", dest="end", type=parse_date, metavar="DATE")
    exp.add_argument("--out", type=Path, required=True, metavar="FILE.csv")


_settings, _opened = settings_of, opened  # the command line's one way of each


class PasswordReader:
    """Passwords from a prompt, or with ``--password-stdin`` from standard input, one line each in the
    order the command's help gives (the acting operator's first, then a new one). Never from the
    command line. At a prompt a new password is asked twice."""

    def __init__(self, from_stdin: bool, stream: TextIO | None = None) -> None:
        self.from_stdin = from_stdin
        self.stream = stream
        self.lines = 0

    def _line(self, what_zh: str, what_en: str) -> str:
        stream = self.stream or sys.stdin
        line = stream.readline()
        self.lines += 1
        if not line:
            raise UserFacingError(
                f"标准输入第{self.lines}行缺失：应为{what_zh}",
                f"standard input has no line {self.lines}: expected {what_en}",
                hint_zh="每个密码一行，顺序见 --help",
                hint_en="one password a line, in the order --help gives",
            )
        return line.rstrip("\r\n")

    def existing(self, what_zh: str, what_en: str) -> str:
        """A password someone has (asked once)."""
        if self.from_stdin:
            return self._line(what_zh, what_en)
        import getpass

        return getpass.getpass(f"{what_zh} {what_en}: ")

    def new(self, what_zh: str, what_en: str) -> str:
        """A password being chosen (asked twice at a prompt)."""
        if self.from_stdin:
            return self._line(what_zh, what_en)
        import getpass

        first = getpass.getpass(f"{what_zh} {what_en}: ")
        if getpass.getpass("再次输入 again: ") != first:
            raise UserFacingError("两次输入的密码不一致", "the passwords do not match")
        return first


def read_login_password(from_stdin: bool) -> str:
    return PasswordReader(from_stdin).existing("密码", "password")


def writable_output(path: Path) -> Path:
    """Refuse, before any work is done or audited, an output file the program could not write: a
    missing folder, a folder in place of the file, a place nobody may create files (``/proc``), a
    read-only file. One line, no traceback."""
    target = path.expanduser()
    refuse = _cannot_write(target)
    if target.is_dir():
        raise refuse("这是一个文件夹", "it is a folder")
    parent = target.parent
    if not parent.is_dir():
        raise refuse(f"文件夹 {parent} 不存在", f"the folder {parent} does not exist")
    try:  # the writers make a ".part" file beside the target, then rename it: try exactly that
        fd, probe = tempfile.mkstemp(prefix=".teller-assist-", suffix=".part", dir=parent)
    except OSError as exc:
        raise refuse(
            f"不能在 {parent} 中写文件（{exc.strerror}）", f"cannot create files in {parent} ({exc.strerror})"
        ) from None
    os.close(fd)
    os.unlink(probe)
    if target.exists() and (not target.is_file() or not os.access(target, os.W_OK)):
        raise refuse("该文件不可写", "the file is not writable")
    return target


def _cannot_write(target: Path) -> Callable[[str, str], UserFacingError]:
    def make(why_zh: str, why_en: str) -> UserFacingError:
        return UserFacingError(
            f"无法写入 {target}：{why_zh}",
            f"cannot write {target}: {why_en}",
            hint_zh="请换一个可写的位置",
            hint_en="choose a place you can write to",
        )

    return make


@contextlib.contextmanager
def writing(target: Path) -> Iterator[None]:
    """A file-system failure while writing ``target`` (disk full, removed folder) said in one line."""
    try:
        yield
    except OSError as exc:
        raise UserFacingError(
            f"无法写入 {target}：{exc.strerror or exc}",
            f"cannot write {target}: {exc.strerror or exc}",
            hint_zh="请检查磁盘空间和权限，或换一个位置",
            hint_en="check the disk space and permissions, or choose another place",
        ) from None


def _today(args: argparse.Namespace) -> dt.date:
    return getattr(args, "as_of", None) or dt.date.today()  # noqa: DTZ011 - the bank's local date


def _print_application(record: Any, settings: Settings, as_json: bool) -> None:
    from teller_assist.prequal.workflow import STATUS_ZH, rate_text
    from teller_assist.services.applications import application_to_json

    if as_json:
        data = application_to_json(record, settings.masking.resident_id(record.id_no))
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    parts = [
        f"申请 {record.id}",
        STATUS_ZH[record.status],
        settings.masking.resident_id(record.id_no),
        record.name or "",
        f"额度 {record.line:,} 元",
        f"年利率 {rate_text(record.annual_rate_bp)}%",
    ]
    if record.agreement_no:
        parts.append(f"协议号 {record.agreement_no}")
    if record.valid_until:
        parts.append(f"有效期至 {record.valid_until}")
    if record.reject_reason:
        parts.append(f"原因：{record.reject_reason}")
    print("  ".join(p for p in parts if p))


def cmd_workflow(args: argparse.Namespace) -> int:
    from teller_assist.services import applications as apps
    from teller_assist.services.applications import Actor, WorkflowRefused
    from teller_assist.services.operators import authenticate
    from teller_assist.services.prequal import active_policy

    settings = _settings(args)
    policy = active_policy(settings)
    survey = None
    if args.command == "apply":
        from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
        from teller_assist.prequal.survey import load_survey

        try:  # a bad ID fails before any password prompt
            parse_resident_id(args.id_no, today=_today(args))
        except InvalidResidentId as exc:
            print(f"无效的身份证号 invalid resident ID: {exc}", file=sys.stderr)
            return EXIT_USAGE
        survey = load_survey(args.survey)
    password = read_login_password(args.password_stdin)
    with _opened(settings) as store:
        actor = Actor.here(authenticate(store, args.user, password))
        try:
            if args.command == "apply":
                assert survey is not None
                record = apps.submit(
                    store, policy, args.id_no, survey, actor, today=_today(args), name=args.name
                )
            elif args.command == "approve":
                record = apps.approve(
                    store,
                    policy,
                    args.app_id,
                    actor,
                    today=_today(args),
                    sms_sender=settings.bank_short_name,
                )
            elif args.command == "reject":
                record = apps.reject(store, policy, args.app_id, actor, args.reason)
            elif args.command == "sign":
                record = apps.sign(store, args.app_id, actor, today=_today(args))
            else:
                record = apps.cancel(store, args.app_id, actor)
        except WorkflowRefused as exc:
            print(f"拒绝 refused: {exc.describe()}", file=sys.stderr)
            return EXIT_REFUSED
        _print_application(record, settings, args.json)
    return EXIT_OK


def cmd_applications(args: argparse.Namespace) -> int:
    from teller_assist.prequal.workflow import STATUS_ZH, rate_text
    from teller_assist.services import applications as apps

    settings = _settings(args)
    with _opened(settings) as store:
        if args.expire:
            closed = apps.expire_due(store, dt.date.today())  # noqa: DTZ011 - local date
            print(f"已关闭到期额度 {closed} 笔 closed {closed} past validity", file=sys.stderr)
        rows = apps.listing(store, status=args.status)
    if args.json:
        data = [apps.application_to_json(r, settings.masking.resident_id(r.id_no)) for r in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("没有申请 no applications")
    listed = [
        (
            str(r.id), STATUS_ZH[r.status], settings.masking.resident_id(r.id_no), r.name or "—", r.line,
            f"{rate_text(r.annual_rate_bp)}%", r.agreement_no or "",
            f"{r.submitted_at.astimezone():%Y-%m-%d %H:%M}", f"{r.maker_login}→{r.checker_login or '…'}",
        )
        for r in rows
    ]  # fmt: skip
    if listed:
        headers = (
            "申请 id",
            "状态",
            "身份证号 ID",
            "姓名 name",
            "额度(元)",
            "年利率",
            "协议号",
            "提交 at",
            "经办→审批",
        )
        print("\n".join(table(headers, listed, ">>><>>")))
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from teller_assist.services import audit

    settings = _settings(args)
    anchors = audit.read_anchors(args.anchors) if getattr(args, "anchors", None) else []
    if args.audit_command in ("export", "anchor"):
        writable_output(args.out)
    if args.audit_command == "export" and args.start and args.end and args.start > args.end:
        raise UserFacingError("起始日期晚于结束日期", "--from is after --to")
    with _opened(settings) as store:
        if args.audit_command == "verify":
            result = audit.verify(store, anchors)
            against = f"，与 {len(anchors)} 个锚点相符 matches {len(anchors)} anchors" if anchors else ""
            if result.ok:
                print(
                    f"审计链完整 the chain is intact: {result.rows} 条 rows, head {result.head_seq}{against}"
                )
                return EXIT_OK
            for f in result.findings:
                print(f"第 {f.seq} 条 row {f.seq}: {f.problem_zh} ({f.problem_en})")
            print(f"审计链已被破坏 the chain is broken: {len(result.findings)} 处 findings", file=sys.stderr)
            return EXIT_TAMPERED
        if args.audit_command == "anchor":
            with writing(args.out):
                made = audit.anchor(store, args.out, operator=audit.os_actor(), database=store.display)
            print(f"已记录锚点 anchored: 第 {made.seq} 条 row {made.seq}  {made.hash}  → {args.out}")
            return EXIT_OK
        with writing(args.out):
            count = audit.export_csv(
                store,
                args.out,
                start=args.start,
                end=args.end,
                masking=settings.masking,
                operator=audit.os_actor(),
            )
        print(f"已导出 {count} 条 exported {count} rows to {args.out}")
    return EXIT_OK


def cmd_document(args: argparse.Namespace) -> int:
    from teller_assist.services import audit
    from teller_assist.services.documents import issue, write_pdf

    settings = _settings(args)
    writable_output(args.out)  # before the issue is recorded: a failed write would spend the original
    with _opened(settings) as store:
        issued = issue(
            store,
            settings,
            args.app_id,
            args.kind,
            operator=audit.os_actor(),
            destination="file",
            today=_today(args),
        )
    with writing(args.out):
        write_pdf(issued.pdf, args.out)
    label = "副本 copy " + str(issued.copy_no) if issued.copy_no else "原件 original"
    print(f"已写出 wrote {args.out}（{label}，验证码 {issued.verification_code}）")
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    """Through the window's print pipeline (``services.printing.print_documents``): the printer checked,
    each document issued, kept in the data folder and sent; a refusal leaves the rest kept, not sent."""
    import functools

    from teller_assist.services import audit
    from teller_assist.services.documents import COUNTER_KINDS, KINDS, issue_all
    from teller_assist.services.printing import job_title, print_documents

    settings = _settings(args)
    name = args.printer or settings.printer
    kinds = COUNTER_KINDS if args.kind in ("all", "both") else (args.kind,)
    folder = settings.paths.data_dir / "printed"
    with _opened(settings) as store:
        run = print_documents(
            lambda ks, destination, each: issue_all(
                store, settings, args.app_id, ks, operator=audit.os_actor(), destination=destination,
                today=_today(args), each=each,
            ),
            kinds, name, folder, f"app{args.app_id}", functools.partial(job_title, args.app_id),
        )
    for document in run.documents:
        label = f"{KINDS[document.kind]}（{f'副本{document.copy_no}' if document.copy_no else '原件'}）"
        if document.job is not None:
            print(f"已送打印机 {run.destination}：{label} 任务 {document.job}")
        else:
            print(f"未打印 not printed：{label}已保存 saved: {document.saved}", file=sys.stderr)
    if run.problem is not None:
        print(f"未打印 not printed: {run.problem.describe()}", file=sys.stderr)
        return run.problem.exit_code
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from teller_assist.services.documents import verify

    settings = _settings(args)
    with _opened(settings) as store:
        verdict = verify(store, settings, args.code, args.agreement_no)
    if verdict.genuine:
        print(f"真实 genuine: {verdict.says}")
        return EXIT_OK
    print(f"不符 NOT genuine: 验证码与协议记录不符。记录应为：{verdict.says}")
    return EXIT_NOT_GENUINE


def cmd_document_key(args: argparse.Namespace) -> int:
    from teller_assist.services import audit
    from teller_assist.services.documents import export_key, import_key

    settings = _settings(args)
    if args.key_command == "export":
        writable_output(args.out)
    with _opened(settings) as store:
        if args.key_command == "export":
            mark = export_key(store, settings, args.out, operator=audit.os_actor())
            print(
                f"已写出 wrote {args.out}（指纹 fingerprint {mark}）。"
                "请只用于在本行另一台电脑上导入，导入后立即删除该文件 "
                "(import it on another desktop of the bank, then delete the file)"
            )
        else:
            mark = import_key(store, settings, args.file, operator=audit.os_actor())
            print(f"已导入 imported（指纹 fingerprint {mark}）。请删除文件 now delete {args.file}")
    return EXIT_OK


def cmd_sms(args: argparse.Namespace) -> int:
    from teller_assist.services import audit, sms

    settings = _settings(args)
    writable_output(args.out)
    with _opened(settings) as store, writing(args.out):
        count = sms.export(store, args.out, operator=audit.os_actor())
    if count:
        print(f"已导出 {count} 条短信 exported {count} texts → {args.out}")
    else:
        print("没有待发短信 nothing queued; no file written")
    return EXIT_OK


def cmd_db_set_password(args: argparse.Namespace) -> int:
    from teller_assist.services.database import set_db_password

    settings = _settings(args)
    if not settings.database_url:
        raise UserFacingError(
            "未设置 PostgreSQL 数据库地址",
            "no PostgreSQL database URL is set",
            hint_zh="用 --db 或设置 database_url",
        )
    set_db_password(settings.database_url, read_login_password(args.password_stdin))
    print("已保存到系统密钥环 saved in the OS keyring")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "apply": cmd_workflow,
    "approve": cmd_workflow,
    "reject": cmd_workflow,
    "sign": cmd_workflow,
    "cancel": cmd_workflow,
    "applications": cmd_applications,
    "audit": cmd_audit,
    "document": cmd_document,
    "verify": cmd_verify,
    "document-key": cmd_document_key,
    "print": cmd_print,
    "sms": cmd_sms,
}
