"""The start-up baseline: a bare PySide6 main window with a tab widget, quitting on its first paint.

Started like the program (a new interpreter, QT_QPA_PLATFORM=offscreen) by benchmarks/startup.py.
"""
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


qapp = QApplication(sys.argv[:1])
window = QMainWindow()
tabs = QTabWidget()
tabs.addTab(QWidget(), "Tab")
window.setCentralWidget(tabs)
window.resize(1366, 740)
watcher = FirstPaint(window)
window.installEventFilter(watcher)
window.show()
sys.exit(qapp.exec())
