"""The release slip (放行条, SHW-6): the apartment, the items and how many, why and who carries them, the approval,
and the QR code the door scans. A4, readable in black and white."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from app import clock
from app.domain.showroom_flows import STATE_LABEL
from app.i18n import _
from app.reports import components, styles

if TYPE_CHECKING:
    from app.services.showroom.release_slips import SlipRow


def _at(moment) -> str:  # type: ignore[no-untyped-def]
    return clock.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def build(slip: SlipRow, code: str, out: Path | BinaryIO) -> None:
    doc = styles.a4_document(out, title=_("Release slip"))
    s = slip
    pairs = [(_("Model apartment"), s.apartment), (_("Why they leave"), s.purpose), (_("Carried out by"), s.carrier),
             (_("Asked by"), f"{s.requested_by} {_at(s.requested_at)}"),
             (_("State"), _(STATE_LABEL[s.state]) + (f" · {s.decision_note}" if s.decision_note else ""))]
    if s.work_order:
        pairs.insert(1, (_("Work order"), _("No. %d") % s.work_order))
    rows = [[_("Item"), _("How many")]] + [[components.cell(line.name, 40), str(line.quantity)] for line in s.lines]
    lines = Table(rows, colWidths=[140 * mm, 40 * mm], repeatRows=1)
    lines.setStyle(components.grid(len(rows)))
    boxes = [(_("Approved by (customer service)"), [], f"{s.decided_by} {_at(s.decided_at)}".strip()),
             (_("Let out at the door by"), [], f"{s.released_by} {_at(s.released_at)}".strip()),
             (_("Carried out by"), [], s.carrier)]
    story = [*components.header(_("Release slip"), _("No. %d") % s.number, code), components.fields(pairs),
             Spacer(1, 4 * mm), components.section(_("Items")), lines, Spacer(1, 6 * mm),
             components.section(_("Signatures")), components.signatures(boxes)]
    doc.build(story, onFirstPage=components.footer, onLaterPages=components.footer)
