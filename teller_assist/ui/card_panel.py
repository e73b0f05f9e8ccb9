"""The customer card in the side panel: laid out for a glance, signals as badges, numbers masked."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from teller_assist import vocabulary
from teller_assist.identity.masking import Masking
from teller_assist.money import format_yuan, yuan_text
from teller_assist.ui.i18n import pick
from teller_assist.ui.widgets import FlowLayout
from teller_assist.ui.words import word
from teller_assist.vocabulary import NEGATIVE_ZH, TAG_ZH, UTILITY_ZH

if TYPE_CHECKING:
    from teller_assist.lookup.card import CustomerCard

APPLICATION_ZH = vocabulary.APPLICATION_STATUS_ZH  # the words live in teller_assist.vocabulary

KIND_ZH = vocabulary.EXTRACT_KIND_ZH  # the words live in teller_assist.vocabulary
BADGE_STYLE = {
    "on": "background:#e3f4e8; color:#17642f; border:1px solid #7cc493;",
    "off": "background:#f1f1f1; color:#8a8a8a; border:1px solid #d6d6d6;",
    "alert": "background:#fde7e7; color:#a11212; border:1px solid #e08a8a; font-weight:bold;",
}


class _Unmasked:
    """Full values, for the seconds after an audited reveal."""

    def resident_id(self, value: str) -> str:
        return value

    def phone(self, value: str) -> str:
        return value

    def income(self, value: str) -> str:
        return value

    def amounts(self, text: str) -> str:
        return text


class Badge(QLabel):
    def __init__(self, text: str, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state = "off"
        self.set_state("off")

    def set_state(self, state: str) -> None:
        self.state = state
        self.setStyleSheet(f"QLabel {{ {BADGE_STYLE[state]} border-radius:8px; padding:2px 8px; }}")


class CardPanel(QFrame):
    revealRequested = Signal()  # the teller asks to see the full ID, phone and income (audited by the window)

    def __init__(self, masking: Masking, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerCard")
        self.masking = masking
        self.card: CustomerCard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.title = QLabel("", self)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.title)
        self.reveal_button = QPushButton(self.tr("显示完整信息（记录审计）"), self)
        self.reveal_button.setObjectName("revealButton")
        self.reveal_button.setFlat(True)
        self.reveal_button.clicked.connect(self.revealRequested)
        layout.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignLeft)
        badges = FlowLayout()  # wraps to a second row rather than widening the window (English)
        self.payroll_badge = Badge(self.tr("代发工资"), self)
        self.payroll_badge.setObjectName("badgePayroll")
        self.withholding_badge = Badge(self.tr("代扣"), self)
        self.withholding_badge.setObjectName("badgeWithholding")
        self.negative_badge = Badge(self.tr("负面清单"), self)
        self.negative_badge.setObjectName("badgeNegative")
        self.target_badge = Badge(self.tr("目标名单"), self)
        self.target_badge.setObjectName("badgeTarget")
        self.credit_badge = Badge(self.tr("预授信"), self)
        self.credit_badge.setObjectName("badgeCredit")
        for badge in self._badges():
            badges.addWidget(badge)
        layout.addLayout(badges)
        self.estimated_line = QLabel("", self)
        self.estimated_line.setObjectName("estimatedLine")
        self.estimated_line.setWordWrap(True)
        layout.addWidget(self.estimated_line)
        # the card's details: the window places them where they scroll with the survey, so no line is
        # ever cut at 768 pixels (the summary above stays in view)
        self.body = QWidget(parent)
        self.body.setObjectName("cardBody")
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QLabel("", self.body)
        self.details.setObjectName("cardDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body_layout.addWidget(self.details)
        self.clear()

    def set_headline(self, text: str, *, alert: bool = False) -> None:
        """The card's first answer: the line the person holds, or what is possible now (red: nothing)."""
        self.estimated_line.setText(text[:1].upper() + text[1:])  # a headline starts with a capital
        self.estimated_line.setStyleSheet("QLabel { color: #a11212; font-weight: bold; }" if alert else "")

    def clear(self) -> None:
        self.card = None
        self.title.setText("")
        self.details.setText("")
        self.estimated_line.setText("")
        for badge in self._badges():
            badge.set_state("off")
        self.revealed = False
        self.setVisible(False)
        self.body.setVisible(False)

    def _badges(self) -> tuple[Badge, ...]:
        return (
            self.payroll_badge,
            self.withholding_badge,
            self.negative_badge,
            self.target_badge,
            self.credit_badge,
        )

    def current_masking(self) -> Masking | _Unmasked:
        """How personal figures are shown right now: masked, or in full during an audited reveal."""
        return _Unmasked() if self.revealed else self.masking

    def show_card(self, card: CustomerCard, *, revealed: bool = False) -> None:
        """Show the card; ``revealed`` shows the full ID, phone and payroll average (only after an
        audited reveal)."""
        self.card = card
        self.revealed = revealed
        m = self.current_masking()
        self.reveal_button.setVisible(not revealed and card.seen)
        gender = self.tr("男") if card.gender == "M" else self.tr("女")
        if card.known:
            who = f"<span style='font-size:15pt; font-weight:bold'>{escape(card.name or '')}</span>"
        elif card.seen:
            who = "<b>" + self.tr("无客户资料") + "</b>"
        else:
            who = "<b>" + self.tr("尚非本行客户") + "</b> " + self.tr("（可获基础授信）")
        lines = [
            who,
            f"{m.resident_id(card.rid.value)} · {gender} · "
            + self.tr("{0}岁").format(card.age)
            + f" · {escape(card.region)}",
        ]
        if card.phone or card.branch_code:
            lines.append(
                self.tr("手机")
                + f" {m.phone(card.phone) if card.phone else '—'} · "
                + self.tr("网点")
                + f" {escape(card.branch_code or '—')}"
            )
        self.title.setText("<br>".join(lines))

        p, w = card.payroll, card.withholding
        self.payroll_badge.set_state("on" if p.months >= 6 else "off")
        self.withholding_badge.set_state("on" if w.settled else "off")
        self.negative_badge.set_state("alert" if card.negative_listed else "off")
        self.target_badge.set_state("on" if card.targets else "off")
        current = card.open_application
        self.credit_badge.set_state("on" if current is not None else "off")

        rows: list[str] = []
        if card.negative_listed:
            category = word(NEGATIVE_ZH.get(card.negative_category or "", card.negative_category or ""))
            rows.append(
                "<p style='color:#a11212'><b>" + self.tr("负面清单在列") + f"</b>：{escape(category)}</p>"
            )
        if p.months:
            kind = pick(p.employer_kind.zh, p.employer_kind.en) if p.employer_kind else ""
            rows.append(
                "<p><b>"
                + self.tr("代发工资")
                + "</b>" + self.tr("：")
                + self.tr("近12个月{n}个月，月均{avg}元").format(
                    n=p.months, avg=m.income(format_yuan(p.average_monthly_fen))
                )
                + f"<br>{escape(p.employer or '')}"
                + (self.tr("（{0}）").format(kind) if kind else "")
                + "<br>"
                + self.tr("最近发放 {d}").format(d=p.last_pay_date.isoformat() if p.last_pay_date else "—")
                + (" · " + self.tr("规律") if p.regularity == "regular" else " · " + self.tr("不规律"))
                + "</p>"
            )
        else:
            rows.append("<p><b>" + self.tr("代发工资") + "</b>" + self.tr("：") + self.tr("无") + "</p>")
        if w.active_agreements or w.ok_debits or w.failed_debits:
            utilities = self.tr("、").join(
                f"{word(UTILITY_ZH.get(u, u))}{n if n > 1 else ''}" for u, n in sorted(w.by_utility.items())
            )
            rows.append(
                "<p><b>"
                + self.tr("代扣")
                + "</b>" + self.tr("：")
                + (utilities or self.tr("无有效协议"))
                + "<br>"
                + self.tr("近12个月成功{ok}次，失败{failed}次").format(ok=w.ok_debits, failed=w.failed_debits)
                + (" · " + self.tr("稳定户") if w.settled else "")
                + "</p>"
            )
        else:
            rows.append("<p><b>" + self.tr("代扣") + "</b>" + self.tr("：") + self.tr("无") + "</p>")
        shown = current or (card.applications[0] if card.applications else None)
        if shown is not None:
            rate = f"{shown.annual_rate_bp / 100:.2f}"
            rows.append(
                "<p><b>"
                + (self.tr("预授信") if current else self.tr("上次申请"))
                + "</b>" + self.tr("：")
                + word(APPLICATION_ZH.get(shown.status, shown.status))
                + f" {yuan_text(shown.line_fen)}"
                + self.tr("元")
                + " · "
                + self.tr("年利率")
                + f" {rate}%"
                + (
                    " · " + self.tr("有效期至") + " " + shown.valid_until.isoformat()
                    if shown.valid_until
                    else ""
                )
                + (" · " + escape(shown.agreement_no) if shown.agreement_no else "")
                + "</p>"
            )
        if card.tags:
            tags = self.tr("、").join(
                escape(word(TAG_ZH.get(t.tag, t.tag)) + (t.grade or ""))
                + ("" if t.valid else self.tr("（已过期）"))
                for t in card.tags
            )
            rows.append("<p><b>" + self.tr("标签") + "</b>" + self.tr("：") + tags + "</p>")
        for t in card.targets:
            rows.append(
                "<p><b>"
                + self.tr("目标名单")
                + "</b>" + self.tr("：")
                + escape(t.campaign)
                + (" · " + self.tr("客户经理") + " " + escape(t.officer) if t.officer else "")
                + (" · " + self.tr("截止") + " " + t.due_on.isoformat() if t.due_on else "")
                + "</p>"
            )
        stale = [word(KIND_ZH.get(f.kind, f.kind)) for f in card.freshness if f.stale]
        if stale:
            old = self.tr("、").join(stale)
            rows.append("<p style='color:#8a5a00'>" + self.tr("数据超过2天未更新：") + old + "</p>")
        self.details.setText("".join(rows))
        self.setVisible(True)
        self.body.setVisible(True)
