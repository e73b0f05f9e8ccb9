"""Words shown to staff and customers for the codes of the data contract, in one place."""

from __future__ import annotations

import enum

ROLES = ("teller", "lobby_manager", "branch_head", "hq_admin")
ROLE_ZH = {
    "teller": "柜员",
    "lobby_manager": "大堂经理",
    "branch_head": "网点负责人",
    "hq_admin": "总行管理员",
}
UTILITY_ZH = {
    "water": "水费",
    "electricity": "电费",
    "gas": "燃气费",
    "telecom": "通讯费",
    "property": "物业费",
    "tv": "有线电视",
}
NEGATIVE_ZH = {
    "credit_report": "征信问题",
    "court_defaulter": "失信被执行人",
    "bad_habit": "不良嗜好",
    "fraud": "欺诈",
    "other": "其他原因",
}
TAG_ZH = {
    "civil_servant": "公务员",
    "party_member": "党员",
    "veteran": "退役军人",
    "exemplary_resident": "道德模范",
    "integrity_business": "诚信经营户",
    "family_farm": "家庭农场",
}
CANDIDATE_ZH = {
    "base": "基础额度",
    "payroll": "代发工资",
    "civil_servant": "公务员保底",
    "public_institution": "事业单位保底",
    "family_farm": "家庭农场",
    "integrity_business": "诚信经营户",
    "survey": "调查申报",
    "till_sales": "收银流水",
}


class Bilingual(enum.Enum):
    """An enum whose value is ``(Chinese, English)``: the words staff read for it."""

    @property
    def zh(self) -> str:
        return str(self.value[0])

    @property
    def en(self) -> str:
        return str(self.value[1])


# A pre-credit application is "open" in these states: at most one per person (a database index holds it).
OPEN_APPLICATION_STATUSES = ("submitted", "approved", "signed")


# The core-banking extracts (docs/extracts.md), in load order: people first, agreements before their
# debits, the rest after. Kept here so the command line can name them without loading the importer.
EXTRACT_KINDS = (
    "customers",
    "negative_list",
    "group_tags",
    "payroll",
    "utility_agreements",
    "utility_debits",
    "drawdowns",
    "targets",
)
