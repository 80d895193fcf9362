"""An office's own item list (物品清单) imported into a model apartment's list (SHW-1).

Offices keep the list in a spreadsheet of their own: a title above the header (A户型样板房物品清单), their words for
the columns (序号, 区域, 物品名称, 品牌/规格/型号, 数量, 单位, 单价, 备注), the 区域 cell often merged over the room's
rows, and signatures or totals under it (盘点人：…, 审核：…, 合计). The file is read by app.files.table_file and
every row is checked first: one refused row, named with its number and column, and nothing is written.

Then, in one transaction, the apartment is made when it has none of that name, and each line is matched to the
list by room, item and brand/model: a new item is added (its version 1), a changed one gets a new version with
the file named as why, an unchanged one is left. Items on the list the file does not have stay as they are and are
counted, so a partial file never empties a list. Importing the same file again writes nothing and says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app import clock, validation
from app.database.uow import UnitOfWork
from app.errors import ValidationError
from app.files.table_file import TableFile, Vocabulary, footer, header_word, text
from app.i18n import N_, _
from app.models.showroom import Apartment, ItemVersion, ShowroomItem
from app.permissions import Actor, Perm, require
from app.services import audit
from app.services.showroom import items
from app.services.showroom.items import ItemDraft

# Each field as a file's header names it, in the office's words, for the messages.
WORDS = {"room": "区域", "name": "物品名称", "spec": "品牌/规格/型号", "quantity": "数量", "unit": "单位",
         "location": "摆放位置", "price": "单价", "note": "备注"}
NEEDED = ("room", "name", "quantity")
# What a new item holds for a column the file does not have.
_BLANK: dict[str, object] = {"spec": "", "unit": "", "location": "", "price_fen": 0, "note": ""}
MAX_LINES = 10_000  # far more than any apartment holds; bounds what a wrong file makes the import hold
_NUMBER, _PLACE = "number", "place"  # 序号, read past; 位置: the room, or where in it when a room column is there
_SYNONYMS = {
    _NUMBER: "序号 编号 no no.",
    "room": "区域 房间 空间 功能区 所在区域 所在房间 room area",
    _PLACE: "位置",
    "location": "摆放位置 具体位置 放置位置 安放位置 存放位置 location",
    "name": "物品名称 名称 物品 品名 物品名 家具名称 家私名称 item name",
    # Several columns may say the brand and model (品牌 beside 规格型号): their texts are joined.
    "spec": "品牌 规格 型号 规格型号 品牌型号 品牌规格 尺寸 材质 spec brand model",
    "quantity": "数量 件数 数目 qty quantity",
    "unit": "单位 计量单位 unit",
    "price": "单价 价格 单价元 价格元 单价/元 price",
    "note": "备注 说明 备注说明 note notes remark remarks",
}
SYNONYMS = {word: key for key, words in _SYNONYMS.items() for word in words.split()}


def _recognize(headers: list[str]) -> dict[int, str]:
    """Every column the words name, twice-named ones too (refused later, with both named)."""
    mapping = {i: key for i, header in enumerate(headers) if (key := SYNONYMS.get(header_word(header)))}
    place = "location" if "room" in mapping.values() else "room"
    return {i: place if key == _PLACE else key for i, key in mapping.items()}


ITEM_LIST = Vocabulary(_recognize,
                       N_("No row of the file's first %(n)d names the columns (such as 区域, 物品名称, 数量)."),
                       N_("%(file)s is %(size)d MB; an item list may be at most %(limit)d MB."))


@dataclass(frozen=True)
class ImportResult:
    apartment: str
    file: str
    created: bool  # the apartment was made for this file
    added: int
    changed: int
    unchanged: int
    not_in_file: int  # on the list, not in the file: left as they are

    def summary(self) -> str:
        """What the import did, in the user's language, for the window and the command line."""
        if self.created:  # a new apartment: every line is added
            return _("Made the model apartment %(apartment)s with the %(added)d items of %(file)s.") % {
                "apartment": self.apartment, "added": self.added, "file": self.file}
        if not (self.added or self.changed):
            said = _("Nothing changed: the list of %(apartment)s already says what %(file)s says (%(n)d items).") % {
                "apartment": self.apartment, "file": self.file, "n": self.unchanged}
        else:
            said = _("%(apartment)s: %(added)d items added, %(changed)d changed (each a new version), %(unchanged)d "
                     "unchanged.") % {"apartment": self.apartment, "added": self.added, "changed": self.changed,
                                      "unchanged": self.unchanged}
        if self.not_in_file:
            said += " " + _("%d items on the list are not in the file; they are left as they are.") % self.not_in_file
        return said


def import_items(actor: Actor | None, uow: UnitOfWork, *, apartment_name: str, path: str) -> ImportResult:
    """Bring the list in the file at `path` (CSV, XLSX, XLS or ODS) into the model apartment `apartment_name`,
    made when there is none (SHW-1). `actor` is None on the command line, whose user holds the database anyway."""
    if actor is not None:
        require(actor, Perm.MANAGE_SHOWROOM)
    name = items.apartment_name(apartment_name)
    file = Path(path).name
    lines, has = _read(path)
    reason = (_("Imported from %s") % file)[:validation.MAX_REASON]
    with uow:
        uow.one_at_a_time(items.LOCK)  # the list read, then its next versions written: never two imports at once
        now = clock.now()
        apartment_id = uow.session.scalar(select(Apartment.id).where(Apartment.name == name))
        created = apartment_id is None
        if created:
            apartment = Apartment(name=name, active=True, created_at=now)
            uow.session.add(apartment)
            uow.session.flush()
            apartment_id = apartment.id
        listed: dict[tuple[object, ...], tuple[ItemVersion, dict[str, object]]] = {}
        for version in uow.session.scalars(items.listed(apartment_id, now)):
            kept = {key: getattr(version, key) for key in _BLANK.keys() | NEEDED}
            listed.setdefault(_key(kept, has), (version, kept))  # two alike on the list: the first is matched
        added = changed = 0
        for line in lines:
            current, before = listed.pop(_key(line, has), (None, {}))
            if current is None:
                item = ShowroomItem(apartment_id=apartment_id, created_at=now)
                uow.session.add(item)
                uow.session.flush()
                items.new_version(uow, item.id, 1, now, actor, reason, {**_BLANK, **line})
                added += 1
                continue
            after = {**before, **line}  # a column the file lacks keeps what the list says
            if after != before:
                items.new_version(uow, current.item_id, current.version + 1, now, actor, reason, after)
                changed += 1
        result = ImportResult(name, file, created, added, changed, len(lines) - added - changed, len(listed))
        if not (created or added or changed):
            return result  # nothing written, nothing to audit
        uow.audit(actor.id if actor else None, "showroom.item_import", f"apartment:{apartment_id}",
                  after={**audit.by_whom(actor), "file": file, "apartment": name, "created": created,
                         "added": added, "changed": changed, "unchanged": result.unchanged,
                         "not_in_file": result.not_in_file})
        uow.commit()
        return result


def _key(fields: dict[str, object], has: set[str]) -> tuple[object, ...]:
    """An item's identity on the list: room, item, and brand/model when the file says it."""
    return (fields["room"], fields["name"]) + ((fields["spec"],) if "spec" in has else ())


def _read(path: str) -> tuple[list[dict[str, object]], set[str]]:
    """Every line of the file, checked: the fields its columns give, as items.checked keeps them; and which fields
    those are. Raises for a bad column or any bad row."""
    with TableFile(path, ITEM_LIST) as table:
        header = table.header()
        columns = _columns(header.names, header.mapping, header.row)
        has = {"price_fen" if key == "price" else key for key in columns}
        lines: list[dict[str, object]] = []
        refused: list[str] = []
        first: dict[tuple[object, ...], int] = {}
        room = ""  # a 区域 cell merged over its room's rows is filled in the first of them only
        for number, values in table.rows(header.row):
            cells = {key: [values[i] if i < len(values) else "" for i in where] for key, where in columns.items()}
            texts = {key: [text(v) for v in got] for key, got in cells.items()}
            if not any(any(t) for t in texts.values()) or footer([text(v) for v in values]):
                continue  # a blank row (perhaps numbered), a signature or a total
            if len(lines) + len(refused) >= MAX_LINES:
                raise ValidationError(_("The file has more than %d lines; an item list is one apartment's.")
                                      % MAX_LINES, field="path")
            room = texts["room"][0] or room
            draft = ItemDraft(room=room, name=texts["name"][0], quantity=_value(cells["quantity"][0]),
                              spec=" ".join(t for t in texts.get("spec", []) if t),
                              unit=_first(texts, "unit"), location=_first(texts, "location"),
                              price=_value(cells["price"][0]) if "price" in cells else "", note=_first(texts, "note"))
            try:
                fields = {key: value for key, value in items.checked(draft).items() if key in has}
            except ValidationError as e:
                column = header.names[columns[e.field or ""][0]]  # a draft's field is named as its column
                refused.append(_("Row %(row)d, column %(column)s: %(reason)s")
                               % {"row": number, "column": column, "reason": e})
                continue
            key = _key(fields, has)
            if key in first:
                refused.append(_("Row %(row)d lists %(item)s again (first on row %(first)d); list an item once, with "
                                 "its whole quantity.") % {"row": number, "item": " ".join(str(k) for k in key if k),
                                                           "first": first[key]})
                continue
            first[key] = number
            lines.append(fields)
    if refused:
        more = len(refused) - 1
        raise ValidationError(refused[0] + (" " + _("%d more rows are refused too; nothing was imported.") % more
                                            if more else " " + _("Nothing was imported.")), field="path")
    if not lines:
        raise ValidationError(_("The file has no rows under its header."), field="path")
    return lines, has


def _columns(headers: list[str], mapping: dict[int, str], row: int) -> dict[str, list[int]]:
    """Field -> the columns holding it; a field in two columns, or a needed one in none, is refused."""
    columns: dict[str, list[int]] = {}
    for i, key in sorted(mapping.items()):
        if key != _NUMBER:
            columns.setdefault(key, []).append(i)
    for key, where in columns.items():
        if key != "spec" and len(where) > 1:
            raise ValidationError(_("Only one column can be %(field)s; the header (row %(row)d) has %(columns)s.")
                                  % {"field": WORDS[key], "row": row,
                                     "columns": "、".join(headers[i] for i in where)}, field="path")
    lacking = [WORDS[key] for key in NEEDED if key not in columns]
    if lacking:
        raise ValidationError(_("The file lacks the columns %(missing)s (its header, row %(row)d: %(headers)s).")
                              % {"missing": ", ".join(lacking), "row": row,
                                 "headers": " ".join(h for h in headers if h)[:120]}, field="path")
    return columns


def _first(texts: dict[str, list[str]], key: str) -> str:
    return texts[key][0] if key in texts else ""


def _value(cell: object) -> object:
    """A number cell as it is (validation reads it); a text one stripped."""
    return cell.strip() if isinstance(cell, str) else cell
