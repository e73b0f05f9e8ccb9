"""``teller-assist document|print|verify``: an application's documents on the command line: written to a
file, printed through the window's print pipeline, and a paper checked against the record."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teller_assist.cli.common import EXIT_OK, day_of, opened, settings_of, writable_output, writing

EXIT_NOT_GENUINE = 5  # verify: the paper does not match the record


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
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


def cmd_document(args: argparse.Namespace) -> int:
    from teller_assist.services import audit
    from teller_assist.services.documents import issue, write_pdf

    settings = settings_of(args)
    writable_output(args.out)  # before the issue is recorded: a failed write would spend the original
    with opened(settings) as ctx:
        issued = issue(
            ctx.dated(day_of(args)), args.app_id, args.kind, operator=audit.os_actor(), destination="file"
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

    settings = settings_of(args)
    name = args.printer or settings.printer
    kinds = COUNTER_KINDS if args.kind in ("all", "both") else (args.kind,)
    folder = settings.paths.data_dir / "printed"
    with opened(settings) as ctx:
        run = print_documents(
            lambda ks, destination, each: issue_all(
                ctx.dated(day_of(args)),
                args.app_id,
                ks,
                operator=audit.os_actor(),
                destination=destination,
                each=each,
            ),
            kinds,
            name,
            folder,
            f"app{args.app_id}",
            functools.partial(job_title, args.app_id),
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

    settings = settings_of(args)
    with opened(settings) as ctx:
        verdict = verify(ctx, args.code, args.agreement_no)
    if verdict.genuine:
        print(f"真实 genuine: {verdict.says}")
        return EXIT_OK
    print(f"不符 NOT genuine: 验证码与协议记录不符。记录应为：{verdict.says}")
    return EXIT_NOT_GENUINE


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "document": cmd_document,
    "print": cmd_print,
    "verify": cmd_verify,
}
