"""The colours of a check's states, shared by the day's board and the week's grid."""
from __future__ import annotations

from PySide6.QtGui import QColor

from app.domain.showroom_day import SlotState

# Readable in black and white too: the state is written in the cell, the colour only helps.
STATE_COLOUR = {SlotState.DONE: QColor("#1b7a2f"), SlotState.LATE: QColor("#b36b00"),
                SlotState.OVERDUE: QColor("#c62828"), SlotState.MISSED: QColor("#8e0000"),
                SlotState.DUE: QColor("#1565c0"), SlotState.UPCOMING: None}
