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


# --- The counter ----------------------------------------------------------------------------------
APPLICATION_STATUS_ZH = {
    "submitted": "待审批",
    "approved": "已批准，待签约",
    "signed": "已签约",
    "rejected": "已拒绝",
    "cancelled": "已撤销",
    "expired": "已失效",
}

APPLICATION_STATUS_EN = {
    "submitted": "awaiting approval",
    "approved": "approved",
    "rejected": "rejected",
    "cancelled": "cancelled",
    "signed": "signed",
    "expired": "expired",
}

EXTRACT_KIND_ZH = {
    "customers": "客户",
    "payroll": "代发",
    "utility_agreements": "代扣协议",
    "utility_debits": "代扣流水",
    "negative_list": "负面清单",
    "drawdowns": "用信",
    "group_tags": "标签",
    "targets": "目标名单",
}

WALKIN_STAGE_ZH = {
    "identified": "已识别",
    "surveyed": "已调查",
    "submitted": "已提交",
    "approved": "已批准",
    "signed": "已签约",
}


# --- The audit trail ------------------------------------------------------------------------------
AUDIT_ACTION_ZH = {
    "lookup": "查询客户",
    "reveal": "查看完整信息",
    "submit": "提交申请",
    "approve": "批准",
    "approve_refused": "批准被拒（无权或不符规则）",
    "reject": "拒绝",
    "reject_refused": "拒绝被拒（无权或不符规则）",
    "cancel": "撤销",
    "sign": "签约",
    "expire": "到期失效",
    "print": "打印",
    "reprint": "补打",
    "export": "导出",
    "import": "导入数据",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "lock": "锁屏",
    "unlock": "解锁",
    "user_add": "新增操作员",
    "user_disable": "停用操作员",
    "user_reset_password": "重置密码",
    "user_set_role": "修改角色",
    "password_change": "修改密码",
    "audit_anchor": "审计锚点",
    "document_key_export": "导出文书验证密钥",
    "document_key_import": "导入文书验证密钥",
    "demo_history": "生成演示历史数据",
    "roster_check": "核对客群名单",
    "campaign_create": "新建客群活动",
    "campaign_list": "查看客群活动列表",
    "campaign_view": "查看客群活动",
    "campaign_import": "导入客群名单",
    "campaign_till_import": "导入市场收银记录",
    "campaign_close": "结束客群活动",
    "campaign_survey": "登记客群调查",
    "campaign_entry": "打开客群走访录入表",
    "campaign_register": "社区现场登记",
    "campaign_submit": "批量提交申请（客群）",
    "campaign_batch_view": "查看审批批次",
    "campaign_batch_approve": "批量批准（客群）",
    "campaign_letters": "出具客群通知书",
    "campaign_sms": "客群短信入队",
    "campaign_sign": "登记客群签约",
    "campaign_refused": "客群活动操作被拒",
    "campaign_refused_export": "导出名单退回行",
    "target_region": "设置社保区域归属",
    "target_regions_view": "查看社保区域归属",
    "target_list_preview": "预览目标名单",
    "target_list_issue": "下发目标名单",
    "target_list_view": "查看目标名单进度",
    "target_list_refused": "目标名单操作被拒",
    "target_assign": "分配目标客户",
    "target_reassign": "移交目标客户",
    "target_strike": "目标客户销号",
    "tasks_view": "查看今日任务",
    "task_outcome": "登记任务结果",
    "task_outcome_refused": "登记任务结果被拒",
    "kpi_view": "查看考核数据",
    "kpi_people": "查看考核名单",
    "kpi_refresh": "更新考核汇总",
    "kpi_indicator": "设置考核指标",
}


# --- Group campaigns ------------------------------------------------------------------------------
EVALUATION_ZH = {"good": "好", "fair": "一般", "poor": "差"}

# only words that say one grade plainly: anything else is refused for the group to say which it meant
EVALUATION_WORDS = {"好": "good", "良好": "good", "一般": "fair", "差": "poor", "较差": "poor"}

SCENARIO_ZH = {
    "village": "整村",
    "enterprise": "整企",
    "association": "整会",
    "bureau": "整局",
    "community": "整社区",
    "market": "整市场",
}

CAMPAIGN_STATUS_ZH = {"open": "进行中", "closed": "已结束"}

GROUP_KIND_ZH = {
    "village": "村",
    "enterprise": "企业",
    "association": "协会/商会",
    "bureau": "机关单位",
    "community": "小区",
    "market": "市场",
}

MEMBER_STATUS_ZH = {
    "matched": "本行客户",
    "new_to_bank": "新客户",
    "refused": "未通过",
    "removed": "已移出名单",
}

CAMPAIGN_FIGURE_ZH = {
    "members": "成员",
    "matched": "本行客户",
    "eligible": "符合准入",
    "decided": "已审批",
    "surveyed": "已调查",
    "submitted": "已提交",
    "granted": "已授信",
    "notified": "已告知",
    "signed": "已签约",
    "used": "已用信",
}

# why a member was not submitted, in the order the rules are tried
GRANT_SKIP_ZH = {
    "refused": ("名单未通过（请更正名单）", "refused by the roster (correct the roster)"),
    "removed": ("已不在最新名单中", "no longer on the latest roster"),
    "holding": (
        "已持有或在审预授信（一人一个额度）",
        "already holds or awaits a pre-credit (one line a person)",
    ),
    "rejected": (
        "本活动的申请已被拒绝（情况变化请到柜面重新申请）",
        "rejected in this campaign (a new application goes through the counter)",
    ),
    "negative_list": ("在负面清单中", "on the negative list"),
    "ineligible": ("不符合准入条件", "not eligible"),
    "no_consent": (
        "尚未取得客户两项同意（征信查询、个人信息处理）",
        "the customer's two consents are not on record",
    ),
}

# what an approver is shown first; the HELD ones are left out of a one-step approval
GRANT_EXCEPTION_ZH = {
    "own": ("本人提交，不能审批", "submitted by the approver: they cannot approve it"),
    "over_authority": (
        "超出审批权限，待更高权限人员审批",
        "over the approver's authority: for a higher approver",
    ),
    "negative_list": ("提交后列入负面清单", "on the negative list since it was submitted"),
    "not_member": ("已不在活动名单中", "no longer a member of the campaign"),
    "survey_needed": ("按基础额度提交，完成调查可提高额度", "at the base line: a survey could raise it"),
}

ROSTER_IMPORT_STAGE_ZH = {
    "read": "读取文件",
    "check": "逐行核对",
    "match": "匹配本行客户",
    "decide": "测算额度",
    "store": "写入成员",
}


# --- Target lists and tasks -----------------------------------------------------------------------
TARGET_FILE_REASON_ZH = {
    "unreadable": "无法读取",
    "bad_id": "身份证号无效",
    "duplicate": "重复",
    "unknown": "本行无此客户",
    "name_differs": "姓名与本行记录不符",
    "negative": "在负面清单上",
    "holding": "已持有或在审额度",
    "age": "年龄不在政策范围内",
}

TARGET_FILE_REASON_EN = {
    "unreadable": "unreadable row",
    "bad_id": "invalid resident ID",
    "duplicate": "duplicate",
    "unknown": "not a customer of the bank",
    "name_differs": "the name differs from the bank's record",
    "negative": "on the negative list",
    "holding": "already holds or awaits a line",
    "age": "outside the policy's age band",
}

ASSIGN_MODE_ZH = {"village": "按村（组）", "address": "按住址"}

TASK_KIND_ZH = {
    "survey": "调查",
    "submit": "提交审批",
    "deliver_letter": "送达告知函",
    "get_signed": "签约",
    "follow_up_usage": "用信回访",
    "renew": "续授信",
}

TASK_OUTCOME_ZH = {
    "done": "已完成",
    "not_reached": "未联系上",
    "declined": "客户拒绝",
    "appointment": "已预约",
}

STRIKE_REASON_ZH = {"signed": "已签约", "ineligible": "不再符合条件", "declined": "客户明确拒绝"}


# --- The KPIs -------------------------------------------------------------------------------------
KPI_RECORD_KIND_ZH = {
    "customers": "客户",
    "negative_list": "负面清单",
    "drawdowns": "用信（放款）",
    "targets": "目标名单",
    "payroll": "代发工资",
    "group_tags": "标签",
    "utility_agreements": "代扣协议",
    "utility_debits": "代扣流水",
}

KPI_SCOPE_ZH = {
    "county": "全县",
    "branch": "网点",
    "officer": "客户经理",
    "campaign": "活动",
    "scenario": "场景",
}

KPI_CHILD_ZH = {"branch": "网点", "officer": "客户经理", "campaign": "活动"}
