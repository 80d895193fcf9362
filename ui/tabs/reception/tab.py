"""The reception desk tab: register walk-ins, the rotation, today's visits, calls, follow-ups, the water bar."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from app.permissions import Perm
from ui.context import UiContext
from ui.tabs.reception.calls_panel import CallsPanel
from ui.tabs.reception.follow_ups_panel import FollowUpsPanel
from ui.tabs.reception.registration_form import RegistrationForm
from ui.tabs.reception.rotation_panel import RotationPanel
from ui.tabs.reception.todays_visits import TodaysVisits
from ui.tabs.reception.water_bar import WaterBarPanel


class ReceptionTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receptionTab")
        actor = ctx.actor
        self.form = RegistrationForm(ctx, self)
        self.rotation = RotationPanel(ctx, self)
        self.visits = TodaysVisits(ctx, self)
        self.calls = CallsPanel(ctx, self)
        self.follow_ups = FollowUpsPanel(ctx, self)
        self.water_bar = WaterBarPanel(ctx, self) if actor is None or actor.can(Perm.WATER_BAR) else None
        self.pages = QTabWidget(objectName="receptionPages")
        self.pages.addTab(self.visits, _("Today's visitors"))
        self.pages.addTab(self.calls, _("Phone calls"))
        self.pages.addTab(self.follow_ups, _("Follow-ups due"))
        if self.water_bar is not None:
            self.pages.addTab(self.water_bar, _("Water bar"))
        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addStretch()
        layout = QHBoxLayout(self)
        layout.addLayout(left, 4)
        layout.addWidget(self.rotation, 2)
        layout.addWidget(self.pages, 6)
