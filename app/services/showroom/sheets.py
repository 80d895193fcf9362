"""The printed sheets of the model apartments (SHW-8): what each shows, read for the PDF modules in app/reports."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from app import clock, validation
from app.database.uow import UnitOfWork
from app.errors import NotFound, ValidationError, shown_name
from app.files.whole import written_whole
from app.domain import showroom_day
from app.domain.showroom_day import Slot
from app.domain.showroom_flows import STATE_LABEL
from app.i18n import _
from app.permissions import Actor, Perm, require_any
from app.services import settings
from app.services.showroom import checks, handovers, incidents, items, release_slips, templates


def checklist_days(actor: Actor | None, uow: UnitOfWork, *, day: date, apartment: str | None = None,
                   filled: bool = False) -> list:  # list[checklist.ChecklistDay]
    """The blank checklist of `day` for each apartment, or the one named: its checks, its list as it stands at the
    day's opening, each kind of check's points in force then. `filled`: the completed record instead — each check's
    state, time, who and signature, answers and counts, and the day's incidents."""
    from app.reports.checklist import ChecklistDay, SheetItem  # reportlab: loaded only to print

    if actor is not None:
        require_any(actor, Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM)
    with uow:
        window = settings.record_window(uow.session)
    validation.record_day(day, window, "date", _("The date"))
    flats = items.apartments(uow)
    if apartment is not None:
        flats = [f for f in flats if f.name == " ".join(apartment.split())]
        if not flats:
            raise NotFound(_("There is no model apartment called %s.") % shown_name(apartment, 40), field="apartment")
    if not flats:
        raise NotFound(_("There are no model apartments yet; add one in the showroom tab."), field="apartment")
    slots = checks.slots_of(uow, day)
    opening = slots[0].due
    points = {kind: template.points for kind, template in templates.all_in_force(uow, opening).items()}
    now = clock.now()
    done = checks.recorded(uow, day=day) if filled else {}
    happened = incidents.on_day(actor, uow, day=day) if filled else []
    return [ChecklistDay(flat.id, flat.name, day, slots, points,
                         [SheetItem(i.room, i.name, i.spec, i.location, i.quantity, i.unit, i.id)
                          for i in items.item_list(uow, apartment_id=flat.id, as_of=opening)], now,
                         record={slot.key: _done(slot, done.get((flat.id, slot.key)), now) for slot in slots}
                         if filled else None,
                         incidents=tuple(_incident_line(i) for i in happened if i.apartment_id == flat.id))
            for flat in flats]


def _done(slot: Slot, check: checks.Recorded | None, now: datetime):  # type: ignore[no-untyped-def]
    """A slot as the completed record shows it: its state at `now`, and the check when there is one."""
    from app.reports.checklist import DoneCheck

    if check is None:
        return DoneCheck(showroom_day.state(slot, None, now))
    late = showroom_day.lateness(slot, check.done_at)
    return DoneCheck(showroom_day.state(slot, check.done_at, now), check.done_at, check.by,
                     int(late.total_seconds() // 60), {a["point"]: (a["answer"], a["note"]) for a in check.answers},
                     check.counts, check.signature)


def _incident_line(i: incidents.IncidentRow) -> str:
    parts = [_("No. %d") % i.number, clock.local(i.happened_at).strftime("%H:%M")]
    if i.item_name:
        parts.append(f"{i.item_name} × {i.quantity}")
    return " · ".join([*parts, i.what, _(STATE_LABEL[i.state])])


def print_checklist(actor: Actor | None, uow: UnitOfWork, *, day: date, out: str, apartment: str | None = None,
                    overwrite: bool = False, filled: bool = False) -> Path:
    """Write the day's checklists to a PDF; an existing file is replaced only when told. `actor` is None on the
    command line, whose user holds the database anyway."""
    from app.reports import checklist  # reportlab: loaded only to print

    if actor is not None:
        require_any(actor, Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM)
    target = _target(out, overwrite)
    days = checklist_days(actor, uow, day=day, apartment=apartment, filled=filled)
    with written_whole(target) as partial:
        checklist.build(days, partial)
    return target


def print_incident(actor: Actor | None, uow: UnitOfWork, *, number: int, out: str, overwrite: bool = False) -> Path:
    """The incident form (SHW-4), the visitor's signature drawn in, or a box to sign on paper."""
    from app.reports import incident_form  # reportlab: loaded only to print

    if actor is not None:
        require_any(actor, *incidents.VIEW)
    target = _target(out, overwrite)
    incident = incidents.get(actor, uow, number)
    with written_whole(target) as partial:
        incident_form.build(incident, partial)
    return target


def print_slip(actor: Actor | None, uow: UnitOfWork, *, number: int, out: str, overwrite: bool = False) -> Path:
    """The release slip with the QR code the door scans (SHW-6)."""
    from app.reports import release_slip  # reportlab: loaded only to print

    if actor is not None:
        require_any(actor, *release_slips.VIEW)
    target = _target(out, overwrite)
    slip = release_slips.get(actor, uow, number)
    with written_whole(target) as partial:
        release_slip.build(slip, release_slips.code(number), partial)
    return target


def print_handover(actor: Actor | None, uow: UnitOfWork, *, number: int, out: str, overwrite: bool = False) -> Path:
    """The handover record with what was listed and both signatures (SHW-7)."""
    from app.reports import handover_record  # reportlab: loaded only to print

    if actor is not None:
        require_any(actor, Perm.SHOWROOM_CHECK)
    target = _target(out, overwrite)
    handover = handovers.get(actor, uow, number)
    with written_whole(target) as partial:
        handover_record.build(handover, partial)
    return target


def _target(out: str, overwrite: bool) -> Path:
    """The PDF to write: a file name ending in .pdf, not a folder, an existing one replaced only when told."""
    target = Path(out)
    if target.suffix.lower() != ".pdf":
        raise ValidationError(_("Give the sheet a file name ending in .pdf."), field="out")
    if target.is_dir():
        raise ValidationError(_("%s is a folder; give the sheet a file name.") % shown_name(target), field="out")
    if target.exists() and not overwrite:
        raise ValidationError(_("%s already exists; choose another name, or say that it is to be replaced "
                                "(--overwrite).") % shown_name(target), field="out")
    return target
