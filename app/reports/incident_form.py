"""The incident form (突发事件登记表, SHW-4): what happened, where and when, the item at its listed price, the visitor,
the settlement and both approvals, and the visitor's signature drawn back, or a box to sign on paper. A4."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app import clock
from app.domain.showroom_flows import STATE_LABEL
from app.i18n import _
from app.reports import components, styles

if TYPE_CHECKING:
    from app.services.showroom.incidents import IncidentRow


def _at(moment) -> str:  # type: ignore[no-untyped-def]
    return clock.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yuan(fen: int) -> str:
    return _("%s yuan") % f"{fen / 100:,.2f}"


def build(incident: IncidentRow, out: Path | BinaryIO) -> None:
    from app.services.showroom.incidents import KIND_LABEL, SETTLEMENT_LABEL

    doc = styles.a4_document(out, title=_("Incident report"))
    i = incident
    listed = _("listed %s") % _yuan(i.listed_fen)
    item = f"{i.item_name} × {i.quantity}（{listed}）" if i.item_name else ""
    settlement = f"{_(SETTLEMENT_LABEL[i.settlement])} {_yuan(i.amount_fen)}" if i.settlement else ""
    pairs = [(_("Model apartment"), i.apartment), (_("What kind"), _(KIND_LABEL[i.kind])), (_("Item"), item),
             (_("What happened"), i.what), (_("When"), _at(i.happened_at)), (_("Visitor"), i.visitor_name),
             (_("Phone"), i.visitor_phone), (_("Recorded by"), i.recorded_by), (_("Settlement"), settlement),
             (_("Why"), i.settlement_note), (_("State"), _(STATE_LABEL[i.state]))]
    paper = _("signed on the printed form, per %s") % i.signed_on_paper_by if i.signed_on_paper_by else ""
    boxes = [(_("Customer service"), [], i.service_by), (_("Marketing"), [], i.marketing_by),
             (_("Visitor's signature"), i.signature, paper or _at(i.signed_at))]
    story = [*components.header(_("Incident report"), _("No. %d") % i.number),
             components.fields(pairs), Spacer(1, 6 * mm), components.section(_("Signatures")),
             components.signatures(boxes)]
    doc.build(story, onFirstPage=components.footer, onLaterPages=components.footer)
