"""The interface's languages, through Qt's own translation tools.

The source strings in the code are Chinese (the bank's working language). ``resources/i18n/*.ts`` hold
the translations (edit them with ``pyside6-linguist``); ``make`` compiles them with
``pyside6-lrelease`` into ``teller_assist/ui/i18n/*.qm``, which :func:`install` loads for the
``language`` setting. Words from elsewhere follow the same language where they carry it: an error's
English message (:func:`error_text`), a policy label's English (:func:`pick`). What is said to the
customer stays Chinese in either language: a decision's reasons and evidence, names, documents.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from teller_assist.errors import UserFacingError

QM_DIR = Path(__file__).with_name("i18n")
SOURCE_LANGUAGE = "zh_CN"

_current = SOURCE_LANGUAGE


class MissingTranslation(UserFacingError):
    pass


def qm_file(language: str) -> Path:
    return QM_DIR / f"teller_assist_{language}.qm"


def qt_translations() -> Path:
    """The folder of Qt's own translations (PySide6 ships them: qtbase_zh_CN.qm and the rest)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_qt_base(app: QCoreApplication, language: str) -> bool:
    """Qt's own words in ``language`` (Yes/No, Show Details, the file and print dialogs): its English is
    built in; for Chinese it loads ``qtbase_zh_CN`` with the few words it lacks, and dates and numbers in
    Qt's dialogs follow Chinese conventions. False when the file is missing (then English)."""
    for old in app.findChildren(QTranslator, "qtBaseTranslator") + app.findChildren(
        QTranslator, "qtBaseGaps"
    ):
        app.removeTranslator(old)
        old.deleteLater()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.China))
        return True
    translator = QTranslator(app)
    translator.setObjectName("qtBaseTranslator")
    if not translator.load(f"qtbase_{language}", str(qt_translations())):
        translator.deleteLater()
        return False
    app.installTranslator(translator)
    gaps = QTranslator(app)  # the words qtbase lacks (resources/i18n/qtbase_gaps_zh_CN.ts), asked first
    gaps.setObjectName("qtBaseGaps")
    if gaps.load(str(QM_DIR / f"qtbase_gaps_{language}.qm")):
        app.installTranslator(gaps)
    else:
        gaps.deleteLater()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return True


def install(app: QCoreApplication, language: str) -> QTranslator | None:
    """Load the interface's translation for ``language`` (nothing to load for the source, Chinese),
    and Qt's own for its stock buttons and dialogs."""
    global _current
    for old in app.findChildren(QTranslator, "tellerAssistTranslator"):
        app.removeTranslator(old)
        old.deleteLater()
    _current = SOURCE_LANGUAGE
    install_qt_base(app, language if language in (SOURCE_LANGUAGE, "en") else SOURCE_LANGUAGE)
    if language == SOURCE_LANGUAGE:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        return None
    path = qm_file(language)
    translator = QTranslator(app)
    translator.setObjectName("tellerAssistTranslator")
    if not translator.load(str(path)):
        raise MissingTranslation(
            f"界面语言 {language} 的翻译文件缺失或损坏：{path}",
            f"the translation for {language} is missing or damaged: {path}",
            hint_zh="请运行 make 生成翻译文件，或把 language 设为 zh_CN",
            hint_en="run make to build the translations, or set language = zh_CN",
        )
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    _current = language
    return translator


def current() -> str:
    return _current


def english() -> bool:
    return _current == "en"


def error_text(exc: UserFacingError, *, hint: bool = False) -> str:
    """The error in the interface's language (its English message when English and one exists)."""
    if english() and exc.message_en:
        text = exc.message_en
        extra = exc.hint_en
    else:
        text = exc.message_zh
        extra = exc.hint_zh
    return text + ("\n" + extra if hint and extra else "")


def pick(zh: str, en: str) -> str:
    """Of a text the data carries in both languages (policy labels, ID rules), the interface's one."""
    return en if english() and en else zh
