"""The shift handover record (交接班记录, SHW-7): what was listed when it was made, the note, and both signatures
drawn back. A4."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app import clock
from app.i18n import _
from app.reports import components, styles

if TYPE_CHECKING:
    from app.services.showroom.handovers import HandoverRow


def _at(moment) -> str:  # type: ignore[no-untyped-def]
    return clock.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def build(handover: HandoverRow, out: Path | BinaryIO) -> None:
    doc = styles.a4_document(out, title=_("Shift handover record"))
    h = handover
    story = [*components.header(_("Shift handover record"), _("No. %(n)d · made %(at)s")
                                % {"n": h.number, "at": _at(h.made_at)})]
    for title, lines in h.listing.sections():
        story += [components.section(f"{title}（{len(lines)}）"),
                  *[components.text("· " + line, 10) for line in lines or [_("none")]], Spacer(1, 3 * mm)]
    if h.note:
        story += [components.fields([(_("Note"), h.note)]), Spacer(1, 3 * mm)]
    boxes = [(_("Handed over by"), h.outgoing_signature, f"{h.outgoing} {_at(h.made_at)}"),
             (_("Taken over by"), h.incoming_signature, f"{h.incoming} {_at(h.acknowledged_at)}".strip())]
    story += [Spacer(1, 3 * mm), components.section(_("Signatures")), components.signatures(boxes)]
    doc.build(story, onFirstPage=components.footer, onLaterPages=components.footer)
