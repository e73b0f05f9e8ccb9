"""``teller-assist lookup|prequal|id check``: the counter's questions on the command line: a resident ID
checked, the customer card (the lookup audited, a reveal of incomes audited as one), a pre-qualification.
People appear masked unless ``--reveal`` asks, and is audited."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from teller_assist.cli.common import EXIT_OK, EXIT_USAGE, day_of, opened, settings_of
from teller_assist.cli.dates import parse_date
from teller_assist.money import yuan_text


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    look = sub.add_parser("lookup", parents=[common], help="查询客户 the customer card for a resident ID")
    look.add_argument("id_no", metavar="ID")
    look.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    look.add_argument("--json", action="store_true")
    look.add_argument("--purpose", default="cli", help="查询目的（记入审计）the purpose, for the audit trail")
    look.add_argument(
        "--reveal", action="store_true", help="显示工资金额（记入审计）show the payroll figures (audited)"
    )

    pq = sub.add_parser("prequal", parents=[common], help="预授信测算 pre-qualify a resident ID")
    pq.add_argument("id_no", metavar="ID")
    pq.add_argument("--survey", type=Path, metavar="FILE", help="调查表JSON the survey as JSON")
    pq.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    pq.add_argument("--policy", type=Path, metavar="FILE", help="授信政策文件 a policy file")
    pq.add_argument("--json", action="store_true")
    pq.add_argument(
        "--reveal", action="store_true", help="显示收入与负债金额（记入审计）show incomes and debts (audited)"
    )

    ident = sub.add_parser("id", parents=[common], help="证件号校验 check an identity code")
    id_sub = ident.add_subparsers(dest="id_command", metavar="ACTION", required=True)
    check = id_sub.add_parser("check", parents=[common], help="校验身份证号 check a resident ID")
    check.add_argument("id_no", metavar="ID")
    check.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    check.add_argument("--json", action="store_true")


def cmd_id_check(args: argparse.Namespace) -> int:
    from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

    settings = settings_of(args)
    today = day_of(args)
    try:
        rid = parse_resident_id(args.id_no, today=today)
    except InvalidResidentId as exc:
        if args.json:
            print(
                json.dumps(
                    {"valid": False, "rule": exc.rule.name.lower(), "message": str(exc)}, ensure_ascii=False
                )
            )
        else:
            print(f"无效 invalid: {exc}", file=sys.stderr)
        return EXIT_USAGE
    region = rid.region
    out: dict[str, Any] = {
        "valid": True,
        "id_masked": settings.masking.resident_id(rid.value),
        "birth_date": rid.birth_date.isoformat(),
        "gender": rid.gender,
        "age": rid.age_on(today),
        "region_code": rid.region_code,
        "region": region.name,
        "region_historic": region.historic,
        "warnings": [w for w in (region.warning,) if w],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        gender = "男" if rid.gender == "M" else "女"
        print(
            f"有效 valid: {out['id_masked']} {gender} {out['birth_date']} {out['age']}岁 {region.name}"
            + ("（旧行政区划代码）" if region.historic else "")
        )
        for warning in out["warnings"]:
            print(f"提示 warning: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_lookup(args: argparse.Namespace) -> int:
    from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

    as_of = day_of(args)
    try:
        rid = parse_resident_id(args.id_no, today=as_of)
    except InvalidResidentId as exc:  # before any database work: one line, exit 2
        print(f"无效的身份证号 invalid resident ID: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from teller_assist.services import audit
    from teller_assist.services.lookup import card_to_json, lookup_audited

    audit.check_purpose(args.purpose)  # before the database: the audit row's column holds 64
    settings = settings_of(args)
    with opened(settings) as ctx:  # a payroll shown in full is an audited reveal, as in the window
        card = lookup_audited(
            ctx, rid, as_of=as_of, operator=audit.os_actor(), purpose=args.purpose, reveal=args.reveal
        )
    data = card_to_json(card, settings.masking, reveal_income=args.reveal)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(render_card(data))
    return EXIT_OK


def render_card(d: dict[str, Any]) -> str:
    from teller_assist.prequal.workflow import STATUS_ZH

    gender = "男" if d["gender"] == "M" else "女"
    who = d["name"] or ("（非本行客户）" if not d["seen"] else "（无客户信息）")
    lines = [
        f"{who}  {d['id_masked']}  {gender} {d['age']}岁  {d['region']}",
        f"手机 {d['phone_masked'] or '—'}  网点 {d['branch_code'] or '—'}  "
        f"{'本行客户' if d['customer'] else '尚非本行客户（可获基础授信）'}",
    ]
    p = d["payroll"]
    if p["months"]:
        regularity = {"regular": "规律", "irregular": "不规律"}.get(p["regularity"], "")
        lines.append(
            f"代发工资：近12个月{p['months']}个月，月均{p['average_monthly']}元，{p['employer']}"
            f"（{p['employer_kind']}），最近{p['last_pay_date']}，{regularity}"
        )
    else:
        lines.append("代发工资：无")
    w = d["withholding"]
    lines.append(
        f"代扣：有效协议{w['active_agreements']}个，近12个月成功{w['ok_debits']}次、失败{w['failed_debits']}次"
        f"{'，稳定户' if w['settled'] else ''}"
    )
    n = d["negative"]
    lines.append(f"负面清单：{'在列（' + str(n['category']) + '）' if n['listed'] else '不在列'}")
    if d["tags"]:
        lines.append(
            "标签："
            + "、".join(
                f"{t['tag']}{t['grade'] or ''}{'' if t['valid'] else '（已过期）'}" for t in d["tags"]
            )
        )
    for t in d["targets"]:
        lines.append(f"目标名单：{t['campaign']} 客户经理 {t['officer'] or '—'} 截止 {t['due_on'] or '—'}")
    for a in d["applications"][:1]:
        lines.append(
            f"{'预授信' if a['open'] else '上次申请'}：{STATUS_ZH[a['status']]} "
            f"{yuan_text(a['limit_fen'])}元 "
            f"年利率{a['annual_rate']}%"
            + (f" 有效期至{a['valid_until']}" if a["valid_until"] else "")
            + (f" 协议号{a['agreement_no']}" if a["agreement_no"] else "")
        )
    if d["stale"]:
        lines.append("提示：以下数据超过2天未更新：" + "、".join(d["stale"]))
    return "\n".join(lines)


def cmd_prequal(args: argparse.Namespace) -> int:
    from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id

    as_of = day_of(args)
    try:
        rid = parse_resident_id(args.id_no, today=as_of)
    except InvalidResidentId as exc:
        print(f"无效的身份证号 invalid resident ID: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from teller_assist.prequal.survey import load_survey
    from teller_assist.services import audit
    from teller_assist.services.prequal import active_policy, decision_to_json, prequalify_audited

    settings = settings_of(args)
    policy = active_policy(settings, args.policy)
    survey = load_survey(args.survey) if args.survey else None
    with opened(settings, policy) as ctx:
        card, decision = prequalify_audited(
            ctx,
            rid,
            survey=survey,
            as_of=as_of,
            operator=audit.os_actor(),
            reveal=args.reveal,
        )
    shown = None if args.reveal else settings.masking
    data = decision_to_json(decision, shown)
    if args.json:
        print(
            json.dumps(
                {"id_masked": settings.masking.resident_id(rid.value), **data}, ensure_ascii=False, indent=2
            )
        )
        return EXIT_OK
    print(
        f"{card.name or '（非本行客户）'} {settings.masking.resident_id(rid.value)}  政策 {policy.identity}"
    )
    if not decision.eligible:
        print("不可授信：" + "；".join(decision.reasons))
        return EXIT_OK
    print(
        f"可授信 {yuan_text(decision.grantable_fen)} 元，年利率 {decision.annual_rate}%，"
        f"有效期至 {decision.valid_until}"
    )
    if decision.potential_fen > decision.grantable_fen:
        print(f"完成调查最高可达 {yuan_text(decision.potential_fen)} 元")
    for f in decision.factors:
        mark = "✓" if f.applies else "·"
        print(f"  {mark} {f.evidence if shown is None else shown.amounts(f.evidence)}")
    if decision.missing:
        print("调查尚缺：" + "、".join(decision.missing))
    for problem in decision.problems.values():
        print("调查有误：" + problem)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "lookup": cmd_lookup,
    "prequal": cmd_prequal,
    "id": cmd_id_check,
}
