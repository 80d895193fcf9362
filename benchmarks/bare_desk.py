"""The baseline of "the desk shows data": a bare PySide6 window that reads today's visits from the SQLite file with
the standard library's sqlite3 and shows them in a QTableWidget, quitting once that table has painted them.

The same columns as the reception tab's list of today's visits. Started like the program (a new interpreter,
QT_QPA_PLATFORM=offscreen) by benchmarks/startup.py:

    python benchmarks/bare_desk.py DATABASE
"""
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

OFFICE = ZoneInfo("Asia/Shanghai")
TODAYS_VISITS = """
    SELECT v.arrived_at, v.name, c.phone, v.party_size, v.channel, coalesce(s.name, ''), coalesce(b.name, ''),
           v.left_at
    FROM visits v JOIN customers c ON c.id = v.customer_id
    LEFT JOIN staff s ON s.id = v.consultant_id LEFT JOIN staff b ON b.id = v.on_behalf_of_id
    WHERE v.arrived_at >= ? AND v.arrived_at < ? ORDER BY v.arrived_at DESC, v.id DESC"""
COLUMNS = ("Arrived", "Name", "Phone", "People", "Heard of us by", "Consultant", "Left")


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


def local_time(stored: str | None) -> str:
    if stored is None:
        return ""
    return datetime.fromisoformat(stored).replace(tzinfo=timezone.utc).astimezone(OFFICE).strftime("%H:%M")


def todays_visits(path: str) -> list[tuple]:
    start = datetime.now(OFFICE).replace(hour=0, minute=0, second=0, microsecond=0)
    bounds = [(t.astimezone(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S.%f") for t in (start, start + timedelta(1))]
    conn = sqlite3.connect(path)
    try:
        return conn.execute(TODAYS_VISITS, bounds).fetchall()
    finally:
        conn.close()


qapp = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(0, len(COLUMNS))
table.setHorizontalHeaderLabels(COLUMNS)
window.setCentralWidget(table)
window.resize(1366, 740)
visits = todays_visits(sys.argv[1])
print(f"{len(visits)} visits today")  # filled before the window shows: its first paint shows them
for row, (arrived, name, phone, people, channel, consultant, on_behalf, left) in enumerate(visits):
    table.insertRow(row)
    for column, text in enumerate((local_time(arrived), name, phone, str(people), channel,
                                   consultant + (f" ({on_behalf})" if on_behalf else ""), local_time(left))):
        table.setItem(row, column, QTableWidgetItem(text))
table.viewport().installEventFilter(FirstPaint(table))
window.show()
sys.exit(qapp.exec())
