"""Export the visitor register (VIS-5) and import one kept elsewhere, on paper or in a spreadsheet (VIS-6).

An export writes the columns 来访时间, 类型, 姓名, 手机, 人数, 渠道, 意向, 置业顾问, 备注 (app.files.register_file)
and records who, when, why and what was searched; the file is written beside its target and renamed into place,
so a failed or cancelled export leaves no half file. An import takes those columns and the words real offices'
registers use; it checks every row first: by default, when any row is refused nothing is written and each
refused row is reported with its number and reason. Both run in one transaction, so a cancelled import leaves
nothing behind.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, update

from app import clock, validation
from app import phone as phones
from app.domain import ownership
from app.domain.channels import CHANNELS
from app.errors import DomainError, ValidationError
from app.files import register_file
from app.files.register_file import FIELDS, LEFT_OUT, chosen_twice
from app.files.whole import written_whole
from app.i18n import N_, _, translations
from app.models.staff import Staff
from app.models.visitors import Call, Customer, OwnershipDecision, Visit
from app.permissions import Actor, Perm, Role, require
from app.services import accounts, audit, settings
from app.services.visitors import visitor_logs
from app.services.visitors.visitor_logs import LogQuery
from app.services.reception.visits import MAX_INTENT, MAX_NOTE, check_party_size
from app.validation import MAX_NAME, MAX_REASON
from app.database import driver
from app.database.uow import UnitOfWork

KIND_WORDS = {"visit": "来访", "call": "来电"}
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header


@dataclass(frozen=True)
class ExportResult:
    path: str
    rows: int


@dataclass(frozen=True)
class Rejected:
    row: int  # as the spreadsheet numbers it
    reason: str
    cells: tuple[str, ...] = ()  # the row as the file has it, to be corrected and imported again


class Cancelled(DomainError):
    """The person stopped the import (or export) before it finished; nothing was written."""


class _Steps:
    """Progress told at most 20 times a second, and cancelling heard. For an import, reading and checking the
    file counts as the first 70 % of the work, writing the rest; the total is the file's size in bytes."""

    READING = 0.7

    def __init__(self, size: int, progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None, stopped: str) -> None:
        self.size, self.progress, self.cancelled, self.stopped = max(size, 1), progress, cancelled, stopped
        self._last = 0.0

    def reading(self, share: float) -> None:
        self.at(share * self.READING)

    def writing(self, share: float) -> None:
        self.at(self.READING + share * (1 - self.READING))

    def at(self, share: float, *, last: bool = False) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled(self.stopped)
        now = time.monotonic()
        if self.progress is not None and (last or now - self._last >= 0.05):  # at most 20 times a second
            self._last = now
            self.progress(int(share * self.size), self.size)


def channel_label(code: str) -> str:
    """The channel as the file says it: in Chinese, whatever language the window is in."""
    source = CHANNELS.get(code, code)
    return translations("zh_CN").gettext(source)


def export_logs(actor: Actor | None, uow: UnitOfWork, query: LogQuery, *, path: str, reason: str,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None, overwrite: bool = False) -> ExportResult:
    """Write what `query` finds to a CSV or XLSX file; audited with who, when, why (VIS-5).

    An existing file is replaced only when `overwrite` says so (the window's save dialog has asked; the command
    line was told --overwrite): an earlier export, or any other file, is never lost by a slip of the name.

    `progress(done, total)` is told the rows written; when `cancelled()` turns true the export stops, raises
    Cancelled and leaves no file. `actor` is None on the command line, whose user holds the database anyway
    (as for backups).
    """
    if actor is not None:
        require(actor, Perm.EXPORT_REGISTER)
    register_file.format_of(path)
    reason = validation.text(reason, MAX_REASON, "reason", _("Reason"),
                             missing=N_("Say why the register is exported (who asked for it, what for)."))
    stmt = visitor_logs.statement(uow, query)
    target = Path(path)
    if target.is_dir():
        raise ValidationError(_("%s is a folder; give the export a file name.") % target, field="path")
    if target.exists() and not overwrite:
        raise ValidationError(_("%s already exists; choose another name, or say that it is to be replaced "
                                "(--overwrite).") % target, field="path")
    phone_of = (lambda p: p or "") if actor is None or actor.can(Perm.VIEW_CUSTOMERS) else phones.mask
    limit = XLSX_MAX_ROWS if target.suffix.lower() == ".xlsx" else None
    # The rows are read in a read-only transaction (other stations keep saving meanwhile) into a file beside the
    # target; the file takes its name only once the export is in the audit log.
    with written_whole(target) as partial:
        with uow.reading() as conn:
            total = 0
            if stmt is not None and progress is not None:
                total = conn.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
            steps = _Steps(total, progress, cancelled, _("Export cancelled: no file was written."))
            rows = conn.execution_options(yield_per=2000).execute(stmt) if stmt is not None else None

            def lines():  # type: ignore[no-untyped-def]
                for n, r in enumerate(() if rows is None else rows, start=1):
                    if limit is not None and n > limit:
                        raise ValidationError(_("More rows than a spreadsheet holds: narrow the search or export CSV."))
                    if n % 500 == 0:
                        steps.at(n / steps.size)
                    yield [clock.local(r.at).strftime("%Y-%m-%d %H:%M"), KIND_WORDS[r.kind], r.name,
                           phone_of(r.phone), r.party_size, channel_label(r.channel), r.intent, r.consultant or "",
                           r.note]

            try:
                written = register_file.write(partial, lines())
            finally:
                if rows is not None:  # a cancelled export leaves its server-side cursor open otherwise
                    rows.close()
            steps.at(1.0, last=True)
        with uow:
            uow.audit(actor.id if actor else None, "exports.visitor_register", f"file:{target.name}"[:60],
                      after={**audit.by_whom(actor), "reason": reason, "rows": written, "file": target.name,
                             "query": {k: v for k, v in asdict(query).items() if v not in (None, "")}})
            uow.commit()
    return ExportResult(str(target), written)


# -- import ---------------------------------------------------------------------------------------------------

# The words real registers use for 认知途径, beside our own (the codes and their labels in English and Chinese).
CHANNEL_WORDS = {
    "walk_by": "路过 自然到访 自然来访 路经 途经",
    "friend": "朋友介绍 朋友推荐 亲友介绍 亲友推荐 朋友",
    "internet": "网络 网上 网站 互联网 微信 朋友圈 抖音 安居客 房天下 网络广告",
    "newspaper": "报纸 报刊 报广 报纸广告 杂志",
    "billboard": "户外广告 户外 广告牌 路牌 围挡 道旗 高炮 大牌",
    "phone": "来电 电话 电话咨询",
    "agency": "中介 中介带看 分销 链家 贝壳",
    "owner_referral": "老带新 老业主介绍 老客户介绍 业主介绍 业主推荐 老业主",
    "other": "其他 其它",
}
KIND_OF = {"来访": "visit", "到访": "visit", "visit": "visit", "来电": "call", "电话": "call", "call": "call"}
DATE_ONLY = ("时间", "未登记")  # filed in extra when a row has a day but no time: stored at 00:00 of that day
MAX_EXTRA = MAX_NOTE  # a kept column's cell, like a note
MAX_ROWS = XLSX_MAX_ROWS  # a register's rows under its header, as many as a worksheet holds
_CHUNK = 1000


@dataclass(frozen=True)
class Skipped:
    row: int
    text: str  # what the row holds ("" for a blank row), e.g. 制表人：王芳


@dataclass(frozen=True)
class ImportResult:
    visits: int
    calls: int
    new_customers: int
    rejected: list[Rejected]
    skipped: list[Skipped] = field(default_factory=list)
    new_consultants: list[str] = field(default_factory=list)  # accounts made, each waiting for a manager's PIN

    @property
    def written(self) -> bool:
        return bool(self.visits or self.calls)


class _Line(NamedTuple):  # a tuple: made 100,000 times in a big import
    row: int
    kind: str
    at: datetime
    within: timedelta  # the file's precision: a minute, a second, or the whole day
    name: str
    phone: str
    party_size: int
    channel: str
    intent: str
    consultant_id: int | None
    note: str
    extra: str  # JSON {header: text} of the columns mapped to nothing, "" when none


def import_logs(actor: Actor | None, uow: UnitOfWork, *, path: str, all_or_nothing: bool = True,
                create_consultants: bool = False, mapping: dict[int, str] | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Add the visits and calls of a register: CSV, XLSX, XLS or ODS (VIS-6).

    The header row is found under any title rows; `mapping` (column index -> register_file.FIELDS key) says
    what each column holds, by default what `register_file.inspect` recognized; columns mapped to nothing are
    kept with each row (Visit.extra). Blank rows and footer lines are skipped and reported. Every row is checked
    first. All or nothing (the default): one refused row and nothing is written. Otherwise the good rows are
    written and the refused ones reported. A row already in the register (same phone, type and time) is refused,
    so importing a file twice adds nothing twice. A consultant the office has no account for is refused, unless
    `create_consultants` (then an account is made, to be given a PIN by a manager).
    `progress(done, total)` is told the share of the work done, in the file's bytes; when `cancelled()` turns
    true the import stops and raises Cancelled, having written nothing. `actor` is None on the command line.
    """
    if actor is not None:
        require(actor, Perm.IMPORT_REGISTER)
        if create_consultants:
            require(actor, Perm.MANAGE_STAFF)

    with register_file.RegisterFile(path) as register:  # checked and read once (a workbook: loaded once)
        layout = register.inspect()
        mapping = layout.mapping if mapping is None else _checked(mapping, layout.headers)
        lacking = register_file.missing(mapping)
        if lacking:
            raise ValidationError(_("The file lacks the columns %(missing)s (its header, row %(row)d: %(headers)s).")
                                  % {"missing": ", ".join(register_file.FIELDS[k] for k in lacking),
                                     "row": layout.header_row, "headers": _shown(" ".join(layout.headers), 120)},
                                  field="path")
        steps = _Steps(Path(path).stat().st_size, progress, cancelled, _("Import cancelled: nothing was imported."))
        with uow:
            window = settings.record_window(uow.session)
        # Read and checked without the write lock, which other stations' desks need meanwhile; taken to write.
        with uow.reading() as conn:
            staff = conn.execute(select(Staff.name, Staff.id).where(Staff.role == str(Role.CONSULTANT)))
            reader = _Reader(layout.headers, mapping, dict(staff.all()), create_consultants, window)
            rows = register.rows(layout.header_row, steps.reading)
            lines, rejected, skipped = _checked_rows(conn, reader, rows, last=layout.header_row + MAX_ROWS)
    if not lines and not rejected:
        raise ValidationError(_("The file has no rows under its header."), field="path")
    if rejected and (all_or_nothing or not lines):
        return ImportResult(0, 0, 0, rejected, skipped)
    with uow:
        # Checked again, now that no other import can write: a run of the same file that began meanwhile has
        # either written (its rows are found here) or waits until this one has.
        uow.one_at_a_time("imports.visitor_register")
        meanwhile = _written_meanwhile(uow.session.connection(), lines, path, layout.header_row)
        if meanwhile:
            rejected = sorted(rejected + meanwhile, key=lambda r: r.row)
            lines = [line for line in lines if line.row not in {r.row for r in meanwhile}]
            if all_or_nothing or not lines:
                return ImportResult(0, 0, 0, rejected, skipped)
        consultants, made = dict(reader.consultants), []
        for i, line in enumerate(lines):
            if line.row in reader.to_create:
                name = reader.to_create[line.row]
                if name not in consultants:
                    consultants[name] = accounts.add_named_consultant(uow, name, by=actor)
                    made.append(name)
                lines[i] = line._replace(consultant_id=consultants[name])
        created = _write(uow, actor, lines, steps)
        visits = sum(1 for line in lines if line.kind == "visit")
        uow.audit(actor.id if actor else None, "imports.visitor_register", f"file:{Path(path).name}"[:60],
                  after={**audit.by_whom(actor), "file": Path(path).name, "visits": visits,
                         "calls": len(lines) - visits, "new_customers": created,
                         "rejected_rows": [r.row for r in rejected], "skipped_rows": len(skipped)})
        uow.touch("visits")
        uow.touch("customers")
        steps.at(1.0, last=True)
        uow.commit()
        return ImportResult(visits, len(lines) - visits, created, rejected, skipped, made)


def _checked_rows(conn, reader: _Reader, rows, *, last: int  # type: ignore[no-untyped-def]
                  ) -> tuple[list[_Line], list[Rejected], list[Skipped]]:
    """Every data row checked, a chunk at a time: the lines to write, the rows refused and the rows skipped.

    The checked rows are held until they are written (they are written sorted by time): a register longer
    than a spreadsheet (row `last`) is refused, which bounds the memory that takes.
    """
    lines: list[_Line] = []
    rejected: list[Rejected] = []
    skipped: list[Skipped] = []
    seen: set[tuple[str, str, datetime, timedelta]] = set()
    for chunk in _batches(rows, _CHUNK):
        if chunk[-1][0] > last:
            raise ValidationError(_("The register has more rows than a spreadsheet holds (%d): split it into "
                                    "smaller files.") % MAX_ROWS, field="path")
        checked = []
        for number, values in chunk:
            try:
                line = reader.line(number, values)
                if isinstance(line, Skipped):
                    skipped.append(line)
                    continue
                key = (line.kind, line.phone, line.at, line.within)
                if key in seen:
                    raise ValidationError(_("already in the register"))
                seen.add(key)
                checked.append(line)
            except DomainError as e:
                rejected.append(Rejected(number, str(e), _cells(values)))
        there = _already_there(conn, checked)
        if there:
            cells = dict(chunk)
            rejected += [Rejected(line.row, _("already in the register"), _cells(cells[line.row]))
                         for line in checked if line.row in there]
        lines += [line for line in checked if line.row not in there]
    rejected.sort(key=lambda r: r.row)
    return lines, rejected, skipped


def _written_meanwhile(conn, lines: list[_Line], path: str, header_row: int  # type: ignore[no-untyped-def]
                       ) -> list[Rejected]:
    """The rows of `lines` that another import wrote since they were checked, refused with their cells."""
    there: set[int] = set()
    for batch in _batches(lines, _CHUNK):
        there |= _already_there(conn, batch)
    if not there:
        return []
    return [Rejected(number, _("already in the register"), _cells(values))
            for number, values in register_file.rows(path, header_row) if number in there]


def _cells(values: list[Any]) -> tuple[str, ...]:
    return tuple(register_file.text(v) for v in values)


def _checked(mapping: dict[int, str], headers: list[str]) -> dict[int, str]:
    """A mapping chosen in the window: known fields, existing columns, and each single field in one column."""
    for index, key in mapping.items():
        if (key not in FIELDS and key != LEFT_OUT) or not 0 <= index < len(headers):
            raise ValidationError(_("The column mapping names a column or a field the file does not have."))
    twice = chosen_twice(mapping)
    if twice:
        raise ValidationError(_("Only one column can be %s.") % "、".join(FIELDS[key] for key in twice))
    return dict(mapping)


def _shown(text: str, limit: int = 30) -> str:
    """A cell quoted in a message: a 10,000-character cell would bury the reason."""
    return text if len(text) <= limit else text[:limit] + "…"


def _batches(items, size: int):  # type: ignore[no-untyped-def]
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Reader:
    """A data row's cells, by the mapping, into a checked line (or a Skipped for a blank row or a footer)."""

    def __init__(self, headers: list[str], mapping: dict[int, str], consultants: dict[str, int],
                 create_consultants: bool, window: tuple[date, date]) -> None:
        self.rf = register_file
        self.headers = headers
        self.width = max(len(headers), max(mapping, default=-1) + 1)
        single = {key: i for i, key in sorted(mapping.items(), reverse=True)}
        # A field no column holds reads the last cell, an empty one put at the end of every row.
        self.col = {key: single.get(key, -1) for key in register_file.FIELDS}
        self.joined = {key: [i for i, k in sorted(mapping.items()) if k == key] for key in register_file.JOINED}
        self.when = single.get("visited_at", single.get("date"))
        self.time = single.get("time")
        self.left_out = {i for i, key in mapping.items() if key == register_file.LEFT_OUT}
        self.mapped = set(mapping) - self.left_out
        self.names = register_file.column_names(headers, self.width)
        self.who = {single[k] for k in ("name", "phone") if k in single}
        self.consultants, self.create_consultants = consultants, create_consultants
        self.to_create: dict[int, str] = {}  # row -> a consultant's name to make an account for, once kept
        self.now, self.window = clock.now(), window
        self.labels = {"intent": _("Intent"), "note": _("Note")}

    def line(self, number: int, values: list[Any]) -> _Line | Skipped:
        try:  # a CSV's cells are all text: stripped in one go, and the rare quoted formula-like one fixed after
            texts = [v.strip() for v in values]
            if "'" in "".join(texts):
                texts = [self.rf.text(v) for v in texts]
        except AttributeError:  # an XLSX row: numbers, dates, None
            texts = [self.rf.text(v) for v in values]
        filled = [i for i, t in enumerate(texts) if t]
        if self.left_out:  # a pre-numbered empty line of a register is blank, its 序号 left out
            filled = [i for i in filled if i not in self.left_out]
        if not any(i in self.mapped for i in filled) or (len(filled) == 1 and filled[0] not in self.who):
            return Skipped(number, _shown(" ".join(texts[i] for i in filled), 100))
        if len(texts) < self.width:
            texts += [""] * (self.width - len(texts))
        col = self.col
        if len(texts) > len(self.names):  # a row longer than its header
            self.names = self.rf.column_names(self.headers, len(texts))
        extra = {self.names[i]: texts[i] for i in filled
                 if i not in self.mapped and not validation.holds_id_number(texts[i])}  # SEC-4
        texts.append("")
        for header, value in extra.items():  # kept with the visit: the one rule for text (control characters …)
            extra[header] = validation.text(value, MAX_EXTRA, header, header,
                                            too_long=N_("the column %(label)s is too long: at most %(n)d characters"))
        kind = KIND_OF.get(texts[col["kind"]].lower() or "来访")
        if kind is None:
            raise ValidationError(_("类型 must be 来访 or 来电"))
        at, within = self._when(values, texts, extra)
        name = validation.visitor_name(texts[col["name"]])
        phone = phones.normalize(texts[col["phone"]])
        party = check_party_size(texts[col["party_size"]].rstrip("人位") or 1) if kind == "visit" else 1
        said = texts[col["channel"]]
        channel = CHANNEL_OF.get(said) or CHANNEL_OF.get(said.lower())
        if channel is None:  # a word of this office's own: the visit keeps it
            channel = "other"
            extra[self.names[col["channel"]]] = said
        intent = validation.text(self._joined(texts, "intent"), MAX_INTENT, "intent", self.labels["intent"])
        note = validation.text(self._joined(texts, "note"), MAX_NOTE, "note", self.labels["note"])
        consultant_id = None
        named = texts[col["consultant"]]
        if named:
            consultant_id = self.consultants.get(named)
            if consultant_id is None and self.create_consultants and len(named) <= MAX_NAME:
                self.to_create[number], consultant_id = named, 0
            if consultant_id is None:
                raise ValidationError(_("no sales consultant is called %s") % _shown(named))
        return _Line(number, kind, at, within, name, phone, party, channel, intent, consultant_id, note,
                     json.dumps(extra, ensure_ascii=False) if extra else "")

    def _joined(self, texts: list[str], key: str) -> str:
        columns = self.joined[key]
        if len(columns) == 1:
            return texts[columns[0]]
        return " ".join(texts[i] for i in columns if texts[i])

    def _when(self, values: list[Any], texts: list[str], extra: dict[str, str]) -> tuple[datetime, timedelta]:
        assert self.when is not None  # import_logs refuses a mapping without it
        written = texts[self.when]
        try:
            day, at, within = self.rf.moment(values[self.when] if self.when < len(values) else None)
            if at is None and self.time is not None and self.time < len(values):
                found = self.rf.clock_time(values[self.time])
                if found is not None:
                    at, within = found
                    written = f"{written} {texts[self.time]}"
        except self.rf.NoSuchDate:
            raise ValidationError(_("there is no such date as %s") % _shown(written)) from None
        except ValueError:
            raise ValidationError(_("the time %s is not like 2026-11-23 14:30") % (_shown(written) or "—")) from None
        validation.record_day(day, self.window, "visited_at", _("The date"))
        if at is None or within is None:
            at, within = datetime.min.time(), timedelta(days=1)
            extra.setdefault(*DATE_ONLY)
        moment = datetime.combine(day, at, tzinfo=clock.OFFICE_TZ)
        if moment > self.now:
            raise ValidationError(_("the time %s is in the future") % _shown(written))
        return moment, within


def _channel_words() -> dict[str, str]:
    words = {word: code for code, spaced in CHANNEL_WORDS.items() for word in spaced.split()}
    for code, label in CHANNELS.items():
        words.update({code: code, label.lower(): code, channel_label(code): code})
    words[""] = "other"
    return words


CHANNEL_OF = _channel_words()


def _already_there(conn, lines: list[_Line]) -> set[int]:  # type: ignore[no-untyped-def]
    """The rows of `lines` whose visit or call the register already holds: one query per kind for the lot."""
    found: set[int] = set()
    for kind, model, at in (("visit", Visit, Visit.arrived_at), ("call", Call, Call.received_at)):
        mine = [line for line in lines if line.kind == kind]
        if not mine:
            continue
        there: dict[str, list[datetime]] = {}
        same = (select(Customer.phone, at).join(Customer, Customer.id == model.customer_id)
                .where(Customer.phone.in_({line.phone for line in mine}),
                       at >= min(line.at for line in mine), at < max(line.at + line.within for line in mine)))
        for phone, when in conn.execute(same):
            there.setdefault(phone, []).append(when)
        found |= {line.row for line in mine
                  if any(line.at <= when < line.at + line.within for when in there.get(line.phone, ()))}
    return found


def _write(uow: UnitOfWork, actor: Actor | None, lines: list[_Line], steps: _Steps) -> int:
    """Customers found or created by phone, then their visits and calls; returns how many customers are new.

    Set-based, a chunk of phones at a time (each phone with all its rows, oldest first): one query finds the
    chunk's customers already there, and each table gets the chunk's rows in one executemany insert. A new
    customer belongs to the consultant of their first row, as on the paper register (REC-7); a row by the owner
    renews the registration (REC-8) and moves the next follow-up (REC-9). Other owners are left alone.
    """
    office = settings.load(uow.session)
    conn = uow.session.connection()
    rows_of: dict[str, list[_Line]] = {}
    for line in sorted(lines, key=lambda x: (x.at, x.row)):
        rows_of.setdefault(line.phone, []).append(line)
    created = done = 0
    for phones_ in _batches(rows_of, _CHUNK):
        created += _write_chunk(conn, office, actor.id if actor is not None else None,
                                {phone: rows_of[phone] for phone in phones_})
        done += len(phones_)
        steps.writing(done / len(rows_of))
    return created


_TOTALS = ("visit_count", "has_visited", "last_visit_at", "last_contact_at", "next_follow_up_at")


def _write_chunk(conn, office, by: int | None, rows_of: dict[str, list[_Line]]) -> int:  # type: ignore[no-untyped-def]
    c = Customer.__table__
    stored: dict[datetime, Any] = {}  # each moment as the database takes it, converted once
    there = select(c.c.id, c.c.phone, c.c.owner_id, *(c.c[n] for n in _TOTALS)).where(c.c.phone.in_(list(rows_of)))
    known = {r.phone: r._asdict() for r in conn.execute(there)}
    existing = list(known.values())
    new = [{"name": first.name, "phone": phone, "phone_tail": phone[-4:], "contact_declined": False,
            "owner_id": first.consultant_id, "owned_since": first.at if first.consultant_id else None,
            "last_contact_at": None, "next_follow_up_at": None, "has_visited": False, "visit_count": 0,
            "last_visit_at": None, "family_of_id": None, "relation": "", "created_at": first.at}
           for phone, (first, *_later) in rows_of.items() if phone not in known]
    known.update((row["phone"], row) for row in new)
    visits: list[tuple[_Line, dict[str, Any], bool]] = []  # with the customer, and whether a return visit
    calls: list[tuple[_Line, dict[str, Any]]] = []
    for phone, rows in rows_of.items():
        customer = known[phone]
        contact = customer["last_contact_at"]
        for line in rows:
            if line.kind == "visit":
                visits.append((line, customer, customer["visit_count"] > 0))
                customer["visit_count"] += 1
                customer["has_visited"] = True
                if customer["last_visit_at"] is None or line.at > customer["last_visit_at"]:
                    customer["last_visit_at"] = line.at
            else:
                calls.append((line, customer))
            by_owner = customer["owner_id"] is not None and customer["owner_id"] == line.consultant_id
            if by_owner and (contact is None or line.at > contact):
                contact = line.at
        if contact != customer["last_contact_at"]:
            customer["last_contact_at"] = contact
            due = ownership.next_follow_up(contact, visited=customer["has_visited"],
                                           visitor_days=office.visitor_follow_up_days,
                                           caller_days=office.caller_follow_up_days)
            if customer["next_follow_up_at"] is None or due > customer["next_follow_up_at"]:
                customer["next_follow_up_at"] = due
    if new:
        driver.insert_rows(conn, c, new, stored)
        # Their ids by their (unique) phones: SQLite would insert one row per statement to return them in order.
        mine = select(c.c.phone, c.c.id).where(c.c.phone.in_([row["phone"] for row in new]))
        ids = dict(conn.execute(mine).all())
        for row in new:
            row["id"] = ids[row["phone"]]  # after the insert: the id is the database's to give
    if existing:
        renew = update(c).where(c.c.id == bindparam("customer_id")).values(
            {n: bindparam("new_" + n) for n in _TOTALS})
        conn.execute(renew, [{"customer_id": x["id"], **{"new_" + n: x[n] for n in _TOTALS}} for x in existing])
    decisions = [{"customer_id": row["id"], "owner_id": row["owner_id"], "previous_owner_id": None,
                  "reason": "first_registration", "note": _("imported"), "decided_at": row["created_at"],
                  "decided_by_id": by} for row in new if row["owner_id"] is not None]
    for table, rows in (
        (Visit.__table__, [{"customer_id": customer["id"], "name": line.name, "consultant_id": line.consultant_id,
                            "on_behalf_of_id": None, "party_size": line.party_size, "channel": line.channel,
                            "intent": line.intent, "is_return": again, "arrived_at": line.at, "left_at": None,
                            "note": line.note, "registered_by_id": by, "revision": 1, "extra": line.extra}
                           for line, customer, again in visits]),
        (Call.__table__, [{"customer_id": customer["id"], "consultant_id": line.consultant_id,
                           "channel": line.channel, "questions": line.note, "intent": line.intent,
                           "appointment_at": None, "received_at": line.at, "taken_by_id": by, "extra": line.extra}
                          for line, customer in calls]),
        (OwnershipDecision.__table__, decisions),
    ):
        if rows:
            driver.insert_rows(conn, table, rows, stored)
    return len(new)
