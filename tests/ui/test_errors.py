"""An error no rule foresaw never shows a traceback: one sentence on screen, the details in the log."""
from __future__ import annotations

from app import logs
from ui.main_window import MainWindow


def test_unexpected_error_shows_a_calm_message_and_logs_the_traceback(qtbot, office, make_ctx, monkeypatch):
    logs.setup_logging()
    shown = []
    monkeypatch.setattr("ui.errors.QMessageBox.warning", lambda parent, title, text: shown.append(text))
    ctx = make_ctx(office.receptionist)
    window = MainWindow(ctx, db_label="office.db")
    qtbot.addWidget(window)

    def broken(actor, uow):
        raise ZeroDivisionError("boom in the worker")

    ctx.run_op(window, broken)
    qtbot.waitUntil(lambda: bool(shown))
    assert "发生意外错误" in shown[0] and "Traceback" not in shown[0]
    assert str(logs.log_file()) in shown[0]
    log_text = logs.log_file().read_text(encoding="utf-8")
    assert "ZeroDivisionError: boom in the worker" in log_text and "Traceback" in log_text
