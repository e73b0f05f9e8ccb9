"""In the window: 操作员管理 for head-office administrators only (menu, refused while locked), through the
same service as the command line; and a login with a reset password that must be replaced first."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from teller_assist.services.operators import add_operator, authenticate, reset_password
from teller_assist.settings import Settings
from teller_assist.store import audit as store_audit
from teller_assist.store import operators as store_ops
from teller_assist.store.engine import Store
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.operators_dialog import OperatorsDialog
from teller_assist.ui.session import LoginDialog
from tests.helpers.context import context_of
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, admin_of, make_operator, wait_checked
from tests.ui.test_card_panel import window_with_data


def signed_in_admin(qtbot: QtBot, settings: Settings, tmp_path: Path) -> MainWindow:
    window = window_with_data(qtbot, settings, tmp_path)  # a teller is signed in
    assert window.store is not None
    window.sign_in(authenticate(window.ctx, admin_of(window.store).login, PASSWORD))
    return window


def test_the_menu_is_there_for_administrators_only(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None and window.operator is not None and window.operator.role == "teller"
    assert not window.admin_menu.menuAction().isVisible()
    assert window.open_operators_dialog() is None  # and not by its action either
    head = make_operator(window.store, "head1", "branch_head")
    window.sign_in(head)
    assert not window.admin_menu.menuAction().isVisible() and window.open_operators_dialog() is None
    window.sign_in(authenticate(window.ctx, admin_of(window.store).login, PASSWORD))
    assert window.admin_menu.menuAction().isVisible()
    window.operators_action.trigger()
    dialog = window.findChild(OperatorsDialog, "operatorsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_refused_while_locked_and_closed_when_the_window_locks(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = signed_in_admin(qtbot, settings, tmp_path)
    dialog = window.open_operators_dialog()
    assert dialog is not None
    window.lock()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert window.open_operators_dialog() is None
    dialog.new_login.setText("ghost")  # a dialog kept open by some means still refuses
    dialog.new_name.setText("g")
    dialog.new_password.setText("Ghost2026x")
    dialog.new_password2.setText("Ghost2026x")
    dialog.add()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    assert "锁定" in dialog.message.text()
    assert window.store is not None and store_ops.get_operator(window.store, "ghost") is None


def test_an_administrator_adds_resets_changes_the_role_and_disables(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = signed_in_admin(qtbot, settings, tmp_path)
    store = window.store
    assert store is not None and window.operator is not None
    dialog = window.open_operators_dialog()
    assert dialog is not None
    dialog.new_login.setText("li.si")
    dialog.new_name.setText("李四")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData("lobby_manager"))
    dialog.new_branch.setText("0101")
    dialog.new_password.setText("Counter2027")
    dialog.new_password2.setText("Counter2028")
    dialog.add()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    assert "不一致" in dialog.message.text() and store_ops.get_operator(store, "li.si") is None
    assert dialog.new_login.text() == "li.si"  # what was typed stays
    dialog.new_password.setText("Counter2027")
    dialog.new_password2.setText("Counter2027")
    dialog.add()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    added = store_ops.get_operator(store, "li.si")
    assert added is not None and added.role == "lobby_manager" and "li.si" in dialog.message.text()
    assert any(
        dialog.table.item(r, 0).text() == "li.si"  # type: ignore[union-attr]
        for r in range(dialog.table.rowCount())
    )

    dialog.select("li.si")
    dialog.reset_password.setText("OneTime2027")
    dialog.reset_password2.setText("OneTime2027")
    dialog.reset()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    reset = store_ops.get_operator(store, "li.si")
    assert reset is not None and reset.must_change_password and "一次性密码" in dialog.message.text()

    dialog.select("li.si")
    dialog.role_choice.setCurrentIndex(dialog.role_choice.findData("branch_head"))
    dialog.set_role()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    changed = store_ops.get_operator(store, "li.si")
    assert changed is not None and changed.role == "branch_head"

    dialog.select(window.operator.login)
    dialog.disable()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    assert "自己" in dialog.message.text()  # refused by the service, said in the dialog
    dialog.select("li.si")
    dialog.disable()
    wait_checked(qtbot, dialog)  # the change goes to the database on a worker thread
    gone = store_ops.get_operator(store, "li.si")
    assert gone is not None and not gone.active

    admin = window.operator.login
    rows = [r for r in store_audit.export_rows(store, None, None) if r.subject == "li.si"]
    assert [(r.action, r.operator) for r in rows if r.action.startswith("user_")] == [
        ("user_add", admin),
        ("user_reset_password", admin),
        ("user_set_role", admin),
        ("user_disable", admin),
    ]


def test_a_reset_password_must_be_replaced_at_the_login(qtbot: QtBot, sqlite_store: Store) -> None:
    admin = admin_of(sqlite_store)
    add_operator(context_of(sqlite_store), admin, login="sun", name="孙", role="teller", password=PASSWORD)
    reset_password(context_of(sqlite_store), admin, "sun", "OneTime2027")
    dialog = LoginDialog(context_of(sqlite_store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.login.setText("sun")
    dialog.password.setText("OneTime2027")
    dialog.button.click()
    wait_checked(qtbot, dialog)
    assert dialog.operator is None and dialog.changing_password  # not signed in yet
    assert dialog.change_box.isVisible() and "重置" in dialog.error.text()
    assert dialog.result() != LoginDialog.DialogCode.Accepted
    dialog.new_password.setText("Mine2028x")
    dialog.new_password2.setText("Mine2028y")
    dialog.button.click()
    assert "不一致" in dialog.error.text() and dialog.operator is None
    dialog.new_password.setText("OneTime2027")
    dialog.new_password2.setText("OneTime2027")
    dialog.button.click()
    wait_checked(qtbot, dialog)
    assert "不能与当前密码相同" in dialog.error.text() and dialog.operator is None
    dialog.new_password.setText("Mine2028x")
    dialog.new_password2.setText("Mine2028x")
    dialog.button.click()
    wait_checked(qtbot, dialog)
    assert dialog.operator is not None and not dialog.operator.must_change_password
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert authenticate(context_of(sqlite_store), "sun", "Mine2028x").login == "sun"


def test_a_one_time_password_does_not_unlock_a_session(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """An administrator resets the password of a teller whose window is locked, then types the one-time
    password at the teller's lock page: it stays locked (the teller signs in again and sets a new one)."""
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None and window.operator is not None
    window.lock()
    reset_password(window.ctx, admin_of(window.store), window.operator.login, "OneTime2027")
    window.lock_page.password.setText("OneTime2027")
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert window.is_locked() and "重置" in window.lock_page.error.text()
