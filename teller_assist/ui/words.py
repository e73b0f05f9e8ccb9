"""The bank's vocabulary as the window shows it: statuses, stages, roles, data kinds, negative-list
reasons, tags and utilities. The domain keeps them in Chinese (``vocabulary.py`` and friends); they are
marked here for Qt's translation tools, and a test holds this list to every value the domain defines."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

WORDS = (
    QT_TRANSLATE_NOOP("Vocabulary", "待审批"),
    QT_TRANSLATE_NOOP("Vocabulary", "已批准"),
    QT_TRANSLATE_NOOP("Vocabulary", "已拒绝"),
    QT_TRANSLATE_NOOP("Vocabulary", "已撤销"),
    QT_TRANSLATE_NOOP("Vocabulary", "已签约"),
    QT_TRANSLATE_NOOP("Vocabulary", "已失效"),
    QT_TRANSLATE_NOOP("Vocabulary", "已批准，待签约"),
    QT_TRANSLATE_NOOP("Vocabulary", "已识别"),
    QT_TRANSLATE_NOOP("Vocabulary", "已调查"),
    QT_TRANSLATE_NOOP("Vocabulary", "已提交"),
    QT_TRANSLATE_NOOP("Vocabulary", "柜员"),
    QT_TRANSLATE_NOOP("Vocabulary", "大堂经理"),
    QT_TRANSLATE_NOOP("Vocabulary", "网点负责人"),
    QT_TRANSLATE_NOOP("Vocabulary", "总行管理员"),
    QT_TRANSLATE_NOOP("Vocabulary", "预授信协议"),
    QT_TRANSLATE_NOOP("Vocabulary", "授信告知函"),
    QT_TRANSLATE_NOOP("Vocabulary", "个人信用信息查询及个人信息处理授权书"),
    QT_TRANSLATE_NOOP("Vocabulary", "客户"),
    QT_TRANSLATE_NOOP("Vocabulary", "代发"),
    QT_TRANSLATE_NOOP("Vocabulary", "代扣协议"),
    QT_TRANSLATE_NOOP("Vocabulary", "代扣流水"),
    QT_TRANSLATE_NOOP("Vocabulary", "负面清单"),
    QT_TRANSLATE_NOOP("Vocabulary", "用信"),
    QT_TRANSLATE_NOOP("Vocabulary", "标签"),
    QT_TRANSLATE_NOOP("Vocabulary", "目标名单"),
    QT_TRANSLATE_NOOP("Vocabulary", "征信问题"),
    QT_TRANSLATE_NOOP("Vocabulary", "失信被执行人"),
    QT_TRANSLATE_NOOP("Vocabulary", "不良嗜好"),
    QT_TRANSLATE_NOOP("Vocabulary", "欺诈"),
    QT_TRANSLATE_NOOP("Vocabulary", "其他原因"),
    QT_TRANSLATE_NOOP("Vocabulary", "公务员"),
    QT_TRANSLATE_NOOP("Vocabulary", "党员"),
    QT_TRANSLATE_NOOP("Vocabulary", "退役军人"),
    QT_TRANSLATE_NOOP("Vocabulary", "道德模范"),
    QT_TRANSLATE_NOOP("Vocabulary", "诚信经营户"),
    QT_TRANSLATE_NOOP("Vocabulary", "家庭农场"),
    QT_TRANSLATE_NOOP("Vocabulary", "水费"),
    QT_TRANSLATE_NOOP("Vocabulary", "电费"),
    QT_TRANSLATE_NOOP("Vocabulary", "燃气费"),
    QT_TRANSLATE_NOOP("Vocabulary", "通讯费"),
    QT_TRANSLATE_NOOP("Vocabulary", "物业费"),
    QT_TRANSLATE_NOOP("Vocabulary", "有线电视"),
    QT_TRANSLATE_NOOP("Vocabulary", "调查"),
    QT_TRANSLATE_NOOP("Vocabulary", "提交审批"),
    QT_TRANSLATE_NOOP("Vocabulary", "送达告知函"),
    QT_TRANSLATE_NOOP("Vocabulary", "签约"),
    QT_TRANSLATE_NOOP("Vocabulary", "用信回访"),
    QT_TRANSLATE_NOOP("Vocabulary", "续授信"),
    QT_TRANSLATE_NOOP("Vocabulary", "已完成"),
    QT_TRANSLATE_NOOP("Vocabulary", "未联系上"),
    QT_TRANSLATE_NOOP("Vocabulary", "客户拒绝"),
    QT_TRANSLATE_NOOP("Vocabulary", "已预约"),
)


def word(zh: str) -> str:
    """A word of the domain's vocabulary in the interface's language (unknown words as they are)."""
    return QCoreApplication.translate("Vocabulary", zh)
