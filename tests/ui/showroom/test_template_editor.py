"""The check points through the window (SHW-2): the supervisor saves a new version with why; a bad one is refused
in words; a docent reads them."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.permissions import Role
from app.services import accounts
from app.services.showroom import templates
from tests.conftest import PIN
from ui.tabs.showroom.template_editor import TemplateEditor


def test_the_supervisor_saves_a_new_version_of_the_inspection_s_points_SHW2(qtbot, office, make_ctx):
    editor = TemplateEditor(make_ctx(office.supervisor))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.version.text().startswith("第 1 版"))
    editor.kind.setCurrentIndex(editor.kind.findData("inspection"))
    assert "所有物品在位、完好、摆放整齐" in editor.points.toPlainText()
    editor.points.setPlainText("灯光正常\n\n卫生良好\n灯光正常")
    editor.reason.setText("精简")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.error.isVisible())
    assert "重复" in editor.error.text() and templates.current(office.uow())["inspection"].version == 1
    editor.points.setPlainText("灯光正常\n\n卫生良好")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.version.text().startswith("第 2 版"))
    assert templates.current(office.uow())["inspection"].points == ("灯光正常", "卫生良好")


def test_a_docent_reads_the_points_and_changes_none_SEC2_SHW2(qtbot, office, make_ctx):
    row = accounts.create_staff(office.manager, office.uow(), name="李讲解", role=Role.DOCENT, pin=PIN)
    editor = TemplateEditor(make_ctx(accounts.sign_in(office.uow(), staff_id=row.id, pin=PIN)))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: bool(editor.points.toPlainText()))
    assert not editor.points.isEnabled() and not editor.save_button.isVisible()
