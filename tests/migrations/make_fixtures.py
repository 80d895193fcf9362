"""Make the small database of a released schema version, kept in tests/migrations/fixtures/<revision>.sqlite.

    .venv/bin/python -m tests.migrations.make_fixtures 0001 0002

Each fixture is made by the migrations up to its revision (nothing newer) and filled with plain SQL, the
way the program of that version would have left it: a few staff, customers, visits and what goes with
them, and an audit chain. test_fixtures.py upgrades every fixture to the newest schema, on SQLite and
on PostgreSQL, and checks the data and `db check`.

Every schema change adds its fixture: put the new tables' rows under `SINCE[revision]`, run this script
for the new revision only and commit the file. An older fixture stands for databases already out in
offices: never remake it, unless it is wrong.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.database import audit_chain, audit_key, schema
from app.database.audit_chain import GENESIS, UNSEALED_REVISIONS, entry_hash, to_json
from app.database.engine import make_engine

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PIN = "2468"
MORNING = "2026-11-20 02:00:00.000000"  # 10:00 in the office, UTC as stored

STAFF = [(1, "赵经理", "manager"), (2, "孙前台", "receptionist"), (3, "李一", "consultant"), (4, "周二", "consultant")]
CUSTOMERS = [(1, "王先生", "13812345678", 3), (2, "林女士", "13912345678", 4)]
VISITS = [(1, 1, "王先生", 3, 2, "walk_by"), (2, 2, "林女士", 4, 1, "friend"), (3, 1, "王先生", 3, 3, "walk_by")]


def _at(minutes: int) -> str:
    return datetime.fromisoformat(MORNING).replace(minute=minutes).strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows_0001(conn: Connection) -> list[tuple[int | None, str, str, dict]]:
    """The tables of 0001; returns the audit entries to chain (actor, action, target, after)."""
    pin = PasswordHasher().hash(PIN)
    audit: list[tuple[int | None, str, str, dict]] = []
    for sid, name, role in STAFF:
        conn.execute(text("INSERT INTO staff (id, name, role, pin_hash, active, failed_pins, created_at) "
                          "VALUES (:id, :name, :role, :pin, :active, 0, :at)"),
                     {"id": sid, "name": name, "role": role, "pin": pin, "active": True, "at": _at(0)})
        audit.append((None if sid == 1 else 1, "staff.create", f"staff:{sid}", {"name": name, "role": role}))
    conn.execute(text("INSERT INTO settings (key, value) VALUES ('refill_minutes', '25')"))
    audit.append((1, "settings.change", "setting:refill_minutes", {"refill_minutes": "25"}))
    conn.execute(text("INSERT INTO bar_tables (id, name, is_vip_room, seats) VALUES (1, 'A1', :f, 4), "
                      "(2, 'VIP1', :t, 8)"), {"f": False, "t": True})
    for cid, name, phone, owner in CUSTOMERS:
        conn.execute(text("INSERT INTO customers (id, name, phone, phone_tail, contact_declined, owner_id, "
                          "owned_since, last_contact_at, next_follow_up_at, has_visited, visit_count, last_visit_at, "
                          "relation, created_at) VALUES (:id, :name, :phone, :tail, :f, :owner, :at, :at, :due, :t, "
                          ":n, :at, '', :at)"),
                     {"id": cid, "name": name, "phone": phone, "tail": phone[-4:], "f": False, "t": True,
                      "owner": owner, "at": _at(cid), "due": "2026-11-23 02:00:00.000000",
                      "n": sum(1 for v in VISITS if v[1] == cid)})
        conn.execute(text("INSERT INTO ownership_decisions (id, customer_id, owner_id, reason, note, decided_at, "
                          "decided_by_id) VALUES (:id, :id, :owner, 'first_registration', '', :at, 2)"),
                     {"id": cid, "owner": owner, "at": _at(cid)})
        audit.append((2, "customers.ownership", f"customer:{cid}", {"owner_id": owner, "reason": "first_registration"}))
    for vid, cid, name, consultant, party, channel in VISITS:
        conn.execute(text("INSERT INTO visits (id, customer_id, name, consultant_id, party_size, channel, intent, "
                          "is_return, arrived_at, note, registered_by_id, revision) VALUES (:id, :cid, :name, :c, "
                          ":party, :channel, '三居室', :ret, :at, '', 2, :rev)"),
                     {"id": vid, "cid": cid, "name": name, "c": consultant, "party": party, "channel": channel,
                      "ret": vid == 3, "at": _at(10 + vid), "rev": 2 if vid == 1 else 1})
        audit.append((2, "visits.register", f"visit:{vid}", {"name": name, "party_size": party}))
    conn.execute(text("INSERT INTO rotation_days (day, events) VALUES ('2026-11-20', 5)"))
    events = [(1, "sign_in", 3, None), (2, "sign_in", 4, None), (3, "assign", 3, 1), (4, "assign", 4, 2),
              (5, "owner", 3, 3)]
    for seq, kind, consultant, visit in events:
        conn.execute(text("INSERT INTO rotation_events (id, day, seq, kind, consultant_id, visit_id, reason, at, "
                          "actor_id) VALUES (:seq, '2026-11-20', :seq, :kind, :c, :v, '', :at, 2)"),
                     {"seq": seq, "kind": kind, "c": consultant, "v": visit, "at": _at(seq)})
    conn.execute(text("INSERT INTO visit_revisions (id, visit_id, revision, \"values\", changed_at, changed_by_id, "
                      "reason) VALUES (1, 1, 1, :values, :at, 1, '人数写错了')"),
                 {"values": '{"name": "王先生", "party_size": 1}', "at": _at(20)})
    audit.append((1, "visits.correct", "visit:1", {"party_size": 2, "reason": "人数写错了"}))
    conn.execute(text("INSERT INTO calls (id, customer_id, consultant_id, channel, questions, intent, received_at, "
                      "taken_by_id) VALUES (1, 2, 4, 'phone', '几号楼有三居室？', '', :at, 2)"), {"at": _at(30)})
    conn.execute(text("INSERT INTO follow_ups (id, customer_id, consultant_id, at, method, content) "
                      "VALUES (1, 1, 3, :at, 'phone', '约周末再来看样板间')"), {"at": _at(40)})
    conn.execute(text("INSERT INTO bar_seatings (id, table_id, visit_id, party, party_size, seated_at, last_refill_at, "
                      "seated_by_id) VALUES (1, 1, 1, '王先生', 2, :at, :at, 2)"), {"at": _at(15)})
    conn.execute(text("INSERT INTO bar_servings (id, seating_id, item, quantity, is_refill, at, served_by_id) "
                      "VALUES (1, 1, '茶', 2, :f, :at, 2)"), {"f": False, "at": _at(16)})
    return audit


def _rows_0002(conn: Connection) -> list[tuple[int | None, str, str, dict]]:
    conn.execute(text("INSERT INTO deals (id, customer_id, kind, unit, amount_yuan, consultant_id, channel, at, note, "
                      "recorded_by_id, recorded_at) VALUES (1, 1, 'deposit', '3-1-1502', 50000, 3, 'walk_by', :at, '', "
                      "1, :at)"), {"at": _at(50)})
    return [(1, "deals.record", "deal:1", {"kind": "deposit", "unit": "3-1-1502"})]


def _rows_0003(conn: Connection) -> list[tuple[int | None, str, str, dict]]:
    return []  # 0003 changed indexes only


def _rows_0004(conn: Connection) -> list[tuple[int | None, str, str, dict]]:
    """Unit holds (the deal's unit, held when it was sold; one asked for), a form saved once, a visit imported
    with a column of its own."""
    conn.execute(text("INSERT INTO unit_holds (id, unit, customer_id, status, requested_by_id, requested_at, "
                      "decided_by_id, decided_at, note) VALUES (1, '3-1-1502', 1, 'confirmed', 1, :at, 1, :at, ''), "
                      "(2, '2-2-801', 2, 'requested', 4, :later, NULL, NULL, '')"),
                 {"at": _at(50), "later": _at(55)})
    conn.execute(text("UPDATE visits SET extra = :extra WHERE id = 2"), {"extra": '{"房号意向": "8楼以上"}'})
    conn.execute(text("INSERT INTO saved_forms (token, action, result, saved_at) VALUES "
                      "('6f1c2a9e-4b7d-4c1e-9a53-2d8e7f0b1c34', 'visits.register', :result, :at)"),
                 {"result": '{"request": "x", "answer": {"visit_id": 3}}', "at": _at(13)})
    return [(4, "units.request", "unit_hold:2", {"unit": "2-2-801", "customer_id": 2})]


def _rows_0005(conn: Connection) -> list[tuple[int | None, str, str, dict]]:
    return []  # 0005 keyed the audit log: the upgrade to it seals the log, with the fixture's own key


def _rows_0006(conn: Connection) -> list[tuple[int | None, str, str, dict]]:
    """A model apartment with two items (one changed once), the inspection's points, and a check recorded."""
    conn.execute(text("INSERT INTO apartments (id, name, active, created_at) VALUES (1, 'A户型 三房两厅', :t, :at)"),
                 {"t": True, "at": _at(0)})
    conn.execute(text("INSERT INTO showroom_items (id, apartment_id, created_at) VALUES (1, 1, :at), (2, 1, :at)"),
                 {"at": _at(0)})
    for vid, item, version, quantity, reason in ((1, 1, 1, 1, ""), (2, 2, 1, 4, ""), (3, 2, 2, 3, "一个抱枕送洗")):
        conn.execute(text("INSERT INTO showroom_item_versions (id, item_id, version, valid_from, room, name, spec, "
                          "quantity, unit, location, price_fen, note, removed, changed_by_id, reason) VALUES (:id, "
                          ":item, :version, :at, '客厅', :name, '', :q, '件', '沙发', :price, '', :f, 1, :reason)"),
                     {"id": vid, "item": item, "version": version, "at": _at(version), "q": quantity,
                      "name": "三人沙发" if item == 1 else "抱枕", "price": 1280000 if item == 1 else 9000,
                      "f": False, "reason": reason})
    conn.execute(text("INSERT INTO check_template_versions (id, kind, version, valid_from, points, count_items, "
                      "changed_by_id, reason) VALUES (1, 'inspection', 1, :at, :points, :f, NULL, '')"),
                 {"at": _at(0), "points": '["灯光正常", "地面干净"]', "f": False})
    conn.execute(text("INSERT INTO showroom_checks (id, apartment_id, day, slot, template_id, done_at, done_by_id, "
                      "entered_at, entered_by_id, answers, counts, signature, problems) VALUES (1, 1, '2026-11-20', "
                      "'inspection-1', 1, :at, 2, :at, 2, :answers, '', '[[[0.1,0.5],[0.9,0.5]]]', 1)"),
                 {"at": _at(30), "answers": '[{"point": "灯光正常", "answer": "ok", "note": ""}, {"point": "地面干净", '
                                            '"answer": "problem", "note": "有鞋印"}]'})
    return [(1, "showroom.apartment_add", "apartment:1", {"name": "A户型 三房两厅"}),
            (2, "showroom.check", "check:1", {"apartment_id": 1, "slot": "inspection-1", "problems": 1})]


# The rows each revision adds; a fixture holds those of its revision and every earlier one.
SINCE = {"0001": _rows_0001, "0002": _rows_0002, "0003": _rows_0003, "0004": _rows_0004, "0005": _rows_0005,
         "0006": _rows_0006}


def key_of(revision: str) -> Path:
    """The audit key a fixture's keyed log was written with (from 0005 on), kept beside it: the station that
    upgrades the fixture holds it, as the office's stations hold theirs."""
    return FIXTURES / f"{revision}.key"


def _chain(conn: Connection, entries: list[tuple[int | None, str, str, dict]]) -> None:
    prev = GENESIS
    for n, (actor, action, target, after) in enumerate(entries, start=1):
        at = _at(min(n, 59))
        at_iso = datetime.fromisoformat(at).isoformat(timespec="microseconds") + "+00:00"
        digest = entry_hash(prev, at=at_iso, actor_id=actor, action=action, target=target, before="",
                            after=to_json(after))
        conn.execute(text("INSERT INTO audit_log (id, at, actor_id, action, target, before, after, prev_hash, hash) "
                          "VALUES (:id, :at, :actor, :action, :target, '', :after, :prev, :hash)"),
                     {"id": n, "at": at, "actor": actor, "action": action, "target": target,
                      "after": to_json(after), "prev": prev, "hash": digest})
        prev = digest
    conn.execute(text("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, :n, :h)"),
                 {"n": len(entries), "h": prev})


def build(target: str, revision: str) -> None:
    """The fixture's schema and rows in a new, empty database (a file, or a database on a server). A log from 0005
    on is keyed: its rows are written as 0004 wrote them, then the upgrade seals them with the key found at
    SALESOFFICE_AUDIT_KEY (see `make`)."""
    from alembic import command

    unkeyed = max(r for r in SINCE if r in UNSEALED_REVISIONS and r <= revision)
    engine = make_engine(target)
    try:
        with engine.begin() as conn:
            cfg = schema._alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, unkeyed)
            _chain(conn, [entry for rev, rows in SINCE.items() if rev <= unkeyed for entry in rows(conn)])
            if revision != unkeyed:
                command.upgrade(cfg, revision)  # seals the log with the key
                session = Session(bind=conn)
                for rev, rows in SINCE.items():
                    if unkeyed < rev <= revision:
                        for actor, action, target_, after in rows(conn):
                            audit_chain.append(session, actor, action, target_, after=after)
                session.flush()
            if conn.dialect.name == "postgresql":  # ids were given: the sequences go past them
                for table in conn.execute(text("SELECT table_name FROM information_schema.columns WHERE "
                                               "table_schema = 'public' AND column_name = 'id'")).scalars():
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))
    finally:
        engine.dispose()


def make(revision: str) -> Path:
    out = FIXTURES / f"{revision}.sqlite"
    out.unlink(missing_ok=True)
    FIXTURES.mkdir(exist_ok=True)
    if revision not in UNSEALED_REVISIONS:
        key_of(revision).unlink(missing_ok=True)
        os.environ[audit_key.ENV] = str(key_of(revision))  # made by the upgrade that seals the log
    build(str(out), revision)
    con = sqlite3.connect(out)
    try:
        con.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        con.execute("VACUUM")
    finally:
        con.close()
    return out


if __name__ == "__main__":
    for rev in sys.argv[1:] or list(SINCE):
        print(make(rev))
