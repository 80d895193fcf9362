"""Export the visitor register (VIS-5) and import one kept elsewhere, on paper or in a spreadsheet (VIS-6).

Both use the columns 来访时间, 类型, 姓名, 手机, 人数, 渠道, 意向, 置业顾问, 备注
(app.reports.register_file).
An export records who, when, why and what was searched; the file is written beside its target and renamed
into place, so a failed export leaves no half file. An import checks every row first: by default, when any
row is refused nothing is written and each refused row is reported with its number and reason.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app import clock, phone as phones
from app.domain.channels import CHANNELS
from app.errors import DomainError, ValidationError, file_reason
from app.i18n import _, catalogue
from app.models.staff import Staff
from app.models.visitors import Call, Customer, OwnershipDecision, Visit
from app.permissions import Actor, Perm, Role, require
from app.services import accounts, customers, settings, visitor_logs
from app.services.visitor_logs import LogQuery
from app.services.visits import MAX_INTENT, MAX_NOTE, check_party_size, check_text
from app.uow import UnitOfWork

KIND_WORDS = {"visit": "来访", "call": "来电"}
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
# Each format with how far its time may be from the stored one: an export writes minutes, the register keeps
# microseconds, so a row of an exported file matches its visit anywhere within that minute.
TIME_FORMATS = (("%Y-%m-%d %H:%M", timedelta(minutes=1)), ("%Y-%m-%d %H:%M:%S", timedelta(seconds=1)),
                ("%Y/%m/%d %H:%M", timedelta(minutes=1)), ("%Y/%m/%d %H:%M:%S", timedelta(seconds=1)))


@dataclass(frozen=True)
class ExportResult:
    path: str
    rows: int


@dataclass(frozen=True)
class Rejected:
    row: int  # as the spreadsheet numbers it: the header is row 1
    reason: str


@dataclass(frozen=True)
class ImportResult:
    visits: int
    calls: int
    new_customers: int
    rejected: list[Rejected]

    @property
    def written(self) -> bool:
        return bool(self.visits or self.calls)


def channel_label(code: str) -> str:
    """The channel as the file says it: in Chinese, whatever language the window is in."""
    source = CHANNELS.get(code, code)
    return (catalogue("zh_CN").get(source) or [source])[0]


def _by(actor: Actor | None) -> dict[str, str]:
    """Who, for the audit: a signed-in staff member is the entry's actor; the command line is named here."""
    if actor is not None:
        return {}
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment
        user = "?"
    return {"by": _("command line, system user %s") % user}


def export_logs(actor: Actor | None, uow: UnitOfWork, query: LogQuery, *, path: str, reason: str) -> ExportResult:
    """Write what `query` finds to a CSV or XLSX file; audited with who, when, why (VIS-5).

    `actor` is None on the command line, whose user holds the database anyway (as for backups).
    """
    if actor is not None:
        require(actor, Perm.EXPORT_REGISTER)
    from app.reports import register_file

    register_file.format_of(path)
    reason = check_text(reason, 200, "reason", _("Reason"))
    if not reason:
        raise ValidationError(_("Say why the register is exported (who asked for it, what for)."), field="reason")
    stmt = visitor_logs.statement(query)
    target = Path(path)
    partial = target.with_name(f".{target.stem}.{os.getpid()}.part{target.suffix}")
    phone_of = (lambda p: p or "") if actor is None or actor.can(Perm.VIEW_CUSTOMERS) else phones.mask
    limit = XLSX_MAX_ROWS if target.suffix.lower() == ".xlsx" else None
    # The rows are read in a read-only transaction (other stations keep saving meanwhile) into a file beside the
    # target; the file takes its name only once the export is in the audit log.
    try:
        with uow.reading() as conn:
            rows = conn.execution_options(yield_per=2000).execute(stmt) if stmt is not None else []

            def lines():  # type: ignore[no-untyped-def]
                for n, r in enumerate(rows, start=1):
                    if limit is not None and n > limit:
                        raise ValidationError(_("More rows than a spreadsheet holds: narrow the search or export CSV."))
                    yield [clock.local(r.at).strftime("%Y-%m-%d %H:%M"), KIND_WORDS[r.kind], r.name,
                           phone_of(r.phone), r.party_size, channel_label(r.channel), r.intent, r.consultant or "",
                           r.note]

            written = register_file.write(partial, lines())
        with uow:
            uow.audit(actor.id if actor else None, "exports.visitor_register", f"file:{target.name}"[:60],
                      after={**_by(actor), "reason": reason, "rows": written, "file": target.name,
                             "query": {k: v for k, v in asdict(query).items() if v not in (None, "")}})
            uow.commit()
        os.replace(partial, target)
    except OSError as e:
        raise ValidationError(_("Cannot write %(file)s: %(reason)s") % {"file": target.name,
                                                                         "reason": file_reason(e)}) from e
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(str(target), written)


# -- import ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    row: int
    kind: str
    at: datetime
    within: timedelta  # the file's precision: a minute, or a second
    name: str
    phone: str
    party_size: int
    channel: str
    intent: str
    consultant_id: int | None
    note: str


def import_logs(actor: Actor | None, uow: UnitOfWork, *, path: str, all_or_nothing: bool = True,
                create_consultants: bool = False) -> ImportResult:
    """Add the visits and calls of a CSV or XLSX register (VIS-6).

    Every row is checked first. All or nothing (the default): one refused row and nothing is written. Otherwise
    the good rows are written and the refused ones reported. A row already in the register (same phone, type and
    time) is refused, so importing a file twice adds nothing twice. A consultant the office has no account for
    is refused, unless `create_consultants` (then an account is made, to be given a PIN by a manager).
    `actor` is None on the command line.
    """
    if actor is not None:
        require(actor, Perm.IMPORT_REGISTER)
        if create_consultants:
            require(actor, Perm.MANAGE_STAFF)
    from app.reports import register_file

    with uow:
        s = uow.session
        consultants = {st.name: st.id for st in s.scalars(select(Staff).where(Staff.role == str(Role.CONSULTANT)))}
        lines, rejected, seen = [], [], set()
        to_create: dict[int, str] = {}  # row -> a consultant's name to make an account for, once the row is kept
        for number, values in register_file.read(path):
            try:
                named = values["置业顾问"].strip()
                if create_consultants and named and named not in consultants:
                    to_create[number] = named
                line = _parse(number, values, {**consultants, **({named: 0} if number in to_create else {})})
                key = (line.kind, line.phone, line.at, line.within)
                if key in seen or _already_there(s, line):
                    raise ValidationError(_("already in the register"))
                seen.add(key)
                lines.append(line)
            except DomainError as e:
                rejected.append(Rejected(number, str(e)))
        if not lines and not rejected:
            raise ValidationError(_("The file has no rows under its header."), field="path")
        if rejected and (all_or_nothing or not lines):
            return ImportResult(0, 0, 0, rejected)
        for i, line in enumerate(lines):
            if line.row in to_create:
                name = to_create[line.row]
                if name not in consultants:
                    consultants[name] = accounts.add_named_consultant(uow, name, by=actor)
                lines[i] = replace(line, consultant_id=consultants[name])
        created = _write(uow, actor, lines)
        visits = sum(1 for line in lines if line.kind == "visit")
        uow.audit(actor.id if actor else None, "imports.visitor_register", f"file:{Path(path).name}"[:60],
                  after={**_by(actor), "file": Path(path).name, "visits": visits, "calls": len(lines) - visits,
                         "new_customers": created, "rejected_rows": [r.row for r in rejected]})
        uow.touch("visits")
        uow.touch("customers")
        uow.commit()
        return ImportResult(visits, len(lines) - visits, created, rejected)


def _parse(number: int, v: dict[str, str], consultants: dict[str, int]) -> _Line:
    kind = {"来访": "visit", "来电": "call", "visit": "visit", "call": "call"}.get(v["类型"].strip().lower())
    if kind is None:
        raise ValidationError(_("类型 must be 来访 or 来电"))
    at, within = _time(v["来访时间"])
    name = customers.check_name(v["姓名"])
    phone = phones.normalize(v["手机"])
    party = check_party_size(v["人数"] or 1) if kind == "visit" else 1
    channel = _channel(v["渠道"])
    intent = check_text(v["意向"], MAX_INTENT, "intent", _("Intent"))
    note = check_text(v["备注"], MAX_NOTE, "note", _("Note"))
    consultant_id = None
    if v["置业顾问"].strip():
        consultant_id = consultants.get(v["置业顾问"].strip())
        if consultant_id is None:
            raise ValidationError(_("no sales consultant is called %s") % v["置业顾问"].strip())
    return _Line(number, kind, at, within, name, phone, party, channel, intent, consultant_id, note)


def _time(text: str) -> tuple[datetime, timedelta]:
    for fmt, within in TIME_FORMATS:
        try:
            at = datetime.strptime(text.strip(), fmt).replace(tzinfo=clock.OFFICE_TZ)
        except ValueError:
            continue
        if at > clock.now():
            raise ValidationError(_("the time %s is in the future") % text)
        return at, within
    raise ValidationError(_("the time %s is not like 2026-11-23 14:30") % (text or "—"))


def _channel(text: str) -> str:
    text = text.strip()
    for code, label in CHANNELS.items():
        if text in (code, label, channel_label(code)):
            return code
    raise ValidationError(_("unknown channel %s") % (text or "—"))


def _already_there(s, line: _Line) -> bool:  # type: ignore[no-untyped-def]
    customer = customers.find_by_phone(s, line.phone)
    if customer is None:
        return False
    model, at = (Visit, Visit.arrived_at) if line.kind == "visit" else (Call, Call.received_at)
    same = select(model.id).where(model.customer_id == customer.id, at >= line.at, at < line.at + line.within)
    return s.scalar(same.limit(1)) is not None


def _write(uow: UnitOfWork, actor: Actor | None, lines: list[_Line]) -> int:
    """Customers found or created by phone, then their visits and calls; returns how many customers are new.

    A new customer belongs to the consultant of their first row, as on the paper register (REC-7); a row by the
    owner renews the registration (REC-8) and moves the next follow-up (REC-9). Other owners are left alone.
    """
    s, office, created = uow.session, settings.load(uow.session), 0
    by = actor.id if actor is not None else None
    renewed: dict[int, Customer] = {}
    for line in sorted(lines, key=lambda x: x.at):
        customer = customers.find_by_phone(s, line.phone)
        if customer is None:
            customer = Customer(name=line.name, phone=line.phone, phone_tail=line.phone[-4:], created_at=line.at,
                                owner_id=line.consultant_id, owned_since=line.at if line.consultant_id else None)
            s.add(customer)
            s.flush()
            created += 1
            if line.consultant_id is not None:
                s.add(OwnershipDecision(customer_id=customer.id, owner_id=line.consultant_id,
                                        reason="first_registration", note=_("imported"), decided_at=line.at,
                                        decided_by_id=by))
        if line.kind == "visit":
            s.add(Visit(customer_id=customer.id, name=line.name, consultant_id=line.consultant_id,
                        party_size=line.party_size, channel=line.channel, intent=line.intent,
                        is_return=customer.visit_count > 0, arrived_at=line.at, note=line.note,
                        registered_by_id=by))
            customer.visit_count += 1
            customer.has_visited = True
            if customer.last_visit_at is None or line.at > customer.last_visit_at:
                customer.last_visit_at = line.at
        else:
            s.add(Call(customer_id=customer.id, consultant_id=line.consultant_id, channel=line.channel,
                       questions=line.note, intent=line.intent, received_at=line.at, taken_by_id=by))
        by_owner = customer.owner_id is not None and customer.owner_id == line.consultant_id
        if by_owner and (customer.last_contact_at is None or line.at > customer.last_contact_at):
            customer.last_contact_at = line.at
            renewed[customer.id] = customer
    for customer in renewed.values():
        days = office.visitor_follow_up_days if customer.has_visited else office.caller_follow_up_days
        due = customer.last_contact_at + timedelta(days=days)
        if customer.next_follow_up_at is None or due > customer.next_follow_up_at:
            customer.next_follow_up_at = due
    s.flush()
    return created
